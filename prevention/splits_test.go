package prevention_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
)

// TestGrantSplitsAreTheSplits: a split shared by GrantSplits is the one
// ApportionWithShares makes, in value and in scale, for every set of
// arguments, however they are interleaved; a total, a population or a
// share that differs only in its scale is another split; the slices
// returned are the caller's.
func TestGrantSplitsAreTheSplits(t *testing.T) {
	gm := publishedShares(t)
	codes := []string{"QE1", "QOP", "QSL"}
	pops := []budget.Population{budget.People(1000), budget.People(3000), budget.People(1000)}
	scaled := []budget.Population{budget.People(1000), mustPop(t, "3000.0"), budget.People(1000)}
	other := []budget.Population{budget.People(1000), budget.People(3001), budget.People(1000)}
	// £4,577,230,994.45: England's grant in 2025/26 (grant.csv).
	totals := []budget.Money{budget.MustMoney("4577230994.45"), budget.MustMoney("4577230994.450"), budget.MustMoney("4577230994.46"), budget.MustMoney("100")}
	type call struct {
		total  budget.Money
		codes  []string
		pops   []budget.Population
		shares []prevention.ICBGrantShare
	}
	var calls []call
	for _, total := range totals {
		for _, p := range [][]budget.Population{pops, scaled, other} {
			for _, sh := range [][]prevention.ICBGrantShare{nil, gm} {
				calls = append(calls, call{total, codes, p, sh}, call{total, []string{"QSL", "QOP", "QE1"}, p, sh})
			}
		}
	}
	var g prevention.GrantSplits
	for pass := range 2 { // the first makes each split, the second finds it
		for i, c := range calls {
			want, wantFixed, err := prevention.ApportionWithShares(c.total, c.codes, c.pops, c.shares)
			require.NoError(t, err)
			got, fixed, err := g.Apportion(c.total, c.codes, c.pops, c.shares)
			require.NoError(t, err)
			assert.Equal(t, money(want), money(got), "pass %d, call %d", pass, i)
			assert.Equal(t, wantFixed, fixed, "pass %d, call %d", pass, i)
			got[0], fixed[0] = budget.MustMoney("-1"), !fixed[0] // the caller's to change
		}
	}
	// Errors are ApportionWithShares' own.
	_, _, err := g.Apportion(budget.MustMoney("-5.55"), codes, pops, nil)
	require.ErrorIs(t, err, prevention.ErrRange)
	_, _, err = g.Apportion(totals[0], codes, pops[:2], nil)
	require.ErrorIs(t, err, budget.ErrRange)
	// A nil GrantSplits makes each split.
	var none *prevention.GrantSplits
	got, _, err := none.Apportion(totals[0], codes, pops, gm)
	require.NoError(t, err)
	want, _, err := prevention.ApportionWithShares(totals[0], codes, pops, gm)
	require.NoError(t, err)
	assert.Equal(t, money(want), money(got))
}

// TestGrantSplitsConcurrent: runs sharing splits at once get the figures
// of runs that share nothing (go test -race checks the sharing).
func TestGrantSplitsConcurrent(t *testing.T) {
	in, m := embedded(t)
	in.ICBGrantShares = publishedShares(t)
	alone, err := prevention.Run(in, m)
	require.NoError(t, err)
	want, err := alone.Rows("t", nil)
	require.NoError(t, err)
	in.Splits = &prevention.GrantSplits{}
	var wg sync.WaitGroup
	got := make([][]budget.Row, 4)
	errs := make([]error, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := prevention.Run(in, m)
			if err == nil {
				got[i], err = r.Rows("t", nil)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i := range got {
		require.NoError(t, errs[i])
		require.Equal(t, len(want), len(got[i]))
		for k := range want {
			require.Equal(t, fmt.Sprint(want[k]), fmt.Sprint(got[i][k]), "run %d, row %d", i, k)
		}
	}
}

// publishedShares is the published Greater Manchester share (PHG-10).
func publishedShares(t *testing.T) []prevention.ICBGrantShare {
	t.Helper()
	d, err := dataset.Embedded()
	require.NoError(t, err)
	shares, err := prevention.PublishedICBGrantShares(d.Grant)
	require.NoError(t, err)
	require.Len(t, shares, 1)
	return shares
}

// money writes amounts with their scale.
func money(ms []budget.Money) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Decimal().String()
	}
	return out
}

func mustPop(t *testing.T, s string) budget.Population {
	t.Helper()
	p, err := budget.ParsePopulation(s)
	require.NoError(t, err)
	return p
}
