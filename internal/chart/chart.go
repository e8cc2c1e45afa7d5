package chart

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// Point is a position in points from the top left, y running down.
type Point struct{ X, Y float64 }

// HAlign places text across its anchor: its start, centre or end there.
type HAlign int

// Horizontal alignments.
const (
	Start HAlign = iota
	Centre
	End
)

// VAlign places text's line up and down from its anchor: its baseline,
// top, middle or bottom there.
type VAlign int

// Vertical alignments.
const (
	Baseline VAlign = iota
	Top
	Middle
	Bottom
)

// Text is one line of text: where it is anchored, and how it sits there.
// Up turns it a quarter anticlockwise, reading upwards (an axis label),
// about its anchor.
type Text struct {
	At     Point
	S      string
	Size   float64 // points
	Colour color.NRGBA
	H      HAlign
	V      VAlign
	Up     bool
}

// kind of a drawn item.
type kind int

const (
	fill kind = iota
	stroke
	dot
	text
)

// item is one thing drawn: a filled polygon, a stroked polyline, a dot or
// a line of text.
type item struct {
	kind   kind
	pts    []Point
	colour color.NRGBA
	width  float64   // stroke width; dot radius
	dashes []float64 // stroke: on, off, ... lengths; none for solid
	text   Text
}

// Canvas is a picture of a size in points, drawn in order.
type Canvas struct {
	w, h  float64
	items []item
	face  *face
	err   error // the first thing asked that cannot be drawn
}

// finite reports whether every point is a finite position no further
// than a billion points off the picture, and keeps the first that is
// not as the canvas's error.
func (c *Canvas) finite(what string, pts ...Point) bool {
	for _, p := range pts {
		if !(math.Abs(p.X) <= 1e9 && math.Abs(p.Y) <= 1e9) {
			if c.err == nil {
				c.err = fmt.Errorf("chart: a %s at (%v, %v): a position is a finite number of points of at most 1e9", what, p.X, p.Y)
			}
			return false
		}
	}
	return true
}

// face is the font and what a canvas needs of it: each rune's glyph and
// advance, and the ascent and descent, per point of size.
type face struct {
	f       *sfnt.Font
	buf     sfnt.Buffer
	ascent  float64 // per point of size
	descent float64
	glyphs  map[rune]glyph // each rune's, found once
}

// glyph is a rune's glyph and its advance per point of size.
type glyph struct {
	index sfnt.GlyphIndex
	adv   float64
}

// maxPixels is the most pixels a PNG is drawn with (a poster, 1 m by
// 0.6 m at 200 dots an inch), 256 MB as it is drawn.
const maxPixels = 64_000_000

// unitsPPEM is the size the font's metrics are read at, so that advances
// keep their precision in 26.6 fixed point.
const unitsPPEM = 2048

// New is an empty canvas w by h points. It fails only if the embedded
// font cannot be read.
func New(w, h float64) (*Canvas, error) {
	if !(w > 0 && h > 0 && w <= 1e4 && h <= 1e4) {
		return nil, fmt.Errorf("chart: a canvas of %v by %v points: want each from above 0 to 10,000", w, h)
	}
	f, err := sfnt.Parse(liberationsansregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("chart: the Liberation Sans font: %w", err)
	}
	fc := &face{f: f, glyphs: map[rune]glyph{}}
	m, err := f.Metrics(&fc.buf, fixed.I(unitsPPEM), font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("chart: the Liberation Sans font's metrics: %w", err)
	}
	fc.ascent = float64(m.Ascent) / 64 / unitsPPEM
	fc.descent = float64(m.Descent) / 64 / unitsPPEM
	return &Canvas{w: w, h: h, face: fc}, nil
}

// glyph is r's glyph in the font: the font's missing-glyph box for a rune
// it lacks.
func (fc *face) glyph(r rune) glyph {
	if g, ok := fc.glyphs[r]; ok {
		return g
	}
	var g glyph
	if i, err := fc.f.GlyphIndex(&fc.buf, r); err == nil {
		g.index = i
	}
	if a, err := fc.f.GlyphAdvance(&fc.buf, g.index, fixed.I(unitsPPEM), font.HintingNone); err == nil {
		g.adv = float64(a) / 64 / unitsPPEM
	}
	fc.glyphs[r] = g
	return g
}

// Width is how long s is set at size points.
func (c *Canvas) Width(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		w += c.face.glyph(r).adv
	}
	return w * size
}

// Ascent and Descent are how far the font's letters reach above and
// below the baseline at size points.
func (c *Canvas) Ascent(size float64) float64  { return c.face.ascent * size }
func (c *Canvas) Descent(size float64) float64 { return c.face.descent * size }

// LineHeight is the distance between the baselines of lines of text at
// size points.
func (c *Canvas) LineHeight(size float64) float64 { return (c.face.ascent + c.face.descent) * size }

// sized reports whether v, a line's width, a dot's radius or a text's
// size, is at most 1,000 points, and keeps the first that is not as the
// canvas's error.
func (c *Canvas) sized(what string, v float64) bool {
	if !(v <= 1000) {
		if c.err == nil {
			c.err = fmt.Errorf("chart: a %s of %v points: want at most 1,000", what, v)
		}
		return false
	}
	return true
}

// Fill fills the polygon through pts (closed back to the first).
func (c *Canvas) Fill(pts []Point, col color.NRGBA) {
	if len(pts) >= 3 && c.finite("filled shape", pts...) {
		c.items = append(c.items, item{kind: fill, pts: append([]Point(nil), pts...), colour: col})
	}
}

// Rect fills the rectangle from a to b.
func (c *Canvas) Rect(a, b Point, col color.NRGBA) {
	c.Fill([]Point{a, {b.X, a.Y}, b, {a.X, b.Y}}, col)
}

// Line strokes the polyline through pts, width points wide, with butt
// ends and round corners; dashes, if any, are the lengths of its dashes
// and gaps in turn.
func (c *Canvas) Line(pts []Point, width float64, col color.NRGBA, dashes ...float64) {
	if len(pts) < 2 || !(width > 0) || !c.sized("line's width", width) || !c.finite("line", pts...) {
		return
	}
	// A dash pattern of no length, or of lengths below zero, draws the
	// line solid.
	var ds []float64
	total := 0.0
	for _, d := range dashes {
		if !(d >= 0) {
			d = 0
		}
		ds, total = append(ds, d), total+d
	}
	if !(total > 0) {
		ds = nil
	}
	c.items = append(c.items, item{kind: stroke, pts: append([]Point(nil), pts...), colour: col, width: width, dashes: ds})
}

// Dot fills a circle of radius r about at.
func (c *Canvas) Dot(at Point, r float64, col color.NRGBA) {
	if r > 0 && c.sized("dot's radius", r) && c.finite("dot", at) {
		c.items = append(c.items, item{kind: dot, pts: []Point{at}, colour: col, width: r})
	}
}

// Text sets a line of text. A line break in it is set as a space: lay
// out several lines with LineHeight.
func (c *Canvas) Text(t Text) {
	if t.S != "" && t.Size > 0 && c.sized("text's size", t.Size) && c.finite("text", t.At) {
		t.S = strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return ' '
			}
			return r
		}, t.S)
		c.items = append(c.items, item{kind: text, text: t})
	}
}

// origin is where t's baseline starts, before it is turned: its anchor
// moved back along the line by its alignment and down to the baseline.
func (c *Canvas) origin(t Text) (along, across float64) {
	switch t.H {
	case Centre:
		along = -c.Width(t.S, t.Size) / 2
	case End:
		along = -c.Width(t.S, t.Size)
	}
	switch t.V {
	case Top:
		across = c.Ascent(t.Size)
	case Middle:
		across = (c.Ascent(t.Size) - c.Descent(t.Size)) / 2
	case Bottom:
		across = -c.Descent(t.Size)
	}
	return along, across
}

// place is the point a distance along a line of text and across it (down
// from its baseline) lands on: for upright text, to the right and down;
// for text turned up, up and to the right.
func place(t Text, along, across float64) Point {
	if t.Up {
		return Point{t.At.X + across, t.At.Y - along}
	}
	return Point{t.At.X + along, t.At.Y + across}
}

// WriteSVG writes the picture as an SVG document, its user unit the
// point.
func (c *Canvas) WriteSVG(w io.Writer) error {
	if c.err != nil {
		return c.err
	}
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<svg xmlns="http://www.w3.org/2000/svg" width="%spt" height="%spt" viewBox="0 0 %s %s">`+"\n",
		num(c.w), num(c.h), num(c.w), num(c.h))
	fmt.Fprintf(bw, `<rect width="%s" height="%s" style="fill:#FFFFFF"/>`+"\n", num(c.w), num(c.h))
	for _, it := range c.items {
		switch it.kind {
		case fill:
			fmt.Fprintf(bw, `<path d="%sZ" style="fill:%s"/>`+"\n", pathData(it.pts), paint(it.colour, "fill"))
		case stroke:
			style := "fill:none;stroke:" + paint(it.colour, "stroke") + ";stroke-width:" + num(it.width) + ";stroke-linejoin:round"
			if len(it.dashes) > 0 {
				ds := make([]string, len(it.dashes))
				for i, d := range it.dashes {
					ds[i] = num(d)
				}
				style += ";stroke-dasharray:" + strings.Join(ds, ",")
			}
			fmt.Fprintf(bw, `<path d="%s" style="%s"/>`+"\n", pathData(it.pts), style)
		case dot:
			fmt.Fprintf(bw, `<circle cx="%s" cy="%s" r="%s" style="fill:%s"/>`+"\n", num(it.pts[0].X), num(it.pts[0].Y), num(it.width), paint(it.colour, "fill"))
		case text:
			t := it.text
			along, across := c.origin(t)
			// Anchored at its start, on its baseline, as laid out here, so
			// that it sits where the PNG draws it.
			o := place(t, along, across)
			rot := ""
			if t.Up {
				rot = fmt.Sprintf(` transform="rotate(-90 %s %s)"`, num(o.X), num(o.Y))
			}
			fmt.Fprintf(bw, `<text x="%s" y="%s"%s style="font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif;font-size:%spx;fill:%s;white-space:pre">%s</text>`+"\n",
				num(o.X), num(o.Y), rot, num(t.Size), paint(t.Colour, "fill"), escape(t.S))
		}
	}
	bw.WriteString("</svg>\n")
	return bw.Flush()
}

// num writes v to a hundredth, in the fewest digits: 12, 12.5, 12.34.
func num(v float64) string {
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0 // not -0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// pathData is an SVG path through pts.
func pathData(pts []Point) string {
	var b strings.Builder
	for i, p := range pts {
		if i == 0 {
			b.WriteByte('M')
		} else {
			b.WriteByte('L')
		}
		b.WriteString(num(p.X))
		b.WriteByte(',')
		b.WriteString(num(p.Y))
	}
	return b.String()
}

// paint is a colour as SVG style: #RRGGBB, and its opacity where it is not
// opaque.
func paint(c color.NRGBA, what string) string {
	s := fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B)
	if c.A != 255 {
		s += fmt.Sprintf(";%s-opacity:%s", what, strconv.FormatFloat(math.Round(float64(c.A)/255*1000)/1000, 'f', -1, 64))
	}
	return s
}

// escape makes s safe as XML text.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case 0xFFFE, 0xFFFF:
			b.WriteRune(0xFFFD)
		default:
			// Invalid UTF-8 and encoded surrogates range as U+FFFD.
			b.WriteRune(r)
		}
	}
	return b.String()
}

// WritePNG writes the picture as a PNG at dpi dots an inch, on white.
func (c *Canvas) WritePNG(w io.Writer, dpi float64) error {
	if c.err != nil {
		return c.err
	}
	if !(dpi >= 10 && dpi <= 1200) {
		return fmt.Errorf("chart: %v dots an inch: want 10 to 1,200", dpi)
	}
	s := dpi / 72
	if px := math.Ceil(c.w*s) * math.Ceil(c.h*s); px > maxPixels {
		return fmt.Errorf("chart: %v by %v points at %v dots an inch is %.0f million pixels: want at most %d million", c.w, c.h, dpi, px/1e6, maxPixels/1_000_000)
	}
	img := image.NewRGBA(image.Rect(0, 0, int(math.Ceil(c.w*s)), int(math.Ceil(c.h*s))))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for _, it := range c.items {
		var polys [][]Point
		switch it.kind {
		case fill:
			polys = [][]Point{scale(it.pts, s)}
		case stroke:
			polys = strokePolys(scale(it.pts, s), it.width*s, scaleAll(it.dashes, s))
		case dot:
			polys = [][]Point{circle(Point{it.pts[0].X * s, it.pts[0].Y * s}, it.width*s)}
		case text:
			if err := c.drawText(img, it.text, s); err != nil {
				return err
			}
			continue
		}
		rasterize(img, polys, it.colour)
	}
	return png.Encode(w, img)
}

func scale(pts []Point, s float64) []Point {
	out := make([]Point, len(pts))
	for i, p := range pts {
		out[i] = Point{p.X * s, p.Y * s}
	}
	return out
}

func scaleAll(vs []float64, s float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = v * s
	}
	return out
}

// rasterize fills polys (in pixels) in col over img, where they overlap
// img. Overlapping polygons wound the same way fill once: the rasterizer
// takes the absolute winding, capped at one.
func rasterize(img *image.RGBA, polys [][]Point, col color.NRGBA) {
	// A point far off the picture is held a picture's size away from it,
	// so that the bounds and the rasterizer's float32 stay exact enough;
	// a NaN is held at the corner.
	b := img.Bounds()
	wx, wy := float64(b.Dx()), float64(b.Dy())
	hold := func(v, lo, hi float64) float64 {
		if math.IsNaN(v) {
			return lo
		}
		return min(max(v, lo), hi)
	}
	r := image.Rectangle{}
	first := true
	for i, p := range polys {
		held := make([]Point, len(p))
		for j, q := range p {
			q = Point{hold(q.X, -wx, 2*wx), hold(q.Y, -wy, 2*wy)}
			held[j] = q
			pb := image.Rect(int(math.Floor(q.X)), int(math.Floor(q.Y)), int(math.Floor(q.X))+1, int(math.Floor(q.Y))+1)
			if first {
				r, first = pb, false
			} else {
				r = r.Union(pb)
			}
		}
		polys[i] = held
	}
	r = r.Intersect(b)
	if r.Empty() {
		return
	}
	z := vector.NewRasterizer(r.Dx(), r.Dy())
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	for _, p := range polys {
		if len(p) < 3 {
			continue
		}
		z.MoveTo(float32(p[0].X-ox), float32(p[0].Y-oy))
		for _, q := range p[1:] {
			z.LineTo(float32(q.X-ox), float32(q.Y-oy))
		}
		z.ClosePath()
	}
	z.Draw(img, r, image.NewUniform(col), image.Point{})
}

// circle is a polygon round c of radius r, wound as strokePolys winds its
// pieces, with sides short enough not to show.
func circle(c Point, r float64) []Point {
	n := max(12, min(96, int(math.Ceil(2*math.Pi*r/2))))
	pts := make([]Point, n)
	for i := range pts {
		a := -2 * math.Pi * float64(i) / float64(n)
		pts[i] = Point{c.X + r*math.Cos(a), c.Y + r*math.Sin(a)}
	}
	return pts
}

// strokePolys are the polygons that draw a polyline w wide, dashed: a
// quadrilateral along each piece and a disc at each corner, all wound one
// way, so that where they overlap they fill once.
func strokePolys(pts []Point, w float64, dashes []float64) [][]Point {
	var polys [][]Point
	for _, run := range dash(pts, dashes) {
		for i := 1; i < len(run); i++ {
			a, b := run[i-1], run[i]
			dx, dy := b.X-a.X, b.Y-a.Y
			l := math.Hypot(dx, dy)
			if l == 0 {
				continue
			}
			nx, ny := -dy/l*w/2, dx/l*w/2
			polys = append(polys, []Point{{a.X + nx, a.Y + ny}, {b.X + nx, b.Y + ny}, {b.X - nx, b.Y - ny}, {a.X - nx, a.Y - ny}})
			if i < len(run)-1 {
				polys = append(polys, circle(b, w/2))
			}
		}
	}
	return polys
}

// dash cuts a polyline into its dashes: the stretches drawn as the
// lengths in dashes run on, off, on, ... along it; the whole line where
// there are none.
func dash(pts []Point, dashes []float64) [][]Point {
	// A pattern so fine that the line would be a million dashes is drawn
	// solid: it would look so, and cutting it would take long.
	length, period := 0.0, 0.0
	for i := 1; i < len(pts); i++ {
		length += math.Hypot(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y)
	}
	for _, d := range dashes {
		period += d
	}
	if len(dashes) == 0 || length > 1e6*period {
		return [][]Point{pts}
	}
	var runs [][]Point
	k, left, on := 0, dashes[0], true
	var cur []Point
	if on {
		cur = []Point{pts[0]}
	}
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		l := math.Hypot(b.X-a.X, b.Y-a.Y)
		at := 0.0
		for l-at > left {
			at += left
			p := Point{a.X + (b.X-a.X)*at/l, a.Y + (b.Y-a.Y)*at/l}
			if on {
				runs = append(runs, append(cur, p))
				cur = nil
			} else {
				cur = []Point{p}
			}
			on = !on
			k = (k + 1) % len(dashes)
			left = dashes[k]
		}
		left -= l - at
		if on {
			cur = append(cur, b)
		}
	}
	if on && len(cur) > 1 {
		runs = append(runs, cur)
	}
	return runs
}

// drawText draws t's glyphs over img, at s pixels a point.
func (c *Canvas) drawText(img *image.RGBA, t Text, s float64) error {
	fc := c.face
	ppem := fixed.Int26_6(math.Round(t.Size * s * 64))
	along, across := c.origin(t)
	var polys [][]Point
	for _, r := range t.S {
		g := fc.glyph(r)
		segs, err := fc.f.LoadGlyph(&fc.buf, g.index, ppem, nil)
		if err != nil {
			return fmt.Errorf("chart: the glyph of %q: %w", r, err)
		}
		// Each glyph's outline, in pixels: a polygon for each contour,
		// curves flattened.
		var cur []Point
		var pen Point
		at := func(p fixed.Point26_6) Point {
			q := place(t, along+float64(p.X)/64/s, across+float64(p.Y)/64/s)
			return Point{q.X * s, q.Y * s}
		}
		for _, sg := range segs {
			switch sg.Op {
			case sfnt.SegmentOpMoveTo:
				if len(cur) > 2 {
					polys = append(polys, cur)
				}
				pen = at(sg.Args[0])
				cur = []Point{pen}
			case sfnt.SegmentOpLineTo:
				pen = at(sg.Args[0])
				cur = append(cur, pen)
			case sfnt.SegmentOpQuadTo:
				p1, p2 := at(sg.Args[0]), at(sg.Args[1])
				cur = append(cur, bezier(pen, p1, p1, p2, true)...)
				pen = p2
			case sfnt.SegmentOpCubeTo:
				p1, p2, p3 := at(sg.Args[0]), at(sg.Args[1]), at(sg.Args[2])
				cur = append(cur, bezier(pen, p1, p2, p3, false)...)
				pen = p3
			}
		}
		if len(cur) > 2 {
			polys = append(polys, cur)
		}
		along += g.adv * t.Size
	}
	// A glyph's holes (the inside of an o) are wound against its outline,
	// so the absolute winding leaves them open.
	if len(polys) > 0 {
		rasterize(img, polys, t.Colour)
	}
	return nil
}

// bezier flattens a quadratic (q: p1 its one control point) or cubic
// curve from p0 to p3 into points after p0, a pixel or so apart.
func bezier(p0, p1, p2, p3 Point, q bool) []Point {
	l := math.Hypot(p1.X-p0.X, p1.Y-p0.Y) + math.Hypot(p2.X-p1.X, p2.Y-p1.Y) + math.Hypot(p3.X-p2.X, p3.Y-p2.Y)
	n := max(2, min(32, int(math.Ceil(l/1.5))))
	out := make([]Point, n)
	for i := 1; i <= n; i++ {
		u := float64(i) / float64(n)
		v := 1 - u
		if q {
			out[i-1] = Point{v*v*p0.X + 2*v*u*p1.X + u*u*p3.X, v*v*p0.Y + 2*v*u*p1.Y + u*u*p3.Y}
			continue
		}
		out[i-1] = Point{
			v*v*v*p0.X + 3*v*v*u*p1.X + 3*v*u*u*p2.X + u*u*u*p3.X,
			v*v*v*p0.Y + 3*v*v*u*p1.Y + 3*v*u*u*p2.Y + u*u*u*p3.Y,
		}
	}
	return out
}
