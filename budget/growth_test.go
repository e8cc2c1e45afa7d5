package budget_test

import (
	"encoding/csv"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// TestRecurrentGrowthReproducesPublished checks the growth NHS England
// publishes for every ICB ("Recurrent allocation growth (%)" in the core
// and PMC sheets of its allocation workbooks [S1, S2], read from the raw
// workbook cells in data/raw) against Cell.RecurrentGrowth, within 1e-6.
func TestRecurrentGrowthReproducesPublished(t *testing.T) {
	f, err := os.Open("data/raw/icb_allocations_long.csv")
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	sheets := map[string]budget.Stream{
		"ICB Core Allocations 2023-24": budget.Core, "ICB Core Allocations 2024-25": budget.Core, "ICB Core Allocations 2025-26": budget.Core,
		"PMC Allocations 2023-24": budget.PMC, "PMC Allocations 2024-25": budget.PMC, "PMC Allocation 2025-26": budget.PMC,
	}
	p := project(t, budget.SettlementSR2025, "2028/29")
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
