package alloc

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/rule"
)

// cellByLookup is a published cell as publishedCells read it first, a
// lookup of each figure by its key: the reference for the one pass.
func cellByLookup(a *dataset.Allocations, y budget.Year, icb string, s dataset.Stream) Cell {
	var c Cell
	f, ok := a.Find(y, icb, s, dataset.Recurrent, "")
	if !ok {
		return c.withTotal()
	}
	c.Formula, c.Status, c.whole = f.Money(), f.Status, f.WholeStatus()
	for _, it := range a.Items(y, icb, s, dataset.RecurrentAddition) {
		c.Additions = c.Additions.Add(it.Money())
		c.Status, c.whole = c.Status.Worst(it.Status), c.whole.Worst(it.WholeStatus())
	}
	for _, it := range a.Items(y, icb, s, dataset.NonRecurrent) {
		c.Items = append(c.Items, Item{Name: it.Item, Amount: it.Money()})
		c.Status, c.whole = c.Status.Worst(it.Status), c.whole.Worst(it.WholeStatus())
	}
	if b, ok := a.Find(y.Prev(), icb, s, dataset.AdjustedBaseline, ""); ok {
		c.Baseline = b.Money()
	}
	if g, ok := a.Find(y, icb, s, dataset.Growth, ""); ok {
		c.Growth = budget.RateOf(g.Value)
	}
	if cv, ok := a.Find(y, icb, s, dataset.Convergence, ""); ok {
		c.Convergence = cv.Value
	}
	t, ok := a.Find(y, icb, s, dataset.Target, "")
	if !ok {
		return c.withTotal()
	}
	c.HasTarget, c.Target = true, t.Money()
	c.GrownTarget = budget.MoneyFromDecimal(rule.Grow(t.Value, c.Growth.Factor(), budget.WorkingScale))
	if v, ok := a.Find(y, icb, s, dataset.DfTBefore, ""); ok {
		c.DfTBefore = v.Value
	}
	if v, ok := a.Find(y, icb, s, dataset.DfTAfter, ""); ok {
		c.DfTAfter = v.Value
	}
	return c.withTotal()
}

// TestPublishedCellsInOnePass: the one pass over the figures gives, field
// for field, the cells that looking up each figure gives: on the embedded
// data, restated on both footprints (figures split between ICBs), and with
// the figures in a random order, so that items, additions and baselines
// come before or after their year's recurrent allocation.
func TestPublishedCellsInOnePass(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	sets := map[string]*dataset.Allocations{"embedded": d.Allocations}
	for _, fp := range []string{dataset.Footprint2022, dataset.Footprint2026} {
		on, err := OnFootprint(d, fp)
		require.NoError(t, err)
		sets["footprint "+fp] = on.Allocations
	}
	figs := d.Allocations.Figures()
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(figs), func(i, j int) { figs[i], figs[j] = figs[j], figs[i] })
	shuffled, err := dataset.NewAllocations("shuffled", d.Allocations.ICBs(), figs)
	require.NoError(t, err)
	sets["shuffled"] = shuffled
	// A year without targets, whose distances from target stay out of its
	// cells, in a file that loads.
	var edited []dataset.Figure
	var dropped budget.Year
	for _, f := range d.Allocations.Figures() {
		if f.Measure == dataset.Target && f.Stream == dataset.Core && (dropped == budget.Year{} || f.Year == dropped) {
			dropped = f.Year
			continue
		}
		edited = append(edited, f)
	}
	sets["no targets in "+dropped.String()], err = dataset.NewAllocations("edited", d.Allocations.ICBs(), edited)
	require.NoError(t, err)
	for name, a := range sets {
		got := publishedCells(a)
		k, items, targets, empty := 0, 0, 0, 0
		for _, icb := range a.ICBs() {
			for _, y := range a.Span().Years() {
				for _, st := range dataset.Streams() {
					want := cellByLookup(a, y, icb.Code, st)
					if !reflect.DeepEqual(got[k], want) {
						t.Fatalf("%s: %s %s %s:\n got %+v\nwant %+v", name, icb.Code, y, st, got[k], want)
					}
					if len(want.Items) > 1 {
						items++
					}
					if want.HasTarget {
						targets++
					}
					if !want.Exists() {
						empty++
					}
					k++
				}
			}
		}
		require.Equal(t, len(got), k, name)
		// The data has cells of each kind: several items, a target, none.
		require.Positive(t, items, name)
		require.Positive(t, targets, name)
		require.Positive(t, empty, name)
	}
}
