package prevention

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/rule"
)

// Reading is how "increase the share by at least 1 per cent over five
// years" is read. The readings differ by a factor of twenty, so every
// result says which it used.
type Reading int

const (
	// Points: the share reaches s0 + Size percentage points by the end of
	// the span (HSJ, 4 April 2023: "at least one percentage point over the
	// next five years").
	Points Reading = iota + 1
	// PerYear: the share rises by Size percentage points each year of the
	// span, s0 + 5 pp after five years (LGA, 14 June 2023: "by 1 per cent
	// per year").
	PerYear
	// Relative: the share reaches s0 x (1 + Size/100), a 1% rise in the
	// share itself (Healthcare Leader News, 15 June 2023: "a 1% increase in
	// spending on prevention").
	Relative
	// RelativePerYear: the share rises by Size per cent of itself each year
	// of the span, compounding: s0 x (1 + Size/100)^5 after five years
	// (+5.1% of the share for 1%). It is the LGA's "by 1 per cent per year"
	// read as a rise in the share rather than in percentage points; along a
	// profile the share is s0 x (1 + Size/100)^(n x weight).
	RelativePerYear
)

var readingNames = map[Reading]string{Points: "points", PerYear: "per-year", Relative: "relative", RelativePerYear: "relative-per-year"}

// Readings lists the readings in order.
func Readings() []Reading { return []Reading{Points, PerYear, Relative, RelativePerYear} }

// String is "points", "per-year", "relative" or "relative-per-year".
func (r Reading) String() string {
	if n, ok := readingNames[r]; ok {
		return n
	}
	return fmt.Sprintf("Reading(%d)", int(r))
}

// ParseReading reads "points", "per-year", "relative" or "relative-per-year".
func ParseReading(s string) (Reading, error) {
	for _, r := range Readings() {
		if readingNames[r] == s {
			return r, nil
		}
	}
	return 0, fmt.Errorf("reading %q: %w: want points, per-year, relative or relative-per-year", s, ErrUnknown)
}

// MarshalText writes the reading as String does.
func (r Reading) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads the reading as ParseReading does.
func (r *Reading) UnmarshalText(b []byte) error {
	v, err := ParseReading(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Profile is how a shift is phased over its span: the cumulative share of
// the final change reached by the end of each year, rising to 1 in the
// last year.
type Profile struct {
	name    string
	weights []decimal.Decimal // nil for the named shapes: computed for any span length
}

// Linear is the default phasing: equal steps, k/n of the change after k of n years.
func Linear() Profile { return Profile{name: "linear"} }

// FrontLoaded is faster early: 1 - (1 - k/n)^2 of the change after k of n years.
func FrontLoaded() Profile { return Profile{name: "front"} }

// BackLoaded is slower early: (k/n)^2 of the change after k of n years.
func BackLoaded() Profile { return Profile{name: "back"} }

// Step is nothing until the last year, then all of it.
func Step() Profile { return Profile{name: "step"} }

// Profiles lists the named profiles.
func Profiles() []Profile { return []Profile{Linear(), FrontLoaded(), BackLoaded(), Step()} }

// CustomProfile is a profile given as cumulative weights, one a year of the
// span: each in [0, 1], never falling, the last exactly 1. Every problem is
// reported at once, wrapping ErrRange.
func CustomProfile(weights []decimal.Decimal) (Profile, error) {
	var errs []error
	if len(weights) == 0 {
		errs = append(errs, fmt.Errorf("custom profile: %w: no weights", ErrRange))
	}
	for i, w := range weights {
		if w.IsNegative() || w.GreaterThan(one) {
			errs = append(errs, fmt.Errorf("custom profile: weight %d is %s: %w: must be between 0 and 1", i+1, w, ErrRange))
		}
		if i > 0 && w.LessThan(weights[i-1]) {
			errs = append(errs, fmt.Errorf("custom profile: weight %d (%s) is below weight %d (%s): %w: weights are cumulative and never fall", i+1, w, i, weights[i-1], ErrRange))
		}
	}
	if n := len(weights); n > 0 && !weights[n-1].Equal(one) {
		errs = append(errs, fmt.Errorf("custom profile: the last weight is %s: %w: it must be 1", weights[n-1], ErrRange))
	}
	if err := errors.Join(errs...); err != nil {
		return Profile{}, err
	}
	return Profile{name: "custom", weights: append([]decimal.Decimal(nil), weights...)}, nil
}

// ParseProfile reads "linear", "front", "back", "step", or "custom:0.1,0.3,0.6,0.9,1".
func ParseProfile(s string) (Profile, error) {
	for _, p := range Profiles() {
		if p.name == s {
			return p, nil
		}
	}
	if rest, ok := strings.CutPrefix(s, "custom:"); ok {
		var ws []decimal.Decimal
		for _, f := range strings.Split(rest, ",") {
			w, err := budget.ParseRatio(strings.TrimSpace(f))
			if err != nil {
				return Profile{}, fmt.Errorf("profile %q: %w", s, err)
			}
			ws = append(ws, w.Decimal())
		}
		return CustomProfile(ws)
	}
	return Profile{}, fmt.Errorf("profile %q: %w: want linear, front, back, step or custom:w1,w2 (cumulative weights)", s, ErrUnknown)
}

// String is the profile's name, or "custom:w1,w2,..." for a custom one.
func (p Profile) String() string {
	if p.weights == nil {
		return p.name
	}
	parts := make([]string, len(p.weights))
	for i, w := range p.weights {
		parts[i] = w.String()
	}
	return "custom:" + strings.Join(parts, ",")
}

// MarshalText writes the profile as String does.
func (p Profile) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads the profile as ParseProfile does.
func (p *Profile) UnmarshalText(b []byte) error {
	v, err := ParseProfile(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// IsZero reports whether the profile is unset.
func (p Profile) IsZero() bool { return p.name == "" }

// Weight is the cumulative share of the change reached after year k
// (1-based) of n, at budget.WorkingScale places.
func (p Profile) Weight(k, n int) (decimal.Decimal, error) {
	if k <= 0 {
		return decimal.Zero, nil
	}
	if k >= n {
		return one, nil
	}
	x := decimal.NewFromInt(int64(k)).DivRound(decimal.NewFromInt(int64(n)), budget.WorkingScale)
	switch p.name {
	case "linear":
		return x, nil
	case "front":
		r := one.Sub(x)
		return one.Sub(r.Mul(r)).Round(budget.WorkingScale), nil
	case "back":
		return x.Mul(x).Round(budget.WorkingScale), nil
	case "step":
		return decimal.Zero, nil
	case "custom":
		if len(p.weights) != n {
			return decimal.Zero, fmt.Errorf("custom profile has %d weights for a %d-year shift: %w", len(p.weights), n, ErrRange)
		}
		return p.weights[k-1], nil
	}
	return decimal.Zero, fmt.Errorf("profile: %w: not set", ErrRange)
}

// Shift is a change in the prevention share: its size (1 means one
// percentage point for Points and PerYear, one per cent for Relative),
// reading, the base year whose share is the baseline, the years over which
// it happens, and how it is phased. After the span the share stays at its
// final level. NewShift makes one from a typed Size (PercentagePoints or
// PerCent), so that a size cannot be read in the wrong unit: Size 0.02 in
// a literal Shift is 0.02 pp, not 2%.
type Shift struct {
	Size     decimal.Decimal `json:"size"`
	Reading  Reading         `json:"reading"`
	BaseYear budget.Year     `json:"base_year"`
	Span     budget.Span     `json:"span"`
	Profile  Profile         `json:"profile"`
}

// Hewitt is the Hewitt Review's recommendation read as +1 percentage point
// over five years: base year 2023/24, shift over 2024/25-2028/29, linear.
func Hewitt() Shift {
	return Shift{Size: one, Reading: Points, BaseYear: budget.MustYear("2023/24"),
		Span: budget.MustSpan("2024/25", "2028/29"), Profile: Linear()}
}

// Validate reports every problem with the shift at once.
func (s Shift) Validate() error {
	var errs []error
	if _, ok := readingNames[s.Reading]; !ok {
		errs = append(errs, fmt.Errorf("shift: reading: %w: want points, per-year, relative or relative-per-year", ErrRange))
	}
	if s.Profile.IsZero() {
		errs = append(errs, fmt.Errorf("shift: profile: %w: want linear, front, back, step or custom", ErrRange))
	}
	if s.Span.IsZero() {
		errs = append(errs, fmt.Errorf("shift: span: %w: not set", ErrRange))
	} else if s.BaseYear.IsZero() || !s.BaseYear.Before(s.Span.First()) {
		errs = append(errs, fmt.Errorf("shift: base year %q must come before the span %s: %w", s.BaseYear, s.Span, ErrRange))
	}
	if s.Profile.weights != nil && len(s.Profile.weights) != s.Span.Len() {
		errs = append(errs, fmt.Errorf("shift: custom profile has %d weights for the %d years of %s: %w", len(s.Profile.weights), s.Span.Len(), s.Span, ErrRange))
	}
	return errors.Join(errs...)
}

// ShareRule is the prevention share in year y as a rule of the baseline
// share s0, the one definition of each reading: the share is
// add + times x s0 (points and per-year add to s0; relative and
// relative-per-year multiply it). ShareIn applies it exactly; Simulate's
// float evaluator applies it to drawn baseline shares.
func (s Shift) ShareRule(y budget.Year) (add, times decimal.Decimal, err error) {
	n := s.Span.Len()
	k := y.Sub(s.Span.First()) + 1 // years of the span completed by the end of y
	w, err := s.Profile.Weight(k, n)
	if err != nil {
		return decimal.Zero, decimal.Zero, err
	}
	switch s.Reading {
	case Points:
		return s.Size.Shift(-2).Mul(w), one, nil
	case PerYear:
		return s.Size.Shift(-2).Mul(decimal.NewFromInt(int64(n))).Mul(w), one, nil
	case Relative:
		return decimal.Zero, one.Add(s.Size.Shift(-2).Mul(w)), nil
	case RelativePerYear:
		g := one.Add(s.Size.Shift(-2))
		if g.Sign() <= 0 {
			return decimal.Zero, decimal.Zero, fmt.Errorf("%s: the relative-per-year reading of %s takes the share below zero: %w", y, s.Size, ErrRange)
		}
		f, err := g.PowWithPrecision(w.Mul(decimal.NewFromInt(int64(n))), 2*budget.WorkingScale)
		if err != nil {
			return decimal.Zero, decimal.Zero, fmt.Errorf("%s: the relative-per-year reading of %s: %w: %v", y, s.Size, ErrRange, err)
		}
		return decimal.Zero, f, nil
	}
	return decimal.Zero, decimal.Zero, fmt.Errorf("shift: reading: %w", ErrRange)
}

// ShareIn is the prevention share in year y for baseline share s0: s0 up
// to the base year, then along the profile to the final share at the end of
// the span, then held (ShareRule). A share outside [0, 1] is an error
// wrapping ErrRange.
func (s Shift) ShareIn(y budget.Year, s0 budget.Share) (budget.Share, error) {
	add, times, err := s.ShareRule(y)
	if err != nil {
		return budget.Share{}, err
	}
	d := rule.Share(s0.Decimal(), add, times)
	sh, err := budget.NewShare(d.Round(budget.WorkingScale))
	if err == nil && sh.Cmp(budget.MustShare("1")) >= 0 {
		err = fmt.Errorf("%w: a share of all the budget leaves nothing for treatment", ErrRange)
	}
	if err != nil {
		return budget.Share{}, fmt.Errorf("%s: the %s reading of %s takes the prevention share from %s to %s: %w",
			y, s.Reading, s.Size, s0, d.Round(6), ErrRange)
	}
	return sh, nil
}

// FinalChange is the change in share at the end of the span, in percentage
// points, for baseline share s0.
func (s Shift) FinalChange(s0 budget.Share) (decimal.Decimal, error) {
	end, err := s.ShareIn(s.Span.Last(), s0)
	if err != nil {
		return decimal.Zero, err
	}
	return end.Decimal().Sub(s0.Decimal()).Shift(2), nil
}
