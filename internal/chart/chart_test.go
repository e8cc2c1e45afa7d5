package chart

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	red   = color.NRGBA{R: 255, A: 255}
	blue  = color.NRGBA{B: 255, A: 255}
	black = color.NRGBA{A: 255}
)

func canvas(t *testing.T, w, h float64) *Canvas {
	t.Helper()
	c, err := New(w, h)
	require.NoError(t, err)
	return c
}

// picture draws c as a PNG at 72 dots an inch (a pixel a point) and reads
// it back.
func picture(t *testing.T, c *Canvas, dpi float64) image.Image {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, c.WritePNG(&b, dpi))
	img, err := png.Decode(&b)
	require.NoError(t, err)
	return img
}

func at(img image.Image, x, y int) color.NRGBA {
	return color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
}

// ink is how many pixels of img in r are not white.
func ink(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if at(img, x, y) != (color.NRGBA{255, 255, 255, 255}) {
				n++
			}
		}
	}
	return n
}

// TestWidthsAreLiberationSans: the font's advance widths, which lay text
// out the same in the PNG and the SVG. Liberation Sans is
// metric-compatible with Arial: a digit is 1,139 units of the em's 2,048,
// a space 569 (the fonts' hmtx tables).
func TestWidthsAreLiberationSans(t *testing.T) {
	c := canvas(t, 100, 100)
	assert.InDelta(t, 10*1139.0/2048*10, c.Width("0123456789", 10), 1e-9)
	assert.InDelta(t, 569.0/2048*12, c.Width(" ", 12), 1e-9)
	assert.InDelta(t, 2*c.Width("£4,577m", 10), c.Width("£4,577m", 20), 1e-9, "widths scale with size")
	assert.Less(t, c.Width("iii", 10), c.Width("WWW", 10))
	assert.Greater(t, c.Width("\U0001F600", 10), 0.0, "a rune the font lacks takes its missing-glyph box")
	assert.InDelta(t, c.Ascent(10)+c.Descent(10), c.LineHeight(10), 1e-12)
	assert.InDelta(t, 0.905*10, c.Ascent(10), 0.01, "the font's ascent, 1,854 units")
}

func TestNewAndWritePNGRefuseWhatCannotBeDrawn(t *testing.T) {
	for _, wh := range [][2]float64{{0, 10}, {10, -1}, {math.NaN(), 10}, {10, math.Inf(1)}, {1e5, 10}} {
		_, err := New(wh[0], wh[1])
		assert.Error(t, err, "%v", wh)
	}
	c := canvas(t, 10, 10)
	for _, dpi := range []float64{0, -72, math.NaN(), 1e6} {
		assert.Error(t, c.WritePNG(&bytes.Buffer{}, dpi), "%v dpi", dpi)
	}
	big := canvas(t, 10000, 10000)
	assert.ErrorContains(t, big.WritePNG(&bytes.Buffer{}, 1200), "27778 million pixels: want at most 64 million", "not 111 GB of image")
}

// TestPNGDrawsWhatIsAsked: a picture 2.5 times its size in points at 180
// dots an inch, on white; a rectangle in its colour, half see-through over
// another; a dot round, and nothing drawn beyond it.
func TestPNGDrawsWhatIsAsked(t *testing.T) {
	c := canvas(t, 40, 20)
	c.Rect(Point{2, 2}, Point{18, 18}, red)
	c.Rect(Point{10, 2}, Point{18, 18}, color.NRGBA{B: 255, A: 128})
	c.Dot(Point{30, 10}, 4, blue)
	img := picture(t, c, 180)
	assert.Equal(t, image.Rect(0, 0, 100, 50), img.Bounds())
	assert.Equal(t, color.NRGBA{255, 255, 255, 255}, at(img, 1, 1), "white round the drawing")
	assert.Equal(t, red, at(img, 15, 25))
	got := at(img, 35, 25)
	assert.InDelta(t, 127, int(got.R), 2, "half of the red shows through the blue")
	assert.InDelta(t, 128, int(got.B), 2)
	assert.Equal(t, blue, at(img, 75, 25), "the dot's centre")
	assert.Equal(t, color.NRGBA{255, 255, 255, 255}, at(img, 75+12, 25+12), "a dot is round: its bounding box's corner is white")
}

// TestStrokesFillTheirCorners: a thick line's pieces and round corners
// overlap, wound one way, so a corner is filled, not cut out; a dashed
// line leaves its gaps white.
func TestStrokesFillTheirCorners(t *testing.T) {
	c := canvas(t, 60, 60)
	c.Line([]Point{{10, 50}, {30, 10}, {50, 50}}, 8, black)
	img := picture(t, c, 72)
	for _, p := range [][2]int{{30, 10}, {30, 12}, {29, 9}, {31, 9}} {
		assert.Equal(t, black, at(img, p[0], p[1]), "at the corner %v", p)
	}
	for _, p := range [][2]int{{20, 30}, {40, 30}} {
		assert.Equal(t, black, at(img, p[0], p[1]), "along the line %v", p)
	}

	c = canvas(t, 60, 10)
	c.Line([]Point{{0, 5}, {60, 5}}, 2, black, 10, 10)
	img = picture(t, c, 72)
	for x, want := range map[int]bool{5: true, 15: false, 25: true, 35: false, 45: true, 55: false} {
		assert.Equal(t, want, at(img, x, 5) == black, "x %d", x)
	}
	// A pattern of no length, or of lengths below zero, draws solid; so
	// does one so fine the line would be a million dashes (it did not
	// end: 1e-20 added to 30 is 30).
	for _, dashes := range [][]float64{{0, 0}, {-5, -5}, {math.NaN()}, {1e-20, 1e-20}} {
		c = canvas(t, 60, 10)
		c.Line([]Point{{0, 5}, {60, 5}}, 2, black, dashes...)
		img = picture(t, c, 72)
		assert.Equal(t, black, at(img, 15, 5), "%v", dashes)
	}
}

// TestTextSitsWhereItIsAligned: text ends at its anchor when aligned to
// its end, centres on it when centred; turned up, it runs up from its
// anchor; a letter's hole (the inside of an O) is left open.
func TestTextSitsWhereItIsAligned(t *testing.T) {
	c := canvas(t, 200, 200)
	c.Text(Text{At: Point{100, 50}, S: "£4,577m", Size: 20, Colour: black, H: End, V: Middle})
	img := picture(t, c, 72)
	w := int(math.Ceil(c.Width("£4,577m", 20)))
	assert.Greater(t, ink(img, image.Rect(100-w, 40, 100, 60)), 100, "inked before the anchor")
	assert.Zero(t, ink(img, image.Rect(101, 0, 200, 200)), "none after it")
	assert.Zero(t, ink(img, image.Rect(0, 0, 200, 35)), "none far above the middle")

	c = canvas(t, 200, 200)
	c.Text(Text{At: Point{100, 150}, S: "O", Size: 80, Colour: black, H: Centre, V: Middle})
	img = picture(t, c, 72)
	assert.Equal(t, color.NRGBA{255, 255, 255, 255}, at(img, 100, 150), "the O's hole")
	assert.Equal(t, black, at(img, 100-int(c.Width("O", 80)/2)+8, 150), "its left stroke")

	c = canvas(t, 200, 200)
	c.Text(Text{At: Point{50, 150}, S: "financial year", Size: 12, Colour: black, V: Top, Up: true})
	img = picture(t, c, 72)
	up := int(math.Ceil(c.Width("financial year", 12)))
	assert.Greater(t, ink(img, image.Rect(50, 150-up, 50+int(c.LineHeight(12)), 150)), 100, "up and to the right of the anchor")
	assert.Zero(t, ink(img, image.Rect(0, 151, 200, 200)), "none below it")
	assert.Zero(t, ink(img, image.Rect(0, 0, 49, 200)), "none left of it")
}

// TestSVGIsTheSamePicture: the SVG holds the same items in order, text
// escaped and selectable, placed at its laid-out start; numbers to a
// hundredth; the same drawing gives the same bytes.
func TestSVGIsTheSamePicture(t *testing.T) {
	draw := func() string {
		c := canvas(t, 510.236, 311.811)
		c.Rect(Point{10, 10}, Point{20, 20}, color.NRGBA{R: 128, G: 128, B: 128, A: 40})
		c.Line([]Point{{0, 1.0 / 3}, {10, 2}}, 1.8, color.NRGBA{R: 0x7A, G: 0xC3, B: 0x6A, A: 255}, 5, 3)
		c.Dot(Point{5, 5}, 2, red)
		c.Text(Text{At: Point{100, 50}, S: "R&D <costs>\n£m", Size: 10, Colour: black, H: End})
		c.Text(Text{At: Point{6, 100}, S: "£m", Size: 12, Colour: black, H: Centre, V: Top, Up: true})
		var b strings.Builder
		require.NoError(t, c.WriteSVG(&b))
		return b.String()
	}
	svg := draw()
	assert.Equal(t, svg, draw(), "the same bytes")
	assert.Contains(t, svg, `width="510.24pt" height="311.81pt" viewBox="0 0 510.24 311.81"`)
	assert.Contains(t, svg, `style="fill:#808080;fill-opacity:0.157"`)
	assert.Contains(t, svg, `d="M0,0.33L10,2" style="fill:none;stroke:#7AC36A;stroke-width:1.8;stroke-linejoin:round;stroke-dasharray:5,3"`)
	assert.Contains(t, svg, `<circle cx="5" cy="5" r="2" style="fill:#FF0000"/>`)
	assert.Contains(t, svg, ">R&amp;D &lt;costs&gt; £m</text>", "escaped, its line break a space")
	assert.Contains(t, svg, `transform="rotate(-90`)
	order := []string{"<rect", "<path d=\"M10", "<path d=\"M0", "<circle", "R&amp;D"}
	last := -1
	for _, s := range order {
		i := strings.Index(svg, s)
		assert.Greater(t, i, last, "%s in the order drawn", s)
		last = i
	}
}

// TestWhatCannotBeDrawnIsRefused: a point infinite, not a number or
// beyond a billion points, or a width or size beyond 1,000 points, is an
// error naming it, from either writer; the first is named; nothing drawn
// at all is an empty picture.
func TestWhatCannotBeDrawnIsRefused(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, c := range []struct {
		draw func(*Canvas)
		says string
	}{
		{func(c *Canvas) { c.Fill([]Point{{-1e300, 0}, {1, 10}, {3, 4}}, red) }, "a filled shape at (-1e+300, 0)"},
		{func(c *Canvas) { c.Line([]Point{{0, 0}, {inf, -inf}}, 2, black, 1, 1) }, "a line at (+Inf, -Inf)"},
		{func(c *Canvas) { c.Dot(Point{nan, 1}, 3, blue) }, "a dot at (NaN, 1)"},
		{func(c *Canvas) { c.Text(Text{At: Point{inf, 0}, S: "x", Size: 10}) }, "a text at (+Inf, 0)"},
		{func(c *Canvas) { c.Line([]Point{{0, 0}, {1, 1}}, 1e300, black) }, "a line's width of 1e+300 points"},
		{func(c *Canvas) { c.Dot(Point{1, 1}, inf, black) }, "a dot's radius of +Inf points"},
		{func(c *Canvas) { c.Text(Text{At: Point{1, 1}, S: "x", Size: 2000}) }, "a text's size of 2000 points"},
		{func(c *Canvas) {
			c.Dot(Point{nan, 1}, 3, blue)
			c.Text(Text{At: Point{inf, 0}, S: "x", Size: 10})
		}, "a dot at (NaN, 1)"},
	} {
		cv := canvas(t, 50, 50)
		c.draw(cv)
		assert.ErrorContains(t, cv.WriteSVG(&bytes.Buffer{}), c.says)
		assert.ErrorContains(t, cv.WritePNG(&bytes.Buffer{}, 72), c.says)
	}
	cv := canvas(t, 50, 50)
	cv.Line([]Point{{0, 0}}, 2, black)
	cv.Text(Text{S: "", Size: 10})
	assert.Zero(t, ink(picture(t, cv, 72), image.Rect(0, 0, 50, 50)), "nothing drawn")
}
