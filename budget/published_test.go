package budget_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// rawCells reads NHS England's workbook cells from the raw long file the
// embedded allocations are built from: (ICB, sheet, header) -> value.
func rawCells(t *testing.T) map[[3]string]decimal.Decimal {
	t.Helper()
	f, err := os.Open(filepath.Join("data", "raw", "icb_allocations_long.csv"))
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	out := map[[3]string]decimal.Decimal{}
	for _, r := range recs[1:] {
		v, err := decimal.NewFromString(r[col["value"]])
		require.NoError(t, err)
		if r[col["unit"]] == "GBP_thousands" {
			v = v.Shift(3)
		}
		out[[3]string{r[col["icb_ods_code"]], r[col["sheet"]], r[col["column_header"]]}] = v
	}
	return out
}

// TestPublishedRowsArePublishedCells walks every allocation row marked
// published, for every ICB of the rounds' own footprint, each stream and
// year as first published, and finds the workbook cell it claims to be
// [S1, S2]: money to the pound, fractions exactly. A row that is a sum of
// cells must not be marked published.
func TestPublishedRowsArePublishedCells(t *testing.T) {
	d := embeddedData(t)
	cells := rawCells(t)
	type where struct{ sheet, header string }
	// The workbook cell of each stream, year and measure.
	core := func(y, prev, sheet, total, before string) map[string]where {
		return map[string]where{
			"recurrent_allocation":        {sheet, y + " Recurrent allocation (£k)"},
			"total_allocation":            {sheet, total},
			"convergence":                 {sheet, y + " Convergence (%)"},
			"distance_from_target_before": {sheet, before},
			"distance_from_target_after":  {sheet, y + " Post-convergence distance from target (%)"},
		}
	}
	pmc := func(y, prev, sheet, recurrent string) map[string]where {
		return map[string]where{
			"recurrent_allocation":        {sheet, recurrent},
			"total_allocation":            {sheet, recurrent},
			"convergence":                 {sheet, y + " Convergence (%)"},
			"distance_from_target_before": {sheet, prev + " Distance from target (%)"},
			"distance_from_target_after":  {sheet, y + " Post-convergence distance from target (%)"},
		}
	}
	want := map[budget.Stream]map[string]map[string]where{
		budget.Core: {
			"2022/23": {"recurrent_allocation": {"ICB Core Baseline 2023-24", "2022/23 Recurrent baseline (£k)"}},
			"2023/24": core("2023/24", "2022/23", "ICB Core Allocations 2023-24",
				"2023/24 Combined allocation (inc. COVID, additional elective, discharge, and capacity) (£k)", "2022/23 Distance from target (%)"),
			"2024/25": core("2024/25", "2023/24", "ICB Core Allocations 2024-25",
				"2024/25 Combined allocation (inc. COVID, additional elective and discharge) (£k)", "2023/24 Distance from target inc COVID (%)"),
			"2025/26": core("2025/26", "2024/25", "ICB Core Allocations 2025-26", "2025/26 Total allocation (£k)", "2024/25 Distance from target (%)"),
		},
		budget.PMC: {
			"2022/23": {"recurrent_allocation": {"PMC Baseline 2023-24", "2022/23 Recurrent baseline (£k)"}, "total_allocation": {"PMC Baseline 2023-24", "2022/23 Recurrent baseline (£k)"}},
			"2023/24": pmc("2023/24", "2022/23", "PMC Allocations 2023-24", "2023/24 Recurrent allocation (£k)"),
			"2024/25": pmc("2024/25", "2023/24", "PMC Allocations 2024-25", "2024/25 Recurrent allocation (£k)"),
			"2025/26": pmc("2025/26", "2024/25", "PMC Allocation 2025-26", "Revised recurrent allocation (£k)"),
		},
		budget.POD: {
			"2022/23": {"recurrent_allocation": {"Other Primary Care", "2022/23 Recurrent baseline £k"}, "total_allocation": {"Other Primary Care", "2022/23 Recurrent baseline £k"}},
			"2023/24": {"recurrent_allocation": {"Other Primary Care", "2023/24 Recurrent allocation £k"}, "total_allocation": {"Other Primary Care", "2023/24 Recurrent allocation £k"}},
			"2024/25": {"recurrent_allocation": {"Other Primary Care", "2024/25 Recurrent allocation £k"}, "total_allocation": {"Other Primary Care", "2024/25 Recurrent allocation £k"}},
			"2025/26": {"recurrent_allocation": {"POD Allocation 2025-26", "2025/26 Recurrent allocation (£k)"}, "total_allocation": {"POD Allocation 2025-26", "2025/26 Total allocation (£k)"},
				"non_recurrent_allocation": {"POD Allocation 2025-26", "Community LFD testing (£k)"}},
		},
		budget.Specialised: {
			"2025/26": {
				"recurrent_allocation":        {"Specialised Allocations 2025-26", "2025/26 Physical health services + HCDD recurrent allocation (£k)"},
				"total_allocation":            {"Specialised Allocations 2025-26", "2025/26 Physical health services + MH resource allocation (£k)"},
				"convergence":                 {"Specialised Allocations 2025-26", "2025/26 Convergence (%)"},
				"distance_from_target_before": {"Specialised Allocations 2025-26", "2024/25 Distance from target (%)"},
				"distance_from_target_after":  {"Specialised Allocations 2025-26", "2025/26 Post-convergence distance from target (%)"},
			},
		},
		budget.RCA: {
			"2023/24": {"recurrent_allocation": {"ICB running cost allowance", "2023/24 £k"}, "total_allocation": {"ICB running cost allowance", "2023/24 £k"}},
			"2024/25": {"recurrent_allocation": {"ICB running cost allowance", "2024/25 £k"}, "total_allocation": {"ICB running cost allowance", "2024/25 £k"}},
			"2025/26": {"recurrent_allocation": {"ICB running cost allowance", "2025/26 (£k)"}, "total_allocation": {"ICB running cost allowance", "2025/26 (£k)"}},
		},
	}
	s, err := budget.DefaultSettlement(d)
	require.NoError(t, err)
	checked := 0
	for _, b := range []budget.AllocationBasis{{Vintage: budget.AsPublished}, budget.DefaultBasis()} {
		p, err := budget.ProjectOn(d.Allocations, d.Populations, s, d.Allocations.Span().Last(), b)
		require.NoError(t, err)
		for _, st := range budget.Streams() {
			rows, err := p.AllocationRows("t", []budget.Stream{st}, p.Span(), nil)
			require.NoError(t, err)
			for _, r := range rows {
				if r.Status != budget.Published || r.Area == "ENG" {
					continue
				}
				w, ok := want[st][r.Period][r.Measure]
				if !assert.True(t, ok, "%s %s %s %s %s is marked published: which cell is it?", b, r.Area, r.Period, st, r.Measure) {
					continue
				}
				v, ok := cells[[3]string{r.Area, w.sheet, w.header}]
				require.True(t, ok, "no cell %s / %s for %s", w.sheet, w.header, r.Area)
				if r.Unit == budget.UnitGBP {
					assert.True(t, r.Value.Sub(v).Abs().LessThan(decimal.NewFromInt(1)), "%s %s %s %s %s: row %s, cell %s / %s %s",
						b, r.Area, r.Period, st, r.Measure, r.Value, w.sheet, w.header, v)
				} else {
					assert.True(t, r.Value.Equal(v), "%s %s %s %s %s: row %s, cell %s", b, r.Area, r.Period, st, r.Measure, r.Value, v)
				}
				checked++
			}
		}
		// Several streams added together are never a published cell.
		rows, err := p.AllocationRows("t", []budget.Stream{budget.Core, budget.PMC, budget.POD}, p.Span(), nil)
		require.NoError(t, err)
		for _, r := range rows {
			assert.NotEqual(t, budget.Published, r.Status, "%s %s %s", r.Area, r.Period, r.Measure)
		}
	}
	// Most of the rounds' ICB rows are published cells: 71 an ICB over the
	// two bases. (Sums of several cells, such as core's recurrent allocation
	// with its items, are derived and not walked.)
	assert.Equal(t, 42*71, checked, "published rows checked")
}
