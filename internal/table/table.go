// Package table reads the CSV tables every data file of the library is:
// a header row naming exactly the expected columns (in any order), then
// data rows, with typed accessors whose errors are *budget.FileError values
// naming the file, line, column and value. Input is bounded by
// budget.MaxFileBytes. It is the loaders' plumbing (budget/dataset, a
// council file in prevention), not part of the library's API.
package table

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
)

// table reads a CSV file with a header row, the shape of every dataset the
// package loads. It checks the header (no empty, duplicate, unknown or
// missing columns), the row lengths, and that there is at least one row,
// and reports every problem as a *budget.FileError.
type table struct {
	file   string
	cols   map[string]int
	header []string
	r      *csv.Reader
	rows   int
	// headerOnly accepts a file with a header and no rows (a file of
	// optional entries, such as footprints besides the published one).
	headerOnly bool
}

// Row is one data row of a CSV file read by Read, with its line number and
// typed accessors whose errors are *budget.FileError values naming the
// file, line, column and value. Other packages of the library use it for
// their own file formats, so every file reports problems the same way.
type Row struct {
	t    *table
	line int
	rec  []string
}

func newTable(r io.Reader, file string, columns, ignored []string) (*table, error) {
	if r == nil {
		return nil, &budget.FileError{File: file, Err: fmt.Errorf("%w: no reader (nil)", budget.ErrFormat)}
	}
	br := bufio.NewReader(&lineLimit{r: budget.LimitReader(r, file, budget.MaxFileBytes), file: file, line: 1})
	// A workbook or other binary file given for a CSV gets a reason, not a
	// CSV parser's complaint about quotes.
	if head, _ := br.Peek(4); bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return nil, &budget.FileError{File: file, Err: fmt.Errorf("%w: a zip file (an .xlsx workbook?), not CSV: save the sheet as CSV (comma-separated), with the header %s", budget.ErrFormat, strings.Join(columns, ","))}
	} else if bytes.IndexByte(head, 0) >= 0 {
		return nil, &budget.FileError{File: file, Err: fmt.Errorf("%w: a binary file, not CSV text", budget.ErrFormat)}
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &budget.FileError{File: file, Err: fmt.Errorf("%w: empty file, want a header row: %s", budget.ErrFormat, strings.Join(columns, ","))}
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	t := &table{file: file, cols: map[string]int{}, r: cr}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark written by spreadsheet programs
		}
		h = strings.TrimSpace(h)
		if _, dup := t.cols[h]; dup {
			return nil, &budget.FileError{File: file, Line: 1, Column: h, Err: fmt.Errorf("%w: duplicate column", budget.ErrFormat)}
		}
		if h == "" {
			return nil, &budget.FileError{File: file, Line: 1, Column: fmt.Sprintf("#%d", i+1), Err: fmt.Errorf("%w: column %d of the header has no name (a trailing comma?); the columns are %s", budget.ErrFormat, i+1, strings.Join(columns, ","))}
		}
		if contains(ignored, h) {
			t.header = append(t.header, h) // an informative column the reader does not use
			continue
		}
		if !contains(columns, h) {
			return nil, &budget.FileError{File: file, Line: 1, Column: h, Err: fmt.Errorf("%w: unknown column; the columns are %s", budget.ErrFormat, strings.Join(columns, ","))}
		}
		t.cols[h] = i
		t.header = append(t.header, h)
	}
	for _, c := range columns {
		if _, ok := t.cols[c]; !ok {
			return nil, &budget.FileError{File: file, Line: 1, Column: c, Err: fmt.Errorf("%w: missing column", budget.ErrFormat)}
		}
	}
	cr.FieldsPerRecord = len(header)
	return t, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// next returns the next row, io.EOF after the last, or a *budget.FileError. It is
// an error for the file to hold no rows after the header.
func (t *table) next() (Row, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		if t.rows == 0 && !t.headerOnly {
			return Row{}, &budget.FileError{File: t.file, Err: fmt.Errorf("%w: header only, no data rows", budget.ErrFormat)}
		}
		return Row{}, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			return Row{}, &budget.FileError{File: t.file, Line: pe.StartLine, Err: fmt.Errorf("%w: the row has %d fields, the header %d (%s)",
				budget.ErrFormat, len(rec), len(t.header), strings.Join(t.header, ","))}
		}
		return Row{}, csvError(t.file, err)
	}
	line, _ := t.r.FieldPos(0)
	t.rows++
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return Row{}, &budget.FileError{File: t.file, Line: line, Column: t.header[i], Value: strings.ToValidUTF8(f, "?"),
				Err: fmt.Errorf("%w: not UTF-8 text (save the file as UTF-8)", budget.ErrFormat)}
		}
	}
	return Row{t: t, line: line, rec: rec}, nil
}

// MaxLineBytes is the most the tables read of one line: 64 KiB, some
// eighty times the longest row of the data files (parameters.csv, 823
// bytes). A CSV reader splits a line into fields before it counts them,
// so that a line of millions of commas took gigabytes (and a 30 MB one
// ran out of memory) before it was refused; past the limit, reading stops
// with a *budget.FileError wrapping budget.ErrTooLarge that names the
// line, having held at most a few MB.
const MaxLineBytes = 64 << 10

// lineLimit reads r and stops at a line longer than MaxLineBytes.
type lineLimit struct {
	r    io.Reader
	file string
	line int // the line being read, from 1
	run  int // its bytes read so far
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for b := p[:n]; ; {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			l.run += len(b)
			break
		}
		if l.run += i; l.run > MaxLineBytes {
			break
		}
		l.run, l.line, b = 0, l.line+1, b[i+1:]
	}
	if l.run > MaxLineBytes {
		return 0, &budget.FileError{File: l.file, Line: l.line, Err: fmt.Errorf("%w: a line of more than %d KiB; the library reads lines up to that size, far longer than any row", budget.ErrTooLarge, MaxLineBytes>>10)}
	}
	return n, err
}

// csvError turns an encoding/csv error into a *budget.FileError with its line.
func csvError(file string, err error) error {
	if errors.Is(err, budget.ErrTooLarge) {
		return err
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = "wrong number of fields (a short or long row)"
		}
		return &budget.FileError{File: file, Line: pe.Line, Err: fmt.Errorf("%w: %s", budget.ErrFormat, msg)}
	}
	return &budget.FileError{File: file, Err: fmt.Errorf("%w: %v", budget.ErrFormat, err)}
}

// Get is a field's text with surrounding spaces removed ("" for a zero Row).
func (r Row) Get(col string) string {
	if r.t == nil {
		return "" // a zero Row: no file behind it
	}
	i, ok := r.t.cols[col]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// Fail reports a problem with one field of the row as a *budget.FileError
// wrapping err.
func (r Row) Fail(col string, err error) error {
	// A budget.ParseError already names the input; keep only its reason so the
	// message does not repeat the value.
	var pe *budget.ParseError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	file := ""
	if r.t != nil {
		file = r.t.file
	}
	return &budget.FileError{File: file, Line: r.line, Column: col, Value: r.Get(col), Err: err}
}

// Year reads a financial year.
func (r Row) Year(col string) (budget.Year, error) { return field(r, col, budget.ParseYear) }

// Span reads a financial year or span of years.
func (r Row) Span(col string) (budget.Span, error) { return field(r, col, budget.ParseSpan) }

// Decimal reads a plain number.
func (r Row) Decimal(col string) (decimal.Decimal, error) {
	return field(r, col, func(s string) (decimal.Decimal, error) { return budget.ParseDecimal("number", s) })
}

// Status reads published, derived or projected.
func (r Row) Status(col string) (budget.Status, error) { return field(r, col, budget.ParseStatus) }

// field reads a field with parse, reporting a problem as Fail does.
func field[T any](r Row, col string, parse func(string) (T, error)) (T, error) {
	v, err := parse(r.Get(col))
	if err != nil {
		var zero T
		return zero, r.Fail(col, err)
	}
	return v, nil
}

// NonEmpty reads a field that must not be empty.
func (r Row) NonEmpty(col string) (string, error) {
	s := r.Get(col)
	if s == "" {
		return "", r.Fail(col, fmt.Errorf("%w: must not be empty", budget.ErrSyntax))
	}
	return s, nil
}

// Bool reads true or false.
func (r Row) Bool(col string) (bool, error) {
	switch r.Get(col) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, r.Fail(col, fmt.Errorf("%w: want true or false", budget.ErrSyntax))
}

// Code reads an identifier such as an ICB code or an item name: letters,
// digits and underscores only.
func (r Row) Code(col string) (string, error) {
	s, err := r.NonEmpty(col)
	if err != nil {
		return "", err
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return "", r.Fail(col, fmt.Errorf("%w: use letters, digits and underscores only", budget.ErrSyntax))
		}
	}
	return s, nil
}

// Each reads a CSV file with exactly the given columns (in any
// order) and calls fn on each data row in order, stopping at the first
// error: Read without holding the rows, for the loaders of the
// library's data files. A Row is fn's only while fn runs: the next row
// reuses its fields' slice (their strings are fn's to keep).
func Each(r io.Reader, name string, columns []string, fn func(Row) error) error {
	return EachOf(r, name, columns, false, fn)
}

// EachOf is Each that, with headerOnly, accepts a file of
// no rows.
func EachOf(r io.Reader, name string, columns []string, headerOnly bool, fn func(Row) error) error {
	if fn == nil {
		return fmt.Errorf("reading %s: %w: no function to call on each row", name, budget.ErrNoData)
	}
	t, err := newTable(r, name, columns, nil)
	if err != nil {
		return err
	}
	t.headerOnly = headerOnly
	t.r.ReuseRecord = true // each row's fields in one slice: fn does not keep a Row
	return t.each(fn)
}

// each calls fn on each data row in order, stopping at the first error.
func (t *table) each(fn func(Row) error) error {
	for {
		rw, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rw); err != nil {
			return err
		}
	}
}

// Read reads a whole CSV file with exactly the given columns (in any
// order) and at least one data row. Structural problems (empty file, header
// only, missing, unknown or duplicate columns, short or long rows) are
// *budget.FileError values wrapping budget.ErrFormat.
func Read(r io.Reader, name string, columns []string) ([]Row, error) {
	return ReadIgnoring(r, name, columns, nil)
}

// ReadIgnoring is Read for a file that may also have the
// informative columns ignored (such as a template's notes), which are
// read past, not checked; any other column is still an error.
func ReadIgnoring(r io.Reader, name string, columns, ignored []string) ([]Row, error) {
	var out []Row
	t, err := newTable(r, name, columns, ignored)
	if err != nil {
		return nil, err
	}
	err = t.each(func(rw Row) error {
		out = append(out, rw)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Line is the row's line number in the file.
func (r Row) Line() int { return r.line }

// Money reads a plain number of pounds.
func (r Row) Money(col string) (budget.Money, error) {
	d, err := r.Decimal(col)
	return budget.MoneyFromDecimal(d), err
}
