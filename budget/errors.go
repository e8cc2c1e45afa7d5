package budget

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Sentinel errors name the category of a problem. Every error the package
// returns for bad input wraps one of them, so callers can test with errors.Is
// and read the detail (input, file, line, column) with errors.As.
var (
	// ErrSyntax: a value is not written the way its type requires
	// (a year that is not "2024/25", a number with letters in it).
	ErrSyntax = errors.New("invalid syntax")
	// ErrRange: a value is well formed but outside what it may be
	// (a share above 1, a year 2024/26, a negative allocation).
	ErrRange = errors.New("value out of range")
	// ErrNegative: an amount that cannot be negative is (a baseline, a population).
	ErrNegative = errors.New("negative amount")
	// ErrZeroDivisor: a division by zero was asked for (a per-head figure
	// on a zero population, a ratio to a zero grant).
	ErrZeroDivisor = errors.New("division by zero")
	// ErrBasisMismatch: series on different price bases were combined.
	ErrBasisMismatch = errors.New("price bases differ")
	// ErrSpanMismatch: series over different years were combined.
	ErrSpanMismatch = errors.New("spans of years differ")
	// ErrNoData: a year, area or item was asked for that the data does not hold.
	ErrNoData = errors.New("no data")
	// ErrFormat: a file's structure is wrong (empty file, header only,
	// missing or unknown column, short or long row).
	ErrFormat = errors.New("malformed file")
	// ErrDuplicate: the same key appears twice where it may appear once.
	ErrDuplicate = errors.New("duplicate entry")
	// ErrUnknown: a name or code is not one the library knows
	// (an unknown stream, ICB code, measure or deflator).
	ErrUnknown = errors.New("unknown name")
	// ErrGap: a series of years has a gap or is out of order.
	ErrGap = errors.New("years not contiguous")
	// ErrTooLarge: a file is larger than the library reads (MaxFileBytes),
	// such as an endless stream.
	ErrTooLarge = errors.New("file too large")
)

// MaxFileBytes is the most the loaders read of one CSV file: 16 MiB, some
// thirty-five times the largest file the library ships (allocations.csv,
// 450 KB). Past it a loader stops reading and returns a *FileError
// wrapping ErrTooLarge, so that an endless or huge input cannot exhaust
// memory: a loader holds a file's rows as it reads them, and 64 MiB of
// short rows took 0.8 to 1.4 GB before it was refused or taken.
const MaxFileBytes = 16 << 20

// LimitReader returns a reader of r that gives at most max bytes and then,
// if r has more, an error wrapping ErrTooLarge naming file and the limit.
func LimitReader(r io.Reader, file string, max int64) io.Reader {
	return &limitReader{r: r, file: file, left: max, max: max}
}

type limitReader struct {
	r         io.Reader
	file      string
	left, max int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// One byte more tells an input of exactly max bytes from a longer one.
		var one [1]byte
		n, err := l.r.Read(one[:])
		if n > 0 {
			return 0, &FileError{File: l.file, Err: fmt.Errorf("%w: more than %d MiB; the library reads files up to that size", ErrTooLarge, l.max>>20)}
		}
		if err == nil {
			err = io.EOF
		}
		return 0, err
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// ParseError records a value that could not be parsed: what kind of value
// was expected, the input, and the reason (which wraps a sentinel above).
type ParseError struct {
	Kind  string // what was being parsed: "year", "money", "share", ...
	Input string // the text as given
	Err   error  // the reason; wraps ErrSyntax or ErrRange
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("parsing %s %q: %v", e.Kind, e.Input, e.Err)
}

// Unwrap returns the reason, so errors.Is(err, ErrSyntax) works.
func (e *ParseError) Unwrap() error { return e.Err }

// FileError locates a problem in a data file: the file's name, the line
// (1-based, 0 when the problem concerns the whole file), the column name
// (empty when it concerns a whole row) and the offending value.
type FileError struct {
	File   string
	Line   int
	Column string
	Value  string
	Err    error
}

func (e *FileError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
	} else {
		b.WriteString("input")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
	}
	if e.Value != "" {
		fmt.Fprintf(&b, ": value %q", e.Value)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	return b.String()
}

// Unwrap returns the reason, so errors.Is and errors.As see through it.
func (e *FileError) Unwrap() error { return e.Err }
