package main

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/clitest"
	"github.com/upstream-health/upstream/internal/golden"
	"github.com/upstream-health/upstream/prevention"
)

func TestGolden(t *testing.T) {
	golden.Program(t, run, []golden.Case{
		{Name: "default.golden", Args: nil},
		{Name: "default_csv.golden", Args: []string{"-format", "csv"}},
		{Name: "default_json.golden", Args: []string{"-format", "json"}},
		{Name: "per_year.golden", Args: []string{"-reading", "per-year"}},
		{Name: "relative_front.golden", Args: []string{"-reading", "relative", "-profile", "front"}},
		{Name: "icb_additional.golden", Args: []string{"-icb", "QE1", "-funding", "additional", "-baseline-share", "0.04", "-baseline-source", "DH 2006/07 estimate"}},
		{Name: "all_icbs_csv.golden", Args: []string{"-all-icbs", "-format", "csv"}},
		{Name: "benefits_goal.golden", Args: []string{"-benefits", "masters-2017-local", "-goal", "grant"}},
	})
}

func TestCSVContract(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-format", "csv"}, &out, &errb))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Equal(t, "scenario,year,area_code,area_name,measure,value,unit,basis,status", lines[0])
	seen := map[string]bool{}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		seen[f[4]+" "+f[7]] = true
		assert.Equal(t, "ENG", f[2])
	}
	for _, m := range []string{"budget", "prevention_share", "prevention_spend", "counterfactual_prevention_spend", "prevention_shift",
		"treatment_spend", "public_health_grant", "public_health_grant_like_for_like", "shift_to_grant_ratio",
		"prevention_spend_per_head_resident", "public_health_grant_per_head_resident"} {
		assert.True(t, seen[m+" cash"], "%s in cash", m)
		assert.True(t, seen[m+" real_2024_25"], "%s in real terms", m)
	}
	// The default baseline share (King's Fund, about 5%) is of total health
	// spending, council public health included: prevention at it is not
	// added to the grant. A share of ICB spending alone is.
	assert.False(t, seen["combined_prevention cash"], "prevention + grant would count council spending twice")
	out.Reset()
	require.NoError(t, run([]string{"-format", "csv", "-baseline-share", "0.03", "-baseline-source", "mine", "-baseline-of", "icb"}, &out, &errb))
	assert.Contains(t, out.String(), ",ENG,England,combined_prevention,")
	err := run([]string{"-baseline-of", "icb"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)
}

func TestErrors(t *testing.T) {
	clitest.Errors(t, "hewitt", run, []clitest.Case{
		{Args: []string{"-reading", "double"}, Want: `"double" is not one of points, per-year, relative`, Code: 2},
		{Args: []string{"-profile", "wavy"}, Want: "-profile: profile \"wavy\": unknown name: want linear, front, back, step or custom", Code: 2},
		{Args: []string{"-profile", "custom:0.5,0.2,1"}, Want: "weight 2 (0.2) is below weight 1", Code: 2},
		{Args: []string{"-baseline-share", "1.5"}, Want: "want a fraction from 0 to 1 (0.05) or a percentage (5%)", Code: 2},
		{Args: []string{"-baseline-share", "5"}, Want: "want a fraction from 0 to 1 (0.05) or a percentage (5%)", Code: 2},
		{Args: []string{"-funding", "borrowed"}, Want: `"borrowed" is not one of envelope, additional`, Code: 2},
		{Args: []string{"-format", "xlsx"}, Want: `"xlsx" is not one of table, csv, json`, Code: 2},
		{Args: []string{"-icb", "ZZZ"}, Want: `ICB "ZZZ": unknown name`, Code: 2},
		{Args: []string{"-icb", "QE1", "-all-icbs"}, Want: "give one or the other", Code: 2},
		{Args: []string{"-reading", "per-year", "-size", "20"}, Want: "takes the prevention share from 0.05 to 1.05", Code: 2},
		{Args: []string{"-goal", "half"}, Want: `-goal "half": want grant, share:SHARE or a share (6% or 0.06), or amount:MONEY or an amount (£2bn, 2000m or 2000000000)`, Code: 2},
		{Args: []string{"-benefits", "roi:x"}, Want: "-benefits", Code: 2},
		{Args: []string{"-grant", "nope.csv"}, Want: "no such file", Code: 1},
		{Args: []string{"stray"}, Want: `unexpected argument "stray"`, Code: 2},
		{Args: []string{"-goal", "grant:abc"}, Want: "grant takes no value", Code: 2},
		{Args: []string{"-baseline-source", "my board paper"}, Want: "-baseline-source without -baseline-share", Code: 2},
		{Args: []string{"-scenario", "nirvana"}, Want: `-scenario nirvana: scenario "nirvana": unknown name`, Code: 2},
		{Args: []string{"-scenario", "mine.json"}, Want: "-scenario mine.json: no such file", Code: 2},
		{Args: []string{"-base", "programme", "-budget-base", "all-streams"}, Want: "-base and -budget-base: they are one flag", Code: 2},
		// 2% is per cent of the share: not the points reading's unit.
		{Args: []string{"-size", "2%"}, Want: "-size: shift: size 2%: value out of range: the points reading takes percentage points", Code: 2},
		{Args: []string{"-reading", "relative", "-size", "1pp"}, Want: "the relative reading takes per cent of the share", Code: 2},
		{Args: []string{"-size", "two"}, Want: `-size: size "two": invalid syntax`, Code: 2},
		{Args: []string{"-goal", "grant", "-council", "manchester"}, Want: "-goal for council Manchester (-council, or the scenario's area): a goal seek is for England or an ICB (-icb)", Code: 2},
	})
}

// TestScenarioFlag: -scenario runs a catalogue scenario by name, or a
// scenario file, in hewitt as in compare and uncertainty, and the flags
// given change it; -base, the old name of -budget-base, still works and
// says so.
func TestScenarioFlag(t *testing.T) {
	csv := func(args ...string) (string, string) {
		var out, errb bytes.Buffer
		require.NoError(t, run(append([]string{"-format", "csv"}, args...), &out, &errb), args)
		return out.String(), errb.String()
	}
	line := func(out, year, measure string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, ","+year+",ENG,England,"+measure+",") && strings.Contains(l, ",cash,") {
				return l
			}
		}
		return ""
	}
	hewitt, _ := csv()
	gov, _ := csv("-scenario", "Government-Response")
	assert.True(t, strings.HasPrefix(line(gov, "2028/29", "prevention_shift"), "government-response,"), "the scenario's name heads its rows")
	assert.NotEqual(t, line(hewitt, "2028/29", "prevention_shift")[len("hewitt"):], line(gov, "2028/29", "prevention_shift")[len("government-response"):])
	// The flags given change the scenario named; the rest are its own.
	twice, _ := csv("-scenario", "hewitt", "-size", "2")
	assert.NotEqual(t, line(hewitt, "2028/29", "prevention_shift"), line(twice, "2028/29", "prevention_shift"))
	file := filepath.Join(t.TempDir(), "mine.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"schema":1,"name":"mine","base":"hewitt"}`), 0o644))
	mine, _ := csv("-scenario", file)
	assert.Equal(t, line(hewitt, "2028/29", "prevention_shift")[len("hewitt"):], line(mine, "2028/29", "prevention_shift")[len("mine"):], "a file based on hewitt runs as hewitt")
	// A file is a file whatever its name: one in the working folder with no
	// .json is read, not taken for a catalogue name.
	t.Chdir(filepath.Dir(file))
	require.NoError(t, os.Rename(file, "mine"))
	plain, _ := csv("-scenario", "mine")
	assert.Equal(t, mine, plain)
	// A catalogue name is the catalogue's, whatever files are about: go
	// build ./examples/hewitt leaves a program called hewitt in the folder.
	require.NoError(t, os.WriteFile("hewitt", []byte("\x7fELF not a scenario"), 0o755))
	again, _ := csv("-scenario", "hewitt")
	assert.Equal(t, hewitt, again)
	built, _ := csv()
	assert.Equal(t, hewitt, built, "the default, hewitt, too")
	var table, errb bytes.Buffer
	require.NoError(t, run([]string{"-scenario", "government-response"}, &table, &errb))
	assert.Contains(t, table.String(), "The prevention shift of scenario government-response, 2023/24-2028/29")
	var help bytes.Buffer
	_ = run([]string{"-h"}, &help, &help)
	assert.NotContains(t, help.String(), `(default "points")`, "the reading is the scenario's unless given")
	old, errs := csv("-base", "all-streams")
	current, _ := csv("-budget-base", "all-streams")
	assert.Equal(t, current, old)
	assert.Contains(t, errs, "hewitt: -base is now -budget-base; the old name will go")
}

// TestScenarioArea: a scenario file that names its area (schema 2) is
// shown for it, as -icb or -council would show it; the flags still choose
// another.
func TestScenarioArea(t *testing.T) {
	text := func(args ...string) string {
		var out, errb bytes.Buffer
		require.NoError(t, run(args, &out, &errb), args)
		return out.String()
	}
	// The headline for the area, the same however it was chosen.
	headline := func(out string) string {
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(l, "Headline for ") {
				return l
			}
		}
		return ""
	}
	dir := t.TempDir()
	for name, area := range map[string]string{"council": "manchester", "icb": "greater manchester"} {
		file := filepath.Join(dir, name+".json")
		require.NoError(t, os.WriteFile(file, []byte(`{"schema":2,"name":"mine","base":"hewitt","area":"`+area+`"}`), 0o644))
		flag := map[string]string{"council": "-council", "icb": "-icb"}[name]
		want := headline(text(flag, area))
		require.NotEmpty(t, want, area)
		assert.Equal(t, want, headline(text("-scenario", file)), area)
		assert.Equal(t, headline(text("-council", "cornwall")), headline(text("-scenario", file, "-council", "cornwall")), "a flag chooses another")
	}
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"schema":2,"name":"x","base":"hewitt","area":"atlantis"}`), 0o644))
	err := run([]string{"-scenario", bad}, io.Discard, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `field "area"`)
}

// TestUserFilesRoundTrip: the embedded data written out and loaded back
// with -allocations and -grant gives byte-identical results.
func TestUserFilesRoundTrip(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	dir := t.TempDir()
	write := func(name string, fn func(*os.File) error) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		require.NoError(t, err)
		require.NoError(t, fn(f))
		require.NoError(t, f.Close())
		return path
	}
	alloc := write("allocations.csv", func(f *os.File) error { return d.Allocations.Write(f) })
	grant := write("grant.csv", func(f *os.File) error { return d.Grant.Write(f) })
	var a, b, errb bytes.Buffer
	require.NoError(t, run([]string{"-all-icbs", "-format", "csv"}, &a, &errb))
	require.NoError(t, run([]string{"-all-icbs", "-format", "csv", "-allocations", alloc, "-grant", grant}, &b, &errb))
	assert.Equal(t, a.String(), b.String())

	bad := write("bad_grant.csv", func(f *os.File) error {
		_, err := f.WriteString("year,measure,vintage,value,like_for_like,note,source\n2024/25,total,confirmed,3603x,true,,X\n")
		return err
	})
	err = run([]string{"-grant", bad}, &a, &errb)
	assert.ErrorIs(t, err, budget.ErrSyntax)
	assert.Contains(t, err.Error(), `bad_grant.csv:2: column "value": value "3603x"`)
}

func TestChart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "shift.png")
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-chart", file}, &out, &errb))
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("\x89PNG")))
	err = run([]string{"-chart", "shift.gif"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)
}

// TestUserParameters: a parameters file with another baseline share (6%
// instead of the King's Fund 5%) changes the prevention share, and a whole
// exported data folder given with -data reproduces the default output.
func TestUserParameters(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	dir := t.TempDir()
	for _, name := range dataset.DataFiles() {
		f, err := os.Create(filepath.Join(dir, name))
		require.NoError(t, err)
		require.NoError(t, d.WriteFile(f, name))
		require.NoError(t, f.Close())
	}
	var a, b, errb bytes.Buffer
	require.NoError(t, run([]string{"-format", "csv"}, &a, &errb))
	require.NoError(t, run([]string{"-format", "csv", "-data", dir}, &b, &errb))
	assert.Equal(t, a.String(), b.String(), "the exported folder gives the same answer")

	path := filepath.Join(dir, dataset.ParametersFile)
	in, err := os.ReadFile(path)
	require.NoError(t, err)
	mine := filepath.Join(t.TempDir(), "mine.csv")
	require.NoError(t, os.WriteFile(mine, []byte(strings.Replace(string(in),
		"baseline_share.kings-fund-5pc,0.05,", "baseline_share.kings-fund-5pc,0.06,", 1)), 0o644))
	var c bytes.Buffer
	require.NoError(t, run([]string{"-format", "csv", "-parameters", mine}, &c, &errb))
	assert.Contains(t, c.String(), "hewitt,2023/24,ENG,England,prevention_share,0.06,share,")

	require.NoError(t, os.WriteFile(mine, []byte(strings.Replace(string(in), "discount.green-book.rate_years_1_30,0.035,", "discount.green-book.rate_years_1_30,3.5%,", 1)), 0o644))
	// Line 65 of the shipped parameters.csv is the Green Book rate for years 1-30.
	err = run([]string{"-parameters", mine}, &c, &errb)
	assert.ErrorIs(t, err, budget.ErrSyntax)
	assert.Contains(t, err.Error(), `mine.csv:65: column "value": value "3.5%"`)

	// A row dropped is an error naming it, not a default: without it the
	// core stream did not converge.
	var kept []string
	for _, line := range strings.SplitAfter(string(in), "\n") {
		if !strings.HasPrefix(line, "settlement.sr2025.convergence.core,") {
			kept = append(kept, line)
		}
	}
	require.NoError(t, os.WriteFile(mine, []byte(strings.Join(kept, "")), 0o644))
	err = run([]string{"-parameters", mine}, &c, &errb)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.Contains(t, err.Error(), `mine.csv: column "id": value "settlement.sr2025.convergence.core": no data: parameter "settlement.sr2025.convergence.core" is missing`)
}

// TestUnreconciledFiles: allocations that do not add up to the published
// England totals (here with one ICB left out) are an error unless
// -unreconciled says they are a what-if, and then the output says so.
func TestUnreconciledFiles(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	var all bytes.Buffer
	require.NoError(t, d.Allocations.Write(&all))
	var kept []string
	for _, l := range strings.Split(strings.TrimSuffix(all.String(), "\n"), "\n") {
		if !strings.Contains(l, ",QE1,") {
			kept = append(kept, l)
		}
	}
	file := filepath.Join(t.TempDir(), "no_qe1.csv")
	require.NoError(t, os.WriteFile(file, []byte(strings.Join(kept, "\n")+"\n"), 0o644))
	clitest.Errors(t, "hewitt", run, []clitest.Case{
		{Args: []string{"-allocations", file}, Want: "1 of the 42 ICBs are missing: QE1", Code: 1},
		{Args: []string{"-allocations", file}, Want: "add -unreconciled", Code: 1},
	})
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-allocations", file, "-unreconciled"}, &out, &errb))
	assert.Contains(t, out.String(), "unreconciled: the figures need not add up to the published totals")
}

// TestVintage: the default shows 2024/25 on the 2025/26 round's restated
// basis with the money moved in 2025/26 included (£137,241.6m, status
// restated); -vintage as-published gives the 2024/25 round's own figure
// (£123,469.9m) [S1, S2]; -scope strip leaves the moved money out of every
// year from 2025/26 (£138,857.9m in 2025/26). England's budget is the sum of
// its ICBs' budgets, each to the penny, so on the 36 ICBs of 2026 it can
// differ by a few pence from the 42 of 2022 (.48 here, .47 there).
func TestVintage(t *testing.T) {
	get := func(year string, args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		require.NoError(t, run(append([]string{"-format", "csv"}, args...), &out, &errb))
		for _, line := range strings.Split(out.String(), "\n") {
			if strings.HasPrefix(line, "hewitt,"+year+",ENG,England,budget,") && strings.Contains(line, ",cash,") {
				f := strings.Split(line, ",")
				return f[5] + " " + f[8]
			}
		}
		t.Fatalf("no England budget row for %s", year)
		return ""
	}
	// 2024/25 on the 2025/26 round's basis, with what ICBs held (see
	// alloc.TestRestatedBasis); -scope include adds the £4,636.8m moved
	// into ICB allocations in 2025/26.
	assert.Equal(t, "132664854272.23 restated", get("2024/25"))
	assert.Equal(t, "137301683780.75 restated", get("2024/25", "-scope", "include"))
	// 2023/24 on the 2024/25 basis: in-year money backed out, COVID once.
	assert.Equal(t, "125224344132.65 derived", get("2023/24"))
	assert.Equal(t, "123469928096.48 derived", get("2024/25", "-vintage", "as-published"))
	assert.Equal(t, "138857903177.43 derived", get("2025/26", "-scope", "strip"))
	var out, errb bytes.Buffer
	err := run([]string{"-vintage", "as-published", "-scope", "strip"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)
	assert.ErrorContains(t, err, "-scope strip")
	err = run([]string{"-vintage", "first"}, &out, &errb)
	require.Error(t, err)
	assert.Contains(t, errb.String()+err.Error(), "restated, as-published")
}

// TestFootprint: by default an analyst at NHS Essex ICB (D7T5G, from 1
// April 2026) sees their own body for every year; -footprint 2022 gives the
// 42 ICBs the rounds were published on, where Mid and South Essex (QH8) is
// one of three predecessors. England's allocations are the same on both.
func TestFootprint(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-icb", "D7T5G", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2023/24,D7T5G,NHS Essex ICB,budget,")
	err := run([]string{"-icb", "QH8"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)
	assert.ErrorContains(t, err, "QH8, NHS Mid and South Essex ICB, is part of NHS Essex ICB (D7T5G) on footprint 2026: give the new ICB, or -footprint 2022 for the ICBs it was published on")
	err = run([]string{"-icb", "D7T5G", "-footprint", "2022"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)
	assert.ErrorContains(t, err, "D7T5G, NHS Essex ICB, is an ICB of footprint 2026: use -footprint 2026")
	err = run([]string{"-footprint", "2030"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)
	assert.ErrorContains(t, err, `-footprint 2030: footprint "2030": unknown name: want 2022 or 2026`)
	out.Reset()
	require.NoError(t, run([]string{"-icb", "QH8", "-footprint", "2022", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2023/24,QH8,NHS Mid and South Essex ICB,budget,")
	count := func(args ...string) int {
		var o bytes.Buffer
		require.NoError(t, run(append([]string{"-all-icbs", "-format", "csv"}, args...), &o, &errb))
		areas := map[string]bool{}
		for _, line := range strings.Split(o.String(), "\n")[1:] {
			if f := strings.Split(line, ","); len(f) > 2 && f[2] != "ENG" {
				areas[f[2]] = true
			}
		}
		return len(areas)
	}
	assert.Equal(t, 36, count())
	assert.Equal(t, 42, count("-footprint", "2022"))
}

// councilFile writes clitest.CouncilFile (England's 2025/26 grant split
// over the councils by registered population, less those given) to a file.
func councilFile(t *testing.T, leaveOut ...string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "councils.csv")
	require.NoError(t, os.WriteFile(file, []byte(clitest.CouncilFile(t, leaveOut...)), 0o644))
	return file
}

// TestCouncils: -councils maps every council's allocation to ICBs through
// the crosswalk; a file that leaves a council out is an error listing it,
// unless -councils-subset, and then only the ICBs all of whose councils are
// given get council-based figures (public_health_grant_from_councils 1).
func TestCouncils(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-councils", councilFile(t), "-all-icbs", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2025/26,QSL,NHS Somerset ICB,public_health_grant_from_councils,1,flag,none,")
	assert.Contains(t, out.String(), "hewitt,2024/25,QSL,NHS Somerset ICB,public_health_grant_from_councils,0,flag,none,", "the file has only 2025/26")
	assert.Contains(t, out.String(), "hewitt,2026/27,QSL,NHS Somerset ICB,public_health_grant_share_held,1,flag,none,", "its share held, and said")
	out.Reset()
	require.NoError(t, run([]string{"-councils", councilFile(t), "-icb", "QSL"}, &out, &errb))
	assert.Contains(t, out.String(), "PH grant for an ICB: user's council allocations mapped to ICBs in 2025/26; in 2026/27, 2027/28, 2028/29, which the file does not have, each ICB's share of England's grant in 2025/26 held; in 2023/24, 2024/25, before the file's first year, England grant apportioned by share of GP-registered population (not a published allocation)")

	partial := councilFile(t, "E06000066")
	err := run([]string{"-councils", partial}, &out, &errb)
	require.Error(t, err)
	assert.ErrorIs(t, err, prevention.ErrNoData)
	assert.ErrorContains(t, err, "1 of the 153 councils are missing (give them all, or ask for a subset): E06000066 Somerset")

	out.Reset()
	require.NoError(t, run([]string{"-councils", partial, "-councils-subset", "-all-icbs", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2025/26,QSL,NHS Somerset ICB,public_health_grant_from_councils,0,flag,none,", "Somerset is not covered")
	assert.Contains(t, out.String(), "hewitt,2025/26,QOP,NHS Greater Manchester ICB,public_health_grant_from_councils,1,flag,none,")

	bad := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("year,council_code,council_name,amount\n2025/26,E07000001,Nowhere,1000\n"), 0o644))
	err = run([]string{"-councils", bad, "-councils-subset"}, &out, &errb)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, `bad.csv:2: column "council_code": value "E07000001"`)
}

// writeCouncils writes a council file from councilFile's rows, each
// changed by edit (return false to leave a row out).
func writeCouncils(t *testing.T, edit func(rec []string) bool) string {
	t.Helper()
	b, err := os.ReadFile(councilFile(t))
	require.NoError(t, err)
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	require.NoError(t, w.Write(recs[0]))
	for _, rec := range recs[1:] {
		if edit(rec) {
			require.NoError(t, w.Write(rec))
		}
	}
	w.Flush()
	file := filepath.Join(t.TempDir(), "edited.csv")
	require.NoError(t, os.WriteFile(file, out.Bytes(), 0o644))
	return file
}

// gmCouncils are the ten councils of NHS Greater Manchester ICB.
var gmCouncils = []string{"E08000001", "E08000002", "E08000003", "E08000004", "E08000005", "E08000006", "E08000007", "E08000008", "E08000009", "E08000010"}

// TestCouncilsImplausible: a council file that does not look like pounds is
// an error naming the file, the line or the ICB and the figure, unless
// -unreconciled; rounding of a few pence is not.
func TestCouncilsImplausible(t *testing.T) {
	var out, errb bytes.Buffer
	// Greater Manchester's councils alone, in £m: per registered patient a
	// millionth of England's average.
	gmInMillions := writeCouncils(t, func(rec []string) bool {
		if !slices.Contains(gmCouncils, rec[1]) {
			return false
		}
		rec[3] = decimal.RequireFromString(rec[3]).Shift(-6).StringFixed(2)
		return true
	})
	err := run([]string{"-councils", gmInMillions, "-councils-subset"}, &out, &errb)
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, "edited.csv: 2025/26")
	assert.ErrorContains(t, err, "QOP gets £0.00006001 per registered patient from its councils")
	// Ten times too big.
	gmTimesTen := writeCouncils(t, func(rec []string) bool {
		rec[3] = decimal.RequireFromString(rec[3]).Shift(1).StringFixed(2)
		return slices.Contains(gmCouncils, rec[1])
	})
	err = run([]string{"-councils", gmTimesTen, "-councils-subset"}, &out, &errb)
	assert.ErrorContains(t, err, "QOP gets £")
	require.NoError(t, run([]string{"-councils", gmTimesTen, "-councils-subset", "-unreconciled"}, &out, &errb), "a what-if, asked for")

	// Every council, Rutland in £m: England is off by 0.07%, within the
	// rounding allowed, but Rutland stands out from the others.
	rutland := writeCouncils(t, func(rec []string) bool {
		if rec[1] == "E06000017" {
			rec[3] = decimal.RequireFromString(rec[3]).Shift(-6).StringFixed(2)
		}
		return true
	})
	err = run([]string{"-councils", rutland}, &out, &errb)
	assert.ErrorIs(t, err, budget.ErrRange)
	var fe *budget.FileError
	require.ErrorAs(t, err, &fe, "a typed error naming the line")
	assert.Equal(t, "amount", fe.Column)
	assert.Regexp(t, `edited\.csv:\d+: column "amount": value "[0-9.]+": value out of range: E06000017 Rutland is £0\.00006206 per registered patient, against a median of £\d+\.\d\d`, err.Error())

	// A complete file whose pence add up to 3p more than England's grant is
	// fine, subset or not.
	extra := 0
	pennies := writeCouncils(t, func(rec []string) bool {
		if extra < 3 {
			rec[3] = decimal.RequireFromString(rec[3]).Add(decimal.RequireFromString("0.01")).StringFixed(2)
			extra++
		}
		return true
	})
	for _, args := range [][]string{{"-councils", pennies}, {"-councils", pennies, "-councils-subset"}} {
		out.Reset()
		require.NoError(t, run(append(args, "-all-icbs", "-format", "csv"), &out, &errb), args)
		// An ICB's grant from councils is mapped by practice location: derived.
		assert.Regexp(t, `hewitt,2025/26,QOP,NHS Greater Manchester ICB,public_health_grant,\d+\.\d\d,GBP,cash,derived`, out.String(), args)
	}

	// A file of years the model does not report.
	later := writeCouncils(t, func(rec []string) bool { rec[0] = "2031/32"; return true })
	err = run([]string{"-councils", later}, &out, &errb)
	assert.ErrorIs(t, err, prevention.ErrNoData)
	assert.ErrorContains(t, err, "edited.csv: no data: its years (2031/32) are none of the model's, 2023/24-2028/29")
}

// TestFindICB: -icb takes the ODS code in any case, the ONS code, or a
// unique part of the name; an ambiguous one lists the matches, an unknown
// one the closest names; -list-icbs lists the footprint's ICBs.
func TestFindICB(t *testing.T) {
	for _, q := range []string{"QOP", "qop", "E54000057", "greater manchester", "NHS Greater Manchester ICB"} {
		var out, errb bytes.Buffer
		require.NoError(t, run([]string{"-icb", q, "-format", "csv"}, &out, &errb), q)
		assert.Contains(t, out.String(), ",QOP,NHS Greater Manchester ICB,budget,", q)
	}
	var out, errb bytes.Buffer
	err := run([]string{"-icb", "london"}, &out, &errb)
	assert.ErrorIs(t, err, dataset.ErrAmbiguous)
	assert.ErrorContains(t, err, "it matches 4 ICBs of footprint 2026: QKK NHS South East London ICB; QMF NHS North East London ICB; QWE NHS South West London ICB; Z9B2Z NHS West and North London ICB")
	for _, q := range []string{"NHS", "nhs ", "ICB", "NHS ICB"} {
		err = run([]string{"-icb", q}, &out, &errb)
		assert.ErrorIs(t, err, dataset.ErrAmbiguous, q)
		assert.ErrorContains(t, err, `every one of the 36 ICBs of footprint 2026 is "NHS ... ICB"`, q)
	}
	err = run([]string{"-icb", "grater manchster"}, &out, &errb)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, "the closest: QOP NHS Greater Manchester ICB")
	out.Reset()
	require.NoError(t, run([]string{"-list-icbs"}, &out, &errb))
	assert.Equal(t, 36+2, strings.Count(out.String(), "\n"), "a title, a header and the 36 ICBs")
	assert.Contains(t, out.String(), "D7T5G  E54000066  NHS Essex ICB")
	out.Reset()
	require.NoError(t, run([]string{"-list-icbs", "-footprint", "2022"}, &out, &errb))
	assert.Equal(t, 42+2, strings.Count(out.String(), "\n"))
}

// TestForTheICB: with -icb, the headline and the goal seek describe that
// ICB, with England beside it.
func TestForTheICB(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-icb", "greater manchester", "-goal", "grant"}, &out, &errb))
	assert.Contains(t, out.String(), "Headline for NHS Greater Manchester ICB: by 2028/29 the shift moves £85.9m a year")
	// Greater Manchester's grant is its councils' published share of
	// England's, 6.47% (£213.4m of £3,300m in 2017/18, PHG-10), not 5.2% by
	// registered population: £296m in 2028/29, not £236m.
	assert.Contains(t, out.String(), "0.29 times (29%) its part of the public health grant, £296.0m (the ten Greater Manchester councils' notional grant, funded through business rates retention: 6.47% of England's grant")
	assert.Contains(t, out.String(), "Headline: by 2028/29 the shift moves £1,586m a year")
	// At the size found, the ICB's shift equals its part of the grant (£296m).
	assert.Contains(t, out.String(), "Goal seek (grant in 2028/29, for NHS Greater Manchester ICB): a shift of 3.446 pp (points reading); "+
		"NHS Greater Manchester ICB's share rises 3.446 pp, to 8.45%, and the shift is £296m a year in 2028/29. The tables above are for the shift asked for, not this one.")
	// Elsewhere the grant is apportioned, and the headline says so.
	out.Reset()
	require.NoError(t, run([]string{"-icb", "essex"}, &out, &errb))
	assert.Contains(t, out.String(), "(England grant apportioned by share of GP-registered population (not a published allocation): a ratio to it rests on an apportioned grant)")
}

// TestGoalSeekEverywhere: -goal takes a bare share or amount as people type
// them, and its answer is in the CSV and the deliverables, not only the
// table.
func TestGoalSeekEverywhere(t *testing.T) {
	var out, errb bytes.Buffer
	for goal, want := range map[string]string{
		"£2bn": "Goal seek (£2bn in 2028/29, for England): a shift of 1.261 pp", "amount:2000m": "a shift of 1.261 pp",
		"2000000000": "a shift of 1.261 pp", "6.5%": "to 6.50%", "share:0.065": "to 6.50%", "0.065": "to 6.50%",
	} {
		out.Reset()
		require.NoError(t, run([]string{"-goal", goal}, &out, &errb), goal)
		assert.Contains(t, out.String(), want, goal)
	}
	for _, bad := range []string{"lots", "share:", "grant:1", "amount:x"} {
		assert.ErrorIs(t, run([]string{"-goal", bad}, &out, &errb), cli.ErrUsage, bad)
	}
	out.Reset()
	require.NoError(t, run([]string{"-goal", "grant", "-format", "csv"}, &out, &errb))
	// The shift that matches the grant is the grant, £4,577m in 2028/29.
	assert.Contains(t, out.String(), "hewitt,2028/29,ENG,England,goal_seek_prevention_shift,4577231438.93,GBP,cash,projected\n")
	assert.Contains(t, out.String(), "hewitt,2028/29,ENG,England,goal_seek_share_change,0.028863,share,none,projected\n")
	dir, _ := clitest.Deliverables(t, run, "-goal", "grant")
	page, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(page), "Goal seek (grant in 2028/29, for England)")
}

// TestSettlementRange: the 2028/29 shift comes with its range, the low and
// high settlements' shifts, for England and every ICB in projected years
// only; low <= central <= high. England: £1,551m on +0.69% real (the mean
// of the two published years), £1,586m with NHS England's planned revenue
// growth, £1,659m with the ICB programme back to its 2025/26 share of NHS
// England's revenue (see alloc.TestSettlementCases).
func TestSettlementRange(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-all-icbs", "-format", "csv"}, &out, &errb))
	recs, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	require.NoError(t, err)
	type key struct{ area, year, measure string }
	cash := map[key]decimal.Decimal{}
	for _, r := range recs[1:] { // scenario,year,area_code,area_name,measure,value,unit,basis,status
		if r[7] == "cash" {
			cash[key{r[2], r[1], r[4]}] = decimal.RequireFromString(r[5])
		}
	}
	areas := map[string]bool{}
	for k := range cash {
		if k.measure == "prevention_shift_low" {
			areas[k.area] = true
			assert.Contains(t, []string{"2026/27", "2027/28", "2028/29"}, k.year, "a range only where the settlement matters")
		}
	}
	assert.Len(t, areas, 37, "36 ICBs and England")
	for area := range areas {
		lo, c, hi := cash[key{area, "2028/29", "prevention_shift_low"}], cash[key{area, "2028/29", "prevention_shift"}], cash[key{area, "2028/29", "prevention_shift_high"}]
		assert.True(t, lo.LessThan(c) && c.LessThan(hi), "%s: %s <= %s <= %s", area, lo, c, hi)
	}
	m := budget.Formatter{Scale: budget.ScaleMillions}
	eng := func(measure string) string {
		return m.Format(budget.MoneyFromDecimal(cash[key{"ENG", "2028/29", measure}]))
	}
	assert.Equal(t, []string{"£1,551m", "£1,586m", "£1,659m"}, []string{eng("prevention_shift_low"), eng("prevention_shift"), eng("prevention_shift_high")})
	out.Reset()
	require.NoError(t, run(nil, &out, &errb))
	assert.Contains(t, out.String(), "in England (£1,551m to £1,659m in cash on the low and high settlements)")
	assert.Contains(t, out.String(), "Range: sr2025-low")
}

// TestHostileCorpusThroughTheProgram feeds every file of the hostile corpus
// (internal/hostile/testdata) to each file flag: an error that names the
// file, or a run, never a panic.
func TestHostileCorpusThroughTheProgram(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "internal", "hostile", "testdata", "*.csv"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		for _, flag := range []string{"-allocations", "-parameters", "-grant", "-councils"} {
			var out, errb bytes.Buffer
			var err error
			require.NotPanics(t, func() { err = run([]string{flag, f}, &out, &errb) }, "%s %s", flag, f)
			if err != nil {
				assert.Contains(t, err.Error()+errb.String(), filepath.Base(f), "%s %s: the error names the file", flag, f)
			}
		}
	}
}

// TestBaselineShareKeepsItsMeaning: -baseline-share 4% replaces the King's
// Fund 5%, a share of total health spending, and stays one (it switched to
// ICB spending, and so to adding the grant, silently); -baseline-of says
// otherwise; a preset's name takes its share, source and meaning.
func TestBaselineShareKeepsItsMeaning(t *testing.T) {
	line := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		require.NoError(t, run(args, &out, &errb))
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.Contains(l, "baseline share:") {
				return l
			}
		}
		return ""
	}
	assert.Contains(t, line("-baseline-share", "4%"), "4.00% of the budget base in 2023/24, read as a share of total health spending")
	assert.Contains(t, line("-baseline-share", "4%", "-baseline-of", "icb"), "read as a share of ICB spending alone")
	assert.Contains(t, line("-baseline-share", "dh-2006-07-4pc"), "4.00% of the budget base in 2023/24, read as a share of total health spending")
	var out, errb bytes.Buffer
	err := run([]string{"-baseline-share", "dh-2006-07-4pc", "-baseline-of", "icb"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)
	assert.ErrorContains(t, err, "is a preset with its own source and meaning")
}

// TestCouncilWhatIf: a council file 10% above England's grant is refused,
// and goes through with -unreconciled, labelled a what-if, England's grant
// then the councils' sum (it was refused either way).
func TestCouncilWhatIf(t *testing.T) {
	var b strings.Builder
	recs, err := csv.NewReader(strings.NewReader(clitest.CouncilFile(t))).ReadAll()
	require.NoError(t, err)
	w := csv.NewWriter(&b)
	for i, r := range recs {
		if i > 0 {
			r[3] = decimal.RequireFromString(r[3]).Mul(decimal.RequireFromString("1.1")).StringFixed(2)
		}
		require.NoError(t, w.Write(r))
	}
	w.Flush()
	file := filepath.Join(t.TempDir(), "plus10.csv")
	require.NoError(t, os.WriteFile(file, []byte(b.String()), 0o644))
	var out, errb bytes.Buffer
	err = run([]string{"-councils", file}, &out, &errb)
	assert.ErrorIs(t, err, prevention.ErrRange)
	assert.ErrorContains(t, err, "the councils' allocations add up to £4,243,800,000")
	require.NoError(t, run([]string{"-councils", file, "-unreconciled"}, &out, &errb))
	assert.Contains(t, out.String(), "unreconciled, a what-if: they need not add up to England's published grant")
	assert.Regexp(t, `2025/26 +£143,495m .* £4,244m`, out.String())
}

// TestPartCoveredICBIsNamed: Essex, Southend-on-Sea and Thurrock with
// -councils-subset left NHS Essex ICB's grant apportioned without a word,
// because the ICB also holds 2.47% of Redbridge's registered patients
// (council_icb.csv); it is named, with what it lacks.
func TestPartCoveredICBIsNamed(t *testing.T) {
	file := essexThree(t)
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-councils", file, "-councils-subset", "-icb", "essex"}, &out, &errb))
	assert.Contains(t, out.String(), "not fully covered, so apportioned: NHS Essex ICB also holds patients of Redbridge (2.47% of that council's patients)")
}

// TestCouncilView: the Essex County Council lead finds the council, sees
// its grant beside its part of the NHS shift, and its deliverables.
func TestCouncilView(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-list-councils"}, &out, &errb))
	assert.Contains(t, out.String(), "Upper-tier councils of footprint 2026 (153)")
	assert.Regexp(t, `E09000026\s+Redbridge\s+358064\s+D7T5G NHS Essex ICB 2\.5% \(0\.5%\); QMF NHS North East London ICB 97\.5% \(14\.6%\)`, out.String())

	out.Reset()
	require.NoError(t, run([]string{"-council", "essex"}, &out, &errb))
	text := out.String()
	assert.Contains(t, text, "Essex (E10000012), £m cash\nThe council's own public health grant beside its part of the NHS figures")
	// 80.2% of NHS Essex ICB's registered patients are Essex County
	// Council's [F4]: its 2028/29 shift is that part of the ICB's.
	assert.Contains(t, text, "Headline for Essex: by 2028/29 the shift moves £39.6m a year")
	assert.Contains(t, text, "Its part of the NHS figures: 80.2% of NHS Essex ICB's registered patients")
	assert.Contains(t, text, "Its grant: 2023/24 to 2028/29: apportioned")

	for _, c := range []struct{ query, want string }{
		{"hull", "Kingston upon Hull"},       // a word's start beats Solihull
		{"E06000023", "Bristol, City of"},    // a code
		{"north", "matches 9 councils"},      // ambiguous: listed
		{"bristl", "the closest: E06000023"}, // unknown: the closest
	} {
		out.Reset()
		err := run([]string{"-council", c.query}, &out, &errb)
		if strings.HasPrefix(c.want, "matches") || strings.HasPrefix(c.want, "the closest") {
			require.ErrorIs(t, err, cli.ErrUsage, c.query)
			assert.Contains(t, err.Error(), c.want)
			continue
		}
		require.NoError(t, err, c.query)
		assert.Contains(t, out.String(), "Headline for "+c.want, c.query)
	}
	err := run([]string{"-council", "essex", "-icb", "essex"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage)

	// CSV: the council's rows beside England's, with its settlement range.
	out.Reset()
	require.NoError(t, run([]string{"-council", "essex", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2028/29,E10000012,Essex,prevention_shift,39551495.19,GBP,cash,projected\n")
	assert.Contains(t, out.String(), "hewitt,2028/29,E10000012,Essex,prevention_shift_low,")
	assert.Contains(t, out.String(), "hewitt,2028/29,ENG,England,prevention_shift,")
	assert.NotContains(t, out.String(), ",D7T5G,")
}

// TestEssexWithoutRedbridge: Essex, Southend-on-Sea and Thurrock alone
// leave NHS Essex ICB apportioned, and say why (it holds 2.47% of
// Redbridge's patients [F4]); -councils-partial makes it mixed.
func TestEssexWithoutRedbridge(t *testing.T) {
	file := essexThree(t)
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-councils", file, "-councils-subset", "-icb", "essex"}, &out, &errb))
	assert.Contains(t, out.String(), "NHS Essex ICB also holds patients of Redbridge (2.47% of that council's patients)")
	assert.Contains(t, out.String(), "-councils-partial")
	out.Reset()
	require.NoError(t, run([]string{"-councils", file, "-councils-partial", "-icb", "essex", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2025/26,D7T5G,NHS Essex ICB,public_health_grant_mixed,1,flag,none,")
	out.Reset()
	require.NoError(t, run([]string{"-councils", file, "-councils-subset", "-council", "essex", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2025/26,E10000012,Essex,public_health_grant_from_councils,1,flag,none,", "its own allocation")
}

// TestCouncilDeliverables: -council -out writes the council's workbook,
// with its grant beside its part of the shift, and every ICB in one sheet.
func TestCouncilDeliverables(t *testing.T) {
	dir, _ := clitest.Deliverables(t, run, "-council", "essex", "-councils", councilFile(t))
	f, err := excelize.OpenFile(filepath.Join(dir, "results.xlsx"))
	require.NoError(t, err)
	defer f.Close()
	title, err := f.GetCellValue("Summary", "A1")
	require.NoError(t, err)
	assert.Equal(t, "Essex: the Hewitt prevention shift", title)
	rows, err := f.GetRows("Summary")
	require.NoError(t, err)
	var labels []string
	for _, r := range rows {
		if len(r) > 0 {
			labels = append(labels, r[0])
		}
	}
	assert.Contains(t, labels, "Public health grant, the council's own (apportioned, then council file, then held share)")
	assert.Contains(t, labels, "England: the shift")
	icbs, err := f.GetRows("All ICBs")
	require.NoError(t, err)
	assert.Len(t, icbs, 1+36+1, "a header, the 36 ICBs of April 2026 and England")
	report, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	assert.Contains(t, string(report), "Essex")
}

// TestQALYs: -benefits qalys gives England's and each ICB's QALYs gained,
// forgone and net with their value, the sentence a director can repeat,
// and its total over the shift's years [MARTIN-2020, HMT-HL5283].
func TestQALYs(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-benefits", "qalys", "-icb", "essex"}, &out, &errb))
	text := out.String()
	assert.Contains(t, text, "In health: the shift in 2028/29 would gain about 6,250 QALYs net in NHS Essex ICB (8,693 gained, 2,447 forgone;")
	assert.Contains(t, text, "discounted at the Green Book's 1.5% for health")
	assert.Contains(t, text, "which the paper did not measure")
	out.Reset()
	require.NoError(t, run([]string{"-benefits", "qalys", "-all-icbs", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2028/29,ENG,England,qalys_net,200846.88,QALYs,none,projected\n")
	assert.Contains(t, out.String(), "hewitt,2024/25-2028/29,ENG,England,qalys_net_total,")
	assert.Contains(t, out.String(), ",qalys_net_value_pv,")
	assert.Equal(t, 37*6, strings.Count(out.String(), ",qalys_gained,"), "England and the 36 ICBs, every year")
	// New money gives up no treatment: nothing forgone.
	out.Reset()
	require.NoError(t, run([]string{"-benefits", "qalys", "-funding", "additional", "-format", "csv"}, &out, &errb))
	assert.Contains(t, out.String(), "hewitt,2028/29,ENG,England,qalys_forgone,0.00,QALYs,none,projected\n")
}

// essexThree writes a 2025/26 council file of Essex, Southend-on-Sea and
// Thurrock alone (England's grant split by population [PHG-21]), whose
// ICB, NHS Essex ICB, also holds 2.47% of Redbridge's patients [F4].
func essexThree(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("year,council_code,council_name,amount\n")
	for _, l := range strings.Split(clitest.CouncilFile(t), "\n") {
		for _, c := range []string{"E10000012", "E06000033", "E06000034"} {
			if strings.HasPrefix(l, "2025/26,"+c+",") {
				b.WriteString(l + "\n")
			}
		}
	}
	file := filepath.Join(t.TempDir(), "essex.csv")
	require.NoError(t, os.WriteFile(file, []byte(b.String()), 0o644))
	return file
}
