package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/clitest"
	"github.com/upstream-health/upstream/internal/golden"
)

func TestGolden(t *testing.T) {
	golden.Program(t, run, []golden.Case{
		{Name: "default_2000.golden", Args: []string{"-draws", "2000"}},
		{Name: "per_year_p5_csv.golden", Args: []string{"-draws", "1000", "-scenario", "hewitt-per-year", "-p5", "-format", "csv"}},
		{Name: "icb_seed7.golden", Args: []string{"-draws", "1000", "-seed", "7", "-icb", "QE1"}},
	})
}

func TestCharts(t *testing.T) {
	dir := t.TempDir()
	fan, tornado := filepath.Join(dir, "fan.png"), filepath.Join(dir, "tornado.svg")
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-draws", "500", "-chart", fan, "-tornado-chart", tornado}, &out, &errb))
	png, err := os.ReadFile(fan)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG")), "a PNG file")
	svg, err := os.ReadFile(tornado)
	require.NoError(t, err)
	assert.Contains(t, string(svg), "<svg")
	assert.Contains(t, string(svg), "inflation", "the tornado names its assumptions")
}

func TestErrors(t *testing.T) {
	clitest.Errors(t, "uncertainty", run, []clitest.Case{
		{Args: []string{"-draws", "0"}, Want: "-draws 0: want 1 to 10,000,000", Code: 2},
		{Args: []string{"-draws", "lots"}, Want: "invalid value", Code: 2},
		{Args: []string{"-scenario", "nirvana"}, Want: `scenario "nirvana": unknown name`, Code: 2},
		{Args: []string{"-chart", "fan.jpg"}, Want: `-chart: chart "fan.jpg": want a .png or .svg file`, Code: 2},
		{Args: []string{"-icb", "ZZZ"}, Want: `ICB "ZZZ"`, Code: 2},
		{Args: []string{"-scenario", "none.json"}, Want: "-scenario none.json: no such file", Code: 2},
	})
}

func TestConflictsAndEmptyLists(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.json")
	require.NoError(t, os.WriteFile(empty, []byte(`{"schema":1,"name":"e","base":"hewitt","uncertain":[]}`), 0o644))
	clitest.Errors(t, "uncertainty", run, []clitest.Case{
		{Args: []string{"-scenario-file", empty, "-scenario", "hewitt-per-year"}, Want: "-scenario-file and -scenario: they are one flag", Code: 2},
		{Args: []string{"-scenario", empty}, Want: `field "uncertain": value out of range: an empty list`, Code: 1},
		{Args: []string{"-draws", "10000001"}, Want: "want 1 to 10,000,000", Code: 2},
	})
}

// TestOldFlagNames: -scenario-file, the old name of -scenario for a file,
// still works, and says on stderr to use -scenario.
func TestOldFlagNames(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"schema":1,"name":"mine","base":"hewitt"}`), 0o644))
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-scenario-file", file, "-draws", "50", "-format", "csv"}, &out, &errb))
	assert.Contains(t, errb.String(), "uncertainty: -scenario-file is now -scenario; the old name will go")
	assert.Contains(t, out.String(), "mine,")
}

// TestDeliverables: uncertainty -out writes the folder for the ICB named,
// with its bands in the Summary.
func TestDeliverables(t *testing.T) {
	_, f := clitest.Deliverables(t, run, "-draws", "500", "-icb", "essex")
	title, _ := f.GetCellValue("Summary", "A1")
	assert.Equal(t, "NHS Essex ICB: how uncertain the hewitt prevention shift is", title)
	label, _ := f.GetCellValue("Summary", "A6")
	assert.Equal(t, "The shift, P50", label)
}

// TestScenarioProblemsAreTheScenarios: a scenario file's own problem is
// reported as such, not as this program's default uncertain assumptions
// failing to fit it.
func TestScenarioProblemsAreTheScenarios(t *testing.T) {
	file := filepath.Join(t.TempDir(), "my.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"schema":1,"name":"my","base":"hewitt","present_value_base":"2040/41"}`), 0o644))
	var out, errb bytes.Buffer
	err := run([]string{"-scenario", file, "-draws", "100"}, &out, &errb)
	require.Error(t, err)
	assert.ErrorContains(t, err, `field "present_value_base": 2040/41: value out of range`)
	assert.NotContains(t, err.Error(), "default uncertain assumptions")
}

// TestCouncil: bands and the tornado for a council, its part of its ICBs'
// draws (Redbridge: NHS Essex ICB and North East London [F4]).
func TestCouncil(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-council", "redbridge", "-draws", "200"}, &out, &errb))
	assert.Contains(t, out.String(), "Redbridge (E09000026), prevention shift, cash")
	assert.Contains(t, out.String(), "Tornado: Redbridge's prevention shift over 2024/25-2028/29")
	err := run([]string{"-council", "redbridge", "-icb", "essex"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)
}

// TestReportSaysWhatBandsMiss: the deliverables' headline and report give
// the reading's range beside the bands, the readings side by side and the
// tornado (Essex: points £39.6m, per-year £197.8m in 2028/29, from the
// council view of hewitt and hewitt-per-year).
func TestReportSaysWhatBandsMiss(t *testing.T) {
	dir, _ := clitest.Deliverables(t, run, "-council", "essex", "-draws", "300")
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	html := string(page)
	assert.Contains(t, html, `the reading of &#34;1%&#34;, which is not drawn, moves it from £2.0m (relative) to £197.8m (per-year)`)
	assert.Contains(t, html, "<h2>Readings</h2>")
	assert.Contains(t, html, "<h2>Tornado</h2>")
	assert.Contains(t, html, "<h2>What moves the shift most</h2>")
	assert.Contains(t, html, "What the bands do not cover")
	assert.Equal(t, 2, strings.Count(html, "<svg"), "the fan and the tornado")
}

// TestScenarioCentresTheDefaults: a scenario's own 4% baseline share
// [dh-2006-07-4pc] is the mode of the default draw, not 5%.
func TestScenarioCentresTheDefaults(t *testing.T) {
	file := filepath.Join(t.TempDir(), "s4.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"schema": 1, "name": "hewitt-4pc", "base": "hewitt", "baseline_share": {"name": "dh-2006-07-4pc", "value": "0.04", "source": "DH 2006/07", "includes_council_spending": true}}`), 0o644))
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-scenario", file, "-draws", "100"}, &out, &errb))
	assert.Contains(t, out.String(), "baseline_share  triangular(0.03, 0.04, 0.07)")
	assert.Contains(t, out.String(), "centred on the scenario's baseline share (dh-2006-07-4pc), 0.04, not the default's 0.05")
}

// TestNoProgressLinesAmongResults: where stdout and stderr are one file
// (a run with > out.csv 2>&1), no progress lines are written, so none
// lands among the results; where stderr is a log of its own, they are.
func TestNoProgressLinesAmongResults(t *testing.T) {
	dir := t.TempDir()
	open := func(name string) *os.File {
		f, err := os.Create(filepath.Join(dir, name))
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		return f
	}
	both, log := open("out.csv"), open("run.log")
	assert.Nil(t, progress(both, both), "one file")
	again, err := os.OpenFile(both.Name(), os.O_WRONLY|os.O_APPEND, 0)
	require.NoError(t, err)
	defer again.Close()
	assert.Nil(t, progress(both, again), "the same file opened twice")
	assert.NotNil(t, progress(both, log), "a log of its own")
	assert.Nil(t, progress(&strings.Builder{}, &strings.Builder{}), "not a file")
}

// TestProgressLines: where stderr is not a terminal, a run writes a line
// each interval after the first (none at the end, none sooner), with the
// draws done, of how many, and the time so far.
func TestProgressLines(t *testing.T) {
	var out strings.Builder
	clock := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	report := progressLines(&out, now, 10*time.Second)
	step := func(d time.Duration, done int) {
		clock = clock.Add(d)
		report(done, 10_000_000)
	}
	step(5*time.Second, 1_024)       // too soon
	step(6*time.Second, 2_000_000)   // 11 s: a line
	step(4*time.Second, 3_000_000)   // 15 s: too soon after the last
	step(7*time.Second, 4_500_000)   // 22 s: a line
	step(30*time.Second, 10_000_000) // done: the results say so
	assert.Equal(t, "uncertainty: 2,000,000 of 10,000,000 draws (20%) in 11s\n"+
		"uncertainty: 4,500,000 of 10,000,000 draws (45%) in 22s\n", out.String())
}
