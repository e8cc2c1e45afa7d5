package budget

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ErrUnreconciled is wrapped by the errors of Reconcile: a user's figures
// do not add up to the published ones. A caller who means them to differ
// (a what-if) says so and skips the check.
var ErrUnreconciled = errors.New("does not add up to the published figures")

// Reconcile checks a user's allocations against the published ones (the
// embedded data, which add up to NHS England's England totals to £1k):
// every published ICB is present, and each stream's England total (the
// sum of the ICBs' recurrent, recurrent additions and non-recurrent money)
// in every published year agrees to £1k an ICB. A total about 1,000 or
// 1,000,000 times too small or large is named as a unit mistake (amounts
// are in pounds). Every problem is reported at once; each wraps
// ErrUnreconciled. name is the user's file, for the messages.
func (a *Allocations) Reconcile(published *Allocations, name string) error {
	if a == nil || published == nil {
		return fmt.Errorf("reconciling %s: %w: no allocations", name, ErrNoData)
	}
	var errs []error
	var missing []string
	for _, icb := range published.icbs {
		if _, err := a.ICB(icb.Code); err != nil {
			missing = append(missing, icb.Code)
		}
	}
	if len(missing) > 0 {
		errs = append(errs, &FileError{File: name, Err: fmt.Errorf("%w: %d of the %d ICBs are missing: %s",
			ErrUnreconciled, len(missing), len(published.icbs), strings.Join(missing, ", "))})
	}
	tol := Pounds(int64(1000 * len(published.icbs)))
	for _, y := range published.Span().Years() {
		for _, st := range Streams() {
			want, ok := published.EnglandTotal(y, st)
			if !ok {
				continue
			}
			got, ok := a.EnglandTotal(y, st)
			if !ok {
				errs = append(errs, &FileError{File: name, Err: fmt.Errorf("%w: no %s allocations for %s (published: %s)",
					ErrUnreconciled, st, y, millions(want.Total()))})
				continue
			}
			if got.Total().Sub(want.Total()).Abs().Cmp(tol) > 0 {
				errs = append(errs, &FileError{File: name, Err: fmt.Errorf("%w: %s %s adds up to %s for England, published %s%s",
					ErrUnreconciled, y, st, millions(got.Total()), millions(want.Total()), scaleHint(got.Total(), want.Total()))})
			}
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
	return append(errs[:3:3], &FileError{File: name, Err: fmt.Errorf("%w: and %d more", ErrUnreconciled, len(errs)-3)})
}

// Reconcile checks a user's public health grant against the published one:
// each year's total (the latest vintage) agrees to £1k where both have it,
// and a factor of 1,000 or 1,000,000 is named as a unit mistake. Each
// problem wraps ErrUnreconciled.
func (g Grant) Reconcile(published Grant, name string) error {
	var errs []error
	for _, y := range published.Years() {
		want, err := published.Total(y)
		if err != nil {
			continue
		}
		got, err := g.Total(y)
		if err != nil {
			continue // a user's file may cover fewer years; the model says when one it needs is missing
		}
		if got.Amount.Sub(want.Amount).Abs().Cmp(Pounds(1000)) > 0 {
			errs = append(errs, &FileError{File: name, Err: fmt.Errorf("%w: the %s grant is %s, published %s (%s)%s",
				ErrUnreconciled, y, millions(got.Amount), millions(want.Amount), want.Source, scaleHint(got.Amount, want.Amount))})
		}
	}
	return errors.Join(brief(errs, name)...)
}

func millions(m Money) string { return Formatter{Unit: UnitMillions, Places: 3}.Format(m) }

// scaleHint names a factor of 1,000 or 1,000,000 between got and want:
// figures in £ thousands or £ millions where pounds are wanted.
func scaleHint(got, want Money) string {
	if got.Sign() <= 0 || want.Sign() <= 0 {
		return ""
	}
	r, _ := want.d.DivRound(got.d, 6).Float64()
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
