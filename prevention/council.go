package prevention

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/dec"
)

// AttributionMethod says how a council's part of the NHS figures is made.
const AttributionMethod = "each ICB's figure times the council's share of the ICB's GP-registered patients " +
	"(by practice location: a practice's patients count where the practice is, not where they live), " +
	"summed over the ICBs its patients are in; an attribution, not an allocation to the council"

// CouncilGrantSource is how a council's grant in a year is set.
type CouncilGrantSource int

const (
	// CouncilFile: the council's own allocation, from the council file.
	CouncilFile CouncilGrantSource = iota + 1
	// CouncilHeld: the council's share of England's grant in the council
	// file's latest earlier year, held in a year the file does not have.
	CouncilHeld
	// CouncilApportioned: its share of each ICB's registered patients
	// times the ICB's grant: an estimate, not a published allocation.
	CouncilApportioned
)

// String is "council file", "held share" or "apportioned".
func (s CouncilGrantSource) String() string {
	switch s {
	case CouncilFile:
		return "council file"
	case CouncilHeld:
		return "held share"
	case CouncilApportioned:
		return "apportioned"
	}
	return fmt.Sprintf("CouncilGrantSource(%d)", int(s))
}

// CouncilValues are one council's figures in one year, in cash (pounds,
// to the penny): its part of its ICBs' NHS figures (AttributionMethod)
// and its public health grant.
type CouncilValues struct {
	Year           budget.Year
	Budget         budget.Money
	Prevention     budget.Money
	Counterfactual budget.Money
	Shift          budget.Money
	Treatment      budget.Money
	Status         budget.Status // of the NHS figures: derived, or projected
	// Registered is its part of its ICBs' GP-registered populations in
	// the year (the run's, projected after the latest figures), the
	// denominator of its figures per head, as its ICBs' are.
	Registered  budget.Population
	Grant       budget.Money
	GrantStatus budget.Status
	GrantSource CouncilGrantSource
	// GrantHeldFrom is the year whose share is held (CouncilHeld).
	GrantHeldFrom budget.Year
	// GrantShare is the grant's share of England's.
	GrantShare decimal.Decimal
}

// CouncilView is a run seen from one council: its grant beside the NHS
// prevention shift attributable to its patients, year by year.
type CouncilView struct {
	Council dataset.Council
	Values  []CouncilValues // by year of the run
	result  *Result
}

// Council returns the run seen from council c (from
// dataset.CouncilCrosswalk.Councils on the run's footprint). Its NHS
// figures are its part of its ICBs' (AttributionMethod). Its grant is, in
// each year: its allocation in the council file the run was given, where
// the file has it; else its share of England's grant in the file's latest
// earlier year, held; else its share of each ICB's registered patients
// times the ICB's grant, an estimate (status derived, labelled as
// apportioned). An ICB of c that is not one of the run's is an error
// wrapping ErrUnknown (a council of another footprint).
func (r *Result) Council(c dataset.Council) (*CouncilView, error) {
	if r == nil {
		return nil, fmt.Errorf("prevention result: %w: nil", ErrNoData)
	}
	if c.Code == "" {
		return nil, fmt.Errorf("council: %w: no code (find one with dataset.CouncilCrosswalk.FindCouncil)", ErrNoData)
	}
	if len(c.Parts) == 0 {
		return nil, fmt.Errorf("council %s %s: %w: it has no ICB parts", c.Code, c.Name, ErrNoData)
	}
	idx := make([]int, len(c.Parts))
	for k, p := range c.Parts {
		i, err := r.areaIndex(p.ICB)
		if err == nil && i == len(r.areas)-1 {
			err = fmt.Errorf("part %d: %w: England is not an ICB a council is part of", k+1, ErrRange)
		}
		if err == nil && (p.OfICB.Sign() < 0 || p.OfICB.GreaterThan(decimal.NewFromInt(1))) {
			err = fmt.Errorf("part %d (%s): its share of the ICB's patients, %s, %w: want 0 to 1", k+1, p.ICB, p.OfICB, ErrRange)
		}
		if err != nil {
			return nil, fmt.Errorf("council %s %s (footprint %s): %w", c.Code, c.Name, c.Footprint, err)
		}
		idx[k] = i
	}
	ny := r.years.Len()
	eng := len(r.areas) - 1
	view := &CouncilView{Council: c, result: r, Values: make([]CouncilValues, ny)}
	file := r.councilGrant
	for yi, y := range r.years.Years() {
		cv := CouncilValues{Year: y, Status: budget.Derived}
		var grant decimal.Decimal
		var grantStatus budget.Status = budget.Derived
		attr := func(get func(Values) budget.Money) budget.Money {
			t := decimal.Zero
			for k, p := range c.Parts {
				t = t.Add(get(r.values[idx[k]*ny+yi]).Decimal().Mul(p.OfICB))
			}
			return budget.MoneyFromDecimal(t).Round(2)
		}
		for k, p := range c.Parts {
			v := r.values[idx[k]*ny+yi]
			cv.Status = cv.Status.Worst(v.Status)
			grant = grant.Add(v.Grant.Decimal().Mul(p.OfICB))
			grantStatus = grantStatus.Worst(v.GrantStatus)
		}
		reg := decimal.Zero
		for k, p := range c.Parts {
			reg = reg.Add(r.values[idx[k]*ny+yi].Registered.Decimal().Mul(p.OfICB))
		}
		var err error
		if cv.Registered, err = budget.ParsePopulation(reg.Round(1).String()); err != nil {
			return nil, err
		}
		cv.Budget = attr(func(v Values) budget.Money { return v.Budget })
		cv.Prevention = attr(func(v Values) budget.Money { return v.Prevention })
		cv.Counterfactual = attr(func(v Values) budget.Money { return v.Counterfactual })
		cv.Shift = cv.Prevention.Sub(cv.Counterfactual)
		cv.Treatment = cv.Budget.Sub(cv.Prevention)
		england := r.values[eng*ny+yi].Grant
		switch amount, held, ok := r.councilAmount(file, c.Code, y); {
		case ok && held.IsZero():
			cv.Grant, cv.GrantSource, cv.GrantStatus = amount, CouncilFile, budget.Published
			if file.unchecked {
				cv.GrantStatus = budget.Assumed
			}
		case ok:
			hi := held.Sub(r.years.First())
			then := r.values[eng*ny+hi].Grant
			if then.Sign() <= 0 {
				return nil, fmt.Errorf("council %s: %w: England's grant in %s is zero, so its share cannot be held", c.Code, ErrZero, held)
			}
			cv.Grant = budget.Money(dec.D(england).Mul(dec.D(amount)).DivRound(dec.D(then), budget.WorkingScale)).Round(2)
			cv.GrantSource, cv.GrantHeldFrom, cv.GrantStatus = CouncilHeld, held, r.GrantYears[yi].Status.Worst(budget.Derived)
		default:
			cv.Grant, cv.GrantSource, cv.GrantStatus = budget.MoneyFromDecimal(grant).Round(2), CouncilApportioned, grantStatus.Worst(budget.Derived)
		}
		if england.Sign() > 0 {
			cv.GrantShare = cv.Grant.Decimal().DivRound(england.Decimal(), 8)
		}
		view.Values[yi] = cv
	}
	return view, nil
}

// councilAmount is a council's grant from the council file in year y: its
// own allocation (held zero), or, where the file lacks y, its allocation
// in the file's latest earlier year of the run (held that year). ok is
// false where neither is there.
func (r *Result) councilAmount(file *CouncilGrant, code string, y budget.Year) (amount budget.Money, held budget.Year, ok bool) {
	if file == nil || file.byCouncil == nil {
		return budget.Money{}, budget.Year{}, false
	}
	if v, has := file.byCouncil[code][y]; has {
		return v, budget.Year{}, true
	}
	if file.Covers(y) {
		return budget.Money{}, budget.Year{}, false // the file has the year, not the council: a subset
	}
	for h := y.Add(-1); r.years.Contains(h); h = h.Add(-1) {
		if file.Covers(h) {
			v, has := file.byCouncil[code][h]
			return v, h, has
		}
	}
	return budget.Money{}, budget.Year{}, false
}

// GrantMethod says how the council's grant in year y was set, for people.
func (v *CouncilView) GrantMethod(y budget.Year) string {
	for _, cv := range v.Values {
		if cv.Year != y {
			continue
		}
		switch cv.GrantSource {
		case CouncilFile:
			if cv.GrantStatus == budget.Assumed {
				return "its allocation as given in the council file, unreconciled (a what-if)"
			}
			return "its allocation as given in the council file"
		case CouncilHeld:
			return fmt.Sprintf("its share of England's grant in %s (from the council file), held: the file does not have %s", cv.GrantHeldFrom, y)
		}
		return "apportioned: its share of each ICB's GP-registered patients times the ICB's grant (not a published allocation; give a council file for its own)"
	}
	return ""
}

// Years is the span of the run.
func (v *CouncilView) Years() budget.Span { return v.result.years }

// Rows returns the council's figures as tidy rows, as Result.Rows does an
// ICB's, area the council's code: money in cash and in real terms at the
// run's base-year prices, the shift to grant ratio, per registered patient
// (its part of its ICBs' populations, as theirs), and flags saying how the grant was set each
// year (public_health_grant_from_councils, public_health_grant_share_held).
// Every NHS figure is derived (AttributionMethod), projected in a
// projected year.
func (v *CouncilView) Rows(scenario string) ([]budget.Row, error) {
	if v == nil || v.result == nil {
		return nil, fmt.Errorf("council view: %w: nil", ErrNoData)
	}
	r := v.result
	realBasis := r.Model.Deflator.Basis(r.Model.RealBase).String()
	c := v.Council
	var out []budget.Row
	for _, cv := range v.Values {
		idx, dstatus, err := r.deflate(cv.Year)
		if err != nil {
			return nil, err
		}
		real := func(x budget.Money) budget.Money { return budget.MoneyFromDecimal(x.Decimal().Mul(idx)).Round(2) }
		add := func(measure budget.Measure, value decimal.Decimal, unit budget.Unit, basis string, st budget.Status) {
			out = append(out, budget.Row{Scenario: scenario, Period: cv.Year.String(), Area: c.Code, AreaName: c.Name,
				Measure: measure, Value: value, Unit: unit, Basis: basis, Status: st})
		}
		both := func(measure budget.Measure, cash budget.Money, st budget.Status) {
			add(measure, cash.Decimal(), budget.UnitGBP, budget.BasisCash, st)
			add(measure, real(cash).Decimal(), budget.UnitGBP, realBasis, st.Worst(budget.Derived).Worst(dstatus))
		}
		same := func(measure budget.Measure, value decimal.Decimal, unit budget.Unit, st budget.Status) {
			add(measure, value, unit, budget.BasisCash, st)
			add(measure, value, unit, realBasis, st.Worst(dstatus))
		}
		perHead := func(measure budget.Measure, cash budget.Money, st budget.Status) {
			ch, err1 := cash.PerHead(cv.Registered)
			rh, err2 := real(cash).PerHead(cv.Registered)
			if err1 != nil || err2 != nil {
				return // a council with no registered patients has no figure per head
			}
			add(measure, ch.Decimal(), budget.UnitGBPPerHead, budget.BasisCash, st)
			add(measure, rh.Decimal(), budget.UnitGBPPerHead, realBasis, st.Worst(budget.Derived).Worst(dstatus))
		}
		st := cv.Status.Worst(budget.Derived)
		both(MeasureBudget, cv.Budget, st)
		if cv.Budget.Sign() > 0 {
			same(MeasureShare, cv.Prevention.Decimal().DivRound(cv.Budget.Decimal(), 6), budget.UnitShare, st)
		}
		both(MeasurePrevention, cv.Prevention, st)
		both(MeasureCounterfactual, cv.Counterfactual, st)
		both(MeasureShift, cv.Shift, st)
		both(MeasureTreatment, cv.Treatment, st)
		both(MeasureGrant, cv.Grant, cv.GrantStatus)
		add(MeasureGrantFromCouncils, flagOf(cv.GrantSource == CouncilFile), UnitFlag, budget.BasisNone, cv.GrantStatus)
		add(MeasureGrantShareHeld, flagOf(cv.GrantSource == CouncilHeld), UnitFlag, budget.BasisNone, cv.GrantStatus)
		if ratio, err := cv.Shift.Div(cv.Grant); err == nil {
			same(MeasureShiftToGrant, ratio.Decimal(), budget.UnitRatio, st.Worst(cv.GrantStatus))
		}
		if !r.Model.Baseline.IncludesCouncil {
			both(MeasureCombined, cv.Prevention.Add(cv.Grant), st.Worst(cv.GrantStatus))
		}
		if r.Model.QALYs != nil {
			gained, forgone, net, value, err := r.qalys(Values{Shift: cv.Shift}, cv.Year)
			if err != nil {
				return nil, err
			}
			add(MeasureQALYsGained, gained.Round(2), budget.UnitQALY, budget.BasisNone, st)
			add(MeasureQALYsForgone, forgone.Round(2), budget.UnitQALY, budget.BasisNone, st)
			add(MeasureQALYsNet, net.Round(2), budget.UnitQALY, budget.BasisNone, st)
			both(MeasureQALYValue, value, st.Worst(dstatus))
		}
		perHead(MeasurePreventionPerHead, cv.Prevention, st)
		perHead(MeasureShiftPerHead, cv.Shift, st)
		perHead(MeasureGrantPerRegistered, cv.Grant, cv.GrantStatus.Worst(budget.Derived))
	}
	return out, nil
}

// Attribute returns the council's part of any per-ICB money rows (unit
// GBP) among rows, such as the settlement range's prevention_shift_low and
// prevention_shift_high: for each period, measure and basis, the sum over
// the council's ICBs of the row times the council's share of the ICB's
// patients (AttributionMethod), rounded to the penny, status derived or
// weaker. Rows of other areas, units or measures are left out; a
// measure-period-basis missing for one of its ICBs is left out whole.
func (v *CouncilView) Attribute(rows []budget.Row, measures ...budget.Measure) []budget.Row {
	c := v.Council
	want := map[budget.Measure]bool{}
	for _, m := range measures {
		want[m] = true
	}
	of := map[string]decimal.Decimal{}
	for _, p := range c.Parts {
		of[p.ICB] = p.OfICB
	}
	type key struct {
		period  string
		measure budget.Measure
		basis   string
	}
	sums := map[key]*budget.Row{}
	seen := map[key]int{}
	var order []key
	for _, row := range rows {
		share, ok := of[row.Area]
		if !ok || !want[row.Measure] || row.Unit != budget.UnitGBP {
			continue
		}
		k := key{row.Period, row.Measure, row.Basis}
		s, ok := sums[k]
		if !ok {
			s = &budget.Row{Scenario: row.Scenario, Period: row.Period, Area: c.Code, AreaName: c.Name, Measure: row.Measure,
				Unit: row.Unit, Basis: row.Basis, Status: budget.Derived}
			sums[k] = s
			order = append(order, k)
		}
		s.Value = s.Value.Add(row.Value.Mul(share))
		s.Status = s.Status.Worst(row.Status)
		seen[k]++
	}
	var out []budget.Row
	for _, k := range order {
		if seen[k] != len(c.Parts) {
			continue
		}
		s := *sums[k]
		s.Value = s.Value.Round(2)
		out = append(out, s)
	}
	return out
}
