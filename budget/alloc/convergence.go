package alloc

import (
	"errors"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/dec"
	"github.com/upstream-health/upstream/internal/rule"
)

// ConvergencePolicy is how fast allocations move towards fair-share targets
// in one year: the fraction of the distance from target closed, and the
// largest change allowed, separately for ICBs above and below target.
//
// For distance from target dft = (baseline - target) / target, the
// convergence adjustment is
//
//	-dft x AboveFraction, no lower than -AboveCap   (dft > 0, above target)
//	-dft x BelowFraction, no higher than +BelowCap  (dft < 0, below target)
//
// and the recurrent allocation is baseline x (1 + growth) x (1 + convergence),
// the identity NHS England's workbooks follow (checked on every ICB for
// core 2023/24-2025/26 and PMC 2023/24-2025/26 to £0.5k; see the test
// TestReplayPublishedRounds).
type ConvergencePolicy struct {
	Name          string          `json:"name"`
	AboveFraction decimal.Decimal `json:"above_fraction"` // share of the distance closed above target, in [0, 1]
	AboveCap      decimal.Decimal `json:"above_cap"`      // largest reduction, a fraction (0.005 = 0.5 pp); >= 0
	BelowFraction decimal.Decimal `json:"below_fraction"` // share of the gap closed below target, in [0, 1]
	BelowCap      decimal.Decimal `json:"below_cap"`      // largest increase, a fraction; >= 0
	Note          string          `json:"note,omitempty"` // where the parameters come from
}

// Validate reports every problem with the policy at once: fractions
// outside [0, 1] and caps below zero wrap budget.ErrRange.
func (p ConvergencePolicy) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    decimal.Decimal
	}{{"above_fraction", p.AboveFraction}, {"below_fraction", p.BelowFraction}} {
		if f.v.IsNegative() || f.v.GreaterThan(one) {
			errs = append(errs, fmt.Errorf("convergence policy %q: %s %s: %w: must be between 0 and 1", p.Name, f.name, f.v, budget.ErrRange))
		}
	}
	for _, f := range []struct {
		name string
		v    decimal.Decimal
	}{{"above_cap", p.AboveCap}, {"below_cap", p.BelowCap}} {
		if f.v.IsNegative() {
			errs = append(errs, fmt.Errorf("convergence policy %q: %s %s: %w: a cap cannot be below zero", p.Name, f.name, f.v, budget.ErrRange))
		}
	}
	return errors.Join(errs...)
}

// Adjustment returns the convergence adjustment for a distance from target,
// at WorkingScale places.
func (p ConvergencePolicy) Adjustment(dft decimal.Decimal) decimal.Decimal {
	return rule.Adjustment(dft, p.rule(), budget.WorkingScale)
}

// rule is the policy's fractions and caps as the model's rules take them
// (internal/rule), for the ledger.
func (p ConvergencePolicy) rule() rule.Policy[decimal.Decimal] {
	return rule.Policy[decimal.Decimal]{AboveFraction: p.AboveFraction, AboveCap: p.AboveCap, BelowFraction: p.BelowFraction, BelowCap: p.BelowCap}
}

// ruleDec is the policy in dec, as the ledger computes a round.
func (p ConvergencePolicy) ruleDec() rule.Policy[dec.D] {
	return rule.Policy[dec.D]{AboveFraction: dec.From(p.AboveFraction), AboveCap: dec.From(p.AboveCap),
		BelowFraction: dec.From(p.BelowFraction), BelowCap: dec.From(p.BelowCap)}
}

// NoConvergence leaves every ICB at its distance from target.
func NoConvergence() ConvergencePolicy {
	return ConvergencePolicy{Name: "none", AboveFraction: decimal.Zero, AboveCap: decimal.Zero,
		BelowFraction: decimal.Zero, BelowCap: decimal.Zero, Note: "no movement towards target"}
}

// ConvergencePolicyNamed returns the policy named name from the parameters
// convergence.NAME.above_fraction, .above_cap, .below_fraction and
// .below_cap, with the notes and sources of the parameters. The shipped
// parameters hold the policies observed in NHS England's published rounds
// (core-2023/24, core-2024/25, core-2025/26, pmc-2023/24, pmc-2024/25,
// pmc-2025/26, and the approximation specialised-2025/26), inferred from
// the ICB-level workbook figures [S1, S2]: replaying each round with its
// policy reproduces every ICB's published recurrent allocation within the
// tolerance TestReplayPublishedRounds states. "none" is NoConvergence.
func ConvergencePolicyNamed(p dataset.Parameters, name string) (ConvergencePolicy, error) {
	if name == "none" {
		return NoConvergence(), nil
	}
	prefix := "convergence." + name + "."
	if len(p.WithPrefix(prefix)) == 0 {
		return ConvergencePolicy{}, fmt.Errorf("convergence policy %q: %w: %s has no %s* parameters", name, budget.ErrNoData, p.Label(), prefix)
	}
	pol := ConvergencePolicy{Name: name}
	var errs []error
	for _, f := range []struct {
		key string
		v   *decimal.Decimal
	}{{"above_fraction", &pol.AboveFraction}, {"above_cap", &pol.AboveCap}, {"below_fraction", &pol.BelowFraction}, {"below_cap", &pol.BelowCap}} {
		v, err := p.Decimal(prefix + f.key)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		*f.v = v
	}
	if err := errors.Join(errs...); err != nil {
		return ConvergencePolicy{}, fmt.Errorf("convergence policy %q: %w", name, err)
	}
	first, _ := p.Get(prefix + "above_fraction")
	pol.Note = first.Note + " [" + first.Source + "]"
	if err := pol.Validate(); err != nil {
		return ConvergencePolicy{}, err
	}
	return pol, nil
}

// ObservedPolicy returns the policy observed in a stream's published round
// (the parameters' "STREAM-ROUND" policy, such as core-2025/26), or an
// error wrapping budget.ErrNoData when there is none.
func ObservedPolicy(p dataset.Parameters, s dataset.Stream, round budget.Year) (ConvergencePolicy, error) {
	name := s.String() + "-" + round.String()
	if len(p.WithPrefix("convergence."+name+".")) == 0 {
		return ConvergencePolicy{}, fmt.Errorf("no observed convergence policy for %s in %s: %w", s, round, budget.ErrNoData)
	}
	return ConvergencePolicyNamed(p, name)
}

// Converge applies one round of the allocation identity to one ICB:
// the distance from target before convergence, the adjustment, the
// recurrent allocation (baseline x (1 + growth) x (1 + convergence),
// rounded to the nearest £1k as NHS England rounds it) and the distance
// after, measured against the target grown by the same base growth.
func Converge(baseline, target budget.Money, growth budget.Rate, p ConvergencePolicy) (RoundResult, error) {
	if target.Sign() <= 0 {
		return RoundResult{}, fmt.Errorf("converging: target %s: %w: a target must be above zero", target, budget.ErrRange)
	}
	if baseline.Sign() < 0 {
		return RoundResult{}, fmt.Errorf("converging: baseline %s: %w", baseline, budget.ErrNegative)
	}
	gf := growth.Factor()
	dft := baseline.Decimal().Sub(target.Decimal()).DivRound(target.Decimal(), budget.WorkingScale)
	conv := p.Adjustment(dft)
	rec := baseline.Decimal().Mul(gf).Mul(one.Add(conv)).Round(-3)
	grownTarget := target.Decimal().Mul(gf).Round(budget.WorkingScale)
	after := rec.DivRound(grownTarget, budget.WorkingScale).Sub(one)
	return RoundResult{Baseline: baseline, Target: target, Growth: growth, DfTBefore: dft, Convergence: conv,
		Recurrent: budget.MoneyFromDecimal(rec), GrownTarget: budget.MoneyFromDecimal(grownTarget), DfTAfter: after}, nil
}

// RoundResult is one ICB's figures for one allocation round.
type RoundResult struct {
	Baseline    budget.Money    // adjusted recurrent baseline (previous year)
	Target      budget.Money    // fair-share target, previous year's basis
	Growth      budget.Rate     // base growth
	DfTBefore   decimal.Decimal // (baseline - target) / target
	Convergence decimal.Decimal // the adjustment
	Recurrent   budget.Money    // the recurrent allocation, to £1k
	GrownTarget budget.Money    // target x (1 + growth): the allocation year's target
	DfTAfter    decimal.Decimal // recurrent / grown target - 1
}

// convergeWithin applies one round of convergence to every ICB of a stream
// inside the England quantum, as NHS England sets the base growth so that
// pace of change is paid for within the total: each ICB's allocation
// before funding is baseline x (1 + growth) x (1 + the policy's
// adjustment), and all are then scaled by one factor so that they add up
// to the uplifted baselines, sum of baseline x (1 + growth). Each is
// rounded to £1k by largest remainder (ties to the earlier ICB) so that the
// England total is that sum rounded to £1k, with or without convergence.
// Each result reports the settlement's growth and, as its convergence, the
// net adjustment recurrent / (baseline x (1 + growth)) - 1: the policy's
// adjustment and the ICB's share of paying for pace of change, so that
// (1 + DfT before) x (1 + convergence) = 1 + DfT after, as in a published
// round.
func convergeWithin(baselines, targets []budget.Money, growth []budget.Rate, p ConvergencePolicy) ([]RoundResult, error) {
	n := len(baselines)
	out := make([]RoundResult, n)
	// In dec: decimal.Decimal's figures without its allocations.
	uplift := make([]dec.D, n)
	pre := make([]dec.D, n)
	grown := make([]dec.D, n)
	policy := p.ruleDec()
	var sumUplift, sumPre dec.D
	for i := range baselines {
		if targets[i].Sign() <= 0 {
			return nil, fmt.Errorf("converging: target %s: %w: a target must be above zero", targets[i], budget.ErrRange)
		}
		if baselines[i].Sign() < 0 {
			return nil, fmt.Errorf("converging: baseline %s: %w", baselines[i], budget.ErrNegative)
		}
		var dft dec.D
		dft, uplift[i], pre[i], grown[i] = rule.Converge(dec.D(baselines[i]), dec.D(targets[i]), dec.From(growth[i].Factor()), oneDec, policy, budget.WorkingScale, upliftScale)
		sumUplift, sumPre = sumUplift.Add(uplift[i]), sumPre.Add(pre[i])
		out[i] = RoundResult{Baseline: baselines[i], Target: targets[i], Growth: growth[i], DfTBefore: dft.Decimal(), GrownTarget: budget.Money(grown[i])}
	}
	if sumPre.Sign() <= 0 {
		return nil, fmt.Errorf("converging: %w: the England allocation is zero", budget.ErrRange)
	}
	units := within1k(pre, sumUplift, sumPre)
	for i := range out {
		rec := units[i]
		out[i].Recurrent = budget.Money(rec)
		if uplift[i].Sign() > 0 {
			out[i].Convergence = rec.DivRound(uplift[i], budget.WorkingScale).Sub(oneDec).Decimal()
		}
		out[i].DfTAfter = rec.DivRound(grown[i], budget.WorkingScale).Sub(oneDec).Decimal()
	}
	return out, nil
}

// convergeScale is the places to which convergeWithin computes each ICB's
// scaled allocation in £1k units before rounding by largest remainder:
// a thousandth of a penny.
const convergeScale = 8

// within1k scales each of pre by sum / sumPre and rounds it to £1k by
// largest remainder (ties to the earlier), so that they add up to sum
// rounded to £1k exactly: sum rounded to £1k is the England quantum
// whatever the ICBs (and footprint) it is split over.
func within1k(pre []dec.D, sum, sumPre dec.D) []dec.D {
	return roundWithin(pre, sum, sumPre, 3)
}

// roundWithin is within1k to a unit of 10^places: 3 for £1k, 0 for a
// whole person.
func roundWithin(pre []dec.D, sum, sumPre dec.D, places int32) []dec.D {
	units, order, k := unitsWithin(pre, sum, sumPre, places)
	shareUnits(units, order, k)
	return inUnits(units, places)
}

// unitsWithin are the first steps of roundWithin: each part's whole units
// of 10^places, the parts in order of their remainders (largest first, of
// equal ones the earlier part first), and the units still to share, which
// may be below zero.
func unitsWithin(pre []dec.D, sum, sumPre dec.D, places int32) (units []dec.D, order []int, k int64) {
	n := len(pre)
	thousand := dec.New(1, places)
	units = make([]dec.D, n)
	rems := make([]dec.D, n)
	// The units to share out: sum to the unit, in units (to 16 places, as
	// decimal.Decimal's Div; whole).
	need := sum.Round(-places).DivRound(thousand, 16)
	// One factor, to far more places than the result keeps.
	factor := sum.DivRound(sumPre.Mul(thousand), 2*convergeScale+places)
	for i := range pre {
		v := pre[i].Mul(factor).Round(convergeScale)
		units[i] = v.Floor()
		rems[i] = v.Sub(units[i])
		need = need.Sub(units[i])
	}
	order = make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return rems[b].Cmp(rems[a]) }) // largest first
	k, _ = need.Int64()                                                              // a count of units, far inside an int64
	return units, order, k
}

// shareUnits gives k units to the parts (takes -k, if k is below zero), a
// unit a part a pass, in order (from its end, taking), as many passes as
// it takes. Whole passes go at once: on amounts far beyond any budget the
// factor's last place leaves millions of units to share.
func shareUnits(units []dec.D, order []int, k int64) {
	n := int64(len(units))
	if n == 0 {
		return
	}
	if k >= n || k <= -n {
		q := dec.New(k/n, 0)
		for i := range units {
			units[i] = units[i].Add(q)
		}
		k %= n
	}
	for _, i := range order[:max(k, 0)] {
		units[i] = units[i].Add(oneDec)
	}
	for _, i := range order[n-max(-k, 0):] {
		units[i] = units[i].Sub(oneDec)
	}
}

// inUnits is each part's units in pounds (or people).
func inUnits(units []dec.D, places int32) []dec.D {
	thousand := dec.New(1, places)
	for i := range units {
		units[i] = units[i].Mul(thousand)
	}
	return units
}

// upliftScale is the places, in pounds, to which an ICB's uplifted
// baseline and its allocation before funding are carried into the England
// quantum: a hundredth of a penny, far below the £1k the allocation is
// rounded to.
const upliftScale = 4
