package alloc_test

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
)

// TestRecurrentGrowthReproducesPublished checks the growth NHS England
// publishes for every ICB ("Recurrent allocation growth (%)" in the core
// and PMC sheets of its allocation workbooks [S1, S2], read from the raw
// workbook cells in data/raw) against Cell.RecurrentGrowth, within 1e-6.
func TestRecurrentGrowthReproducesPublished(t *testing.T) {
	recs, col, sheets := workbookCells(t)
	p := project(t, alloc.SettlementSR2025, "2028/29")
	checked := 0
	for _, r := range recs[1:] {
		st, ok := sheets[r[col["sheet"]]]
		h := r[col["column_header"]]
		if !ok || !strings.HasSuffix(h, " Recurrent allocation growth (%)") {
			continue
		}
		y := budget.MustYear(strings.TrimSuffix(h, " Recurrent allocation growth (%)"))
		c, err := p.Cell(r[col["icb_ods_code"]], y, st)
		require.NoError(t, err)
		got, ok := c.RecurrentGrowth(st)
		require.True(t, ok, "%s %s %s", r[col["icb_ods_code"]], y, st)
		want := decimal.RequireFromString(r[col["value"]])
		assert.True(t, got.Sub(want).Abs().LessThan(decimal.New(1, -6)), "%s %s %s: %s, published %s", r[col["icb_ods_code"]], y, st, got, want)
		checked++
	}
	assert.Equal(t, 42*6, checked, "42 ICBs x (core, PMC) x three rounds")
}

// TestRecurrentPerHeadReproducesPublished checks the £ per head NHS
// England publishes for every ICB (core and PMC "Recurrent allocation
// £/head", PMC 2025/26 "Revised recurrent allocation £/head" [S1, S2],
// from the raw workbook cells) against the stated recurrent allocation over
// the registered population, within a penny; and England's core figure
// against the England row (£1,636, £1,670, £1,828.38 [S1, S2]).
func TestRecurrentPerHeadReproducesPublished(t *testing.T) {
	recs, col, sheets := workbookCells(t)
	p := project(t, alloc.SettlementSR2025, "2028/29")
	perHead := func(code string, y budget.Year, st dataset.Stream) decimal.Decimal {
		t.Helper()
		var c alloc.Cell
		var pop dataset.PopulationFigure
		var err error
		if code == "ENG" {
			c, err = p.England(y, st)
			require.NoError(t, err)
			pop, err = p.EnglandPopulation(y)
		} else {
			c, err = p.Cell(code, y, st)
			require.NoError(t, err)
			pop, err = p.Population(code, y)
		}
		require.NoError(t, err)
		ph, err := c.StatedRecurrent(st).PerHead(pop.Value)
		require.NoError(t, err)
		return ph.Decimal()
	}
	checked := 0
	for _, r := range recs[1:] {
		st, ok := sheets[r[col["sheet"]]]
		h := r[col["column_header"]]
		if !ok || !strings.HasSuffix(h, "ecurrent allocation £/head") {
			continue
		}
		y := budget.MustYear(strings.Fields(h)[0])
		got := perHead(r[col["icb_ods_code"]], y, st)
		want := decimal.RequireFromString(r[col["value"]])
		assert.True(t, got.Sub(want).Abs().LessThanOrEqual(decimal.New(1, -2)), "%s %s %s: %s, published %s", r[col["icb_ods_code"]], y, st, got, want)
		checked++
	}
	assert.Equal(t, 42*6, checked)
	for _, tc := range []struct{ year, want, tol string }{{"2023/24", "1636", "0.5"}, {"2024/25", "1670", "0.5"}, {"2025/26", "1828.38", "0.01"}} {
		got := perHead("ENG", budget.MustYear(tc.year), dataset.Core)
		assert.True(t, got.Sub(decimal.RequireFromString(tc.want)).Abs().LessThanOrEqual(decimal.RequireFromString(tc.tol)), "England %s: %s, published %s", tc.year, got, tc.want)
	}
}

// workbookCells reads the raw workbook cells (data/raw, the published
// figures the embedded data is built from), with their column positions and
// the core and PMC allocation sheets of the three rounds.
func workbookCells(t *testing.T) ([][]string, map[string]int, map[string]dataset.Stream) {
	t.Helper()
	f, err := os.Open("../dataset/data/raw/icb_allocations_long.csv")
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	sheets := map[string]dataset.Stream{
		"ICB Core Allocations 2023-24": dataset.Core, "ICB Core Allocations 2024-25": dataset.Core, "ICB Core Allocations 2025-26": dataset.Core,
		"PMC Allocations 2023-24": dataset.PMC, "PMC Allocations 2024-25": dataset.PMC, "PMC Allocation 2025-26": dataset.PMC,
	}
	return recs, col, sheets
}
