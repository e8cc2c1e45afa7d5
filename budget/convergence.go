package budget

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
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
// outside [0, 1] and caps below zero wrap ErrRange.
func (p ConvergencePolicy) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    decimal.Decimal
	}{{"above_fraction", p.AboveFraction}, {"below_fraction", p.BelowFraction}} {
		if f.v.IsNegative() || f.v.GreaterThan(one) {
			errs = append(errs, fmt.Errorf("convergence policy %q: %s %s: %w: must be between 0 and 1", p.Name, f.name, f.v, ErrRange))
		}
	}
	for _, f := range []struct {
		name string
		v    decimal.Decimal
	}{{"above_cap", p.AboveCap}, {"below_cap", p.BelowCap}} {
		if f.v.IsNegative() {
			errs = append(errs, fmt.Errorf("convergence policy %q: %s %s: %w: a cap cannot be below zero", p.Name, f.name, f.v, ErrRange))
		}
	}
	return errors.Join(errs...)
}

// Adjustment returns the convergence adjustment for a distance from target,
// at WorkingScale places.
func (p ConvergencePolicy) Adjustment(dft decimal.Decimal) decimal.Decimal {
	switch dft.Sign() {
	case 1: // above target: reduce by the fraction of the distance, at most the cap
		c := dft.Mul(p.AboveFraction)
		if c.GreaterThan(p.AboveCap) {
			return p.AboveCap.Neg()
		}
		return c.Round(WorkingScale).Neg()
	case -1: // below target: dft is negative, so -dft x fraction is the gain
		c := dft.Mul(p.BelowFraction).Neg()
		if c.GreaterThan(p.BelowCap) {
			return p.BelowCap
		}
		return c.Round(WorkingScale)
	}
	return decimal.Zero
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var fifteenth = one.DivRound(decimal.NewFromInt(15), WorkingScale)

// Convergence policies observed in NHS England's published allocations
// (inferred from the ICB-level workbook figures [S1, S2]; the technical
// guides were not available). Replaying each round with its policy
// reproduces every ICB's published recurrent allocation within the
// tolerance given (TestReplayPublishedRounds).
var (
	// CoreConvergence2023 (core 2023/24): ICBs above target close all of
	// the distance, at most -0.71 pp; below target gain 1/15 of the gap,
	// at most +0.20 pp. Reproduces every ICB exactly (to £1k).
	CoreConvergence2023 = ConvergencePolicy{Name: "core-2023/24", AboveFraction: dec("1"), AboveCap: dec("0.0071"),
		BelowFraction: fifteenth, BelowCap: dec("0.002"), Note: "observed from NHS England ICB allocations 2023/24 [S1]"}
	// CoreConvergence2024 (core 2024/25): above target 0.9855 of the
	// distance, at most -1.36 pp; below 1/15 of the gap, at most +0.20 pp.
	// Reproduces every ICB to within 0.0001%.
	CoreConvergence2024 = ConvergencePolicy{Name: "core-2024/25", AboveFraction: dec("0.9855"), AboveCap: dec("0.0136"),
		BelowFraction: fifteenth, BelowCap: dec("0.002"), Note: "observed from NHS England ICB allocations 2024/25 [S1]"}
	// CoreConvergence2025 (core 2025/26): one fifth of the distance either
	// way, capped at +/-0.50 pp. Reproduces every ICB to within 0.03%.
	CoreConvergence2025 = ConvergencePolicy{Name: "core-2025/26", AboveFraction: dec("0.2"), AboveCap: dec("0.005"),
		BelowFraction: dec("0.2"), BelowCap: dec("0.005"), Note: "observed from NHS England ICB allocations 2025/26 [S2]"}
	// PMCConvergence2023 (primary medical care 2023/24): above target all
	// of the distance, at most -0.38 pp; below a quarter of the gap, at
	// most +1.0 pp. Reproduces every ICB exactly.
	PMCConvergence2023 = ConvergencePolicy{Name: "pmc-2023/24", AboveFraction: dec("1"), AboveCap: dec("0.0038"),
		BelowFraction: dec("0.25"), BelowCap: dec("0.01"), Note: "observed from NHS England PMC allocations 2023/24 [S1]"}
	// PMCConvergence2024 (primary medical care 2024/25): above target 0.9524
	// of the distance, at most -0.40 pp; below a quarter, at most +1.0 pp.
	PMCConvergence2024 = ConvergencePolicy{Name: "pmc-2024/25", AboveFraction: dec("0.9524"), AboveCap: dec("0.004"),
		BelowFraction: dec("0.25"), BelowCap: dec("0.01"), Note: "observed from NHS England PMC allocations 2024/25 [S1]"}
	// PMCConvergence2025 (primary medical care 2025/26): one fifth either
	// way, capped at +/-0.50 pp. Reproduces every ICB to within 0.03%.
	PMCConvergence2025 = ConvergencePolicy{Name: "pmc-2025/26", AboveFraction: dec("0.2"), AboveCap: dec("0.005"),
		BelowFraction: dec("0.2"), BelowCap: dec("0.005"), Note: "observed from NHS England PMC allocations 2025/26 [S2]"}
	// SpecialisedConvergence2025 (delegated specialised 2025/26) is an
	// approximation: about 0.13 of the distance, capped at +/-0.33 pp;
	// within 0.05% of every ICB's published figure. The published figures
	// do not follow one simple rule.
	SpecialisedConvergence2025 = ConvergencePolicy{Name: "specialised-2025/26", AboveFraction: dec("0.13"), AboveCap: dec("0.0033"),
		BelowFraction: dec("0.13"), BelowCap: dec("0.0033"), Note: "approximation fitted to NHS England specialised allocations 2025/26 [S2]"}
	// NoConvergence leaves every ICB at its distance from target.
	NoConvergence = ConvergencePolicy{Name: "none", AboveFraction: decimal.Zero, AboveCap: decimal.Zero,
		BelowFraction: decimal.Zero, BelowCap: decimal.Zero, Note: "no movement towards target"}
)

// ObservedPolicy returns the observed policy for a stream's published
// round, or an error wrapping ErrNoData when there is none.
func ObservedPolicy(s Stream, round Year) (ConvergencePolicy, error) {
	key := s.String() + " " + round.String()
	switch key {
	case "core 2023/24":
		return CoreConvergence2023, nil
	case "core 2024/25":
		return CoreConvergence2024, nil
	case "core 2025/26":
		return CoreConvergence2025, nil
	case "pmc 2023/24":
		return PMCConvergence2023, nil
	case "pmc 2024/25":
		return PMCConvergence2024, nil
	case "pmc 2025/26":
		return PMCConvergence2025, nil
	case "specialised 2025/26":
		return SpecialisedConvergence2025, nil
	}
	return ConvergencePolicy{}, fmt.Errorf("no observed convergence policy for %s in %s: %w", s, round, ErrNoData)
}

// Converge applies one round of the allocation identity to one ICB:
// the distance from target before convergence, the adjustment, the
// recurrent allocation (baseline x (1 + growth) x (1 + convergence),
// rounded to the nearest £1k as NHS England rounds it) and the distance
// after, measured against the target grown by the same base growth.
func Converge(baseline, target Money, growth Rate, p ConvergencePolicy) (RoundResult, error) {
	if target.Sign() <= 0 {
		return RoundResult{}, fmt.Errorf("converging: target %s: %w: a target must be above zero", target, ErrRange)
	}
	if baseline.Sign() < 0 {
		return RoundResult{}, fmt.Errorf("converging: baseline %s: %w", baseline, ErrNegative)
	}
	gf := growth.Factor()
	dft := baseline.d.Sub(target.d).DivRound(target.d, WorkingScale)
	conv := p.Adjustment(dft)
	rec := baseline.d.Mul(gf).Mul(one.Add(conv)).Round(-3)
	grownTarget := target.d.Mul(gf).Round(WorkingScale)
	after := rec.DivRound(grownTarget, WorkingScale).Sub(one)
	return RoundResult{Baseline: baseline, Target: target, Growth: growth, DfTBefore: dft, Convergence: conv,
		Recurrent: Money{rec}, GrownTarget: Money{grownTarget}, DfTAfter: after}, nil
}

// RoundResult is one ICB's figures for one allocation round.
type RoundResult struct {
	Baseline    Money           // adjusted recurrent baseline (previous year)
	Target      Money           // fair-share target, previous year's basis
	Growth      Rate            // base growth
	DfTBefore   decimal.Decimal // (baseline - target) / target
	Convergence decimal.Decimal // the adjustment
	Recurrent   Money           // the recurrent allocation, to £1k
	GrownTarget Money           // target x (1 + growth): the allocation year's target
	DfTAfter    decimal.Decimal // recurrent / grown target - 1
}
