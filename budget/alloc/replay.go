package alloc

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

// ReplayRow is one ICB's recomputed allocation beside the published one.
type ReplayRow struct {
	ICB                dataset.ICB
	RoundResult                     // recomputed
	Published          budget.Money // the published recurrent allocation
	PublishedDfTAfter  decimal.Decimal
	PublishedConv      decimal.Decimal
	Difference         budget.Money    // recomputed - published
	RelativeDifference decimal.Decimal // difference / published
}

// Replay is a published allocation round recomputed from the previous
// year's adjusted baselines, the published targets and base growth, and a
// convergence policy.
type Replay struct {
	Stream dataset.Stream
	Round  budget.Year
	Policy ConvergencePolicy
	Rows   []ReplayRow // by ICB code
	// England: the sum of the ICBs. DfTBefore and DfTAfter are the sum of
	// baselines (allocations) against the sum of targets (grown targets).
	England ReplayRow
	// PublishedEnglandDfTAfter is the England distance after convergence
	// computed the same way from the published allocations.
	PublishedEnglandDfTAfter decimal.Decimal
}

// Measures of a replay's rows (Replay.TidyRows), beside MeasureRecurrent,
// MeasureConvergence and MeasureDistanceAfter.
const (
	MeasurePublishedRecurrent budget.Measure = "published_recurrent_allocation"
	MeasureDifference         budget.Measure = "difference" // recomputed - published
)

// TidyRows are the replay as tidy rows (scenario "replay-STREAM-ROUND"),
// each ICB's and then England's: the recomputed and published recurrent
// allocation, their difference, the convergence and the distance from
// target after it.
func (r Replay) TidyRows() []budget.Row {
	name := "replay-" + r.Stream.String() + "-" + r.Round.Label()
	var rows []budget.Row
	add := func(rr ReplayRow) {
		row := func(m budget.Measure, v decimal.Decimal, unit budget.Unit, status budget.Status) {
			rows = append(rows, budget.Row{Scenario: name, Period: r.Round.String(), Area: rr.ICB.Code, AreaName: rr.ICB.Name,
				Measure: m, Value: v, Unit: unit, Basis: basisFor(unit), Status: status})
		}
		row(MeasureRecurrent, rr.Recurrent.Decimal(), budget.UnitGBP, budget.Derived)
		row(MeasurePublishedRecurrent, rr.Published.Decimal(), budget.UnitGBP, budget.Published)
		row(MeasureDifference, rr.Difference.Decimal(), budget.UnitGBP, budget.Derived)
		row(MeasureConvergence, rr.Convergence, budget.UnitFraction, budget.Derived)
		row(MeasureDistanceAfter, rr.DfTAfter, budget.UnitFraction, budget.Derived)
	}
	for _, rr := range r.Rows {
		add(rr)
	}
	add(r.England)
	return rows
}

// MaxRelativeDifference is the largest |recomputed / published - 1| over the ICBs.
func (r Replay) MaxRelativeDifference() (ReplayRow, decimal.Decimal) {
	var worst ReplayRow
	max := decimal.Zero
	for _, row := range r.Rows {
		if d := row.RelativeDifference.Abs(); d.GreaterThan(max) || worst.ICB.Code == "" {
			max, worst = d, row
		}
	}
	return worst, max
}

// ReplayRound recomputes the published round of a stream for year round.
// It needs, for every ICB, the previous year's adjusted baseline, the
// round's target, growth and recurrent allocation; an ICB missing any of
// them is an error wrapping budget.ErrNoData.
func ReplayRound(a *dataset.Allocations, s dataset.Stream, round budget.Year, p ConvergencePolicy) (Replay, error) {
	if a == nil {
		return Replay{}, fmt.Errorf("replaying %s %s: %w: no allocations", s, round, budget.ErrNoData)
	}
	if err := p.Validate(); err != nil {
		return Replay{}, err
	}
	out := Replay{Stream: s, Round: round, Policy: p}
	var sumBase, sumTarget, sumRec, sumGrown, sumPub budget.Money
	for _, icb := range a.ICBs() {
		get := func(y budget.Year, m dataset.Measure) (dataset.Figure, error) {
			f, err := a.Lookup(y, icb.Code, s, m, "")
			if err != nil {
				return dataset.Figure{}, fmt.Errorf("replaying %s %s: %w", s, round, err)
			}
			return f, nil
		}
		base, err := get(round.Prev(), dataset.AdjustedBaseline)
		if err != nil {
			return Replay{}, err
		}
		target, err := get(round, dataset.Target)
		if err != nil {
			return Replay{}, err
		}
		g, err := get(round, dataset.Growth)
		if err != nil {
			return Replay{}, err
		}
		pub, err := get(round, dataset.Recurrent)
		if err != nil {
			return Replay{}, err
		}
		growth, err := budget.NewRate(g.Value)
		if err != nil {
			return Replay{}, err
		}
		rr, err := Converge(base.Money(), target.Money(), growth, p)
		if err != nil {
			return Replay{}, fmt.Errorf("replaying %s %s for %s: %w", s, round, icb.Code, err)
		}
		row := ReplayRow{ICB: icb, RoundResult: rr, Published: pub.Money(), Difference: rr.Recurrent.Sub(pub.Money())}
		if !pub.Value.IsZero() {
			row.RelativeDifference = row.Difference.Decimal().DivRound(pub.Value, budget.WorkingScale)
		}
		if f, err := a.Lookup(round, icb.Code, s, dataset.DfTAfter, ""); err == nil {
			row.PublishedDfTAfter = f.Value
		}
		if f, err := a.Lookup(round, icb.Code, s, dataset.Convergence, ""); err == nil {
			row.PublishedConv = f.Value
		}
		out.Rows = append(out.Rows, row)
		sumBase, sumTarget, sumRec = sumBase.Add(base.Money()), sumTarget.Add(target.Money()), sumRec.Add(rr.Recurrent)
		sumGrown, sumPub = sumGrown.Add(rr.GrownTarget), sumPub.Add(pub.Money())
	}
	e := ReplayRow{ICB: dataset.ICB{Code: "ENG", Name: "England"}, Published: sumPub, Difference: sumRec.Sub(sumPub)}
	e.Baseline, e.Target, e.Recurrent, e.GrownTarget = sumBase, sumTarget, sumRec, sumGrown
	e.DfTBefore = sumBase.Decimal().DivRound(sumTarget.Decimal(), budget.WorkingScale).Sub(one)
	e.DfTAfter = sumRec.Decimal().DivRound(sumGrown.Decimal(), budget.WorkingScale).Sub(one)
	e.RelativeDifference = e.Difference.Decimal().DivRound(sumPub.Decimal(), budget.WorkingScale)
	// England's growth and convergence: the ratios of the totals.
	e.Growth = budget.RateOf(sumGrown.Decimal().DivRound(sumTarget.Decimal(), budget.WorkingScale).Sub(one))
	e.Convergence = sumRec.Decimal().DivRound(sumBase.Decimal().Mul(e.Growth.Factor()), budget.WorkingScale).Sub(one)
	out.England = e
	out.PublishedEnglandDfTAfter = sumPub.Decimal().DivRound(sumGrown.Decimal(), budget.WorkingScale).Sub(one)
	return out, nil
}
