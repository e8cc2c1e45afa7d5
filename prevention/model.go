package prevention

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/dec"
	"github.com/upstream-health/upstream/internal/rule"
)

// Model is every assumption of a prevention-shift calculation. Fields left
// at their zero value are errors from Validate, except where a default is
// documented (Grant2015 nil: derived from the data; Benefits nil: none).
// DefaultModel fills them all.
type Model struct {
	Base     Base          `json:"base"`
	Baseline BaselineShare `json:"baseline"`
	Shift    Shift         `json:"shift"`
	Funding  Funding       `json:"funding"`
	Grant    GrantRule     `json:"grant"`
	// Grant2015 replaces the derived 2015/16 grant baseline (cash).
	Grant2015 *budget.Money `json:"grant_2015_16,omitempty"`
	// Deflator converts cash to real terms, and holds the grant flat in
	// real terms; RealBase is the price base year (2024/25).
	Deflator budget.Deflator `json:"-"`
	RealBase budget.Year     `json:"real_base"`
	// Benefits are optional returns on the shift.
	Benefits *Benefits `json:"benefits,omitempty"`
	// QALYs, if set, values the shift in health (see QALYs).
	QALYs *QALYs `json:"qalys,omitempty"`
	// Years are the years reported (2023/24-2028/29 by default).
	Years budget.Span `json:"years"`
}

// DefaultModel is the Hewitt recommendation read as +1 percentage point
// over 2024/25-2028/29 from a 2023/24 base, linear; a 5% baseline share
// (King's Fund); programme streams; within the envelope; the grant held
// flat in real terms after 2025/26; real terms at 2024/25 prices on the
// GDP deflator (OBR November 2025, extended at 2.0% a year past 2030/31);
// no benefits; years 2023/24-2028/29. The baseline share, deflator vintage,
// its extension and the price base year come from d.Parameters.
func DefaultModel(d *dataset.Data) (Model, error) {
	if d == nil {
		return Model{}, fmt.Errorf("default model: %w: a nil data set (use dataset.Embedded or dataset.ReadData)", budget.ErrNoData)
	}
	p := d.Parameters
	vintage, err1 := p.Name("settlement.sr2025.deflator")
	ext, err2 := p.LongRunExtension()
	realBase, err3 := p.Year(alloc.ParamRealBaseYear)
	baseline, err4 := DefaultBaselineShare(p)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return Model{}, err
	}
	defl, err := d.Deflators.Get("gdp", vintage)
	if err != nil {
		return Model{}, err
	}
	return Model{
		Base:     ProgrammeBase(),
		Baseline: baseline,
		Shift:    Hewitt(),
		Funding:  WithinEnvelope,
		Grant:    GrantRule{Kind: FlatReal},
		Deflator: defl.WithExtension(ext),
		RealBase: realBase,
		Years:    budget.MustSpan("2023/24", "2028/29"),
	}, nil
}

// Validate reports every problem with the model at once.
func (m Model) Validate() error {
	errs := []error{m.Base.Validate(), m.Baseline.Validate(), m.Shift.Validate(), m.Grant.Validate()}
	if m.Funding != WithinEnvelope && m.Funding != Additional {
		errs = append(errs, fmt.Errorf("funding: %w: want envelope or additional", ErrRange))
	}
	if m.Deflator.Name() == "" {
		errs = append(errs, fmt.Errorf("deflator: %w: not set", ErrRange))
	}
	if m.RealBase.IsZero() {
		errs = append(errs, fmt.Errorf("real_base: %w: not set", ErrRange))
	}
	if m.Years.IsZero() {
		errs = append(errs, fmt.Errorf("years: %w: not set", ErrRange))
	}
	if m.Grant2015 != nil && m.Grant2015.Sign() <= 0 {
		errs = append(errs, fmt.Errorf("grant_2015_16 %s: %w: must be above zero", m.Grant2015, ErrRange))
	}
	if m.Benefits != nil {
		errs = append(errs, m.Benefits.Validate())
	}
	if m.QALYs != nil {
		errs = append(errs, m.QALYs.Validate())
	}
	return errors.Join(errs...)
}

// Inputs are the data a model runs on.
type Inputs struct {
	// Allocations by ICB and year, covering the model's years and the year
	// before the first (for the investment standard).
	Projection *alloc.Projection
	// Grant is the public health grant's published figures.
	Grant dataset.Grant
	// Populations holds England's resident population (for the grant per head).
	Populations dataset.Populations
	// Councils, if set, apportions the grant to ICBs from a user's
	// per-council allocations in the years it covers; otherwise the grant
	// is apportioned by registered-population share.
	Councils *CouncilGrant
	// NHSERevenue, if set, is NHS England's planned revenue spending (RDEL)
	// by year, whose share the budget base is (England's
	// icb_share_of_nhse_rdel rows; see dataset.Parameters.NHSERevenue).
	NHSERevenue map[budget.Year]budget.Money
	// ICBGrantShares are ICBs whose grant is published as a part of
	// England's (PublishedICBGrantShares: NHS Greater Manchester ICB),
	// kept where the grant is otherwise split by registered population.
	ICBGrantShares []ICBGrantShare
	// Splits, if set, shares the grant's splits by registered population
	// with other runs that use it (see GrantSplits); the figures are the
	// same either way.
	Splits *GrantSplits
}

// Values are one area's figures in one year, in cash (pounds, to the penny).
type Values struct {
	Budget         budget.Money // the budget base (plus the shift, with additional funding)
	Prevention     budget.Money // budget x share
	Counterfactual budget.Money // budget x baseline share s0
	Shift          budget.Money // prevention - counterfactual
	Treatment      budget.Money // budget - prevention
	Share          budget.Share // the target prevention share of the year (England: the ICBs' combined share)
	Grant          budget.Money // public health grant as councils get it (consolidated from 2026/27; apportioned, for ICBs)
	// GrantLikeForLike is England's grant on one scope from 2016/17 (see
	// GrantYear.LikeForLike); zero for an ICB.
	GrantLikeForLike       budget.Money
	GrantLikeForLikeStatus budget.Status
	// GrantFromCouncils says an ICB's grant is its councils' allocations
	// mapped to it, not a share of England's by registered population.
	GrantFromCouncils bool
	// GrantPublishedShare says an ICB's grant is its published share of
	// England's (Inputs.ICBGrantShares), not an apportionment.
	GrantPublishedShare bool
	// GrantMixed says an ICB's grant adds its councils' allocations and,
	// for the councils a partial file lacks, their share of the rest of
	// England's grant by registered population (CouncilOptions.Partial).
	GrantMixed bool
	// GrantHeldFrom, if not zero, is the year of the council file whose
	// ICB shares of England's grant are held in this later year, which
	// the file does not have.
	GrantHeldFrom budget.Year
	Registered    budget.Population
	Resident      budget.Population // ONS resident population (England only)
	// PopulationStatus is the weakest status of the populations: projected
	// in a year after the latest estimate.
	PopulationStatus budget.Status
	Benefit          budget.Money // gross return of past shifts arriving this year (with Benefits)
	Status           budget.Status
	GrantStatus      budget.Status
	prevBudget       budget.Money // last year's budget on this year's scope, for growth and the investment standard
	prevPrevention   budget.Money // last year's prevention on this year's scope
	hasPrev          bool
	parts            int // how many penny-rounded preventions the figure adds (1 for an ICB)
}

// Result is a model run: values for each ICB and England by year.
type Result struct {
	Model        Model
	Grant2015    Grant2015
	GrantYears   []GrantYear
	councils     bool          // the user's council allocations were given
	councilGrant *CouncilGrant // the user's council allocations, if given
	// councilNotes are what a council file did in some years, said once
	// with the years (note).
	councilNotes []string
	noteYears    map[string][]budget.Year
	areas        []dataset.ICB // ICBs by code, then England
	years        budget.Span
	values       []Values // [area][year]
	// GrantApportionment names how the grant was split to ICBs.
	GrantApportionment string
	pop2015            budget.Population // England's 2015/16 resident population
	revenue            map[budget.Year]budget.Money
	shares             []ICBGrantShare
}

// Run computes the model. Each ICB's budget base is rounded to the penny;
// prevention and counterfactual spending are the budget times the share,
// rounded to the penny (halves away from zero), and the shift and
// treatment spending are differences, so prevention + treatment = budget
// exactly. England is the sum of the ICBs in every measure, so rounding
// residuals (at most half a penny an ICB) stay with the ICBs.
func Run(in Inputs, m Model) (*Result, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	// The baseline shares at the working scale, as every share of the run
	// is: a share given to more places would leave the shift before the
	// span at b x (share - s0), pennies, not zero.
	m.Baseline = m.Baseline.atWorkingScale()
	p := in.Projection
	if p == nil {
		return nil, fmt.Errorf("running the prevention model: %w: no allocations", ErrNoData)
	}
	if !p.Span().Contains(m.Years.First()) || !p.Span().Contains(m.Years.Last()) {
		return nil, fmt.Errorf("running the prevention model for %s: the allocations cover %s: %w", m.Years, p.Span(), ErrNoData)
	}
	var unknown []string
	for code := range m.Baseline.PerICB {
		if _, err := p.Cell(code, p.LastPublished(), dataset.Core); err != nil {
			unknown = append(unknown, code)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("baseline share per ICB: %w: %s not in the allocations (ODS codes in capitals, such as QE1)", budget.ErrUnknown, strings.Join(unknown, ", "))
	}
	r := &Result{Model: m, years: m.Years, areas: append(p.ICBs(), dataset.ICB{Code: "ENG", Name: "England"}), revenue: map[budget.Year]budget.Money{}}
	codes := make([]string, 0, len(r.areas))
	for _, a := range r.areas[:len(r.areas)-1] {
		codes = append(codes, a.Code)
	}
	if err := checkShares(codes, in.ICBGrantShares); err != nil {
		return nil, err
	}
	r.shares = append([]ICBGrantShare(nil), in.ICBGrantShares...)
	for y, rev := range in.NHSERevenue {
		if rev.Sign() <= 0 {
			return nil, fmt.Errorf("NHS England's revenue in %s is %s: %w: it must be above zero", y, rev, ErrRange)
		}
		r.revenue[y] = rev
	}
	var err error
	if m.Grant2015 != nil {
		r.Grant2015 = Grant2015{Amount: *m.Grant2015, Status: budget.Published, Derivation: "given by the user"}
	} else if r.Grant2015, err = DeriveGrant2015(in.Grant); err != nil {
		return nil, err
	}
	if r.GrantYears, err = GrantSeries(in.Grant, m.Grant, m.Deflator, m.Years); err != nil {
		return nil, err
	}
	pop15, err := in.Populations.Get(budget.MustYear("2015/16"), "ENG", dataset.Resident)
	if err != nil {
		return nil, fmt.Errorf("the 2015/16 grant per head needs England's resident population: %w", err)
	}
	r.pop2015 = pop15.Value
	if m.Grant.Kind == Restore2015 {
		if err := r.restoreGrant(in); err != nil {
			return nil, err
		}
	}
	n, ny := len(r.areas)-1, m.Years.Len()
	r.values = make([]Values, len(r.areas)*ny)
	// The share of each year for ICBs on the national baseline share.
	national := make([]budget.Share, ny+1) // index 0 is the year before the first
	for k := range national {
		if national[k], err = m.Shift.ShareIn(m.Years.First().Add(k-1), m.Baseline.Share); err != nil {
			return nil, err
		}
	}
	sums, err := p.SumsOf(m.Base.Streams)
	if err != nil {
		return nil, err
	}
	for i, icb := range r.areas[:n] {
		if err := r.icb(p, sums, i, icb.Code, national); err != nil {
			return nil, err
		}
	}
	if c := in.Councils; c != nil && !slices.ContainsFunc(c.Years(), m.Years.Contains) {
		return nil, fmt.Errorf("%s: %w: its years (%s) are none of the model's, %s: give a year the model reports", c.file, ErrNoData, joinYears(c.Years()), m.Years)
	}
	for yi, y := range m.Years.Years() {
		pops := make([]budget.Population, n)
		for i := range pops {
			pops[i] = r.values[i*ny+yi].Registered
		}
		if err := r.grantToICBs(in, yi, y, pops); err != nil {
			return nil, err
		}
		e, err := r.england(in, yi, y)
		if err != nil {
			return nil, err
		}
		r.values[n*ny+yi] = e
	}
	// Say in which years the ICBs' grant comes from the council file, in
	// which its shares are held, and in which it is apportioned.
	if c := in.Councils; c != nil {
		var from, before []budget.Year
		held := map[budget.Year][]budget.Year{}
		var heldFrom []budget.Year
		for _, y := range m.Years.Years() {
			switch h, ok := r.heldFrom(c, y); {
			case c.Covers(y):
				from = append(from, y)
			case ok:
				if len(held[h]) == 0 {
					heldFrom = append(heldFrom, h)
				}
				held[h] = append(held[h], y)
			default:
				before = append(before, y)
			}
		}
		if len(heldFrom)+len(before) > 0 {
			text := fmt.Sprintf("%s in %s", r.GrantApportionment, joinYears(from))
			for _, h := range heldFrom {
				text += fmt.Sprintf("; in %s, which the file does not have, each ICB's share of England's grant in %s held", joinYears(held[h]), h)
			}
			if len(before) > 0 {
				text += fmt.Sprintf("; in %s, before the file's first year, %s", joinYears(before), r.populationMethod())
			}
			r.GrantApportionment = text
		}
	}
	for _, text := range r.councilNotes {
		r.GrantApportionment += fmt.Sprintf("; in %s, %s", joinYears(r.noteYears[text]), text)
	}
	if m.Benefits != nil {
		r.applyBenefits()
	}
	// NHS England's revenue holds the ICBs' allocations (about 70% of it):
	// a revenue below them, or more than ten times them, is in the wrong
	// unit (£bn, or £k, for pounds) or the wrong figure. Against a named
	// base's budget (most of the allocations); against every stream's
	// allocations for a base of one's own, which may be one small stream.
	eng := len(r.areas) - 1
	for yi, y := range r.years.Years() {
		rev, ok := r.revenue[y]
		if !ok {
			continue
		}
		ref, what := r.values[eng*ny+yi].Budget, "England's budget base"
		if !m.Base.Named() {
			ref, what = budget.Money{}, "England's ICB allocations"
			for _, icb := range p.ICBs() {
				if t, _, has, err := p.Total(icb.Code, y, dataset.Streams()); err == nil && has {
					ref = ref.Add(t)
				}
			}
			if ref.Sign() <= 0 {
				continue
			}
		}
		if rev.Decimal().LessThan(ref.Decimal()) || rev.Decimal().GreaterThan(ref.Decimal().Mul(decimal.NewFromInt(10))) {
			f := budget.Formatter{Scale: budget.ScaleMillions}
			return nil, fmt.Errorf("NHS England's revenue in %s, %s, against %s of %s: %w: it holds the ICBs' allocations, about 70%% of it; give it in pounds, as NHS England's whole revenue spending",
				y, f.Format(rev), what, f.Format(ref), ErrRange)
		}
	}
	return r, nil
}

// icb fills ICB i's values for every year (i is its place in the
// projection's ICBs, as in r.areas). national holds the share path
// for the national baseline share, from the year before the first.
func (r *Result) icb(p *alloc.Projection, sums alloc.Sums, i int, code string, national []budget.Share) error {
	m := r.Model
	ny := r.years.Len()
	s0 := m.Baseline.For(code)
	_, own := m.Baseline.PerICB[code]
	// Each year's figures are made in place (a Values is some 500 bytes):
	// the year before the first in before, the others in r.values.
	var before Values
	prev := &before // last year's figures, for the investment standard
	// Money moving into the budget base next year, not held this year
	// (alloc.Cell.Moved), and it at that year's share to the penny: last
	// year's, added to last year's figures to put them on this year's scope.
	var moved, movedPrevention budget.Money
	for k := 0; k <= ny; k++ {
		y := r.years.First().Add(k - 1)
		b, status, ok, err := sums.Total(i, y)
		if err != nil && k > 0 {
			return err
		}
		if err != nil || !ok {
			if k == 0 {
				continue // no year before the first: no investment-standard check in the first year
			}
			return fmt.Errorf("%s has no %s allocations in %s: %w", code, m.Base.Name, y, ErrNoData)
		}
		share := national[k]
		if own {
			if share, err = m.Shift.ShareIn(y, s0); err != nil {
				return fmt.Errorf("%s: %w", code, err)
			}
		}
		b = b.Round(2)
		v := &before
		if k > 0 {
			v = &r.values[i*ny+k-1]
		}
		*v = Values{Share: share, Status: status}
		mv, err := sums.Moved(i, y)
		if err != nil {
			return err
		}
		prevMoved, prevMovedPrevention := moved, movedPrevention
		moved, movedPrevention = budget.Money{}, budget.Money{}
		if !mv.IsZero() { // only the year before money moved into the base
			moved = mv.Round(2)
			movedPrevention = pennyShare(moved, share)
		}
		v.Prevention = pennyShare(b, share)
		v.Counterfactual = pennyShare(b, s0)
		bud, shift, treat := rule.Split(dec.D(b), dec.D(v.Prevention), dec.D(v.Counterfactual), m.Funding == Additional)
		v.Budget, v.Shift, v.Treatment = budget.Money(bud), budget.Money(shift), budget.Money(treat)
		if k > 0 {
			pop, err := p.Population(code, y)
			if err != nil {
				return err
			}
			if pop.Value.IsZero() {
				return fmt.Errorf("%s's registered population in %s is zero: per-head figures and the grant's split by population need it: %w", code, y, ErrZero)
			}
			v.Registered, v.PopulationStatus = pop.Value, pop.Status
			if prev.Status != 0 {
				// Last year on this year's scope: with money moved into
				// the base this year added (held scope), so that growth
				// is like for like.
				v.prevBudget, v.prevPrevention, v.hasPrev = prev.Budget.Add(prevMoved), prev.Prevention.Add(prevMovedPrevention), true
				v.parts = 1
			}
		}
		prev = v
	}
	return nil
}

// grantToICBs splits the year's England grant over the ICBs.
func (r *Result) grantToICBs(in Inputs, yi int, y budget.Year, pops []budget.Population) error {
	ny := r.years.Len()
	gy := r.GrantYears[yi]
	n := len(pops)
	if in.Councils != nil {
		r.councils, r.councilGrant = true, in.Councils
		if held, ok := r.heldFrom(in.Councils, y); ok {
			return r.holdCouncilShares(yi, held)
		}
	}
	if in.Councils != nil && in.Councils.Covers(y) && in.Councils.partial {
		return r.grantFromPartialCouncils(in, yi, y, pops)
	}
	if in.Councils != nil && in.Councils.Covers(y) && in.Councils.subset {
		return r.grantFromSomeCouncils(in, yi, y, pops)
	}
	if in.Councils != nil && in.Councils.Covers(y) {
		r.GrantApportionment = councilsMapped
		if in.Councils.unchecked {
			r.GrantApportionment += " (unreconciled, a what-if: they need not add up to England's published grant, and England's is their sum)"
		}
		for _, code := range in.Councils.ICBCodes() {
			if _, err := r.areaIndex(code); err != nil {
				return fmt.Errorf("%s: %w", in.Councils.file, err)
			}
		}
		// Every ICB must be covered, and the councils must add up to the
		// England grant: a partial file would leave ICBs at nothing and
		// England at the part, silently.
		var missing []string
		var sum budget.Money
		for i := 0; i < n; i++ {
			code := r.areas[i].Code
			if !in.Councils.HasICB(code, y) {
				missing = append(missing, code)
			}
			sum = sum.Add(in.Councils.ICB(code, y))
		}
		if len(missing) > 0 {
			return fmt.Errorf("%s: %s: %w: no council allocation counts towards %d of the %d ICBs: %s",
				in.Councils.file, y, ErrNoData, len(missing), n, strings.Join(missing, ", "))
		}
		// Within 0.1% of the England grant: councils' published allocations
		// are rounded; a factor of 1,000 or a missing council is far more.
		// Unless the user accepts it (CouncilOptions.Unreconciled): a what-if.
		// In a year whose England grant is projected by the rule, the
		// councils' allocations (DHSC's indicative figures) are the
		// better figure: England's grant is their sum, and it says so.
		f := budget.Formatter{Scale: budget.ScaleMillions, Places: 1}
		diff := sum.Sub(gy.Amount)
		switch {
		case gy.Status == budget.Projected:
			r.note(fmt.Sprintf("England's grant is the councils' allocations, %s (the rule, %s, would give %s)", f.Format(sum), r.Model.Grant, f.Format(gy.Amount)), y)
		case !in.Councils.unchecked && diff.Abs().Decimal().GreaterThan(gy.Amount.Decimal().Abs().Shift(-3)):
			fp := budget.Formatter{Places: 2}
			return fmt.Errorf("%s: %s: %w: the councils' allocations add up to %s, the England grant is %s (%s): check the file is in pounds and complete",
				in.Councils.file, y, ErrRange, fp.Format(sum), fp.Format(gy.Amount), gy.Source)
		case !diff.IsZero():
			r.note(fmt.Sprintf("the councils' allocations add up to %s, %s from England's published %s: England's grant is their sum", f.Format(sum), f.Format(diff), f.Format(gy.Amount)), y)
		}
		// Mapped through the crosswalk by practice location: derived, not
		// a published ICB figure.
		for i := 0; i < n; i++ {
			r.values[i*ny+yi].Grant = in.Councils.ICB(r.areas[i].Code, y)
			r.values[i*ny+yi].GrantStatus = budget.Derived
			r.values[i*ny+yi].GrantFromCouncils = true
		}
		return r.checkCouncilICBs(in, yi, y, pops)
	}
	if r.GrantApportionment == "" {
		r.GrantApportionment = r.populationMethod()
	}
	codes := make([]string, n)
	for i := range codes {
		codes[i] = r.areas[i].Code
	}
	parts, fixed, err := in.Splits.Apportion(gy.Amount, codes, pops, in.ICBGrantShares)
	if err != nil {
		return fmt.Errorf("%s: %w", y, err)
	}
	for i := range parts {
		r.values[i*ny+yi].Grant = parts[i]
		r.values[i*ny+yi].GrantStatus = gy.Status.Worst(budget.Derived)
		r.values[i*ny+yi].GrantPublishedShare = fixed[i]
	}
	return nil
}

func (r *Result) england(in Inputs, yi int, y budget.Year) (Values, error) {
	ny := r.years.Len()
	var e Values
	e.hasPrev = true
	// England is the sum of the ICBs, added in whole pence.
	var budgetS, prevS, cfS, shiftS, treatS, grantS, prevBudgetS, prevPrevS budget.Sum
	for i := 0; i < len(r.areas)-1; i++ {
		v := r.values[i*ny+yi]
		budgetS.Add(v.Budget)
		prevS.Add(v.Prevention)
		cfS.Add(v.Counterfactual)
		shiftS.Add(v.Shift)
		treatS.Add(v.Treatment)
		grantS.Add(v.Grant)
		prevBudgetS.Add(v.prevBudget)
		prevPrevS.Add(v.prevPrevention)
		e.Registered = e.Registered.Add(v.Registered)
		e.PopulationStatus = e.PopulationStatus.Worst(v.PopulationStatus)
		e.Status = e.Status.Worst(v.Status)
		e.GrantStatus = e.GrantStatus.Worst(v.GrantStatus)
		e.hasPrev = e.hasPrev && v.hasPrev
		e.parts += v.parts
	}
	e.Budget, e.Prevention, e.Counterfactual = budgetS.Total(), prevS.Total(), cfS.Total()
	e.Shift, e.Treatment, e.Grant = shiftS.Total(), treatS.Total(), grantS.Total()
	e.prevBudget, e.prevPrevention = prevBudgetS.Total(), prevPrevS.Total()
	if r.GrantApportionment != councilsMapped || e.Grant.Equal(r.GrantYears[yi].Amount) {
		e.GrantStatus = r.GrantYears[yi].Status // England's grant is the England figure itself
	}
	e.GrantLikeForLike, e.GrantLikeForLikeStatus = r.GrantYears[yi].LikeForLike, r.GrantYears[yi].LikeForLikeStatus
	// England's budget is England's allocations, whatever footprint the
	// ICBs are on: its status is theirs, not that of a split ICB's part.
	if st, ok, err := in.Projection.TotalStatus("ENG", y, r.Model.Base.Streams); err == nil && ok {
		e.Status = st
	}
	if sh, err := e.Prevention.Div(e.Budget); err == nil {
		if s, err := budget.NewShare(sh.Decimal()); err == nil {
			e.Share = s
		}
	}
	res, err := in.Populations.Get(y, "ENG", dataset.Resident)
	if err != nil {
		return Values{}, fmt.Errorf("the grant per head needs England's resident population: %w", err)
	}
	if res.Value.IsZero() {
		return Values{}, fmt.Errorf("the resident population of England in %s is zero: the grant per head needs it: %w", y, ErrZero)
	}
	e.Resident = res.Value
	e.PopulationStatus = e.PopulationStatus.Worst(res.Status)
	return e, nil
}

func (r *Result) areaIndex(code string) (int, error) {
	for i, a := range r.areas {
		if a.Code == code {
			return i, nil
		}
	}
	return 0, fmt.Errorf("area %q: %w: not an ICB of the allocations (or ENG)", code, ErrUnknown)
}

// Areas lists the ICBs by code, then England (ENG).
func (r *Result) Areas() []dataset.ICB {
	if r == nil {
		return nil
	}
	return append([]dataset.ICB(nil), r.areas...)
}

// Years is the span the result covers.
func (r *Result) Years() budget.Span {
	if r == nil {
		return budget.Span{}
	}
	return r.years
}

// Values returns an area's figures in year y (area "ENG" for England).
func (r *Result) Values(area string, y budget.Year) (Values, error) {
	if r == nil {
		return Values{}, fmt.Errorf("prevention result: %w: nil", ErrNoData)
	}
	i, err := r.areaIndex(area)
	if err != nil {
		return Values{}, err
	}
	yi := r.years.Index(y)
	if yi < 0 {
		return Values{}, fmt.Errorf("result covers %s, not %s: %w", r.years, y, ErrNoData)
	}
	return r.values[i*r.years.Len()+yi], nil
}

// InvestmentStandard reports whether prevention spending grew at least as
// fast as the budget from the year before (the way the Mental Health
// Investment Standard works), on the like-for-like budget of the
// projection's basis; ok is false where the year before is not in the data.
//
// Rounding does not decide it: each prevention figure is the budget times
// the share rounded to the penny, so the test prevention / previous
// prevention >= budget / previous budget allows the half penny each
// rounded part can be off by. With the share held exactly, it is met.
func (v Values) InvestmentStandard() (met, ok bool) {
	if !v.hasPrev || v.prevBudget.IsZero() || v.prevPrevention.IsZero() {
		return false, false
	}
	// prevention x previous budget - budget x previous prevention is
	// (share - previous share) x budget x previous budget, give or take
	// half a penny a part on each prevention times the other budget.
	lhs := dec.D(v.Prevention).Mul(dec.D(v.prevBudget))
	rhs := dec.D(v.Budget).Mul(dec.D(v.prevPrevention))
	parts := max(v.parts, 1)
	slack := halfPenny.Mul(dec.New(int64(parts), 0)).Mul(dec.D(v.Budget).Abs().Add(dec.D(v.prevBudget).Abs()))
	return lhs.Sub(rhs).Cmp(slack.Neg()) >= 0, true
}

// halfPenny is the most a figure rounded to the penny is off by, in pounds.
var halfPenny = dec.New(5, -3)

// Growth returns prevention and budget growth on the year before.
func (v Values) Growth() (prevention, budgetGrowth decimal.Decimal, ok bool) {
	if !v.hasPrev || v.prevBudget.IsZero() || v.prevPrevention.IsZero() {
		return decimal.Zero, decimal.Zero, false
	}
	p := dec.D(v.Prevention).DivRound(dec.D(v.prevPrevention), budget.WorkingScale).Sub(oneDec)
	b := dec.D(v.Budget).DivRound(dec.D(v.prevBudget), budget.WorkingScale).Sub(oneDec)
	return p.Decimal(), b.Decimal(), true
}

// restoreGrant sets the grant of each year after the last like-for-like
// figure to the amount that restores its 2015/16 real-terms level per
// resident.
func (r *Result) restoreGrant(in Inputs) error {
	for i, g := range r.GrantYears {
		if g.LikeForLikeStatus == budget.Published {
			continue
		}
		res, err := in.Populations.Get(g.Year, "ENG", dataset.Resident)
		if err != nil {
			return fmt.Errorf("restoring the grant in %s: %w", g.Year, err)
		}
		needed, err := r.restoredGrant(g.Year, res.Value)
		if err != nil {
			return err
		}
		// The grants consolidated into it stay on top of the restored grant.
		taken := g.Amount.Sub(g.LikeForLike)
		r.GrantYears[i].LikeForLike, r.GrantYears[i].LikeForLikeStatus = needed, budget.Projected
		r.GrantYears[i].LikeForLikeNote = "restores the 2015/16 real-terms grant per resident"
		r.GrantYears[i].Amount, r.GrantYears[i].Status = needed.Add(taken), budget.Projected
		r.GrantYears[i].Note = "restores the 2015/16 real-terms grant per resident"
		if !taken.IsZero() {
			r.GrantYears[i].Note += fmt.Sprintf(", with the %s of grants consolidated into it", budget.Formatter{Scale: budget.ScaleMillions}.Format(taken))
		}
	}
	return nil
}

// restoredGrant is the cash grant in year y that gives the 2015/16 grant
// per resident in real terms, for y's resident population.
func (r *Result) restoredGrant(y budget.Year, residents budget.Population) (budget.Money, error) {
	m := r.Model
	i15, _, err := m.Deflator.Index(budget.MustYear("2015/16"))
	if err != nil {
		return budget.Money{}, err
	}
	iy, _, err := m.Deflator.Index(y)
	if err != nil {
		return budget.Money{}, err
	}
	if r.pop2015.IsZero() {
		return budget.Money{}, fmt.Errorf("restoring the 2015/16 grant per head: %w: no 2015/16 resident population", ErrNoData)
	}
	return budget.MoneyFromDecimal(rule.Restored(r.Grant2015.Amount.Decimal(), iy, residents.Decimal(), i15, r.pop2015.Decimal(), 2)), nil
}

// joinYears writes years as "2030/31, 2031/32".
func joinYears(ys []budget.Year) string {
	var parts []string
	for _, y := range ys {
		parts = append(parts, y.String())
	}
	return strings.Join(parts, ", ")
}

// formatPerHead writes pounds per head to the penny, or to four significant
// figures below a penny (£0.00006035, not £0.00).
func formatPerHead(v decimal.Decimal) string {
	if v.Abs().LessThan(decimal.New(1, -2)) && !v.IsZero() {
		places := int32(4)
		for x := v.Abs(); x.LessThan(decimal.NewFromInt(1)); x = x.Shift(1) {
			places++
		}
		return v.StringFixed(places - 1)
	}
	return v.StringFixed(2)
}

// councilsMapped is GrantApportionment for a full council file.
const councilsMapped = "user's council allocations mapped to ICBs"

// checkCouncilICBs refuses, unless the user accepts it, an ICB whose grant
// from councils is more than 5 times from England's average per registered
// patient (about £60 in 2025/26: £3,858m [PHG-21] over 63.85m): ICBs'
// averages over their councils vary far less than councils', so a file in
// £m, or 10 times too big, is caught even when it has only a few councils.
func (r *Result) checkCouncilICBs(in Inputs, yi int, y budget.Year, pops []budget.Population) error {
	if in.Councils.unchecked {
		return nil
	}
	total := decimal.Zero
	for _, p := range pops {
		total = total.Add(p.Decimal())
	}
	if total.Sign() <= 0 {
		return nil
	}
	avg := r.GrantYears[yi].Amount.Decimal().Div(total)
	five := decimal.NewFromInt(5)
	var errs []error
	for i, p := range pops {
		v := r.values[i*r.years.Len()+yi]
		if !v.GrantFromCouncils || p.Decimal().Sign() <= 0 {
			continue
		}
		ph := v.Grant.Decimal().Div(p.Decimal())
		if ph.Mul(five).LessThan(avg) || ph.GreaterThan(avg.Mul(five)) {
			errs = append(errs, fmt.Errorf("%s: %s: %w: %s gets £%s per registered patient from its councils, against England's £%s: check the file is in pounds (or add -unreconciled for a what-if)",
				in.Councils.file, y, ErrRange, r.areas[i].Code, formatPerHead(ph), avg.StringFixed(2)))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return checkEachCouncil(in.Councils, y, avg)
}

// checkEachCouncil refuses a council whose grant per registered patient
// is more than 10 times from England's average, avg: a subset of a few
// councils has no median of its own to be held to (implausibleCouncils),
// and an ICB some of whose councils it lacks is not checked whole
// (checkCouncilICBs), so that a file of three councils in £ thousands
// was taken as given. Councils' grants per head vary about six-fold.
func checkEachCouncil(c *CouncilGrant, y budget.Year, avg decimal.Decimal) error {
	reg, name := map[string]decimal.Decimal{}, map[string]string{}
	for _, p := range c.parts {
		reg[p.Council], name[p.Council] = reg[p.Council].Add(p.Registered.Decimal()), p.CouncilName
	}
	codes := make([]string, 0, len(c.byCouncil))
	for code := range c.byCouncil {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	ten := decimal.NewFromInt(10)
	var errs []error
	for _, code := range codes {
		m, ok := c.byCouncil[code][y]
		if !ok || reg[code].Sign() <= 0 {
			continue
		}
		if ph := m.Decimal().Div(reg[code]); ph.Mul(ten).LessThan(avg) || ph.GreaterThan(avg.Mul(ten)) {
			errs = append(errs, fmt.Errorf("%s: %s: %w: %s %s is £%s per registered patient, against England's £%s: check the file is in pounds (or add -unreconciled for a what-if)",
				c.file, y, ErrRange, code, name[code], formatPerHead(ph), avg.StringFixed(2)))
		}
	}
	return errors.Join(errs...)
}

// grantFromSomeCouncils splits the year's England grant when the user's
// council allocations cover only some councils: an ICB all of whose
// councils are given gets their allocations mapped to it; the others share
// the rest of the England grant by registered population.
func (r *Result) grantFromSomeCouncils(in Inputs, yi int, y budget.Year, pops []budget.Population) error {
	ny := r.years.Len()
	gy := r.GrantYears[yi]
	n := len(pops)
	r.GrantApportionment = "user's council allocations mapped to the ICBs they cover fully; the rest of England's grant to the others by GP-registered population"
	var covered budget.Money
	var restIdx []int
	var restPops []budget.Population
	for i := 0; i < n; i++ {
		code := r.areas[i].Code
		if in.Councils.Covered(code, y) {
			v := &r.values[i*ny+yi]
			v.Grant, v.GrantStatus, v.GrantFromCouncils = in.Councils.ICB(code, y), budget.Derived, true
			covered = covered.Add(v.Grant)
			continue
		}
		restIdx, restPops = append(restIdx, i), append(restPops, pops[i])
	}
	if err := r.checkCouncilICBs(in, yi, y, pops); err != nil {
		return err
	}
	// Never silent: an ICB the file covers in part is named, with what it
	// lacks, and shares the rest by population.
	var partial []string
	for i := 0; i < n; i++ {
		if lack := in.Councils.Missing(r.areas[i].Code, y); len(lack) > 0 {
			partial = append(partial, fmt.Sprintf("%s also holds patients of %s", r.areas[i].Name, strings.Join(lack, ", ")))
		}
	}
	if len(partial) > 0 {
		r.note("not fully covered, so apportioned: "+strings.Join(partial, "; ")+" (add them to the file to take the ICB's grant from its councils, or take the file as partial, -councils-partial, to apportion only the part they hold)", y)
	}
	// Councils' published allocations are rounded: a file of them all may
	// add up to a little more than the England grant (within 0.1%).
	rest := gy.Amount.Sub(covered)
	if rest.Sign() < 0 && (len(restIdx) > 0 || rest.Neg().Decimal().GreaterThan(gy.Amount.Decimal().Shift(-3))) {
		f := budget.Formatter{Places: 2}
		return fmt.Errorf("%s: %s: %w: the councils given add up to %s, more than the England grant %s (%s): check the file is in pounds",
			in.Councils.file, y, ErrRange, f.Format(covered), f.Format(gy.Amount), gy.Source)
	}
	if len(restIdx) == 0 {
		return nil
	}
	// An ICB the file does not cover keeps its published share of
	// England's grant where it has one (NHS Greater Manchester ICB); the
	// others share what is left by population.
	var popIdx []int
	var popPops []budget.Population
	restPop, allPop := decimal.Zero, decimal.Zero
	for _, p := range pops {
		allPop = allPop.Add(p.Decimal())
	}
	for k, i := range restIdx {
		if sh, ok := publishedShare(in, r.areas[i].Code); ok {
			v := &r.values[i*ny+yi]
			v.Grant = budget.MoneyFromDecimal(gy.Amount.Decimal().Mul(sh.Share)).Round(2)
			v.GrantStatus, v.GrantPublishedShare = gy.Status.Worst(budget.Derived), true
			rest = rest.Sub(v.Grant)
			continue
		}
		popIdx, popPops = append(popIdx, i), append(popPops, restPops[k])
		restPop = restPop.Add(restPops[k].Decimal())
	}
	if rest.Sign() < 0 {
		f := budget.Formatter{Places: 2}
		return fmt.Errorf("%s: %s: %w: the councils given and the ICBs' published shares add up to more than the England grant %s (%s): check the file is in pounds, and that it does not carry Greater Manchester's notional grant (%s of England's)",
			in.Councils.file, y, ErrRange, f.Format(gy.Amount), gy.Source, f.Format(gy.Amount.Sub(rest)))
	}
	if len(popIdx) == 0 {
		return nil
	}
	if err := r.checkRest(in, y, rest, restPop, gy.Amount, allPop, fmt.Sprintf("the %d ICBs they do not cover", len(popIdx))); err != nil {
		return err
	}
	parts, err := Apportion(rest, popPops)
	if err != nil {
		return fmt.Errorf("%s: %w", y, err)
	}
	for k, i := range popIdx {
		r.values[i*ny+yi].Grant = parts[k]
		r.values[i*ny+yi].GrantStatus = gy.Status.Worst(budget.Derived)
	}
	return nil
}

// ApportionedByPopulation is how an ICB's grant is set where no published
// figure or council file gives it.
const ApportionedByPopulation = "England grant apportioned by share of GP-registered population (not a published allocation)"

// GrantMethod says how an area's grant in year y was set, for people: for
// an ICB, its councils' allocations mapped to it, its published share of
// England's grant (ICBGrantShare), or an apportionment by registered
// population, which is not a published allocation; for England, the
// published grant and its rule.
func (r *Result) GrantMethod(area string, y budget.Year) string {
	if area == "ENG" {
		return "England's grant as published, then its rule"
	}
	v, err := r.Values(area, y)
	if err != nil {
		return ""
	}
	switch {
	case !v.GrantHeldFrom.IsZero():
		how := "apportioned by registered population"
		if h, err := r.Values(area, v.GrantHeldFrom); err == nil {
			switch {
			case h.GrantFromCouncils:
				how = "its councils' allocations"
			case h.GrantMixed:
				how = "its councils' allocations and an apportioned part (mixed)"
			case h.GrantPublishedShare:
				how = "its councils' published share"
			}
		}
		return fmt.Sprintf("its share of England's grant in %s (there: %s), held: the council file does not have %s", v.GrantHeldFrom, how, y)
	case v.GrantMixed:
		return "its councils' allocations mapped to it, with the councils the file lacks apportioned by registered population (a partial file: mixed)"
	case v.GrantFromCouncils:
		return councilsMapped
	case v.GrantPublishedShare:
		for _, s := range r.shares {
			if s.ICB == area {
				return s.Describe()
			}
		}
	}
	return ApportionedByPopulation + ": a ratio to it rests on an apportioned grant"
}

// heldFrom returns the latest year of the model, before y, whose ICB
// grants came from the council file c, when c does not have y itself:
// the ICBs' shares of England's grant in that year are held in y.
func (r *Result) heldFrom(c *CouncilGrant, y budget.Year) (budget.Year, bool) {
	if c == nil || c.Covers(y) {
		return budget.Year{}, false
	}
	for h := y.Add(-1); r.years.Contains(h); h = h.Add(-1) {
		if c.Covers(h) {
			return h, true
		}
	}
	return budget.Year{}, false
}

// holdCouncilShares splits year yi's England grant over the ICBs in
// proportion to their grants in the year held, a year of the council
// file: each ICB keeps its share, to the penny by largest remainder, so
// that no series changes method without saying so (Values.GrantHeldFrom).
func (r *Result) holdCouncilShares(yi int, held budget.Year) error {
	ny := r.years.Len()
	hi := held.Sub(r.years.First())
	n := len(r.areas) - 1
	gy := r.GrantYears[yi]
	weights := make([]dec.D, n)
	var sum budget.Money
	for i := range weights {
		weights[i], sum = dec.D(r.values[i*ny+hi].Grant), sum.Add(r.values[i*ny+hi].Grant)
	}
	exact := make([]dec.D, n)
	if !rule.Proportional(exact, dec.D(gy.Amount), weights, nil, budget.WorkingScale) {
		return fmt.Errorf("%s: %w: the ICBs' grants from the council file add up to %s in %s, so their shares cannot be held in %s", r.councilGrant.file, ErrZero, sum, held, gy.Year)
	}
	parts := roundedParts(exact)
	for i := range parts {
		v := &r.values[i*ny+yi]
		v.Grant, v.GrantStatus, v.GrantHeldFrom = parts[i], gy.Status.Worst(budget.Derived), held
	}
	return nil
}

// grantFromPartialCouncils splits the year's England grant when the
// user's council allocations cover only some councils and the user asks
// for the rest to be apportioned (CouncilOptions.Partial): each council
// the file lacks gets a share of the rest of England's grant by its
// GP-registered patients (the crosswalk's), and each ICB adds its part
// of every council, given or apportioned, by practice location. An ICB
// all of whose councils are given is council-based; one with some is
// mixed; one with none is apportioned.
func (r *Result) grantFromPartialCouncils(in Inputs, yi int, y budget.Year, pops []budget.Population) error {
	c := in.Councils
	ny := r.years.Len()
	gy := r.GrantYears[yi]
	n := len(pops)
	r.GrantApportionment = "user's council allocations mapped to ICBs by their practices' registered patients; the councils the file lacks given the rest of England's grant by registered population (a partial file)"
	amount := map[string]budget.Money{}
	var given budget.Money
	var lacking []string
	var lackPops []budget.Population
	reg := map[string]budget.Population{}
	for _, p := range c.parts {
		if _, seen := reg[p.Council]; !seen {
			if v, ok := c.byCouncil[p.Council][y]; ok {
				amount[p.Council] = v
				given = given.Add(v)
			} else {
				lacking = append(lacking, p.Council)
			}
		}
		reg[p.Council] = reg[p.Council].Add(p.Registered)
	}
	rest := gy.Amount.Sub(given)
	if rest.Sign() < 0 {
		f := budget.Formatter{Places: 2}
		return fmt.Errorf("%s: %s: %w: the councils given add up to %s, more than the England grant %s (%s): check the file is in pounds",
			c.file, y, ErrRange, f.Format(given), f.Format(gy.Amount), gy.Source)
	}
	// The councils of an ICB with a published share of England's grant
	// (NHS Greater Manchester ICB), none of them given, share that share
	// by their patients; the other councils lacking share the rest.
	for _, sh := range in.ICBGrantShares {
		var its []string
		var itsPops []budget.Population
		for _, p := range c.parts {
			if p.ICB == sh.ICB && p.Share.Equal(decimal.NewFromInt(1)) {
				if _, given := amount[p.Council]; given {
					its = nil
					break
				}
				its, itsPops = append(its, p.Council), append(itsPops, reg[p.Council])
			}
		}
		if len(its) == 0 {
			continue
		}
		fixed := budget.MoneyFromDecimal(gy.Amount.Decimal().Mul(sh.Share)).Round(2)
		split, err := Apportion(fixed, itsPops)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", c.file, y, err)
		}
		for k, code := range its {
			amount[code] = split[k]
		}
		rest = rest.Sub(fixed)
		var keep []string
		for _, code := range lacking {
			if !slices.Contains(its, code) {
				keep = append(keep, code)
			}
		}
		lacking = keep
	}
	if rest.Sign() < 0 {
		f := budget.Formatter{Places: 2}
		return fmt.Errorf("%s: %s: %w: the councils given and the published shares add up to more than the England grant %s (%s): check the file does not carry Greater Manchester's notional grant",
			c.file, y, ErrRange, f.Format(gy.Amount), gy.Source)
	}
	if len(lacking) > 0 {
		lackPop, allPop := decimal.Zero, decimal.Zero
		for _, code := range lacking {
			lackPop = lackPop.Add(reg[code].Decimal())
		}
		for _, p := range reg {
			allPop = allPop.Add(p.Decimal())
		}
		if err := r.checkRest(in, y, rest, lackPop, gy.Amount, allPop, fmt.Sprintf("the %d councils it lacks", len(lacking))); err != nil {
			return err
		}
		for _, code := range lacking {
			lackPops = append(lackPops, reg[code])
		}
		split, err := Apportion(rest, lackPops)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", c.file, y, err)
		}
		for k, code := range lacking {
			amount[code] = split[k]
		}
	}
	// Each ICB's part of each council, to the penny by largest remainder.
	idx := map[string]int{}
	for i := 0; i < n; i++ {
		idx[r.areas[i].Code] = i
	}
	grants := make([]budget.Money, n)
	some, all := make([]bool, n), make([]bool, n)
	for i := range all {
		all[i] = true
	}
	for _, p := range c.parts {
		i, ok := idx[p.ICB]
		if !ok {
			return fmt.Errorf("%s: %s: %w: ICB %s of council %s is not one of the model's ICBs", c.file, y, ErrNoData, p.ICB, p.Council)
		}
		if p.Share.Sign() == 0 {
			continue
		}
		grants[i] = grants[i].Add(budget.MoneyFromDecimal(amount[p.Council].Decimal().Mul(p.Share)))
		if _, ok := c.byCouncil[p.Council][y]; ok {
			some[i] = true
		} else {
			all[i] = false
		}
	}
	grants = pence.RoundParts(grants)
	var mixed []string
	for i := 0; i < n; i++ {
		v := &r.values[i*ny+yi]
		v.Grant, v.GrantStatus = grants[i], gy.Status.Worst(budget.Derived)
		switch {
		case some[i] && all[i]:
			v.GrantFromCouncils = true
		case some[i]:
			v.GrantMixed = true
			mixed = append(mixed, fmt.Sprintf("%s, whose patients of %s are apportioned", r.areas[i].Name, strings.Join(c.Missing(r.areas[i].Code, y), ", ")))
		}
	}
	if len(mixed) > 0 {
		r.note("mixed: "+strings.Join(mixed, "; "), y)
	}
	return r.checkCouncilICBs(in, yi, y, pops)
}

// CouncilBased reports whether the ICBs' grants in year y come from the
// council file the run was given: its own year, or its shares held.
func (r *Result) CouncilBased(y budget.Year) bool {
	if r == nil || r.councilGrant == nil {
		return false
	}
	_, held := r.heldFrom(r.councilGrant, y)
	return r.councilGrant.Covers(y) || held
}

// note records what the council file did in year y, to be said once with
// every year it applies to.
func (r *Result) note(text string, y budget.Year) {
	if r.noteYears == nil {
		r.noteYears = map[string][]budget.Year{}
	}
	if _, ok := r.noteYears[text]; !ok {
		r.councilNotes = append(r.councilNotes, text)
	}
	r.noteYears[text] = append(r.noteYears[text], y)
}

// publishedShare is the published share of England's grant of ICB code,
// if it has one (Inputs.ICBGrantShares).
func publishedShare(in Inputs, code string) (ICBGrantShare, bool) {
	for _, s := range in.ICBGrantShares {
		if s.ICB == code {
			return s, true
		}
	}
	return ICBGrantShare{}, false
}

// checkRest refuses a rest of England's grant, after the councils given,
// too small for the registered patients it must cover: less than a fifth
// of England's grant per registered patient (a file of every council but
// some, summed to England's whole grant, would leave them pennies).
func (r *Result) checkRest(in Inputs, y budget.Year, rest budget.Money, restPop decimal.Decimal, total budget.Money, allPop decimal.Decimal, who string) error {
	if in.Councils.unchecked || restPop.Sign() <= 0 || allPop.Sign() <= 0 {
		return nil
	}
	avg := total.Decimal().Div(allPop)
	ph := rest.Decimal().Div(restPop)
	if ph.Mul(decimal.NewFromInt(5)).LessThan(avg) {
		f := budget.Formatter{Scale: budget.ScaleMillions, Places: 1}
		return fmt.Errorf("%s: %s: %w: the councils given leave %s of England's grant for %s, £%s per registered patient against England's £%s: the file's councils seem to carry the grant of those it lacks (give every council, or check the amounts; -unreconciled for a what-if)",
			in.Councils.file, y, ErrRange, f.Format(rest), who, formatPerHead(ph), avg.StringFixed(2))
	}
	return nil
}

// populationMethod says how the grant reaches ICBs without a council
// file: by registered population, but for ICBs with a published share.
func (r *Result) populationMethod() string {
	text := ApportionedByPopulation
	for _, s := range r.shares {
		if i, err := r.areaIndex(s.ICB); err == nil {
			text += fmt.Sprintf("; %s (%s): %s", r.areas[i].Name, s.ICB, s.Describe())
		}
	}
	return text
}
