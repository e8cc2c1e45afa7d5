package scenario

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/prevention"
)

// fastModel is one scenario's arithmetic in float64, for Simulate: the
// published years are fixed, and the years after them are projected again
// for each draw of the uncertain assumptions. It mirrors the decimal
// engine step by step (recurrent allocations rounded to £1k, budgets and
// spending to the penny), so with no uncertainty it gives Run's figures.
type fastModel struct {
	schedule     Schedule // discounting of the present values
	pvBase       int      // index of year 0 of the present values in years
	pvBasis      string   // the basis of present values: year 0's prices
	realBasis    string   // the basis of real-terms figures: the model's price base year
	nICB, nYears int
	years        []budget.Year
	firstProj    int // index in years of the first projected year (nYears if none)
	streams      []fastStream
	// Fixed by year: the share path weight, populations, the published
	// deflator index and growth, the published grant.
	weight     []float64
	pubBudget  [][]float64 // [icb][year]: the budget base of each published year
	registered [][]float64 // [icb][year]
	grantShare []float64   // [icb]: the ICB's published share of England's grant (prevention.ICBGrantShare), NaN if none
	qaly       *fastQALYs  // the scenario's QALY valuation, if any
	// councilGrant [icb][year] is Run's ICB grant in the years whose
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
	grant2015 float64   // 2015/16 grant per resident at 2015/16 prices (restore-2015-16 under drawn inflation)
	resident  []float64 // England, by year
	// The shift.
	reading prevention.Reading
	size    float64
	spanLen int
	s0      float64
	s0ICB   []float64 // per ICB; NaN where the national share applies
	// ledgerShare is the decimal engine's share of each ICB and year
	// ([icb][year]), used unless the draw changes the baseline share.
	ledgerShare [][]float64
	funding     prevention.Funding
	benefits    *prevention.Benefits
	// Settlement.
	realGrowth float64
	// icbDetail asks eval for each ICB's grant and benefits, not only England's.
	icbDetail bool
}

type fastStream struct {
	stream    budget.Stream
	published [][]float64 // [icb][year] totals for published years
	// The last published year, to project from.
	formula, additions []float64
	items              [][]fastItem
	hasTarget          bool
	grown              []float64
	// Under the hold and drop rules the items do not depend on a draw:
	// held[i][yi] is the items still paid in projected year yi, folded[i][yi]
	// the amount that joins the baseline in yi.
	held, folded [][]float64
	// grows says an item grows with base growth, so that items are carried
	// one by one in each draw.
	grows              bool
	policy             budget.ConvergencePolicy
	converges          bool
	aboveCap, belowCap float64
	aboveF, belowF     float64
	fixedGrowth        []float64 // by year index: growth fixed by the settlement (running costs, years set in cash), NaN if not
}

type fastItem struct {
	name   string
	amount float64
	fold   int                     // index of the year from which the item is folded into the baseline; -1 for never
	rule   budget.NonRecurrentRule // what happens to it in projected years (Settlement.RuleFor)
}

func f64(d interface{ InexactFloat64() float64 }) float64 { return d.InexactFloat64() }

// newFastModel builds the float model of scenario s from its deterministic
// projection p and prevention result r.
func newFastModel(d *budget.Data, s Scenario, p *budget.Projection, r *prevention.Result, m prevention.Model) (*fastModel, error) {
	st, err := s.settlement(d)
	if err != nil {
		return nil, err
	}
	for _, ov := range st.ICBGrowth {
		if len(ov) > 0 {
			return nil, fmt.Errorf("simulating %q: %w: per-ICB growth overrides are not supported", s.Name, errRange)
		}
	}
	sched, err := s.schedule(d)
	if err != nil {
		return nil, err
	}
	fm := &fastModel{schedule: sched, years: m.Years.Years(), nICB: len(p.ICBs()), realGrowth: f64(st.RealGrowth.Decimal()),
		reading: m.Shift.Reading, size: f64(m.Shift.Size), spanLen: m.Shift.Span.Len(),
		s0: f64(m.Baseline.Share.Decimal()), funding: m.Funding, benefits: m.Benefits, grantRule: m.Grant.Kind,
		grantRate: f64(m.Grant.Rate.Decimal())}
	fm.nYears = len(fm.years)
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
	// The ledger's shares of each ICB and year, for draws that keep the
	// baseline share: the decimal engine's own, so that a share exactly
	// halfway between two values at 10 places is rounded as it rounds it.
	fm.ledgerShare = grid(fm.nICB, fm.nYears)
	for i, icb := range icbs {
		for yi, y := range fm.years {
			sh, err := m.Shift.ShareIn(y, m.Baseline.For(icb.Code))
			if err != nil {
				return nil, err
			}
			fm.ledgerShare[i][yi] = f64(sh.Decimal())
		}
	}
	// Share path weights.
	fm.weight = make([]float64, fm.nYears)
	for yi, y := range fm.years {
		k := y.Sub(m.Shift.Span.First()) + 1
		w, err := m.Shift.Profile.Weight(k, fm.spanLen)
		if err != nil {
			return nil, err
		}
		fm.weight[yi] = f64(w)
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
				fold := -1
				for yi := fm.firstProj; yi < fm.nYears && fold < 0; yi++ {
					for _, con := range st.Consolidations {
						if con.Stream == stream && (con.Item == "" || con.Item == it.Name) && !fm.years[yi].Before(con.From) {
							fold = yi
						}
					}
				}
				rule := st.RuleFor(it.Name)
				fs.items[i] = append(fs.items[i], fastItem{it.Name, f64(it.Amount.Decimal()), fold, rule})
				fs.grows = fs.grows || rule == budget.GrowNonRecurrent
			}
			fs.hasTarget = c.HasTarget
			fs.grown[i] = f64(c.GrownTarget.Decimal())
		}
		if pol, ok := st.Convergence[stream]; ok {
			fs.policy, fs.converges = pol, true
		} else {
			fs.policy = budget.NoConvergence()
		}
		fs.aboveF, fs.belowF = f64(fs.policy.AboveFraction), f64(fs.policy.BelowFraction)
		fs.aboveCap, fs.belowCap = f64(fs.policy.AboveCap), f64(fs.policy.BelowCap)
		fs.held, fs.folded = grid(fm.nICB, fm.nYears), grid(fm.nICB, fm.nYears)
		for i := range icbs {
			for yi := fm.firstProj; yi < fm.nYears; yi++ {
				for _, it := range fs.items[i] {
					switch {
					case it.fold == yi && (it.rule != budget.DropNonRecurrent || yi == fm.firstProj):
						fs.folded[i][yi] += it.amount
					case (it.fold < 0 || yi < it.fold) && it.rule == budget.HoldNonRecurrent:
						fs.held[i][yi] += it.amount
					}
				}
			}
		}
		for yi := range fs.fixedGrowth {
			fs.fixedGrowth[yi] = math.NaN()
			if g, ok := st.StreamGrowth[stream][fm.years[yi]]; ok {
				fs.fixedGrowth[yi] = f64(g.Decimal())
			} else if st.FixedCash[fm.years[yi]] {
				fs.fixedGrowth[yi] = f64(st.Growth[fm.years[yi]].Decimal())
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
	shares, err := prevention.PublishedICBGrantShares(d.Grant)
	if err != nil {
		return nil, err
	}
	fm.grantShare = make([]float64, fm.nICB)
	for i, icb := range icbs {
		fm.grantShare[i] = math.NaN()
		for _, sh := range shares {
			if sh.ICB == icb.Code {
				fm.grantShare[i] = f64(sh.Share)
			}
		}
	}
	fm.registered = make([][]float64, fm.nICB)
	for i, icb := range icbs {
		fm.registered[i] = make([]float64, fm.nYears)
		for yi, y := range fm.years {
			pop, err := p.Population(icb.Code, y)
			if err != nil {
				return nil, err
			}
			fm.registered[i][yi] = f64(pop.Value.Decimal())
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
				fm.councilGrant, fm.councilYear = grid(fm.nICB, fm.nYears), make([]bool, fm.nYears)
			}
			fm.councilYear[yi] = true
			for i, icb := range icbs {
				v, err := r.Values(icb.Code, y)
				if err != nil {
					return nil, err
				}
				fm.councilGrant[i][yi] = f64(v.Grant.Decimal())
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
	for _, f := range d.Grant.Figures() {
		if f.Measure != "total_multi_year" || f.Vintage != budget.LowerBound {
			continue
		}
		var idx []int
		for yi, y := range fm.years {
			if f.Span.Contains(y) {
				idx = append(idx, yi)
			}
		}
		if len(idx) == f.Span.Len() {
			fm.floors = append(fm.floors, grantFloor{years: idx, bound: f64(f.Amount.Decimal())})
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
	pop15, err := d.Populations.Get(budget.MustYear("2015/16"), "ENG", budget.Resident)
	if err != nil {
		return nil, err
	}
	fm.index2015 = f64(i15)
	fm.grant2015 = f64(r.Grant2015.Amount.Decimal()) / f64(pop15.Value.Decimal())
	fm.resident = make([]float64, fm.nYears)
	for yi, y := range fm.years {
		res, err := d.Populations.Get(y, "ENG", budget.Resident)
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
	budget  [][]float64 // [icb][year] budget base, pence
	base    []float64
	formula []float64
	grown   []float64
	items   [][]fastItem
	index   []float64
	grant   []float64
	uplift  []float64 // converging: each ICB's uplifted baseline, then its allocation
	pre     []float64 // converging: each ICB's allocation before funding
	rems    []float64 // apportioning and converging: each ICB's remainder below the unit
	sorted  []float64 // converging: the remainders in order
	order   []int     // apportioning and converging: ICBs by remainder, largest first
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
		grant: make([]float64, fm.nYears), rems: make([]float64, fm.nICB), order: make([]int, fm.nICB),
		uplift: make([]float64, fm.nICB), pre: make([]float64, fm.nICB), sorted: make([]float64, fm.nICB)}
	n := fm.nICB + 1
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

// round2 rounds to the penny and round1k to the nearest £1k, halves away
// from zero, as the decimal engine does.
func round2(x float64) float64  { return math.Round(x*100) / 100 }
func round1k(x float64) float64 { return math.Round(x/1000) * 1000 }

// roundScale rounds to budget.WorkingScale (10) places, where the ledger
// rounds a share or a rate.
func roundScale(x float64) float64 { return math.Round(x*1e10) / 1e10 }

// scaled is a value at 10 places as a whole number of 1e-10ths.
func scaled(x float64) int64 { return int64(math.Round(x * 1e10)) }

// mulScaled is a x s / 10^10 rounded to a whole number, halves away from
// zero, computed exactly in 128 bits: a whole number of pence times a
// share or rate at 10 places, rounded to the penny as the ledger rounds.
func mulScaled(a, s int64) int64 {
	neg := (a < 0) != (s < 0)
	ua, us := uint64(a), uint64(s)
	if a < 0 {
		ua = uint64(-a)
	}
	if s < 0 {
		us = uint64(-s)
	}
	hi, lo := bits.Mul64(ua, us)
	const scale = 10_000_000_000
	if hi >= scale {
		// Beyond any budget (more than 1.8e9 times 2^64 pence): saturate
		// rather than wrap; the bands would show it.
		return math.MaxInt64
	}
	q, r := bits.Div64(hi, lo, scale)
	if r >= scale/2 {
		q++
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

func or(v, dflt float64) float64 {
	if math.IsNaN(v) {
		return dflt
	}
	return v
}

// eval computes one draw into sc.out.
func (fm *fastModel) eval(pr params, sc *scratch) {
	ny, n := fm.nYears, fm.nICB
	if q := fm.qaly; q != nil {
		sc.out.qalyPH, sc.out.qalyNHS = or(pr.qalyPH, q.ph), or(pr.qalyNHS, q.nhs)
	}
	// Deflator index and inflation for projected years.
	for yi := 0; yi < ny; yi++ {
		sc.index[yi] = fm.index[yi]
		if yi >= fm.firstProj && !math.IsNaN(pr.inflation) && yi > 0 {
			sc.index[yi] = sc.index[yi-1] * (1 + pr.inflation)
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
		fs := &fm.streams[si]
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
		for yi := fm.firstProj; yi < ny; yi++ {
			infl := fm.inflation[yi]
			if !math.IsNaN(pr.inflation) {
				infl = pr.inflation
			}
			g := float64((1+real)*(1+infl)) - 1
			if fixed := fs.fixedGrowth[yi]; !math.IsNaN(fixed) {
				g = fixed
			}
			var sumBase, sumFormula float64
			for i := 0; i < n; i++ {
				base := sc.base[i]
				if perItem {
					kept := sc.items[i][:0]
					for _, it := range sc.items[i] {
						if it.fold >= 0 && yi >= it.fold {
							base += it.amount
							continue
						}
						switch it.rule {
						case budget.GrowNonRecurrent:
							kept = append(kept, fastItem{it.name, round1k(it.amount * (1 + g)), it.fold, it.rule})
						case budget.HoldNonRecurrent:
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
			factor := sumBase / sumFormula
			fm.converge(sc, fs, g, factor, aboveF, belowF)
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
	// Grant: the ledger's own figures (GrantSeries and Run, to the penny),
	// unless the draw changes inflation, which moves only the real-terms
	// rules; then in float64, as the ledger's formulas.
	for yi := 0; yi < ny; yi++ {
		if fm.grantFixed[yi] || math.IsNaN(pr.inflation) || fm.grantRule == prevention.FlatCash || fm.grantRule == prevention.GrowCash {
			sc.grant[yi] = fm.grant[yi]
			continue
		}
		if fm.grantRule == prevention.Restore2015 {
			sc.grant[yi] = round2(fm.grant2015 * sc.index[yi] / fm.index2015 * fm.resident[yi])
			if fm.takenYear >= 0 && yi >= fm.takenYear {
				sc.grant[yi] += round2(fm.takenBase * sc.index[yi] / sc.index[fm.takenYear])
			}
		} else { // flat in real terms
			sc.grant[yi] = round2(fm.grant[fm.lastGrant] * sc.index[yi] / sc.index[fm.lastGrant])
		}
	}
	if !math.IsNaN(pr.inflation) && fm.grantRule != prevention.Restore2015 {
		fm.honourFloors(sc)
	}
	// Prevention, per ICB and England.
	o := &sc.out
	for yi := 0; yi < ny; yi++ {
		for _, col := range [][][]float64{o.budget, o.prevention, o.counterfactual, o.shift, o.treatment, o.grant} {
			col[n][yi] = 0
		}
	}
	for i := 0; i < n; i++ {
		s0 := fm.s0ICB[i]
		if math.IsNaN(s0) {
			s0 = or(pr.s0, fm.s0)
		}
		// A draw of the baseline share other than the scenario's own moves
		// the share path off the ledger's.
		drawn := math.IsNaN(fm.s0ICB[i]) && !math.IsNaN(pr.s0) && pr.s0 != fm.s0
		for yi := 0; yi < ny; yi++ {
			b := round2(sc.budget[i][yi])
			share := fm.ledgerShare[i][yi]
			if drawn {
				share = fm.share(s0, fm.weight[yi])
			}
			// In whole pence times shares at 10 places, exactly, as the
			// ledger multiplies and rounds (halves away from zero).
			bp := int64(math.Round(b * 100))
			prev := float64(mulScaled(bp, scaled(share))) / 100
			cf := float64(mulScaled(bp, scaled(s0))) / 100
			shift := prev - cf
			bud, treat := b, b-prev
			if fm.funding == prevention.Additional {
				bud, treat = b+shift, b-cf
			}
			o.budget[i][yi], o.prevention[i][yi], o.counterfactual[i][yi], o.shift[i][yi], o.treatment[i][yi] = bud, prev, cf, shift, treat
			o.budget[n][yi] += bud
			o.prevention[n][yi] += prev
			o.counterfactual[n][yi] += cf
			o.shift[n][yi] += shift
			o.treatment[n][yi] += treat
		}
	}
	// The grant by registered population, each ICB's part rounded to the
	// penny by largest remainder, as prevention.Apportion does.
	for yi := 0; yi < ny; yi++ {
		o.grant[n][yi] = sc.grant[yi]
		if fm.icbDetail {
			fm.apportion(sc, yi, o.grant)
		}
	}
	o.index = sc.index
	if fm.benefits != nil {
		roi := or(pr.roi, f64(fm.benefits.ROI))
		lag := fm.benefits.Lag
		if !math.IsNaN(pr.lag) {
			lag = int(math.Round(math.Max(0, pr.lag)))
		}
		per := roundScale((1 + roi) / float64(fm.benefits.Spread))
		first := n // England only, unless ICBs are asked for
		if fm.icbDetail {
			first = 0
		}
		for a := first; a <= n; a++ {
			for t := 0; t < ny; t++ {
				var sum float64
				for j := 0; j <= t; j++ {
					if age := t - j; age >= lag && age < lag+fm.benefits.Spread {
						sum += o.shift[a][j]
					}
				}
				o.benefit[a][t] = float64(mulScaled(int64(math.Round(sum*100)), scaled(per))) / 100
			}
		}
	}
}

// converge is budget's convergeWithin in float64 (without targets, the
// uplifted baselines alone): each ICB's allocation before funding,
// baseline x (1 + g) x (1 + the policy's adjustment), all scaled to add up
// to the uplifted baselines, and rounded to £1k by largest remainder so
// that England's total is the uplifted baselines' sum rounded to £1k. It
// leaves each ICB's allocation in sc.uplift and its grown target in
// sc.grown.
func (fm *fastModel) converge(sc *scratch, fs *fastStream, g, factor, aboveF, belowF float64) {
	n := fm.nICB
	var sumUplift, sumPre float64
	for i := 0; i < n; i++ {
		base := sc.base[i]
		var conv float64
		if fs.hasTarget {
			target := sc.grown[i] * factor
			dft := (base - target) / target
			switch {
			case dft > 0:
				conv = -math.Min(dft*aboveF, fs.aboveCap)
			case dft < 0:
				conv = math.Min(-dft*belowF, fs.belowCap)
			}
			sc.grown[i] = target * (1 + g)
		}
		u := float64(base * (1 + g))
		sc.uplift[i], sc.pre[i] = u, float64(u*(1+conv))
		sumUplift += sc.uplift[i]
		sumPre += sc.pre[i]
	}
	need := round1k(sumUplift) / 1000
	scale := sumUplift / (sumPre * 1000)
	for i := 0; i < n; i++ {
		v := sc.pre[i] * scale
		fl := math.Floor(v)
		sc.uplift[i] = fl
		sc.rems[i] = v - fl
		need -= fl
	}
	largestRemainder(sc.uplift[:n], sc.rems[:n], sc.sorted[:n], int(math.Round(need)))
	for i := 0; i < n; i++ {
		sc.uplift[i] *= 1000
	}
}

// largestRemainder adds k units to the parts with the largest remainders
// (ties to the earlier part), or takes -k from those with the smallest (ties
// to the later), a whole unit from every part first while k is at least
// their number, as budget's roundWithin does. sorted is scratch space.
func largestRemainder(parts, rems, sorted []float64, k int) {
	n := len(parts)
	for ; k >= n && n > 0; k -= n {
		for i := range parts {
			parts[i]++
		}
	}
	for ; k <= -n && n > 0; k += n {
		for i := range parts {
			parts[i]--
		}
	}
	if k == 0 {
		return
	}
	if k > 0 && nearHalf(parts, rems, sorted, k) {
		return
	}
	copy(sorted, rems)
	if k > 0 {
		t := kthLargest(sorted, k)
		for i := range parts {
			if rems[i] > t {
				parts[i]++
				k--
			}
		}
		for i := 0; i < n && k > 0; i++ {
			if rems[i] == t {
				parts[i]++
				k--
			}
		}
		return
	}
	t := kthLargest(sorted, n+k+1) // the -k-th smallest remainder
	for i := range parts {
		if rems[i] < t {
			parts[i]--
			k++
		}
	}
	for i := n - 1; i >= 0 && k < 0; i-- {
		if rems[i] == t {
			parts[i]--
			k++
		}
	}
}

// nearHalf is largestRemainder's usual case, in a few passes: the parts
// that round up (remainder at least a half) are most of the k to add, and
// the few more or fewer are the next largest below a half (ties to the
// earlier part) or the smallest at or above it (ties to the later part
// left out). It reports false, having changed nothing, when k is further
// from the count of those parts than that. chosen is scratch space.
func nearHalf(parts, rems, chosen []float64, k int) bool {
	up := 0
	for _, r := range rems {
		if r >= 0.5 {
			up++
		}
	}
	d := k - up
	if d > 4 || d < -4 {
		return false
	}
	for i, r := range rems {
		chosen[i] = 0
		if r >= 0.5 {
			chosen[i] = 1
		}
	}
	for ; d > 0; d-- { // add the largest remainder not chosen, the earliest of equals
		best := -1
		for i, r := range rems {
			if chosen[i] == 0 && (best < 0 || r > rems[best]) {
				best = i
			}
		}
		chosen[best] = 1
	}
	for ; d < 0; d++ { // leave out the smallest chosen, the latest of equals
		worst := -1
		for i, r := range rems {
			if chosen[i] == 1 && (worst < 0 || r <= rems[worst]) {
				worst = i
			}
		}
		chosen[worst] = 0
	}
	for i := range parts {
		parts[i] += chosen[i]
	}
	return true
}

// grantFloor is a published lower bound on the grant over several years
// (indices into the model's years).
type grantFloor struct {
	years []int
	bound float64
}

// honourFloors is prevention's honourFloors in float64, for draws that
// move the grant: the projected years under a floor they fall short of are
// raised in proportion.
func (fm *fastModel) honourFloors(sc *scratch) {
	for _, f := range fm.floors {
		var sum, projected float64
		for _, yi := range f.years {
			sum += sc.grant[yi]
			if !fm.grantFixed[yi] {
				projected += sc.grant[yi]
			}
		}
		if sum >= f.bound || projected <= 0 {
			continue
		}
		scale := (projected + f.bound - sum) / projected
		for _, yi := range f.years {
			if !fm.grantFixed[yi] {
				sc.grant[yi] = round2(sc.grant[yi] * scale)
			}
		}
	}
}

// kthLargest is the k-th largest (from 1) of a, which it reorders: a
// selection in linear time on average, where a sort would take n log n.
func kthLargest(a []float64, k int) float64 {
	want := k - 1 // its place in descending order
	lo, hi := 0, len(a)-1
	for lo < hi {
		pivot := a[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for a[i] > pivot {
				i++
			}
			for a[j] < pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case want <= j:
			hi = j
		case want >= i:
			lo = i
		default:
			return a[want]
		}
	}
	return a[want]
}

// apportion splits year yi's grant over the ICBs into out[i][yi], as
// prevention.ApportionWithShares does: an ICB with a published share takes
// it, to the penny; the rest goes by registered population, each part
// floored to the penny and the pennies left over given to the largest
// remainders (ties in ICB order), so the parts add up to the grant.
func (fm *fastModel) apportion(sc *scratch, yi int, out [][]float64) {
	n := fm.nICB
	if fm.councilYear != nil && fm.councilYear[yi] {
		fm.apportionBy(sc, yi, out, fm.councilGrant)
		return
	}
	totalPence := math.Round(sc.grant[yi] * 100)
	restPence := totalPence
	var reg float64
	for i := 0; i < n; i++ {
		if sh := fm.grantShare[i]; !math.IsNaN(sh) {
			continue
		}
		reg += fm.registered[i][yi]
	}
	var floorSum float64
	m := 0 // ICBs apportioned by population, in order of remainder
	for i := 0; i < n; i++ {
		if sh := fm.grantShare[i]; !math.IsNaN(sh) {
			out[i][yi] = math.Round(totalPence * sh)
			restPence -= out[i][yi]
		}
	}
	for i := 0; i < n; i++ {
		if !math.IsNaN(fm.grantShare[i]) {
			continue
		}
		part := restPence * fm.registered[i][yi] / reg
		fl := math.Floor(part)
		out[i][yi] = fl
		sc.rems[i] = part - fl
		floorSum += fl
		// insertion into order by remainder, largest first, stable
		k := m
		for k > 0 && sc.rems[sc.order[k-1]] < sc.rems[i] {
			sc.order[k] = sc.order[k-1]
			k--
		}
		sc.order[k] = i
		m++
	}
	need := int(restPence - floorSum)
	for k := 0; k < m; k++ {
		if k < need {
			out[sc.order[k]][yi]++
		}
	}
	for i := 0; i < n; i++ {
		out[i][yi] /= 100
	}
}

// share is the prevention share at a weight of the span's change.
func (fm *fastModel) share(s0, w float64) float64 {
	switch fm.reading {
	case prevention.PerYear:
		return roundScale(s0 + float64(fm.size/100*float64(fm.spanLen)*w))
	case prevention.Relative:
		return roundScale(s0 * (1 + float64(fm.size/100*w)))
	case prevention.RelativePerYear:
		return roundScale(s0 * math.Pow(1+fm.size/100, float64(fm.spanLen)*w))
	}
	return roundScale(s0 + float64(fm.size/100*w))
}

// apportionBy splits the year's grant over the ICBs in proportion to
// weights[icb][yi], each part rounded to the penny by largest remainder,
// as prevention holds a council file's shares.
func (fm *fastModel) apportionBy(sc *scratch, yi int, out [][]float64, weights [][]float64) {
	n := fm.nICB
	totalPence := math.Round(sc.grant[yi] * 100)
	var sum float64
	for i := 0; i < n; i++ {
		sum += weights[i][yi]
	}
	var floorSum float64
	for i := 0; i < n; i++ {
		part := totalPence * weights[i][yi] / sum
		fl := math.Floor(part)
		out[i][yi] = fl
		sc.rems[i] = part - fl
		floorSum += fl
		k := i // insertion into order by remainder, largest first, stable
		for k > 0 && sc.rems[sc.order[k-1]] < sc.rems[i] {
			sc.order[k] = sc.order[k-1]
			k--
		}
		sc.order[k] = i
	}
	need := int(totalPence - floorSum)
	for k := 0; k < n && k < need; k++ {
		out[sc.order[k]][yi]++
	}
	for i := 0; i < n; i++ {
		out[i][yi] /= 100
	}
}
