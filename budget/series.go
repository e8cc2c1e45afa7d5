package budget

import (
	"fmt"
	"strings"
)

// Basis is the price basis of a series of money: cash (the prices of each
// year) or real terms at the prices of a named base year, measured with a
// named deflator of a named vintage. The zero Basis is cash.
type Basis struct {
	base     Year
	deflator string
	vintage  string
}

// Cash is the cash (nominal) basis.
func Cash() Basis { return Basis{} }

// IsCash reports whether b is the cash basis.
func (b Basis) IsCash() bool { return b.base.IsZero() }

// BaseYear is the base year of a real-terms basis (zero for cash).
func (b Basis) BaseYear() Year { return b.base }

// Deflator names the deflator of a real-terms basis ("" for cash).
func (b Basis) Deflator() string { return b.deflator }

// Vintage names the deflator's vintage ("" for cash).
func (b Basis) Vintage() string { return b.vintage }

// Equal reports whether b and o are the same basis (base year, deflator and vintage).
func (b Basis) Equal(o Basis) bool { return b == o }

// String is "cash" or "real_2024_25", the label used in tidy output.
func (b Basis) String() string {
	if b.IsCash() {
		return BasisCash
	}
	return "real_" + b.base.Label()
}

// Describe is a sentence for people: "cash" or
// "real terms, 2024/25 prices, GDP deflator (OBR November 2025)".
func (b Basis) Describe() string {
	if b.IsCash() {
		return BasisCash
	}
	return fmt.Sprintf("real terms, %s prices, %s (%s)", b.base, b.deflator, b.vintage)
}

// Series is money by financial year over a contiguous span, on one price
// basis. It is immutable: methods return new series, and the slices given
// to or taken from it are copies.
type Series struct {
	span   Span
	values []Money
	basis  Basis
}

// NewSeries returns the series whose first year is first and whose values
// follow year by year. It is an error (ErrRange) to give no values.
func NewSeries(first Year, values []Money, basis Basis) (Series, error) {
	if len(values) == 0 {
		return Series{}, fmt.Errorf("series from %s: %w: no values", first, ErrRange)
	}
	span, err := NewSpan(first, first.Add(len(values)-1))
	if err != nil {
		return Series{}, err
	}
	return Series{span: span, values: append([]Money(nil), values...), basis: basis}, nil
}

// Span is the years the series covers.
func (s Series) Span() Span { return s.span }

// Basis is the series' price basis.
func (s Series) Basis() Basis { return s.basis }

// Len is the number of years.
func (s Series) Len() int { return len(s.values) }

// Values returns a copy of the values in year order.
func (s Series) Values() []Money { return append([]Money(nil), s.values...) }

// At is the value for year y, or an error wrapping ErrNoData outside the span.
func (s Series) At(y Year) (Money, error) {
	i := s.span.Index(y)
	if i < 0 {
		return Money{}, fmt.Errorf("series %s has no %s: %w", s.span, y, ErrNoData)
	}
	return s.values[i], nil
}

func (s Series) compatible(o Series) error {
	if !s.basis.Equal(o.basis) {
		return fmt.Errorf("combining %s with %s: %w", s.basis.Describe(), o.basis.Describe(), ErrBasisMismatch)
	}
	if s.span != o.span {
		return fmt.Errorf("combining %s with %s: %w", s.span, o.span, ErrSpanMismatch)
	}
	return nil
}

// Add returns s + o year by year. Both must share span and basis: adding a
// cash series to a real one is an error wrapping ErrBasisMismatch.
func (s Series) Add(o Series) (Series, error) {
	if err := s.compatible(o); err != nil {
		return Series{}, err
	}
	out := make([]Money, len(s.values))
	for i := range out {
		out[i] = s.values[i].Add(o.values[i])
	}
	return Series{span: s.span, values: out, basis: s.basis}, nil
}

// Sub returns s - o year by year, under the same rules as Add.
func (s Series) Sub(o Series) (Series, error) {
	if err := s.compatible(o); err != nil {
		return Series{}, err
	}
	out := make([]Money, len(s.values))
	for i := range out {
		out[i] = s.values[i].Sub(o.values[i])
	}
	return Series{span: s.span, values: out, basis: s.basis}, nil
}

// Total is the sum over the span.
func (s Series) Total() Money { return SumMoney(s.values...) }

// Window returns the part of s over the given span, or an error wrapping
// ErrNoData if s does not cover it.
func (s Series) Window(w Span) (Series, error) {
	i, j := s.span.Index(w.First()), s.span.Index(w.Last())
	if i < 0 || j < 0 {
		return Series{}, fmt.Errorf("series %s does not cover %s: %w", s.span, w, ErrNoData)
	}
	return Series{span: w, values: append([]Money(nil), s.values[i:j+1]...), basis: s.basis}, nil
}

// String lists the values: "2024/25 1.00, 2025/26 2.00 (cash)".
func (s Series) String() string {
	var b strings.Builder
	for i, v := range s.values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s.span.First().Add(i).String() + " " + v.String())
	}
	return b.String() + " (" + s.basis.Describe() + ")"
}
