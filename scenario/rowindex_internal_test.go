package scenario

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// indexRows are rows of every key of a few periods, areas, measures and
// bases, in the order a result's tables have them (period, then area,
// then measure), each valued at its position; populations have no price
// basis ("none").
func indexRows() []budget.Row {
	var rows []budget.Row
	for _, period := range []string{"2024/25", "2025/26", "2024/25-2028/29"} {
		for _, area := range []string{"ENG", "QWE", "QMM"} {
			for _, m := range []Measure{"shift", "grant", "registered"} {
				bases := []string{"cash", "real_2024_25"}
				if m == "registered" {
					bases = []string{"none"}
				}
				for _, b := range bases {
					rows = append(rows, budget.Row{Period: period, Area: area, Measure: m, Basis: b, Value: decimal.NewFromInt(int64(len(rows)))})
				}
			}
		}
	}
	return rows
}

// TestRowIndexFindsEveryRow: every row is found by its key, through the
// index, at its own position; keys the rows lack are not found; a figure
// with no price basis is found on any basis.
func TestRowIndexFindsEveryRow(t *testing.T) {
	rows := indexRows()
	sets := [][]budget.Row{rows[:20], rows[20:]} // as a result's Rows and Summary
	ix := &rowIndex{}
	for i, r := range rows {
		at, ok := ix.at(rowSets(sets), keyOf(r))
		require.True(t, ok, "row %d %v", i, keyOf(r))
		assert.Equal(t, i, at, "row %d", i)
	}
	got, ok := ix.find(sets, "2025/26", "QMM", "registered", budget.Cash(), true)
	require.True(t, ok, "a count found on the cash basis through \"none\"")
	assert.Equal(t, "2025/26 QMM registered none", keyOf(got).String())
	assert.Len(t, ix.pos, len(rows), "every row indexed once")
	for _, k := range []rowKey{
		{"2026/27", "ENG", "shift", "cash"},
		{"2024/25", "QXX", "shift", "cash"},
		{"2024/25", "ENG", "moved", "cash"},
	} {
		_, ok := ix.find(sets, k.period, k.area, k.measure, budget.Cash(), true)
		assert.False(t, ok, "%v", k)
	}
}

// TestComparisonFindsChangedRows: a Comparison's rows can change after its
// index is made, and a Comparison can be made by hand (no index): rows
// the index misses are looked through, and a duplicate key appended after
// the index was made finds the first row either way. (Had the first row's
// key been edited into a duplicate instead, the index, built on the rows
// as they were, would find the other row.)
func TestComparisonFindsChangedRows(t *testing.T) {
	var crs []CompareRow
	for _, r := range indexRows() {
		crs = append(crs, CompareRow{Row: r})
	}
	c := &Comparison{Rows: crs, index: &rowIndex{}}
	y := budget.MustYear("2025/26")
	got, ok := c.Value("QWE", y, "grant", budget.Cash())
	require.True(t, ok)
	assert.Equal(t, "2025/26 QWE grant cash", keyOf(got.Row).String())

	// A row's key changed after the index was made.
	i := indexOf(c.Rows, rowKey{"2025/26", "QWE", "grant", "cash"})
	c.Rows[i].Measure = "grant_changed"
	_, ok = c.Value("QWE", y, "grant", budget.Cash())
	assert.False(t, ok)
	got, ok = c.Value("QWE", y, "grant_changed", budget.Cash())
	require.True(t, ok, "found by looking through")
	assert.Equal(t, c.Rows[i], got)

	// A duplicate key appended: the first row, through the index or by hand.
	dup := c.Rows[0]
	dup.Value = decimal.NewFromInt(-1)
	c.Rows = append(c.Rows, dup)
	first, ok := c.Value("ENG", budget.MustYear("2024/25"), "shift", budget.Cash())
	require.True(t, ok)
	assert.Equal(t, c.Rows[0], first)
	byHand := &Comparison{Rows: c.Rows}
	first, ok = byHand.Value("ENG", budget.MustYear("2024/25"), "shift", budget.Cash())
	require.True(t, ok)
	assert.Equal(t, c.Rows[0], first)

	// Rows cut short after the index was made.
	c.Rows = c.Rows[:5]
	_, ok = c.Value("QMM", y, "registered", budget.Cash())
	assert.False(t, ok)
	got, ok = c.Value("ENG", budget.MustYear("2024/25"), "registered", budget.Cash())
	require.True(t, ok, "a count found on the cash basis through \"none\"")
	assert.Equal(t, c.Rows[4], got)
}

// countedRows counts the rows read.
type countedRows struct {
	compareRows
	reads *int
}

func (c countedRows) row(i int) *budget.Row { *c.reads++; return c.compareRows.row(i) }

// TestLookupAsksTheIndexOnBothBases: a count with no price basis ("none"),
// asked for on cash in rows that may change, is found through the index,
// reading a few rows, not by a pass over every row on cash first.
func TestLookupAsksTheIndexOnBothBases(t *testing.T) {
	var crs compareRows
	for _, r := range indexRows() {
		crs = append(crs, CompareRow{Row: r})
	}
	reads := 0
	rs := countedRows{crs, &reads}
	ix := &rowIndex{}
	_, ok := ix.lookup(rs, "2024/25", "ENG", "shift", budget.Cash(), false) // builds the index
	require.True(t, ok)
	reads = 0
	i, ok := ix.lookup(rs, "2025/26", "QMM", "registered", budget.Cash(), false)
	require.True(t, ok)
	assert.Equal(t, "2025/26 QMM registered none", keyOf(crs[i].Row).String())
	assert.LessOrEqual(t, reads, 8, "rows read: its group of three periods, on each basis")

	// A key the index misses in rows that may change is looked for in
	// every row, on both bases.
	reads = 0
	_, ok = ix.lookup(rs, "2030/31", "QMM", "registered", budget.Cash(), false)
	assert.False(t, ok)
	assert.GreaterOrEqual(t, reads, 2*len(crs), "rows read")
}

func indexOf(rows []CompareRow, k rowKey) int {
	for i, r := range rows {
		if keyOf(r.Row) == k {
			return i
		}
	}
	panic(fmt.Sprint("no row ", k))
}
