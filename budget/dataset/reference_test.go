package dataset_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

// TestReadDataRefusesEditedReferences: the council crosswalk and the ICB
// list an export writes beside the data are the library's own, which the
// programs use; a folder whose copies differ (a share moved between a
// council's ICBs, an ICB renamed, a row gone or added) is refused with the
// file, line, column and both values, rather than read with the edit
// ignored. The same numbers written another way (1.0000000000 for 1), or
// no copies at all, read as before; a copy its loader refuses is refused
// with the loader's error.
func TestReadDataRefusesEditedReferences(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	export := func(t *testing.T) string {
		dir := t.TempDir()
		_, err := d.Export(dir, false)
		require.NoError(t, err)
		return dir
	}
	edit := func(t *testing.T, dir, file string, change func(lines []string) []string) {
		b, err := os.ReadFile(filepath.Join(dir, file))
		require.NoError(t, err)
		lines := change(strings.Split(strings.TrimRight(string(b), "\n"), "\n"))
		require.NoError(t, os.WriteFile(filepath.Join(dir, file), []byte(strings.Join(lines, "\n")+"\n"), 0o644))
	}
	replace := func(old, new string) func([]string) []string {
		return func(lines []string) []string {
			for i, l := range lines {
				if strings.Contains(l, old) {
					lines[i] = strings.Replace(l, old, new, 1)
					return lines
				}
			}
			t.Fatalf("no line has %q", old)
			return nil
		}
	}
	read := func(dir string) error {
		_, err := dataset.ReadData(os.DirFS(dir), "edited")
		return err
	}

	t.Run("as exported", func(t *testing.T) {
		require.NoError(t, read(export(t)))
	})
	t.Run("the same numbers written another way", func(t *testing.T) {
		dir := export(t)
		edit(t, dir, dataset.CouncilCrosswalkFile, replace("2022,E06000001,Hartlepool,QHM,97271,1,F4", "2022,E06000001,Hartlepool,QHM,97271.0,1.0000000000,F4"))
		require.NoError(t, read(dir))
	})
	t.Run("without the copies", func(t *testing.T) {
		dir := export(t)
		require.NoError(t, os.Remove(filepath.Join(dir, dataset.CouncilCrosswalkFile)))
		require.NoError(t, os.Remove(filepath.Join(dir, dataset.ICBDirectoryFile)))
		require.NoError(t, read(dir))
	})
	t.Run("a council's registered patients changed", func(t *testing.T) {
		dir := export(t)
		edit(t, dir, dataset.CouncilCrosswalkFile, replace("2022,E06000001,Hartlepool,QHM,97271,1,F4", "2022,E06000001,Hartlepool,QHM,99999,1,F4"))
		err := read(dir)
		require.ErrorIs(t, err, dataset.ErrReference)
		var fe *budget.FileError
		require.True(t, errors.As(err, &fe))
		assert.Equal(t, dataset.CouncilCrosswalkFile, fe.File)
		assert.Equal(t, 2, fe.Line)
		assert.Equal(t, "registered", fe.Column)
		assert.Equal(t, "99999", fe.Value)
		assert.ErrorContains(t, err, `the library's copy has "97271" for 2022, E06000001, QHM`)
	})
	t.Run("a share moved between a council's ICBs", func(t *testing.T) {
		dir := export(t)
		edit(t, dir, dataset.CouncilCrosswalkFile, replace(",QJM,3592,0.0191072699,", ",QJM,3592,0.0291072699,"))
		edit(t, dir, dataset.CouncilCrosswalkFile, replace(",QOQ,184385,0.9808927301,", ",QOQ,184385,0.9708927301,"))
		err := read(dir)
		require.ErrorIs(t, err, dataset.ErrReference, "the shares still add up to 1, so the loader takes them")
		assert.ErrorContains(t, err, `council_icb.csv:14: column "share": value "0.0291072699"`)
		assert.ErrorContains(t, err, `council_icb.csv:15: column "share": value "0.9708927301"`)
	})
	t.Run("an ICB renamed", func(t *testing.T) {
		dir := export(t)
		edit(t, dir, dataset.ICBDirectoryFile, replace("NHS South Yorkshire ICB", "NHS Yorkshire South ICB"))
		err := read(dir)
		require.ErrorIs(t, err, dataset.ErrReference)
		assert.ErrorContains(t, err, "icbs.csv:3")
		assert.ErrorContains(t, err, "icb_name")
		assert.ErrorContains(t, err, `"NHS South Yorkshire ICB" for 2022, QF7`)
	})
	t.Run("a row gone and a row added", func(t *testing.T) {
		dir := export(t)
		edit(t, dir, dataset.ICBDirectoryFile, func(lines []string) []string {
			return append(lines[:2], append(lines[3:], "2026,QZZ,E54000999,NHS Imaginary ICB,London")...)
		})
		err := read(dir)
		require.ErrorIs(t, err, dataset.ErrReference)
		assert.ErrorContains(t, err, "the row of 2026, QZZ is not in the library's copy")
		assert.ErrorContains(t, err, "the row of 2022, QF7 (line 3 of the library's copy) is missing")
	})
	t.Run("a copy its loader refuses", func(t *testing.T) {
		dir := export(t)
		edit(t, dir, dataset.CouncilCrosswalkFile, replace("2022,E06000001,Hartlepool,QHM,97271,1,F4", "2022,E06000001,Hartlepool,QHM,97271,1.5,F4"))
		err := read(dir)
		require.ErrorIs(t, err, budget.ErrRange)
		assert.NotErrorIs(t, err, dataset.ErrReference)
		assert.ErrorContains(t, err, "council_icb.csv:2")
		assert.ErrorContains(t, err, "a copy for reference", "and what to do about it")
		var fe *budget.FileError
		assert.True(t, errors.As(err, &fe), "the loader's FileError, still there to find")
	})
}
