// Package golden compares program output with files under testdata,
// rewriting them when tests run with -update.
package golden

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata")

// Check compares got with testdata/name, or writes it there with -update.
// A difference is reported by its first differing line, with the lines
// around it, not by printing both files whole.
func Check(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "missing golden file; run go test -update")
	if string(want) == string(got) {
		return
	}
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	i := 0
	for i < len(w) && i < len(g) && w[i] == g[i] {
		i++
	}
	line := func(lines []string, k int) string {
		if k < len(lines) {
			return lines[k]
		}
		return "(end of output)"
	}
	t.Errorf("output differs from %s at line %d (%d lines wanted, %d got):\nwant: %s\ngot:  %s\nif the change is intended, run go test -update",
		path, i+1, len(w), len(g), line(w, i), line(g, i))
}
