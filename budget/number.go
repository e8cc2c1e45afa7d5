package budget

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/internal/dec"
)

// WorkingScale is the number of decimal places the library keeps in
// intermediate money and index arithmetic (after each multiplication or
// division that could otherwise grow the scale without bound). Published
// figures are exact to at most a few places, so 10 places loses nothing a
// reader could see; final figures are rounded to pence (2 places) where the
// documentation of each result says so.
const WorkingScale = 10

// one is the decimal 1, shared: decimal values are immutable.
var one = decimal.NewFromInt(1)

// oneDec is 1 in dec.
var oneDec = dec.New(1, 0)

// maxDigits bounds the digits on each side of the point that a parsed
// number may have: far beyond any real amount (10^30 pounds), small enough
// that a typo cannot make arithmetic slow, and such that writing a parsed
// value (which may add zeros up to two places) reads back.
const maxDigits = 30

// ParseDecimal reads a plain decimal number: an optional '-', digits, and an
// optional '.' followed by digits. No exponent, sign '+', spaces, thousands
// separators or currency symbols: data files hold plain numbers only, so
// anything else is a sign of a mistake. kind names the value for errors.
func ParseDecimal(kind, s string) (decimal.Decimal, error) {
	bad := func() (decimal.Decimal, error) {
		return decimal.Decimal{}, &ParseError{Kind: kind, Input: s,
			Err: fmt.Errorf("%w: want a plain number like -1234.56", ErrSyntax)}
	}
	i := 0
	if len(s) > 0 && s[0] == '-' {
		i++
	}
	intDigits, fracDigits, dot := 0, 0, false
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			if dot {
				fracDigits++
			} else {
				intDigits++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return bad()
		}
	}
	if intDigits == 0 || (dot && fracDigits == 0) {
		return bad()
	}
	if intDigits > maxDigits || fracDigits > maxDigits {
		return decimal.Decimal{}, &ParseError{Kind: kind, Input: s,
			Err: fmt.Errorf("%w: more than %d digits before or after the point", ErrRange, maxDigits)}
	}
	d, err := decimal.NewFromString(s)
	if err != nil { // unreachable after the checks above; kept so no input panics
		return bad()
	}
	return d, nil
}

// FormatDecimal writes d with at least min decimal places and no fewer
// than it has, so the text reads back to an equal value (decimal's String
// trims zeros according to a package-wide setting; StringFixed does not):
// the form data files are written in.
func FormatDecimal(d decimal.Decimal, min int32) string {
	min = clampPlaces(min, 0) // at most maxPlaces: a huge min would take forever
	places := -d.Exponent()
	if places < min {
		places = min
	}
	return d.StringFixed(places)
}

// plain writes d exactly without trailing zeros after the point ("0.05", "2").
func plain(d decimal.Decimal) string { return FormatDecimal(d.Normalize(), 0) }
