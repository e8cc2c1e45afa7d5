package main

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/golden"
	"github.com/upstream-health/upstream/prevention"
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
	for _, name := range dataset.DataFiles() {
		got, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		want, err := fs.ReadFile(dataset.EmbeddedFiles(), name)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%s exported differs from the embedded file", name)
	}
	f, err := os.Open(filepath.Join(dir, dataset.AllocationsFile))
	require.NoError(t, err)
	defer f.Close()
	a, err := dataset.ReadAllocations(f, dataset.AllocationsFile)
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

// TestCouncilsTemplate: every upper-tier council (153 after April 2023
// [F4]), sorted by name, amounts blank; a template left blank is refused
// naming its first line; filled in, it loads.
func TestCouncilsTemplate(t *testing.T) {
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-councils-template", "-year", "2026/27"}, &out, &errb))
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	require.Len(t, lines, 154)
	assert.Equal(t, "year,council_code,council_name,amount,registered,icbs", lines[0])
	assert.Equal(t, "2026/27,E09000002,Barking and Dagenham,,260335,QMF 100.00%", lines[1])
	assert.Contains(t, out.String(), "2026/27,E09000026,Redbridge,,358064,D7T5G 2.47%; QMF 97.53%\n")
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	_, err = prevention.CouncilAllocations(strings.NewReader(out.String()), "template.csv", x, dataset.Footprint2026, prevention.CouncilOptions{})
	var fe *budget.FileError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, 2, fe.Line)
	assert.Equal(t, "amount", fe.Column)
	assert.Contains(t, err.Error(), "template row left blank")
	// Filled in (each council £1 per registered patient, for the test): it loads.
	recs, err := csv.NewReader(strings.NewReader(out.String())).ReadAll()
	require.NoError(t, err)
	var filled bytes.Buffer
	w := csv.NewWriter(&filled)
	for i, rec := range recs {
		if i > 0 {
			rec[3] = rec[4]
		}
		require.NoError(t, w.Write(rec))
	}
	w.Flush()
	cg, err := prevention.CouncilAllocations(bytes.NewReader(filled.Bytes()), "filled.csv", x, dataset.Footprint2026, prevention.CouncilOptions{})
	require.NoError(t, err)
	assert.True(t, cg.Covers(budget.MustYear("2026/27")))
	out.Reset()
	require.NoError(t, run([]string{"-councils-template", "-year", "2025/26, 2026/27"}, &out, &errb))
	assert.Equal(t, 1+2*153, strings.Count(out.String(), "\n"), "a block for each year")
	err = run([]string{"-year", "2026/27"}, &out, &errb)
	assert.ErrorIs(t, err, cli.ErrUsage, "-year without -councils-template")
}

// TestExportKeepsEdits: a second -export to the same folder is refused,
// naming the files, unless -overwrite says to replace them.
func TestExportKeepsEdits(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-export", dir}, &out, &out))
	err := run([]string{"-export", dir}, &out, &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "edits would be lost")
	assert.Contains(t, err.Error(), "-overwrite replaces them")
	assert.Contains(t, err.Error(), "parameters.csv")
	require.NoError(t, run([]string{"-export", dir, "-overwrite"}, &out, &out))
	err = run([]string{"-overwrite"}, &out, &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-overwrite is for -export")
}

// TestExportHasTheCrosswalk: -export writes council_icb.csv and icbs.csv,
// and they load back.
func TestExportHasTheCrosswalk(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-export", dir}, &out, &out))
	f, err := os.Open(filepath.Join(dir, dataset.CouncilCrosswalkFile))
	require.NoError(t, err)
	defer f.Close()
	x, err := dataset.ReadCouncilCrosswalk(f, dataset.CouncilCrosswalkFile)
	require.NoError(t, err)
	cs, err := x.Councils(dataset.Footprint2026)
	require.NoError(t, err)
	assert.Len(t, cs, 153)
	g, err := os.Open(filepath.Join(dir, dataset.ICBDirectoryFile))
	require.NoError(t, err)
	defer g.Close()
	d, err := dataset.ReadICBDirectory(g, dataset.ICBDirectoryFile)
	require.NoError(t, err)
	e, err := d.Find(dataset.Footprint2026, "essex")
	require.NoError(t, err)
	assert.Equal(t, "D7T5G", e.Code)
}
