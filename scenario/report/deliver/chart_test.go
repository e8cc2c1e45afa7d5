package deliver

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/scenario/report"
)

func TestPoundsDP(t *testing.T) {
	for _, c := range []struct {
		v        float64
		decimals int
		want     string
	}{
		{1234.5, 0, "£1,235m"},
		{1234.5, 1, "£1,234.5m"},
		{-1234567.25, 2, "-£1,234,567.25m"},
		{243.4, 1, "£243.4m"},
		{0, 0, "£0m"},
		{-0.3, 0, "£0m"},
	} {
		assert.Equal(t, c.want, poundsDP(c.v, c.decimals), "%v to %d dp", c.v, c.decimals)
	}
}

// labels are the labelled ticks of moneyTicks.
func labels(min, max, offset float64) []string {
	var out []string
	for _, t := range moneyTicks(min, max, offset) {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

// A narrow axis gets decimals so that no two labels read the same; a wide
// one gets whole £m.
func TestMoneyTicksNeverRepeatALabel(t *testing.T) {
	for _, c := range []struct{ min, max, offset float64 }{
		{-0.6, 0.6, 243.4}, // an ICB's tornado: swings under £1m
		{-0.06, 0.06, 12},
		{-12, 12, 4496},
		{0, 1700, 0},
	} {
		ls := labels(c.min, c.max, c.offset)
		require.GreaterOrEqual(t, len(ls), 2, "%+v", c)
		seen := map[string]bool{}
		for _, l := range ls {
			assert.False(t, seen[l], "label %s twice on %+v: %v", l, c, ls)
			seen[l] = true
		}
	}
	// Round steps, enough of them to read a value off: 0 to £1,700m in £250m.
	assert.Equal(t, []string{"£0m", "£250m", "£500m", "£750m", "£1,000m", "£1,250m", "£1,500m"}, labels(0, 1700, 0))
	for _, c := range [][2]float64{{0, 1}, {0, 37}, {0, 125}, {0, 9137}, {0, 25000}} {
		n := len(labels(c[0], c[1], 0))
		assert.True(t, n >= 4 && n <= 10, "%v: %d labels", c, n)
	}
}

func TestTornadoAndDrawWritePNGs(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tornado.png")
	require.NoError(t, DrawTornado(file, report.Tornado{Title: "What moves it", XLabel: "£m", Bars: []report.Bar{{Label: "growth", Low: -0.5, High: 0.6}, {Label: "share", Low: 0, High: 0}}, Central: 243.4}))
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	assert.Greater(t, img.Bounds().Dx(), 500, "wide enough for a slide")

	svg := filepath.Join(dir, "lines.svg")
	require.NoError(t, Draw(svg, report.Chart{Title: "An ICB", YLabel: "£m", Years: []string{"2024/25", "2025/26"}, FirstProjected: 1,
		Series: []report.Series{{Name: "shift", Values: []float64{1, 2}}}}))
	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.Contains(t, string(b), "An ICB")
	assert.Error(t, Draw(filepath.Join(dir, "chart.jpg"), report.Chart{Years: []string{"2024/25"}}))
	assert.ErrorIs(t, Draw(filepath.Join(dir, "empty.svg"), report.Chart{}), budget.ErrNoData, "a chart of no years")
	assert.ErrorIs(t, DrawTornado(filepath.Join(dir, "empty.svg"), report.Tornado{}), budget.ErrNoData, "a tornado of no bars")
}

// TestChartsAreChecked: a chart is drawn as it says or refused, naming
// what is wrong: a series or band not one value a year, a value that is
// not a finite number, a first projected year outside the years, a
// tornado bar that is not a number; values below zero are drawn, the axis
// running below zero (a shift of -1 pp).
func TestChartsAreChecked(t *testing.T) {
	dir := t.TempDir()
	years := []string{"2024/25", "2025/26", "2026/27"}
	ok := report.Chart{Title: "An ICB", YLabel: "£m", Years: years, FirstProjected: 2,
		Series: []report.Series{{Name: "shift", Values: []float64{-10, -20, -35}}}}
	svg := filepath.Join(dir, "negative.svg")
	require.NoError(t, Draw(svg, ok))
	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.Contains(t, string(b), "-£35.0m", "the last value's label")
	assert.Contains(t, string(b), "-£30m", "a tick below zero")
	inf := math.Inf(1)
	for _, c := range []struct {
		mutate func(*report.Chart)
		says   string
	}{
		{func(c *report.Chart) { c.Series[0].Values = []float64{1, 2} }, `series "shift": value out of range: 2 values for 3 years`},
		{func(c *report.Chart) { c.Series[0].Values = []float64{1, math.NaN(), 3} }, `series "shift" in 2025/26: NaN`},
		{func(c *report.Chart) {
			c.Band = &report.Band{Name: "P10-P90", Low: []float64{1, 2, 3}, Mid: []float64{1, 2, 3}, High: []float64{1, inf, 3}}
		}, `band "P10-P90", high in 2025/26: +Inf`},
		{func(c *report.Chart) { c.Band = &report.Band{Name: "P10-P90", Low: []float64{1}} }, `band "P10-P90", low`},
		{func(c *report.Chart) {
			c.Band = &report.Band{Name: "P10-P90", Low: []float64{1, 5, 3}, Mid: []float64{1, 2, 3}, High: []float64{1, 2, 3}}
		}, `band "P10-P90" in 2025/26: low 5, middle 2, high 2`},
		{func(c *report.Chart) { c.FirstProjected = 3 }, "first projected year 3"},
		{func(c *report.Chart) { c.FirstProjected = -2 }, "first projected year -2"},
	} {
		bad := ok
		bad.Series = []report.Series{{Name: "shift", Values: []float64{1, 2, 3}}}
		c.mutate(&bad)
		err := Draw(filepath.Join(dir, "bad.svg"), bad)
		require.ErrorIs(t, err, budget.ErrRange, c.says)
		assert.ErrorContains(t, err, c.says)
		err = Write(filepath.Join(dir, "out"), report.Deliverable{Title: "t", Chart: bad})
		assert.ErrorContains(t, err, c.says, "Write checks the chart first")
	}
	err = DrawTornado(filepath.Join(dir, "t.svg"), report.Tornado{Bars: []report.Bar{{Label: "growth", Low: math.NaN(), High: 1}}})
	require.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, `bar "growth": NaN`)
	// Numbers so large that the distance between them, or the axis's
	// room beyond them, is not finite.
	err = DrawTornado(filepath.Join(dir, "t.svg"), report.Tornado{Central: 1e308, Bars: []report.Bar{{Label: "growth", Low: -1e308, High: 1e308}}})
	require.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, "central value 1e+308")
	huge := ok
	huge.Series = []report.Series{{Name: "shift", Values: []float64{1, -1e308, 3}}}
	require.ErrorIs(t, Draw(filepath.Join(dir, "huge.svg"), huge), budget.ErrRange)
	assert.ErrorIs(t, CheckFile("chart.jpg"), budget.ErrUnknown)
}

// TestTornadoShowsBothEndsOnOneSide: where an assumption's low and high
// outputs both lie above the centre (12 and 15 around 10), the nearer bar
// is drawn over the farther, so the low value's colour shows.
func TestTornadoShowsBothEndsOnOneSide(t *testing.T) {
	file := filepath.Join(t.TempDir(), "t.svg")
	require.NoError(t, DrawTornado(file, report.Tornado{Title: "One side", XLabel: "£m", Central: 10,
		Bars: []report.Bar{{Label: "convergence pace", Low: 12, High: 15}}}))
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	svg := string(b)
	lowFill, highFill := "fill:#C8503C", "fill:#3C78BE"
	high := strings.LastIndex(svg, highFill)
	require.GreaterOrEqual(t, high, 0)
	assert.Greater(t, strings.LastIndex(svg, lowFill), high, "the low bar drawn after, over, the high bar")
}

// TestTornadoOfNoEffect: a tornado whose bars all have no effect, around
// a central value large or small, or with bars a hair from it, draws (one
// tick or the ends) rather than failing or looping.
func TestTornadoOfNoEffect(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		central, lo, hi float64
	}{{2e7, 2e7, 2e7}, {1e9, 1e9 - 1e-7, 1e9 + 1e-7}, {0, 0, 0}, {243.4, 243.4, 243.4}, {-5e12, -5e12, -5e12 + 1e-3}} {
		file := filepath.Join(dir, "t.svg")
		require.NoError(t, DrawTornado(file, report.Tornado{Title: "none", XLabel: "£m", Central: c.central,
			Bars: []report.Bar{{Label: "share", Low: c.lo, High: c.hi}}}), "%v", c)
	}
	for _, r := range [][2]float64{{5, 5}, {1e9, math.Nextafter(1e9, 2e9)}, {-1, 1}} {
		ts := niceTicks(r[0], r[1])
		assert.NotEmpty(t, ts, "%v", r)
		assert.LessOrEqual(t, len(ts), 40, "%v", r)
	}
}
