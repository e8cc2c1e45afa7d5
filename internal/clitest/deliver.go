package clitest

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/upstream-health/upstream/scenario/report/deliver"
)

// Deliverables runs a program with args and -out into a new folder, checks
// that every file of the folder is there and not empty, and returns the
// folder and its workbook, opened (closed when the test ends).
func Deliverables(t *testing.T, run func(args []string, stdout, stderr io.Writer) error, args ...string) (string, *excelize.File) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "out")
	var out, errb bytes.Buffer
	require.NoError(t, run(append(args, "-out", dir), &out, &errb))
	for _, f := range deliver.Files() {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
		require.Positive(t, st.Size(), f)
	}
	// A second run into the same folder is refused before any work, and
	// names what is there; -overwrite lets it through.
	err := run(append(args, "-out", dir), io.Discard, io.Discard)
	require.ErrorIs(t, err, deliver.ErrExists)
	require.ErrorContains(t, err, "results.xlsx")
	// The same inputs give the same bytes, the workbook included.
	again := filepath.Join(t.TempDir(), "again")
	require.NoError(t, run(append(args, "-out", again), io.Discard, io.Discard))
	for _, f := range deliver.Files() {
		a, err := os.ReadFile(filepath.Join(dir, f))
		require.NoError(t, err)
		b, err := os.ReadFile(filepath.Join(again, f))
		require.NoError(t, err)
		require.True(t, bytes.Equal(a, b), "%s differs between two runs on the same inputs", f)
	}
	wb, err := excelize.OpenFile(filepath.Join(dir, "results.xlsx"))
	require.NoError(t, err)
	t.Cleanup(func() { wb.Close() })
	return dir, wb
}
