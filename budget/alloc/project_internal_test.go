package alloc

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

// TestProjectionToIsProjectingToIt checks that a projection cut to an
// earlier horizon is, field for field, the projection made to that horizon,
// for the named settlements (the folded one consolidates core pots in a
// projected year) on the default and published bases, to every horizon
// from the last published year to 2033/34.
func TestProjectionToIsProjectingToIt(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	long := budget.MustYear("2033/34")
	def, err := DefaultSettlement(d)
	require.NoError(t, err)
	folded, err := FoldedSettlement(d)
	require.NoError(t, err)
	cut := 0
	for _, s := range []Settlement{def, folded} {
		for _, b := range []AllocationBasis{DefaultBasis(), {Vintage: AsPublished, Scope: HeldScope}, {Vintage: RestatedVintage, Scope: IncludeScope}, {Vintage: RestatedVintage, Scope: StripScope}} {
			p, err := ProjectOn(d.Allocations, d.Populations, s, long, b)
			require.NoError(t, err)
			for h := p.LastPublished(); !h.After(long); h = h.Next() {
				want, wantErr := ProjectOn(d.Allocations, d.Populations, s, h, b)
				got, err := p.To(h)
				if wantErr != nil {
					require.Error(t, err, "%s to %s", s.Name, h)
					assert.Equal(t, wantErr.Error(), err.Error())
					continue
				}
				require.NoError(t, err)
				for _, q := range []*Projection{want, got} {
					q.sums = nil // a cache, filled as it is read
				}
				assert.True(t, reflect.DeepEqual(want, got), "%s on %s to %s: cut from %s differs from projecting to it", s.Name, b, h, long)
				cut++
			}
		}
	}
	assert.GreaterOrEqual(t, cut, 20)
	p, err := ProjectOn(d.Allocations, d.Populations, def, budget.MustYear("2028/29"), DefaultBasis())
	require.NoError(t, err)
	_, err = p.To(budget.MustYear("2029/30"))
	assert.ErrorIs(t, err, budget.ErrRange)
	_, err = p.To(p.LastPublished().Prev())
	assert.ErrorIs(t, err, budget.ErrRange)
	var nilP *Projection
	_, err = nilP.To(p.LastPublished())
	assert.ErrorIs(t, err, budget.ErrNoData)
	_, err = (&Projection{}).To(p.LastPublished())
	assert.ErrorIs(t, err, budget.ErrNoData)
	_, err = p.To(budget.Year{})
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.ErrorContains(t, err, "no horizon")
}
