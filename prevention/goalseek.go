package prevention

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/clip"
)

// TargetKind is what a goal seek aims at.
type TargetKind int

const (
	// TargetAmount: England's prevention shift reaches an amount (cash) in the year.
	TargetAmount TargetKind = iota + 1
	// TargetShare: England's prevention share reaches a share in the year.
	TargetShare
	// TargetGrant: England's shift matches the public health grant in the year.
	TargetGrant
)

// Target is a goal for the shift in one year.
type Target struct {
	Kind   TargetKind
	Amount budget.Money // TargetAmount
	Share  budget.Share // TargetShare
	Year   budget.Year  // zero: the last year of the shift's span
	// Area is the ICB (ODS code) whose shift the target is for: its share,
	// an amount for it, or its part of the grant; "" or ENG for England.
	Area string
}

// GoalSeek returns the shift size (in the model's reading: percentage
// points, percentage points a year, or per cent) that meets the target, and
// the change in England's share it means in percentage points. The shift
// is linear in its size, so the answer is exact: running the model with it
// meets the target to within the rounding of each ICB's figures to the penny.
func GoalSeek(in Inputs, m Model, t Target) (size, points decimal.Decimal, err error) {
	y := t.Year
	if y.IsZero() {
		y = m.Shift.Span.Last()
	}
	if !y.After(m.Shift.BaseYear) {
		return decimal.Zero, decimal.Zero, fmt.Errorf("goal seek for %s: %w: the shift starts after %s", y, ErrRange, m.Shift.BaseYear)
	}
	// Run with a unit shift to learn the England budget, counterfactual and
	// the shift per unit of size in year y.
	unit := m
	unit.Shift.Size = one
	unit.Years, _ = budget.NewSpan(m.Years.First(), maxYear(m.Years.Last(), y))
	r, err := Run(in, unit)
	if err != nil {
		return decimal.Zero, decimal.Zero, err
	}
	area := t.Area
	if area == "" {
		area = "ENG"
	}
	e, err := r.Values(area, y)
	if err != nil {
		return decimal.Zero, decimal.Zero, fmt.Errorf("goal seek: %w", err)
	}
	b := e.Budget.Sub(e.Shift) // the budget before any additional money
	if m.Funding == WithinEnvelope {
		b = e.Budget
	}
	var want decimal.Decimal // the England shift wanted, in pounds
	switch t.Kind {
	case TargetAmount:
		want = t.Amount.Decimal()
	case TargetShare:
		want = t.Share.Decimal().Mul(b.Decimal()).Sub(e.Counterfactual.Decimal())
	case TargetGrant:
		want = e.Grant.Decimal()
	default:
		return decimal.Zero, decimal.Zero, fmt.Errorf("goal seek: target: %w", ErrRange)
	}
	if e.Shift.IsZero() {
		return decimal.Zero, decimal.Zero, fmt.Errorf("goal seek: a unit shift moves nothing in %s (profile %s): %w", y, m.Shift.Profile, ErrZero)
	}
	size = want.DivRound(e.Shift.Decimal(), 6)
	points = size.Mul(e.Shift.Decimal()).DivRound(b.Decimal(), budget.WorkingScale).Shift(2)
	// The answer must be a shift the model can make: every ICB's share
	// stays within 0 to 1 in every year.
	check := m
	check.Shift.Size = size
	if _, err := Run(in, check); err != nil {
		return decimal.Zero, decimal.Zero, fmt.Errorf("goal seek: the target needs a shift of %s (%s pp), which the model cannot make: %w", size, points.Round(2), err)
	}
	return size, points.Round(6), nil
}

func maxYear(a, b budget.Year) budget.Year {
	if b.After(a) {
		return b
	}
	return a
}

// ParseTarget reads a goal as people type it: "grant" (match the public
// health grant), "share:SHARE" or a bare share ("6%", "0.06": a number up
// to 1 is a share), or "amount:MONEY" or a bare amount ("£2bn", "2000m",
// "2000000000"; a bare number from 1 to a million is refused, as it could
// be either). The target is England's in the shift's last year; set
// Area and Year for another. A goal it cannot read is an error wrapping
// budget.ErrSyntax that quotes it and says what is wanted.
func ParseTarget(text string) (Target, error) {
	goal := strings.TrimSpace(text)
	kind, value, found := strings.Cut(goal, ":")
	kind = strings.ToLower(strings.TrimSpace(kind))
	want := fmt.Errorf("goal %q: want grant, share:SHARE or a share (6%% or 0.06), or amount:MONEY or an amount (£2bn, 2000m or 2000000000) (%w)", clip.Clip(text), budget.ErrSyntax)
	if !found {
		switch {
		case kind == "grant":
			return Target{Kind: TargetGrant}, nil
		case strings.Contains(goal, "%"):
			kind, value = "share", goal
		case strings.ContainsAny(goal, "£mkbMKB"):
			kind, value = "amount", goal
		default:
			x, err := budget.ParseDecimal("goal", goal)
			if err != nil {
				return Target{}, want
			}
			kind, value = "amount", goal
			switch {
			case x.Sign() <= 0:
				return Target{}, fmt.Errorf("goal %q: %w: a goal must be above zero", clip.Clip(text), budget.ErrRange)
			case x.LessThan(decimal.NewFromInt(1)):
				kind = "share"
			case x.LessThan(decimal.NewFromInt(1_000_000)):
				return Target{}, fmt.Errorf("goal %q: %w: a bare number below 1 is a share and one over a million is pounds; %s is neither: give a share (share:%s%%) or a unit (£2bn, 2000m)", clip.Clip(text), budget.ErrRange, goal, goal)
			}
		}
	}
	switch kind {
	case "grant":
		return Target{}, fmt.Errorf("goal %q: grant takes no value: it matches the public health grant (%w)", clip.Clip(text), budget.ErrSyntax)
	case "share":
		s, err := dataset.ParseShareInput(value)
		if err != nil {
			return Target{}, fmt.Errorf("goal %q: %w", clip.Clip(text), err)
		}
		if s.Decimal().Sign() <= 0 || s.Decimal().GreaterThanOrEqual(decimal.NewFromInt(1)) {
			return Target{}, fmt.Errorf("goal %q: %w: a share to reach is above 0%% and below 100%%", clip.Clip(text), budget.ErrRange)
		}
		return Target{Kind: TargetShare, Share: s}, nil
	case "amount":
		a, err := dataset.ParseMoneyInput(value)
		if err != nil {
			return Target{}, fmt.Errorf("goal %q: %w", clip.Clip(text), err)
		}
		if a.Sign() <= 0 {
			return Target{}, fmt.Errorf("goal %q: %w: an amount to reach must be above zero", clip.Clip(text), budget.ErrRange)
		}
		return Target{Kind: TargetAmount, Amount: a}, nil
	}
	return Target{}, want
}
