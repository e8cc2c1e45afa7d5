package report_test

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
)

// TestNewArea: England's report holds England's headline figures of the
// hewitt run (README: £1,586m by 2028/29, 0.35 of the grant), every area's
// rows, the settlement range and the assumptions with sources; an unknown
// area, a nil runner or result are errors naming what is wrong.
func TestNewArea(t *testing.T) {
	d, r, _, res := hewitt(t)

	rep, err := report.NewArea(r, res, report.Options{})
	require.NoError(t, err)
	assert.Equal(t, report.England, rep.Code())
	assert.Equal(t, "England", rep.Name())
	row, ok := rep.Row(report.England, budget.MustYear("2028/29"), prevention.MeasureShift, budget.Cash())
	require.True(t, ok)
	assert.Equal(t, "£1,586m", budget.Formatter{Scale: budget.ScaleMillions}.Format(budget.MoneyFromDecimal(row.Value)))
	_, ok = rep.Row(report.England, budget.MustYear("2028/29"), scenario.MeasureShiftLow, budget.Cash())
	assert.True(t, ok, "the low settlement's shift")
	_, ok = rep.Row("QOP", budget.MustYear("2028/29"), prevention.MeasureShift, rep.RealBasis())
	assert.True(t, ok, "every ICB when Areas is nil")
	assert.Contains(t, rep.Headline(), "£1,585.9m", "the report writes £m to one place")
	assert.Contains(t, rep.Headline(), "35%")
	assert.Empty(t, rep.QALYSentence(report.England), "the run values no health")
	var names []string
	for _, a := range rep.Assumptions() {
		names = append(names, a.Name)
	}
	assert.Contains(t, names, "reading")
	assert.Contains(t, names, "public health grant")
	d1, err := rep.Deliverable()
	require.NoError(t, err)
	assert.Equal(t, "England: the Hewitt prevention shift", d1.Title)
	assert.Len(t, d1.Sheets[0].Rows, 36+1, "All ICBs: the 36 ICBs of April 2026 and England")

	_, err = report.NewArea(r, res, report.Options{Area: "XYZ"})
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, `"XYZ"`)

	// An ICB by a part of its name; the tidy data keeps the area and
	// England even when Areas leaves them out.
	essex, err := report.NewArea(r, res, report.Options{Area: "essex", Areas: []string{"QOP"}})
	require.NoError(t, err)
	assert.Equal(t, "D7T5G", essex.Code())
	for _, area := range []string{"D7T5G", report.England, "QOP"} {
		_, ok := essex.Row(area, budget.MustYear("2028/29"), prevention.MeasureShift, budget.Cash())
		assert.True(t, ok, area)
	}
	assert.Contains(t, essex.Headline(), "£49.3m", "examples/hewitt -icb essex")

	// A council whose code is an ICB's would be read as the ICB.
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	c, err := x.FindCouncil(dataset.Footprint2026, "essex")
	require.NoError(t, err)
	c.Code = "D7T5G"
	_, err = report.NewArea(r, res, report.Options{Council: &c})
	assert.ErrorIs(t, err, budget.ErrDuplicate)

	// Another scenario's report is titled with its name.
	pys, err := scenario.Find(d.Parameters, "hewitt-per-year")
	require.NoError(t, err)
	py, err := r.Run(pys)
	require.NoError(t, err)
	other, err := report.NewArea(r, py, report.Options{})
	require.NoError(t, err)
	dv, err := other.Deliverable()
	require.NoError(t, err)
	assert.Equal(t, "England: the prevention shift of scenario hewitt-per-year", dv.Title)
	_, err = report.NewArea(nil, res, report.Options{})
	assert.ErrorIs(t, err, prevention.ErrNoData)
	_, err = report.NewArea(r, nil, report.Options{})
	assert.ErrorIs(t, err, prevention.ErrNoData)
}

// TestReportGuards: what a code review found reachable from the public
// API is an error naming what is wrong, not a panic or a report of NaNs.
func TestReportGuards(t *testing.T) {
	d, r, s, res := hewitt(t)

	// Areas by name, and a council's own code among them, are taken.
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	kent, err := x.FindCouncil(dataset.Footprint2026, "kent")
	require.NoError(t, err)
	rep, err := report.NewArea(r, res, report.Options{Council: &kent, Areas: []string{kent.Code, "greater manchester"}})
	require.NoError(t, err)
	_, ok := rep.Row("QOP", budget.MustYear("2028/29"), prevention.MeasureShift, budget.Cash())
	assert.True(t, ok, "an area given by name")
	_, err = report.NewArea(r, res, report.Options{Areas: []string{"narnia"}})
	assert.ErrorIs(t, err, budget.ErrUnknown)

	// A comparison with no results, or of results of different horizons.
	_, err = report.Comparison(d, nil, res, nil, report.England)
	assert.ErrorIs(t, err, budget.ErrNoData)
	_, err = report.ComparisonChart(nil, report.England)
	assert.ErrorIs(t, err, budget.ErrNoData)
	later := s
	later.Horizon = budget.MustYear("2031/32")
	res2, err := r.Run(later)
	require.NoError(t, err)
	_, err = report.Comparison(d, []*scenario.Result{res, res2}, res, nil, report.England)
	assert.ErrorIs(t, err, budget.ErrSpanMismatch)

	// Bands of an area the simulation lacks, a nil simulation, no tornado.
	sim, err := r.Simulate(s, &scenario.SimSettings{Draws: 50})
	require.NoError(t, err)
	rds, err := r.Readings(s, report.England, nil)
	require.NoError(t, err)
	_, err = report.Bands(d, sim, "QE1", rds, nil)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.ErrorContains(t, err, `area "QE1"`)
	_, err = report.Bands(d, sim, report.England, rds, nil)
	assert.NoError(t, err)
	_, err = report.FanChart(nil, report.England)
	assert.ErrorIs(t, err, budget.ErrNoData)
	_, err = report.TornadoChart(nil)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.Empty(t, report.QALYBands(nil, report.England))
	assert.Empty(t, report.GrantYears(nil))
	assert.Empty(t, report.GrantYears(&prevention.CouncilView{}))
	assert.Empty(t, report.CouncilNote(nil, report.England))
	assert.ErrorIs(t, report.BandsText(io.Discard, d.Parameters, nil, report.England, rds, nil), budget.ErrNoData)

	// An Area NewArea did not make, nil or zero, has nothing to write.
	for _, a := range []*report.Area{nil, {}} {
		assert.ErrorIs(t, a.WriteText(io.Discard), budget.ErrNoData)
		_, err := a.Deliverable()
		assert.ErrorIs(t, err, budget.ErrNoData)
		_, err = a.Chart()
		assert.ErrorIs(t, err, budget.ErrNoData)
		assert.Empty(t, a.Headline())
		assert.Empty(t, a.Assumptions())
		_, ok := a.Window(report.England, budget.MustSpan("2024/25", "2028/29"), prevention.MeasureShift, scenario.Sum)
		assert.False(t, ok)
	}

	// Comparison text of results not run, or of an area they lack.
	comp, err := scenario.CompareAreas(res, res, []string{report.England})
	require.NoError(t, err)
	one := []*scenario.Comparison{comp}
	assert.ErrorIs(t, report.ComparisonText(io.Discard, d.Parameters, []*scenario.Result{{}}, &scenario.Result{}, one, []string{report.England}, ""), budget.ErrNoData)
	assert.ErrorIs(t, report.ComparisonText(io.Discard, d.Parameters, []*scenario.Result{res}, res, one, []string{"ZZZ", report.England}, ""), budget.ErrUnknown)
	assert.NoError(t, report.ComparisonText(io.Discard, d.Parameters, []*scenario.Result{res}, res, one, []string{report.England}, ""))

	// A replay not made by alloc.ReplayRound.
	assert.ErrorIs(t, report.ReplayText(io.Discard, alloc.Replay{}), budget.ErrNoData)
}

// hewitt is the embedded data, a runner on it, the hewitt scenario and its run.
func hewitt(t *testing.T) (*dataset.Data, *scenario.Runner, scenario.Scenario, *scenario.Result) {
	t.Helper()
	d, err := dataset.Embedded()
	require.NoError(t, err)
	r := scenario.NewRunner(d)
	s, err := scenario.Find(d.Parameters, "hewitt")
	require.NoError(t, err)
	res, err := r.Run(s)
	require.NoError(t, err)
	return d, r, s, res
}
