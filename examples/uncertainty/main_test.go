package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

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
		{Args: []string{"-scenario-file", "none.json"}, Want: "no such file", Code: 1},
	})
}

func TestConflictsAndEmptyLists(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.json")
	require.NoError(t, os.WriteFile(empty, []byte(`{"schema":1,"name":"e","base":"hewitt","uncertain":[]}`), 0o644))
	clitest.Errors(t, "uncertainty", run, []clitest.Case{
		{Args: []string{"-scenario-file", empty, "-scenario", "hewitt-per-year"}, Want: "-scenario and -scenario-file: give one or the other", Code: 2},
		{Args: []string{"-scenario-file", empty}, Want: `field "uncertain": value out of range: an empty list`, Code: 1},
		{Args: []string{"-draws", "10000001"}, Want: "want 1 to 10,000,000", Code: 2},
	})
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
	err := run([]string{"-scenario-file", file, "-draws", "100"}, &out, &errb)
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
