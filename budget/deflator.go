package budget

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/internal/rule"
)

// Extension is a deflator's rule for years after its last year of data.
// The zero Extension refuses such years (ErrNoData), so no projection is
// ever made silently.
type Extension struct {
	kind extKind
	rate Rate
}

type extKind int

const (
	extError extKind = iota
	extHold
	extGrow
)

// ExtendNone refuses years past the data (the default).
func ExtendNone() Extension { return Extension{} }

// ExtendHold holds the index at its last value (zero inflation).
func ExtendHold() Extension { return Extension{kind: extHold} }

// ExtendGrow grows the index by r a year past the data.
func ExtendGrow(r Rate) Extension { return Extension{kind: extGrow, rate: r} }

// String is "none", "hold" or "grow 0.02".
func (e Extension) String() string {
	switch e.kind {
	case extHold:
		return "hold"
	case extGrow:
		return "grow " + e.rate.String()
	}
	return "none"
}

// Deflator is a named price index by financial year, of a named vintage
// (such as the GDP deflator in the OBR's November 2025 forecast), with a
// base year at which it is 100 and a rule for years past its data.
//
// The index is built by chaining year-on-year changes, rounding to
// WorkingScale places after each step; a deflator given as an index is
// rebased the same way.
type Deflator struct {
	name, vintage string
	first         Year
	base          Year
	index         []decimal.Decimal // index[i] is for first+i; index at base = 100
	change        []Rate            // change[i]: first+i on the year before; change[0] may be unknown
	status        []Status
	source        string
	ext           Extension
}

var hundred = decimal.NewFromInt(100)

// NewDeflatorFromChanges chains year-on-year changes into an index that is
// 100 in base. changes[i] is the change into year first+i on the year
// before; changes[0] is kept (it gives the growth of the first year) but
// cannot place the year before first. base must lie in the span.
func NewDeflatorFromChanges(name, vintage string, first Year, changes []Rate, base Year) (Deflator, error) {
	n := len(changes)
	if n == 0 {
		return Deflator{}, fmt.Errorf("deflator %s (%s): %w: no years", name, vintage, ErrRange)
	}
	span, err := NewSpan(first, first.Add(n-1))
	if err != nil {
		return Deflator{}, err
	}
	bi := span.Index(base)
	if bi < 0 {
		return Deflator{}, fmt.Errorf("deflator %s (%s): base %s outside %s: %w", name, vintage, base, span, ErrNoData)
	}
	for i, c := range changes {
		if c.Factor().Sign() <= 0 {
			return Deflator{}, fmt.Errorf("deflator %s (%s): change into %s of %s%%: %w: prices cannot fall by 100%% or more",
				name, vintage, first.Add(i), c.Percent(), ErrRange)
		}
	}
	idx := make([]decimal.Decimal, n)
	idx[bi] = hundred
	for i := bi + 1; i < n; i++ {
		idx[i] = rule.Grow(idx[i-1], changes[i].Factor(), WorkingScale)
	}
	for i := bi - 1; i >= 0; i-- {
		idx[i] = idx[i+1].DivRound(changes[i+1].Factor(), WorkingScale)
	}
	for i, v := range idx {
		if v.Sign() <= 0 {
			return Deflator{}, fmt.Errorf("deflator %s (%s): the index for %s rounds to %s at %d places: %w: real terms would divide by zero",
				name, vintage, first.Add(i), v, WorkingScale, ErrRange)
		}
	}
	st := make([]Status, n)
	for i := range st {
		st[i] = Published
	}
	return Deflator{name: name, vintage: vintage, first: first, base: base, index: idx,
		change: append([]Rate(nil), changes...), status: st}, nil
}

// Name is the deflator's name, such as "gdp".
func (d Deflator) Name() string { return d.name }

// Vintage is the deflator's vintage, such as "obr-2025-11".
func (d Deflator) Vintage() string { return d.vintage }

// Source is the ID of the source the deflator's figures come from.
func (d Deflator) Source() string { return d.source }

// WithSource returns d with its source set: the reference of the figures
// it was made from.
func (d Deflator) WithSource(source string) Deflator {
	d.source = source
	return d
}

// Span is the years the deflator has data for.
func (d Deflator) Span() Span {
	if len(d.index) == 0 {
		return Span{}
	}
	s, _ := NewSpan(d.first, d.first.Add(len(d.index)-1))
	return s
}

// BaseYear is the year in which the index is 100.
func (d Deflator) BaseYear() Year { return d.base }

// Extension is the rule for years past the data.
func (d Deflator) Extension() Extension { return d.ext }

// WithExtension returns d with a rule for years past its data.
func (d Deflator) WithExtension(e Extension) Deflator {
	d.ext = e
	return d
}

// WithStatus returns d with the status of each year (as in the data file:
// outturn years published, forecast years projected). st must have one
// entry a year.
func (d Deflator) WithStatus(st []Status) (Deflator, error) {
	if len(st) != len(d.index) {
		return Deflator{}, fmt.Errorf("deflator %s: %d statuses for %d years: %w", d.name, len(st), len(d.index), ErrRange)
	}
	d.status = append([]Status(nil), st...)
	return d, nil
}

// Basis is the real-terms basis this deflator gives at base year y.
func (d Deflator) Basis(y Year) Basis { return Basis{base: y, deflator: d.name, vintage: d.vintage} }

// Index is the index for year y (100 in the base year) and the status of
// that figure: as the data says within the span; Projected past it, by the
// Extension rule. Years before the span, or past it with ExtendNone, are
// errors wrapping ErrNoData.
func (d Deflator) Index(y Year) (decimal.Decimal, Status, error) {
	if len(d.index) == 0 {
		return decimal.Decimal{}, 0, fmt.Errorf("deflator %q has no data (a zero Deflator; load one with ReadDeflators): %w", d.name, ErrNoData)
	}
	i := y.Sub(d.first)
	if y.IsZero() || i < 0 {
		return decimal.Decimal{}, 0, fmt.Errorf("deflator %s (%s) has no %s: %w", d.name, d.vintage, y, ErrNoData)
	}
	if i < len(d.index) {
		return d.index[i], d.status[i], nil
	}
	last := d.index[len(d.index)-1]
	switch d.ext.kind {
	case extHold:
		return last, Projected, nil
	case extGrow:
		v := last
		for k := len(d.index); k <= i; k++ {
			v = rule.Grow(v, d.ext.rate.Factor(), WorkingScale)
		}
		if v.Sign() <= 0 {
			return decimal.Decimal{}, 0, fmt.Errorf("deflator %s (%s) extended by %s a year reaches %s in %s: %w: an index must stay above zero",
				d.name, d.vintage, d.ext.rate, v, y, ErrRange)
		}
		return v, Projected, nil
	}
	return decimal.Decimal{}, 0, fmt.Errorf("deflator %s (%s) ends in %s, has no %s and no rule to extend it: %w",
		d.name, d.vintage, d.first.Add(len(d.index)-1), y, ErrNoData)
}

// Growth is the change in the index into year y from the year before:
// the published change within the data, the Extension rule past it.
func (d Deflator) Growth(y Year) (Rate, Status, error) {
	i := y.Sub(d.first)
	if !y.IsZero() && i >= 0 && i < len(d.change) {
		return d.change[i], d.status[i], nil
	}
	a, _, err := d.Index(y.Prev())
	if err != nil {
		return Rate{}, 0, err
	}
	b, st, err := d.Index(y)
	if err != nil {
		return Rate{}, 0, err
	}
	r, err := NewRate(b.DivRound(a, WorkingScale).Sub(one))
	return r, st, err
}

// Rebase returns d with its index 100 in year y.
func (d Deflator) Rebase(y Year) (Deflator, error) {
	iy, _, err := d.Index(y)
	if err != nil {
		return Deflator{}, err
	}
	if d.Span().Index(y) < 0 {
		return Deflator{}, fmt.Errorf("rebasing deflator %s to %s: %w: base must lie within the data", d.name, y, ErrNoData)
	}
	out := d
	out.base = y
	out.index = make([]decimal.Decimal, len(d.index))
	for i, v := range d.index {
		out.index[i] = v.Mul(hundred).DivRound(iy, WorkingScale)
	}
	return out, nil
}

// Real converts a cash amount in year y to prices of year base:
// cash x index(base) / index(y), at WorkingScale places.
func (d Deflator) Real(m Money, y, base Year) (Money, error) {
	iy, _, err := d.Index(y)
	if err != nil {
		return Money{}, err
	}
	ib, _, err := d.Index(base)
	if err != nil {
		return Money{}, err
	}
	return MoneyFromDecimal(rule.Rebase(m.Decimal(), ib, iy, WorkingScale)), nil
}

// Cash converts an amount at base-year prices back to the cash of year y.
func (d Deflator) Cash(m Money, y, base Year) (Money, error) {
	return d.Real(m, base, y)
}

// ToReal converts a cash series to real terms at base-year prices. A series
// that is not cash is an error wrapping ErrBasisMismatch.
func (d Deflator) ToReal(s Series, base Year) (Series, error) {
	if !s.basis.IsCash() {
		return Series{}, fmt.Errorf("converting to real terms: series is already %s: %w", s.basis.Describe(), ErrBasisMismatch)
	}
	out := make([]Money, len(s.values))
	for i, v := range s.values {
		r, err := d.Real(v, s.span.First().Add(i), base)
		if err != nil {
			return Series{}, err
		}
		out[i] = r
	}
	return Series{span: s.span, values: out, basis: d.Basis(base)}, nil
}

// ToCash converts a real-terms series made with this deflator back to cash.
// A series on another basis is an error wrapping ErrBasisMismatch.
func (d Deflator) ToCash(s Series) (Series, error) {
	if s.basis.IsCash() || s.basis.deflator != d.name || s.basis.vintage != d.vintage {
		return Series{}, fmt.Errorf("converting %s to cash with %s (%s): %w", s.basis.Describe(), d.name, d.vintage, ErrBasisMismatch)
	}
	out := make([]Money, len(s.values))
	for i, v := range s.values {
		c, err := d.Cash(v, s.span.First().Add(i), s.basis.base)
		if err != nil {
			return Series{}, err
		}
		out[i] = c
	}
	return Series{span: s.span, values: out, basis: Cash()}, nil
}
