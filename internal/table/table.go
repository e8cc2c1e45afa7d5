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

// row is one data row with its line number.
type row struct {
	t    *table
	line int
	rec  []string
}

func newTable(r io.Reader, file string, columns, ignored []string) (*table, error) {
	if r == nil {
		return nil, &budget.FileError{File: file, Err: fmt.Errorf("%w: no reader (nil)", budget.ErrFormat)}
	}
	br := bufio.NewReader(budget.LimitReader(r, file, budget.MaxFileBytes))
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
func (t *table) next() (row, error) {
	rec, err := t.r.Read()
	if err == io.EOF {
		if t.rows == 0 && !t.headerOnly {
			return row{}, &budget.FileError{File: t.file, Err: fmt.Errorf("%w: header only, no data rows", budget.ErrFormat)}
		}
		return row{}, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			return row{}, &budget.FileError{File: t.file, Line: pe.StartLine, Err: fmt.Errorf("%w: the row has %d fields, the header %d (%s)",
				budget.ErrFormat, len(rec), len(t.header), strings.Join(t.header, ","))}
		}
		return row{}, csvError(t.file, err)
	}
	line, _ := t.r.FieldPos(0)
	t.rows++
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return row{}, &budget.FileError{File: t.file, Line: line, Column: t.header[i], Value: strings.ToValidUTF8(f, "?"),
				Err: fmt.Errorf("%w: not UTF-8 text (save the file as UTF-8)", budget.ErrFormat)}
		}
	}
	return row{t: t, line: line, rec: rec}, nil
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

func (r row) get(col string) string {
	if r.t == nil {
		return "" // a zero Row: no file behind it
	}
	i, ok := r.t.cols[col]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// fail reports a problem with one field of the row.
func (r row) fail(col string, err error) error {
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
	return &budget.FileError{File: file, Line: r.line, Column: col, Value: r.get(col), Err: err}
}

func (r row) year(col string) (budget.Year, error) {
	y, err := budget.ParseYear(r.get(col))
	if err != nil {
		return budget.Year{}, r.fail(col, err)
	}
	return y, nil
}

func (r row) span(col string) (budget.Span, error) {
	s, err := budget.ParseSpan(r.get(col))
	if err != nil {
		return budget.Span{}, r.fail(col, err)
	}
	return s, nil
}

func (r row) decimal(col string) (decimal.Decimal, error) {
	d, err := budget.ParseDecimal("number", r.get(col))
	if err != nil {
		return decimal.Decimal{}, r.fail(col, err)
	}
	return d, nil
}

func (r row) status(col string) (budget.Status, error) {
	s, err := budget.ParseStatus(r.get(col))
	if err != nil {
		return 0, r.fail(col, err)
	}
	return s, nil
}

func (r row) nonEmpty(col string) (string, error) {
	s := r.get(col)
	if s == "" {
		return "", r.fail(col, fmt.Errorf("%w: must not be empty", budget.ErrSyntax))
	}
	return s, nil
}

func (r row) boolean(col string) (bool, error) {
	switch r.get(col) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, r.fail(col, fmt.Errorf("%w: want true or false", budget.ErrSyntax))
}

// code checks an identifier such as an ICB code or an item name: letters,
// digits and underscores only.
func (r row) code(col string) (string, error) {
	s, err := r.nonEmpty(col)
	if err != nil {
		return "", err
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return "", r.fail(col, fmt.Errorf("%w: use letters, digits and underscores only", budget.ErrSyntax))
		}
	}
	return s, nil
}

// Row is one data row of a CSV file read by Read, with typed
// accessors whose errors are *budget.FileError values naming the file, line,
// column and value. Other packages of the library use it for their own
// file formats, so every file reports problems the same way.
type Row struct{ r row }

// Each reads a CSV file with exactly the given columns (in any
// order) and calls fn on each data row in order, stopping at the first
// error: Read without holding the rows, for the loaders of the
// library's data files.
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
	return t.each(func(rw row) error { return fn(Row{rw}) })
}

// each calls fn on each data row in order, stopping at the first error.
func (t *table) each(fn func(row) error) error {
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
	err = t.each(func(rw row) error {
		out = append(out, Row{rw})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Line is the row's line number in the file.
func (t Row) Line() int { return t.r.line }

// Get is a field's text with surrounding spaces removed.
func (t Row) Get(col string) string { return t.r.get(col) }

// Fail reports a problem with one field as a *budget.FileError wrapping err.
func (t Row) Fail(col string, err error) error { return t.r.fail(col, err) }

// Year reads a financial year.
func (t Row) Year(col string) (budget.Year, error) { return t.r.year(col) }

// Span reads a financial year or span of years.
func (t Row) Span(col string) (budget.Span, error) { return t.r.span(col) }

// Money reads a plain number of pounds.
func (t Row) Money(col string) (budget.Money, error) {
	d, err := t.r.decimal(col)
	return budget.MoneyFromDecimal(d), err
}

// Decimal reads a plain number.
func (t Row) Decimal(col string) (decimal.Decimal, error) { return t.r.decimal(col) }

// Code reads an identifier: letters, digits and underscores.
func (t Row) Code(col string) (string, error) { return t.r.code(col) }

// NonEmpty reads a field that must not be empty.
func (t Row) NonEmpty(col string) (string, error) { return t.r.nonEmpty(col) }

// Bool reads true or false.
func (t Row) Bool(col string) (bool, error) { return t.r.boolean(col) }

// Status reads published, derived or projected.
func (t Row) Status(col string) (budget.Status, error) { return t.r.status(col) }
