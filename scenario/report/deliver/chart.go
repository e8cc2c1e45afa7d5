package deliver

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/scenario/report"
)

// CheckFile reports whether a chart can be written to file: .png or .svg.
func CheckFile(file string) error {
	ext := filepath.Ext(file)
	switch strings.ToLower(ext) {
	case ".png", ".svg":
		return nil
	}
	return fmt.Errorf("chart %q: want a .png or .svg file, not %q: %w", file, ext, budget.ErrUnknown)
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
				return fmt.Errorf("%s in %s: %v: %w: a chart draws finite numbers of at most 1e300", what, c.Years[i], v, budget.ErrRange)
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
		return fmt.Errorf("central value %v: %w: a chart draws finite numbers of at most 1e300", t.Central, budget.ErrRange)
	}
	for _, b := range t.Bars {
		for _, v := range []float64{b.Low, b.High} {
			if !drawable(v) {
				return fmt.Errorf("bar %q: %v: %w: a chart draws finite numbers of at most 1e300", b.Label, v, budget.ErrRange)
			}
		}
	}
	return nil
}

// drawable reports whether a chart can draw v: a finite number whose
// distance from any other such number, and the axis's room beyond it,
// stays finite.
func drawable(v float64) bool { return !math.IsNaN(v) && math.Abs(v) <= 1e300 }

// Size of every chart: readable in print at A4 width.
const (
	width  = 18 * vg.Centimeter
	height = 11 * vg.Centimeter
)

// margin is the white space kept round every chart, so that no title,
// label or legend touches the edge of a slide.
const margin vg.Length = 6 // points

// dpi is the resolution of a PNG: twice the screen's, sharp on a slide
// and in print.
const dpi = 192

// save draws p inside the margin, its legend below the plot (never over
// a line), and writes it to file (.png or .svg).
func save(p *plot.Plot, file string) error {
	var c vg.CanvasWriterTo
	if ext := strings.ToLower(filepath.Ext(file)); ext == ".png" {
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi))}
	} else {
		var err error
		if c, err = draw.NewFormattedCanvas(width, height, strings.TrimPrefix(ext, ".")); err != nil {
			return err
		}
	}
	dc := draw.Crop(draw.New(c), margin, -margin, margin, -margin)
	leg := p.Legend
	p.Legend = plot.NewLegend() // drawn apart, below
	r := leg.Rectangle(dc)
	if h := r.Max.Y - r.Min.Y; h > 0 {
		area := dc
		area.Max.Y = dc.Min.Y + h
		area.Min.X += vg.Points(40) // under the plot, not the axis labels
		leg.Top, leg.Left = true, true
		leg.Draw(area)
		dc.Min.Y += h + vg.Points(6)
	}
	p.Draw(dc)
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// yearTicks labels x = 0, 1, ... with the years.
type yearTicks []string

func (t yearTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	for i, y := range t {
		out = append(out, plot.Tick{Value: float64(i), Label: y})
	}
	return out
}

// millions labels the y axis with £ and thousands separators.
type millions struct{}

func (millions) Ticks(min, max float64) []plot.Tick {
	return moneyTicks(min, max, 0)
}

// niceTicks are five to ten labelled ticks at a round step (1, 2, 2.5 or
// 5 times a power of ten) from min to max, with an unlabelled tick
// between each pair.
func niceTicks(min, max float64) []plot.Tick {
	if !(max > min) {
		return []plot.Tick{{Value: min, Label: "x"}} // one value: one tick
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
		return []plot.Tick{{Value: min, Label: "x"}, {Value: max, Label: "x"}}
	}
	var ts []plot.Tick
	for v := first; v <= max+step*1e-9 && len(ts) < 40; v += step {
		ts = append(ts, plot.Tick{Value: v, Label: "x"})
		if v+step/2 <= max {
			ts = append(ts, plot.Tick{Value: v + step/2})
		}
	}
	return ts
}

// moneyTicks are round ticks labelled in £m at offset+value, with as many
// decimals as the step between labels needs (so £243.5m and £244m do not
// both read £244m on a narrow axis).
func moneyTicks(min, max, offset float64) []plot.Tick {
	ts := niceTicks(min, max)
	var labelled []float64
	for _, t := range ts {
		if t.Label != "" {
			labelled = append(labelled, t.Value)
		}
	}
	decimals := 0
	if len(labelled) > 1 {
		step := labelled[1] - labelled[0]
		for decimals < 3 && step < math.Pow(10, -float64(decimals))-1e-9 {
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

// newPlot is a plot in a sans-serif face (as the report's text), with light
// horizontal grid lines only, so that they do not cut through the legend's
// words.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	for _, f := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		f.Variant = "Sans"
	}
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.Padding = vg.Points(1)
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal.Color = color.Gray{Y: 225}
	p.Add(grid)
	return p
}

// Draw draws a line chart and saves it to file (.png or .svg).
func Draw(file string, c report.Chart) error {
	title, ylabel, years, series, band := c.Title, c.YLabel, c.Years, c.Series, c.Band
	if err := CheckFile(file); err != nil {
		return err
	}
	if err := checkChart(c); err != nil {
		return fmt.Errorf("chart %q: %w", file, err)
	}
	xlabel := "financial year"
	if c.FirstProjected >= 0 {
		xlabel = "financial year (shaded: projected)"
	}
	if c.Footnote != "" {
		xlabel += "\n" + c.Footnote
	}
	p := newPlot(title, xlabel, ylabel)
	p.X.Tick.Marker = yearTicks(years)
	p.Y.Tick.Marker = millions{}
	xy := func(vs []float64) plotter.XYs {
		pts := make(plotter.XYs, len(vs))
		for i, v := range vs {
			pts[i] = plotter.XY{X: float64(i), Y: v}
		}
		return pts
	}
	if band != nil {
		poly := make(plotter.XYs, 0, 2*len(band.Low))
		poly = append(poly, xy(band.Low)...)
		for i := len(band.High) - 1; i >= 0; i-- {
			poly = append(poly, plotter.XY{X: float64(i), Y: band.High[i]})
		}
		area, err := plotter.NewPolygon(poly)
		if err != nil {
			return err
		}
		// The shift's colour: the band, its edges (so that a narrow band
		// still shows) and its middle.
		r, g, b, _ := plotutil.Color(report.ShiftColour).RGBA()
		area.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 110}
		area.LineStyle.Width = 0
		p.Add(area)
		p.Legend.Add(band.Name, area)
		for _, edge := range [][]float64{band.Low, band.High} {
			e, err := plotter.NewLine(xy(edge))
			if err != nil {
				return err
			}
			e.Color = plotutil.Color(report.ShiftColour)
			e.Width = vg.Points(0.6)
			p.Add(e)
		}
		mid, err := plotter.NewLine(xy(band.Mid))
		if err != nil {
			return err
		}
		mid.Color = plotutil.Color(report.ShiftColour)
		mid.Width = vg.Points(2)
		p.Add(mid)
		p.Legend.Add(band.MidName, mid)
	}
	for i, s := range series {
		l, err := plotter.NewLine(xy(s.Values))
		if err != nil {
			return err
		}
		l.Color = plotutil.Color(i + 1)
		if s.Colour > 0 {
			l.Color = plotutil.Color(s.Colour)
		}
		l.Width = vg.Points(1.8)
		if s.Dashed {
			l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
		}
		pts, err := plotter.NewScatter(xy(s.Values))
		if err != nil {
			return err
		}
		pts.GlyphStyle.Color = l.Color
		pts.GlyphStyle.Radius = vg.Points(2)
		pts.GlyphStyle.Shape = draw.CircleGlyph{}
		p.Add(l, pts)
		p.Legend.Add(s.Name, l)
	}
	// Each line's last value, beside its last point, for the slide; labels
	// closer than a line of text are moved apart.
	type endLabel struct {
		y, v   float64
		colour color.Color
	}
	last := len(years) - 1
	var ends []endLabel
	for i, s := range series {
		if last < 0 || last >= len(s.Values) || math.IsNaN(s.Values[last]) {
			continue
		}
		col := plotutil.Color(i + 1)
		if s.Colour > 0 {
			col = plotutil.Color(s.Colour)
		}
		ends = append(ends, endLabel{s.Values[last], s.Values[last], col})
	}
	if band != nil && last >= 0 && last < len(band.Mid) && !math.IsNaN(band.Mid[last]) {
		ends = append(ends, endLabel{band.Mid[last], band.Mid[last], plotutil.Color(report.ShiftColour)})
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
	sort.SliceStable(ends, func(i, j int) bool { return ends[i].y < ends[j].y })
	gap := (top - bottom) * 0.06
	for k := 1; k < len(ends); k++ {
		if ends[k].y-ends[k-1].y < gap {
			ends[k].y = ends[k-1].y + gap
		}
	}
	for _, e := range ends {
		labels, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: float64(last), Y: e.y}}, Labels: []string{poundsDP(e.v, endDecimals(e.v))}})
		if err != nil {
			return err
		}
		for k := range labels.TextStyle {
			labels.TextStyle[k].Font.Variant = "Sans"
			labels.TextStyle[k].Font.Size = vg.Points(8)
			labels.TextStyle[k].Color = e.colour
			labels.TextStyle[k].YAlign = draw.YCenter
		}
		labels.Offset = vg.Point{X: vg.Points(5)}
		p.Add(labels)
	}
	if n := len(ends); n > 0 {
		top = max(top, ends[n-1].y)
	}
	p.Y.Min, p.Y.Max = bottom*1.08, top*1.08
	if c.FirstProjected >= 0 && c.FirstProjected < len(years) {
		x0, x1 := float64(c.FirstProjected)-0.5, float64(len(years)-1)+0.5
		shade, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: p.Y.Min}, {X: x1, Y: p.Y.Min}, {X: x1, Y: p.Y.Max}, {X: x0, Y: p.Y.Max}})
		if err != nil {
			return err
		}
		shade.Color = color.NRGBA{R: 128, G: 128, B: 128, A: 40}
		shade.LineStyle.Width = 0
		p.Add(shade)
		p.X.Min, p.X.Max = -0.5, x1
	}
	// Room on the right for the last values' labels.
	p.X.Max = max(p.X.Max, float64(len(years)-1)+0.5) + 0.6
	return save(p, file)
}

// endDecimals is how many decimals a line's last value is labelled with:
// one under £100m, none above.
func endDecimals(v float64) int {
	if math.Abs(v) < 100 {
		return 1
	}
	return 0
}

// DrawTornado draws a tornado chart and saves it to file (.png or .svg).
func DrawTornado(file string, t report.Tornado) error {
	title, xlabel, bars, central := t.Title, t.XLabel, t.Bars, t.Central
	if err := CheckFile(file); err != nil {
		return err
	}
	if err := checkTornado(t); err != nil {
		return fmt.Errorf("tornado %q: %w", file, err)
	}
	p := newPlot(title, xlabel, "")
	p.X.Tick.Marker = millions{}
	n := len(bars)
	names := make([]string, n)
	// Each bar runs from the central value to the output at the low and at
	// the high input. Where both lie on one side (a convergence cap binding
	// both ways), the nearer is drawn over the farther, so that both show.
	lowVals, highVals := make(plotter.Values, n), make(plotter.Values, n)
	lowNear, highNear := make(plotter.Values, n), make(plotter.Values, n)
	near := false
	for i, b := range bars {
		k := n - 1 - i // widest on top
		names[k] = b.Label + " "
		if math.Abs(b.High-b.Low) < 0.0005 { // under £500: no effect at this scale
			names[k] = b.Label + "\n(no effect) "
		}
		dl, dh := b.Low-central, b.High-central
		switch {
		case dl*dh > 0 && math.Abs(dl) < math.Abs(dh):
			lowNear[k], highVals[k], near = dl, dh, true
		case dl*dh > 0 && math.Abs(dh) < math.Abs(dl):
			lowVals[k], highNear[k], near = dl, dh, true
		default:
			lowVals[k], highVals[k] = dl, dh
		}
	}
	lowColour, highColour := color.RGBA{R: 200, G: 80, B: 60, A: 255}, color.RGBA{R: 60, G: 120, B: 190, A: 255}
	w := vg.Points(18)
	// The far ends first, then (where a bar has one) the near ends over
	// them: the high's first, so that the low's near end is drawn last.
	layers := []struct {
		vs plotter.Values
		c  color.Color
	}{{lowVals, lowColour}, {highVals, highColour}}
	if near {
		layers = append(layers, []struct {
			vs plotter.Values
			c  color.Color
		}{{highNear, highColour}, {lowNear, lowColour}}...)
	}
	charts := make([]*plotter.BarChart, len(layers))
	for k, l := range layers {
		bc, err := plotter.NewBarChart(l.vs, w)
		if err != nil {
			return err
		}
		bc.Horizontal, bc.LineStyle.Width, bc.Color = true, 0, l.c
		charts[k] = bc
		p.Add(bc) // drawn from zero: the axis is shifted so that zero is the central value
	}
	low, high := charts[0], charts[1]
	p.Legend.Add("assumption at its low (P10) value", low)
	p.Legend.Add("assumption at its high (P90) value", high)
	p.NominalY(names...)
	p.X.Tick.Marker = offsetTicks{central}
	// Room beyond the widest bar on each side, and a row below the
	// narrowest for the legend, so that neither touches a bar or an edge.
	span := max(math.Abs(p.X.Min), math.Abs(p.X.Max), 1e-9*max(1, math.Abs(central)))
	decimals := 0
	if span < 5 { // a narrow axis: the centre to £0.1m, as its ticks are
		decimals = 1
	}
	p.X.Label.Text = xlabel + fmt.Sprintf(" (centre: %s)", poundsDP(central, decimals))
	p.X.Min, p.X.Max = -span*1.15, span*1.15
	return save(p, file)
}

// offsetTicks labels an axis of differences from a central value with the
// absolute values.
type offsetTicks struct{ central float64 }

func (o offsetTicks) Ticks(min, max float64) []plot.Tick {
	// Round in the absolute values a reader sees, not in the differences.
	ts := moneyTicks(min+o.central, max+o.central, 0)
	for i := range ts {
		ts[i].Value -= o.central
	}
	return ts
}
