package scenario

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// TestTablesOfSomeAreasMadeOnce: the tables of a set of areas are made
// once and kept (a comparison's base is read for each scenario compared
// with it), up to maxSomeTables sets; past that they are made afresh and
// not kept, so memory is bounded.
func TestTablesOfSomeAreasMadeOnce(t *testing.T) {
	builds := 0
	tb := newTables(func(areas []string) ([]budget.Row, []budget.Row, error) {
		builds++
		return []budget.Row{{Area: areas[0]}}, nil, nil
	})
	a, _, err := tb.of([]string{"ENG"})
	require.NoError(t, err)
	b, _, err := tb.of([]string{"ENG"})
	require.NoError(t, err)
	assert.Equal(t, 1, builds)
	assert.Same(t, &a[0], &b[0])
	_, _, err = tb.of([]string{"QWE", "ENG"})
	require.NoError(t, err)
	assert.Equal(t, 2, builds)

	for i := range maxSomeTables + 10 {
		_, _, err := tb.of([]string{strconv.Itoa(i)})
		require.NoError(t, err)
	}
	assert.Len(t, tb.some, maxSomeTables)
	n := builds
	_, _, err = tb.of([]string{strconv.Itoa(maxSomeTables + 5)})
	require.NoError(t, err)
	assert.Equal(t, n+1, builds, "a set past the bound is made afresh")
}
