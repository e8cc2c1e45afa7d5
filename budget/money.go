package budget

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/internal/dec"
)

// Money is an exact amount of pounds sterling: a decimal number with the
// figures, rounding and scales of github.com/shopspring/decimal (Decimal
// returns it as one), held in 128 bits so that arithmetic on money does
// not allocate; an amount beyond that is held and computed as a
// decimal.Decimal. There is no constructor from float64, so ledger figures
// never pass through binary floating point. The zero Money is £0. Values
// are immutable: every operation returns a new Money.
//
// Compare with Equal or Cmp, never ==: £1.5 and £1.50 are equal amounts with
// different internal scales.
//
// The packages of this module compute on the number itself, converting
// with dec.D(m) and budget.Money(x), which costs nothing.
type Money dec.D

// Pounds is n whole pounds.
func Pounds(n int64) Money { return Money(dec.New(n, 0)) }

// Pence is n pence.
func Pence(n int64) Money { return Money(dec.New(n, -2)) }

// Thousands is n thousand pounds (£k), the unit of NHS England's allocation workbooks.
func Thousands(n int64) Money { return Money(dec.New(n, 3)) }

// MoneyFromDecimal wraps an exact decimal number of pounds.
func MoneyFromDecimal(d decimal.Decimal) Money { return Money(dec.From(d)) }

// ParseMoney reads a plain decimal number of pounds, such as "1234.56" or
// "-0.5": no "£", no thousands separators, no exponent. Errors wrap ErrSyntax.
func ParseMoney(s string) (Money, error) {
	d, err := ParseDecimal("money", s)
	if err != nil {
		return Money{}, err
	}
	return Money(dec.From(d)), nil
}

// MustMoney is ParseMoney for literals in tests and examples; it panics on error.
func MustMoney(s string) Money {
	m, err := ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// Decimal returns the amount in pounds as an exact decimal.
func (m Money) Decimal() decimal.Decimal { return dec.D(m).Decimal() }

// Add returns m + o.
func (m Money) Add(o Money) Money { return Money(dec.D(m).Add(dec.D(o))) }

// Sub returns m - o.
func (m Money) Sub(o Money) Money { return Money(dec.D(m).Sub(dec.D(o))) }

// Neg returns -m.
func (m Money) Neg() Money { return Money(dec.D(m).Neg()) }

// Abs returns |m|.
func (m Money) Abs() Money { return Money(dec.D(m).Abs()) }

// Sign is -1, 0 or +1.
func (m Money) Sign() int { return dec.D(m).Sign() }

// IsZero reports whether m is £0.
func (m Money) IsZero() bool { return dec.D(m).IsZero() }

// Cmp is -1, 0 or +1 as m is less than, equal to or more than o.
func (m Money) Cmp(o Money) int { return dec.D(m).Cmp(dec.D(o)) }

// Equal reports whether m and o are the same amount, whatever their scales.
func (m Money) Equal(o Money) bool { return dec.D(m).Equal(dec.D(o)) }

// Round rounds to the given number of decimal places of a pound, halves away
// from zero (2 for pence; -3 for the nearest £1k, as NHS England rounds allocations).
func (m Money) Round(places int32) Money {
	return Money(dec.D(m).Round(clampPlaces(places, -maxPlaces)))
}

// MulShare returns m x s, rounded to WorkingScale places.
func (m Money) MulShare(s Share) Money { return Money(mulRound(dec.D(m), s.d)) }

// MulRatio returns m x r, rounded to WorkingScale places.
func (m Money) MulRatio(r Ratio) Money { return Money(mulRound(dec.D(m), r.d)) }

// Grow returns m x (1 + r), rounded to WorkingScale places.
func (m Money) Grow(r Rate) Money { return Money(mulRound(dec.D(m), r.Factor())) }

// Div returns m / o as a Ratio at WorkingScale places, or an error wrapping
// ErrZeroDivisor when o is zero.
func (m Money) Div(o Money) (Ratio, error) {
	if dec.D(o).IsZero() {
		return Ratio{}, fmt.Errorf("dividing %s by %s: %w", m, o, ErrZeroDivisor)
	}
	return Ratio{dec.D(m).DivRound(dec.D(o), WorkingScale).Decimal()}, nil
}

// PerHead returns m divided by a population, at WorkingScale places, or an
// error wrapping ErrZeroDivisor for a zero population.
func (m Money) PerHead(p Population) (Money, error) {
	if dec.D(p).IsZero() {
		return Money{}, fmt.Errorf("%s per head: %w: population is zero", m, ErrZeroDivisor)
	}
	return Money(dec.D(m).DivRound(dec.D(p), WorkingScale)), nil
}

// Times returns m x p (a per-head amount times a population), at WorkingScale places.
func (m Money) Times(p Population) Money { return Money(dec.D(m).Mul(dec.D(p)).Round(WorkingScale)) }

// maxWholePence bounds WholePence: no sum of a thousand such amounts
// overflows an int64.
const maxWholePence = 9_000_000_000_000_000

// WholePence returns an amount held to exactly two decimal places as whole
// pence, without allocating, for integer fast paths; ok is false for any
// other amount and for amounts beyond £90 trillion either way (so a
// thousand of them can be added in an int64).
func (m Money) WholePence() (int64, bool) {
	c, exp, ok := dec.D(m).Coefficient64()
	if !ok || exp != -2 || c > maxWholePence || c < -maxWholePence {
		return 0, false
	}
	return c, true
}

// String writes the exact amount in pounds with at least two decimal places
// (trailing zeros beyond two are dropped)
// and no symbol or separators ("1234.50", "-0.0125"), so it reads back with
// ParseMoney. For presentation use a Formatter.
func (m Money) String() string { return FormatDecimal(m.Decimal().Normalize(), 2) }

// StringFixed writes the amount rounded half away from zero to the given places.
func (m Money) StringFixed(places int32) string {
	return m.Decimal().StringFixed(clampPlaces(places, 0))
}

// MarshalText writes the amount as String does.
func (m Money) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads the amount as ParseMoney does.
func (m *Money) UnmarshalText(b []byte) error {
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// SumMoney adds amounts exactly.
func SumMoney(ms ...Money) Money {
	var t dec.D
	for _, m := range ms {
		t = t.Add(dec.D(m))
	}
	return Money(t)
}

// Population is a number of people (a registered list, a resident
// population); projected populations can be fractional. It is never negative.
//
// Like Money, it holds its number in internal/dec, whose arithmetic is
// decimal.Decimal's (Decimal gives it as one).
type Population dec.D

// People is a whole number of people.
func People(n int64) Population { return Population(dec.New(n, 0)) }

// ParsePopulation reads a plain non-negative number of people ("1810011.1").
// Errors wrap ErrSyntax or ErrNegative.
func ParsePopulation(s string) (Population, error) {
	d, err := ParseDecimal("population", s)
	if err != nil {
		return Population{}, err
	}
	if d.IsNegative() {
		return Population{}, &ParseError{Kind: "population", Input: s, Err: ErrNegative}
	}
	return Population(dec.From(d)), nil
}

// NewPopulation returns d as a number of people, or an error wrapping
// ErrNegative when d is negative.
func NewPopulation(d decimal.Decimal) (Population, error) {
	if d.IsNegative() {
		return Population{}, &ParseError{Kind: "population", Input: FormatDecimal(d, 0), Err: ErrNegative}
	}
	return Population(dec.From(d)), nil
}

// Decimal returns the number of people as an exact decimal.
func (p Population) Decimal() decimal.Decimal { return dec.D(p).Decimal() }

// Add returns p + o.
func (p Population) Add(o Population) Population { return Population(dec.D(p).Add(dec.D(o))) }

// IsZero reports whether p is zero.
func (p Population) IsZero() bool { return dec.D(p).IsZero() }

// Equal reports whether p and o are the same number of people.
func (p Population) Equal(o Population) bool { return dec.D(p).Equal(dec.D(o)) }

// Share returns p / total as a Share, or an error for a zero total.
func (p Population) Share(total Population) (Share, error) {
	if dec.D(total).IsZero() {
		return Share{}, fmt.Errorf("share of population: %w: total is zero", ErrZeroDivisor)
	}
	return NewShare(dec.D(p).DivRound(dec.D(total), WorkingScale).Decimal())
}

// String writes the number exactly ("1810011.1", "54808676").
func (p Population) String() string { return FormatDecimal(dec.D(p).Decimal(), 0) }

// MarshalText writes the number as String does.
func (p Population) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads the number as ParsePopulation does.
func (p *Population) UnmarshalText(b []byte) error {
	v, err := ParsePopulation(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Sum adds amounts exactly, without allocating where they fit in 128 bits.
// The zero Sum is £0. Total gives the same amount, at the same scale, as
// adding the amounts with Money.Add to Pence(0).
type Sum struct {
	t       dec.D
	started bool
}

// Add adds m.
func (s *Sum) Add(m Money) {
	if !s.started {
		s.t, s.started = dec.New(0, -2), true
	}
	s.t = s.t.Add(dec.D(m))
}

// Total is the sum.
func (s Sum) Total() Money {
	if !s.started {
		return Pence(0)
	}
	return Money(s.t)
}

// mulRound is m x b rounded to WorkingScale places.
func mulRound(m dec.D, b decimal.Decimal) dec.D {
	return m.Mul(dec.From(b)).Round(WorkingScale)
}
