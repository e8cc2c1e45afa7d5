// Package golden compares program output with files under testdata,
// rewriting them when tests run with -update.
package golden

import (
	"bytes"
	"flag"
	"io"
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

// Case is one run of a program and the golden file of its output.
type Case struct {
	Name string // the golden file, under testdata
	Args []string
}

// Program runs each case through a program's run function and checks its
// standard output against the golden file.
func Program(t *testing.T, run func(args []string, stdout, stderr io.Writer) error, cases []Case) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			var out, errb bytes.Buffer
			require.NoError(t, run(c.Args, &out, &errb), "stderr: %s", errb.String())
			Check(t, c.Name, out.Bytes())
		})
	}
}
