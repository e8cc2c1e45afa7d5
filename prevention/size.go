package prevention

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
)

// Size is a shift's size in its unit: percentage points, for the Points
// and PerYear readings, or per cent of the share, for Relative and
// RelativePerYear. Make one with PercentagePoints or PerCent, so that
// 2 pp, 2% of the share and a fraction 0.02 cannot be taken for one
// another; NewShift checks the unit against the reading.
type Size struct {
	value     decimal.Decimal
	unit      sizeUnit
	notFinite bool // made from NaN or an infinity
}

type sizeUnit int

const (
	unitPoints sizeUnit = iota + 1
	unitPerCent
)

// PercentagePoints is a size in percentage points: PercentagePoints(1) is
// the Hewitt Review's "1 per cent" read as +1 pp of the share.
func PercentagePoints(v float64) Size { return newSize(v, unitPoints) }

// PerCent is a size in per cent of the share: PerCent(1) takes a 5% share
// to 5.05%.
func PerCent(v float64) Size { return newSize(v, unitPerCent) }

func newSize(v float64, u sizeUnit) Size {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Size{unit: u, notFinite: true} // refused by NewShift
	}
	return Size{value: decimal.NewFromFloat(v), unit: u}
}

// Decimal is the size as a number in its unit (Shift.Size).
func (z Size) Decimal() decimal.Decimal { return z.value }

// String is the size with its unit: "1 pp", "2%", or "unset".
func (z Size) String() string {
	switch z.unit {
	case unitPoints:
		return z.value.String() + " pp"
	case unitPerCent:
		return z.value.String() + "%"
	}
	return "unset"
}

// NewShift is a shift of size over span read by r, phased linearly from
// the year before the span (its base year), as the Hewitt Review's is:
// NewShift(Points, PercentagePoints(1), budget.MustSpan("2024/25",
// "2028/29")) is Hewitt(). A size in the wrong unit for the reading (per
// cent for Points or PerYear, percentage points for Relative or
// RelativePerYear), a size not made by PercentagePoints or PerCent, or one
// that is not a finite number, is an error wrapping ErrRange that says
// which to use.
func NewShift(r Reading, size Size, span budget.Span) (Shift, error) {
	wantPoints := r == Points || r == PerYear
	switch {
	case size.unit == 0:
		return Shift{}, fmt.Errorf("shift: size: %w: not set: give PercentagePoints(n) for the %s reading or PerCent(n) for a relative one", ErrRange, r)
	case size.notFinite:
		return Shift{}, fmt.Errorf("shift: size: %w: not a finite number", ErrRange)
	case wantPoints && size.unit != unitPoints:
		return Shift{}, fmt.Errorf("shift: size %s: %w: the %s reading takes percentage points: PercentagePoints(%s), or a relative reading for per cent of the share", size, ErrRange, r, size.value)
	case !wantPoints && size.unit != unitPerCent:
		return Shift{}, fmt.Errorf("shift: size %s: %w: the %s reading takes per cent of the share: PerCent(%s), or the points or per-year reading for percentage points", size, ErrRange, r, size.value)
	}
	if span.IsZero() {
		return Shift{}, fmt.Errorf("shift: span: %w: not set", ErrRange)
	}
	s := Shift{Size: size.value, Reading: r, BaseYear: span.First().Add(-1), Span: span, Profile: Linear()}
	if err := s.Validate(); err != nil {
		return Shift{}, err
	}
	return s, nil
}
