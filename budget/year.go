package budget

import (
	"fmt"
	"strconv"
)

// Year is a UK government financial year, 1 April to 31 March, written
// "2024/25" (the year from 1 April 2024 to 31 March 2025). It is not the
// 6 April tax year. The zero Year is "no year" and prints as "".
//
// Years are compared with ==, <, and so on through Start, or with Before and
// After; they are values and safe to copy.
type Year struct {
	start int // calendar year in which the financial year starts; 0 = zero Year
}

// Limits on the calendar year a financial year may start in.
const (
	minYearStart = 1900
	maxYearStart = 2199
)

// FinancialYear returns the financial year that starts on 1 April of the
// given calendar year, or an error wrapping ErrRange outside 1900 to 2199.
func FinancialYear(start int) (Year, error) {
	if start < minYearStart || start > maxYearStart {
		return Year{}, &ParseError{Kind: "year", Input: strconv.Itoa(start),
			Err: fmt.Errorf("%w: start must be between %d and %d", ErrRange, minYearStart, maxYearStart)}
	}
	return Year{start: start}, nil
}

// MustYear is ParseYear for literals in tests and examples; it panics on error.
func MustYear(s string) Year {
	y, err := ParseYear(s)
	if err != nil {
		panic(err)
	}
	return y
}

// ParseYear reads a financial year written "2024/25" or "2024-25". The second
// part must be the two-digit year after the first, so "2024/26" is an error
// (ErrRange). Two-digit starts ("24/25") and four-digit ends ("2024/2025") are
// not accepted (ErrSyntax): they are ambiguous or unusual in published tables.
func ParseYear(s string) (Year, error) {
	bad := func(err error) (Year, error) {
		return Year{}, &ParseError{Kind: "year", Input: s, Err: err}
	}
	if len(s) != 7 || (s[4] != '/' && s[4] != '-') {
		return bad(fmt.Errorf("%w: want a financial year like 2024/25", ErrSyntax))
	}
	start, ok := digits(s[:4])
	end, ok2 := digits(s[5:])
	if !ok || !ok2 {
		return bad(fmt.Errorf("%w: want a financial year like 2024/25", ErrSyntax))
	}
	if start < minYearStart || start > maxYearStart {
		return bad(fmt.Errorf("%w: start must be between %d and %d", ErrRange, minYearStart, maxYearStart))
	}
	if end != (start+1)%100 {
		return bad(fmt.Errorf("%w: %02d does not follow %d", ErrRange, end, start))
	}
	return Year{start: start}, nil
}

// digits parses a string of ASCII digits only (no sign, no spaces).
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(s) > 0
}

// Start is the calendar year in which y begins (2024 for 2024/25); 0 for the zero Year.
func (y Year) Start() int { return y.start }

// IsZero reports whether y is the zero Year.
func (y Year) IsZero() bool { return y.start == 0 }

// Next is the following financial year.
func (y Year) Next() Year { return y.Add(1) }

// Prev is the preceding financial year.
func (y Year) Prev() Year { return y.Add(-1) }

// Add is the financial year n years after y (before, for negative n).
// The zero Year stays zero.
func (y Year) Add(n int) Year {
	if y.start == 0 {
		return y
	}
	if n > 9999 || n < -9999 || y.start+n < 1 || y.start+n > 9999 {
		return Year{} // beyond any financial year: the zero Year
	}
	return Year{start: y.start + n}
}

// Sub is the number of years from o to y (2028/29 minus 2023/24 is 5).
func (y Year) Sub(o Year) int { return y.start - o.start }

// Before reports whether y is earlier than o.
func (y Year) Before(o Year) bool { return y.start < o.start }

// After reports whether y is later than o.
func (y Year) After(o Year) bool { return y.start > o.start }

// String writes "2024/25"; the zero Year is "".
func (y Year) String() string {
	if y.start == 0 {
		return ""
	}
	return fmt.Sprintf("%04d/%02d", y.start, (y.start+1)%100)
}

// Label writes the year for use in identifiers: "2024_25".
func (y Year) Label() string {
	if y.start == 0 {
		return ""
	}
	return fmt.Sprintf("%04d_%02d", y.start, (y.start+1)%100)
}

// MarshalText writes the year as String does.
func (y Year) MarshalText() ([]byte, error) { return []byte(y.String()), nil }

// UnmarshalText reads the year as ParseYear does; empty text is the zero Year.
func (y *Year) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*y = Year{}
		return nil
	}
	v, err := ParseYear(string(b))
	if err != nil {
		return err
	}
	*y = v
	return nil
}

// Span is an inclusive, contiguous run of financial years, such as
// 2024/25-2028/29 (five years). The zero Span is empty.
type Span struct {
	first, last Year
}

// NewSpan returns the span from first to last inclusive. It is an error
// (ErrRange) for last to come before first, or for either to be zero.
func NewSpan(first, last Year) (Span, error) {
	if first.IsZero() || last.IsZero() {
		return Span{}, fmt.Errorf("span %s-%s: %w: both ends must be set", first, last, ErrRange)
	}
	if last.Before(first) {
		return Span{}, fmt.Errorf("span %s-%s: %w: ends before it starts", first, last, ErrRange)
	}
	return Span{first: first, last: last}, nil
}

// MustSpan is NewSpan of two year literals, for tests and examples; it panics on error.
func MustSpan(first, last string) Span {
	s, err := NewSpan(MustYear(first), MustYear(last))
	if err != nil {
		panic(err)
	}
	return s
}

// ParseSpan reads "2024/25-2028/29" (or a single year, "2024/25").
func ParseSpan(s string) (Span, error) {
	if len(s) == 7 {
		y, err := ParseYear(s)
		if err != nil {
			return Span{}, err
		}
		return Span{first: y, last: y}, nil
	}
	if len(s) != 15 || s[7] != '-' {
		return Span{}, &ParseError{Kind: "span", Input: s,
			Err: fmt.Errorf("%w: want a span like 2024/25-2028/29", ErrSyntax)}
	}
	a, err := ParseYear(s[:7])
	if err != nil {
		return Span{}, err
	}
	b, err := ParseYear(s[8:])
	if err != nil {
		return Span{}, err
	}
	return NewSpan(a, b)
}

// First is the span's first year.
func (s Span) First() Year { return s.first }

// Last is the span's last year.
func (s Span) Last() Year { return s.last }

// Len is the number of years in the span (0 for the zero Span).
func (s Span) Len() int {
	if s.first.IsZero() {
		return 0
	}
	return s.last.Sub(s.first) + 1
}

// IsZero reports whether s is the zero (empty) Span.
func (s Span) IsZero() bool { return s.first.IsZero() }

// Contains reports whether y falls within the span.
func (s Span) Contains(y Year) bool {
	return !s.IsZero() && !y.IsZero() && !y.Before(s.first) && !y.After(s.last)
}

// Index is y's position in the span (0 for the first year), or -1 outside it.
func (s Span) Index(y Year) int {
	if !s.Contains(y) {
		return -1
	}
	return y.Sub(s.first)
}

// Years lists the span's years in order.
func (s Span) Years() []Year {
	out := make([]Year, s.Len())
	for i := range out {
		out[i] = s.first.Add(i)
	}
	return out
}

// String writes "2024/25-2028/29", or just "2024/25" for a one-year span.
func (s Span) String() string {
	if s.IsZero() {
		return ""
	}
	if s.first == s.last {
		return s.first.String()
	}
	return s.first.String() + "-" + s.last.String()
}

// MarshalText writes the span as String does.
func (s Span) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the span as ParseSpan does.
func (s *Span) UnmarshalText(b []byte) error {
	v, err := ParseSpan(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
