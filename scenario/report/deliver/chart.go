package deliver

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/chart"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/scenario/report"
)

// CheckFile reports whether a chart can be written to file: .png or .svg,
// new or a plain file to replace. A file that is a symbolic link, or not
// a plain file (a FIFO would take the chart for ever, a device anything),
// is ErrNotPlain, as a deliverable of Write is: a chart is never written
// through one.
func CheckFile(file string) error {
	ext := filepath.Ext(file)
	switch strings.ToLower(ext) {
	case ".png", ".svg":
		return plainOrNew(file)
	}
	return fmt.Errorf("chart %q: want a .png or .svg file, not %q: %w", file, ext, budget.ErrUnknown)
}

// plainOrNew refuses a chart file that is there and is not a plain file.
func plainOrNew(file string) error {
	fi, err := os.Lstat(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("chart %q: %w", file, err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("chart %q: %w: remove it, or give another file, so that nothing is written elsewhere", file, ErrNotPlain)
	}
	return nil
}

// checkChart reports a line chart that cannot be drawn as it says: no
// years, a series or band not one value a year, a value that is not a
// finite number, or a first projected year outside the years (-1 for
// none).
func checkChart(c report.Chart) error {
	n := len(c.Years)
	if n == 0 {
		return fmt.Errorf("%w: no years to draw", budget.ErrNoData)
	}
	if c.FirstProjected < -1 || c.FirstProjected >= n {
		return fmt.Errorf("first projected year %d: %w: an index into the %d years, or -1 for none", c.FirstProjected, budget.ErrRange, n)
	}
	values := func(what string, vs []float64) error {
		if len(vs) != n {
			return fmt.Errorf("%s: %w: %d values for %d years", what, budget.ErrRange, len(vs), n)
		}
		for i, v := range vs {
			if !drawable(v) {
				return fmt.Errorf("%s in %s: %v: %w: a chart draws £m of at most 1e15 either way", what, c.Years[i], v, budget.ErrRange)
			}
		}
		return nil
	}
	for _, s := range c.Series {
		if err := values(fmt.Sprintf("series %q", s.Name), s.Values); err != nil {
			return err
		}
	}
	if b := c.Band; b != nil {
		for _, part := range []struct {
			what string
			vs   []float64
		}{{"low", b.Low}, {"middle", b.Mid}, {"high", b.High}} {
			if err := values(fmt.Sprintf("band %q, %s", b.Name, part.what), part.vs); err != nil {
				return err
			}
		}
		for i := range c.Years {
			if b.Low[i] > b.Mid[i] || b.Mid[i] > b.High[i] {
				return fmt.Errorf("band %q in %s: low %v, middle %v, high %v: %w: a band runs from low through the middle to high", b.Name, c.Years[i], b.Low[i], b.Mid[i], b.High[i], budget.ErrRange)
			}
		}
	}
	return nil
}

// checkTornado reports a tornado with no bars or a value that is not a
// finite number.
func checkTornado(t report.Tornado) error {
	if len(t.Bars) == 0 {
		return fmt.Errorf("%w: no bars to draw", budget.ErrNoData)
	}
	if !drawable(t.Central) {
		return fmt.Errorf("central value %v: %w: a chart draws £m of at most 1e15 either way", t.Central, budget.ErrRange)
	}
	for _, b := range t.Bars {
		for _, v := range []float64{b.Low, b.High} {
			if !drawable(v) {
				return fmt.Errorf("bar %q: %v: %w: a chart draws £m of at most 1e15 either way", b.Label, v, budget.ErrRange)
			}
		}
	}
	return nil
}

// drawable reports whether a chart can draw v: a number of £m no larger
// either way than 1e15 (a thousand times any public budget), whose labels
// fit on an axis.
func drawable(v float64) bool { return !math.IsNaN(v) && math.Abs(v) <= 1e15 }

// Size of every chart, in points: 18 by 11 cm, readable in print at A4
// width.
const (
	width  = 18 / 2.54 * 72
	height = 11 / 2.54 * 72
)

// margin is the white space kept round every chart, so that no title,
// label or legend touches the edge of a slide.
const margin = 6.0 // points

// dpi is the resolution of a PNG: twice the screen's, sharp on a slide
// and in print.
const dpi = 192

// Type sizes, in points.
const (
	titleSize = 13
	labelSize = 12 // an axis's label and the legend
	tickSize  = 10 // a tick's label and a tornado's assumptions
	endSize   = 8  // a line's last value
)

// Lengths of a chart's furniture, in points.
const (
	axisGap    = 5    // between the data and an axis line
	majorTick  = 6    // a labelled tick
	minorTick  = 3    // an unlabelled tick between two labelled
	axisWidth  = 0.5  // an axis line and its ticks
	gridWidth  = 0.5  // a horizontal grid line
	sample     = 20   // the width of a legend's sample of a line or bar
	barWidth   = 18.0 // the thickness of a tornado's bar
	legendRow  = 0.95 // a legend's row, in its type size
	maxYLabel  = 170  // the widest a tornado's assumption is set before it is wrapped
	nominalRow = 1.0  // a line of a tornado's assumption, in its type size

	// The smallest plot a chart draws: what its title, legend and labels
	// leave must be at least this wide and tall.
	minPlotWidth  = 150
	minPlotHeight = 80
)

var (
	black = color.NRGBA{A: 255}
	grid  = color.NRGBA{R: 225, G: 225, B: 225, A: 255}
)

// palette is the chart's soft colours, by Series.Colour: red, green,
// blue, orange, purple, brown, pink, teal, grey and olive, again from red
// after olive, so that the catalogue's eight scenarios and two of a
// user's each have their own.
func palette(i int) color.NRGBA {
	cs := [...]color.NRGBA{
		{241, 90, 96, 255}, {122, 195, 106, 255}, {90, 155, 212, 255}, {250, 167, 91, 255},
		{158, 103, 171, 255}, {206, 112, 88, 255}, {215, 127, 180, 255}, {64, 176, 166, 255},
		{140, 140, 140, 255}, {178, 178, 60, 255},
	}
	n := len(cs)
	return cs[(i%n+n)%n]
}

// tick is a mark on an axis at a value, labelled or (Label "") not.
type tick struct {
	Value float64
	Label string
}

// niceTicks are five to ten labelled ticks at a round step (1, 2, 2.5 or
// 5 times a power of ten) from min to max, with an unlabelled tick
// between each pair.
func niceTicks(min, max float64) []tick {
	if !(max > min) {
		return []tick{{Value: min, Label: "x"}} // one value: one tick
	}
	raw := (max - min) / 7
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	first := math.Ceil(min/step) * step
	if first+step == first {
		// A range narrower than the floats' spacing at its magnitude (a
		// tornado of no effect around £1bn): the ends alone.
		return []tick{{Value: min, Label: "x"}, {Value: max, Label: "x"}}
	}
	var ts []tick
	for v := first; v <= max+step*1e-9 && len(ts) < 40; v += step {
		ts = append(ts, tick{Value: v, Label: "x"})
		if v+step/2 <= max {
			ts = append(ts, tick{Value: v + step/2})
		}
	}
	return ts
}

// moneyTicks are round ticks labelled in £m at offset+value, with as many
// decimals as the step between labels needs (so £243.5m and £244m do not
// both read £244m on a narrow axis).
func moneyTicks(min, max, offset float64) []tick {
	ts := niceTicks(min, max)
	var labelled []float64
	for _, t := range ts {
		if t.Label != "" {
			labelled = append(labelled, t.Value)
		}
	}
	// As many decimals as the step needs for every label to read its
	// value exactly (a step of £2.5m labels £7.5m, not £8m), to £1k.
	decimals := 0
	if len(labelled) > 1 {
		step := labelled[1] - labelled[0]
		for decimals < 3 {
			scaled := step * math.Pow(10, float64(decimals))
			if math.Abs(scaled-math.Round(scaled)) <= 1e-6*scaled {
				break
			}
			decimals++
		}
	}
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = poundsDP(offset+ts[i].Value, decimals)
		}
	}
	return ts
}

// offsetTicks label an axis of differences from a central value with the
// absolute values, rounded in the values a reader sees.
func offsetTicks(min, max, central float64) []tick {
	ts := moneyTicks(min+central, max+central, 0)
	for i := range ts {
		ts[i].Value -= central
	}
	return ts
}

// poundsDP writes v (in £m) with thousands separators and the decimals
// given, rounding half away from zero: poundsDP(1234.5, 1) is "£1,234.5m",
// poundsDP(1234.5, 0) "£1,235m".
func poundsDP(v float64, decimals int) string {
	scale := math.Pow(10, float64(decimals))
	r := math.Round(v*scale) / scale // half away from zero, as the tables round
	if r == 0 {
		r = 0 // not -0: "£0m", never "-£0m"
	}
	s := strconv.FormatFloat(r, 'f', decimals, 64)
	frac := ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		s, frac = s[:i], s[i:]
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-£" + s + frac + "m"
	}
	return "£" + s + frac + "m"
}

// endDecimals is how many decimals a line's last value is labelled with:
// one under £100m, none above.
func endDecimals(v float64) int {
	if math.Abs(v) < 100 {
		return 1
	}
	return 0
}

// key is a legend's entry: a line's sample (its colour, width and
// dashes) or, for an area or bar, a filled box.
type key struct {
	label  string
	colour color.NRGBA
	width  float64 // a line's; 0 for a box
	dashes []float64
}

// axes are what a chart shows round its data: the title (lines split at
// "\n"), the axes' labels, their ticks and ranges, and the legend. A
// nominal y axis (a tornado's) has labels at its ticks, no line and no
// tick marks.
type axes struct {
	title, xlabel, ylabel      string
	xticks, yticks             []tick
	xmin, xmax, ymin, ymax     float64
	nominalY                   bool
	legend                     []key
	x0, x1, y0, y1             float64 // the data area, set by layout
	canvas                     *chart.Canvas
	xTickLabels, yTickLabelsAt float64
}

// lines is s split at its line breaks, each without the spaces round it.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// wrapped is lines(s), each line too wide for w points at size broken at
// its spaces, and a word too wide alone broken where it must be.
func wrapped(c *chart.Canvas, s string, size, w float64) []string {
	var out []string
	for _, l := range lines(s) {
		cur := ""
		for _, word := range strings.Fields(l) {
			if cur != "" && c.Width(cur+" "+word, size) > w {
				out = append(out, cur)
				cur = ""
			}
			if cur != "" {
				cur += " "
			}
			cur += word
			for c.Width(cur, size) > w {
				cut := 0
				for i := range cur {
					if i > 0 && c.Width(cur[:i], size) > w {
						break
					}
					cut = i
				}
				if cut == 0 { // one character wider than the room
					_, n := utf8.DecodeRuneInString(cur)
					cut = n
				}
				out = append(out, cur[:cut])
				cur = cur[cut:]
			}
		}
		if cur != "" {
			out = append(out, cur)
		}
	}
	return out
}

// centred is where a line of text w points wide is anchored to centre it
// on x, moved in so that it stays within the margins.
func centred(x, w float64) float64 {
	return min(max(x, margin+w/2), width-margin-w/2)
}

// x and y are where values land in the data area.
func (a *axes) x(v float64) float64 { return a.x0 + (v-a.xmin)/(a.xmax-a.xmin)*(a.x1-a.x0) }
func (a *axes) y(v float64) float64 { return a.y1 - (v-a.ymin)/(a.ymax-a.ymin)*(a.y1-a.y0) }

// inRange reports whether v lies on an axis from min to max, give or take
// a millionth of its length.
func inRange(v, min, max float64) bool {
	e := (max - min) * 1e-6
	return v >= min-e && v <= max+e
}

// layout draws the title, legend and axis labels on c and sets the data
// area: the title at the top; the legend at the bottom, under the plot,
// never over a line; the x axis's label above it, the y axis's turned up
// at the left.
func (a *axes) layout(c *chart.Canvas) error {
	a.canvas = c
	if !(a.xmax > a.xmin) {
		a.xmin, a.xmax = a.xmin-0.5, a.xmin+0.5
	}
	if !(a.ymax > a.ymin) {
		a.ymin, a.ymax = a.ymin-1, a.ymin+1
	}
	room := width - 2*margin
	top := margin
	for _, l := range wrapped(c, a.title, titleSize, room) {
		c.Text(chart.Text{At: chart.Point{X: centred(width/2, c.Width(l, titleSize)), Y: top}, S: l, Size: titleSize, Colour: black, H: chart.Centre, V: chart.Top})
		top += c.LineHeight(titleSize)
	}
	a.y0 = top + 4

	bottom := height - margin
	if len(a.legend) > 0 {
		bottom = a.drawLegend(c, bottom) - 6
	}
	xl := wrapped(c, a.xlabel, labelSize, room)
	xlTop := bottom - float64(len(xl))*c.LineHeight(labelSize)
	a.xTickLabels = xlTop - 2 - c.LineHeight(tickSize)
	a.y1 = a.xTickLabels - 2 - majorTick - axisGap

	left := margin
	if a.ylabel != "" {
		// Turned up, in as many columns as the plot's height needs.
		for _, l := range wrapped(c, a.ylabel, labelSize, max(a.y1-a.y0, 60)) {
			c.Text(chart.Text{At: chart.Point{X: left, Y: (a.y0 + a.y1) / 2}, S: l, Size: labelSize, Colour: black, H: chart.Centre, V: chart.Top, Up: true})
			left += c.LineHeight(labelSize)
		}
		left += 4
	}
	widest := 0.0
	for _, t := range a.yticks {
		for _, l := range wrapped(c, t.Label, tickSize, maxYLabel) {
			widest = max(widest, c.Width(l, tickSize))
		}
	}
	a.yTickLabelsAt = left + widest
	if a.nominalY {
		a.x0 = a.yTickLabelsAt + 8
	} else {
		a.x0 = a.yTickLabelsAt + 3 + majorTick + axisGap
	}
	a.x1 = width - margin
	// What the title, legend and labels leave must hold a readable plot.
	if a.x1-a.x0 < minPlotWidth || a.y1-a.y0 < minPlotHeight {
		return fmt.Errorf("the title, legend and labels leave %.0f by %.0f points of the %.0f by %.0f for the plot: %w: a plot needs %d by %d; shorten them, or draw fewer series",
			max(a.x1-a.x0, 0), max(a.y1-a.y0, 0), width, height, budget.ErrRange, minPlotWidth, minPlotHeight)
	}
	// A nominal axis's labels must each fit between their neighbours.
	if a.nominalY {
		row := (a.y1 - a.y0) / (a.ymax - a.ymin)
		for _, t := range a.yticks {
			if need := float64(len(wrapped(c, t.Label, tickSize, maxYLabel))) * nominalRow * tickSize; need > row {
				return fmt.Errorf("%d assumptions leave %.0f points each: %w: %q needs %.0f; shorten it, or draw fewer", len(a.yticks), row, budget.ErrRange, clip.Clip(t.Label), need)
			}
		}
	}
	for i, l := range xl {
		c.Text(chart.Text{At: chart.Point{X: centred((a.x0+a.x1)/2, c.Width(l, labelSize)), Y: xlTop + float64(i)*c.LineHeight(labelSize)}, S: l, Size: labelSize, Colour: black, H: chart.Centre, V: chart.Top})
	}
	return nil
}

// drawLegend draws the legend up from bottom, under the plot, and says
// where its top is: each entry's sample and its label, on as many rows as
// the label needs; in two columns where one would take more than six
// rows, filled down the first, then the second.
func (a *axes) drawLegend(c *chart.Canvas, bottom float64) float64 {
	lh := legendRow * labelSize
	x := margin + 40
	type entry struct {
		k    key
		rows []string
	}
	lay := func(colW float64) ([]entry, int) {
		var es []entry
		n := 0
		for _, k := range a.legend {
			rows := wrapped(c, k.label, labelSize, colW-sample-3)
			if len(rows) == 0 {
				rows = []string{""}
			}
			es, n = append(es, entry{k, rows}), n+len(rows)
		}
		return es, n
	}
	full := width - margin - x
	es, n := lay(full)
	cols := 1
	if n > 6 {
		cols = 2
		es, n = lay(full / 2)
	}
	// The first column takes entries until it holds half the rows.
	col := make([]int, len(es))
	rows := [2]int{}
	for i, e := range es {
		if cols == 2 && rows[0] >= (n+1)/2 {
			col[i] = 1
		}
		rows[col[i]] += len(e.rows)
	}
	top := bottom - float64(max(rows[0], rows[1]))*lh
	at := [2]int{}
	for i, e := range es {
		cx := x + float64(col[i])*full/2
		mid := top + (float64(at[col[i]])+0.5)*lh
		if e.k.width > 0 {
			c.Line([]chart.Point{{X: cx, Y: mid}, {X: cx + sample, Y: mid}}, e.k.width, e.k.colour, e.k.dashes...)
		} else {
			c.Rect(chart.Point{X: cx, Y: mid - lh/2 + 1}, chart.Point{X: cx + sample, Y: mid + lh/2 - 1}, e.k.colour)
		}
		for _, l := range e.rows {
			c.Text(chart.Text{At: chart.Point{X: cx + sample + 3, Y: top + (float64(at[col[i]])+0.5)*lh}, S: l, Size: labelSize, Colour: black, V: chart.Middle})
			at[col[i]]++
		}
	}
	return top
}

// grid draws light horizontal lines at the y axis's labelled ticks, under
// the data.
func (a *axes) grid() {
	for _, t := range a.yticks {
		if t.Label != "" && inRange(t.Value, a.ymin, a.ymax) {
			y := a.y(t.Value)
			a.canvas.Line([]chart.Point{{X: a.x0, Y: y}, {X: a.x1, Y: y}}, gridWidth, grid)
		}
	}
}

// draw draws the axes over the data: their lines, ticks and tick labels.
// A nominal y axis has its labels alone, each line of them centred on its
// tick; a label too wide for its place on the x axis is left out, every
// other one in turn, until they fit.
func (a *axes) draw() {
	c := a.canvas
	ax := a.y1 + axisGap
	c.Line([]chart.Point{{X: a.x0, Y: ax}, {X: a.x1, Y: ax}}, axisWidth, black)
	var xs []tick
	for _, t := range a.xticks {
		if inRange(t.Value, a.xmin, a.xmax) {
			xs = append(xs, t)
		}
	}
	every := 1
	for {
		fits := true
		prevEnd := math.Inf(-1)
		for i, t := range xs {
			if t.Label == "" || i%every != 0 {
				continue
			}
			w := c.Width(t.Label, tickSize)
			if x := a.x(t.Value); x-w/2 < prevEnd+4 {
				fits = false
			} else {
				prevEnd = x + w/2
			}
		}
		if fits || every > len(xs) {
			break
		}
		every *= 2
	}
	for i, t := range xs {
		x := a.x(t.Value)
		l := float64(minorTick)
		if t.Label != "" {
			l = majorTick
		}
		c.Line([]chart.Point{{X: x, Y: ax}, {X: x, Y: ax + l}}, axisWidth, black)
		if t.Label != "" && i%every == 0 {
			c.Text(chart.Text{At: chart.Point{X: centred(x, c.Width(t.Label, tickSize)), Y: a.xTickLabels}, S: t.Label, Size: tickSize, Colour: black, H: chart.Centre, V: chart.Top})
		}
	}
	if a.nominalY {
		lh := nominalRow * tickSize
		for _, t := range a.yticks {
			ls := wrapped(c, t.Label, tickSize, maxYLabel)
			top := a.y(t.Value) - float64(len(ls))*lh/2
			for i, l := range ls {
				c.Text(chart.Text{At: chart.Point{X: a.yTickLabelsAt, Y: top + float64(i)*lh}, S: l, Size: tickSize, Colour: black, H: chart.End, V: chart.Top})
			}
		}
		return
	}
	ay := a.x0 - axisGap
	c.Line([]chart.Point{{X: ay, Y: a.y0}, {X: ay, Y: a.y1}}, axisWidth, black)
	for _, t := range a.yticks {
		if !inRange(t.Value, a.ymin, a.ymax) {
			continue
		}
		y := a.y(t.Value)
		l := float64(minorTick)
		if t.Label != "" {
			l = majorTick
		}
		c.Line([]chart.Point{{X: ay, Y: y}, {X: ay - l, Y: y}}, axisWidth, black)
		if t.Label != "" {
			c.Text(chart.Text{At: chart.Point{X: a.yTickLabelsAt, Y: y}, S: t.Label, Size: tickSize, Colour: black, H: chart.End, V: chart.Middle})
		}
	}
}

// save writes c to file: a PNG at dpi, or an SVG. A picture that cannot
// be drawn leaves no file.
func save(c *chart.Canvas, file string) error {
	var b bytes.Buffer
	var err error
	if strings.ToLower(filepath.Ext(file)) == ".png" {
		err = c.WritePNG(&b, dpi)
	} else {
		err = c.WriteSVG(&b)
	}
	if err != nil {
		return fmt.Errorf("chart %q: %w", file, err)
	}
	if err := plainOrNew(file); err != nil { // again, as it is written
		return err
	}
	return os.WriteFile(file, b.Bytes(), 0o644)
}

// withAlpha is c at opacity a (0 to 255).
func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

// Draw draws a line chart and saves it to file (.png or .svg).
func Draw(file string, c report.Chart) error {
	years, series, band := c.Years, c.Series, c.Band
	if err := CheckFile(file); err != nil {
		return err
	}
	if err := checkChart(c); err != nil {
		return fmt.Errorf("chart %q: %w", file, err)
	}
	cv, err := chart.New(width, height)
	if err != nil {
		return err
	}
	xlabel := "financial year"
	if c.FirstProjected >= 0 {
		xlabel = "financial year (shaded: projected)"
	}
	if c.Footnote != "" {
		xlabel += "\n" + c.Footnote
	}
	colour := func(i int, s report.Series) color.NRGBA {
		if s.Colour > 0 {
			return palette(s.Colour)
		}
		return palette(i + 1)
	}
	dashes := func(s report.Series) []float64 {
		if s.Dashed {
			return []float64{5, 3}
		}
		return nil
	}
	shift := palette(report.ShiftColour)
	var legend []key
	if band != nil {
		legend = append(legend, key{label: band.Name, colour: withAlpha(shift, 110)}, key{label: band.MidName, colour: shift, width: 2})
	}
	for i, s := range series {
		legend = append(legend, key{label: s.Name, colour: colour(i, s), width: 1.8, dashes: dashes(s)})
	}

	// Each line's last value, beside its last point, for the slide; labels
	// closer than a line of text are moved apart.
	type endLabel struct {
		y, v   float64
		colour color.NRGBA
	}
	last := len(years) - 1
	var ends []endLabel
	for i, s := range series {
		ends = append(ends, endLabel{s.Values[last], s.Values[last], colour(i, s)})
	}
	if band != nil {
		ends = append(ends, endLabel{band.Mid[last], band.Mid[last], shift})
	}
	// The axis runs from zero, or below it for a negative value (a shift
	// of -1 pp), to the highest value.
	top, bottom := 0.0, 0.0
	for _, s := range series {
		for _, v := range s.Values {
			top, bottom = max(top, v), min(bottom, v)
		}
	}
	if band != nil {
		for _, v := range band.High {
			top = max(top, v)
		}
		for _, v := range band.Low {
			bottom = min(bottom, v)
		}
	}
	a := axes{title: c.Title, xlabel: xlabel, ylabel: c.YLabel, legend: legend,
		xmin: -0.5, xmax: float64(last) + 0.5 + 0.6,
		ymin: bottom * 1.08, ymax: top * 1.08}
	if a.ymax == a.ymin {
		a.ymax = a.ymin + 1 // every value zero: an axis from £0m to £1m
	}
	if a.ymax-a.ymin < 0.01 {
		a.ymax = a.ymin + 0.01 // to £10k at least: its labels to £1k differ
	}
	for i, y := range years {
		a.xticks = append(a.xticks, tick{Value: float64(i), Label: y})
	}
	a.yticks = moneyTicks(a.ymin, a.ymax, 0)
	if err := a.layout(cv); err != nil {
		return fmt.Errorf("chart %q: %w", file, err)
	}

	// Room on the right for the widest of the last values' labels.
	widest := 0.0
	for _, e := range ends {
		widest = max(widest, cv.Width(poundsDP(e.v, endDecimals(e.v)), endSize))
	}
	if w := a.x1 - a.x0; w-5-widest > w/2 {
		a.xmax = max(a.xmax, a.xmin+(float64(last)-a.xmin)*w/(w-5-widest-2))
	}
	pt := func(i int, v float64) chart.Point { return chart.Point{X: a.x(float64(i)), Y: a.y(v)} }
	path := func(vs []float64) []chart.Point {
		pts := make([]chart.Point, len(vs))
		for i, v := range vs {
			pts[i] = pt(i, v)
		}
		return pts
	}
	if c.FirstProjected >= 0 {
		x0, x1 := a.x(float64(c.FirstProjected)-0.5), a.x(float64(last)+0.5)
		cv.Rect(chart.Point{X: x0, Y: a.y0}, chart.Point{X: x1, Y: a.y1}, color.NRGBA{R: 128, G: 128, B: 128, A: 40})
	}
	a.grid()
	if band != nil {
		// The shift's colour: the band, its edges (so that a narrow band
		// still shows) and its middle.
		poly := path(band.Low)
		for i := len(band.High) - 1; i >= 0; i-- {
			poly = append(poly, pt(i, band.High[i]))
		}
		cv.Fill(poly, withAlpha(shift, 110))
		cv.Line(path(band.Low), 0.6, shift)
		cv.Line(path(band.High), 0.6, shift)
		cv.Line(path(band.Mid), 2, shift)
	}
	for i, s := range series {
		col := colour(i, s)
		cv.Line(path(s.Values), 1.8, col, dashes(s)...)
		for j, v := range s.Values {
			cv.Dot(pt(j, v), 2, col)
		}
	}
	// Labels closer than a line of their text are moved apart, up from
	// the lowest, then down from the top of the plot where that takes
	// them above it.
	sort.SliceStable(ends, func(i, j int) bool { return ends[i].y < ends[j].y })
	gap := cv.LineHeight(endSize) * 0.9 / (a.y1 - a.y0) * (a.ymax - a.ymin)
	for k := 1; k < len(ends); k++ {
		ends[k].y = max(ends[k].y, ends[k-1].y+gap)
	}
	if n := len(ends); n > 0 && ends[n-1].y > a.ymax {
		ends[n-1].y = a.ymax
		for k := n - 2; k >= 0; k-- {
			ends[k].y = min(ends[k].y, ends[k+1].y-gap)
		}
	}
	for _, e := range ends {
		cv.Text(chart.Text{At: chart.Point{X: a.x(float64(last)) + 5, Y: a.y(e.y)}, S: poundsDP(e.v, endDecimals(e.v)), Size: endSize, Colour: e.colour, V: chart.Middle})
	}
	a.draw()
	return save(cv, file)
}

// DrawTornado draws a tornado chart and saves it to file (.png or .svg).
func DrawTornado(file string, t report.Tornado) error {
	bars, central := t.Bars, t.Central
	if err := CheckFile(file); err != nil {
		return err
	}
	if err := checkTornado(t); err != nil {
		return fmt.Errorf("tornado %q: %w", file, err)
	}
	cv, err := chart.New(width, height)
	if err != nil {
		return err
	}
	n := len(bars)
	lowColour, highColour := color.NRGBA{R: 200, G: 80, B: 60, A: 255}, color.NRGBA{R: 60, G: 120, B: 190, A: 255}
	a := axes{title: t.Title, nominalY: true, ymin: -0.5, ymax: float64(n) - 0.5,
		legend: []key{{label: "assumption at its low (P10) value", colour: lowColour}, {label: "assumption at its high (P90) value", colour: highColour}}}
	// Each bar runs from the central value to the output at the low and at
	// the high input. Where both lie on one side (a convergence cap binding
	// both ways), the nearer is drawn over the farther, so that both show.
	lowVals, highVals := make([]float64, n), make([]float64, n)
	lowNear, highNear := make([]float64, n), make([]float64, n)
	near := false
	span := 0.005 // at least £5k either way: labels to £1k differ
	for i, b := range bars {
		k := n - 1 - i // widest on top
		label := b.Label
		if math.Abs(b.High-b.Low) < 0.0005 { // under £500: no effect at this scale
			label += "\n(no effect)"
		}
		a.yticks = append(a.yticks, tick{Value: float64(k), Label: label})
		dl, dh := b.Low-central, b.High-central
		span = max(span, math.Abs(dl), math.Abs(dh))
		switch {
		case dl*dh > 0 && math.Abs(dl) < math.Abs(dh):
			lowNear[k], highVals[k], near = dl, dh, true
		case dl*dh > 0 && math.Abs(dh) < math.Abs(dl):
			lowVals[k], highNear[k], near = dl, dh, true
		default:
			lowVals[k], highVals[k] = dl, dh
		}
	}
	// Room beyond the widest bar on each side.
	a.xmin, a.xmax = -span*1.15, span*1.15
	decimals := 0
	if span < 5 { // a narrow axis: the centre to £0.1m, as its ticks are
		decimals = 1
	}
	a.xlabel = t.XLabel + fmt.Sprintf(" (centre: %s)", poundsDP(central, decimals))
	a.xticks = offsetTicks(a.xmin, a.xmax, central)
	if err := a.layout(cv); err != nil {
		return fmt.Errorf("tornado %q: %w", file, err)
	}
	for _, tk := range a.yticks {
		y := a.y(tk.Value)
		cv.Line([]chart.Point{{X: a.x0, Y: y}, {X: a.x1, Y: y}}, gridWidth, grid)
	}
	// The far ends first, then (where a bar has one) the near ends over
	// them: the high's first, so that the low's near end is drawn last.
	layers := []struct {
		vs []float64
		c  color.NRGBA
	}{{lowVals, lowColour}, {highVals, highColour}}
	if near {
		layers = append(layers, []struct {
			vs []float64
			c  color.NRGBA
		}{{highNear, highColour}, {lowNear, lowColour}}...)
	}
	// A bar is 18 points thick, or less where the rows are closer.
	thick := min(barWidth, 0.6*(a.y1-a.y0)/float64(n))
	for _, l := range layers {
		for k, v := range l.vs {
			if v == 0 {
				continue
			}
			y := a.y(float64(k))
			cv.Rect(chart.Point{X: a.x(0), Y: y - thick/2}, chart.Point{X: a.x(v), Y: y + thick/2}, l.c)
		}
	}
	a.draw()
	return save(cv, file)
}
