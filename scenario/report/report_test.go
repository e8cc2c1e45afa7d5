package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteNeverFollowsALink: a deliverable in the folder that is a
// symbolic link, or a folder that is one, is refused by Check and by Write,
// even with -overwrite, and the file it points to is untouched; a Write
// that fails leaves the earlier deliverables as they were.
func TestWriteNeverFollowsALink(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	target := filepath.Join(elsewhere, "precious.csv")
	require.NoError(t, os.WriteFile(target, []byte("keep me"), 0o644))
	require.NoError(t, os.Symlink(target, filepath.Join(dir, "results.csv")))
	assert.ErrorContains(t, Check(dir, true), "results.csv is not a plain file")
	err := Write(dir, Deliverable{Chart: func(string) error { return nil }})
	assert.ErrorContains(t, err, "results.csv is not a plain file")
	b, err := os.ReadFile(target)
	require.NoError(t, err)
	assert.Equal(t, "keep me", string(b))

	link := filepath.Join(t.TempDir(), "out")
	require.NoError(t, os.Symlink(elsewhere, link))
	assert.ErrorContains(t, Check(link, true), "a symbolic link")
	assert.ErrorContains(t, Write(link, Deliverable{}), "a symbolic link")

	// A chart that fails: nothing is replaced, and no temporary folder is left.
	clean := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(clean, "results.csv"), []byte("earlier"), 0o644))
	err = Write(clean, Deliverable{DataHeader: []string{"a"}, Chart: func(string) error { return os.ErrPermission }})
	require.Error(t, err)
	b, err = os.ReadFile(filepath.Join(clean, "results.csv"))
	require.NoError(t, err)
	assert.Equal(t, "earlier", string(b))
	entries, err := os.ReadDir(clean)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the earlier file")
}

// TestLinkWithTrailingSlash: "link/" and "link/." name the folder a link
// points to; they are refused as the link itself is, and nothing is
// written there. An empty folder name is refused too.
func TestLinkWithTrailingSlash(t *testing.T) {
	target := t.TempDir()
	link := filepath.Join(t.TempDir(), "link")
	require.NoError(t, os.Symlink(target, link))
	for _, dir := range []string{link + "/", link + "/.", link} {
		assert.ErrorContains(t, Check(dir, true), "a symbolic link", dir)
		assert.ErrorContains(t, Write(dir, Deliverable{Chart: func(string) error { return nil }}), "a symbolic link", dir)
	}
	entries, err := os.ReadDir(target)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing written through the link")
	assert.Error(t, Check("", false))
	assert.Error(t, Write(" ", Deliverable{}))
}

// TestFooterText: a footer is cut at a whole character within 180 bytes,
// its "&" doubled, and never ends in a lone "&" that would start a code.
func TestFooterText(t *testing.T) {
	assert.Equal(t, "A && B", footerText("A & B"))
	long := strings.Repeat("é&", 100)
	got := footerText(long)
	assert.LessOrEqual(t, len(got), 180)
	assert.True(t, utf8.ValidString(got))
	assert.Equal(t, 0, (len(got)-len(strings.TrimRight(got, "&")))%2, "every & doubled, none left alone")
	amps := footerText(strings.Repeat("&", 500))
	assert.Len(t, amps, 180)
}
