package alloc

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/dec"
	"github.com/upstream-health/upstream/internal/rule"
)

// Item is a named amount: a non-recurrent item of an allocation.
type Item struct {
	Name   string       `json:"name"`
	Amount budget.Money `json:"amount"`
}

// Cell is one stream of one ICB (or England) in one year of a projection.
type Cell struct {
	// Baseline is the adjusted recurrent baseline the year's round started
	// from (zero where the data does not give it).
	Baseline budget.Money
	// Formula is the recurrent allocation the formula gives, to £1k.
	Formula budget.Money
	// Additions are recurrent amounts added outside the formula.
	Additions budget.Money
	// Items are the non-recurrent items, in data order.
	Items []Item
	// HasTarget reports whether the year has a fair-share target for the stream.
	HasTarget   bool
	Target      budget.Money    // the round's target, previous year's basis
	GrownTarget budget.Money    // target x (1 + growth): this year's basis
	Growth      budget.Rate     // base growth
	DfTBefore   decimal.Decimal // distance from target before convergence
	Convergence decimal.Decimal // convergence adjustment
	DfTAfter    decimal.Decimal // distance from target after convergence
	Status      budget.Status   // published, restated, derived or projected; 0 if the stream has no money that year
	// Restatement is the recurrent money the next round's restatement adds
	// to the first-published allocation (pay awards, in-year transfers),
	// included in Additions, on a restated basis (RestatedVintage).
	Restatement budget.Money
	// Scope is the money of scope changes (ScopeChanges) in the cell,
	// included in Additions or Items: the equivalent added to a year before
	// a change (IncludeScope), or the amount taken out (StripScope, negative).
	Scope budget.Money
	// Moved is, on HeldScope, the money that moves into the stream's
	// allocation next year (scope changes of the next year) and that ICBs
	// did not hold this year: not in Total. Next year's growth is on
	// Total + Moved, one scope. Zero on the other scope rules, where a
	// stream's cell may hold Moved without existing (delegated specialised
	// services the year before delegation).
	Moved budget.Money
	// Vintage is the round whose figures the cell is on: the year itself
	// as first published, the next year on a restated basis, zero for a
	// projected year.
	Vintage budget.Year

	total    budget.Money // Total, cached when the engine makes the cell
	hasTotal bool
	// whole is the status the cell's money has where it is counted whole,
	// in England's totals: Status, but for a split ICB's part on a restated
	// footprint, the status before the split (see Figure.WholeStatus).
	whole budget.Status
}

// WholeStatus is the status the cell adds to England's totals.
func (c Cell) WholeStatus() budget.Status {
	if c.whole != 0 {
		return c.whole
	}
	return c.Status
}

// worsen lowers the cell's status, and its whole status, to s at best.
func (c *Cell) worsen(s budget.Status) {
	c.Status, c.whole = c.Status.Worst(s), c.WholeStatus().Worst(s)
}

// withTotal returns c with its total cached.
func (c Cell) withTotal() Cell {
	c.total, c.hasTotal = c.Recurrent().Add(c.NonRecurrent()), true
	return c
}

// Recurrent is the year's recurrent money: the formula allocation and its additions.
func (c Cell) Recurrent() budget.Money { return c.Formula.Add(c.Additions) }

// NonRecurrent is the sum of the non-recurrent items.
func (c Cell) NonRecurrent() budget.Money {
	var t budget.Money
	for _, it := range c.Items {
		t = t.Add(it.Amount)
	}
	return t
}

// Total is all the year's money in the stream.
func (c Cell) Total() budget.Money {
	if c.hasTotal {
		return c.total
	}
	return c.Recurrent().Add(c.NonRecurrent())
}

// RecurrentGrowth is the year's recurrent allocation growth as NHS England
// states it in its workbooks ("Recurrent allocation growth (%)"): the
// recurrent allocation over the adjusted recurrent baseline it grew from,
// less 1. For primary medical care the recurrent allocation is the revised
// one, with the stream's recurrent additions (in 2025/26 the remaining
// growth, childhood vaccinations and the ARRS moved from SDF); for the
// other streams it is the formula allocation, so the 2025/26 SDF transfer
// into core, shown after it, is not growth. ok is false where the data
// gives no baseline (POD before 2025/26). Exact to 10 places.
func (c Cell) RecurrentGrowth(s dataset.Stream) (g decimal.Decimal, ok bool) {
	if c.Baseline.Sign() <= 0 || !c.Exists() {
		return decimal.Zero, false
	}
	return c.StatedRecurrent(s).Decimal().DivRound(c.Baseline.Decimal(), budget.WorkingScale).Sub(one), true
}

// StatedRecurrent is the recurrent allocation as NHS England states it for
// growth and £ per head, as first published whatever the basis: the
// revised allocation, with the recurrent additions, for primary medical
// care; the formula allocation for the other streams (see RecurrentGrowth).
func (c Cell) StatedRecurrent(s dataset.Stream) budget.Money {
	if s == dataset.PMC {
		return c.Formula.Add(c.Additions).Sub(c.Restatement).Sub(c.Scope)
	}
	return c.Formula
}

// Exists reports whether the stream has money that year.
func (c Cell) Exists() bool { return c.Status != 0 }

// Projection is ICB allocations by year and stream: the published years as
// published, and the years after them projected under a settlement. It is
// immutable.
type Projection struct {
	settlement Settlement
	basis      AllocationBasis
	span       budget.Span
	published  budget.Year // last published year
	icbs       []dataset.ICB
	index      map[string]int // each ICB's place in icbs, by code
	cells      []Cell         // [icb][year][stream]
	pops       []dataset.PopulationFigure
	sums       *streamSumsCache // each ICB-year's totals over a set of streams, made once
}

// streamSums are, for one set of streams, each ICB's money over them in
// each year of a projection (Total's and Moved's figures), made once for
// every caller: the runs of a catalogue share a projection and ask for the
// same streams.
type streamSums struct {
	once    sync.Once
	total   []budget.Money // [icb][year]
	moved   []budget.Money
	status  []budget.Status
	england []budget.Status // [year]: England's, the weakest whole status of each stream's cells with money
}

// streamSumsCache holds a projection's streamSums by the set of streams.
type streamSumsCache struct {
	mu sync.Mutex
	m  map[uint64]*streamSums
}

func newStreamSums() *streamSumsCache { return &streamSumsCache{m: map[uint64]*streamSums{}} }

// streamSet is the set of streams as a bit mask, or an error for a stream
// that is unknown (budget.ErrUnknown) or named twice (budget.ErrDuplicate:
// it would be counted twice).
func streamSet(streams []dataset.Stream) (set uint64, err error) {
	for _, s := range streams {
		switch {
		case !s.Valid() || s < 1 || s > 64:
			return 0, fmt.Errorf("stream %d: %w", int(s), budget.ErrUnknown)
		case set&(1<<(s-1)) != 0:
			return 0, fmt.Errorf("stream %s: %w: a stream is counted once", s, budget.ErrDuplicate)
		}
		set |= 1 << (s - 1)
	}
	return set, nil
}

// sumsOf are the projection's sums over the streams of set, made the first
// time they are asked for (each time, for a projection without a cache).
func (p *Projection) sumsOf(set uint64) *streamSums {
	var e *streamSums
	if p.sums != nil {
		p.sums.mu.Lock()
		if e = p.sums.m[set]; e == nil {
			e = &streamSums{}
			p.sums.m[set] = e
		}
		p.sums.mu.Unlock()
	} else {
		e = &streamSums{}
	}
	e.once.Do(func() {
		n, ny := len(p.icbs), p.span.Len()
		e.total, e.moved, e.status = make([]budget.Money, n*ny), make([]budget.Money, n*ny), make([]budget.Status, n*ny)
		for i := range n {
			for yi := range ny {
				var total, moved budget.Money
				var status budget.Status
				k := 0
				for _, s := range dataset.Streams() {
					if set&(1<<(s-1)) == 0 {
						continue
					}
					c := &p.cells[p.at(i, yi, s)]
					if !c.Moved.IsZero() {
						moved = moved.Add(c.Moved)
					}
					if c.Exists() {
						total, status, k = total.Add(c.Total()), status.Worst(c.Status), k+1
					}
				}
				if k > 1 {
					status = status.Summed()
				}
				e.total[i*ny+yi], e.moved[i*ny+yi], e.status[i*ny+yi] = total, moved, status
			}
		}
		e.england = make([]budget.Status, ny)
		for yi := range ny {
			var status budget.Status
			k := 0
			for _, s := range dataset.Streams() {
				if set&(1<<(s-1)) == 0 {
					continue
				}
				var st budget.Status // England's cell's: the ICBs' with money
				for i := range n {
					if c := &p.cells[p.at(i, yi, s)]; c.Exists() {
						st = st.Worst(c.WholeStatus())
					}
				}
				if st != 0 {
					status, k = status.Worst(st), k+1
				}
			}
			if k > 1 {
				status = status.Summed()
			}
			e.england[yi] = status
		}
	})
	return e
}

func (p *Projection) at(i, yi int, s dataset.Stream) int {
	return (i*p.span.Len()+yi)*len(dataset.Streams()) + int(s) - 1
}

// Project builds a projection on the default basis (DefaultBasis: each
// year restated, with its own year's scope held) from the published allocations
// to the horizon year under a settlement; see ProjectOn.
func Project(a *dataset.Allocations, pops dataset.Populations, s Settlement, horizon budget.Year) (*Projection, error) {
	return ProjectOn(a, pops, s, horizon, DefaultBasis())
}

// ProjectOn builds a projection from the published allocations, shown on
// basis b, to the horizon year under a settlement: the projected years grow
// from the last published year on that basis. Registered populations for projected
// years grow with the ONS projection of England's resident population
// (pops, area ENG), so the horizon may not pass the last year it covers.
func ProjectOn(a *dataset.Allocations, pops dataset.Populations, s Settlement, horizon budget.Year, b AllocationBasis) (*Projection, error) {
	return projectOn(a, pops, s, horizon, b, func() []Cell { return basisCells(a, b) })
}

// consolidationsOutside reports the settlement's consolidations that fold
// pots outside the projected years, first to horizon.
func consolidationsOutside(s Settlement, first, horizon budget.Year) []error {
	var errs []error
	for i, c := range s.Consolidations {
		if c.From.Before(first) || c.From.After(horizon) {
			errs = append(errs, fmt.Errorf("settlement %q: consolidation %d from %s: %w: pots fold in a projected year, %s to %s",
				s.Name, i+1, c.From, budget.ErrRange, first, horizon))
		}
	}
	return errs
}

// To is the projection to an earlier horizon: the figures that projecting
// to it gives, since each projected year grows from the years before it
// alone, so a program that projects one settlement to several horizons
// projects the longest once. A horizon before the last published year or
// past the projection's wraps budget.ErrRange, and a settlement that folds
// pots after the horizon is refused as projecting to it refuses it.
func (p *Projection) To(horizon budget.Year) (*Projection, error) {
	if p == nil || p.span.Len() == 0 {
		return nil, fmt.Errorf("projection: %w: nil, or not made by Project", budget.ErrNoData)
	}
	if horizon.IsZero() {
		return nil, fmt.Errorf("cutting a projection: %w: no horizon given", budget.ErrNoData)
	}
	if horizon.Before(p.published) {
		return nil, fmt.Errorf("projecting to %s: %w: the data runs to %s", horizon, budget.ErrRange, p.published)
	}
	if horizon.After(p.span.Last()) {
		return nil, fmt.Errorf("cutting a projection to %s to %s: %w: a projection is cut to an earlier horizon, not extended", p.span.Last(), horizon, budget.ErrRange)
	}
	if err := errors.Join(consolidationsOutside(p.settlement, p.published.Next(), horizon)...); err != nil {
		return nil, err
	}
	span, err := budget.NewSpan(p.span.First(), horizon)
	if err != nil {
		return nil, err
	}
	q := &Projection{settlement: p.settlement, basis: p.basis, span: span, published: p.published, icbs: p.icbs, index: p.index, sums: newStreamSums()}
	ns, n, m := len(dataset.Streams()), span.Len(), p.span.Len()
	q.cells = make([]Cell, len(p.icbs)*n*ns)
	q.pops = make([]dataset.PopulationFigure, len(p.icbs)*n)
	for i := range p.icbs {
		// Cells share their Items slices with p: nothing writes to them.
		copy(q.cells[i*n*ns:(i+1)*n*ns], p.cells[i*m*ns:])
		copy(q.pops[i*n:(i+1)*n], p.pops[i*m:])
	}
	return q, nil
}

// projectOn is ProjectOn with the published cells on basis b from cells,
// called once the arguments are checked (an Engine's cache, or built anew).
func projectOn(a *dataset.Allocations, pops dataset.Populations, s Settlement, horizon budget.Year, b AllocationBasis, cells func() []Cell) (*Projection, error) {
	if a == nil {
		return nil, fmt.Errorf("projecting: %w: no allocations", budget.ErrNoData)
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	b = b.orDefault()
	var errs []error
	for _, code := range slices.Sorted(maps.Keys(s.ICBGrowth)) {
		if _, err := a.ICB(code); err != nil {
			errs = append(errs, fmt.Errorf("settlement %q: growth for an ICB: %w", s.Name, err))
		}
	}
	errs = append(errs, consolidationsOutside(s, a.Span().Last().Next(), horizon)...)
	for _, icb := range a.ICBs() {
		if _, err := pops.Get(a.Span().First(), icb.Code, dataset.Registered); err != nil {
			errs = append(errs, err)
			break
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	span := a.Span()
	if horizon.Before(span.Last()) {
		return nil, fmt.Errorf("projecting to %s: %w: the data runs to %s", horizon, budget.ErrRange, span.Last())
	}
	full, err := budget.NewSpan(span.First(), horizon)
	if err != nil {
		return nil, err
	}
	p := &Projection{settlement: s.clone(), basis: b, span: full, published: span.Last(), icbs: a.ICBs(), sums: newStreamSums()}
	p.index = make(map[string]int, len(p.icbs))
	for i, icb := range p.icbs {
		p.index[icb.Code] = i
	}
	p.cells = make([]Cell, len(p.icbs)*full.Len()*len(dataset.Streams()))
	base := cells()
	per := span.Len() * len(dataset.Streams())
	// A restatement or in-year money can be negative; a recurrent
	// allocation that comes out below zero is an input that cannot be.
	for i, icb := range p.icbs {
		for yi, y := range span.Years() {
			for _, st := range dataset.Streams() {
				if c := base[i*per+yi*len(dataset.Streams())+int(st)-1]; c.Exists() && c.Recurrent().Sign() < 0 {
					return nil, fmt.Errorf("projecting on the %s basis: %s's %s recurrent money in %s comes out at %s: %w: check its in_year and adjusted_baseline figures",
						b, icb.Code, st, y, c.Recurrent(), budget.ErrNegative)
				}
			}
		}
	}
	for i := range p.icbs {
		// Cells share their Items slices with the cache: nothing writes to them.
		copy(p.cells[i*full.Len()*len(dataset.Streams()):], base[i*per:(i+1)*per])
	}
	for _, st := range dataset.Streams() {
		if horizon == span.Last() {
			break // nothing to project
		}
		if last := p.cells[p.at(0, span.Len()-1, st)]; s.Convergence[st] != (ConvergencePolicy{}) && last.Exists() && !last.HasTarget {
			return nil, fmt.Errorf("settlement %q converges %s, but the data has no %s fair-share targets for %s: %w",
				s.Name, st, st, span.Last(), budget.ErrNoData)
		}
	}
	for y := span.Last().Next(); !y.After(horizon); y = y.Next() {
		for _, st := range dataset.Streams() {
			if err := p.projectYear(y, st); err != nil {
				return nil, err
			}
		}
	}
	if err := p.projectPopulations(pops); err != nil {
		return nil, err
	}
	return p, nil
}

// publishedCells returns the published cells of every ICB, year and stream,
// laid out as in a Projection over a.Span(), in one pass over the figures.
//
// A cell is the year's recurrent allocation (none: an empty cell), its
// recurrent additions and non-recurrent items (in file order), the adjusted
// baseline of the year before, the growth and convergence, and, where the
// year has a target, the target grown and the distances from it.
func publishedCells(a *dataset.Allocations) []Cell {
	span := a.Span()
	icbs := a.ICBs()
	ny, ns := span.Len(), len(dataset.Streams())
	out := make([]Cell, len(icbs)*ny*ns)
	hasRec := make([]bool, len(out))
	index := make(map[string]int, len(icbs))
	for i, icb := range icbs {
		index[icb.Code] = i
	}
	var lastICB string
	lastI := -1
	for f := range a.All() {
		if f.ICB != lastICB || lastI < 0 {
			i, ok := index[f.ICB]
			if !ok {
				continue
			}
			lastICB, lastI = f.ICB, i
		}
		y := f.Year
		if f.Measure == dataset.AdjustedBaseline {
			y = y.Next() // the baseline the next year's round starts from
		}
		yi := span.Index(y)
		if yi < 0 || f.Stream < 1 || int(f.Stream) > ns {
			continue
		}
		k := (lastI*ny+yi)*ns + int(f.Stream) - 1
		c := &out[k]
		switch f.Measure {
		case dataset.RecurrentAddition:
			c.Additions = c.Additions.Add(f.Money())
		case dataset.NonRecurrent:
			c.Items = append(c.Items, Item{Name: f.Item, Amount: f.Money()})
		default:
			if f.Item != "" {
				continue // only the itemised measures are read by item
			}
			switch f.Measure {
			case dataset.Recurrent:
				hasRec[k], c.Formula = true, f.Money()
			case dataset.AdjustedBaseline:
				c.Baseline = f.Money()
			case dataset.Growth:
				c.Growth = budget.RateOf(f.Value)
			case dataset.Convergence:
				c.Convergence = f.Value
			case dataset.Target:
				c.HasTarget, c.Target = true, f.Money()
			case dataset.DfTBefore:
				c.DfTBefore = f.Value
			case dataset.DfTAfter:
				c.DfTAfter = f.Value
			}
		}
		switch f.Measure {
		case dataset.Recurrent, dataset.RecurrentAddition, dataset.NonRecurrent:
			// The cell's money: its status is the weakest of its parts'.
			c.Status, c.whole = c.Status.Worst(f.Status), c.whole.Worst(f.WholeStatus())
		}
	}
	for k := range out {
		c := &out[k]
		switch {
		case !hasRec[k]:
			*c = Cell{} // no recurrent allocation: nothing that year
		case !c.HasTarget:
			c.DfTBefore, c.DfTAfter = decimal.Decimal{}, decimal.Decimal{}
		default:
			c.GrownTarget = budget.Money(rule.Grow(dec.D(c.Target), dec.From(c.Growth.Factor()), budget.WorkingScale))
		}
		*c = c.withTotal()
	}
	return out
}

// projectYear projects one stream from year y-1 to y for every ICB.
func (p *Projection) projectYear(y budget.Year, st dataset.Stream) error {
	yi := p.span.Index(y)
	s := p.settlement
	n := len(p.icbs)
	baselines := make([]budget.Money, n)
	growth := make([]budget.Rate, n)
	carried := make([][]Item, n)
	// The items carried into y share one array: each ICB's part of it
	// holds at most its items of y-1.
	nitems := 0
	for i := range p.icbs {
		nitems += len(p.cells[p.at(i, yi-1, st)].Items)
	}
	items := make([]Item, 0, nitems)
	any := false
	for i := range p.icbs {
		prev := p.cells[p.at(i, yi-1, st)]
		if !prev.Exists() {
			continue
		}
		any = true
		g, err := s.GrowthFor(p.icbs[i].Code, st, y)
		if err != nil {
			return err
		}
		growth[i] = g
		base := prev.Recurrent()
		from := len(items)
		for _, it := range prev.Items {
			switch s.Step(st, it.Name, y) {
			case ItemFolds:
				base = base.Add(it.Amount) // the pot joins the recurrent baseline
			case ItemHeld:
				items = append(items, it)
			case ItemGrows:
				items = append(items, Item{Name: it.Name, Amount: budget.Money(rule.Grow(dec.D(it.Amount), dec.From(g.Factor()), -3))})
			}
		}
		if len(items) > from {
			carried[i] = items[from:len(items):len(items)]
		}
		baselines[i] = base
	}
	if !any {
		return nil
	}
	prev0 := p.cells[p.at(0, yi-1, st)]
	if !prev0.HasTarget {
		// No targets: each ICB's uplifted baseline, rounded to £1k inside
		// the England quantum.
		uplift := make([]dec.D, n)
		var sum dec.D
		for i := range p.icbs {
			uplift[i] = rule.Grow(dec.D(baselines[i]), dec.From(growth[i].Factor()), upliftScale)
			sum = sum.Add(uplift[i])
		}
		if sum.Sign() <= 0 {
			return fmt.Errorf("projecting %s %s: %w: England allocation is zero", st, y, budget.ErrRange)
		}
		rec := within1k(uplift, sum, sum)
		for i := range p.icbs {
			if !p.cells[p.at(i, yi-1, st)].Exists() {
				continue
			}
			p.cells[p.at(i, yi, st)] = Cell{Baseline: baselines[i], Formula: budget.Money(rec[i]),
				Items: carried[i], Growth: growth[i], Status: budget.Projected}.withTotal()
		}
		return nil
	}
	// Targets: each ICB keeps its share of last year's grown targets, and
	// the England target is scaled so that England's distance from target
	// after last year's round carries over to the new baselines: the
	// quantum is sum of baselines / (1 + England DfT after), with
	// 1 + DfT = sum of formula allocations / sum of grown targets.
	var sumFormula, sumBase budget.Money
	for i := range p.icbs {
		c := p.cells[p.at(i, yi-1, st)]
		sumFormula, sumBase = sumFormula.Add(c.Formula), sumBase.Add(baselines[i])
	}
	// quantum = sum of baselines x (sum of last year's grown targets / sum of last year's formula allocations)
	// Each ICB's target is its last grown target x sum of baselines / sum of last formula allocations.
	if sumFormula.Sign() <= 0 {
		return fmt.Errorf("projecting %s %s: %w: England allocation is zero", st, y, budget.ErrRange)
	}
	factor := dec.D(sumBase).DivRound(dec.D(sumFormula), budget.WorkingScale)
	policy, ok := s.Convergence[st]
	if !ok {
		policy = NoConvergence()
	}
	targets := make([]budget.Money, n)
	for i := range p.icbs {
		targets[i] = budget.Money(rule.Grow(dec.D(p.cells[p.at(i, yi-1, st)].GrownTarget), factor, budget.WorkingScale))
	}
	// Convergence moves money between ICBs inside the England quantum.
	results, err := convergeWithin(baselines, targets, growth, policy)
	if err != nil {
		return fmt.Errorf("projecting %s %s: %w", st, y, err)
	}
	for i, rr := range results {
		p.cells[p.at(i, yi, st)] = Cell{Baseline: baselines[i], Formula: rr.Recurrent, Items: carried[i], HasTarget: true,
			Target: targets[i], GrownTarget: rr.GrownTarget, Growth: rr.Growth, DfTBefore: rr.DfTBefore, Convergence: rr.Convergence,
			DfTAfter: rr.DfTAfter, Status: budget.Projected}.withTotal()
	}
	return nil
}

// projectPopulations fills registered populations: published where the
// data has them, grown with England's projected resident population after,
// each ICB to the whole person by largest remainder so that England's sum
// is the same whatever the ICBs (and footprint).
func (p *Projection) projectPopulations(pops dataset.Populations) error {
	p.pops = make([]dataset.PopulationFigure, len(p.icbs)*p.span.Len())
	n := p.span.Len()
	exact := make([]dec.D, len(p.icbs))
	for yi, y := range p.span.Years() {
		var grow []int
		var sum dec.D
		for i, icb := range p.icbs {
			if f, ok := pops.Lookup(y, icb.Code, dataset.Registered); ok {
				p.pops[i*n+yi] = f
				continue
			}
			if yi == 0 || p.pops[i*n+yi-1].Status == 0 {
				continue // no population yet: per-head figures are unavailable for the year
			}
			now, err1 := pops.Get(y, "ENG", dataset.Resident)
			before, err2 := pops.Get(y.Prev(), "ENG", dataset.Resident)
			if err1 != nil || err2 != nil {
				return fmt.Errorf("projecting the registered population of %s in %s: England's resident population is needed for %s and %s: %w",
					icb.Code, y, y.Prev(), y, budget.ErrNoData)
			}
			for _, e := range []dataset.PopulationFigure{before, now} {
				if dec.D(e.Value).Sign() <= 0 {
					return fmt.Errorf("the resident population of England (ENG) in %s is %s: %w: registered populations grow with it, so it must be above zero",
						e.Year, e.Value.Decimal(), budget.ErrZeroDivisor)
				}
			}
			exact[i] = dec.D(p.pops[i*n+yi-1].Value).Mul(dec.D(now.Value)).DivRound(dec.D(before.Value), convergeScale)
			sum = sum.Add(exact[i])
			p.pops[i*n+yi] = dataset.PopulationFigure{Year: y, Area: icb.Code, AreaName: icb.Name, Measure: dataset.Registered, Status: budget.Projected, Source: now.Source}
			grow = append(grow, i)
		}
		if len(grow) == 0 || sum.Sign() <= 0 {
			continue
		}
		pre := make([]dec.D, len(grow))
		for k, i := range grow {
			pre[k] = exact[i]
		}
		for k, v := range roundWithin(pre, sum, sum, 0) {
			if v.Sign() < 0 {
				return fmt.Errorf("projecting registered populations in %s: %w: %s", y, budget.ErrNegative, v.Decimal())
			}
			p.pops[grow[k]*n+yi].Value = budget.Population(v)
		}
	}
	return nil
}

// Settlement is the settlement the projection was made under, a copy of
// its own.
func (p *Projection) Settlement() Settlement {
	if p == nil {
		return Settlement{}
	}
	return p.settlement.clone()
}

// Basis is how the projection shows the published years.
func (p *Projection) Basis() AllocationBasis {
	if p == nil {
		return AllocationBasis{}
	}
	return p.basis
}

// Span is the years of the projection.
func (p *Projection) Span() budget.Span {
	if p == nil {
		return budget.Span{}
	}
	return p.span
}

// LastPublished is the last year of published data; later years are projected.
func (p *Projection) LastPublished() budget.Year {
	if p == nil {
		return budget.Year{}
	}
	return p.published
}

// ICBs lists the areas of the projection, sorted by code.
func (p *Projection) ICBs() []dataset.ICB {
	if p == nil {
		return nil
	}
	return append([]dataset.ICB(nil), p.icbs...)
}

func (p *Projection) icbIndex(code string) (int, error) {
	if i, ok := p.index[code]; ok {
		return i, nil
	}
	return 0, fmt.Errorf("ICB %q: %w: not in the projection", code, budget.ErrUnknown)
}

// Cell returns one ICB's stream in year y. An unknown ICB wraps
// budget.ErrUnknown; a year outside the projection wraps budget.ErrNoData. A stream with
// no money that year is a zero Cell (Exists is false).
func (p *Projection) Cell(icb string, y budget.Year, s dataset.Stream) (Cell, error) {
	if p == nil {
		return Cell{}, fmt.Errorf("projection: %w: nil", budget.ErrNoData)
	}
	i, err := p.icbIndex(icb)
	if err != nil {
		return Cell{}, err
	}
	yi, err := p.yearIndex(y)
	if err != nil {
		return Cell{}, err
	}
	if !s.Valid() {
		return Cell{}, fmt.Errorf("stream %d: %w", int(s), budget.ErrUnknown)
	}
	c := p.cells[p.at(i, yi, s)]
	c.Items = append([]Item(nil), c.Items...)
	return c, nil
}

// England returns the sum of the ICBs' cells for a stream and year, with
// distances from target computed from the sums (England's figure is the
// sum of allocations against the sum of targets). Items are summed by name.
func (p *Projection) England(y budget.Year, s dataset.Stream) (Cell, error) {
	if p == nil {
		return Cell{}, fmt.Errorf("projection: %w: nil", budget.ErrNoData)
	}
	if !s.Valid() {
		return Cell{}, fmt.Errorf("stream %d: %w", int(s), budget.ErrUnknown)
	}
	yi, err := p.yearIndex(y)
	if err != nil {
		return Cell{}, err
	}
	var e Cell
	e.HasTarget = true
	byName := map[string]int{}
	for i := range p.icbs {
		c := p.cells[p.at(i, yi, s)]
		e.Moved = e.Moved.Add(c.Moved)
		if !c.Exists() {
			e.HasTarget = false
			continue
		}
		e.Status = e.Status.Worst(c.WholeStatus())
		e.Baseline, e.Formula, e.Additions = e.Baseline.Add(c.Baseline), e.Formula.Add(c.Formula), e.Additions.Add(c.Additions)
		e.Restatement, e.Scope = e.Restatement.Add(c.Restatement), e.Scope.Add(c.Scope)
		if c.Vintage.After(e.Vintage) {
			e.Vintage = c.Vintage
		}
		e.Target, e.GrownTarget = e.Target.Add(c.Target), e.GrownTarget.Add(c.GrownTarget)
		e.HasTarget = e.HasTarget && c.HasTarget
		for _, it := range c.Items {
			k, ok := byName[it.Name]
			if !ok {
				byName[it.Name] = len(e.Items)
				e.Items = append(e.Items, it)
				continue
			}
			e.Items[k].Amount = e.Items[k].Amount.Add(it.Amount)
		}
	}
	if !e.HasTarget || e.Target.IsZero() || e.GrownTarget.IsZero() {
		e.HasTarget, e.Target, e.GrownTarget = false, budget.Money{}, budget.Money{}
		return e, nil
	}
	if !e.Baseline.IsZero() {
		e.DfTBefore = e.Baseline.Decimal().DivRound(e.Target.Decimal(), budget.WorkingScale).Sub(one)
		e.Growth = budget.RateOf(e.GrownTarget.Decimal().DivRound(e.Target.Decimal(), budget.WorkingScale).Sub(one))
		e.Convergence = e.Formula.Decimal().DivRound(e.Baseline.Decimal().Mul(e.Growth.Factor()), budget.WorkingScale).Sub(one)
	}
	e.DfTAfter = e.Formula.Decimal().DivRound(e.GrownTarget.Decimal(), budget.WorkingScale).Sub(one)
	return e, nil
}

// Population returns an ICB's registered population in year y (published,
// derived, or projected with England's resident growth), or an error
// wrapping budget.ErrNoData.
func (p *Projection) Population(icb string, y budget.Year) (dataset.PopulationFigure, error) {
	if p == nil {
		return dataset.PopulationFigure{}, fmt.Errorf("projection: %w: nil", budget.ErrNoData)
	}
	i, err := p.icbIndex(icb)
	if err != nil {
		return dataset.PopulationFigure{}, err
	}
	yi := p.span.Index(y)
	if yi < 0 || p.pops[i*p.span.Len()+yi].Status == 0 {
		return dataset.PopulationFigure{}, fmt.Errorf("no registered population for %s in %s: %w", icb, y, budget.ErrNoData)
	}
	return p.pops[i*p.span.Len()+yi], nil
}

// EnglandPopulation is the sum of the ICBs' registered populations.
func (p *Projection) EnglandPopulation(y budget.Year) (dataset.PopulationFigure, error) {
	if p == nil {
		return dataset.PopulationFigure{}, fmt.Errorf("projection: %w: nil", budget.ErrNoData)
	}
	out := dataset.PopulationFigure{Year: y, Area: "ENG", AreaName: "England", Measure: dataset.Registered}
	for _, icb := range p.icbs {
		f, err := p.Population(icb.Code, y)
		if err != nil {
			return dataset.PopulationFigure{}, err
		}
		out.Value = out.Value.Add(f.Value)
		out.Status = out.Status.Worst(f.Status)
	}
	if out.Status == budget.Published {
		out.Status = budget.Derived // a sum of published figures, not itself published
	}
	return out, nil
}

// Total adds the money of several streams for an ICB (or "ENG") in year y,
// with the weakest status of the parts, and derived where it would be
// published but more than one stream has money (a sum of published figures
// is not itself a published figure);
// ok is false when none of the streams has money that year. A stream
// unknown or named twice is an error.
func (p *Projection) Total(icb string, y budget.Year, streams []dataset.Stream) (total budget.Money, status budget.Status, ok bool, err error) {
	if p == nil {
		return budget.Money{}, 0, false, fmt.Errorf("projection: %w: nil", budget.ErrNoData)
	}
	set, err := streamSet(streams)
	if err != nil {
		return budget.Money{}, 0, false, err
	}
	if _, err := p.yearIndex(y); err != nil {
		return budget.Money{}, 0, false, err
	}
	if icb == "ENG" {
		for _, s := range streams {
			c, err := p.England(y, s)
			if err != nil {
				return budget.Money{}, 0, false, err
			}
			if c.Exists() {
				total = total.Add(c.Total())
			}
		}
		status, ok, err := p.TotalStatus(icb, y, streams)
		return total, status, ok, err
	}
	i, err := p.icbIndex(icb)
	if err != nil {
		return budget.Money{}, 0, false, err
	}
	return Sums{p, p.sumsOf(set)}.Total(i, y)
}

// TotalStatus is the status Total gives, without adding any money: the
// weakest status of the streams with money, derived where it would be
// published but more than one stream has money; ok is false when none of
// the streams has money that year.
func (p *Projection) TotalStatus(icb string, y budget.Year, streams []dataset.Stream) (status budget.Status, ok bool, err error) {
	if p == nil {
		return 0, false, fmt.Errorf("projection: %w: nil", budget.ErrNoData)
	}
	set, err := streamSet(streams)
	if err != nil {
		return 0, false, err
	}
	yi, err := p.yearIndex(y)
	if err != nil {
		return 0, false, err
	}
	e := p.sumsOf(set)
	if icb == "ENG" {
		status = e.england[yi]
	} else {
		i, err := p.icbIndex(icb)
		if err != nil {
			return 0, false, err
		}
		status = e.status[i*p.span.Len()+yi]
	}
	return status, status != 0, nil
}

// Moved adds the money of several streams that moves into ICB allocations
// the year after y and that ICBs did not hold in y (Cell.Moved: non-zero
// only on HeldScope), for an ICB or "ENG". Growth from y to the next year on
// one scope is on Total + Moved.
func (p *Projection) Moved(icb string, y budget.Year, streams []dataset.Stream) (budget.Money, error) {
	if p == nil {
		return budget.Money{}, fmt.Errorf("projection: %w: nil", budget.ErrNoData)
	}
	set, err := streamSet(streams)
	if err != nil {
		return budget.Money{}, err
	}
	if _, err := p.yearIndex(y); err != nil {
		return budget.Money{}, err
	}
	if icb != "ENG" {
		i, err := p.icbIndex(icb)
		if err != nil {
			return budget.Money{}, err
		}
		return Sums{p, p.sumsOf(set)}.Moved(i, y)
	}
	var total budget.Money
	for _, s := range streams {
		c, err := p.England(y, s)
		if err != nil {
			return budget.Money{}, err
		}
		total = total.Add(c.Moved)
	}
	return total, nil
}

// Sums are a projection's money over one set of streams, each ICB's in
// each year (Total's and Moved's figures), found by the ICB's place in
// ICBs rather than its code: for a pass over every ICB, as a model run
// makes, without finding each ICB and checking the streams every time.
type Sums struct {
	p *Projection
	e *streamSums
}

// SumsOf are the projection's sums over streams; an unknown or repeated
// stream is an error, as for Total.
func (p *Projection) SumsOf(streams []dataset.Stream) (Sums, error) {
	if p == nil {
		return Sums{}, fmt.Errorf("projection: %w: nil", budget.ErrNoData)
	}
	set, err := streamSet(streams)
	if err != nil {
		return Sums{}, err
	}
	return Sums{p, p.sumsOf(set)}, nil
}

// at is the index of ICB i (its place in ICBs) in year y.
func (s Sums) at(i int, y budget.Year) (int, error) {
	if s.p == nil {
		return 0, fmt.Errorf("projection sums: %w: not made by SumsOf", budget.ErrNoData)
	}
	if i < 0 || i >= len(s.p.icbs) {
		return 0, fmt.Errorf("ICB %d: %w: the projection has %d ICBs", i, budget.ErrUnknown, len(s.p.icbs))
	}
	yi, err := s.p.yearIndex(y)
	if err != nil {
		return 0, err
	}
	return i*s.p.span.Len() + yi, nil
}

// Total is Projection.Total for the ICB at place i of ICBs.
func (s Sums) Total(i int, y budget.Year) (total budget.Money, status budget.Status, ok bool, err error) {
	k, err := s.at(i, y)
	if err != nil {
		return budget.Money{}, 0, false, err
	}
	return s.e.total[k], s.e.status[k], s.e.status[k] != 0, nil
}

// Moved is Projection.Moved for the ICB at place i of ICBs.
func (s Sums) Moved(i int, y budget.Year) (budget.Money, error) {
	k, err := s.at(i, y)
	if err != nil {
		return budget.Money{}, err
	}
	return s.e.moved[k], nil
}

// yearIndex is y's index in the projection, or an error wrapping budget.ErrNoData.
func (p *Projection) yearIndex(y budget.Year) (int, error) {
	if y.IsZero() {
		return 0, fmt.Errorf("projection %s: %w: no year given", p.span, budget.ErrNoData)
	}
	yi := p.span.Index(y)
	if yi < 0 {
		return 0, fmt.Errorf("projection %s has no %s: %w", p.span, y, budget.ErrNoData)
	}
	return yi, nil
}
