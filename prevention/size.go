package prevention

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/clip"
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

// SizeOf is a size in the unit reading r takes: percentage points for
// Points and PerYear, per cent of the share for the relative readings
// (for a size GoalSeek found, say).
func SizeOf(r Reading, v decimal.Decimal) Size {
	if r == Points || r == PerYear {
		return Size{value: v, unit: unitPoints}
	}
	return Size{value: v, unit: unitPerCent}
}

// Decimal is the size as a number in its unit (Shift.Size).
func (z Size) Decimal() decimal.Decimal { return z.value }

// String is the size with its unit: "1 pp", "2%", or "unset".
func (z Size) String() string {
	if z.notFinite {
		return "not a finite number"
	}
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
	if span.IsZero() {
		return Shift{}, fmt.Errorf("shift: span: %w: not set", ErrRange)
	}
	s, err := Shift{Reading: r, BaseYear: span.First().Add(-1), Span: span, Profile: Linear()}.WithSize(size)
	if err != nil {
		return Shift{}, err
	}
	if err := s.Validate(); err != nil {
		return Shift{}, err
	}
	return s, nil
}

// WithSize is the shift with its size set to z, which must be in the unit
// of the shift's reading (see NewShift).
func (s Shift) WithSize(z Size) (Shift, error) {
	r := s.Reading
	wantPoints := r == Points || r == PerYear
	if _, ok := readingNames[r]; !ok {
		return Shift{}, fmt.Errorf("shift: reading %d: %w: want points, per-year, relative or relative-per-year", int(r), ErrRange)
	}
	switch {
	case z.unit == 0:
		return Shift{}, fmt.Errorf("shift: size: %w: not set: give PercentagePoints(n) for the %s reading or PerCent(n) for a relative one", ErrRange, r)
	case z.notFinite:
		return Shift{}, fmt.Errorf("shift: size: %w: not a finite number", ErrRange)
	case wantPoints && z.unit != unitPoints:
		return Shift{}, fmt.Errorf("shift: size %s: %w: the %s reading takes percentage points (%s pp), not per cent of the share, which is for the relative readings", z, ErrRange, r, z.value)
	case !wantPoints && z.unit != unitPerCent:
		return Shift{}, fmt.Errorf("shift: size %s: %w: the %s reading takes per cent of the share (%s%%), not percentage points, which are for the points and per-year readings", z, ErrRange, r, z.value)
	case wantPoints && z.value.Abs().GreaterThan(decimal.NewFromInt(100)):
		return Shift{}, fmt.Errorf("shift: size %s: %w: a share moves at most 100 percentage points", z, ErrRange)
	case !wantPoints && z.value.LessThan(decimal.NewFromInt(-100)):
		return Shift{}, fmt.Errorf("shift: size %s: %w: a share cannot fall by more than 100%%", z, ErrRange)
	}
	s.Size = z.value
	return s, nil
}

// ParseSize reads a shift's size as people type it, for reading r: "2 pp"
// or "2pp" (percentage points), "2%" (per cent of the share), or a bare
// number in the reading's unit (percentage points for Points and PerYear,
// per cent for the relative readings). Shift.WithSize then refuses a unit
// the reading does not take.
func ParseSize(text string, r Reading) (Size, error) {
	t := strings.TrimSpace(text)
	unit := unitPerCent
	if r == Points || r == PerYear {
		unit = unitPoints
	}
	switch {
	case strings.HasSuffix(strings.ToLower(t), "pp"):
		t, unit = strings.TrimSpace(t[:len(t)-2]), unitPoints
	case strings.HasSuffix(t, "%"):
		t, unit = strings.TrimSpace(t[:len(t)-1]), unitPerCent
	}
	v, err := budget.ParseDecimal("size", t)
	if err != nil {
		return Size{}, fmt.Errorf("size %q: %w: want a number, with pp (percentage points) or %% (per cent of the share) if you like: 1, 1pp, 0.5 pp, 10%%", clip.Clip(text), budget.ErrSyntax)
	}
	return Size{value: v, unit: unit}, nil
}
