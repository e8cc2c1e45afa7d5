package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	rawDir  = "../../budget/dataset/data/raw"
	dataDir = "../../budget/dataset/data"
)

// TestCommittedDataIsBuilt rebuilds every embedded file from the raw files
// and checks that the committed files are byte for byte what it builds: a
// hand edit of budget/dataset/data/*.csv fails here, naming the file.
func TestCommittedDataIsBuilt(t *testing.T) {
	out, err := build(rawDir)
	require.NoError(t, err)
	assert.Len(t, out, 11, "allocations, populations, footprints, council crosswalk, ICB list, grant, grant benchmarks, deflators, England totals, parameters, sources")
	require.NoError(t, compare(out, dataDir))
}

// copyDir copies the regular files of src into a new temporary folder.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644))
	}
	return dst
}

func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Contains(t, string(b), old)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644))
}

func TestCheckNamesAHandEditedFile(t *testing.T) {
	out, err := build(rawDir)
	require.NoError(t, err)
	data := copyDir(t, dataDir)
	// The 2025/26 grant as first announced, £3,858.0m [grant.csv], edited by hand.
	replaceIn(t, filepath.Join(data, "grant.csv"), "3858000000", "3958000000")
	require.NoError(t, os.WriteFile(filepath.Join(data, "extra.csv"), []byte("a\n1\n"), 0o644))
	err = compare(out, data)
	require.Error(t, err)
	msg := err.Error()
	assert.Contains(t, msg, filepath.Join(data, "grant.csv")+" differs from what the raw files build")
	assert.Contains(t, msg, "3958000000")
	assert.Contains(t, msg, filepath.Join(data, "extra.csv")+" is not built from the raw files")
	assert.NotContains(t, msg, "allocations.csv", "only the edited files are named")
}

func TestManifestRefusesAChangedRawFile(t *testing.T) {
	raw := copyDir(t, rawDir)
	// OBR November 2025: GDP deflator growth 2013-14, 2.0639% [raw/deflators.csv].
	replaceIn(t, filepath.Join(raw, "deflators.csv"), "2.0639", "2.0640")
	_, err := build(raw)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(raw, "deflators.csv")+": SHA-256 is ")
	assert.Contains(t, err.Error(), "the file is not the one recorded")
}

func TestManifestRefusesUnlistedAndMissingFiles(t *testing.T) {
	raw := copyDir(t, rawDir)
	require.NoError(t, os.WriteFile(filepath.Join(raw, "stray.csv"), []byte("x\n"), 0o644))
	require.NoError(t, os.Remove(filepath.Join(raw, "published_2025_2026.csv")))
	_, err := build(raw)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(raw, "stray.csv")+": not listed in manifest.csv")
	assert.Contains(t, err.Error(), "published_2025_2026.csv: no such file")
}

func TestBuildRefusesABadParameter(t *testing.T) {
	raw := copyDir(t, rawDir)
	replaceIn(t, filepath.Join(raw, "parameters.csv"), "settlement.sr2025.real_growth,0.030262,", "settlement.sr2025.real_growth,3%,")
	// Record the new checksum, as a maintainer would, so the loader is reached.
	b, err := os.ReadFile(filepath.Join(raw, "parameters.csv"))
	require.NoError(t, err)
	rows, err := readCSV(filepath.Join(raw, manifestFile))
	require.NoError(t, err)
	for _, r := range rows {
		if r["file"] == "parameters.csv" {
			replaceIn(t, filepath.Join(raw, manifestFile), r["sha256"], sha256Hex(b))
		}
	}
	_, err = build(raw)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(raw, "parameters.csv")+`:4: column "value": value "3%"`)
}

func TestRecordChecksumAcceptsAnIntendedChange(t *testing.T) {
	raw := copyDir(t, rawDir)
	// The implied real growth 0.69% [HL14384], changed on purpose to 3.5%.
	replaceIn(t, filepath.Join(raw, "parameters.csv"), "settlement.sr2025.real_growth,0.030262,", "settlement.sr2025.real_growth,0.035,")
	_, err := build(raw)
	require.Error(t, err, "a changed file is refused until its checksum is recorded")
	require.NoError(t, recordChecksum(raw, "parameters.csv"))
	out, err := build(raw)
	require.NoError(t, err)
	assert.Contains(t, string(out["parameters.csv"]), "settlement.sr2025.real_growth,0.035,")
	assert.ErrorContains(t, recordChecksum(raw, "nothing.csv"), "nothing.csv is not listed")
	require.NoError(t, os.WriteFile(filepath.Join(raw, "new.csv"), []byte("x\n"), 0o644))
	assert.ErrorContains(t, recordChecksum(raw, "new.csv"), "new.csv is not listed")
}

func TestBuildNamesABadCell(t *testing.T) {
	raw := copyDir(t, rawDir)
	// NHS England's 2022/23 core recurrent baseline for England, £94,591.175m [national_totals.csv, S1].
	replaceIn(t, filepath.Join(raw, "national_totals.csv"), ",94591.175,", ",94591.17x,")
	require.NoError(t, recordChecksum(raw, "national_totals.csv"))
	_, err := build(raw)
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(raw, "national_totals.csv")+`: value "94591.17x": not a plain number`)
}

// TestBuildRefusesParametersTheLibraryDoesNotRead: an ID of no form the
// library reads is refused when the data is built; what the model builds
// from the parameters is checked by scenario.CheckPresets (TestCheckPresets).
func TestBuildRefusesParametersTheLibraryDoesNotRead(t *testing.T) {
	raw := copyDir(t, rawDir)
	replaceIn(t, filepath.Join(raw, "parameters.csv"), "settlement.sr2025.rca_growth,0,", "settlement.sr2025.rca_growth,0,fraction,any,assumption,UPSTREAM-ASSUMPTION,x\nfoo.bar,1,")
	require.NoError(t, recordChecksum(raw, filepath.Join(raw, "parameters.csv")), "a path in the raw folder names the file too")
	_, err := build(raw)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `column "id": value "foo.bar": unknown name`)
}

func TestRecordRefusesAFileOutsideTheRawFolder(t *testing.T) {
	raw := copyDir(t, rawDir)
	assert.ErrorContains(t, recordChecksum(raw, "elsewhere/deflators.csv"), "the file is not in")
	assert.ErrorContains(t, main1(raw, t.TempDir(), "deflators.csv", true), "-check writes nothing")
}
