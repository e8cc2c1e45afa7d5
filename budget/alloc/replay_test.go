package alloc_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
)

// TestReplayPublishedRounds recomputes each published round from the
// previous year's adjusted baselines, the published targets and growth, and
// the observed policy, and compares every ICB with the published recurrent
// allocation [S1, S2]. The published convergence parameters are rounded and
// not stated, so the bar is 0.05% (issue: "within 0.05%"), with tighter
// bars where the policy reproduces a round exactly.
func TestReplayPublishedRounds(t *testing.T) {
	d := embeddedData(t)
	a := d.Allocations
	for _, tc := range []struct {
		stream dataset.Stream
		round  string
		maxRel string // largest |recomputed/published - 1| allowed
		engDfT string // published England distance from target after convergence, per cent
		engTol string // tolerance on it, percentage points
	}{
		// England DfT after: 2.79% (2023/24), 1.66% (2024/25), 1.65% (2025/26),
		// published to 2 dp in national_totals.csv / allocation_method.md [S1, S2].
		{dataset.Core, "2023/24", "0.000001", "2.79", "0.005"},
		{dataset.Core, "2024/25", "0.000001", "1.66", "0.005"},
		{dataset.Core, "2025/26", "0.0005", "1.65", "0.005"},
		{dataset.PMC, "2023/24", "0.000001", "", ""},
		{dataset.PMC, "2024/25", "0.0005", "", ""},
		{dataset.PMC, "2025/26", "0.0005", "", ""},
		{dataset.Specialised, "2025/26", "0.0005", "", ""},
	} {
		t.Run(tc.stream.String()+" "+tc.round, func(t *testing.T) {
			round := budget.MustYear(tc.round)
			p, err := alloc.ObservedPolicy(d.Parameters, tc.stream, round)
			require.NoError(t, err)
			r, err := alloc.ReplayRound(a, tc.stream, round, p)
			require.NoError(t, err)
			require.Len(t, r.Rows, 42)
			worst, max := r.MaxRelativeDifference()
			assert.True(t, max.LessThanOrEqual(decimal.RequireFromString(tc.maxRel)),
				"largest difference %s%% at %s (recomputed %s, published %s)", max.Shift(2).StringFixed(4), worst.ICB.Code, worst.Recurrent, worst.Published)
			if tc.engDfT != "" {
				got := r.England.DfTAfter.Shift(2)
				assert.True(t, got.Sub(decimal.RequireFromString(tc.engDfT)).Abs().LessThanOrEqual(decimal.RequireFromString(tc.engTol)),
					"England DfT after %s%%, published %s%%", got.StringFixed(3), tc.engDfT)
			}
		})
	}
}

func TestConvergencePolicy(t *testing.T) {
	params := embeddedData(t).Parameters
	p, err := alloc.ConvergencePolicyNamed(params, "core-2025/26")
	require.NoError(t, err)
	d := decimal.RequireFromString
	for _, tc := range []struct{ dft, want string }{
		{"0.0699", "-0.005"},  // Sussex, 6.99% over: capped at -0.50 pp [allocation_method.md]
		{"-0.0495", "0.005"},  // Birmingham and Solihull, 4.95% under: +0.50 pp
		{"0.0245", "-0.0049"}, // Kent and Medway, 2.45% over: -0.49 pp
		{"0", "0"},
	} {
		assert.Equal(t, d(tc.want).String(), p.Adjustment(d(tc.dft)).Normalize().String(), tc.dft)
	}
	bad := alloc.ConvergencePolicy{Name: "bad", AboveFraction: d("1.5"), AboveCap: d("-0.01"), BelowFraction: d("0.2"), BelowCap: d("0.01")}
	err = bad.Validate()
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), "above_fraction")
	assert.Contains(t, err.Error(), "above_cap", "every problem is reported at once")

	_, err = alloc.Converge(budget.Pounds(100), budget.Pounds(0), budget.MustRate("0.03"), p)
	assert.ErrorIs(t, err, budget.ErrRange)
	_, err = alloc.Converge(budget.Pounds(-1), budget.Pounds(100), budget.MustRate("0.03"), p)
	assert.ErrorIs(t, err, budget.ErrNegative)
	_, err = alloc.ObservedPolicy(params, dataset.POD, budget.MustYear("2025/26"))
	assert.ErrorIs(t, err, budget.ErrNoData)
	_, err = alloc.ConvergencePolicyNamed(params, "core-2030/31")
	assert.ErrorIs(t, err, budget.ErrNoData)
	none, err := alloc.ConvergencePolicyNamed(params, "none")
	require.NoError(t, err)
	assert.True(t, none.Adjustment(d("0.5")).IsZero())
}
