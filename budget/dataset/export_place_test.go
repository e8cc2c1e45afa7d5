package dataset_test

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
	"github.com/upstream-health/upstream/budget/dataset"
)

// TestFindPlace: an ICB or a council by code or name, a whole name before a
// part of one, across the two kinds (codes: the embedded ICB directory and
// council crosswalk).
func TestFindPlace(t *testing.T) {
	dir, err := dataset.EmbeddedICBDirectory()
	require.NoError(t, err)
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	for query, want := range map[string]string{
		"manchester":         "council E08000003", // the council's whole name beats the ICB's part
		"greater manchester": "icb QOP",
		"QOP":                "icb QOP",
		"e08000003":          "council E08000003",
		"Cornwall":           "council E06000052",
		"hull":               "council E06000010", // at the start of a word: not Solihull's ICB
	} {
		e, c, isCouncil, err := dir.FindPlace(x, dataset.Footprint2026, query)
		require.NoError(t, err, query)
		got := "icb " + e.Code
		if isCouncil {
			got = "council " + c.Code
		}
		assert.Equal(t, want, got, query)
	}
	// A part of one ICB's name and of several councils' (or the other way
	// round) is ambiguous too.
	for _, q := range []string{"london", "sussex", "cheshire"} {
		_, _, _, err = dir.FindPlace(x, dataset.Footprint2026, q)
		assert.ErrorIs(t, err, dataset.ErrAmbiguous, q)
	}
	// NHS Essex ICB and Essex County Council have the same name.
	_, _, _, err = dir.FindPlace(x, dataset.Footprint2026, "essex")
	assert.ErrorIs(t, err, dataset.ErrAmbiguous)
	assert.ErrorContains(t, err, "give a code")
	_, _, _, err = dir.FindPlace(x, dataset.Footprint2026, "atlantis")
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, `area "atlantis"`)
}

// TestExport: the data exported to a folder reads back as the same data:
// each file written again from what was read is the file exported.
func TestExport(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	dir := t.TempDir()
	written, err := d.Export(dir, false)
	require.NoError(t, err)
	assert.Len(t, written, len(dataset.DataFiles())+3, "the data files, the crosswalk, the ICB list and the README")
	back, err := dataset.ReadData(os.DirFS(dir), "exported")
	require.NoError(t, err)
	for _, name := range dataset.DataFiles() {
		var a, b bytes.Buffer
		require.NoError(t, d.WriteFile(&a, name))
		require.NoError(t, back.WriteFile(&b, name))
		assert.Equal(t, a.String(), b.String(), name)
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "exported to edit")
	// Again: refused, so that edits are not lost, unless overwrite is set.
	_, err = d.Export(dir, false)
	assert.ErrorIs(t, err, fs.ErrExist)
	assert.ErrorContains(t, err, "parameters.csv")
	_, err = d.Export(dir, true)
	assert.NoError(t, err)
	// A file that is a symbolic link is never written through.
	victim := filepath.Join(t.TempDir(), "victim")
	require.NoError(t, os.WriteFile(victim, []byte("mine"), 0o644))
	linked := t.TempDir()
	require.NoError(t, os.Symlink(victim, filepath.Join(linked, dataset.ParametersFile)))
	_, err = d.Export(linked, true)
	assert.ErrorContains(t, err, "not a plain file")
	b, err := os.ReadFile(victim)
	require.NoError(t, err)
	assert.Equal(t, "mine", string(b))
	// Nor a folder that is one.
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(dir, link))
	_, err = d.Export(link, true)
	assert.ErrorContains(t, err, "symbolic link")
	var nilData *dataset.Data
	_, err = nilData.Export(dir, true)
	assert.ErrorIs(t, err, budget.ErrNoData)
}

// TestColumns: each data file's columns are the header of the embedded
// file; another name is unknown.
func TestColumns(t *testing.T) {
	for _, name := range append(dataset.DataFiles(), dataset.CouncilCrosswalkFile, dataset.ICBDirectoryFile, dataset.BenchmarksFile) {
		cols, err := dataset.Columns(name)
		require.NoError(t, err, name)
		b, err := fs.ReadFile(dataset.EmbeddedFiles(), name)
		require.NoError(t, err, name)
		header, _, _ := strings.Cut(string(b), "\n")
		assert.Equal(t, strings.Join(cols, ","), strings.TrimSpace(header), name)
	}
	_, err := dataset.Columns("pizza.csv")
	assert.ErrorIs(t, err, budget.ErrUnknown)
}
