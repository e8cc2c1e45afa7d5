package cli

import (
	"io"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
)

func TestRatio(t *testing.T) {
	for in, want := range map[string]string{
		"0.3389": "0.34 (34%)", // the Hewitt headline's shift / grant in 2028/29
		"0":      "0.00 (0%)",
		"1.2":    "1.20 (120%)",
		"0.335":  "0.34 (34%)", // half up in both forms, never 0.34 (33%)
		"-0.05":  "-0.05 (-5%)",
	} {
		assert.Equal(t, want, Ratio(decimal.RequireFromString(in)), in)
	}
}

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
