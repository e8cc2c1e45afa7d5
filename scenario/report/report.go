package report

import (
	"math"
	"strconv"
	"strings"

	"github.com/upstream-health/upstream/budget"
)

// Line is one line of the summary table: a label, its unit ("£m", "%",
// "ratio", "£ per head") and a value for each column (NaN where there is none).
type Line struct {
	Label  string
	Unit   string
	Values []float64
}

// Assumption is one assumption with its value and source.
type Assumption struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source,omitempty"`
}

// Deliverable is what is written: the summary (title, subtitle, headline,
// column headers, lines, notes), the assumptions, the tidy data as a
// header and records, the sources, the manifest, and the chart, as data
// (package deliver draws and writes it).
type Deliverable struct {
	Program     string // "hewitt", for the message
	Title       string
	Subtitle    string
	Headline    string
	Columns     []string // column headers of the summary, such as years ("2026/27*" projected)
	Lines       []Line
	Notes       []string // what the figures mean and what they do not
	Assumptions []Assumption
	DataHeader  []string
	Data        [][]string
	NumberCols  []int // columns of Data that hold numbers
	Sources     []budget.Source
	Manifest    [][2]string
	Chart       Chart // chart.png, chart.svg and the report's first figure
	// Sheets are more tables for the workbook, after the Summary (such
	// as every ICB in one table).
	Sheets []Sheet
	// Footer is printed at the foot of every page of the workbook, with
	// the page number: the area and the scenario.
	Footer string
	// Figures are more charts for the report, after the Sheets it shows
	// (such as a tornado), each drawn as SVG into the page.
	Figures []Figure
}

// Figure is a chart of the report: a heading and a line chart or a
// tornado (one of the two).
type Figure struct {
	Name    string
	Chart   *Chart
	Tornado *Tornado
}

// Sheet is a table of the workbook: a name, a header, the rows as text,
// and the columns that hold numbers.
type Sheet struct {
	Name       string
	Header     []string
	Rows       [][]string
	NumberCols []int
	// InReport puts the table in the report too, after the Summary.
	InReport bool
}

// Format writes a value of a unit for people: £1,234.5m, 5.20%, 0.34, £67.91.
func Format(v float64, unit string) string {
	switch {
	case math.IsNaN(v):
		return "-"
	case unit == "%":
		return strconv.FormatFloat(v, 'f', 2, 64) + "%"
	case unit == "ratio":
		return strconv.FormatFloat(v, 'f', 2, 64)
	case unit == "£ per head":
		return "£" + commas(v, 2)
	case unit == "QALYs":
		return commas(v, 0)
	}
	return "£" + commas(v, 1) + "m"
}

// commas writes x to places decimal places with thousands separators.
func commas(x float64, places int) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', places, 64)
	whole, frac, _ := strings.Cut(s, ".")
	var parts []string
	for len(whole) > 3 {
		parts = append([]string{whole[len(whole)-3:]}, parts...)
		whole = whole[:len(whole)-3]
	}
	parts = append([]string{whole}, parts...)
	out := strings.Join(parts, ",")
	if frac != "" {
		out += "." + frac
	}
	if x < 0 {
		out = "-" + out
	}
	return out
}
