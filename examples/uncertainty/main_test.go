package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/golden"
)

func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"default_2000.golden", []string{"-draws", "2000"}},
		{"per_year_p5_csv.golden", []string{"-draws", "1000", "-scenario", "hewitt-per-year", "-p5", "-format", "csv"}},
		{"icb_seed7.golden", []string{"-draws", "1000", "-seed", "7", "-icb", "QE1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			require.NoError(t, run(c.args, &out, &errb))
			golden.Check(t, c.name, out.Bytes())
		})
	}
}

func TestCharts(t *testing.T) {
	dir := t.TempDir()
	fan, tornado := filepath.Join(dir, "fan.png"), filepath.Join(dir, "tornado.svg")
	var out, errb bytes.Buffer
	require.NoError(t, run([]string{"-draws", "500", "-chart", fan, "-tornado-chart", tornado}, &out, &errb))
	png, err := os.ReadFile(fan)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(png, []byte("\x89PNG")), "a PNG file")
	svg, err := os.ReadFile(tornado)
	require.NoError(t, err)
	assert.Contains(t, string(svg), "<svg")
	assert.Contains(t, string(svg), "inflation", "the tornado names its assumptions")
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"-draws", "0"}, "-draws 0: want at least 1", 2},
		{[]string{"-draws", "lots"}, "invalid value", 2},
		{[]string{"-scenario", "nirvana"}, `scenario "nirvana": unknown name`, 2},
		{[]string{"-chart", "fan.jpg"}, `-chart: chart "fan.jpg": want a .png or .svg file`, 2},
		{[]string{"-icb", "ZZZ"}, `ICB "ZZZ"`, 2},
		{[]string{"-scenario-file", "none.json"}, "no such file", 1},
	} {
		var out, errb bytes.Buffer
		code := cli.Main("uncertainty", run, c.args, &out, &errb)
		assert.Equal(t, c.code, code, "%v: %s", c.args, errb.String())
		assert.Contains(t, errb.String(), c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(errb.String(), "\n"))
	}
}
