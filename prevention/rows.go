package prevention

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/dec"
)

// Measures of a prevention result, in the order rows are written.
const (
	MeasureBudget            budget.Measure = "budget"
	MeasureShare             budget.Measure = "prevention_share"
	MeasurePrevention        budget.Measure = "prevention_spend"
	MeasureCounterfactual    budget.Measure = "counterfactual_prevention_spend"
	MeasureShift             budget.Measure = "prevention_shift"
	MeasureTreatment         budget.Measure = "treatment_spend"
	MeasureGrant             budget.Measure = "public_health_grant"
	MeasureGrantLikeForLike  budget.Measure = "public_health_grant_like_for_like"
	MeasureGrantFromCouncils budget.Measure = "public_health_grant_from_councils"
	// MeasureGrantShareHeld flags an ICB's grant in a year a council file
	// does not have: its share of England's grant in the file's latest
	// earlier year, held (Values.GrantHeldFrom).
	MeasureGrantShareHeld budget.Measure = "public_health_grant_share_held"
	// MeasureGrantMixed flags an ICB's grant that adds its councils'
	// allocations and an apportioned part for those a partial file lacks.
	MeasureGrantMixed            budget.Measure = "public_health_grant_mixed"
	MeasureShiftToGrant          budget.Measure = "shift_to_grant_ratio"
	MeasureCombined              budget.Measure = "combined_prevention"
	MeasurePreventionPerHead     budget.Measure = "prevention_spend_per_head_registered"
	MeasurePreventionPerResident budget.Measure = "prevention_spend_per_head_resident"
	// MeasureShiftPerHead is a council's shift per GP-registered patient (CouncilView.Rows).
	MeasureShiftPerHead       budget.Measure = "prevention_shift_per_head_registered"
	MeasureGrantPerRegistered budget.Measure = "public_health_grant_per_head_registered"
	MeasureGrantPerResident   budget.Measure = "public_health_grant_per_head_resident"
	MeasureRestorationGap     budget.Measure = "grant_restoration_gap"
	MeasureGrantChange2015    budget.Measure = "grant_real_per_head_change_vs_2015_16"
	MeasureInvestmentStandard budget.Measure = "investment_standard_met"
	MeasurePreventionGrowth   budget.Measure = "prevention_growth"
	MeasureBudgetGrowth       budget.Measure = "budget_growth"
	// MeasureShareOfNHSERevenue is England's budget base over NHS England's
	// planned revenue spending (RDEL), where Inputs.NHSERevenue gives it.
	MeasureShareOfNHSERevenue budget.Measure = "icb_share_of_nhse_rdel"
	MeasureBenefit            budget.Measure = "benefit"
	MeasureNetBenefit         budget.Measure = "net_benefit"
)

// UnitFlag marks a yes/no measure: 1 for yes, 0 for no.
const UnitFlag budget.Unit = "flag"

// Rows returns the result as tidy rows (budget.Row, the layout of
// budget.RowColumns) for the given areas
// (nil: every ICB and England), year by year. Money measures come in cash
// and in real terms at the model's base-year prices; shares and ratios are
// the same on both bases and are given on both, so either basis is a
// complete table. Per-head measures name their population: GP-registered
// (ICBs and England) or ONS resident (England only). England's real-terms
// figures are the sums of the ICBs' (each rounded to the penny).
//
// Status: the budget base is published where every part is; spending split
// by share, apportioned grants, ratios and per-head figures are derived;
// anything in a projected year, or deflated with a forecast deflator year,
// is projected.
func (r *Result) Rows(scenario string, areas []string) ([]budget.Row, error) {
	if r == nil {
		return nil, fmt.Errorf("prevention result: %w: nil", ErrNoData)
	}
	want := map[string]bool{}
	for _, a := range areas {
		if _, err := r.areaIndex(a); err != nil {
			return nil, err
		}
		want[a] = true
	}
	m := r.Model
	realBasis := m.Deflator.Basis(m.RealBase).String()
	ny := r.years.Len()
	nareas := len(r.areas)
	if len(areas) > 0 {
		nareas = len(areas)
	}
	out := make([]budget.Row, 0, nareas*ny*40)          // about 40 rows an area-year
	reals := make([][nMoney]budget.Money, len(r.areas)) // a year's, reused
	eng := len(r.areas) - 1
	for yi, y := range r.years.Years() {
		period := y.String()
		idx, dstatus, err := r.deflate(y)
		if err != nil {
			return nil, err
		}
		idxD := dec.From(idx)
		real := func(x budget.Money) budget.Money {
			return budget.Money(dec.D(x).Mul(idxD).Round(2))
		}
		// Each ICB's real figures, once; England's are their sums. Benefits
		// are last, and only with Benefits.
		reals[eng] = [nMoney]budget.Money{}
		nm := nMoney
		if m.Benefits == nil {
			nm = iBenefit
		}
		for i := 0; i < eng; i++ {
			v := r.values[i*ny+yi].money()
			for k, x := range v[:nm] {
				reals[i][k] = real(x)
				reals[eng][k] = reals[eng][k].Add(reals[i][k])
			}
		}
		for i, area := range r.areas {
			if len(areas) > 0 && !want[area.Code] {
				continue
			}
			v := r.values[i*ny+yi]
			isEng := area.Code == "ENG"
			reals := reals[i]
			derived := v.Status.Worst(budget.Derived)
			grantStatus := v.GrantStatus
			add := func(measure budget.Measure, value decimal.Decimal, unit budget.Unit, basis string, st budget.Status) {
				out = append(out, budget.Row{Scenario: scenario, Period: period, Area: area.Code, AreaName: area.Name,
					Measure: measure, Value: value, Unit: unit, Basis: basis, Status: st})
			}
			// A real-terms figure is derived from the cash one, never itself
			// a published cell.
			both := func(measure budget.Measure, cash, rl budget.Money, st budget.Status) {
				add(measure, cash.Decimal(), budget.UnitGBP, budget.BasisCash, st)
				add(measure, rl.Decimal(), budget.UnitGBP, realBasis, st.Worst(budget.Derived).Worst(dstatus))
			}
			same := func(measure budget.Measure, value decimal.Decimal, unit budget.Unit, st budget.Status) {
				add(measure, value, unit, budget.BasisCash, st)
				add(measure, value, unit, realBasis, st.Worst(dstatus))
			}
			perHead := func(measure budget.Measure, cash, rl budget.Money, pop budget.Population, st budget.Status) {
				c, err1 := cash.PerHead(pop)
				rr, err2 := rl.PerHead(pop)
				if err1 != nil || err2 != nil {
					return // unreachable: Run refuses zero populations
				}
				add(measure, c.Decimal(), budget.UnitGBPPerHead, budget.BasisCash, st)
				add(measure, rr.Decimal(), budget.UnitGBPPerHead, realBasis, st.Worst(budget.Derived).Worst(dstatus))
			}
			both(MeasureBudget, v.Budget, reals[iBudget], v.Status)
			same(MeasureShare, v.Share.Decimal(), budget.UnitShare, derived)
			both(MeasurePrevention, v.Prevention, reals[iPrevention], derived)
			both(MeasureCounterfactual, v.Counterfactual, reals[iCounterfactual], derived)
			both(MeasureShift, v.Shift, reals[iShift], derived)
			both(MeasureTreatment, v.Treatment, reals[iTreatment], derived)
			both(MeasureGrant, v.Grant, reals[iGrant], grantStatus)
			if !isEng && r.councils {
				flag := decimal.Zero
				if v.GrantFromCouncils {
					flag = one
				}
				add(MeasureGrantFromCouncils, flag, UnitFlag, budget.BasisNone, grantStatus)
				add(MeasureGrantShareHeld, flagOf(!v.GrantHeldFrom.IsZero()), UnitFlag, budget.BasisNone, grantStatus)
				add(MeasureGrantMixed, flagOf(v.GrantMixed), UnitFlag, budget.BasisNone, grantStatus)
			}
			if ratio, err := v.Shift.Div(v.Grant); err == nil {
				same(MeasureShiftToGrant, ratio.Decimal(), budget.UnitRatio, derived.Worst(grantStatus))
			}
			if !m.Baseline.IncludesCouncil { // else prevention already counts council spending
				both(MeasureCombined, v.Prevention.Add(v.Grant), reals[iPrevention].Add(reals[iGrant]), derived.Worst(grantStatus))
			}
			popStatus := v.PopulationStatus.Worst(budget.Derived) // a figure over a population is derived, projected with it
			perHead(MeasurePreventionPerHead, v.Prevention, reals[iPrevention], v.Registered, derived.Worst(popStatus))
			perHead(MeasureGrantPerRegistered, v.Grant, reals[iGrant], v.Registered, grantStatus.Worst(popStatus))
			if isEng {
				// Per head on one denominator: England's prevention and grant
				// per ONS resident, beside the pair per registered patient.
				perHead(MeasurePreventionPerResident, v.Prevention, reals[iPrevention], v.Resident, derived.Worst(popStatus))
				perHead(MeasureGrantPerResident, v.Grant, reals[iGrant], v.Resident, grantStatus.Worst(popStatus))
				both(MeasureGrantLikeForLike, v.GrantLikeForLike, real(v.GrantLikeForLike), v.GrantLikeForLikeStatus)
				gap, change, err := r.restoration(y, v)
				if err != nil {
					return nil, err
				}
				both(MeasureRestorationGap, gap, real(gap), v.GrantLikeForLikeStatus.Worst(popStatus).Worst(dstatus))
				if rev, ok := r.revenue[y]; ok {
					same(MeasureShareOfNHSERevenue, v.Budget.Decimal().DivRound(rev.Decimal(), 6), budget.UnitShare, derived)
				}
				add(MeasureGrantChange2015, change, budget.UnitFraction, realBasis, grantStatus.Worst(budget.Derived).Worst(dstatus))
			}
			if met, ok := v.InvestmentStandard(); ok {
				flag := decimal.Zero
				if met {
					flag = one
				}
				pg, bg, _ := v.Growth()
				add(MeasurePreventionGrowth, pg, budget.UnitFraction, budget.BasisCash, derived)
				add(MeasureBudgetGrowth, bg, budget.UnitFraction, budget.BasisCash, derived)
				add(MeasureInvestmentStandard, flag, UnitFlag, budget.BasisCash, derived)
			}
			if m.Benefits != nil {
				both(MeasureBenefit, v.Benefit, reals[iBenefit], derived)
				both(MeasureNetBenefit, v.Benefit.Sub(v.Shift), reals[iBenefit].Sub(reals[iShift]), derived)
			}
			if m.QALYs != nil {
				gained, forgone, net, value, err := r.qalys(v, y)
				if err != nil {
					return nil, err
				}
				add(MeasureQALYsGained, gained.Round(2), budget.UnitQALY, budget.BasisNone, derived)
				add(MeasureQALYsForgone, forgone.Round(2), budget.UnitQALY, budget.BasisNone, derived)
				add(MeasureQALYsNet, net.Round(2), budget.UnitQALY, budget.BasisNone, derived)
				both(MeasureQALYValue, value, real(value), derived.Worst(dstatus))
			}
		}
	}
	return out, nil
}

// Positions of the amounts money returns.
const (
	iBudget = iota
	iPrevention
	iCounterfactual
	iShift
	iTreatment
	iGrant
	iBenefit
	nMoney
)

// money lists the amounts that are converted to real terms.
func (v Values) money() [nMoney]budget.Money {
	return [nMoney]budget.Money{v.Budget, v.Prevention, v.Counterfactual, v.Shift, v.Treatment, v.Grant, v.Benefit}
}

// deflate returns the factor that turns year y's cash into base-year
// prices, and the status of the deflator figures it uses.
func (r *Result) deflate(y budget.Year) (decimal.Decimal, budget.Status, error) {
	m := r.Model
	iy, sy, err := m.Deflator.Index(y)
	if err != nil {
		return decimal.Zero, 0, fmt.Errorf("real terms for %s: %w", y, err)
	}
	ib, sb, err := m.Deflator.Index(m.RealBase)
	if err != nil {
		return decimal.Zero, 0, fmt.Errorf("real terms at %s prices: %w", m.RealBase, err)
	}
	// 20 places: the factor multiplies budgets of billions of pounds, and
	// each figure is then rounded to the penny.
	return ib.DivRound(iy, 2*budget.WorkingScale), sy.Worst(sb), nil
}

// restoration returns, for England in year y, the gap between the grant
// and the grant that would restore its 2015/16 real-terms level per
// resident, in cash, and the grant's real per-head change on 2015/16.
func (r *Result) restoration(y budget.Year, v Values) (budget.Money, decimal.Decimal, error) {
	needed, err := r.restoredGrant(y, v.Resident)
	if err != nil {
		return budget.Money{}, decimal.Zero, err
	}
	gap := needed.Sub(v.GrantLikeForLike)
	change := v.GrantLikeForLike.Decimal().DivRound(needed.Decimal(), budget.WorkingScale).Sub(one)
	return gap, change, nil
}

// flagOf is 1 for true, 0 for false.
func flagOf(b bool) decimal.Decimal {
	if b {
		return one
	}
	return decimal.Zero
}
