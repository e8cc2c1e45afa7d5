package budget_test

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// pennies draws an amount in pence up to about £100bn, the size of the
// largest budgets in the data, from a seeded stream (the same values on
// every run).
func pennies(r *rand.Rand) budget.Money {
	return budget.Pence(r.Int64N(10_000_000_000_000) - 1_000_000_000_000)
}

// TestCashRealCashIsIdentity: converting any cash amount of any year to
// real terms and back gives the amount again, to the penny, at every
// deflator year and base year.
func TestCashRealCashIsIdentity(t *testing.T) {
	d := gdp(t)
	r := rand.New(rand.NewPCG(1, 2))
	years := d.Span().Years()
	for i := 0; i < 5000; i++ {
		m := pennies(r)
		y, base := years[r.IntN(len(years))], years[r.IntN(len(years))]
		real, err := d.Real(m, y, base)
		require.NoError(t, err)
		back, err := d.Cash(real, y, base)
		require.NoError(t, err)
		require.True(t, back.Round(2).Equal(m), "%s in %s at %s prices: %s, back %s", m, y, base, real, back)
	}
}

// TestPerHeadTimesPopulation: an amount per head times the population gives
// the amount back within the rounding of the per-head figure (WorkingScale
// places, so within population x 10^-10 pounds).
func TestPerHeadTimesPopulation(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 5000; i++ {
		m := pennies(r)
		pop := budget.People(r.Int64N(10_000_000) + 1)
		ph, err := m.PerHead(pop)
		require.NoError(t, err)
		back := ph.Times(pop)
		tol := budget.MoneyFromDecimal(pop.Decimal().Shift(-budget.WorkingScale))
		require.True(t, back.Sub(m).Abs().Cmp(tol) <= 0, "%s / %s = %s; x %s = %s", m, pop, ph, pop, back)
	}
}

// TestRoundPartsProperty: rounded parts always add to the rounded total of
// the parts, and no part moves by a whole unit or more.
func TestRoundPartsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, f := range []budget.Formatter{{Scale: budget.ScaleMillions}, {Scale: budget.ScaleThousands, Places: 1}, {Places: 2}} {
		for i := 0; i < 500; i++ {
			parts := make([]budget.Money, 1+r.IntN(42))
			for k := range parts {
				parts[k] = pennies(r)
			}
			got := f.RoundParts(parts)
			assert.True(t, budget.SumMoney(got...).Equal(f.Round(budget.SumMoney(parts...))), "parts add to the rounded total")
			unit := f.Round(budget.Pounds(0)).Add(budget.MoneyFromDecimal(decimal.New(1, unitExp(f))))
			for k := range parts {
				assert.True(t, got[k].Sub(parts[k]).Abs().Cmp(unit) < 0)
			}
		}
	}
}

func unitExp(f budget.Formatter) int32 {
	return [...]int32{0, 3, 6, 9}[f.Scale] - f.Places
}
