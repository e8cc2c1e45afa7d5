package prevention

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// apportionDecimal is Apportion in decimal.Decimal alone: each part total
// x population / sum to budget.WorkingScale places, then rounded down to
// the penny, and the pennies still needed to reach the total rounded to the
// penny to the largest remainders, ties to the earlier part.
func apportionDecimal(total budget.Money, pops []budget.Population) []decimal.Decimal {
	var sum decimal.Decimal
	for _, p := range pops {
		sum = sum.Add(p.Decimal())
	}
	floors := make([]decimal.Decimal, len(pops))
	rems := make([]decimal.Decimal, len(pops))
	var all, floorSum decimal.Decimal
	for i, p := range pops {
		x := total.Decimal().Mul(p.Decimal()).DivRound(sum, budget.WorkingScale)
		all = all.Add(x)
		floors[i] = x.Shift(2).Floor()
		rems[i] = x.Shift(2).Sub(floors[i])
		floorSum = floorSum.Add(floors[i])
	}
	order := make([]int, len(pops))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]].GreaterThan(rems[order[b]]) })
	need := all.Shift(2).Round(0).Sub(floorSum).IntPart()
	for k, i := range order {
		if int64(k) < need {
			floors[i] = floors[i].Add(decimal.NewFromInt(1))
		}
	}
	for i := range floors {
		floors[i] = floors[i].Shift(-2)
	}
	return floors
}

// TestApportionIsTheDecimalRule checks Apportion, which computes in dec,
// against the rule in decimal.Decimal alone, in value and scale, on
// random totals and populations, from tiny to England's size (a grant of
// £3.6bn over 42 ICBs of about 1.4 million patients), including ties,
// zero populations, parts of a person and totals of more places.
func TestApportionIsTheDecimalRule(t *testing.T) {
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
		if k%10 == 0 {
			half, err := budget.ParsePopulation("1.5")
			require.NoError(t, err)
			pops[n-1] = half                     // a part of a person
			total = budget.MustMoney("1234.567") // more places than pence
		}
		got, err := Apportion(total, pops)
		require.NoError(t, err, "case %d", k)
		want := apportionDecimal(total, pops)
		for i := range want {
			g := got[i].Decimal()
			require.True(t, g.Equal(want[i]) && g.Exponent() == want[i].Exponent(), "case %d part %d: %s, decimal %s (total %s)", k, i, g, want[i], total)
		}
	}
}
