package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/golden"
)

func TestGolden(t *testing.T) {
	for _, c := range []struct{ name, format string }{{"table.golden", "table"}, {"csv.golden", "csv"}, {"json.golden", "json"}} {
		t.Run(c.format, func(t *testing.T) {
			var out, errb bytes.Buffer
			require.NoError(t, run([]string{"-format", c.format}, &out, &errb))
			golden.Check(t, c.name, out.Bytes())
		})
	}
}

func TestExportLoadsBack(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-export", dir}, &out, &out))
	for _, name := range []string{budget.AllocationsFile, budget.GrantFile, budget.DeflatorsFile, budget.PopulationsFile, budget.EnglandTotalsFile, budget.SourcesFile} {
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
}
