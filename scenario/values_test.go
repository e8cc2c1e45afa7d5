package scenario_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// TestResultValue: the typed accessors give the rows' figures (every ICB
// and England, cash and real, counts on either basis), window totals and
// present values, and say what is missing; they stay right when Rows are
// changed after a lookup, and are safe for concurrent use.
func TestResultValue(t *testing.T) {
	s, err := scenario.Find(params(t), "hewitt")
	require.NoError(t, err)
	res := runAll(t, []scenario.Scenario{s})[0]
	y := budget.MustYear("2028/29")
	real := res.RealBasis()
	assert.Equal(t, "real_2024_25", real.String())
	for _, row := range rowsOf(t, res) {
		if row.Period != y.String() || row.Measure != prevention.MeasureShift {
			continue
		}
		b := budget.Cash()
		if row.Basis != "cash" {
			b = real
		}
		v, st, err := res.Value(row.Area, y, prevention.MeasureShift, b)
		require.NoError(t, err)
		assert.True(t, row.Value.Equal(v), "%s %s", row.Area, row.Basis)
		assert.Equal(t, row.Status, st)
	}
	// England's 2028/29 shift and grant: the README's £1,586m and £4,577m.
	shift, err := res.Money("ENG", y, prevention.MeasureShift, budget.Cash())
	require.NoError(t, err)
	assert.Equal(t, "£1,586m", budget.Formatter{Scale: budget.ScaleMillions}.Format(shift))
	_, err = res.Money("ENG", y, prevention.MeasureShiftToGrant, budget.Cash())
	assert.ErrorIs(t, err, budget.ErrRange, "a ratio is not money")
	// The total over 2024/25-2028/29 and its present value: examples/compare's
	// hewitt figures, £4,519m and £3,455m, are these less the status quo's
	// (zero shift).
	f := budget.Formatter{Scale: budget.ScaleMillions}
	total, err := res.Window("ENG", budget.MustSpan("2024/25", "2028/29"), prevention.MeasureShift, scenario.Sum)
	require.NoError(t, err)
	assert.Equal(t, "£4,519m", f.Format(budget.MoneyFromDecimal(total)))
	pv, err := res.Window("ENG", budget.MustSpan("2024/25", "2028/29"), prevention.MeasureShift, scenario.PresentValue)
	require.NoError(t, err)
	assert.Equal(t, "£3,455m", f.Format(budget.MoneyFromDecimal(pv)))
	past, err := res.Window("ENG", budget.MustSpan("2024/25", "2028/29"), prevention.MeasureShift, scenario.Past)
	require.NoError(t, err, "2024/25 and 2025/26 in 2026/27 prices")
	assert.Equal(t, "£866m", f.Format(budget.MoneyFromDecimal(past)), "examples/compare -format csv: hewitt's prevention_shift_past")
	_, err = res.Window("ENG", budget.MustSpan("2027/28", "2028/29"), prevention.MeasureShift, scenario.Past)
	assert.ErrorContains(t, err, "no years of the window are before year 0 (2026/27)")
	_, err = res.Window("ENG", budget.MustSpan("2023/24", "2027/28"), prevention.MeasureShift, scenario.Sum)
	assert.ErrorContains(t, err, "the result's windows are 2024/25-2028/29 (Windows)")
	// The years from year 0 of a window are its present value's, not a
	// window of their own: asked for as one, the message says so.
	_, err = res.Window("ENG", budget.MustSpan("2026/27", "2028/29"), prevention.MeasureShift, scenario.Sum)
	assert.ErrorContains(t, err, "PresentValue (its years from year 0)")
	_, err = res.Window("ENG", budget.MustSpan("2024/25", "2028/29"), prevention.MeasureShift, scenario.Aggregate(9))
	assert.ErrorIs(t, err, budget.ErrUnknown)

	for _, c := range []struct {
		area    string
		year    string
		measure scenario.Measure
		want    string
	}{
		{"QQQ", "2028/29", prevention.MeasureShift, `area "QQQ" is not in the result`},
		{"ENG", "2031/32", prevention.MeasureShift, `"2031/32" is not a year of the result (2023/24-2028/29)`},
		{"ENG", "2028/29", "prevention_shfit", `measure "prevention_shfit" is not in the result for ENG in 2028/29`},
		{"ENG", "2028/29", "prevention_shift_total", "window totals and present values are read with Window"},
	} {
		_, _, err := res.Value(c.area, budget.MustYear(c.year), c.measure, budget.Cash())
		assert.ErrorIs(t, err, budget.ErrNoData)
		assert.ErrorContains(t, err, c.want)
	}
	_, err = res.Series("ENG", prevention.MeasureShare, budget.Cash())
	assert.ErrorIs(t, err, budget.ErrRange, "a share is not a series of money")
	ser, err := res.Series("ENG", prevention.MeasureShift, real)
	require.NoError(t, err)
	assert.True(t, ser.Basis().Equal(real))

	// Rows are a copy: changing them changes no later figure.
	rows := rowsOf(t, res)
	for i := range rows {
		rows[i].Value = rows[i].Value.Neg()
	}
	v, err := res.Money("ENG", y, prevention.MeasureShift, budget.Cash())
	require.NoError(t, err)
	assert.True(t, v.Equal(shift))

	var nilRes *scenario.Result
	_, _, err = nilRes.Value("ENG", y, prevention.MeasureShift, budget.Cash())
	assert.ErrorIs(t, err, budget.ErrNoData)

	// Many readers at once (run with -race).
	fresh := runAll(t, []scenario.Scenario{s})[0]
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := fresh.Money("QOP", y, prevention.MeasureGrant, real)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
}

// TestResultArea: an area by code in any case, England, or a unique part
// of its name; none or several are errors that say so.
func TestResultArea(t *testing.T) {
	s, err := scenario.Find(params(t), "hewitt")
	require.NoError(t, err)
	res := runAll(t, []scenario.Scenario{s})[0]
	for q, want := range map[string]string{"qop": "QOP", "Greater Manchester": "QOP", " essex ": "D7T5G", "England": "ENG", "ENG": "ENG"} {
		a, err := res.Area(q)
		require.NoError(t, err, q)
		assert.Equal(t, want, a.Code, q)
	}
	_, err = res.Area("narnia")
	assert.ErrorIs(t, err, budget.ErrUnknown)
	_, err = res.Area("london")
	assert.ErrorIs(t, err, dataset.ErrAmbiguous)
	assert.ErrorContains(t, err, "NHS West and North London ICB (Z9B2Z)", "the ICB of April 2026 that merged North Central and North West London")
	_, err = res.Area("")
	assert.ErrorIs(t, err, budget.ErrUnknown)
}

// TestCouncilResultArea: a council's result (Runner.Council) finds its
// council by code and name, and a figure it lacks (England's) names the
// areas it has.
func TestCouncilResultArea(t *testing.T) {
	r, res, x := hewittWithCouncils(t)
	kent, err := x.FindCouncil(dataset.Footprint2026, "kent")
	require.NoError(t, err)
	cv, err := r.Council(res, kent)
	require.NoError(t, err)
	for _, q := range []string{kent.Code, "kent", "KENT"} {
		a, err := cv.Area(q)
		require.NoError(t, err, q)
		assert.Equal(t, kent.Code, a.Code, q)
	}
	_, err = cv.Money("ENG", budget.MustYear("2028/29"), prevention.MeasureShift, budget.Cash())
	assert.ErrorContains(t, err, `area "ENG" is not in the result (it has `+kent.Code+`)`)
}

// TestCouncilOfAnotherFootprint: a council found on footprint 2022 is
// refused by a run on 2026, saying so, not by an unknown ICB.
func TestCouncilOfAnotherFootprint(t *testing.T) {
	r, res, x := hewittWithCouncils(t)
	herts, err := x.FindCouncil(dataset.Footprint2022, "hertfordshire")
	require.NoError(t, err)
	_, err = r.Council(res, herts)
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, "it is on footprint 2022 and the result on 2026")
}

// TestGoalSeekPastTheHorizon names the horizon, not the data.
func TestGoalSeekPastTheHorizon(t *testing.T) {
	s, err := scenario.Find(params(t), "hewitt")
	require.NoError(t, err)
	tgt, err := prevention.ParseTarget("grant")
	require.NoError(t, err)
	tgt.Year = budget.MustYear("2031/32")
	_, _, err = scenario.NewRunner(data(t)).GoalSeek(s, tgt)
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, "after the scenario's horizon, 2028/29")
}

// TestCompareAreas: the rows of CompareAreas are Compare's of those
// areas; an empty list is every area; a council's code that only one side
// has is unmatched, as in Compare.
func TestCompareAreas(t *testing.T) {
	r := scenario.NewRunner(data(t))
	a, err := r.Run(mustFind(t, scenario.Hewitt))
	require.NoError(t, err)
	b, err := r.Run(mustFind(t, scenario.StatusQuo))
	require.NoError(t, err)
	all, err := scenario.Compare(a, b)
	require.NoError(t, err)
	var want []scenario.CompareRow
	for _, row := range all.Rows {
		if row.Area == "ENG" || row.Area == "QE1" {
			want = append(want, row)
		}
	}
	some, err := scenario.CompareAreas(a, b, []string{"QE1", "ENG"})
	require.NoError(t, err)
	assert.Equal(t, len(want), len(some.Rows))
	got := map[string]string{}
	for _, row := range some.Rows {
		got[row.Period+row.Area+string(row.Measure)+row.Basis] = row.Delta.String()
	}
	for _, row := range want {
		assert.Equal(t, row.Delta.String(), got[row.Period+row.Area+string(row.Measure)+row.Basis])
	}
	// An area neither result has (a name, a code of the 2022 footprint) is
	// an error naming it, not an empty comparison.
	for _, bad := range []string{"essex", "QH8"} {
		_, err := scenario.CompareAreas(a, b, []string{"ENG", bad})
		assert.ErrorIs(t, err, budget.ErrNoData)
		assert.ErrorContains(t, err, `area "`+bad+`" is in neither result (ICB codes of footprint 2026`)
	}
	empty, err := scenario.CompareAreas(a, b, []string{})
	require.NoError(t, err)
	assert.Len(t, empty.Rows, len(all.Rows))
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	kent, err := x.FindCouncil(dataset.Footprint2026, "kent")
	require.NoError(t, err)
	ak, err := r.Beside(a, kent)
	require.NoError(t, err)
	mixed, err := scenario.CompareAreas(ak, b, []string{kent.Code, "ENG"})
	require.NoError(t, err)
	assert.NotEmpty(t, mixed.Unmatched, "the council's rows are only in one")
}

// hewittWithCouncils is a runner, its hewitt run and the council crosswalk.
func hewittWithCouncils(t *testing.T) (*scenario.Runner, *scenario.Result, dataset.CouncilCrosswalk) {
	t.Helper()
	s, err := scenario.Find(params(t), "hewitt")
	require.NoError(t, err)
	r := scenario.NewRunner(data(t))
	res, err := r.Run(s)
	require.NoError(t, err)
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	return r, res, x
}
