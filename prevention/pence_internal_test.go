package prevention

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// TestPennyShareIsMulShareRound checks a share of a budget against the
// decimal rule it stands for, in value and scale, on random budgets (whole
// pence up to £11 trillion, either sign, and amounts of more places) and
// shares (up to 10 places, including those whose eleventh-place product
// sits on a half penny).
func TestPennyShareIsMulShareRound(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for k := range 20000 {
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
		exp := int32(-2)
		if k%13 == 0 {
			exp = -int32(rng.IntN(12))
		}
		// A share below 1 with 0 to 10 places.
		places := int32(rng.IntN(11))
		c := rng.Int64N(pow10(places))
		if k%7 == 0 && places > 0 {
			c = 5 * rng.Int64N(pow10(places)/5) // ends in 5: halves
		}
		share, err := budget.NewShare(decimal.New(c, -places))
		require.NoError(t, err)
		m := budget.MoneyFromDecimal(decimal.New(p, exp))
		got := pennyShare(m, share).Decimal()
		want := m.Decimal().Mul(share.Decimal()).Round(budget.WorkingScale).Round(2) // Money.MulShare, then Round(2)
		require.True(t, got.Equal(want) && got.Exponent() == want.Exponent(), "case %d: %s x %s = %s, decimal %s", k, m, share, got, want)
	}
	// Two roundings, not one: 1p x 0.499999995 is 0.00499999995 pounds,
	// 0.0050000000 at 10 places, then 1p; rounded once it would be 0p.
	half, err := budget.NewShare(decimal.RequireFromString("0.499999995"))
	require.NoError(t, err)
	require.Equal(t, "0.01", pennyShare(budget.MustMoney("0.01"), half).String())
}

func pow10(n int32) int64 {
	v := int64(1)
	for range n {
		v *= 10
	}
	return v
}
