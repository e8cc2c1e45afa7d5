package budget

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/internal/rule"
)

// Share is a part of a whole written as a fraction in [0, 1]: 0.05 is 5%.
// A share is never a bare float: it is built from a decimal or parsed from
// text, and NewShare refuses values outside [0, 1].
type Share struct {
	d decimal.Decimal
}

// NewShare returns d as a Share, or an error wrapping ErrRange outside [0, 1].
func NewShare(d decimal.Decimal) (Share, error) {
	if d.IsNegative() || d.GreaterThan(one) {
		return Share{}, &ParseError{Kind: "share", Input: FormatDecimal(d, 0),
			Err: fmt.Errorf("%w: a share must be between 0 and 1", ErrRange)}
	}
	return Share{d}, nil
}

// ParseShare reads a fraction such as "0.05" (not "5%").
func ParseShare(s string) (Share, error) {
	d, err := ParseDecimal("share", s)
	if err != nil {
		return Share{}, err
	}
	sh, err := NewShare(d)
	if err != nil {
		return Share{}, &ParseError{Kind: "share", Input: s, Err: err.(*ParseError).Err}
	}
	return sh, nil
}

// MustShare is ParseShare for literals in tests and examples; it panics on error.
func MustShare(s string) Share {
	v, err := ParseShare(s)
	if err != nil {
		panic(err)
	}
	return v
}

// SharePercent returns p per cent as a Share ("5" is 0.05).
func SharePercent(p decimal.Decimal) (Share, error) { return NewShare(p.Shift(-2)) }

// Decimal returns the fraction.
func (s Share) Decimal() decimal.Decimal { return s.d }

// Percent returns the share in per cent (0.05 is 5).
func (s Share) Percent() decimal.Decimal { return s.d.Shift(2) }

// Equal reports whether s and o are the same fraction.
func (s Share) Equal(o Share) bool { return s.d.Equal(o.d) }

// Cmp is -1, 0 or +1 as s is less than, equal to or more than o.
func (s Share) Cmp(o Share) int { return s.d.Cmp(o.d) }

// String writes the fraction exactly, without trailing zeros ("0.05").
func (s Share) String() string { return plain(s.d) }

// MarshalText writes the share as String does.
func (s Share) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads the share as ParseShare does.
func (s *Share) UnmarshalText(b []byte) error {
	v, err := ParseShare(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Rate is a proportional change per period, such as growth of 0.0437 (4.37%)
// a year. It may be negative but not -1 or below (that would wipe an amount out).
type Rate struct {
	d decimal.Decimal
}

// NewRate returns d as a Rate, or an error wrapping ErrRange when d <= -1.
func NewRate(d decimal.Decimal) (Rate, error) {
	if d.LessThanOrEqual(decimal.NewFromInt(-1)) {
		return Rate{}, &ParseError{Kind: "rate", Input: FormatDecimal(d, 0),
			Err: fmt.Errorf("%w: a rate must be above -1", ErrRange)}
	}
	return Rate{d}, nil
}

// ParseRate reads a fraction such as "0.0437" (not "4.37%").
func ParseRate(s string) (Rate, error) {
	d, err := ParseDecimal("rate", s)
	if err != nil {
		return Rate{}, err
	}
	r, err := NewRate(d)
	if err != nil {
		return Rate{}, &ParseError{Kind: "rate", Input: s, Err: err.(*ParseError).Err}
	}
	return r, nil
}

// MustRate is ParseRate for literals in tests and examples; it panics on error.
func MustRate(s string) Rate {
	v, err := ParseRate(s)
	if err != nil {
		panic(err)
	}
	return v
}

// RatePercent returns p per cent as a Rate ("4.37" is 0.0437).
func RatePercent(p decimal.Decimal) (Rate, error) { return NewRate(p.Shift(-2)) }

// Decimal returns the fraction.
func (r Rate) Decimal() decimal.Decimal { return r.d }

// Factor is 1 + r.
func (r Rate) Factor() decimal.Decimal { return one.Add(r.d) }

// Percent returns the rate in per cent.
func (r Rate) Percent() decimal.Decimal { return r.d.Shift(2) }

// Compound returns (1+r)(1+o) - 1, the rate of r then o, at WorkingScale places.
func (r Rate) Compound(o Rate) Rate {
	return Rate{rule.Compound(r.d, o.d, one, WorkingScale)}
}

// Equal reports whether r and o are the same rate.
func (r Rate) Equal(o Rate) bool { return r.d.Equal(o.d) }

// String writes the fraction exactly ("0.0437").
func (r Rate) String() string { return plain(r.d) }

// MarshalText writes the rate as String does.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the rate as ParseRate does.
func (r *Rate) UnmarshalText(b []byte) error {
	v, err := ParseRate(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Ratio is a quotient of two amounts with no bounds, such as the prevention
// shift as a multiple of the public health grant.
type Ratio struct {
	d decimal.Decimal
}

// RateOf wraps a rate the engine computes, a quotient of positive amounts
// less one, without NewRate's check; a rate read from a file goes through
// NewRate or ParseRate.
func RateOf(d decimal.Decimal) Rate { return Rate{d} }

// RatioOf wraps a decimal quotient.
func RatioOf(d decimal.Decimal) Ratio { return Ratio{d} }

// ParseRatio reads a plain number such as "0.25".
func ParseRatio(s string) (Ratio, error) {
	d, err := ParseDecimal("ratio", s)
	if err != nil {
		return Ratio{}, err
	}
	return Ratio{d}, nil
}

// Decimal returns the quotient.
func (r Ratio) Decimal() decimal.Decimal { return r.d }

// Equal reports whether r and o are the same.
func (r Ratio) Equal(o Ratio) bool { return r.d.Equal(o.d) }

// String writes the quotient exactly.
func (r Ratio) String() string { return plain(r.d) }

// MarshalText writes the ratio as String does.
func (r Ratio) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the ratio as ParseRatio does.
func (r *Ratio) UnmarshalText(b []byte) error {
	v, err := ParseRatio(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}
