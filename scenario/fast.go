package scenario

import (
	"fmt"
	"math"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/rule"
	"github.com/upstream-health/upstream/prevention"
)

// fastModel is Simulate's evaluator of a compiled plan: the model's
// arithmetic in float64. The published years are fixed (the ledger's own
// figures), and the years after them are projected again for each draw of
// the uncertain assumptions. It reads its rules from the plan and the
// packages that state them, as the ledger does: what becomes of each
// non-recurrent item (alloc.Settlement.Step), which growth is set in cash
// (Settlement.CashGrowth), the share of each year (prevention.Shift.
// ShareRule), the grant's floors (prevention.GrantFloors) and which of its
// rules are in cash (GrantRuleKind.InCash), when a return arrives
// (prevention.Benefits.Arrives), the ICBs' grant shares and populations
// (the plan's prevention inputs). What it restates is arithmetic, without
// the ledger's rounding: the ledger rounds recurrent allocations to £1k
// and budgets and spending to the penny, with largest remainders so that
// parts add up to totals; a band needs the width of a histogram bin, not
// the penny. With no uncertainty its figures are Run's within a millionth
// of each (TestSimulateEqualsRunOnRandomScenarios, and the differential
// fuzz FuzzSimulateEqualsRun).
type fastModel struct {
	schedule     Schedule // discounting of the present values
	pvBase       int      // index of year 0 of the present values in years
	pvBasis      string   // the basis of present values: year 0's prices
	realBasis    string   // the basis of real-terms figures: the model's price base year
	nICB, nYears int
	// eng is England's row in a draw's figures and rows their number: nICB
	// and nICB+1, except in the aggregate model (aggregate), which projects
	// England as one ICB into the row the full model gives England.
	eng, rows int
	years     []budget.Year
	firstProj int // index in years of the first projected year (nYears if none)
	streams   []fastStream
	// Fixed by year: the share rule (the share is shareAdd + shareTimes x
	// the baseline share, prevention.Shift.ShareRule), populations, the
	// published deflator index and growth, the published grant.
	shareAdd, shareTimes []float64
	pubBudget            [][]float64 // [icb][year]: the budget base of each published year
	registered           [][]float64 // [year][icb]
	grantShare           []float64   // [icb]: the ICB's published share of England's grant (prevention.ICBGrantShare), if grantShared
	grantShared          []bool      // [icb]: the ICB takes a published share of England's grant
	qaly                 *fastQALYs  // the scenario's QALY valuation, if any
	// councilGrant [year][icb] is Run's ICB grant in the years whose
	// grants come from a council file (councilYear; prevention.Result.
	// CouncilBased), the weights England's grant is split by in them.
	councilGrant [][]float64
	councilYear  []bool
	index        []float64 // deflator index by year (published years; projected years use defl growth)
	inflation    []float64 // deflator growth by year (used for projected years unless drawn)
	baseIndex    float64   // index of the real-terms base year (2024/25)
	grant        []float64 // England grant, by year (published years; rule after)
	grantFixed   []bool    // the year's grant is published (does not move with draws)
	lastGrant    int       // index of the last published grant year
	// takenYear is the index of the first year whose grant takes in grants
	// paid outside it before (2026/27), takenBase their amount that year:
	// they stay on top of a restored grant (-1 if none).
	takenYear int
	takenBase float64
	floors    []grantFloor // published floors the grant's rule must meet
	grantRule prevention.GrantRuleKind
	grantRate float64
	index2015 float64
	grant2015 float64   // the 2015/16 grant (restore-2015-16 under drawn inflation)
	pop2015   float64   // England's 2015/16 residents
	resident  []float64 // England, by year
	// The shift.
	s0       float64
	s0ICB    []float64 // per ICB; NaN where the national share applies
	funding  prevention.Funding
	benefits *prevention.Benefits
	// Settlement.
	realGrowth float64
	// icbDetail asks eval for each ICB's grant and benefits, not only England's.
	icbDetail bool
}

type fastStream struct {
	stream    dataset.Stream
	published [][]float64 // [icb][year] totals for published years
	// The last published year, to project from.
	formula, additions []float64
	items              [][]fastItem
	hasTarget          bool
	grown              []float64
	// Unless an item grows, the items do not depend on a draw: held[i][yi]
	// is the items still paid in projected year yi, folded[i][yi] the
	// amount that joins the baseline in yi.
	held, folded [][]float64
	// grows says an item grows with base growth, so that items are carried
	// one by one in each draw.
	grows              bool
	policy             alloc.ConvergencePolicy
	converges          bool
	aboveCap, belowCap float64
	aboveF, belowF     float64
	fixedGrowth        []float64 // by year index: growth fixed by the settlement (running costs, years set in cash), NaN if not
}

type fastItem struct {
	amount float64
	// steps[yi] is what becomes of the item in projected year yi if it is
	// still paid the year before (alloc.Settlement.Step); zero before the
	// first projected year.
	steps []alloc.ItemStep
}

func f64(d interface{ InexactFloat64() float64 }) float64 { return d.InexactFloat64() }

// newFastModel builds the float evaluator of plan pl from the plan and
// the ledger's evaluation of it, r, which gives the years that do not move
// with a draw (the published allocations and grants, a council file's).
func newFastModel(pl *plan, r *prevention.Result) (*fastModel, error) {
	s, p, m, sched := pl.s, pl.projection(), pl.m, pl.sched
	st := p.Settlement() // the settlement the projection was made under, not resolved again
	for _, ov := range st.ICBGrowth {
		if len(ov) > 0 {
			return nil, fmt.Errorf("simulating %q: %w: per-ICB growth overrides are not supported", s.Name, errRange)
		}
	}
	fm := &fastModel{schedule: sched, years: m.Years.Years(), nICB: len(p.ICBs()), realGrowth: f64(st.RealGrowth.Decimal()),
		s0: f64(m.Baseline.Share.Decimal()), funding: m.Funding, benefits: m.Benefits, grantRule: m.Grant.Kind,
		grantRate: f64(m.Grant.Rate.Decimal())}
	fm.nYears = len(fm.years)
	fm.eng, fm.rows = fm.nICB, fm.nICB+1
	fm.pvBase = sched.Base.Sub(fm.years[0])
	if fm.pvBase < 0 || fm.pvBase >= fm.nYears {
		return nil, fmt.Errorf("simulating %q: %w: year 0 of present values, %s, is not a year of the results", s.Name, errRange, sched.Base)
	}
	fm.pvBasis, fm.realBasis = m.Deflator.Basis(sched.Base).String(), m.Deflator.Basis(m.RealBase).String()
	fm.firstProj = fm.nYears
	for i, y := range fm.years {
		if y.After(p.LastPublished()) {
			fm.firstProj = i
			break
		}
	}
	icbs := p.ICBs()
	fm.s0ICB = make([]float64, fm.nICB)
	for i, icb := range icbs {
		fm.s0ICB[i] = math.NaN()
		if v, ok := m.Baseline.PerICB[icb.Code]; ok {
			fm.s0ICB[i] = f64(v.Decimal())
		}
	}
	// The share rule of each year, the ledger's own.
	fm.shareAdd, fm.shareTimes = make([]float64, fm.nYears), make([]float64, fm.nYears)
	for yi, y := range fm.years {
		add, times, err := m.Shift.ShareRule(y)
		if err != nil {
			return nil, err
		}
		fm.shareAdd[yi], fm.shareTimes[yi] = add.InexactFloat64(), times.InexactFloat64()
	}
	// Streams of the budget base.
	for _, stream := range m.Base.Streams {
		fs := fastStream{stream: stream, published: make([][]float64, fm.nICB), formula: make([]float64, fm.nICB),
			additions: make([]float64, fm.nICB), items: make([][]fastItem, fm.nICB), grown: make([]float64, fm.nICB),
			fixedGrowth: make([]float64, fm.nYears)}
		for i, icb := range icbs {
			fs.published[i] = make([]float64, fm.nYears)
			for yi, y := range fm.years[:fm.firstProj] {
				c, err := p.Cell(icb.Code, y, stream)
				if err != nil {
					return nil, err
				}
				fs.published[i][yi] = f64(c.Total().Decimal())
			}
			c, err := p.Cell(icb.Code, p.LastPublished(), stream)
			if err != nil {
				return nil, err
			}
			fs.formula[i], fs.additions[i] = f64(c.Formula.Decimal()), f64(c.Additions.Decimal())
			for _, it := range c.Items {
				steps := make([]alloc.ItemStep, fm.nYears)
				for yi := fm.firstProj; yi < fm.nYears; yi++ {
					steps[yi] = st.Step(stream, it.Name, fm.years[yi])
					fs.grows = fs.grows || steps[yi] == alloc.ItemGrows
				}
				fs.items[i] = append(fs.items[i], fastItem{f64(it.Amount.Decimal()), steps})
			}
			fs.hasTarget = c.HasTarget
			fs.grown[i] = f64(c.GrownTarget.Decimal())
		}
		if pol, ok := st.Convergence[stream]; ok {
			fs.policy, fs.converges = pol, true
		} else {
			fs.policy = alloc.NoConvergence()
		}
		fs.aboveF, fs.belowF = f64(fs.policy.AboveFraction), f64(fs.policy.BelowFraction)
		fs.aboveCap, fs.belowCap = f64(fs.policy.AboveCap), f64(fs.policy.BelowCap)
		fs.held, fs.folded = grid(fm.nICB, fm.nYears), grid(fm.nICB, fm.nYears)
		for i := range icbs {
			for _, it := range fs.items[i] {
				// The item year by year, while it is paid.
			years:
				for yi := fm.firstProj; yi < fm.nYears; yi++ {
					switch it.steps[yi] {
					case alloc.ItemFolds:
						fs.folded[i][yi] += it.amount
						break years
					case alloc.ItemHeld:
						fs.held[i][yi] += it.amount
					default: // dropped (an item that grows is carried in each draw)
						break years
					}
				}
			}
		}
		for yi := range fs.fixedGrowth {
			fs.fixedGrowth[yi] = math.NaN()
			if g, ok := st.CashGrowth(stream, fm.years[yi]); ok {
				fs.fixedGrowth[yi] = f64(g.Decimal())
			}
		}
		fm.streams = append(fm.streams, fs)
	}
	fm.pubBudget = grid(fm.nICB, fm.nYears)
	for _, fs := range fm.streams {
		for i := range icbs {
			for yi := 0; yi < fm.firstProj; yi++ {
				fm.pubBudget[i][yi] += fs.published[i][yi]
			}
		}
	}
	// Populations, deflator, grant.
	fm.grantShare, fm.grantShared = make([]float64, fm.nICB), make([]bool, fm.nICB)
	for i, icb := range icbs {
		for _, sh := range pl.in.ICBGrantShares {
			if sh.ICB == icb.Code {
				fm.grantShare[i], fm.grantShared[i] = f64(sh.Share), true
			}
		}
	}
	fm.registered = grid(fm.nYears, fm.nICB)
	for i, icb := range icbs {
		for yi, y := range fm.years {
			pop, err := p.Population(icb.Code, y)
			if err != nil {
				return nil, err
			}
			fm.registered[yi][i] = f64(pop.Value.Decimal())
		}
	}
	if q := m.QALYs; q != nil {
		ip, _, err := m.Deflator.Index(q.Prices)
		if err != nil {
			return nil, fmt.Errorf("QALYs: %w", err)
		}
		iv, _, err := m.Deflator.Index(q.ValuePrices)
		if err != nil {
			return nil, fmt.Errorf("QALYs: %w", err)
		}
		fm.qaly = &fastQALYs{ph: f64(q.PublicHealthCost), nhs: f64(q.NHSCost), value: f64(q.Value), pricesIx: f64(ip), valueIx: f64(iv),
			envelope: m.Funding == prevention.WithinEnvelope}
	}
	fm.index = make([]float64, fm.nYears)
	fm.inflation = make([]float64, fm.nYears)
	fm.grant = make([]float64, fm.nYears)
	fm.takenYear = -1
	fm.grantFixed = make([]bool, fm.nYears)
	for yi, y := range fm.years {
		ix, _, err := m.Deflator.Index(y)
		if err != nil {
			return nil, err
		}
		fm.index[yi] = f64(ix)
		g, _, err := m.Deflator.Growth(y)
		if err != nil {
			return nil, err
		}
		fm.inflation[yi] = f64(g.Decimal())
		gy := r.GrantYears[yi]
		fm.grant[yi] = f64(gy.Amount.Decimal())
		if r.CouncilBased(y) {
			// England's grant is the ICBs' (their councils' allocations,
			// the sum of a what-if's); each ICB's, its weight.
			if fm.councilGrant == nil {
				fm.councilGrant, fm.councilYear = grid(fm.nYears, fm.nICB), make([]bool, fm.nYears)
			}
			fm.councilYear[yi] = true
			for i, icb := range icbs {
				v, err := r.Values(icb.Code, y)
				if err != nil {
					return nil, err
				}
				fm.councilGrant[yi][i] = f64(v.Grant.Decimal())
			}
			e, err := r.Values("ENG", y)
			if err != nil {
				return nil, err
			}
			fm.grant[yi] = f64(e.Grant.Decimal())
		}
		fm.grantFixed[yi] = gy.Status != budget.Projected
		if fm.grantFixed[yi] {
			fm.lastGrant = yi
		}
		if taken := gy.Amount.Sub(gy.LikeForLike); !taken.IsZero() && fm.takenYear < 0 {
			fm.takenYear, fm.takenBase = yi, f64(taken.Decimal())
		}
	}
	// A published floor over several years that the grant's rule must meet.
	for _, f := range prevention.GrantFloors(pl.in.Grant) {
		var idx []int
		for yi, y := range fm.years {
			if f.Span.Contains(y) {
				idx = append(idx, yi)
			}
		}
		if len(idx) == f.Span.Len() {
			ruled := make([]bool, len(idx))
			for k, yi := range idx {
				ruled[k] = !fm.grantFixed[yi]
			}
			fm.floors = append(fm.floors, grantFloor{years: idx, ruled: ruled, bound: f64(f.Amount.Decimal())})
		}
	}
	bi, _, err := m.Deflator.Index(m.RealBase)
	if err != nil {
		return nil, err
	}
	fm.baseIndex = f64(bi)
	i15, _, err := m.Deflator.Index(budget.MustYear("2015/16"))
	if err != nil {
		return nil, err
	}
	pop15, err := pl.in.Populations.Get(budget.MustYear("2015/16"), "ENG", dataset.Resident)
	if err != nil {
		return nil, err
	}
	fm.index2015 = f64(i15)
	fm.grant2015, fm.pop2015 = f64(r.Grant2015.Amount.Decimal()), f64(pop15.Value.Decimal())
	fm.resident = make([]float64, fm.nYears)
	for yi, y := range fm.years {
		res, err := pl.in.Populations.Get(y, "ENG", dataset.Resident)
		if err != nil {
			return nil, err
		}
		fm.resident[yi] = f64(res.Value.Decimal())
	}
	return fm, nil
}

// params are one draw's values of the uncertain assumptions; NaN means
// "as the scenario says".
type params struct {
	realGrowth, inflation, s0, convergence, roi, lag float64
	qalyPH, qalyNHS                                  float64 // costs per QALY, pounds in the QALYs' prices
}

func noDraw() params {
	n := math.NaN()
	return params{n, n, n, n, n, n, n, n}
}

// scratch holds one worker's buffers, so a draw allocates nothing.
type scratch struct {
	budget  [][]float64 // [icb][year] budget base
	base    []float64
	formula []float64
	grown   []float64
	items   [][]fastItem
	index   []float64
	grant   []float64
	share   []float64 // the year's prevention share at the national baseline share
	uplift  []float64 // converging: each ICB's uplifted baseline, then its allocation
	pre     []float64 // converging: each ICB's allocation before funding
	floor   []float64 // a floor's years' grants
	part    []float64 // the year's grant of each ICB
	out     fastOut
}

// fastOut are one draw's figures for England and each ICB, by year.
type fastOut struct {
	budget, prevention, counterfactual, shift, treatment, grant [][]float64 // [area][year], area nICB = England
	index                                                       []float64   // deflator index by year
	benefit                                                     [][]float64
	qalyPH, qalyNHS                                             float64 // this draw's costs per QALY (with QALYs)
}

// fastQALYs is a scenario's QALY valuation (prevention.QALYs) in float64:
// the costs per QALY and the value of a QALY, and the deflator index of
// their price years, which are published (before any drawn inflation).
type fastQALYs struct {
	ph, nhs, value    float64
	pricesIx, valueIx float64
	envelope          bool
}

func (fm *fastModel) newScratch() *scratch {
	sc := &scratch{budget: grid(fm.nICB, fm.nYears), base: make([]float64, fm.nICB), formula: make([]float64, fm.nICB),
		grown: make([]float64, fm.nICB), items: make([][]fastItem, fm.nICB), index: make([]float64, fm.nYears),
		grant: make([]float64, fm.nYears), share: make([]float64, fm.nYears),
		uplift: make([]float64, fm.nICB), pre: make([]float64, fm.nICB), floor: make([]float64, fm.nYears), part: make([]float64, fm.nICB)}
	n := fm.rows
	sc.out = fastOut{budget: grid(n, fm.nYears), prevention: grid(n, fm.nYears), counterfactual: grid(n, fm.nYears),
		shift: grid(n, fm.nYears), treatment: grid(n, fm.nYears), grant: grid(n, fm.nYears), benefit: grid(n, fm.nYears)}
	return sc
}

func grid(a, b int) [][]float64 {
	g := make([][]float64, a)
	flat := make([]float64, a*b)
	for i := range g {
		g[i] = flat[i*b : (i+1)*b]
	}
	return g
}

// Every product that is then added to carries an explicit float64
// conversion: the Go compiler may otherwise fuse a multiply and an add
// into one instruction on some architectures (arm64, ppc64, s390x), which
// would change the last bits of results from machine to machine.

func or(v, dflt float64) float64 {
	if math.IsNaN(v) {
		return dflt
	}
	return v
}

// eval computes one draw into sc.out.
func (fm *fastModel) eval(pr params, sc *scratch) {
	ny, n, eng := fm.nYears, fm.nICB, fm.eng
	if q := fm.qaly; q != nil {
		sc.out.qalyPH, sc.out.qalyNHS = or(pr.qalyPH, q.ph), or(pr.qalyNHS, q.nhs)
	}
	// Deflator index and inflation for projected years.
	for yi := 0; yi < ny; yi++ {
		sc.index[yi] = fm.index[yi]
		if yi >= fm.firstProj && !math.IsNaN(pr.inflation) && yi > 0 {
			sc.index[yi] = rule.GrowF64(sc.index[yi-1], 1+pr.inflation, budget.WorkingScale)
		}
	}
	real := or(pr.realGrowth, fm.realGrowth)
	for i := 0; i < n; i++ {
		copy(sc.budget[i], fm.pubBudget[i])
		for yi := fm.firstProj; yi < ny; yi++ {
			sc.budget[i][yi] = 0
		}
	}
	for si := range fm.streams {
		fm.project(sc, &fm.streams[si], pr, real)
	}
	fm.grants(sc, pr)
	// Prevention, per ICB and England.
	o := &sc.out
	for yi := 0; yi < ny; yi++ {
		for _, col := range [][][]float64{o.budget, o.prevention, o.counterfactual, o.shift, o.treatment, o.grant} {
			col[eng][yi] = 0
		}
	}
	// The baseline share at the ledger's 10 places, as Run takes it (and a
	// drawn one too): the shift before the span is then exactly zero.
	national := math.Round(or(pr.s0, fm.s0)*1e10) / 1e10
	for yi := 0; yi < ny; yi++ {
		sc.share[yi] = fm.share(national, yi)
	}
	for i := 0; i < n; i++ {
		s0, shares := national, sc.share
		if own := fm.s0ICB[i]; !math.IsNaN(own) {
			s0, shares = own, nil // the ICB's own baseline share, never drawn
		}
		for yi := 0; yi < ny; yi++ {
			b := sc.budget[i][yi]
			var share float64
			if shares != nil {
				share = shares[yi]
			} else {
				share = fm.share(s0, yi)
			}
			prev, cf := b*share, b*s0
			bud, shift, treat := rule.SplitF64(b, prev, cf, fm.funding == prevention.Additional)
			o.budget[i][yi], o.prevention[i][yi], o.counterfactual[i][yi], o.shift[i][yi], o.treatment[i][yi] = bud, prev, cf, shift, treat
			o.budget[eng][yi] += bud
			o.prevention[eng][yi] += prev
			o.counterfactual[eng][yi] += cf
			o.shift[eng][yi] += shift
			o.treatment[eng][yi] += treat
		}
	}
	for yi := 0; yi < ny; yi++ {
		o.grant[eng][yi] = sc.grant[yi]
		if fm.icbDetail {
			fm.apportion(sc, yi, o.grant)
		}
	}
	o.index = sc.index
	if fm.benefits != nil {
		fm.benefit(pr, o)
	}
}

// project adds one stream's allocations in the projected years to each
// ICB's budget base.
func (fm *fastModel) project(sc *scratch, fs *fastStream, pr params, real float64) {
	n := fm.nICB
	perItem := fs.grows
	for i := 0; i < n; i++ {
		sc.formula[i] = fs.formula[i]
		sc.base[i] = fs.formula[i] + fs.additions[i] // recurrent money
		sc.grown[i] = fs.grown[i]
		if perItem {
			sc.items[i] = append(sc.items[i][:0], fs.items[i]...)
		}
	}
	aboveF, belowF := fs.aboveF, fs.belowF
	if fs.converges && !math.IsNaN(pr.convergence) {
		aboveF, belowF = pr.convergence, pr.convergence
	}
	for yi := fm.firstProj; yi < fm.nYears; yi++ {
		infl := or(pr.inflation, fm.inflation[yi])
		g := rule.CompoundF64(real, infl, 1, budget.WorkingScale)
		if fixed := fs.fixedGrowth[yi]; !math.IsNaN(fixed) {
			g = fixed
		}
		var sumBase, sumFormula float64
		for i := 0; i < n; i++ {
			base := sc.base[i]
			if perItem {
				kept := sc.items[i][:0]
				for _, it := range sc.items[i] {
					switch it.steps[yi] {
					case alloc.ItemFolds:
						base += it.amount
					case alloc.ItemGrows:
						kept = append(kept, fastItem{rule.GrowF64(it.amount, 1+g, -3), it.steps})
					case alloc.ItemHeld:
						kept = append(kept, it)
					}
				}
				sc.items[i] = kept
			} else {
				base += fs.folded[i][yi]
			}
			sc.base[i] = base
			sumBase += base
			sumFormula += sc.formula[i]
		}
		fm.converge(sc, fs, g, sumBase/sumFormula, aboveF, belowF)
		for i := 0; i < n; i++ {
			rec := sc.uplift[i] // the recurrent allocation converge gave
			sc.formula[i] = rec
			sc.base[i] = rec // recurrent money of the year: no additions in projected years
			total := rec
			if perItem {
				for _, it := range sc.items[i] {
					total += it.amount
				}
			} else {
				total += fs.held[i][yi]
			}
			sc.budget[i][yi] += total
		}
	}
}

// grants sets England's grant in each year: the ledger's own figures,
// unless the draw changes inflation, which moves only the real-terms
// rules; then by the ledger's formulas.
func (fm *fastModel) grants(sc *scratch, pr params) {
	for yi := 0; yi < fm.nYears; yi++ {
		if fm.grantFixed[yi] || math.IsNaN(pr.inflation) || fm.grantRule.InCash() {
			sc.grant[yi] = fm.grant[yi]
			continue
		}
		if fm.grantRule == prevention.Restore2015 {
			sc.grant[yi] = rule.RestoredF64(fm.grant2015, sc.index[yi], fm.resident[yi], fm.index2015, fm.pop2015, 2)
			if fm.takenYear >= 0 && yi >= fm.takenYear {
				sc.grant[yi] += rule.RebaseF64(fm.takenBase, sc.index[yi], sc.index[fm.takenYear], 2)
			}
		} else { // flat in real terms
			sc.grant[yi] = rule.RebaseF64(fm.grant[fm.lastGrant], sc.index[yi], sc.index[fm.lastGrant], 2)
		}
	}
	if !math.IsNaN(pr.inflation) && fm.grantRule != prevention.Restore2015 {
		fm.honourFloors(sc)
	}
}

// benefit sets each area's benefits by year: the shift of the years whose
// benefits fall in it, times the return spread over the years it lasts.
func (fm *fastModel) benefit(pr params, o *fastOut) {
	ny := fm.nYears
	roi := or(pr.roi, f64(fm.benefits.ROI))
	b := *fm.benefits
	if !math.IsNaN(pr.lag) {
		b.Lag = int(math.Round(math.Max(0, pr.lag)))
	}
	one := func(a int) {
		rule.BenefitsF64(o.benefit[a][:ny], o.shift[a][:ny], roi, 1, float64(b.Spread), b.Lag, b.Spread, budget.WorkingScale, 2)
	}
	if !fm.icbDetail { // England only, unless ICBs are asked for
		one(fm.eng)
		return
	}
	for a := 0; a < fm.rows; a++ {
		one(a)
	}
}

// converge is a round of alloc's convergeWithin in float64: each ICB's
// step (rule.Converge; without targets, its uplifted baseline,
// rule.Grow), then the allocations scaled to add up to England's uplifted
// baselines, which the ledger does to £1k by largest remainder. It leaves
// each ICB's allocation in sc.uplift and its grown target in sc.grown;
// factor carries last year's targets to this year's baselines.
func (fm *fastModel) converge(sc *scratch, fs *fastStream, g, factor, aboveF, belowF float64) {
	n := fm.nICB
	gf := 1 + g
	pol := rule.PolicyF64{AboveFraction: aboveF, AboveCap: fs.aboveCap, BelowFraction: belowF, BelowCap: fs.belowCap}
	var sumUplift, sumPre float64
	for i := 0; i < n; i++ {
		if fs.hasTarget {
			target := rule.GrowF64(sc.grown[i], factor, budget.WorkingScale)
			_, sc.uplift[i], sc.pre[i], sc.grown[i] = rule.ConvergeF64(sc.base[i], target, gf, 1, pol, budget.WorkingScale, 4)
		} else {
			sc.uplift[i] = rule.GrowF64(sc.base[i], gf, 4)
			sc.pre[i] = sc.uplift[i]
		}
		sumUplift += sc.uplift[i]
		sumPre += sc.pre[i]
	}
	scale := sumUplift / sumPre
	for i := 0; i < n; i++ {
		sc.uplift[i] = sc.pre[i] * scale
	}
}

// grantFloor is a published lower bound on the grant over several years
// (indices into the model's years).
type grantFloor struct {
	years []int
	ruled []bool // the year is the rule's (moves with a draw), not published
	bound float64
}

// honourFloors meets the grant's published floors in a draw that moves
// the grant (rule.HonourFloor, as the ledger meets them).
func (fm *fastModel) honourFloors(sc *scratch) {
	for _, f := range fm.floors {
		amounts := sc.floor[:len(f.years)]
		for k, yi := range f.years {
			amounts[k] = sc.grant[yi]
		}
		if rule.HonourFloorF64(amounts, f.ruled, f.bound, 2) {
			for k, yi := range f.years {
				sc.grant[yi] = amounts[k]
			}
		}
	}
}

// apportion splits year yi's grant over the ICBs into out[i][yi] by the
// rules prevention.ApportionWithShares states, without its pennies: an ICB
// with a published share takes it, the rest goes by registered population;
// in a year whose grants come from a council file, England's grant goes by
// the ICBs' grants from it. Run has refused populations or grants that add
// up to zero.
func (fm *fastModel) apportion(sc *scratch, yi int, out [][]float64) {
	part := sc.part
	ok := true
	if fm.councilYear != nil && fm.councilYear[yi] {
		ok = rule.ProportionalF64(part, sc.grant[yi], fm.councilGrant[yi], nil, budget.WorkingScale)
	} else {
		rest := rule.ShareOutF64(part, sc.grant[yi], fm.grantShare, fm.grantShared, 2)
		ok = rule.ProportionalF64(part, rest, fm.registered[yi], fm.grantShared, budget.WorkingScale)
	}
	if !ok {
		for i := range part {
			part[i] = math.NaN() // no weights to split by: no figure, never last year's
		}
	}
	for i, v := range part {
		out[i][yi] = v
	}
}

// share is the prevention share in year yi for baseline share s0, by the
// ledger's rule (prevention.Shift.ShareRule), at the ledger's 10 places: a
// share is a quantity at 10 places, and on a small shift the eleventh place
// of a share times a budget is more than a millionth of the shift.
func (fm *fastModel) share(s0 float64, yi int) float64 {
	return math.Round(rule.ShareF64(s0, fm.shareAdd[yi], fm.shareTimes[yi])*1e10) / 1e10
}

// aggregate is the model of England alone, for draws that need no ICB's
// figures: England projected as one ICB. Every step of the projection is
// linear in the ICBs' money and grows them alike, except convergence,
// which moves money between ICBs and keeps their sum (converge scales the
// allocations to add up to the uplifted baselines), so England's budget
// is the one ICB's, and England's prevention its budget times the share.
// It reports false when ICBs have baseline shares of their own, whose
// prevention is not England's share of England's budget.
func (fm *fastModel) aggregate() (*fastModel, bool) {
	for _, s := range fm.s0ICB {
		if !math.IsNaN(s) {
			return nil, false
		}
	}
	sum := func(g [][]float64) [][]float64 {
		out := grid(1, fm.nYears)
		for _, row := range g {
			for yi, v := range row {
				out[0][yi] += v
			}
		}
		return out
	}
	ag := *fm
	ag.nICB, ag.icbDetail = 1, false
	ag.pubBudget, ag.s0ICB = sum(fm.pubBudget), []float64{math.NaN()}
	ag.registered = grid(fm.nYears, 1)
	for yi, row := range fm.registered {
		for _, v := range row {
			ag.registered[yi][0] += v
		}
	}
	ag.grantShare, ag.grantShared = []float64{0}, []bool{false}
	ag.councilGrant, ag.councilYear = nil, nil
	ag.streams = make([]fastStream, len(fm.streams))
	for si, fs := range fm.streams {
		as := fs
		as.published, as.held, as.folded = sum(fs.published), sum(fs.held), sum(fs.folded)
		as.formula, as.additions, as.grown = []float64{0}, []float64{0}, []float64{0}
		for i := range fs.formula {
			as.formula[0] += fs.formula[i]
			as.additions[0] += fs.additions[i]
		}
		as.hasTarget, as.converges = false, false
		// Items whose steps are the same year by year move alike.
		at := map[string]int{}
		var items []fastItem
		for _, list := range fs.items {
			for _, it := range list {
				k := fmt.Sprint(it.steps)
				if j, ok := at[k]; ok {
					items[j].amount += it.amount
					continue
				}
				at[k] = len(items)
				items = append(items, fastItem{amount: it.amount, steps: it.steps})
			}
		}
		as.items = [][]fastItem{items}
		ag.streams[si] = as
	}
	return &ag, true
}
