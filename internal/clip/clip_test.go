package clip

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClip(t *testing.T) {
	assert.Equal(t, "essex", Clip("essex"))
	assert.Equal(t, strings.Repeat("9", Max)+"...", Clip(strings.Repeat("9", 10000)))
	// A two-byte £ across the cut is kept whole or left out, never split.
	s := strings.Repeat("a", Max-1) + "££"
	got := Clip(s)
	assert.Equal(t, strings.Repeat("a", Max-1)+"...", got)
}
