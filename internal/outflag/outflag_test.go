package outflag

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/scenario/report/deliver"
)

func TestOutCheck(t *testing.T) {
	dir := t.TempDir()
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	o := Flags(fs)
	require.NoError(t, fs.Parse([]string{"-out", filepath.Join(dir, "new", "gm")}))
	assert.NoError(t, o.Check(), "a folder that does not exist yet")

	o.Dir = dir
	require.NoError(t, os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644))
	assert.NoError(t, o.Check(), "a folder with other files only")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "report.html"), []byte("old"), 0o644))
	err := o.Check()
	assert.ErrorIs(t, err, deliver.ErrExists)
	assert.ErrorContains(t, err, "report.html")
	assert.ErrorContains(t, err, "-overwrite")
	o.Overwrite = true
	assert.NoError(t, o.Check())

	o.Dir = filepath.Join(dir, "notes.txt")
	assert.ErrorContains(t, o.Check(), "not a folder")
}
