package scenario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

// TestRunAllProjectsASettlementOnce: the catalogue's scenarios to 2028/29
// and hewitt-from-2027's to 2031/32 run on one settlement; RunAll projects
// it once, to 2031/32, and cuts it for the others, where runs one by one
// project it twice. A scenario past MaxHorizon in the batch is refused on
// its own and is not projected for the others.
func TestRunAllProjectsASettlementOnce(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	cat, err := Catalogue(d.Parameters)
	require.NoError(t, err)
	horizons := map[budget.Year]bool{}
	for _, s := range cat {
		horizons[s.Horizon] = true
	}
	require.Len(t, horizons, 2, "the catalogue has two horizons on one settlement")

	all := NewRunner(d)
	_, err = all.RunAll(cat)
	require.NoError(t, err)
	assert.Equal(t, int64(1), all.made.Load(), "RunAll: one projection, cut to the other horizon")

	one := NewRunner(d)
	for _, s := range cat {
		_, err := one.Run(s)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(2), one.made.Load(), "one by one: a projection for each horizon")

	far := cat[0]
	far.Name, far.Horizon = "far", budget.MustYear("2099/00")
	batch := NewRunner(d)
	_, err = batch.RunAll(append([]Scenario{far}, cat...))
	require.Error(t, err, "a horizon past MaxHorizon is refused")
	assert.Equal(t, int64(1), batch.made.Load(), "and not projected for the others")
}

// TestRunnerSharesSettlements: a Runner builds a settlement once for all
// the scenarios on it and its deflator (the catalogue's eight share one),
// and what it gives a scenario, a settlement or an error, is what the
// scenario alone gets: deflators that print alike are not mixed up.
func TestRunnerSharesSettlements(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	cat, err := Catalogue(d.Parameters)
	require.NoError(t, err)
	r := NewRunner(d)
	_, err = r.RunAll(cat)
	require.NoError(t, err)
	assert.Len(t, r.settle.m, 1, "one settlement on one deflator for the eight")

	shared := NewRunner(d)
	for _, def := range []DeflatorRef{{"gdp", "no-such-vintage"}, {"gdp x", ""}, {"gdp", "x "}, {"gdp ", "x"}, cat[0].Deflator} {
		s := cat[0]
		s.Deflator = def
		alone := s.Validate(d)
		got := shared.Validate(s)
		if alone == nil {
			assert.NoError(t, got, "%+v", def)
			continue
		}
		require.Error(t, got, "%+v", def)
		assert.Equal(t, alone.Error(), got.Error(), "%+v", def)
	}
	assert.Len(t, shared.settle.m, 5, "each deflator its own")
}
