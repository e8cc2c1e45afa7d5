//go:build unix

package cli_test

import (
	"io"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
)

// TestScenarioFlagRefusesAPipe: a named pipe given as -scenario is refused
// at once; opening it would wait for a writer that never comes.
func TestScenarioFlagRefusesAPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	d, err := dataset.Embedded()
	require.NoError(t, err)
	fs := cli.NewFlagSet("test", io.Discard)
	f := cli.NewScenarioFlag(fs, "", "the scenario")
	require.NoError(t, cli.Parse(fs, []string{"-scenario", fifo}))
	done := make(chan error, 1)
	go func() { _, err := f.Load(d); done <- err }()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, cli.ErrUsage)
		assert.ErrorContains(t, err, "not a file")
	case <-time.After(10 * time.Second):
		t.Fatal("Load waited on the pipe")
	}
}
