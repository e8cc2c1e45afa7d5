package scenario

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

// Discount is a discounting schedule of the HM Treasury Green Book.
type Discount int

const (
	// GreenBook is the social time preference rate: 3.5% a year for years
	// 1-30, 3.0% for years 31-75, 2.5% after (HM Treasury, Green Book
	// 2020, Annex A6; restated in the December 2025 review terms of
	// reference, notes/prevention_context.md). It discounts money; the
	// Green Book's lower schedule for health and life values (1.5%) is for
	// health outcomes, which the library does not model, so it is not
	// offered.
	GreenBook Discount = iota + 1
	// GreenBookHealth is the Green Book's schedule for health and life
	// values: 1.5% a year for years 1-30, 1.29% for 31-75, 1.07% after
	// (Annex A6). It discounts the value of QALYs (Scenario.QALYs), never
	// money: a scenario's discounting cannot be it.
	GreenBookHealth
)

var discountNames = map[Discount]string{GreenBook: "green-book", GreenBookHealth: "green-book-health"}

// String is "green-book".
func (d Discount) String() string {
	if n, ok := discountNames[d]; ok {
		return n
	}
	return fmt.Sprintf("Discount(%d)", int(d))
}

// ParseDiscount reads "green-book".
func ParseDiscount(s string) (Discount, error) {
	if s == "green-book-health" {
		return 0, fmt.Errorf("discounting %q: %w: the Green Book's 1.5%% schedule is for health and life values, and the library's flows are money: use green-book (the value of QALYs, with qalys, is discounted at it)", s, budget.ErrUnknown)
	}
	for k, v := range discountNames {
		if v == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("discounting %q: %w: want green-book", s, budget.ErrUnknown)
}

// Schedule is a discounting schedule ready to use: its rates, from the
// parameters discount.NAME.rate_years_1_30, .rate_years_31_75 and
// .rate_years_76_on, and its year 0, from present_value.base_year.
type Schedule struct {
	Discount Discount
	// Base is year 0: flows of later years are discounted to it, in its
	// prices; flows of earlier years are past years, reported beside the
	// present value and not discounted (the Green Book appraises from the
	// present). Zero until resolved where the parameter says
	// first-projected (FirstProjected).
	Base budget.Year
	// FirstProjected says the parameter present_value.base_year is
	// "first-projected": year 0 is the first year after the latest
	// published allocations (2026/27 on the embedded data), which a
	// scenario resolves against its data.
	FirstProjected bool
	rates          [3]decimal.Decimal
}

// ParamPresentValueBase names the parameter that gives year 0 of discounting.
const ParamPresentValueBase = "present_value.base_year"

// FirstProjected is the value of present_value.base_year that puts year 0
// in the first year after the latest published allocations.
const FirstProjected = "first-projected"

// Schedule builds the schedule of d from the parameters p.
func (d Discount) Schedule(p dataset.Parameters) (Schedule, error) {
	name, ok := discountNames[d]
	if !ok {
		return Schedule{}, fmt.Errorf("discounting: %w: want green-book", budget.ErrRange)
	}
	s := Schedule{Discount: d}
	var errs []error
	for i, band := range []string{"rate_years_1_30", "rate_years_31_75", "rate_years_76_on"} {
		r, err := p.Within("discount."+name+"."+band, 0, 0.2)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.rates[i] = r.Decimal()
	}
	if v, err := p.Get(ParamPresentValueBase); err == nil && v.Unit == budget.UnitName {
		if v.Value != FirstProjected {
			errs = append(errs, p.Fail(ParamPresentValueBase, fmt.Errorf("%w: want %s or a year", budget.ErrUnknown, FirstProjected)))
		}
		s.FirstProjected = true
	} else if base, err := p.Year(ParamPresentValueBase); err != nil {
		errs = append(errs, err)
	} else {
		s.Base = base
	}
	if err := errors.Join(errs...); err != nil {
		return Schedule{}, err
	}
	return s, nil
}

// At returns the schedule with year 0 at base.
func (s Schedule) At(base budget.Year) Schedule {
	s.Base, s.FirstProjected = base, false
	return s
}

// Split divides a window into the years before year 0, past years, and the
// years from it, discounted; either may be empty (ok false).
func (s Schedule) Split(w budget.Span) (past budget.Span, hasPast bool, discounted budget.Span, hasDiscounted bool) {
	if w.First().Before(s.Base) {
		last := s.Base.Prev()
		if w.Last().Before(last) {
			last = w.Last()
		}
		past, _ = budget.NewSpan(w.First(), last)
		hasPast = true
	}
	if !w.Last().Before(s.Base) {
		first := s.Base
		if first.Before(w.First()) {
			first = w.First()
		}
		discounted, _ = budget.NewSpan(first, w.Last())
		hasDiscounted = true
	}
	return past, hasPast, discounted, hasDiscounted
}

// RateText is the rate of the first thirty years as people write it: "3.5%".
func (s Schedule) RateText() string { return s.rates[0].Shift(2).String() + "%" }

// Rate is the discount rate of year t (1 for the first year after the base year).
func (s Schedule) Rate(t int) decimal.Decimal {
	switch {
	case t <= 30:
		return s.rates[0]
	case t <= 75:
		return s.rates[1]
	}
	return s.rates[2]
}

// Factor is the discount factor of year t: the product over years 1..t of
// 1 / (1 + rate), at budget.WorkingScale places after each step. Year 0
// (the base year, the price base year by default) has factor 1; on the
// Green Book schedule the year after it has 1 / 1.035.
func (s Schedule) Factor(t int) decimal.Decimal {
	f := one
	for k := 1; k <= t; k++ {
		f = f.DivRound(one.Add(s.Rate(k)), budget.WorkingScale)
	}
	return f
}

var one = decimal.NewFromInt(1)
