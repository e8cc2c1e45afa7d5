// Package clitest checks how the example programs report bad command
// lines and bad input.
package clitest

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/upstream-health/upstream/internal/cli"
)

// Case is a command line that must fail: the exit code it must give and
// text its one-line error must contain.
type Case struct {
	Args []string
	Want string
	Code int
}

// Errors runs each case through cli.Main and checks the exit code, that
// the error contains the wanted text, and that it is printed on one line.
func Errors(t *testing.T, name string, run func(args []string, stdout, stderr io.Writer) error, cases []Case) {
	t.Helper()
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := cli.Main(name, run, c.Args, &out, &errb)
		assert.Equal(t, c.Code, code, "%v: %s", c.Args, errb.String())
		assert.Contains(t, errb.String(), c.Want, "%v", c.Args)
		assert.Equal(t, 1, strings.Count(errb.String(), "\n"), "one line: %q", errb.String())
	}
}
