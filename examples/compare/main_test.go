package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/golden"
	"github.com/upstream-health/upstream/scenario"
)

func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"default.golden", nil},
		{"default_csv.golden", []string{"-format", "csv"}},
		{"ten_years_base_hewitt.golden", []string{"-base", "hewitt", "-horizon", "2033/34"}},
		{"user_scenario.golden", []string{"-scenario", "testdata/two_points.json", "-icb", "QE1"}},
		{"user_scenario_json.golden", []string{"-scenario", "testdata/two_points.json", "-format", "json"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			require.NoError(t, run(c.args, &out, &errb))
			golden.Check(t, c.name, out.Bytes())
		})
	}
}

func TestCSVHasEveryScenarioAndTheBase(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-format", "csv"}, &out, &errb))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Equal(t, strings.Join(scenario.CompareColumns, ","), lines[0])
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
	for _, s := range scenario.Catalogue() {
		assert.True(t, seen[s.Name], s.Name)
	}
}

func TestErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"schema":1,"name":"x","base":"hewitt","shift":{"reading":"double"},"colour":"red"}`), 0o644))
	taken := filepath.Join(t.TempDir(), "taken.json")
	require.NoError(t, os.WriteFile(taken, []byte(`{"schema":1,"name":"hewitt","base":"hewitt"}`), 0o644))
	for _, c := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"-base", "nirvana"}, `-base "nirvana": not one of status-quo, hewitt`, 2},
		{[]string{"-horizon", "2040/41"}, `horizon "2040/41": value out of range: want 2025/26 to 2034/35`, 1},
		{[]string{"-horizon", "2033/35"}, "-horizon: parsing year", 2},
		{[]string{"-scenario", bad}, `field "colour": unknown name`, 1},
		{[]string{"-scenario", bad}, `field "shift.reading"`, 1},
		{[]string{"-scenario", taken}, `the name "hewitt" is taken`, 2},
		{[]string{"-scenario", "missing.json"}, "no such file", 1},
		{[]string{"-icb", "ZZZ"}, `ICB "ZZZ"`, 2},
	} {
		var out, errb bytes.Buffer
		code := cli.Main("compare", run, c.args, &out, &errb)
		assert.Equal(t, c.code, code, "%v: %s", c.args, errb.String())
		assert.Contains(t, errb.String(), c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(errb.String(), "\n"), "one line: %q", errb.String())
	}
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
