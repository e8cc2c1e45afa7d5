package deliver

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/scenario/report"
)

// aChart is a chart that draws.
var aChart = report.Chart{Title: "A chart", YLabel: "£m", Years: []string{"2024/25", "2025/26"}, FirstProjected: -1,
	Series: []report.Series{{Name: "shift", Values: []float64{1, 2}}}}

// TestWriteNeverFollowsALink: a deliverable in the folder that is a
// symbolic link, or a folder that is one, is refused by Check and by Write,
// even with -overwrite, and the file it points to is untouched; a Write
// that fails leaves the earlier deliverables as they were.
func TestWriteNeverFollowsALink(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	target := filepath.Join(elsewhere, "precious.csv")
	require.NoError(t, os.WriteFile(target, []byte("keep me"), 0o644))
	require.NoError(t, os.Symlink(target, filepath.Join(dir, "results.csv")))
	assert.ErrorContains(t, Check(dir, true), "results.csv is a symbolic link or not a plain file")
	err := Write(dir, report.Deliverable{Chart: aChart})
	assert.ErrorContains(t, err, "results.csv is a symbolic link or not a plain file")
	assert.ErrorIs(t, err, ErrNotPlain)
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(b))

	link := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.Symlink(elsewhere, link))
	assert.ErrorContains(t, Check(link, true), "a symbolic link")
	assert.ErrorContains(t, Write(link, report.Deliverable{}), "a symbolic link")

	// A deliverable that cannot be written (its chart has no years) is
	// refused before anything is made: nothing is replaced, no temporary
	// folder is left, and a folder that did not exist is not made.
	clean := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(clean, "results.csv"), []byte("earlier"), 0o644))
	err = Write(clean, report.Deliverable{DataHeader: []string{"a"}})
	require.ErrorIs(t, err, budget.ErrNoData)
	assert.ErrorContains(t, err, "chart")
	fresh := filepath.Join(t.TempDir(), "new")
	require.Error(t, Write(fresh, report.Deliverable{}))
	_, err = os.Stat(fresh)
	assert.ErrorIs(t, err, os.ErrNotExist)
	b, err = os.ReadFile(filepath.Join(clean, "results.csv"))
	require.NoError(t, err)
	assert.Equal(t, "earlier", string(b))
	entries, err := os.ReadDir(clean)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the earlier file")
}

// TestLinkWithTrailingSlash: "link/" and "link/." name the folder a link
// points to; they are refused as the link itself is, and nothing is
// written there. An empty folder name is refused too.
func TestLinkWithTrailingSlash(t *testing.T) {
	target := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(target, link))
	for _, dir := range []string{link + "/", link + "/.", link} {
		assert.ErrorContains(t, Check(dir, true), "a symbolic link", dir)
		assert.ErrorContains(t, Write(dir, report.Deliverable{Chart: aChart}), "a symbolic link", dir)
	}
	entries, err := os.ReadDir(target)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing written through the link")
	assert.Error(t, Check("", false))
	assert.Error(t, Write(" ", report.Deliverable{}))
}

// TestFooterText: a footer is cut at a whole character within 180 bytes,
// its "&" doubled, and never ends in a lone "&" that would start a code.
func TestFooterText(t *testing.T) {
	assert.Equal(t, "A && B", footerText("A & B"))
	long := strings.Repeat("é&", 100)
	got := footerText(long)
	assert.LessOrEqual(t, len(got), 180)
	assert.True(t, utf8.ValidString(got))
	assert.Equal(t, 0, (len(got)-len(strings.TrimRight(got, "&")))%2, "every & doubled, none left alone")
	amps := footerText(strings.Repeat("&", 500))
	assert.Len(t, amps, 180)
}

// TestFigureIsAChartOrATornado: a figure of the report is drawn from its
// line chart or its tornado; one with neither, or both, is refused.
func TestFigureIsAChartOrATornado(t *testing.T) {
	tornado := report.Tornado{Title: "What moves it", XLabel: "£m", Bars: []report.Bar{{Label: "growth", Low: -0.5, High: 0.6}}}
	dir := t.TempDir()
	for _, fig := range []report.Figure{{Name: "lines", Chart: &aChart}, {Name: "tornado", Tornado: &tornado}} {
		require.NoError(t, Write(dir, report.Deliverable{Chart: aChart, Figures: []report.Figure{fig}}), fig.Name)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "<h2>tornado</h2>")
	for _, fig := range []report.Figure{{Name: "neither"}, {Name: "both", Chart: &aChart, Tornado: &tornado}} {
		err := Write(t.TempDir(), report.Deliverable{Chart: aChart, Figures: []report.Figure{fig}})
		assert.ErrorIs(t, err, budget.ErrRange, fig.Name)
		assert.ErrorContains(t, err, fig.Name)
	}
}

// TestTablesAreChecked: a sheet that would land in another (a name the
// workbook has, in any case, or one given twice), a sheet name a
// spreadsheet refuses, and a summary line not one finite value a column
// are refused before anything is written, naming them.
func TestTablesAreChecked(t *testing.T) {
	sheet := func(name string) report.Sheet {
		return report.Sheet{Name: name, Header: []string{"h"}, Rows: [][]string{{"r"}}}
	}
	for _, c := range []struct {
		d    report.Deliverable
		want error
		says string
	}{
		{report.Deliverable{Sheets: []report.Sheet{sheet("Data")}}, budget.ErrDuplicate, `sheet "Data"`},
		{report.Deliverable{Sheets: []report.Sheet{sheet("summary")}}, budget.ErrDuplicate, `sheet "summary"`},
		{report.Deliverable{Sheets: []report.Sheet{sheet("Every ICB"), sheet("every icb")}}, budget.ErrDuplicate, `sheet "every icb"`},
		{report.Deliverable{Sheets: []report.Sheet{sheet("a/b")}}, budget.ErrRange, `sheet "a/b"`},
		{report.Deliverable{Sheets: []report.Sheet{sheet(strings.Repeat("x", 32))}}, budget.ErrRange, "at most 31"},
		{report.Deliverable{Sheets: []report.Sheet{sheet(" ")}}, budget.ErrNoData, "no name"},
		{report.Deliverable{Sheets: []report.Sheet{sheet("'quoted'")}}, budget.ErrRange, `sheet "'quoted'"`},
		{report.Deliverable{Sheets: []report.Sheet{sheet(strings.Repeat("😀", 16))}}, budget.ErrRange, "at most 31"},
		{report.Deliverable{Sheets: []report.Sheet{{Name: "wide", Header: []string{"a"}, Rows: [][]string{{"x", "1"}}, NumberCols: []int{1}}}}, budget.ErrRange, `sheet "wide": column of numbers 1`},
		{report.Deliverable{Sheets: []report.Sheet{{Name: "wide", Header: []string{"a"}, Rows: [][]string{{"x", "1"}}}}}, budget.ErrRange, `sheet "wide", row 1: value out of range: 2 cells under a header of 1`},
		{report.Deliverable{DataHeader: []string{"a"}, Data: [][]string{{"x", "1"}}, NumberCols: []int{1}}, budget.ErrRange, "the data: column of numbers 1"},
		{report.Deliverable{Columns: []string{"2024/25", "2025/26"}, Lines: []report.Line{{Label: "shift", Values: []float64{1}}}}, budget.ErrRange, `summary line "shift": value out of range: 1 values for 2 columns`},
		{report.Deliverable{Columns: []string{"2024/25"}, Lines: []report.Line{{Label: "shift", Values: []float64{math.Inf(1)}}}}, budget.ErrRange, `summary line "shift", 2024/25: +Inf`},
	} {
		c.d.Chart = aChart
		dir := filepath.Join(t.TempDir(), "out")
		err := Write(dir, c.d)
		require.ErrorIs(t, err, c.want, c.says)
		assert.ErrorContains(t, err, c.says)
		_, err = os.Stat(dir)
		assert.ErrorIs(t, err, os.ErrNotExist, "nothing made")
	}
	// A blank figure (NaN) is allowed, and a sheet of its own name is written.
	ok := report.Deliverable{Chart: aChart, Columns: []string{"2024/25"}, Lines: []report.Line{{Label: "shift", Unit: "£m", Values: []float64{math.NaN()}}},
		Sheets: []report.Sheet{sheet("Every ICB")}}
	require.NoError(t, Write(t.TempDir(), ok))
}

// TestLongTextFitsTheTallestRow: a row sized to its wrapped text stops at
// the tallest a row can be (409 points), and the cell keeps the whole
// text: a long assumption (a -baseline-source of 2,000 characters, a
// -councils file's list of councils) is written, not refused.
func TestLongTextFitsTheTallestRow(t *testing.T) {
	long := strings.Repeat("a council's grant from its own allocation; ", 180) // 7,920 characters
	file := filepath.Join(t.TempDir(), "results.xlsx")
	require.NoError(t, workbook(file, report.Deliverable{Assumptions: []report.Assumption{{Name: "councils", Value: long, Source: "the -councils file"}}}))
	f, err := excelize.OpenFile(file)
	require.NoError(t, err)
	defer f.Close()
	h, err := f.GetRowHeight("Assumptions", 2)
	require.NoError(t, err)
	assert.Equal(t, 409.0, h)
	v, err := f.GetCellValue("Assumptions", "B2")
	require.NoError(t, err)
	assert.Equal(t, long, v)
}

// TestOverlongTextIsNamed: an assumption's text longer than a workbook
// cell holds is refused before any file is written, by the assumption's
// name and the part that is too long.
func TestOverlongTextIsNamed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	d := report.Deliverable{Chart: aChart, Assumptions: []report.Assumption{{Name: "baseline share", Value: "5%", Source: strings.Repeat("s", 33000)}}}
	err := Write(dir, d)
	require.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, `assumption "baseline share": its source has 33000 characters: value out of range: a workbook cell holds 32767`)
	_, err = os.Stat(dir)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing written")
	d.Assumptions[0].Source = strings.Repeat("s", 32767)
	assert.NoError(t, Write(dir, d), "a full cell is written")
}

// TestChartNeverFollowsALink: a chart file that is a symbolic link (to a
// file, or to none yet) or not a plain file (a folder here; a FIFO, which
// hewitt -chart waited on for ever, is refused the same way) is
// ErrNotPlain, from CheckFile before any work and from Draw, and nothing
// is written through it; a plain file is replaced.
func TestChartNeverFollowsALink(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	target := filepath.Join(elsewhere, "precious.txt")
	require.NoError(t, os.WriteFile(target, []byte("keep me"), 0o644))
	for name, mk := range map[string]func(string) error{
		"a link to a file":  func(p string) error { return os.Symlink(target, p) },
		"a link to no file": func(p string) error { return os.Symlink(filepath.Join(elsewhere, "none.svg"), p) },
		"a folder":          func(p string) error { return os.Mkdir(p, 0o755) },
	} {
		file := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".svg")
		require.NoError(t, mk(file), name)
		assert.ErrorIs(t, CheckFile(file), ErrNotPlain, name)
		assert.ErrorIs(t, Draw(file, aChart), ErrNotPlain, name)
	}
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(b))
	_, err = os.Stat(filepath.Join(elsewhere, "none.svg"))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing written where the dangling link points")

	plain := filepath.Join(dir, "plain.svg")
	require.NoError(t, os.WriteFile(plain, []byte("earlier"), 0o644))
	require.NoError(t, CheckFile(plain))
	require.NoError(t, Draw(plain, aChart))
	b, err = os.ReadFile(plain)
	require.NoError(t, err)
	assert.Contains(t, string(b), "<svg")
}
