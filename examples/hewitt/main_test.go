package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/golden"
)

func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"default.golden", nil},
		{"default_csv.golden", []string{"-format", "csv"}},
		{"default_json.golden", []string{"-format", "json"}},
		{"per_year.golden", []string{"-reading", "per-year"}},
		{"relative_front.golden", []string{"-reading", "relative", "-profile", "front"}},
		{"icb_additional.golden", []string{"-icb", "QE1", "-funding", "additional", "-baseline-share", "0.04", "-baseline-source", "DH 2006/07 estimate"}},
		{"all_icbs_csv.golden", []string{"-all-icbs", "-format", "csv"}},
		{"benefits_goal.golden", []string{"-benefits", "masters-2017-local", "-goal", "grant"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			require.NoError(t, run(c.args, &out, &errb))
			golden.Check(t, c.name, out.Bytes())
		})
	}
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
		"treatment_spend", "public_health_grant", "shift_to_grant_ratio", "combined_prevention"} {
		assert.True(t, seen[m+" cash"], "%s in cash", m)
		assert.True(t, seen[m+" real_2024_25"], "%s in real terms", m)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"-reading", "double"}, `"double" is not one of points, per-year, relative`, 2},
		{[]string{"-profile", "wavy"}, "-profile: profile \"wavy\": unknown name: want linear, front, back, step or custom", 2},
		{[]string{"-profile", "custom:0.5,0.2,1"}, "weight 2 (0.2) is below weight 1", 2},
		{[]string{"-baseline-share", "1.5"}, "a share must be between 0 and 1", 2},
		{[]string{"-baseline-share", "5%"}, "invalid syntax", 2},
		{[]string{"-funding", "borrowed"}, `"borrowed" is not one of envelope, additional`, 2},
		{[]string{"-format", "xlsx"}, `"xlsx" is not one of table, csv, json`, 2},
		{[]string{"-icb", "ZZZ"}, `ICB "ZZZ": unknown name`, 2},
		{[]string{"-icb", "QE1", "-all-icbs"}, "give one or the other", 2},
		{[]string{"-reading", "per-year", "-size", "20"}, "takes the prevention share from 0.05 to 1.05", 1},
		{[]string{"-goal", "half"}, `-goal "half": want grant, share:FRACTION or amount:POUNDS`, 2},
		{[]string{"-benefits", "roi:x"}, "-benefits", 2},
		{[]string{"-grant", "nope.csv"}, "no such file", 1},
		{[]string{"stray"}, `unexpected argument "stray"`, 2},
	} {
		var out, errb bytes.Buffer
		code := cli.Main("hewitt", run, c.args, &out, &errb)
		assert.Equal(t, c.code, code, "%v: %s", c.args, errb.String())
		assert.Contains(t, errb.String(), c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(errb.String(), "\n"), "one line: %q", errb.String())
	}
}

// TestUserFilesRoundTrip: the embedded data written out and loaded back
// with -allocations and -grant gives byte-identical results.
func TestUserFilesRoundTrip(t *testing.T) {
	d, err := budget.Embedded()
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
	alloc := write("allocations.csv", func(f *os.File) error { return budget.WriteAllocations(f, d.Allocations) })
	grant := write("grant.csv", func(f *os.File) error { return budget.WriteGrant(f, d.Grant) })
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
