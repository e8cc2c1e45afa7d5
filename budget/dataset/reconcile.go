package dataset

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
)

// ErrUnreconciled is wrapped by the errors of Reconcile: a user's figures
// do not add up to the published ones. A caller who means them to differ
// (a what-if) says so and skips the check.
var ErrUnreconciled = errors.New("does not add up to the published figures")

// Reconcile checks a user's allocations against the published ones (the
// embedded data, which add up to NHS England's England totals to £1k): the
// same ICBs, no more and no fewer; for every published year, stream and
// measure, the England sum of the money (recurrent, additions, non-recurrent
// items, adjusted baselines, targets) agrees to £1k an ICB, and every
// fraction (growth, convergence, distance from target) of every ICB agrees
// to 1e-9. A sum about 1,000 or 1,000,000 times too small or large is named
// as a unit mistake (amounts are in pounds), and fractions 100 times too
// large as per cents. Every problem is reported at once (the first three
// and a count); each wraps ErrUnreconciled. name is the user's file.
func (a *Allocations) Reconcile(published *Allocations, name string) error {
	if a == nil || published == nil {
		return fmt.Errorf("reconciling %s: %w: no allocations", name, budget.ErrNoData)
	}
	var errs []error
	var missing, extra []string
	for _, icb := range published.icbs {
		if _, err := a.ICB(icb.Code); err != nil {
			missing = append(missing, icb.Code)
		}
	}
	for _, icb := range a.icbs {
		if _, err := published.ICB(icb.Code); err != nil {
			extra = append(extra, icb.Code)
		}
	}
	if len(missing) > 0 {
		errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: %d of the %d ICBs are missing: %s",
			ErrUnreconciled, len(missing), len(published.icbs), strings.Join(missing, ", "))})
	}
	if len(extra) > 0 {
		errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: %d ICBs are not in the published data (codes are NHS ODS codes in capitals, such as QE1): %s",
			ErrUnreconciled, len(extra), strings.Join(extra, ", "))})
	}
	type key struct {
		y  budget.Year
		st Stream
		m  Measure
	}
	sums := func(x *Allocations) (map[key]decimal.Decimal, []key) {
		out := map[key]decimal.Decimal{}
		var order []key
		for _, f := range x.figures {
			if !f.Measure.IsMoney() {
				continue
			}
			k := key{f.Year, f.Stream, f.Measure}
			if _, ok := out[k]; !ok {
				order = append(order, k)
			}
			out[k] = out[k].Add(f.Value)
		}
		return out, order
	}
	want, order := sums(published)
	got, _ := sums(a)
	tol := decimal.NewFromInt(int64(1000 * len(published.icbs)))
	for _, k := range order {
		g, ok := got[k]
		w := want[k]
		if !ok {
			errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: no %s %s for %s (published, England: %s)",
				ErrUnreconciled, k.st, k.m, k.y, millions(budget.MoneyFromDecimal(w)))})
			continue
		}
		if g.Sub(w).Abs().GreaterThan(tol) {
			errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: %s %s %s adds up to %s for England, published %s%s",
				ErrUnreconciled, k.y, k.st, k.m, millions(budget.MoneyFromDecimal(g)), millions(budget.MoneyFromDecimal(w)), scaleHint(budget.MoneyFromDecimal(g), budget.MoneyFromDecimal(w)))})
		}
	}
	tiny := decimal.New(1, -9)
	for _, f := range published.figures {
		if f.Measure.IsMoney() {
			continue
		}
		u, ok := a.Find(f.Year, f.ICB, f.Stream, f.Measure, f.Item)
		if !ok {
			continue // the ICB's absence is reported above
		}
		if u.Value.Sub(f.Value).Abs().GreaterThan(tiny) {
			hint := ""
			if !f.Value.IsZero() {
				if r, _ := u.Value.DivRound(f.Value, 6).Float64(); math.Abs(r-100) < 1 {
					hint = ": 100 times the published figure; fractions are wanted (0.03 is 3%)"
				}
			}
			errs = append(errs, &budget.FileError{File: name, Line: u.line, Column: "value", Value: u.Value.String(),
				Err: fmt.Errorf("%w: %s %s %s %s is %s, published %s%s", ErrUnreconciled, f.Year, f.ICB, f.Stream, f.Measure, u.Value, f.Value, hint)})
		}
	}
	return errors.Join(brief(errs, name)...)
}

// brief keeps the first three problems and counts the rest, so that a
// file in the wrong unit gives a readable message, not one per stream and year.
func brief(errs []error, name string) []error {
	if len(errs) <= 3 {
		return errs
	}
	return append(errs[:3:3], &budget.FileError{File: name, Err: fmt.Errorf("%w: and %d more", ErrUnreconciled, len(errs)-3)})
}

// Reconcile checks a user's public health grant against the published one:
// every year the published grant has a total for, the user's has too (the
// latest vintage), agreeing to £1k; a factor of 1,000 or 1,000,000 is named
// as a unit mistake. Each problem wraps ErrUnreconciled.
func (g Grant) Reconcile(published Grant, name string) error {
	var errs []error
	for _, y := range published.Years() {
		want, err := published.Total(y)
		if err != nil {
			continue
		}
		got, err := g.Total(y)
		if err != nil {
			errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: no total for %s (published %s, %s): a total row may be missing or mistyped",
				ErrUnreconciled, y, millions(want.Amount), want.Source)})
			continue
		}
		if got.Amount.Sub(want.Amount).Abs().Cmp(budget.Pounds(1000)) > 0 {
			errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: the %s grant is %s, published %s (%s)%s",
				ErrUnreconciled, y, millions(got.Amount), millions(want.Amount), want.Source, scaleHint(got.Amount, want.Amount))})
		}
	}
	return errors.Join(brief(errs, name)...)
}

// Reconcile checks a user's deflators against the published ones: every
// published vintage is there, with every year's change agreeing to 1e-9
// (per cent). Changes 100 times too small are named: the file is in
// fractions where per cents are wanted. Each problem wraps ErrUnreconciled.
func (ds Deflators) Reconcile(published Deflators, name string) error {
	var errs []error
	for _, pd := range published.list {
		ud, err := ds.Get(pd.Name(), pd.Vintage())
		if err != nil {
			errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: no deflator %s %s", ErrUnreconciled, pd.Name(), pd.Vintage())})
			continue
		}
		for _, y := range pd.Span().Years() {
			want, _, _ := pd.Growth(y)
			got, _, err := ud.Growth(y)
			if err != nil || got.Decimal().Sub(want.Decimal()).Abs().GreaterThan(decimal.New(1, -11)) {
				hint := ""
				if err == nil && !got.Decimal().IsZero() {
					if r, _ := want.Decimal().DivRound(got.Decimal(), 6).Float64(); math.Abs(r-100) < 1 {
						hint = ": 100 times too small; the changes are per cents (2.58 for 2.58%)"
					}
				}
				errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: %s %s change into %s is %s%%, published %s%%%s",
					ErrUnreconciled, pd.Name(), pd.Vintage(), y, got.Percent(), want.Percent(), hint)})
			}
		}
	}
	return errors.Join(brief(errs, name)...)
}

// Reconcile checks a user's populations against the published ones: every
// published figure is there and agrees to half a person. Each problem wraps
// ErrUnreconciled.
func (p Populations) Reconcile(published Populations, name string) error {
	var errs []error
	half := decimal.New(5, -1)
	for _, f := range published.figures {
		u, err := p.Get(f.Year, f.Area, f.Measure)
		if err != nil {
			errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: no %s population for %s in %s (published %s)",
				ErrUnreconciled, f.Measure, f.Area, f.Year, f.Value)})
			continue
		}
		if u.Value.Decimal().Sub(f.Value.Decimal()).Abs().GreaterThan(half) {
			errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: the %s population of %s in %s is %s, published %s",
				ErrUnreconciled, f.Measure, f.Area, f.Year, u.Value, f.Value)})
		}
	}
	return errors.Join(brief(errs, name)...)
}

func millions(m budget.Money) string {
	return budget.Formatter{Scale: budget.ScaleMillions, Places: 3}.Format(m)
}

// scaleHint names a factor of 1,000 or 1,000,000 between got and want:
// figures in £ thousands or £ millions where pounds are wanted.
func scaleHint(got, want budget.Money) string {
	if got.Sign() <= 0 || want.Sign() <= 0 {
		return ""
	}
	r, _ := want.Decimal().DivRound(got.Decimal(), 6).Float64()
	switch e := math.Log10(r); {
	case math.Abs(e-3) < 0.3:
		return ": about 1,000 times too small; the file looks like £ thousands, and amounts are in pounds"
	case math.Abs(e-6) < 0.3:
		return ": about 1,000,000 times too small; the file looks like £ millions, and amounts are in pounds"
	case math.Abs(e+3) < 0.3:
		return ": about 1,000 times too large; amounts are in pounds"
	}
	return ""
}

// ReconcileEnglandTotals checks a user's England totals against the
// published ones: every published total (year and measure) is there and
// agrees to £1k, so that a truncated file is not taken for the whole.
// Each problem wraps ErrUnreconciled.
func ReconcileEnglandTotals(user, published []EnglandTotal, name string) error {
	have := map[string]EnglandTotal{}
	for _, t := range user {
		have[t.Year.String()+"|"+t.Measure] = t
	}
	var errs []error
	for _, want := range published {
		got, ok := have[want.Year.String()+"|"+want.Measure]
		switch {
		case !ok:
			errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: no %s %q (published %s, %s): a row may be missing",
				ErrUnreconciled, want.Year, want.Measure, millions(want.Amount), want.Source)})
		case got.Amount.Sub(want.Amount).Abs().Cmp(budget.Pounds(1000)) > 0:
			errs = append(errs, &budget.FileError{File: name, Err: fmt.Errorf("%w: %s %q is %s, published %s (%s)%s",
				ErrUnreconciled, want.Year, want.Measure, millions(got.Amount), millions(want.Amount), want.Source, scaleHint(got.Amount, want.Amount))})
		}
	}
	return errors.Join(brief(errs, name)...)
}
