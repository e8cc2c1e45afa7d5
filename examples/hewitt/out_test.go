package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/clitest"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
	"github.com/upstream-health/upstream/scenario/report/deliver"
)

// deliverGM runs hewitt -icb "greater manchester" -out DIR, as an analyst at
// NHS Greater Manchester ICB would, and returns the folder.
func deliverGM(t *testing.T) string {
	t.Helper()
	dir, _ := clitest.Deliverables(t, run, "-icb", "greater manchester")
	return dir
}

// TestWorkbook opens results.xlsx again: its sheets, the Summary's numbers
// as numbers with a £m format, and the Summary's 2028/29 shift equal to
// the tidy CSV's.
func TestWorkbook(t *testing.T) {
	dir := deliverGM(t)
	f, err := excelize.OpenFile(filepath.Join(dir, "results.xlsx"))
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{"Summary", "All ICBs", "Assumptions", "Data", "Sources", "Manifest"}, f.GetSheetList())
	title, err := f.GetCellValue("Summary", "A1")
	require.NoError(t, err)
	assert.Equal(t, "NHS Greater Manchester ICB: the Hewitt prevention shift", title)
	sub, err := f.GetCellValue("Summary", "A2")
	require.NoError(t, err)
	assert.Contains(t, sub, "NHS Greater Manchester ICB (QOP). Scenario hewitt")
	head, err := f.GetCellValue("Summary", "G4")
	require.NoError(t, err)
	assert.Equal(t, "2028/29*", head, "projected years marked")
	label, err := f.GetCellValue("Summary", "A9")
	require.NoError(t, err)
	assert.Equal(t, "The shift: prevention above the counterfactual", label)
	typ, err := f.GetCellType("Summary", "G9")
	require.NoError(t, err)
	assert.True(t, isNumber(typ), "a number, not text: cell type %d", typ)
	raw, err := f.GetCellValue("Summary", "G9", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	shift, err := strconv.ParseFloat(raw, 64)
	require.NoError(t, err)
	shown, err := f.GetCellValue("Summary", "G9")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(shown, "£") && strings.HasSuffix(shown, "m"), "£m format: %s", shown)
	// A per cent is the fraction with a per cent format (a formula using it
	// is right): the assumed share of 2023/24 is 5% [kings-fund-5pc].
	raw, err = f.GetCellValue("Summary", "B6", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	assert.Equal(t, "0.05", raw)
	shown, err = f.GetCellValue("Summary", "B6")
	require.NoError(t, err)
	assert.Equal(t, "5.00%", shown)
	// summary.csv: a UTF-8 byte-order mark (Excel then reads £ as £, not
	// Â£), plain years for programs, and which are projected.
	sum, err := os.ReadFile(filepath.Join(dir, "summary.csv"))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(sum), "\ufeffmeasure,unit,2023/24,2024/25,2025/26,2026/27,2027/28,2028/29,total 2024/25-2028/29\n"), string(sum))
	// A per cent at the precision shown: 5.60% is 0.056 [kings-fund-5pc + 0.6 pp].
	raw, err = f.GetCellValue("Summary", "E6", excelize.Options{RawCellValue: true})
	require.NoError(t, err)
	assert.Equal(t, "0.056", raw, "not 0.0559999999999999")
	assert.True(t, strings.HasSuffix(string(sum), "\nprojected,flag,0,0,0,1,1,1,1\n"), string(sum))
	// The tidy CSV's QOP 2028/29 shift, in pounds.
	tidy, err := os.ReadFile(filepath.Join(dir, "results.csv"))
	require.NoError(t, err)
	recs, err := csv.NewReader(bytes.NewReader(tidy)).ReadAll()
	require.NoError(t, err)
	found := false
	for _, r := range recs {
		if r[1] == "2028/29" && r[2] == "QOP" && r[4] == "prevention_shift" && r[7] == "cash" {
			v, err := strconv.ParseFloat(r[5], 64)
			require.NoError(t, err)
			assert.InDelta(t, v/1e6, shift, 1e-6)
			found = true
		}
	}
	assert.True(t, found)
	// Data holds every tidy row, values as numbers.
	rows, err := f.GetRows("Data")
	require.NoError(t, err)
	assert.Len(t, rows, len(recs))
	typ, err = f.GetCellType("Data", "F2")
	require.NoError(t, err)
	assert.True(t, isNumber(typ), "cell type %d", typ)
	shown, err = f.GetCellValue("Data", "F2")
	require.NoError(t, err)
	assert.Contains(t, shown, ",", "pounds with thousands separators, not 6.82E+09: %s", shown)
	// A share in the Data sheet reads as a per cent: 5.00%, not 0.05.
	for i, r := range rows {
		if len(r) > 6 && r[6] == "share" {
			shown, err := f.GetCellValue("Data", fmt.Sprintf("F%d", i+1))
			require.NoError(t, err)
			assert.True(t, strings.HasSuffix(shown, "%"), "a share shown as %s", shown)
			break
		}
	}
	props, err := f.GetDocProps()
	require.NoError(t, err)
	assert.Equal(t, "Upstream (hewitt)", props.Creator)
	st, err := os.Stat(filepath.Join(dir, "results.xlsx"))
	require.NoError(t, err)
	assert.Zero(t, st.Mode().Perm()&0o111, "not executable: %v", st.Mode())
	typ, err = f.GetCellType("Data", "A2")
	require.NoError(t, err)
	assert.False(t, isNumber(typ), "the scenario's name is text")
	src, err := f.GetRows("Sources")
	require.NoError(t, err)
	assert.Greater(t, len(src), 50)
	man, err := f.GetCellValue("Manifest", "B9")
	require.NoError(t, err)
	assert.Equal(t, "2026", man, "footprint")
}

// TestReport: report.html names the area, has the summary table and the
// chart inline, and makes no request of its own.
func TestReport(t *testing.T) {
	dir := deliverGM(t)
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	page := string(b)
	assert.Contains(t, page, "<h1>NHS Greater Manchester ICB: the Hewitt prevention shift</h1>")
	assert.Contains(t, page, "<td>The shift: prevention above the counterfactual</td>")
	assert.Contains(t, page, "<svg")
	for _, ext := range []string{"<script", "<link", "src=", "@import", "url("} {
		assert.NotContains(t, page, ext, "self-contained: no %s", ext)
	}
	assert.Contains(t, page, "@page { size: A4")
}

// TestReportRenders renders report.html in headless Chromium (Debian's
// chromium, which .ci/run installs) and checks the rendered page has the
// area's name, the table and the chart, and that the browser logged no
// error from the page.
func TestReportRenders(t *testing.T) {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed (apt-get install chromium; .ci/run installs it): the rendering is not checked here")
	}
	dir := deliverGM(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	profile := t.TempDir()
	shot := filepath.Join(dir, "report.png")
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"}
	cmd := exec.CommandContext(ctx, browser, append(args, "--dump-dom", "file://"+filepath.Join(dir, "report.html"))...)
	var dom, logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &dom, &logs
	require.NoError(t, cmd.Run(), logs.String())
	assert.Contains(t, dom.String(), "NHS Greater Manchester ICB: the Hewitt prevention shift")
	assert.Contains(t, dom.String(), "<table>")
	assert.Contains(t, dom.String(), "<svg")
	assert.NotContains(t, logs.String(), "CONSOLE", "the page logged to the console")
	assert.NotContains(t, logs.String(), "Uncaught")
	cmd = exec.CommandContext(ctx, browser, append(args, "--window-size=1000,1400", "--screenshot="+shot, "file://"+filepath.Join(dir, "report.html"))...)
	logs.Reset()
	cmd.Stderr = &logs
	require.NoError(t, cmd.Run(), logs.String())
	st, err := os.Stat(shot)
	require.NoError(t, err)
	assert.Greater(t, st.Size(), int64(20000), "a rendered page, not a blank one")
}

// isNumber reports whether a cell type is a number: in the file format a
// number cell has no type attribute, which excelize reports as unset.
func isNumber(t excelize.CellType) bool {
	return t == excelize.CellTypeNumber || t == excelize.CellTypeUnset
}

// TestLibraryGivesTheSameBytes: a program that imports scenario/report
// (and scenario/report/deliver to write it) and makes the report of the
// same run gets the text hewitt prints and the
// files hewitt -out writes, byte for byte: for an ICB with QALYs valued,
// and for a council.
func TestLibraryGivesTheSameBytes(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	r := scenario.NewRunner(d)
	s, err := scenario.Find(d.Parameters, "hewitt")
	require.NoError(t, err)
	q, err := prevention.QALYsPreset(d.Parameters)
	require.NoError(t, err)
	s.QALYs = &q
	res, err := r.Run(s)
	require.NoError(t, err)
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	essex, err := x.FindCouncil(dataset.Footprint2026, "essex")
	require.NoError(t, err)
	for _, c := range []struct {
		args []string
		opts report.Options
	}{
		{[]string{"-icb", "greater manchester", "-benefits", "qalys"}, report.Options{Area: "QOP", Areas: []string{"QOP", report.England}}},
		{[]string{"-council", "essex", "-benefits", "qalys"}, report.Options{Council: &essex, Areas: []string{report.England}}},
	} {
		prog := filepath.Join(t.TempDir(), "prog")
		var printed bytes.Buffer
		require.NoError(t, run(append(c.args, "-out", prog), &printed, io.Discard))
		rep, err := report.NewArea(r, res, c.opts)
		require.NoError(t, err)
		var text bytes.Buffer
		require.NoError(t, rep.WriteText(&text))
		assert.Equal(t, printed.String(), text.String(), "%v: the text differs between the program and the library", c.args)
		lib := filepath.Join(t.TempDir(), "lib")
		dv, err := rep.Deliverable()
		require.NoError(t, err)
		require.NoError(t, deliver.Write(lib, dv))
		for _, f := range deliver.Files() {
			a, err := os.ReadFile(filepath.Join(prog, f))
			require.NoError(t, err)
			b, err := os.ReadFile(filepath.Join(lib, f))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(a, b), "%v: %s differs between the program and the library", c.args, f)
		}
	}
}
