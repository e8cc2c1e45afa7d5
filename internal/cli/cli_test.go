package cli

import (
	"io"
	"os"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseSaysWhatAFlagWants: a value a flag cannot take says what it
// wants; a flag given with no value is an error, not its default.
func TestParseSaysWhatAFlagWants(t *testing.T) {
	fs := NewFlagSet("x", io.Discard)
	fs.Uint64("seed", 1, "random seed")
	fs.Int("draws", 10, "number of draws")
	fs.String("icb", "", "one ICB")
	err := Parse(fs, []string{"-seed", "-1"})
	assert.ErrorIs(t, err, ErrUsage)
	assert.ErrorContains(t, err, `invalid value "-1" for flag -seed: parse error; -seed wants a whole number from 0 (random seed)`)
	fs = NewFlagSet("x", io.Discard)
	fs.Int("draws", 10, "number of draws")
	assert.ErrorContains(t, Parse(fs, []string{"-draws", "lots"}), "-draws wants a whole number (number of draws)")
	fs = NewFlagSet("x", io.Discard)
	fs.String("icb", "", "one ICB")
	assert.ErrorContains(t, Parse(fs, []string{"-icb", " "}), "-icb: given with no value")
	fs = NewFlagSet("x", io.Discard)
	fs.String("icb", "", "one ICB")
	assert.NoError(t, Parse(fs, nil), "not given: the default")
}

// TestBatchGC: with GOGC unset the programs collect at 400; GOGC set in the
// environment rules, and batchGC leaves the runtime's own setting.
func TestBatchGC(t *testing.T) {
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)

	t.Setenv("GOGC", "100")
	require.NoError(t, os.Unsetenv("GOGC"))
	batchGC()
	assert.Equal(t, 400, debug.SetGCPercent(100))

	t.Setenv("GOGC", "50")
	batchGC()
	assert.Equal(t, 100, debug.SetGCPercent(100), "GOGC in the environment rules")
}
