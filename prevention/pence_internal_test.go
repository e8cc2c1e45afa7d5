package prevention

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// TestPennyShareIsMulShareRound checks the 128-bit path of a share of a
// budget against the decimal rule it stands for, on random budgets (whole
// pence up to £11 trillion, either sign) and shares (up to 10 places,
// including those whose eleventh-place product sits on a half penny), and
// that it declines what it cannot do exactly.
func TestPennyShareIsMulShareRound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for k := range 200000 {
		var p int64
		switch k % 3 {
		case 0:
			p = rng.Int64N(1000)
		case 1:
			p = 100_000_000_000 + rng.Int64N(900_000_000_000) // an ICB's budget, £1bn-£10bn
		default:
			p = rng.Int64N(1 << 50)
		}
		if k%5 == 0 {
			p = -p
		}
		// A share below 1 with 0 to 10 places.
		places := int32(rng.IntN(11))
		c := rng.Int64N(pow10(places))
		if k%7 == 0 && places > 0 {
			c = 5 * rng.Int64N(pow10(places)/5) // ends in 5: halves
		}
		s := decimal.New(c, -places)
		if k%11 == 0 {
			s = s.Neg()
		}
		m := budget.MoneyFromDecimal(decimal.New(p, -2))
		got, ok := pennyShareInt(m, s)
		require.True(t, ok, "case %d: %s x %s", k, m, s)
		want := m.Decimal().Mul(s).Round(budget.WorkingScale).Round(2) // Money.MulShare, then Round(2)
		require.True(t, decimal.New(got, -2).Equal(want), "case %d: %s x %s = %s, decimal %s", k, m, s, decimal.New(got, -2), want)
		if share, err := budget.NewShare(s); err == nil {
			require.True(t, pennyShare(m, share).Equal(m.MulShare(share).Round(2)), "case %d", k)
		}
	}
	// Two roundings, not one: 1p x 0.499999995 is 0.00499999995 pounds,
	// 0.0050000000 at 10 places, then 1p; rounded once it would be 0p.
	v, ok := pennyShareInt(budget.MustMoney("0.01"), decimal.RequireFromString("0.499999995"))
	require.True(t, ok)
	require.Equal(t, int64(1), v)
	_, ok = pennyShareInt(budget.MustMoney("1.001"), decimal.RequireFromString("0.5"))
	require.False(t, ok, "not whole pence")
	_, ok = pennyShareInt(budget.MustMoney("1"), decimal.RequireFromString("0.12345678901"))
	require.False(t, ok, "eleven places")
	_, ok = pennyShareInt(budget.MustMoney("20000000000000"), decimal.RequireFromString("0.5"))
	require.False(t, ok, "above 2^50 pence")
}

func pow10(n int32) int64 {
	v := int64(1)
	for range n {
		v *= 10
	}
	return v
}
