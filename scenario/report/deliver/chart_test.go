package deliver

import (
	"fmt"
	"image"
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
	// Every label reads its tick's value: a step of £2.5m (Bath and North
	// East Somerset's grant, hewitt -council E06000022, £0m to £15m) is
	// labelled to a decimal, £7.5m not £8m; £0.25m to two.
	assert.Equal(t, []string{"£0.0m", "£2.5m", "£5.0m", "£7.5m", "£10.0m", "£12.5m", "£15.0m"}, labels(0, 16.2, 0))
	assert.Equal(t, []string{"£0.00m", "£0.25m", "£0.50m", "£0.75m", "£1.00m", "£1.25m", "£1.50m"}, labels(0, 1.62, 0))
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

// inked reports whether img has a pixel that is not white within px of its
// edge.
func inked(img image.Image, px int) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if x >= b.Min.X+px && x < b.Max.X-px && y >= b.Min.Y+px && y < b.Max.Y-px {
				continue
			}
			if r, g, bl, _ := img.At(x, y).RGBA(); r != 0xffff || g != 0xffff || bl != 0xffff {
				return true
			}
		}
	}
	return false
}

// TestChartsStayInsideThePicture: what would run off the picture is kept
// in its margin (6 points, 16 pixels at 192 dots an inch, of which the
// outer 12 stay white): a title, footnote or axis label of hundreds of
// characters, with or without spaces, is wrapped, breaking a word where
// it must; long legend labels wrap, and many series take two columns; a
// long x label and the last values of 30 years stay in; a tornado's long
// assumption wraps. What cannot fit (60 series, 40 assumptions) is an
// error saying so, and leaves the file as it was.
func TestChartsStayInsideThePicture(t *testing.T) {
	dir := t.TempDir()
	years := func(n int) []string {
		ys := make([]string, n)
		for i := range ys {
			ys[i] = fmt.Sprintf("%d/%02d", 2000+i, (i+1)%100)
		}
		return ys
	}
	ramp := func(n int, top float64) []float64 {
		vs := make([]float64, n)
		for i := range vs {
			vs[i] = top * float64(i+1) / float64(n)
		}
		return vs
	}
	series := func(n, years int, name string) []report.Series {
		ss := make([]report.Series, n)
		for i := range ss {
			ss[i] = report.Series{Name: fmt.Sprintf("%s %d", name, i), Values: ramp(years, 100*float64(i+1)), Dashed: i%2 == 1}
		}
		return ss
	}
	long := strings.Repeat("x", 400)
	words := strings.Repeat("the prevention shift ", 20)
	ok := func(c report.Chart) report.Chart {
		if c.Years == nil {
			c.Years = years(6)
		}
		if c.Series == nil {
			c.Series = series(2, len(c.Years), "shift")
		}
		return c
	}
	for name, c := range map[string]report.Chart{
		"a title of 400 letters":      ok(report.Chart{Title: long}),
		"a footnote of 400 letters":   ok(report.Chart{Footnote: long}),
		"a title of many lines":       ok(report.Chart{Title: "one\ntwo\nthree\nfour"}),
		"an axis label of 400 words":  ok(report.Chart{YLabel: words}),
		"legend labels of 400 words":  ok(report.Chart{Series: series(2, 6, words)}),
		"20 series":                   ok(report.Chart{Series: series(20, 6, "scenario")}),
		"30 years to £2,900m":         ok(report.Chart{Years: years(30), Series: []report.Series{{Name: "shift", Values: ramp(30, 2900)}}}),
		"values of £1e15m":            ok(report.Chart{Series: []report.Series{{Name: "shift", Values: ramp(6, 1e15)}}}),
		"a first year of 40 letters":  ok(report.Chart{Years: append([]string{strings.Repeat("y", 40)}, years(5)...)}),
		"a band and its middle alone": ok(report.Chart{Series: []report.Series{}, Band: &report.Band{Name: words, MidName: "P50", Low: ramp(6, 10), Mid: ramp(6, 10), High: ramp(6, 10)}}),
	} {
		file := filepath.Join(dir, "c.png")
		require.NoError(t, Draw(file, c), name)
		assert.False(t, inked(decodePNG(t, file), 12), "%s: drawn in the margin", name)
	}
	tor := filepath.Join(dir, "t.png")
	some := strings.Repeat("the prevention shift ", 5)
	require.NoError(t, DrawTornado(tor, report.Tornado{Title: long, XLabel: words, Central: 100,
		Bars: []report.Bar{{Label: some, Low: 90, High: 120}, {Label: some, Low: 100, High: 100}}}))
	assert.False(t, inked(decodePNG(t, tor), 12), "a tornado of long labels: drawn in the margin")

	file := filepath.Join(dir, "kept.png")
	require.NoError(t, os.WriteFile(file, []byte("an earlier chart"), 0o644))
	err := Draw(file, ok(report.Chart{Series: series(60, 6, "scenario")}))
	require.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, "leave")
	assert.ErrorContains(t, err, "draw fewer series")
	bars := make([]report.Bar, 40)
	for i := range bars {
		bars[i] = report.Bar{Label: fmt.Sprintf("assumption %d", i), Low: 1, High: 2}
	}
	err = DrawTornado(file, report.Tornado{Title: "many", XLabel: "£m", Bars: bars, Central: 1.5})
	require.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, `40 assumptions leave 5 points each: value out of range: "assumption 0" needs 10`)
	err = DrawTornado(file, report.Tornado{Title: "long", XLabel: "£m", Bars: []report.Bar{{Label: long, Low: 1, High: 2}, {Label: "b", Low: 1, High: 2}, {Label: "c", Low: 1, High: 2}}, Central: 1.5})
	require.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, `"`+long[:60]+`..." needs`, "the label quoted by its start")
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, "an earlier chart", string(b), "a chart refused leaves the file as it was")
}

func decodePNG(t *testing.T, file string) image.Image {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	return img
}
