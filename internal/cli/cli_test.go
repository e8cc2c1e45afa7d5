package cli

import (
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
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
