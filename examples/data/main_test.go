package main

import (
	"bytes"
	"io/fs"
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
	golden.Program(t, run, []golden.Case{
		{Name: "table.golden", Args: []string{"-format", "table"}},
		{Name: "csv.golden", Args: []string{"-format", "csv"}},
		{Name: "json.golden", Args: []string{"-format", "json"}},
	})
}

func TestExportLoadsBack(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-export", dir}, &out, &out))
	for _, name := range budget.DataFiles() {
		got, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		want, err := fs.ReadFile(budget.EmbeddedFiles(), name)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%s exported differs from the embedded file", name)
	}
	f, err := os.Open(filepath.Join(dir, budget.AllocationsFile))
	require.NoError(t, err)
	defer f.Close()
	a, err := budget.ReadAllocations(f, budget.AllocationsFile)
	require.NoError(t, err)
	assert.Len(t, a.ICBs(), 42)
}

func TestBadFlags(t *testing.T) {
	var out, errb bytes.Buffer
	err := run([]string{"-format", "xml"}, &out, &errb)
	require.ErrorIs(t, err, cli.ErrUsage)
	assert.Contains(t, err.Error(), `"xml" is not one of table, csv, json`)
	code := cli.Main("data", run, []string{"-format", "xml"}, &out, &errb)
	assert.Equal(t, 2, code)
	assert.Contains(t, errb.String(), "data: usage: invalid value")
	err = run([]string{"-export", ""}, &out, &errb)
	require.ErrorIs(t, err, cli.ErrUsage)
	assert.Contains(t, err.Error(), "-export: given with no value")
}

// TestBenchmarks: -benchmarks -format csv writes one row per published
// benchmark in grant_benchmarks.csv with the library's figure where it can
// compute one: 2024/25 per person against 2015/16, -28% published [PHG-40],
// -27.4% in the library.
func TestBenchmarks(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-benchmarks", "-format", "csv"}, &out, &errb))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	assert.Equal(t, "id,period,measure,published,library,difference,unit,inputs", lines[0])
	assert.Len(t, lines, 18, "a header and the 17 benchmarks")
	assert.Contains(t, out.String(), "PHG-40,2024/25,per_person_real_terms_vs_2015_16,-28,-27.4,0.6,percent,")
}
