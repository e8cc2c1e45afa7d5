package prevention

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// apportionDecimal is Apportion's decimal arithmetic alone, the reference
// apportionPence must equal.
func apportionDecimal(total budget.Money, pops []budget.Population) []budget.Money {
	var sum budget.Population
	for _, p := range pops {
		sum = sum.Add(p)
	}
	parts := make([]budget.Money, len(pops))
	for i, p := range pops {
		parts[i] = budget.MoneyFromDecimal(total.Decimal().Mul(p.Decimal()).DivRound(sum.Decimal(), budget.WorkingScale))
	}
	return pence.RoundParts(parts)
}

// TestApportionPenceIsApportion checks the integer path against the
// decimal one on random totals and populations, from tiny to England's
// size (a grant of £3.6bn over 42 ICBs of about 1.4 million patients),
// including ties and zero populations, and that it declines what it cannot
// do exactly.
func TestApportionPenceIsApportion(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range 20000 {
		n := 1 + rng.IntN(45)
		pops := make([]budget.Population, n)
		for i := range pops {
			var v int64
			switch k % 4 {
			case 0:
				v = rng.Int64N(4) // small, with ties and zeros
			case 1:
				v = 500_000 + rng.Int64N(3_000_000)
			default:
				v = rng.Int64N(1 << 36 / int64(n))
			}
			pops[i] = budget.People(v)
		}
		if k%4 == 0 {
			pops[0] = budget.People(1) // a sum above zero
		}
		var total budget.Money
		switch k % 3 {
		case 0:
			total = budget.MoneyFromDecimal(decimal.New(rng.Int64N(1000), -2))
		case 1:
			total = budget.MoneyFromDecimal(decimal.New(3_600_000_000+rng.Int64N(1_000_000_000), 0))
		default:
			total = budget.MoneyFromDecimal(decimal.New(rng.Int64N(1<<62), -2))
		}
		got, ok := apportionPence(total, pops)
		require.True(t, ok, "case %d", k)
		want := apportionDecimal(total, pops)
		for i := range want {
			require.True(t, got[i].Equal(want[i]), "case %d part %d: %s, decimal %s (total %s)", k, i, got[i], want[i], total)
		}
	}
	one := []budget.Population{budget.People(1)}
	for _, total := range []string{"0.001", "-1", "46116860184273879.05"} {
		_, ok := apportionPence(budget.MustMoney(total), one)
		require.False(t, ok, "total %s", total)
	}
	half, err := budget.NewPopulation(decimal.RequireFromString("1.5"))
	require.NoError(t, err)
	_, ok := apportionPence(budget.MustMoney("1"), []budget.Population{half})
	require.False(t, ok, "a part of a person")
}
