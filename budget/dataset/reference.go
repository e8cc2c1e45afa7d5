package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/table"
)

// ErrReference is wrapped by ReadData's error for a folder whose copy of
// the council crosswalk (CouncilCrosswalkFile) or of the ICB list
// (ICBDirectoryFile) differs from the library's own. examples/data -export
// writes both beside the data, for reference; the library and its programs
// use the copies they ship, so an edit to either would otherwise be
// ignored without a word.
var ErrReference = errors.New("differs from the library's own copy, which the programs use: edits to the council crosswalk and the ICB list are not read (restore the file, or delete it from the folder)")

// reference is a reference list's file: its columns, the columns that
// make a row's key, and those compared as numbers (by value: 0.5 and
// 0.50 are the same share).
type reference struct {
	name    string
	columns []string
	key     []string
	numbers []string
	read    func([]byte) error // the file's own loader, for its errors
}

func references() []reference {
	return []reference{
		{CouncilCrosswalkFile, councilCrosswalkColumns(), []string{"footprint", "council_code", "icb_code"}, []string{"registered", "share"},
			func(b []byte) error {
				_, err := ReadCouncilCrosswalk(bytes.NewReader(b), CouncilCrosswalkFile)
				return err
			}},
		{ICBDirectoryFile, iCBDirectoryColumns(), []string{"footprint", "icb_code"}, nil,
			func(b []byte) error { _, err := ReadICBDirectory(bytes.NewReader(b), ICBDirectoryFile); return err }},
	}
}

// checkReferences holds the copies of the reference lists in fsys, where
// it has them, to the library's own: each is read by its loader (its
// errors name the line), then every row is matched with the shipped file's
// by its key and compared column by column. A row changed, added or
// removed is a *budget.FileError wrapping ErrReference that names it; the
// first few are reported, with a count of the rest.
func checkReferences(fsys fs.FS) error {
	for _, ref := range references() {
		b, err := readLimited(fsys, ref.name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading data: %w", err)
		}
		if err := ref.read(b); err != nil {
			return fmt.Errorf("%w (%s is a copy for reference: the programs use the library's own; restore it, or delete it from the folder)", err, ref.name)
		}
		own, err := fs.ReadFile(EmbeddedFiles(), ref.name)
		if err != nil {
			return err
		}
		if err := ref.compare(b, own); err != nil {
			return err
		}
	}
	return nil
}

// compare reports how the rows of b differ from those of own.
func (ref reference) compare(b, own []byte) error {
	theirs, err := table.Read(bytes.NewReader(b), ref.name, ref.columns)
	if err != nil {
		return err
	}
	ours, err := table.Read(bytes.NewReader(own), ref.name, ref.columns)
	if err != nil {
		return err
	}
	keyOf := func(r table.Row) string {
		parts := make([]string, len(ref.key))
		for i, c := range ref.key {
			parts[i] = r.Get(c)
		}
		return strings.Join(parts, ", ")
	}
	byKey := make(map[string]table.Row, len(ours))
	for _, r := range ours {
		byKey[keyOf(r)] = r
	}
	var errs []error
	seen := map[string]bool{}
	for _, r := range theirs {
		k := keyOf(r)
		seen[k] = true
		o, ok := byKey[k]
		if !ok {
			errs = append(errs, &budget.FileError{File: ref.name, Line: r.Line(), Column: ref.key[len(ref.key)-1], Value: r.Get(ref.key[len(ref.key)-1]),
				Err: fmt.Errorf("%w: the row of %s is not in the library's copy", ErrReference, k)})
			continue
		}
		for _, c := range ref.columns {
			if !ref.same(c, r.Get(c), o.Get(c)) {
				errs = append(errs, &budget.FileError{File: ref.name, Line: r.Line(), Column: c, Value: r.Get(c),
					Err: fmt.Errorf("%w: the library's copy has %q for %s", ErrReference, o.Get(c), k)})
			}
		}
	}
	for _, o := range ours {
		if k := keyOf(o); !seen[k] {
			errs = append(errs, fmt.Errorf("%s: %w: the row of %s (line %d of the library's copy) is missing", ref.name, ErrReference, k, o.Line()))
		}
	}
	if len(errs) > 3 {
		errs = append(errs[:3], fmt.Errorf("%s: and %d more rows that differ", ref.name, len(errs)-3))
	}
	return errors.Join(errs...)
}

// same compares a column's values: numbers by value, text exactly (leading
// and trailing spaces aside, as the loaders read it).
func (ref reference) same(col, a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	for _, n := range ref.numbers {
		if n == col {
			x, err1 := decimal.NewFromString(a)
			y, err2 := decimal.NewFromString(b)
			return err1 == nil && err2 == nil && x.Equal(y)
		}
	}
	return a == b
}

// readLimited reads a plain file of fsys whole, up to MaxFileBytes: more
// is an error wrapping budget.ErrTooLarge that names it. A file that is
// not plain (a FIFO, a device such as /dev/zero, which would never end)
// is refused by openPlain before it is read.
func readLimited(fsys fs.FS, name string) ([]byte, error) {
	f, err := openPlain(fsys, name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(budget.LimitReader(f, name, budget.MaxFileBytes))
}

// openPlain opens a plain file of fsys, refusing anything else by its
// kind: opening a FIFO waits for a writer, and a device or folder is no
// data file.
func openPlain(fsys fs.FS, name string) (fs.File, error) {
	fi, err := fs.Stat(fsys, name)
	if err != nil {
		if pe := (*fs.PathError)(nil); !errors.As(err, &pe) {
			err = &fs.PathError{Op: "stat", Path: name, Err: err} // name the file
		}
		return nil, err
	}
	if m := fi.Mode(); !m.IsRegular() {
		kind := "a special file"
		switch {
		case m.IsDir():
			kind = "a folder"
		case m&fs.ModeNamedPipe != 0:
			kind = "a named pipe (FIFO)"
		case m&fs.ModeDevice != 0:
			kind = "a device"
		case m&fs.ModeSocket != 0:
			kind = "a socket"
		}
		return nil, &budget.FileError{File: name, Err: fmt.Errorf("%w: %s, not a plain file: a data folder holds the files themselves", budget.ErrFormat, kind)}
	}
	return fsys.Open(name)
}
