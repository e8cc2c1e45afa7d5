package xlsx_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/xlsx"
)

// sheet is a new workbook with one sheet, name.
func sheet(t testing.TB, name string) (*xlsx.Workbook, *xlsx.Sheet) {
	t.Helper()
	w := xlsx.New()
	s, err := w.AddSheet(name)
	require.NoError(t, err)
	return w, s
}

// write writes w and opens what it wrote with excelize, an independent
// reader.
func write(t *testing.T, w *xlsx.Workbook) (*excelize.File, []byte) {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, w.Write(&b))
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f, b.Bytes()
}

func raw(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	return v
}

// TestTextReadsBack: text of every kind reads back as written: markup
// characters, a character XML cannot hold, SpreadsheetML's own escape
// written literally, spaces at the ends, lines, and text outside the
// basic plane.
func TestTextReadsBack(t *testing.T) {
	texts := []string{
		"England", `<b>&"'</b>`, "a\x01b\x1fc", "_x0041_ is not A", "_x005F_", " leading", "trailing ",
		"two\nlines", "tab\there", "cr\r\nlf", "£1,586m", "emoji 🏥", "=SUM(A1)", "", strings.Repeat("x", xlsx.MaxText),
		"not\uFFFEa\uFFFFcharacter", "_x000D_", "_x0000\x1b", "_X0041_",
	}
	w, s := sheet(t, "Text")
	for i, v := range texts {
		s.SetText(1+i, 1, v)
	}
	f, _ := write(t, w)
	for i, v := range texts {
		assert.Equal(t, v, raw(t, f, "Text", xlsx.CellName(1+i, 1)), "text %d", i)
		typ, err := f.GetCellType("Text", xlsx.CellName(1+i, 1))
		require.NoError(t, err)
		assert.Equal(t, excelize.CellTypeSharedString, typ, "text %d is text, even %q", i, v)
	}
}

// TestNumbersReadBack: a number reads back as the same float64, written
// in the fewest digits.
func TestNumbersReadBack(t *testing.T) {
	nums := []float64{0, 1, -1, 0.056, 1585.86061726, 6816250628.85, 1e-7, 1e20, -123456789.125, math.MaxFloat64, math.SmallestNonzeroFloat64}
	w, s := sheet(t, "Numbers")
	for i, v := range nums {
		s.SetNumber(1+i, 2, v)
	}
	f, b := write(t, w)
	for i, v := range nums {
		got := raw(t, f, "Numbers", xlsx.CellName(1+i, 2))
		assert.Equal(t, strconv.FormatFloat(v, 'f', -1, 64), got)
	}
	assert.Contains(t, part(t, b, "xl/worksheets/sheet1.xml"), `<c r="B4"><v>0.056</v></c>`, "0.056 in the fewest digits")
}

// part returns the text of the zip entry name.
func part(t *testing.T, b []byte, name string) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	for _, f := range z.File {
		if f.Name == name {
			r, err := f.Open()
			require.NoError(t, err)
			body, err := io.ReadAll(r)
			require.NoError(t, err)
			return string(body)
		}
	}
	t.Fatalf("no part %s", name)
	return ""
}

// TestLayoutReadsBack: styles, widths, heights, the frozen header, the
// filter, the print settings, the titles printed on every page and the
// document properties read back as set.
func TestLayoutReadsBack(t *testing.T) {
	w := xlsx.New()
	money := w.Style(xlsx.Style{NumFmt: `"£"#,##0.0"m"`})
	pct := w.Style(xlsx.Style{NumFmt: `0.00%`})
	assert.Equal(t, money, w.Style(xlsx.Style{NumFmt: `"£"#,##0.0"m"`}), "the same style, the same number")
	title := w.Style(xlsx.Style{Bold: true, Size: 13})
	head := w.Style(xlsx.Style{Bold: true, Wrap: true, Vertical: "bottom", Horizontal: "right"})
	s, err := w.AddSheet("Summary")
	require.NoError(t, err)
	s.SetText(1, 1, "Title")
	s.SetStyle(1, 1, 1, 1, title)
	s.SetText(2, 2, "2024/25")
	s.SetStyle(2, 2, 2, 3, head) // C2 is made, empty, styled
	s.SetNumber(3, 2, 1585.9)
	s.SetStyle(3, 2, 3, 2, money)
	s.SetNumber(3, 3, 0.0520)
	s.SetStyle(3, 3, 3, 3, pct)
	s.SetColWidth(1, 26, 12)
	s.SetColWidth(1, 1, 56) // a narrower range inside a wider one
	s.SetColWidth(5, 5, 30)
	s.SetRowHeight(2, 28)
	s.SetPage(xlsx.Page{Landscape: true, PaperSize: 9, Fit: true, FitWidth: 1, FitHeight: 1, Footer: "&LEngland & Wales&RPage &P of &N"})
	d, err := w.AddSheet("Data's")
	require.NoError(t, err)
	for c, h := range []string{"year", "value"} {
		d.SetText(1, 1+c, h)
	}
	for r := 2; r <= 10; r++ {
		d.SetText(r, 1, "2024/25")
		d.SetNumber(r, 2, float64(r))
	}
	d.FreezeHeader()
	d.AutoFilter(10, 2)
	d.SetPage(xlsx.Page{Landscape: true, PaperSize: 9, Fit: true, FitWidth: 1, TitleRows: 1})
	w.SetProps(xlsx.Props{Title: "England & Wales", Description: "Cash, £m _x0041_", Creator: "Upstream (test)", Language: "en-GB"})
	wrapped := w.Style(xlsx.Style{Wrap: true})
	d.SetColStyle(3, 3, wrapped) // a column with a style and no width
	f, b := write(t, w)
	// Text outside a cell is plain XML: SpreadsheetML's _xHHHH_ is for
	// cells, and a property or a footer would show it as it is.
	assert.Contains(t, part(t, b, "docProps/core.xml"), "Cash, £m _x0041_")
	// A column without a width has the default's: Excel shows a column
	// whose width is missing as hidden.
	assert.Contains(t, part(t, b, "xl/worksheets/sheet2.xml"), `<col min="3" max="3" width="9.140625" style="5"/>`)

	assert.Equal(t, []string{"Summary", "Data's"}, f.GetSheetList())
	style := func(sheet, cell string) *excelize.Style {
		id, err := f.GetCellStyle(sheet, cell)
		require.NoError(t, err)
		st, err := f.GetStyle(id)
		require.NoError(t, err)
		return st
	}
	assert.True(t, style("Summary", "A1").Font.Bold)
	assert.Equal(t, 13.0, style("Summary", "A1").Font.Size)
	assert.Equal(t, `"£"#,##0.0"m"`, *style("Summary", "B3").CustomNumFmt)
	assert.Equal(t, `0.00%`, *style("Summary", "C3").CustomNumFmt)
	h := style("Summary", "C2")
	assert.True(t, h.Font.Bold)
	assert.Equal(t, excelize.Alignment{Horizontal: "right", Vertical: "bottom", WrapText: true}, *h.Alignment)
	assert.Empty(t, raw(t, f, "Summary", "C2"), "a cell styled, never set, is empty")
	for col, want := range map[string]float64{"A": 56, "B": 12, "D": 12, "E": 30, "F": 12, "Z": 12} {
		got, err := f.GetColWidth("Summary", col)
		require.NoError(t, err)
		assert.Equal(t, want, got, "column %s", col)
	}
	ht, err := f.GetRowHeight("Summary", 2)
	require.NoError(t, err)
	assert.Equal(t, 28.0, ht)
	layout, err := f.GetPageLayout("Summary")
	require.NoError(t, err)
	assert.Equal(t, 9, *layout.Size)
	assert.Equal(t, "landscape", *layout.Orientation)
	assert.Equal(t, 1, *layout.FitToWidth)
	assert.Equal(t, 1, *layout.FitToHeight)
	props, err := f.GetSheetProps("Summary")
	require.NoError(t, err)
	assert.True(t, *props.FitToPage)
	hf, err := f.GetHeaderFooter("Summary")
	require.NoError(t, err)
	assert.Equal(t, "&LEngland & Wales&RPage &P of &N", hf.OddFooter)

	panes, err := f.GetPanes("Data's")
	require.NoError(t, err)
	assert.True(t, panes.Freeze)
	assert.Equal(t, 1, panes.YSplit)
	assert.Equal(t, "A2", panes.TopLeftCell)
	var names []string
	for _, n := range f.GetDefinedName() {
		names = append(names, n.Name+" "+n.Scope+" "+n.RefersTo)
	}
	assert.ElementsMatch(t, []string{
		"_xlnm._FilterDatabase Data's 'Data''s'!$A$1:$B$10",
		"_xlnm.Print_Titles Data's 'Data''s'!$1:$1",
	}, names, "a name with ' is quoted with it doubled")
	layout, err = f.GetPageLayout("Data's")
	require.NoError(t, err)
	assert.Equal(t, 0, *layout.FitToHeight, "as many pages down as it needs")
	doc, err := f.GetDocProps()
	require.NoError(t, err)
	assert.Equal(t, "England & Wales", doc.Title)
	assert.Equal(t, "Cash, £m _x0041_", doc.Description)
	assert.Equal(t, "Upstream (test)", doc.Creator)
	assert.Equal(t, "Upstream (test)", doc.LastModifiedBy)
	assert.Equal(t, "en-GB", doc.Language)
}

// TestColumnStyles: a column style restyles the cells set in it already
// and styles those set later; a cell style set after it wins.
func TestColumnStyles(t *testing.T) {
	w, s := sheet(t, "S")
	wrap := w.Style(xlsx.Style{Wrap: true, Vertical: "top"})
	bold := w.Style(xlsx.Style{Bold: true})
	s.SetText(1, 2, "header")
	s.SetText(2, 2, "before")
	s.SetText(2, 3, "other column")
	s.SetColStyle(2, 2, wrap)
	s.SetText(3, 2, "after")
	s.SetStyle(1, 2, 1, 2, bold)
	s.SetText(1, 2, "header, set again") // keeps its style
	f, b := write(t, w)
	// A spreadsheet program takes a cell's own style, not its column's:
	// each cell carries it (excelize would show the column's for a cell
	// without one).
	sheet := part(t, b, "xl/worksheets/sheet1.xml")
	assert.Contains(t, sheet, `<c r="B2" s="1" t="s">`, "set before")
	assert.Contains(t, sheet, `<c r="B3" s="1" t="s">`, "set after")
	assert.Contains(t, sheet, `<c r="C2" t="s">`, "another column")
	assert.Contains(t, sheet, `<c r="B1" s="2" t="s">`, "its own style, set later")
	id := func(cell string) int {
		i, err := f.GetCellStyle("S", cell)
		require.NoError(t, err)
		return i
	}
	wrapped := func(cell string) bool {
		st, err := f.GetStyle(id(cell))
		require.NoError(t, err)
		return st.Alignment != nil && st.Alignment.WrapText
	}
	assert.True(t, wrapped("B2"), "set before")
	assert.True(t, wrapped("B3"), "set after")
	assert.False(t, wrapped("C2"), "another column")
	st, err := f.GetStyle(id("B1"))
	require.NoError(t, err)
	assert.True(t, st.Font.Bold)
	assert.Equal(t, "header, set again", raw(t, f, "S", "B1"))
	col, err := f.GetColStyle("S", "B")
	require.NoError(t, err)
	assert.Equal(t, id("B2"), col)
}

// TestSameBytes: the same calls give the same bytes, and every part is
// well-formed XML.
func TestSameBytes(t *testing.T) {
	make := func() []byte {
		w, s := sheet(t, "A")
		for r := 1; r <= 50; r++ {
			s.SetText(r, 1, strings.Repeat("ab", r))
			s.SetNumber(r, 2, float64(r)/7)
		}
		s.SetStyle(1, 1, 1, 2, w.Style(xlsx.Style{Bold: true}))
		w.SetProps(xlsx.Props{Title: "t"})
		var b bytes.Buffer
		require.NoError(t, w.Write(&b))
		return b.Bytes()
	}
	a, b := make(), make()
	assert.Equal(t, a, b)
	z, err := zip.NewReader(bytes.NewReader(a), int64(len(a)))
	require.NoError(t, err)
	for _, f := range z.File {
		assert.LessOrEqual(t, f.Modified.Year(), 1980, "%s carries no clock time", f.Name)
		r, err := f.Open()
		require.NoError(t, err)
		d := xml.NewDecoder(r)
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			require.NoError(t, err, "%s is well-formed XML", f.Name)
		}
	}
}

// TestRefusals: what a spreadsheet cannot hold is an error that names the
// sheet and the cell, reported by Write.
func TestRefusals(t *testing.T) {
	w := xlsx.New()
	for _, name := range []string{"", " ", "a/b", "[x]", "a:b", "a*b", "a?b", `a\b`, "'quoted", "quoted'", strings.Repeat("x", 32)} {
		_, err := w.AddSheet(name)
		assert.ErrorIs(t, err, budget.ErrRange, "%q", name)
	}
	_, err := w.AddSheet(strings.Repeat("x", 31))
	assert.NoError(t, err, "31 characters")
	_, err = w.AddSheet("Data")
	require.NoError(t, err)
	_, err = w.AddSheet("DATA")
	assert.ErrorIs(t, err, budget.ErrDuplicate, "names are compared without case")

	for _, c := range []struct {
		name string
		do   func(s *xlsx.Sheet)
		want string
	}{
		{"text too long", func(s *xlsx.Sheet) { s.SetText(2, 3, strings.Repeat("x", xlsx.MaxText+1)) }, `sheet "S", cell C2: value out of range: 32768 characters of text, and a cell holds 32767`},
		{"text too long in UTF-16", func(s *xlsx.Sheet) { s.SetText(1, 1, strings.Repeat("🏥", xlsx.MaxText/2+1)) }, "32768 characters"},
		{"not a number", func(s *xlsx.Sheet) { s.SetNumber(4, 1, math.NaN()) }, `sheet "S", cell A4: NaN`},
		{"infinite", func(s *xlsx.Sheet) { s.SetNumber(1, 28, math.Inf(-1)) }, `cell AB1: -Inf`},
		{"row 0", func(s *xlsx.Sheet) { s.SetText(0, 1, "x") }, "row 0, column 1"},
		{"past the last column", func(s *xlsx.Sheet) { s.SetNumber(1, 16385, 1) }, "column 16385"},
		{"a style not made", func(s *xlsx.Sheet) { s.SetStyle(1, 1, 1, 1, 99) }, "style 99"},
		{"a column style not made", func(s *xlsx.Sheet) { s.SetColStyle(1, 1, -1) }, "style -1"},
		{"a negative width", func(s *xlsx.Sheet) { s.SetColWidth(1, 1, -2) }, "column width -2"},
		{"a width that is not a number", func(s *xlsx.Sheet) { s.SetColWidth(1, 1, math.NaN()) }, "column width NaN"},
		{"columns backwards", func(s *xlsx.Sheet) { s.SetColWidth(3, 2, 10) }, "columns 3 to 2"},
		{"a row too tall", func(s *xlsx.Sheet) { s.SetRowHeight(2, 500) }, "row 2, height 500"},
		{"a filter past the last row", func(s *xlsx.Sheet) { s.AutoFilter(1<<20+1, 1) }, "filter to row 1048577"},
		{"text not UTF-8", func(s *xlsx.Sheet) { s.SetText(3, 3, "a\xffb") }, `sheet "S", cell C3: "a\xffb": invalid syntax: text is not valid UTF-8`},
		{"a footer XML cannot carry", func(s *xlsx.Sheet) { s.SetPage(xlsx.Page{Footer: "&Lbell\a"}) }, `sheet "S": footer "&Lbell\a": value out of range: character U+0007`},
	} {
		w, s := sheet(t, "S")
		c.do(s)
		s.SetText(1, 1, "later calls do not hide the first error")
		err := w.Write(io.Discard)
		require.Error(t, err, c.name)
		want := budget.ErrRange
		if strings.Contains(c.name, "UTF-8") {
			want = budget.ErrSyntax
		}
		assert.True(t, errors.Is(err, want), "%s: %v", c.name, err)
		assert.Contains(t, err.Error(), c.want, c.name)
	}
	err = xlsx.New().Write(io.Discard)
	assert.ErrorIs(t, err, budget.ErrNoData, "a workbook has a sheet")
	for _, name := range []string{"tab\there", "bell\a", "History", "history"} {
		_, err := xlsx.New().AddSheet(name)
		assert.ErrorIs(t, err, budget.ErrRange, "%q", name)
	}
	w, _ = sheet(t, "S")
	w.SetProps(xlsx.Props{Title: "bell\a"})
	assert.ErrorContains(t, w.Write(io.Discard), `workbook property title "bell\a": value out of range: character U+0007`)
	w, _ = sheet(t, "S")
	for i := range 64000 {
		w.Style(xlsx.Style{NumFmt: strconv.Itoa(i)})
	}
	assert.ErrorContains(t, w.Write(io.Discard), "64001 styles: value out of range: a workbook holds at most 64000")
	for _, st := range []xlsx.Style{{Size: math.NaN()}, {Size: -1}, {Size: 500}, {Vertical: "left"}, {Horizontal: "middle"}} {
		w, _ = sheet(t, "S")
		w.Style(st)
		assert.ErrorIs(t, w.Write(io.Discard), budget.ErrRange, "%+v", st)
	}
	w, _ = sheet(t, "S")
	w.Style(xlsx.Style{NumFmt: "0\x00"})
	assert.ErrorIs(t, w.Write(io.Discard), budget.ErrRange, "a number format XML cannot carry")
}

func TestCellNames(t *testing.T) {
	for c, want := range map[int]string{1: "A", 26: "Z", 27: "AA", 52: "AZ", 702: "ZZ", 703: "AAA", 16384: "XFD"} {
		assert.Equal(t, want, xlsx.ColumnName(c), "column %d", c)
	}
	assert.Equal(t, "B3", xlsx.CellName(3, 2))
}

// FuzzText: any valid text a cell holds reads back as written through an
// independent reader.
func FuzzText(f *testing.F) {
	for _, s := range []string{"a", "_x0041_", "\x00", "a\r\nb", " x ", "&lt;", "_x005f_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if !validText(v) {
			t.Skip()
		}
		w, s := sheet(t, "F")
		s.SetText(1, 1, v)
		file, _ := write(t, w)
		assert.Equal(t, v, raw(t, file, "F", "A1"))
	})
}

// validText reports whether v is text a cell holds: UTF-8, within
// MaxText.
func validText(v string) bool {
	return utf8.ValidString(v) && len(v) <= xlsx.MaxText
}
