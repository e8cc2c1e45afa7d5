package report

// Series is a line: a value (£m) for each year.
type Series struct {
	Name   string
	Values []float64
	Dashed bool
	// Colour is the palette colour, from 1, so that related series (a
	// measure in cash and in real terms) share one; 0 takes the series'
	// position.
	Colour int
}

// Colours of the measures, the same in every chart (Series.Colour values):
// the prevention shift and the public health grant.
const (
	ShiftColour = 1
	GrantColour = 2
)

// Band is a shaded interval with a middle line, such as P10-P90 around P50.
type Band struct {
	Name           string // legend label of the shaded area
	MidName        string // legend label of the middle line
	Low, Mid, High []float64
}

// Chart is a line chart by year: its title, the unit of its values, the
// years, the series and an optional band (each one value a year), the
// first projected year (index into Years, shaded; -1 for none, so the zero
// Chart shades every year), and a footnote (sources) under it.
type Chart struct {
	Title, YLabel  string
	Years          []string
	Series         []Series
	Band           *Band
	FirstProjected int
	Footnote       string
}

// Tornado is a tornado chart: horizontal bars from each assumption's low
// to its high output around the central value, the first at the top
// (TornadoChart gives them widest first); the axis says what the output
// is (XLabel).
type Tornado struct {
	Title, XLabel string
	Bars          []Bar
	Central       float64
}

// Bar is one assumption's bar of a tornado: the output at the assumption's
// low and high values.
type Bar struct {
	Label     string
	Low, High float64
}
