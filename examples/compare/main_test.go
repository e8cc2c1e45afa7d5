package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/clitest"
	"github.com/upstream-health/upstream/internal/golden"
	"github.com/upstream-health/upstream/scenario"
)

func TestGolden(t *testing.T) {
	golden.Program(t, run, []golden.Case{
		{Name: "default.golden", Args: nil},
		{Name: "default_csv.golden", Args: []string{"-format", "csv"}},
		{Name: "ten_years_base_hewitt.golden", Args: []string{"-base", "hewitt", "-horizon", "2033/34"}},
		{Name: "user_scenario.golden", Args: []string{"-scenario", "testdata/two_points.json", "-icb", "QE1"}},
		{Name: "user_scenario_json.golden", Args: []string{"-scenario", "testdata/two_points.json", "-format", "json"}},
	})
}

func TestCSVHasEveryScenarioAndTheBase(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-format", "csv"}, &out, &errb))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Equal(t, strings.Join(scenario.CompareColumns(), ","), lines[0])
	seen := map[string]bool{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		seen[f[0]] = true
		if f[0] == "status-quo" {
			delta, err := decimal.NewFromString(f[10])
			require.NoError(t, err, l)
			assert.True(t, delta.IsZero(), "the base's own rows have delta 0: %s", l)
		}
	}
	for _, name := range scenario.CatalogueNames() {
		assert.True(t, seen[name], name)
	}
}

func TestErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"schema":1,"name":"x","base":"hewitt","shift":{"reading":"double"},"colour":"red"}`), 0o644))
	taken := filepath.Join(t.TempDir(), "taken.json")
	require.NoError(t, os.WriteFile(taken, []byte(`{"schema":1,"name":"hewitt","base":"hewitt"}`), 0o644))
	clitest.Errors(t, "compare", run, []clitest.Case{
		{Args: []string{"-base", "nirvana"}, Want: `-base "nirvana": not one of status-quo, hewitt`, Code: 2},
		{Args: []string{"-base", "NIRVANA"}, Want: `-base "NIRVANA": not one of`, Code: 2},
		{Args: []string{"-scenario", "nirvana"}, Want: `-scenario nirvana: scenario "nirvana": unknown name`, Code: 2},
		{Args: []string{"-horizon", "2040/41"}, Want: `-horizon 2040/41: want 2025/26 to 2034/35`, Code: 2},
		{Args: []string{"-horizon", "2033/35"}, Want: "-horizon: parsing year", Code: 2},
		{Args: []string{"-scenario", bad}, Want: `field "colour": unknown name`, Code: 1},
		{Args: []string{"-scenario", bad}, Want: `field "shift.reading"`, Code: 1},
		{Args: []string{"-scenario", taken}, Want: `the name "hewitt" is the catalogue's hewitt`, Code: 2},
		{Args: []string{"-scenario", "missing.json"}, Want: "-scenario missing.json: no such file", Code: 2},
		{Args: []string{"-icb", "ZZZ"}, Want: `ICB "ZZZ"`, Code: 2},
	})
}

func TestChart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "scenarios.svg")
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-chart", file}, &out, &errb))
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Contains(t, string(b), "<svg")
	assert.Contains(t, string(b), "hewitt-per-year", "the legend names the scenarios")
}

func TestHorizonConflict(t *testing.T) {
	file := filepath.Join(t.TempDir(), "long.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"schema":1,"name":"long","base":"hewitt","horizon":"2033/34"}`), 0o644))
	clitest.Errors(t, "compare", run, []clitest.Case{
		{Args: []string{"-scenario", file, "-horizon", "2028/29"}, Want: "-horizon 2028/29 conflicts with the horizon 2033/34 of", Code: 2},
	})
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-scenario", file, "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "2024/25-2033/34", "without -horizon the file's horizon applies to every scenario")
}

// TestFootprintConflict: a scenario file on the 2022 footprint puts every
// scenario compared on it (so that the same ICBs are compared); a
// -footprint that contradicts it is an error, as for -horizon.
func TestFootprintConflict(t *testing.T) {
	file := filepath.Join(t.TempDir(), "old.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"schema":1,"name":"old","base":"hewitt","footprint":"2022"}`), 0o644))
	clitest.Errors(t, "compare", run, []clitest.Case{
		{Args: []string{"-scenario", file, "-footprint", "2026"}, Want: "-footprint 2026 conflicts with the footprint 2022 of", Code: 2},
	})
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-scenario", file, "-icb", "QH8", "-format", "csv"}, &out, &errb))
	for _, name := range []string{"status-quo", "hewitt", "old"} {
		assert.Contains(t, out.String(), name+",2028/29,QH8,", "%s is on the 2022 footprint too", name)
	}
	out.Reset()
	require.NoError(t, run([]string{"-footprint", "2022"}, &out, &errb))
	assert.Contains(t, out.String(), "footprint 2022.")
}

// TestBasisConflict: a file that names the footprint or allocation basis
// it wants, even the default, is not overridden by a flag that says
// otherwise; a file's basis applies to every scenario compared, so that a
// delta is never a difference of basis.
func TestBasisConflict(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		file := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(file, []byte(body), 0o644))
		return file
	}
	fp26 := write("fp26.json", `{"schema":1,"name":"fp26","base":"hewitt","footprint":"2026"}`)
	ap := write("ap.json", `{"schema":1,"name":"ap","base":"hewitt","allocation_basis":{"vintage":"as-published"}}`)
	strip := write("strip.json", `{"schema":1,"name":"strip","base":"hewitt","allocation_basis":{"vintage":"restated","scope":"strip"}}`)
	clitest.Errors(t, "compare", run, []clitest.Case{
		{Args: []string{"-scenario", fp26, "-footprint", "2022"}, Want: "-footprint 2022 conflicts with the footprint 2026 of", Code: 2},
		{Args: []string{"-scenario", ap, "-vintage", "restated"}, Want: "-vintage restated conflicts with the allocation_basis vintage as-published of", Code: 2},
		{Args: []string{"-scenario", strip, "-scope", "include"}, Want: "-scope include conflicts with the allocation_basis scope strip of", Code: 2},
	})
	// As published for every scenario: England's 2024/25 budget is the
	// first-published £123,469.9m in each [NHS England 2024/25 allocations],
	// and the file's scenario differs from hewitt by nothing.
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-scenario", ap, "-format", "csv"}, &out, &errb))
	for _, name := range []string{"status-quo", "hewitt", "ap"} {
		assert.Regexp(t, name+`,2024/25,ENG,England,budget,123469928096\.48,`, out.String(), name)
	}
}

// TestDeliverables: compare -out writes the folder for the ICB named, and
// the workbook's Summary has each scenario's shift by year as numbers.
func TestDeliverables(t *testing.T) {
	dir, f := clitest.Deliverables(t, run, "-icb", "greater manchester")
	title, _ := f.GetCellValue("Summary", "A1")
	assert.Equal(t, "NHS Greater Manchester ICB: scenarios compared with status-quo", title)
	label, _ := f.GetCellValue("Summary", "A6")
	assert.Equal(t, "hewitt: prevention shift", label)
	raw, _ := f.GetCellValue("Summary", "G6", excelize.Options{RawCellValue: true})
	v, err := strconv.ParseFloat(raw, 64)
	require.NoError(t, err, "a number: %q", raw)
	assert.InDelta(t, 85.89, v, 0.01, "QOP's 2028/29 hewitt shift, £85.9m")
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(page), "<h1>NHS Greater Manchester ICB: scenarios compared with status-quo</h1>")
}

// TestPresentValueFromThePresent: by default present values run from
// 2026/27, the first year after the latest published allocations, in its
// prices, with 2024/25 and 2025/26 beside them as past years (Green Book:
// appraise from the present); -pv-base 2024/25 gives the retrospective
// figure in 2024/25 prices. Hewitt: £3,455m from 2026/27 with £866m of
// past years, £3,868m retrospectively (see scenario.TestWindowsAndPresentValues).
func TestPresentValueFromThePresent(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run(nil, &out, &errb))
	assert.Contains(t, out.String(), "total 2024/25-2028/29  past years 2024/25-2025/26  PV 2026/27-2028/29")
	assert.Regexp(t, `hewitt +£0m +£265m +£574m +£883m +£1,211m +£1,586m +£1,661m +£1,742m +£1,827m +£4,519m +£866m +£3,455m`, out.String())
	out.Reset()
	require.NoError(t, run([]string{"-pv-base", "2024/25"}, &out, &errb))
	assert.Contains(t, out.String(), "PV 2024/25-2028/29")
	assert.Regexp(t, `hewitt +£0m +£265m +£574m +£883m +£1,211m +£1,586m +£1,661m +£1,742m +£1,827m +£4,519m +£3,868m`, out.String())
	out.Reset()
	require.NoError(t, run([]string{"-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2026/27-2028/29,ENG,England,prevention_shift_pv,3454688628.38,GBP,real_2026_27,projected,status-quo,")
	assert.Contains(t, out.String(), "hewitt,2024/25-2025/26,ENG,England,prevention_shift_past,866007432.36,GBP,real_2026_27,projected,status-quo,")
	for _, bad := range []string{"2040/41", "2022/23", "soon"} {
		assert.ErrorIs(t, run([]string{"-pv-base", bad}, &out, &errb), cli.ErrUsage, bad)
	}
}

// TestProspective: the question from now, +1 pp over the next five years
// (2027/28-2031/32) from the 2026/27 share, is in the catalogue and shown
// by default (horizon 2031/32): £1,827m in 2031/32, £5,154m over the five
// years, £4,229m from 2026/27 in its prices. On an earlier horizon it cannot
// be compared, and the program says so.
func TestProspective(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run(nil, &out, &errb))
	assert.Contains(t, out.String(), "total 2027/28-2031/32  PV 2027/28-2031/32")
	assert.Regexp(t, `hewitt-from-2027 +£0m +£0m +£0m +£0m +£303m +£634m +£997m +£1,393m +£1,827m +£937m +£0m +£856m +£5,154m +£4,229m`, out.String())
	out.Reset()
	errb.Reset()
	require.NoError(t, run([]string{"-horizon", "2028/29"}, &out, &errb))
	assert.NotContains(t, out.String(), "hewitt-from-2027")
	assert.Contains(t, errb.String(), "not shown on the horizon 2028/29: hewitt-from-2027 (its shift runs to 2031/32: -horizon 2031/32 or later shows it)")
}

// TestCSVCannotRunFormulas: a scenario named like a spreadsheet formula is
// written with a leading apostrophe in every CSV (the tidy rows and the
// deliverables' results.csv and summary.csv), so that opening the file
// runs nothing; numbers, negative ones included, are untouched.
func TestCSVCannotRunFormulas(t *testing.T) {
	file := filepath.Join(t.TempDir(), "evil.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"schema":1,"name":"=HYPERLINK(\"http://x\",\"y\")","base":"hewitt"}`), 0o644))
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-scenario", file, "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), `"'=HYPERLINK(""http://x"",""y"")",2023/24,ENG,England,budget,`)
	assert.NotContains(t, out.String(), "\n\"=HYPERLINK")
	assert.Contains(t, out.String(), ",-", "negative numbers stay numbers")
	dir := filepath.Join(t.TempDir(), "out")
	require.NoError(t, run([]string{"-scenario", file, "-out", dir}, &out, &errb))
	for _, f := range []string{"results.csv", "summary.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		assert.Contains(t, string(b), `"'=HYPERLINK(`, f)
		assert.NotContains(t, string(b), "\n\"=HYPERLINK", f)
	}
}

// TestHostileScenarioFiles feeds every scenario file of the hostile corpus
// (internal/hostile/testdata) to -scenario: an error naming the file, or a
// comparison, never a panic.
func TestHostileScenarioFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "internal", "hostile", "testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		var out, errb bytes.Buffer
		var err error
		require.NotPanics(t, func() { err = run([]string{"-scenario", f, "-format", "csv"}, &out, &errb) }, f)
		if err != nil {
			assert.Contains(t, err.Error(), filepath.Base(f), "%s: the error names the file", f)
		}
	}
}

// TestPartialFileWithOwnData: a scenario file that starts from a catalogue
// scenario and says nothing of the data fits a -data folder (it was refused
// for a "data" field the file does not have).
func TestPartialFileWithOwnData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	d, err := dataset.Embedded()
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, name := range dataset.DataFiles() {
		var b bytes.Buffer
		require.NoError(t, d.WriteFile(&b, name))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644))
	}
	file := filepath.Join(t.TempDir(), "my.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"schema":1,"name":"my","base":"hewitt","shift":{"size":"2"}}`), 0o644))
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-data", dir, "-scenario", file}, &out, &errb))
	assert.Regexp(t, "\n +my +£0m +£531m", out.String(), "the file's 2 pp, twice hewitt's £265m in 2024/25")
}

// TestCouncil: each scenario seen from a council, beside England: its
// part of the shift (80.2% of NHS Essex ICB's for Essex [F4]) with window
// totals and present values.
func TestCouncil(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-council", "essex", "-horizon", "2028/29"}, &out, &errb))
	assert.Contains(t, out.String(), "Essex: Prevention shift (prevention spending above the baseline share), £m cash")
	assert.Contains(t, out.String(), "England: Prevention shift")
	out.Reset()
	require.NoError(t, run([]string{"-council", "E10000012", "-horizon", "2028/29", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2024/25-2028/29,E10000012,Essex,prevention_shift_total,")
	assert.Contains(t, out.String(), "hewitt,2026/27-2028/29,E10000012,Essex,prevention_shift_pv,")
	err := run([]string{"-council", "essex", "-icb", "essex"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)
	out.Reset()
	require.NoError(t, run([]string{"-list-councils"}, &out, &errb))
	assert.Contains(t, out.String(), "E10000012  Essex")
}
