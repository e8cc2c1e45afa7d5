package deliver

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/internal/xlsx"
	"github.com/upstream-health/upstream/scenario/report"
)

// ErrExists marks a folder that already holds deliverables.
var ErrExists = errors.New("already holds deliverables")

// ErrNotPlain marks a folder that is a symbolic link, or a deliverable in
// it that is not a plain file: Check and Write refuse both, and never
// write through them.
var ErrNotPlain = errors.New("a symbolic link or not a plain file")

// Check reports, before any work is done, a dir that is a file or a
// symbolic link, or a folder that already holds any of Files (from an
// earlier run, perhaps for another area) unless overwrite is set. Other
// files in the folder are never touched. A dir that does not exist yet
// is fine: Write makes it.
func Check(dir string, overwrite bool) error {
	if err := notALink(dir); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !fi.IsDir():
		return fmt.Errorf("%s: not a folder: give a folder to write the deliverables to", dir)
	}
	var found []string
	for _, name := range Files() {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: %s is %w: remove it, so that nothing is written elsewhere", dir, name, ErrNotPlain)
		}
		found = append(found, name)
	}
	if len(found) > 0 && !overwrite {
		return fmt.Errorf("%s: %w (%s)", dir, ErrExists, strings.Join(found, ", "))
	}
	return nil
}

// notALink refuses an empty folder name, and a folder that is a symbolic
// link, with or without a trailing separator ("link/" and "link/." name
// the folder it points to).
func notALink(dir string) error {
	if strings.TrimSpace(dir) == "" {
		return fmt.Errorf("deliver: %w: no folder given", budget.ErrNoData)
	}
	if fi, err := os.Lstat(filepath.Clean(dir)); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("%s: %w: give the folder itself, so that nothing is written elsewhere", dir, ErrNotPlain)
	}
	return nil
}

// Files are the files Write writes, in order.
func Files() []string {
	return []string{"results.xlsx", "results.csv", "summary.csv", "chart.png", "chart.svg", "report.html"}
}

// Write writes d to dir: results.xlsx, results.csv, summary.csv, chart.png,
// chart.svg and report.html. It writes safely: every file is made in a
// temporary folder inside dir and then renamed into place, so that a
// failure leaves the deliverables of an earlier run as they were; a dir,
// or a deliverable in it, that is a symbolic link (or not a plain file) is
// refused, naming it, and never followed. Write replaces the deliverables
// an earlier run left in dir; Check, called first, refuses such a folder.
// Before it makes anything, Write checks d: its chart and figures (one
// finite value a year for each series and band, a band in order, a first
// projected year within the years), its summary lines (one finite value a
// column, NaN for none) and its sheets' names (none the workbook has, in
// any case, and none a spreadsheet refuses); a problem is an error naming
// it, wrapping budget.ErrNoData, budget.ErrRange or budget.ErrDuplicate.
func Write(dir string, d report.Deliverable) error {
	if err := notALink(dir); err != nil {
		return err
	}
	if err := checkChart(d.Chart); err != nil {
		return fmt.Errorf("deliverable %q: chart: %w", d.Title, err)
	}
	if err := checkTables(d); err != nil {
		return fmt.Errorf("deliverable %q: %w", d.Title, err)
	}
	for _, fig := range d.Figures {
		if err := checkFigure(fig); err != nil {
			return fmt.Errorf("deliverable %q: %w", d.Title, err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	for _, name := range Files() {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err == nil && !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: %s is %w: remove it, so that nothing is written elsewhere", dir, name, ErrNotPlain)
		}
	}
	stage, err := os.MkdirTemp(dir, ".deliverables-")
	if err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	defer os.RemoveAll(stage)
	if err := write(stage, d); err != nil {
		return err
	}
	for _, name := range Files() {
		if err := os.Rename(filepath.Join(stage, name), filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
	}
	return nil
}

// write writes the deliverables to dir, a new folder.
func write(dir string, d report.Deliverable) error {
	var tidy bytes.Buffer
	w := csv.NewWriter(&tidy)
	_ = w.Write(d.DataHeader) // errors are kept by the writer: w.Error below
	for _, rec := range d.Data {
		// A copy, made safe to open: the workbook's Data sheet keeps the text as it is.
		_ = w.Write(budget.SafeRecord(append([]string(nil), rec...)))
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.csv"), tidy.Bytes(), 0o644); err != nil {
		return err
	}
	var sum bytes.Buffer
	sum.WriteString("\ufeff") // a UTF-8 byte-order mark, so that Excel reads £ as £, not Â£
	w = csv.NewWriter(&sum)
	// Plain column names for programs that read the file (2026/27, not
	// 2026/27*), and a line that says which columns are projected.
	header := []string{"measure", "unit"}
	projected := []string{"projected", "flag"}
	for _, c := range d.Columns {
		header = append(header, strings.TrimSuffix(c, "*"))
		flag := "0"
		if strings.HasSuffix(c, "*") {
			flag = "1"
		}
		projected = append(projected, flag)
	}
	_ = w.Write(header)
	for _, l := range d.Lines {
		rec := []string{budget.SafeCell(l.Label), l.Unit}
		for _, v := range l.Values {
			if math.IsNaN(v) {
				rec = append(rec, "")
				continue
			}
			rec = append(rec, strconv.FormatFloat(v, 'f', 2, 64))
		}
		_ = w.Write(rec)
	}
	_ = w.Write(projected)
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "summary.csv"), sum.Bytes(), 0o644); err != nil {
		return err
	}
	for _, ext := range []string{"png", "svg"} {
		if err := Draw(filepath.Join(dir, "chart."+ext), d.Chart); err != nil {
			return err
		}
	}
	if err := workbook(filepath.Join(dir, "results.xlsx"), d); err != nil {
		return err
	}
	svg, err := os.ReadFile(filepath.Join(dir, "chart.svg"))
	if err != nil {
		return err
	}
	var figs []pageFigure
	for i, fig := range d.Figures {
		file := filepath.Join(dir, fmt.Sprintf(".figure-%d.svg", i)) // in the staging folder; not a deliverable
		if err := drawFigure(file, fig); err != nil {
			return err
		}
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		if err := os.Remove(file); err != nil {
			return err
		}
		figs = append(figs, pageFigure{Name: fig.Name, SVG: inlineSVG(string(b))})
	}
	return htmlPage(filepath.Join(dir, "report.html"), d, string(svg), figs)
}

// workbookSheets are the sheets every workbook has, in order; a
// deliverable's Sheets come after the Summary.
func workbookSheets() []string {
	return []string{"Summary", "Assumptions", "Data", "Sources", "Manifest"}
}

// checkTables reports a summary line that is not one value a column or
// holds an infinite value (NaN is a blank), an assumption whose text is
// longer than a workbook cell holds, and a sheet the workbook cannot
// hold as named: no name, a name of more than 31 characters or with one of
// []:*?/\, or a name another sheet has (spreadsheets compare names without
// case), which would write two tables into one sheet.
func checkTables(d report.Deliverable) error {
	for _, l := range d.Lines {
		if len(l.Values) != len(d.Columns) {
			return fmt.Errorf("summary line %q: %w: %d values for %d columns", l.Label, budget.ErrRange, len(l.Values), len(d.Columns))
		}
		for k, v := range l.Values {
			if math.IsInf(v, 0) {
				return fmt.Errorf("summary line %q, %s: %v: %w: a figure is a finite number, or NaN for none", l.Label, d.Columns[k], v, budget.ErrRange)
			}
		}
	}
	// A text longer than a workbook cell holds, named by what it is, before
	// any file is written: the assumptions carry users' own words (a
	// scenario's description and sources, -baseline-source).
	for _, a := range d.Assumptions {
		for _, f := range [][2]string{{"name", a.Name}, {"value", a.Value}, {"source", a.Source}} {
			if n := xlsx.TextLen(f[1]); n > xlsx.MaxText {
				return fmt.Errorf("assumption %q: its %s has %d characters: %w: a workbook cell holds %d (shorten it where it is set)", clip.Clip(a.Name), f[0], n, budget.ErrRange, xlsx.MaxText)
			}
		}
	}
	if err := checkTable("the data", d.DataHeader, d.Data, d.NumberCols); err != nil {
		return err
	}
	names := map[string]bool{}
	for _, name := range workbookSheets() {
		names[strings.ToLower(name)] = true
	}
	for _, sh := range d.Sheets {
		switch {
		case strings.TrimSpace(sh.Name) == "":
			return fmt.Errorf("sheet: %w: no name", budget.ErrNoData)
		case len(utf16.Encode([]rune(sh.Name))) > 31 || strings.ContainsAny(sh.Name, `[]:*?/\`) ||
			strings.HasPrefix(sh.Name, "'") || strings.HasSuffix(sh.Name, "'"):
			return fmt.Errorf("sheet %q: %w: a sheet's name has at most 31 characters, none of []:*?/\\, and does not start or end with '", sh.Name, budget.ErrRange)
		case names[strings.ToLower(sh.Name)]:
			return fmt.Errorf("sheet %q: %w: the workbook has a sheet of that name (%s are its own)", sh.Name, budget.ErrDuplicate, strings.Join(workbookSheets(), ", "))
		}
		names[strings.ToLower(sh.Name)] = true
		if err := checkTable(fmt.Sprintf("sheet %q", sh.Name), sh.Header, sh.Rows, sh.NumberCols); err != nil {
			return err
		}
	}
	return nil
}

// checkTable reports a row of a table longer than its header, and a
// column of numbers (numberCols) that is not one of the header's.
func checkTable(what string, header []string, rows [][]string, numberCols []int) error {
	for _, c := range numberCols {
		if c < 0 || c >= len(header) {
			return fmt.Errorf("%s: column of numbers %d: %w: the header has %d columns", what, c, budget.ErrRange, len(header))
		}
	}
	for i, r := range rows {
		if len(r) > len(header) {
			return fmt.Errorf("%s, row %d: %w: %d cells under a header of %d", what, i+1, budget.ErrRange, len(r), len(header))
		}
	}
	return nil
}

// checkFigure reports a figure of the report that is neither a line chart
// nor a tornado, or both, or that cannot be drawn.
func checkFigure(fig report.Figure) error {
	var err error
	switch {
	case fig.Chart != nil && fig.Tornado == nil:
		err = checkChart(*fig.Chart)
	case fig.Tornado != nil && fig.Chart == nil:
		err = checkTornado(*fig.Tornado)
	default:
		err = fmt.Errorf("%w: give a chart or a tornado, one of the two", budget.ErrRange)
	}
	if err != nil {
		return fmt.Errorf("figure %q: %w", fig.Name, err)
	}
	return nil
}

// drawFigure draws a figure of the report, its line chart or its tornado.
func drawFigure(file string, fig report.Figure) error {
	if err := checkFigure(fig); err != nil {
		return err
	}
	if fig.Chart != nil {
		return Draw(file, *fig.Chart)
	}
	return DrawTornado(file, *fig.Tornado)
}

// pageFigure is a figure of the report, its SVG inline.
type pageFigure struct {
	Name string
	SVG  template.HTML
}

// inlineSVG is an SVG file's text from its <svg> element on, to put in a
// page; drawn by the program, not user input.
func inlineSVG(svg string) template.HTML {
	if i := strings.Index(svg, "<svg"); i >= 0 {
		svg = svg[i:]
	}
	return template.HTML(svg)
}

// workbook writes results.xlsx: Summary, Assumptions, Data, Sources, Manifest.
func workbook(file string, d report.Deliverable) error {
	f := xlsx.New()
	const sheet = "Summary"
	summary, err := f.AddSheet(sheet)
	if err != nil {
		return err
	}
	// A per cent is stored as the fraction (5.20% as 0.052) with a per cent
	// format, so that a formula using the cell is right.
	// The Data sheet's numbers take the format of their row's unit (the
	// tidy units: GBP, share, fraction, ratio, ...).
	// In a fixed order, so that the workbook's style ids, and its bytes,
	// are the same on every run.
	styles := map[string]int{}
	for _, uf := range [][2]string{{"£m", `"£"#,##0.0"m"`}, {"%", `0.00%`}, {"ratio", `0.00`}, {"£ per head", `"£"#,##0.00`}, {"number", `#,##0.00`},
		{string(budget.UnitShare), `0.00%`}, {string(budget.UnitFraction), `0.00%`}, {string(budget.UnitPersons), `#,##0`}, {"flag", `0`}, {string(budget.UnitQALY), `#,##0`}} {
		styles[uf[0]] = f.Style(xlsx.Style{NumFmt: uf[1]})
	}
	title := f.Style(xlsx.Style{Bold: true, Size: 13})
	wrap := f.Style(xlsx.Style{Wrap: true, Vertical: "top"})
	head := f.Style(xlsx.Style{Bold: true, Wrap: true, Vertical: "bottom", Horizontal: "right"})
	headLeft := f.Style(xlsx.Style{Bold: true, Wrap: true, Vertical: "bottom"})

	summary.SetText(1, 1, d.Title)
	summary.SetText(2, 1, d.Subtitle)
	summary.SetText(4, 1, "measure")
	for j, c := range d.Columns {
		summary.SetText(4, 2+j, c)
	}
	for i, l := range d.Lines {
		row := 5 + i
		summary.SetText(row, 1, l.Label)
		for j, v := range l.Values {
			if math.IsNaN(v) {
				continue
			}
			if l.Unit == "%" {
				// Stored as the fraction, at the precision shown and a little
				// more: 5.60% is 0.056, not 0.055999999999999994.
				v, _ = strconv.ParseFloat(strconv.FormatFloat(v/100, 'f', 8, 64), 64)
			}
			summary.SetNumber(row, 2+j, v)
			if id, ok := styles[l.Unit]; ok {
				summary.SetStyle(row, 2+j, row, 2+j, id)
			}
		}
	}
	summary.SetStyle(1, 1, 1, 1, title)
	// Labels wrap in a column wide enough to read; the column headers
	// stand over their numbers.
	summary.SetColWidth(1, 1, 56)
	summary.SetColWidth(2, 26, 12)
	if len(d.Lines) > 0 {
		summary.SetStyle(5, 1, 4+len(d.Lines), 1, wrap)
		var labels [][]string
		for _, l := range d.Lines {
			labels = append(labels, []string{l.Label})
		}
		fitRows(summary, 5, labels, map[int]float64{0: 56})
	}
	summary.SetRowHeight(4, 28) // a header of two lines: "total 2024/25-2028/29*"
	summary.SetStyle(4, 1, 4, 1, headLeft)
	if len(d.Columns) > 0 {
		summary.SetStyle(4, 2, 4, 1+len(d.Columns), head)
	}
	add := func(name string, header []string, rows [][]string, numbers map[int]bool) (*xlsx.Sheet, error) {
		sh, err := f.AddSheet(name)
		if err != nil {
			return nil, err
		}
		unitCol := slices.Index(header, "unit")
		for j, h := range header {
			sh.SetText(1, 1+j, h)
		}
		for i, rec := range rows {
			for j, v := range rec {
				if numbers[j] {
					if x, perr := strconv.ParseFloat(v, 64); perr == nil && !math.IsInf(x, 0) && !math.IsNaN(x) {
						sh.SetNumber(2+i, 1+j, x)
						style := styles["number"]
						if unitCol >= 0 && unitCol < len(rec) {
							if id, ok := styles[rec[unitCol]]; ok {
								style = id
							}
						}
						if header[j] == "delta_pct" {
							style = styles[string(budget.UnitFraction)]
						}
						sh.SetStyle(2+i, 1+j, 2+i, 1+j, style)
						continue
					}
				}
				sh.SetText(2+i, 1+j, v)
			}
		}
		if len(rows) > 0 && len(header) > 0 {
			// The header stays in view; each column can be filtered.
			sh.FreezeHeader()
			sh.AutoFilter(1+len(rows), len(header))
		}
		return sh, nil
	}
	var sheets []*xlsx.Sheet
	for _, t := range d.Sheets {
		numbers := map[int]bool{}
		for _, c := range t.NumberCols {
			numbers[c] = true
		}
		sh, err := add(t.Name, t.Header, t.Rows, numbers)
		if err != nil {
			return err
		}
		sheets = append(sheets, sh)
		sh.SetColWidth(1, 26, 13)
		sh.SetColWidth(2, 2, 36)
		widths := map[int]float64{1: 36}
		if last := len(t.Header); last > 2 && !numbers[last-1] {
			// A closing text column (how a figure is set) wraps.
			sh.SetColWidth(last, last, 60)
			sh.SetColStyle(last, last, wrap)
			widths[last-1] = 60
		}
		sh.SetColStyle(2, 2, wrap)
		fitRows(sh, 2, t.Rows, widths)
		sh.SetRowHeight(1, 42) // headers of up to three lines
		sh.SetStyle(1, 1, 1, max(1, len(t.Header)), headLeft)
	}
	var as [][]string
	for _, a := range d.Assumptions {
		as = append(as, []string{a.Name, a.Value, a.Source})
	}
	assumptions, err := add("Assumptions", []string{"assumption", "value", "source"}, as, nil)
	if err != nil {
		return err
	}
	wrapColumns(assumptions, 3, wrap, as, 22, 90, 50)
	numbers := map[int]bool{}
	for _, c := range d.NumberCols {
		numbers[c] = true
	}
	data, err := add("Data", d.DataHeader, d.Data, numbers)
	if err != nil {
		return err
	}
	data.SetColWidth(1, 26, 14)
	for j, h := range d.DataHeader {
		switch h {
		case "area_name":
			data.SetColWidth(1+j, 1+j, 30)
		case "measure":
			data.SetColWidth(1+j, 1+j, 40) // public_health_grant_per_head_registered in full
		case "unit":
			data.SetColWidth(1+j, 1+j, 15)
		}
	}
	for c := range numbers {
		data.SetColWidth(1+c, 1+c, 22) // £6,816,250,628.85 in full, not 6.82E+09
	}
	if n := len(d.DataHeader); n > 0 {
		data.SetStyle(1, 1, 1, n, headLeft)
	}
	var src [][]string
	for _, s := range d.Sources {
		src = append(src, []string{s.ID, s.Title, s.URL, s.Published})
	}
	sources, err := add("Sources", []string{"id", "title", "address", "published"}, src, nil)
	if err != nil {
		return err
	}
	wrapColumns(sources, 4, wrap, src, 22, 70, 50)
	var man [][]string
	for _, kv := range d.Manifest {
		man = append(man, []string{kv[0], kv[1]})
	}
	manifest, err := add("Manifest", []string{"key", "value"}, man, nil)
	if err != nil {
		return err
	}
	manifest.SetColWidth(1, 1, 24)
	manifest.SetColWidth(2, 2, 90)
	manifest.SetColStyle(2, 2, wrap)
	fitRows(manifest, 2, man, map[int]float64{1: 90})
	// Column styles reach the header cells too: bold them again.
	assumptions.SetStyle(1, 1, 1, 3, headLeft)
	sources.SetStyle(1, 1, 1, 4, headLeft)
	manifest.SetStyle(1, 1, 1, 2, headLeft)
	// Pages a director's office can print: A4 landscape, each sheet as
	// wide as the page, its header row on every page, and a footer with
	// the area, the scenario and the page; the Summary on one page.
	footer := "&L" + footerText(d.Footer) + "&RPage &P of &N"
	summary.SetPage(xlsx.Page{Landscape: true, PaperSize: 9, Fit: true, FitWidth: 1, FitHeight: 1, Footer: footer})
	for _, sh := range append(sheets, assumptions, data, sources, manifest) {
		sh.SetPage(xlsx.Page{Landscape: true, PaperSize: 9, Fit: true, FitWidth: 1, Footer: footer, TitleRows: 1})
	}
	f.SetProps(xlsx.Props{Creator: "Upstream (" + d.Program + ")", Title: d.Title, Description: d.Subtitle, Language: "en-GB"})
	out, err := os.Create(file)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	if err := f.Write(bw); err != nil {
		out.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

type page struct {
	report.Deliverable
	Rows    []pageRow
	Chart   template.HTML
	Figures []pageFigure
}

type pageRow struct {
	Label  string
	Values []string
}

// htmlPage writes report.html: one self-contained page, A4 when printed.
func htmlPage(file string, d report.Deliverable, svg string, figs []pageFigure) error {
	pg := page{Deliverable: d, Figures: figs}
	for _, l := range d.Lines {
		r := pageRow{Label: l.Label}
		for _, v := range l.Values {
			r.Values = append(r.Values, report.Format(v, l.Unit))
		}
		pg.Rows = append(pg.Rows, r)
	}
	pg.Chart = inlineSVG(svg)
	var b bytes.Buffer
	t, err := reportTemplate()
	if err != nil {
		return err
	}
	if err := t.Execute(&b, pg); err != nil {
		return err
	}
	return os.WriteFile(file, b.Bytes(), 0o644)
}

// reportTemplate is the page's template, parsed when a page is first
// written, not when a program that might write one starts.
var reportTemplate = sync.OnceValues(func() (*template.Template, error) {
	return template.New("report").Parse(reportPage)
})

// reportPage is the page: report.html, one page, A4 when printed.
const reportPage = `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
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
@media print {
  h1, h2 { break-after: avoid; page-break-after: avoid; }
  tr, figure, li { break-inside: avoid; page-break-inside: avoid; }
}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="sub">{{.Subtitle}}</p>
<p><strong>{{.Headline}}</strong></p>
<figure>{{.Chart}}</figure>
<h2>Summary</h2>
<table>
<thead><tr><th>measure</th>{{range .Columns}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr><td>{{.Label}}</td>{{range .Values}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody>
</table>
{{range .Sheets}}{{if .InReport}}<h2>{{.Name}}</h2>
<table>
<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody>
</table>
{{end}}{{end}}{{range .Figures}}<h2>{{.Name}}</h2>
<figure>{{.SVG}}</figure>
{{end}}<h2>What the figures mean, and what they do not</h2>
<ul class="note">{{range .Notes}}<li>{{.}}</li>{{end}}</ul>
<h2>Assumptions and sources</h2>
<table>
<tbody>{{range .Assumptions}}<tr><td>{{.Name}}</td><td class="src">{{.Value}}{{if .Source}}<br>Source: {{.Source}}{{end}}</td></tr>{{end}}</tbody>
</table>
</body>
</html>
`

// footerText is footer escaped for a workbook's footer ("&" doubled) and
// cut to 180 bytes (the footer holds 255 with the page number) at a whole
// character, before the escaping, so that a cut never splits a character
// or leaves a lone "&" to start a code.
func footerText(footer string) string {
	n := 0
	for i, r := range footer {
		w := utf8.RuneLen(r)
		if r == '&' {
			w = 2
		}
		if n+w > 180 {
			footer = footer[:i]
			break
		}
		n += w
	}
	return strings.ReplaceAll(footer, "&", "&&")
}

// wrapColumns sets the widths of a sheet's first columns (in characters),
// wraps the text of its columns 1 to last in style wrap, and sizes the
// rows of the table below its header (rows) to show it.
func wrapColumns(sh *xlsx.Sheet, last, wrap int, rows [][]string, widths ...float64) {
	fit := map[int]float64{}
	for j, w := range widths {
		sh.SetColWidth(1+j, 1+j, w)
		fit[j] = w
	}
	sh.SetColStyle(1, last, wrap)
	fitRows(sh, 2, rows, fit)
}

// fitRows sets the height of each row from first on to show its wrapped
// text: the most lines any of its columns (index: width in characters)
// needs, at 13 points a line, up to the tallest a row can be (409 points,
// 31 lines: a longer text shows its start, and the cell holds it all).
// Spreadsheet programs do not size rows whose text wraps by themselves
// when a file is opened or printed.
func fitRows(sh *xlsx.Sheet, first int, rows [][]string, widths map[int]float64) {
	for i, rec := range rows {
		lines := 1
		for j, w := range widths {
			if j < len(rec) && w > 0 {
				lines = max(lines, int(math.Ceil(float64(utf8.RuneCountInString(rec[j]))/(w*1.05))))
			}
		}
		if lines > 1 {
			sh.SetRowHeight(first+i, min(13*float64(lines), xlsx.MaxRowHeight))
		}
	}
}
