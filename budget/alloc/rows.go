package alloc

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

// Measures of allocation rows (AllocationRows).
const (
	MeasureRecurrent               budget.Measure = "recurrent_allocation"                 // the recurrent allocation (core, or the stream's)
	MeasureAdditions               budget.Measure = "recurrent_additions"                  // additions to the recurrent allocation (published in year)
	MeasureNonRecurrent            budget.Measure = "non_recurrent_allocation"             // non-recurrent items, added
	MeasureTotal                   budget.Measure = "total_allocation"                     // recurrent, additions and non-recurrent
	MeasureTotalWithoutSpecialised budget.Measure = "total_allocation_without_specialised" // the total of several streams less specialised commissioning
	MeasurePerHead                 budget.Measure = "allocation_per_head"                  // the total per GP-registered patient
	MeasureGrowth                  budget.Measure = "recurrent_growth"                     // a stream's recurrent growth on the year before
	MeasureRecurrentPerHead        budget.Measure = "recurrent_allocation_per_head"        // a stream's recurrent allocation per registered patient
	MeasureTarget                  budget.Measure = "target"                               // a stream's target allocation, grown to the year
	MeasureDistanceBefore          budget.Measure = "distance_from_target_before"          // distance from target before convergence
	MeasureConvergence             budget.Measure = "convergence"                          // the convergence applied
	MeasureDistanceAfter           budget.Measure = "distance_from_target_after"           // distance from target after convergence
)

// AllocationRows are a projection's tidy rows for one stream (with the
// fair-share measures) or for several streams added together, for every
// area (each ICB, then England as ENG) and year in span, in cash:
//
//	recurrent_allocation        recurrent money; in a published year the recurrent allocation as
//	                            NHS England states it (Cell.StatedRecurrent), so that a published
//	                            row is the published cell
//	recurrent_additions         (a published year with any) recurrent money added outside the
//	                            stated recurrent allocation: the 2025/26 transfers from the
//	                            Service Development Fund into core, which the 2025/26 workbook
//	                            shows in their own column after the recurrent allocation
//	non_recurrent_allocation    non-recurrent items
//	total_allocation            both
//	allocation_per_head         total / GP-registered population
//	target                      the allocation year's fair-share target (one stream only)
//	distance_from_target_before (baseline - target) / target, before convergence (one stream only)
//	convergence                 the convergence adjustment (one stream only)
//	distance_from_target_after  allocation / target - 1 (one stream only)
//	total_allocation_without_specialised  (several streams) the total without delegated specialised services,
//	                            which enter ICB allocations in 2025/26
//
// A value the data does not have for a year (a 2022/23 target, a running
// cost allowance before 2023/24) has no row. Status: published only where
// the row is a published cell: an ICB's recurrent allocation as NHS England
// states it, a total or non-recurrent figure of one published cell, and
// England's figures of one stream (the workbooks' ENGLAND rows, with which
// they reconcile); a sum of several published cells (streams added
// together, several items, an allocation with its additions) is derived,
// as are ratios and per-head figures, and so are targets (the published target grown by
// base growth) and England's distances from target; an ICB's published
// distances and convergence are published; projected years are projected.
func (p *Projection) AllocationRows(scenario string, streams []dataset.Stream, span budget.Span, areas []string) ([]budget.Row, error) {
	if p == nil {
		return nil, fmt.Errorf("projection: %w: nil", budget.ErrNoData)
	}
	for _, a := range areas {
		if a == "ENG" {
			continue
		}
		if _, err := p.Cell(a, p.LastPublished(), dataset.Core); err != nil {
			return nil, fmt.Errorf("allocation rows: %w", err)
		}
	}
	for _, st := range streams {
		if !st.Valid() {
			return nil, fmt.Errorf("allocation rows: stream %d: %w", int(st), budget.ErrUnknown)
		}
	}
	var out []budget.Row
	single := len(streams) == 1
	emit := func(area dataset.ICB, y budget.Year, cells []Cell, pop dataset.PopulationFigure, popErr error) {
		var rec, add, non budget.Money
		lfl := budget.Money{}
		status := budget.Status(0)
		items, streamsWithMoney := 0, 0
		for k, c := range cells {
			if !c.Exists() {
				continue
			}
			stated := c.Recurrent()
			if c.Status == budget.Published {
				stated = c.StatedRecurrent(streams[k])
			}
			rec, add, non = rec.Add(stated), add.Add(c.Recurrent().Sub(stated)), non.Add(c.NonRecurrent())
			items += len(c.Items)
			streamsWithMoney++
			if streams[k] != dataset.Specialised {
				lfl = lfl.Add(c.Total())
			}
			status = status.Worst(c.Status)
		}
		if status == 0 {
			return
		}
		row := func(m budget.Measure, v decimal.Decimal, unit budget.Unit, st budget.Status) {
			out = append(out, budget.Row{Scenario: scenario, Period: y.String(), Area: area.Code, AreaName: area.Name,
				Measure: m, Value: v, Unit: unit, Basis: basisFor(unit), Status: st})
		}
		derived := status.Worst(budget.Derived)
		sumStatus := status.Summed()
		// A row marked published is a published cell: a sum of several
		// cells (streams added together, several items, the recurrent
		// allocation with its additions) is derived from them. England's
		// figures of one stream are the workbooks' ENGLAND rows.
		sum := func(parts int) budget.Status {
			if streamsWithMoney > 1 || parts == 0 || (parts > 1 && area.Code != "ENG") {
				return sumStatus
			}
			return status
		}
		totalParts := 1
		if !add.IsZero() {
			totalParts++
		}
		if items > 0 {
			totalParts++
		}
		row(MeasureRecurrent, rec.Decimal(), budget.UnitGBP, sum(1))
		if !add.IsZero() {
			row(MeasureAdditions, add.Decimal(), budget.UnitGBP, sumStatus)
		}
		row(MeasureNonRecurrent, non.Decimal(), budget.UnitGBP, sum(items))
		total := rec.Add(add).Add(non)
		row(MeasureTotal, total.Decimal(), budget.UnitGBP, sum(totalParts))
		if !single {
			row(MeasureTotalWithoutSpecialised, lfl.Decimal(), budget.UnitGBP, sumStatus)
		}
		if popErr == nil {
			if ph, err := total.PerHead(pop.Value); err == nil {
				row(MeasurePerHead, ph.Decimal(), budget.UnitGBPPerHead, derived.Worst(pop.Status))
			}
		}
		if single {
			if g, ok := cells[0].RecurrentGrowth(streams[0]); ok {
				row(MeasureGrowth, g, budget.UnitFraction, derived)
			}
			if popErr == nil {
				if ph, err := cells[0].StatedRecurrent(streams[0]).PerHead(pop.Value); err == nil {
					row(MeasureRecurrentPerHead, ph.Decimal(), budget.UnitGBPPerHead, derived.Worst(pop.Status))
				}
			}
		}
		if single && cells[0].HasTarget {
			c := cells[0]
			// An ICB's published distances and convergence are the workbook's
			// own figures; England's are computed from the sums.
			fractions := status
			if area.Code == "ENG" {
				fractions = derived
			}
			row(MeasureTarget, c.GrownTarget.Decimal(), budget.UnitGBP, derived)
			if !c.Baseline.IsZero() {
				row(MeasureDistanceBefore, c.DfTBefore, budget.UnitFraction, fractions)
				row(MeasureConvergence, c.Convergence, budget.UnitFraction, fractions)
			}
			row(MeasureDistanceAfter, c.DfTAfter, budget.UnitFraction, fractions)
		}
	}
	want := map[string]bool{}
	for _, a := range areas {
		want[a] = true
	}
	for _, y := range span.Years() {
		for _, icb := range p.icbs {
			if len(areas) > 0 && !want[icb.Code] {
				continue
			}
			cells := make([]Cell, len(streams))
			for k, s := range streams {
				c, err := p.Cell(icb.Code, y, s)
				if err != nil {
					return nil, err
				}
				cells[k] = c
			}
			pop, err := p.Population(icb.Code, y)
			emit(icb, y, cells, pop, err)
		}
		if len(areas) == 0 || want["ENG"] {
			cells := make([]Cell, len(streams))
			for k, s := range streams {
				c, err := p.England(y, s)
				if err != nil {
					return nil, err
				}
				cells[k] = c
			}
			pop, err := p.EnglandPopulation(y)
			emit(dataset.ICB{Code: "ENG", Name: "England"}, y, cells, pop, err)
		}
	}
	return out, nil
}

// basisFor is the basis label of an allocation figure in a unit:
// budget.BasisCash for money (GBP, GBP_per_head), none ("") for the shares,
// fractions and persons published beside it.
func basisFor(unit budget.Unit) string {
	if unit == budget.UnitGBP || unit == budget.UnitGBPPerHead {
		return budget.BasisCash
	}
	return ""
}
