package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/prevention"
)

// summaryLine is one line of the summary table a director reads: a
// measure of the area by year, in £m (or a ratio or share).
type summaryLine struct {
	Label   string
	Measure string
	Unit    string // "£m", "%", "ratio", "£ per head"
}

// summaryLines are the lines of the Summary sheet and summary.csv, cash.
func summaryLines(includesCouncil bool) []summaryLine {
	out := []summaryLine{
		{"Budget base (ICB allocations, like for like)", prevention.MeasureBudget, "£m"},
		{"Prevention share assumed", prevention.MeasureShare, "%"},
		{"Prevention at the assumed share", prevention.MeasurePrevention, "£m"},
		{"Prevention with no shift (counterfactual)", prevention.MeasureCounterfactual, "£m"},
		{"The shift: prevention above the counterfactual", prevention.MeasureShift, "£m"},
		{"Treatment spending", prevention.MeasureTreatment, "£m"},
		{"Public health grant as councils get it", prevention.MeasureGrant, "£m"},
		{"Shift as a share of the grant", prevention.MeasureShiftToGrant, "%"},
	}
	if !includesCouncil {
		out = append(out, summaryLine{"Prevention and the grant together", prevention.MeasureCombined, "£m"})
	}
	return out
}

// deliverables writes the folder an analyst takes to their director:
// results.xlsx, results.csv (tidy), summary.csv (the Summary table, wide,
// £m), chart.png and chart.svg of the area, and report.html.
func deliverables(dir string, c config, r *prevention.Result, rows []budget.Row) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("-out %s: %w", dir, err)
	}
	area := c.chartArea()
	name := "England"
	for _, a := range r.Areas() {
		if a.Code == area && area != "ENG" {
			name = a.Name
		}
	}
	years := r.Years().Years()
	ix := map[string]budget.Row{}
	for _, row := range rows {
		ix[row.Area+"|"+row.Period+"|"+row.Measure+"|"+row.Basis] = row
	}
	lines := summaryLines(c.model.Baseline.IncludesCouncil)
	// value is a line's figure in a year as the summary shows it.
	value := func(l summaryLine, y budget.Year) (float64, bool) {
		row, ok := ix[area+"|"+y.String()+"|"+l.Measure+"|cash"]
		if !ok {
			return 0, false
		}
		v := row.Value
		switch l.Unit {
		case "£m":
			v = v.Shift(-6)
		case "%":
			v = v.Shift(2)
		}
		return v.InexactFloat64(), true
	}
	projected := func(y budget.Year) bool { return y.After(c.inputs.Projection.LastPublished()) }
	yearLabel := func(y budget.Year) string {
		if projected(y) {
			return y.String() + "*"
		}
		return y.String()
	}

	// results.csv: the tidy rows.
	var tidy bytes.Buffer
	if err := budget.WriteRows(&tidy, rows); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.csv"), tidy.Bytes(), 0o644); err != nil {
		return err
	}
	// summary.csv: the Summary table, wide.
	var sum bytes.Buffer
	cw := csv.NewWriter(&sum)
	head := []string{"area_code", "area_name", "measure", "unit"}
	for _, y := range years {
		head = append(head, yearLabel(y))
	}
	_ = cw.Write(head) // errors are kept by the writer: cw.Error below
	for _, l := range lines {
		rec := []string{area, name, l.Label, l.Unit}
		for _, y := range years {
			v, ok := value(l, y)
			if !ok {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, fmt.Sprintf("%.2f", v))
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "summary.csv"), sum.Bytes(), 0o644); err != nil {
		return err
	}
	// The chart, both ways.
	for _, ext := range []string{"png", "svg"} {
		if err := drawAreaChart(c, r, area, filepath.Join(dir, "chart."+ext)); err != nil {
			return err
		}
	}
	assums := assumptions(c, r)
	if err := workbook(filepath.Join(dir, "results.xlsx"), c, r, name, area, years, lines, value, yearLabel, assums, rows); err != nil {
		return err
	}
	svg, err := os.ReadFile(filepath.Join(dir, "chart.svg"))
	if err != nil {
		return err
	}
	return report(filepath.Join(dir, "report.html"), c, name, years, lines, value, yearLabel, assums, string(svg))
}

// workbook writes results.xlsx: Summary (a director's table), Assumptions,
// Data (the tidy rows, numbers as numbers), Sources and Manifest.
func workbook(file string, c config, r *prevention.Result, name, area string, years []budget.Year, lines []summaryLine,
	value func(summaryLine, budget.Year) (float64, bool), yearLabel func(budget.Year) string, assums []assumption, rows []budget.Row) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Summary"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	millions, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`"£"#,##0.0"m"`)})
	if err != nil {
		return err
	}
	percent, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr(`0.00"%"`)})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	if err != nil {
		return err
	}
	cell := func(col, row int) string { s, _ := excelize.CoordinatesToCellName(col, row); return s }
	f.SetCellValue(sheet, "A1", fmt.Sprintf("%s (%s): the Hewitt prevention shift, %s", name, area, r.Years()))
	f.SetCellStyle(sheet, "A1", "A1", bold)
	f.SetCellValue(sheet, "A2", fmt.Sprintf("Scenario %s: %s reading, +%s, baseline share %s (%s); £m cash; years marked * are projected",
		c.sc.Name, c.model.Shift.Reading, c.model.Shift.Size, budget.FormatShare(c.model.Baseline.Share, 2), c.model.Baseline.Name))
	f.SetCellValue(sheet, "A4", "measure")
	for j, y := range years {
		f.SetCellValue(sheet, cell(2+j, 4), yearLabel(y))
	}
	for i, l := range lines {
		row := 5 + i
		f.SetCellValue(sheet, cell(1, row), l.Label)
		for j, y := range years {
			v, ok := value(l, y)
			if !ok {
				continue
			}
			f.SetCellFloat(sheet, cell(2+j, row), v, -1, 64)
			style := millions
			if l.Unit == "%" {
				style = percent
			}
			f.SetCellStyle(sheet, cell(2+j, row), cell(2+j, row), style)
		}
	}
	f.SetColWidth(sheet, "A", "A", 48)
	f.SetColWidth(sheet, "B", "H", 13)

	const as = "Assumptions"
	f.NewSheet(as)
	f.SetCellValue(as, "A1", "assumption")
	f.SetCellValue(as, "B1", "value")
	f.SetCellValue(as, "C1", "source")
	for i, a := range assums {
		f.SetCellValue(as, cell(1, 2+i), a.Name)
		f.SetCellValue(as, cell(2, 2+i), a.Value)
		f.SetCellValue(as, cell(3, 2+i), a.Source)
	}
	f.SetColWidth(as, "A", "A", 24)
	f.SetColWidth(as, "B", "C", 90)

	const data = "Data"
	f.NewSheet(data)
	for j, h := range budget.RowColumns() {
		f.SetCellValue(data, cell(1+j, 1), h)
	}
	for i, row := range rows {
		rec := row.Record()
		for j, v := range rec {
			if j == 5 { // value: a number
				x, _ := row.Value.Float64()
				f.SetCellFloat(data, cell(1+j, 2+i), x, -1, 64)
				continue
			}
			f.SetCellValue(data, cell(1+j, 2+i), v)
		}
	}

	const src = "Sources"
	f.NewSheet(src)
	for j, h := range []string{"id", "title", "address", "published"} {
		f.SetCellValue(src, cell(1+j, 1), h)
	}
	for i, s := range c.runner.Data().Sources.List() {
		for j, v := range []string{s.ID, s.Title, s.URL, s.Published} {
			f.SetCellValue(src, cell(1+j, 2+i), v)
		}
	}
	f.SetColWidth(src, "B", "B", 80)

	const man = "Manifest"
	f.NewSheet(man)
	res, err := c.runner.Run(c.sc)
	if err != nil {
		return err
	}
	m := res.Manifest
	for i, kv := range [][2]string{{"library", m.Library}, {"scenario", m.Scenario}, {"scenario hash", m.ScenarioHash}, {"data", m.Data},
		{"parameters", m.Parameters}, {"settlement", m.Settlement}, {"allocation basis", m.AllocationBasis}, {"footprint", m.Footprint},
		{"deflator", m.Deflator}, {"published to", m.Published}, {"projected years", m.Projected}, {"prices", m.Prices},
		{"present value year 0", m.PresentValueBase}, {"area", area + " " + name}} {
		f.SetCellValue(man, cell(1, 1+i), kv[0])
		f.SetCellValue(man, cell(2, 1+i), kv[1])
	}
	f.SetColWidth(man, "A", "A", 24)
	f.SetColWidth(man, "B", "B", 90)
	f.SetActiveSheet(0)
	return f.SaveAs(file)
}

func ptr[T any](v T) *T { return &v }

// reportPage is what report.html shows.
type reportPage struct {
	Name, Scenario, Reading, Years string
	Header                         []string
	Lines                          []reportLine
	Assumptions                    []assumption
	Chart                          template.HTML
	Headline                       string
}

type reportLine struct {
	Label  string
	Values []string
}

// report writes report.html: one self-contained page, A4 when printed.
func report(file string, c config, name string, years []budget.Year, lines []summaryLine,
	value func(summaryLine, budget.Year) (float64, bool), yearLabel func(budget.Year) string, assums []assumption, svg string) error {
	pg := reportPage{Name: name, Scenario: c.sc.Name, Reading: c.model.Shift.Reading.String(), Assumptions: assums}
	pg.Years = years[0].String() + " to " + years[len(years)-1].String()
	for _, y := range years {
		pg.Header = append(pg.Header, yearLabel(y))
	}
	for _, l := range lines {
		rl := reportLine{Label: l.Label}
		for _, y := range years {
			v, ok := value(l, y)
			switch {
			case !ok:
				rl.Values = append(rl.Values, "-")
			case l.Unit == "%":
				rl.Values = append(rl.Values, fmt.Sprintf("%.2f%%", v))
			default:
				rl.Values = append(rl.Values, "£"+commas(v)+"m")
			}
		}
		pg.Lines = append(pg.Lines, rl)
	}
	shift, _ := value(summaryLine{Measure: prevention.MeasureShift, Unit: "£m"}, years[len(years)-1])
	grant, _ := value(summaryLine{Measure: prevention.MeasureGrant, Unit: "£m"}, years[len(years)-1])
	pg.Headline = fmt.Sprintf("By %s the shift moves £%sm a year from treatment to prevention in %s, against a public health grant of £%sm.",
		years[len(years)-1], commas(shift), name, commas(grant))
	// The chart inline, without its XML declaration.
	if i := strings.Index(svg, "<svg"); i >= 0 {
		svg = svg[i:]
	}
	pg.Chart = template.HTML(svg) // drawn by this program, not user input
	var b bytes.Buffer
	if err := reportTemplate.Execute(&b, pg); err != nil {
		return err
	}
	return os.WriteFile(file, b.Bytes(), 0o644)
}

// commas writes x to one decimal place with thousands separators.
func commas(x float64) string {
	s := fmt.Sprintf("%.1f", x)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var out []string
	for len(whole) > 3 {
		out = append([]string{whole[len(whole)-3:]}, out...)
		whole = whole[:len(whole)-3]
	}
	out = append([]string{whole}, out...)
	r := strings.Join(out, ",") + "." + frac
	if neg {
		r = "-" + r
	}
	return r
}

var reportTemplate = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{{.Name}}: the Hewitt prevention shift</title>
<style>
@page { size: A4; margin: 15mm; }
body { font-family: "Helvetica Neue", Arial, sans-serif; font-size: 10pt; color: #111; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 16pt; margin-bottom: 2pt; }
h2 { font-size: 11.5pt; margin-top: 12pt; }
p.sub { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin-top: 6pt; }
th, td { padding: 2pt 4pt; border-bottom: 1px solid #ddd; text-align: right; }
th:first-child, td:first-child { text-align: left; }
td.src { text-align: left; color: #444; font-size: 8.5pt; }
figure { margin: 8pt 0; }
figure svg { width: 100%; height: auto; }
.note { font-size: 9pt; color: #333; }
</style>
</head>
<body>
<h1>{{.Name}}: the Hewitt prevention shift</h1>
<p class="sub">Scenario {{.Scenario}}, {{.Reading}} reading, {{.Years}}; £m cash; years marked * are projected.</p>
<p><strong>{{.Headline}}</strong></p>
<figure>{{.Chart}}</figure>
<h2>Summary</h2>
<table>
<thead><tr><th>measure</th>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Lines}}<tr><td>{{.Label}}</td>{{range .Values}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody>
</table>
<h2>What the figures mean, and what they do not</h2>
<ul class="note">
<li>The budget base is the ICB's allocations for core services, primary medical care and pharmacy, optometry and dental, each year on its latest restated basis, on the ICBs of April 2026 unless stated.</li>
<li>"Prevention at the assumed share" is a notional share of that budget, not measured spending: no official figure exists. The shift, prevention above what the share would have been, does not depend on it under the points and per-year readings.</li>
<li>Within the envelope the shift is a transfer from treatment to prevention: it creates no value by itself under the Green Book, and treatment spending falls by it.</li>
<li>The public health grant is what councils get (consolidated from 2026/27); an ICB's part is a method, not a published allocation.</li>
<li>Years after 2025/26 are projected under the stated settlement; they are not NHS England's allocations for the ICB.</li>
</ul>
<h2>Assumptions and sources</h2>
<table>
<tbody>{{range .Assumptions}}<tr><td>{{.Name}}</td><td class="src">{{.Value}}{{if .Source}}<br>Source: {{.Source}}{{end}}</td></tr>{{end}}</tbody>
</table>
</body>
</html>
`))
