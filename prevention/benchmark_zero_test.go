package prevention_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
)

// TestBenchmarksRefuseZeroDivisors: a user's data with the grant's totals
// at zero, or England's resident population at zero (which loads, and
// -unreconciled lets through), is refused by the benchmarks with an error
// naming the figure and the year, wrapping ErrZero, rather than a panic
// dividing by it.
func TestBenchmarksRefuseZeroDivisors(t *testing.T) {
	emb, err := dataset.Embedded()
	require.NoError(t, err)
	bms, err := dataset.EmbeddedBenchmarks()
	require.NoError(t, err)

	var g bytes.Buffer
	require.NoError(t, emb.Grant.Write(&g))
	grant, err := dataset.ReadGrant(strings.NewReader(zeroed(t, g.String(), "measure", "total")), "grant.csv")
	require.NoError(t, err)
	var p bytes.Buffer
	require.NoError(t, emb.Populations.Write(&p))
	pops, err := dataset.ReadPopulations(strings.NewReader(zeroedWhere(t, p.String(), map[string]string{"area_code": "ENG", "measure": "resident"})), "populations.csv")
	require.NoError(t, err)

	for name, c := range map[string]struct {
		edit func(d *dataset.Data)
		says string
	}{
		"grant":      {func(d *dataset.Data) { d.Grant = grant }, "the public health grant in "},
		"population": {func(d *dataset.Data) { d.Populations = pops }, "England's resident population (ENG) in "},
	} {
		d := *emb
		c.edit(&d)
		_, err := prevention.ReproduceBenchmarks(&d, bms)
		require.ErrorIs(t, err, prevention.ErrZero, name)
		assert.Contains(t, err.Error(), c.says, name)
		assert.Contains(t, err.Error(), "is zero", name)
	}
}

// zeroed sets the value of every row of a CSV table whose column col is
// want to 0.
func zeroed(t *testing.T, table, col, want string) string {
	return zeroedWhere(t, table, map[string]string{col: want})
}

// zeroedWhere sets the value of every row matching all of where to 0.
func zeroedWhere(t *testing.T, table string, where map[string]string) string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	head := strings.Split(lines[0], ",")
	at := map[string]int{}
	for i, h := range head {
		at[h] = i
	}
	v, ok := at["value"]
	require.True(t, ok, "a value column")
	n := 0
	for k := 1; k < len(lines); k++ {
		cells := strings.Split(lines[k], ",")
		match := true
		for col, want := range where {
			i, ok := at[col]
			require.True(t, ok, col)
			match = match && i < len(cells) && cells[i] == want
		}
		if match {
			cells[v] = "0"
			lines[k] = strings.Join(cells, ",")
			n++
		}
	}
	require.Positive(t, n, "rows to zero")
	return strings.Join(lines, "\n") + "\n"
}
