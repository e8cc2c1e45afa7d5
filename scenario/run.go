package scenario

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/dec"
	"github.com/upstream-health/upstream/prevention"
)

// Manifest records what a result was made from, so it can be reproduced.
type Manifest struct {
	Library      string `json:"library"`
	Schema       int    `json:"schema"`
	Scenario     string `json:"scenario"`
	ScenarioHash string `json:"scenario_hash"`
	Data         string `json:"data"`
	Settlement   string `json:"settlement"`
	// AllocationBasis is how the published years are shown (restated or as
	// first published; scope as held, included or stripped).
	AllocationBasis string `json:"allocation_basis"`
	// Footprint is the ICB boundaries the results are on.
	Footprint string `json:"footprint"`
	Deflator  string `json:"deflator"`
	Published string `json:"published_to"`
	Projected string `json:"projected_years,omitempty"`
	// Prices is the year whose prices real-terms figures are in.
	Prices string `json:"prices"`
	// PresentValueBase is year 0 of discounting: present values are discounted to it.
	PresentValueBase string `json:"present_value_base"`
	// Parameters names the parameters file the run used.
	Parameters    string      `json:"parameters"`
	Seed          *uint64     `json:"seed,omitempty"`
	Draws         int         `json:"draws,omitempty"`
	Distributions []Uncertain `json:"distributions,omitempty"`
	// Councils describes the councils' allocations the ICB grants come
	// from, if any: how many, their years, total, fingerprint and source.
	Councils string `json:"councils,omitempty"`
}

// PresentValues reads year 0 of the present values from the manifest, with
// the basis their rows carry ("real_2026_27": year 0's prices).
func (m Manifest) PresentValues() (year0 budget.Year, basis string, err error) {
	y, err := budget.ParseYear(m.PresentValueBase)
	if err != nil {
		return budget.Year{}, "", fmt.Errorf("manifest: present value base: %w", err)
	}
	return y, "real_" + y.Label(), nil
}

// Result is a scenario run: the prevention result (Detail) and a
// manifest; its figures are read by typed accessors (Value, Money, Series,
// Window), and its tidy rows for every ICB and England (each year, cash and
// real terms) and window totals and present values are made when first
// asked for (Rows, Summary, WriteRows), as export needs them.
type Result struct {
	Scenario Scenario
	Manifest Manifest
	Detail   *prevention.Result

	plan   *plan   // what Run evaluated, for a council's view and Describe
	tables *tables // the rows and summary, made on first use
}

// tables are a result's tidy rows and window summary, made once, on first
// use, for any number of concurrent readers: those of every area (all),
// and those of some areas (of), kept by the areas asked for, up to
// maxSomeTables sets (a comparison's base is read for each scenario
// compared with it).
type tables struct {
	// build makes the rows and summary of some areas (nil: all).
	build func(areas []string) (rows, summary []budget.Row, err error)
	all   madeTables
	index rowIndex

	mu   sync.Mutex
	some map[string]*madeTables
}

// madeTables are tables made once.
type madeTables struct {
	once          sync.Once
	rows, summary []budget.Row
	err           error
}

// get makes the tables of areas with build the first time.
func (m *madeTables) get(build func(areas []string) ([]budget.Row, []budget.Row, error), areas []string) (rows, summary []budget.Row, err error) {
	m.once.Do(func() { m.rows, m.summary, m.err = build(areas) })
	return m.rows, m.summary, m.err
}

// maxSomeTables bounds the sets of areas whose tables a result keeps; past
// it, tables of other sets are made afresh each time.
const maxSomeTables = 64

func newTables(build func(areas []string) (rows, summary []budget.Row, err error)) *tables {
	return &tables{build: build}
}

// fixedTables are tables made already, of which build keeps the areas asked for.
func fixedTables(rows, summary []budget.Row) *tables {
	return newTables(func(areas []string) ([]budget.Row, []budget.Row, error) {
		if areas == nil {
			return rows, summary, nil
		}
		keep := func(r budget.Row) bool { return !slices.Contains(areas, r.Area) }
		return slices.DeleteFunc(slices.Clone(rows), keep), slices.DeleteFunc(slices.Clone(summary), keep), nil
	})
}

// get makes the tables of every area the first time and returns them.
func (t *tables) get() (rows, summary []budget.Row, err error) {
	if t == nil {
		return nil, nil, fmt.Errorf("scenario result: %w: not made by Run", budget.ErrNoData)
	}
	return t.all.get(t.build, nil)
}

// of are the tables of some areas (none: all), made once for each set of
// areas (in the order given). An area the result does not have has no
// rows. The caller must not change them.
func (t *tables) of(areas []string) (rows, summary []budget.Row, err error) {
	if t == nil || len(areas) == 0 {
		return t.get()
	}
	key := strings.Join(areas, "\x00")
	t.mu.Lock()
	m, ok := t.some[key]
	if !ok && len(t.some) < maxSomeTables {
		if t.some == nil {
			t.some = map[string]*madeTables{}
		}
		m = &madeTables{}
		t.some[key] = m
	}
	t.mu.Unlock()
	if m == nil {
		return t.build(areas)
	}
	return m.get(t.build, areas)
}

// Rows are the result's yearly tidy rows (budget.RowColumns): every
// measure of every ICB and England, each year, in cash and real terms.
// They are made on the first call (a few milliseconds); each call returns
// a copy, the caller's to change.
func (r *Result) Rows() ([]budget.Row, error) {
	if r == nil {
		return nil, fmt.Errorf("scenario result: %w: nil", budget.ErrNoData)
	}
	rows, _, err := r.tables.get()
	return slices.Clone(rows), err
}

// Summary are the result's window rows: totals ("<measure>_total", cash),
// present values ("<measure>_pv") and past years ("<measure>_past"), made
// with Rows.
func (r *Result) Summary() ([]budget.Row, error) {
	if r == nil {
		return nil, fmt.Errorf("scenario result: %w: nil", budget.ErrNoData)
	}
	_, sum, err := r.tables.get()
	return slices.Clone(sum), err
}

// WriteRows writes the result's rows and then its summary as tidy CSV
// (budget.WriteRows).
func (r *Result) WriteRows(w io.Writer) error {
	rows, err := r.Rows()
	if err != nil {
		return err
	}
	sum, err := r.Summary()
	if err != nil {
		return err
	}
	return budget.WriteRows(w, append(rows, sum...))
}

// Runner runs scenarios on one set of data, sharing the settlement of
// scenarios with the same settlement and deflator, the allocation
// projections of scenarios with the same settlement, deflator, basis and
// footprint (RunAll: to the furthest horizon asked for, cut to each), and
// the public health grant's splits by population of scenarios with the same
// grant (prevention.GrantSplits). It holds one of each for each distinct
// set it is asked for. It is safe for concurrent use. The zero Runner is
// not usable: use NewRunner.
type Runner struct {
	data   *dataset.Data
	engine *alloc.Engine           // restates the data on each footprint and basis once
	proj   memo[*alloc.Projection] // by settlement, deflator, horizon, basis and footprint
	settle memo[alloc.Settlement]  // by settlement and deflator: read, never changed (a Projection takes a copy)
	splits *prevention.GrantSplits // the grant's splits by population, shared by the runs

	mu       sync.Mutex
	furthest map[string]budget.Year // by projectionKey: the furthest horizon RunAll was given
	made     atomic.Int64           // projections made, not cut from another
}

// memo makes each key's value once, for any number of concurrent callers.
type memo[V any] struct {
	mu sync.Mutex
	m  map[string]*memoEntry[V]
}

type memoEntry[V any] struct {
	once sync.Once
	v    V
	err  error
}

// get returns the value of key, made with build the first time.
func (m *memo[V]) get(key string, build func() (V, error)) (V, error) {
	m.mu.Lock()
	if m.m == nil {
		m.m = map[string]*memoEntry[V]{}
	}
	e, ok := m.m[key]
	if !ok {
		e = &memoEntry[V]{}
		m.m[key] = e
	}
	m.mu.Unlock()
	e.once.Do(func() { e.v, e.err = build() })
	return e.v, e.err
}

// dataFor is the runner's data on the scenario's footprint.
func (r *Runner) dataFor(s Scenario) (*dataset.Data, error) {
	name := footprintName(s.Footprint)
	return r.engine.OnFootprint(name)
}

// NewRunner returns a runner on data d.
func NewRunner(d *dataset.Data) *Runner {
	return &Runner{data: d, engine: alloc.NewEngine(d), splits: &prevention.GrantSplits{}}
}

// Engine is the runner's allocations engine, which restates its data on
// each footprint and basis once: a program that also lists a footprint's
// ICBs shares it.
func (r *Runner) Engine() *alloc.Engine {
	if r == nil {
		return nil
	}
	return r.engine
}

// Validate compiles s on the runner's data and reports what stops it: the
// checks of Scenario.Validate (a *ValidationError naming each field), on
// the data restated on the scenario's footprint once for this and every
// run, then anything that fails in resolving what Run would evaluate (the
// projection under its settlement, the model, the discounting), so that a
// scenario that validates runs.
func (r *Runner) Validate(s Scenario) error {
	if r == nil || r.data == nil {
		return s.Validate(nil)
	}
	_, err := r.compile(s)
	return err
}

// Inputs are what the result was run from, as Runner.Model gives them for
// its scenario: the prevention inputs (the projection, grant, populations)
// and the prevention model, compiled once for the run and not resolved
// again. ok is false for a Result not made by a run (Run, Runner.Run,
// RunAll, RunFor, RunArea or Council), such as a zero Result.
func (r *Result) Inputs() (in prevention.Inputs, m prevention.Model, ok bool) {
	if r == nil || r.plan == nil {
		return prevention.Inputs{}, prevention.Model{}, false
	}
	return r.plan.in, r.plan.m, true
}

// planOf is the plan res was run from, or, for a Result made some other
// way, its scenario compiled on the runner's data.
func (r *Runner) planOf(res *Result) (*plan, error) {
	if res.plan != nil {
		return res.plan, nil
	}
	return r.compile(res.Scenario)
}

// Data is the runner's data.
func (r *Runner) Data() *dataset.Data {
	if r == nil {
		return nil
	}
	return r.data
}

// projectionKey names the projection a scenario runs on, but for its horizon.
func projectionKey(s Scenario) string {
	return s.Settlement.String() + "|" + s.Deflator.String() + "|" + s.AllocationBasis.String() + "|" + footprintName(s.Footprint)
}

// settlementOf gives the scenario's settlement on the runner's data, made
// once for every scenario with the same settlement and deflator: the
// catalogue's eight scenarios have two. Its callers only read it.
func (r *Runner) settlementOf(s Scenario) func(*dataset.Data) (alloc.Settlement, error) {
	return func(d *dataset.Data) (alloc.Settlement, error) {
		if d != r.data {
			return s.settlement(d)
		}
		key := s.Settlement.String() + "|" + strconv.Quote(s.Deflator.Name) + "|" + strconv.Quote(s.Deflator.Vintage)
		return r.settle.get(key, func() (alloc.Settlement, error) { return s.settlement(d) })
	}
}

// projection is the scenario's projection, made once. Where RunAll has a
// scenario on the same projection to a further horizon, it is that one cut
// to this horizon (alloc.Projection.To: the same figures), so the years
// they share are projected once.
func (r *Runner) projection(s Scenario) (*alloc.Projection, error) {
	key := projectionKey(s)
	to := func(h budget.Year) func() (*alloc.Projection, error) {
		return func() (*alloc.Projection, error) {
			st, err := r.settlementOf(s)(r.data)
			if err != nil {
				return nil, err
			}
			r.made.Add(1)
			return r.engine.Project(footprintName(s.Footprint), st, h, s.AllocationBasis)
		}
	}
	return r.proj.get(key+"|"+s.Horizon.String(), func() (*alloc.Projection, error) {
		r.mu.Lock()
		far := r.furthest[key]
		r.mu.Unlock()
		if far.After(s.Horizon) {
			if long, err := r.proj.get(key+"|"+far.String(), to(far)); err == nil {
				if p, err := long.To(s.Horizon); err == nil {
					return p, nil
				}
			}
		}
		return to(s.Horizon)()
	})
}

// reach notes the furthest horizon each projection of ss is asked for,
// among those a scenario may have (up to MaxHorizon): a batch holding a
// scenario past it does not try that projection for the others.
func (r *Runner) reach(ss []Scenario) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.furthest == nil {
		r.furthest = map[string]budget.Year{}
	}
	for _, s := range ss {
		if s.Horizon.After(MaxHorizon()) {
			continue
		}
		if k := projectionKey(s); s.Horizon.After(r.furthest[k]) {
			r.furthest[k] = s.Horizon
		}
	}
}

// Run validates and runs a scenario on data d. Runs are pure: the same
// scenario and data give the same result, whatever else runs at the time.
// Each call restates the data on the scenario's footprint and projects the
// allocations afresh (about 9 ms, BenchmarkRun); a Runner does both once
// for any number of runs (about 0.25 ms a run after the first,
// BenchmarkRunOnRunner, and about 2 ms more for a result's rows when they
// are asked for, BenchmarkRunWithRows), so a program that runs more than
// one scenario holds one.
func Run(d *dataset.Data, s Scenario) (*Result, error) { return NewRunner(d).Run(s) }

// Run validates and runs a scenario.
func (r *Runner) Run(s Scenario) (*Result, error) {
	if r == nil || r.data == nil {
		return nil, fmt.Errorf("running %q: %w: a Runner without data (use NewRunner with dataset.Embedded or dataset.ReadData)", s.Name, budget.ErrNoData)
	}
	pl, err := r.compile(s)
	if err != nil {
		return nil, err
	}
	return r.run(pl)
}

// run evaluates a compiled plan with the exact ledger.
func (r *Runner) run(pl *plan) (*Result, error) {
	s, m, sched, pp := pl.s, pl.m, pl.sched, pl.pp
	p := pl.projection()
	pr, err := prevention.Run(pl.in, m)
	if err != nil {
		return nil, fmt.Errorf("scenario %q: %w", s.Name, err)
	}
	res := &Result{Scenario: s, Detail: pr, plan: pl, Manifest: Manifest{
		Library: Version, Schema: SchemaVersion, Scenario: s.Name, ScenarioHash: s.Hash(), Data: r.data.Vintage,
		Settlement: s.Settlement.String(), AllocationBasis: s.AllocationBasis.String(), Footprint: footprintName(s.Footprint), Deflator: s.Deflator.String(), Published: p.LastPublished().String(),
	}}
	if s.Councils != nil {
		res.Manifest.Councils = s.Councils.summary() + "; coverage " + s.Councils.coverageText() + "; source: " + s.Councils.Source
	}
	if s.Horizon.After(p.LastPublished()) {
		span, _ := budget.NewSpan(p.LastPublished().Next(), s.Horizon)
		res.Manifest.Projected = span.String()
	}
	res.Manifest.PresentValueBase = sched.Base.String()
	res.Manifest.Parameters = r.data.Parameters.File()
	res.Manifest.Prices = m.RealBase.String()
	params := r.data.Parameters
	res.tables = newTables(func(areas []string) ([]budget.Row, []budget.Row, error) {
		if areas != nil {
			// Only the result's own areas: another's (a council's) has no rows here.
			areas = slices.DeleteFunc(slices.Clone(areas), func(a string) bool {
				return !slices.ContainsFunc(pr.Areas(), func(x dataset.ICB) bool { return x.Code == a })
			})
			if len(areas) == 0 {
				return nil, nil, nil
			}
		}
		rows, err := pr.Rows(s.Name, areas)
		if err != nil {
			return nil, nil, fmt.Errorf("scenario %q: %w", s.Name, err)
		}
		sum, err := summariseAll(params, s, m, sched, rows, pp)
		if err != nil {
			return nil, nil, fmt.Errorf("scenario %q: %w", s.Name, err)
		}
		return rows, sum, nil
	})
	return res, nil
}

// summariseAll makes the window rows of a result's rows: those of money
// at the scenario's discounting; with QALYs, the value of QALYs at the
// Green Book's rate for health (1.5%) from the same year 0, and the QALYs'
// window totals.
func summariseAll(p dataset.Parameters, s Scenario, m prevention.Model, sched Schedule, rows []budget.Row, pp pvPrices) ([]budget.Row, error) {
	if s.QALYs == nil {
		return summarise(s, sched, rows, pp), nil
	}
	money := make([]budget.Row, 0, len(rows))
	var health []budget.Row
	for _, row := range rows {
		if strings.HasPrefix(string(row.Measure), "qalys_") {
			health = append(health, row)
		} else {
			money = append(money, row)
		}
	}
	out := summarise(s, sched, money, pp)
	hs, err := GreenBookHealth.Schedule(p)
	if err != nil {
		return nil, fmt.Errorf("QALYs: %w", err)
	}
	hs = hs.At(sched.Base)
	hp, err := presentValuePrices(m, hs)
	if err != nil {
		return nil, err
	}
	out = append(out, summarise(s, hs, health, hp)...)
	return append(out, qalyTotals(s, health)...), nil
}

// qalyTotals are the QALYs gained, forgone and net over each window, for
// each area ("qalys_net_total", QALYs), with the weakest status of the
// years they add.
func qalyTotals(s Scenario, rows []budget.Row) []budget.Row {
	type key struct {
		area    string
		measure budget.Measure
		period  string
	}
	type acc struct {
		row budget.Row
		n   int
	}
	var out []budget.Row
	for _, w := range Windows(s.Horizon) {
		sums := map[key]*acc{}
		var order []key
		for _, row := range rows {
			if row.Unit != budget.UnitQALY {
				continue
			}
			y, err := budget.ParseYear(row.Period)
			if err != nil || !w.Contains(y) {
				continue
			}
			k := key{row.Area, row.Measure, w.String()}
			a, ok := sums[k]
			if !ok {
				r := row
				r.Period, r.Measure, r.Value = w.String(), row.Measure+"_total", decimal.Zero
				a = &acc{row: r}
				sums[k] = a
				order = append(order, k)
			}
			a.row.Value = a.row.Value.Add(row.Value)
			a.row.Status = a.row.Status.Worst(row.Status)
			a.n++
		}
		for _, k := range order {
			if sums[k].n == w.Len() {
				out = append(out, sums[k].row)
			}
		}
	}
	return out
}

// Model returns what Run evaluates for s, resolved against the runner's
// data: the prevention inputs (the projection under the scenario's
// settlement on its deflator, the grant and populations) and the prevention
// model. Programs that present a run (tables, charts, goal seek) read the
// same plan Run used.
func (r *Runner) Model(s Scenario) (prevention.Inputs, prevention.Model, error) {
	pl, err := r.compile(s)
	if err != nil {
		return prevention.Inputs{}, prevention.Model{}, err
	}
	return pl.in, pl.m, nil
}

// GoalSeek is the shift size (and the change in England's share, in
// percentage points) that reaches target t in the scenario (see
// prevention.GoalSeek).
func (r *Runner) GoalSeek(s Scenario, t prevention.Target) (size, points decimal.Decimal, err error) {
	if !t.Year.IsZero() && !s.Horizon.IsZero() && t.Year.After(s.Horizon) {
		return decimal.Zero, decimal.Zero, fmt.Errorf("scenario %q: goal in %s: %w: after the scenario's horizon, %s: set Horizon to reach it", s.Name, t.Year, budget.ErrRange, s.Horizon)
	}
	pl, err := r.compile(s)
	if err != nil {
		return decimal.Zero, decimal.Zero, err
	}
	return prevention.GoalSeek(pl.in, pl.m, t)
}

// RunAll runs scenarios concurrently and returns their results in the
// order given; the first error (in that order) is returned. Scenarios on
// the same settlement and basis to different horizons share one
// projection, to the furthest, cut to each.
func (r *Runner) RunAll(ss []Scenario) ([]*Result, error) {
	out := make([]*Result, len(ss))
	errs := make([]error, len(ss))
	r.reach(ss)
	var wg sync.WaitGroup
	for i, s := range ss {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = r.Run(s)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Windows are the spans totals and present values are given for, those
// the horizon reaches: five years from 2024/25 (the Hewitt span), the next
// five years asked from today (ProspectiveSpan, 2027/28-2031/32), and ten
// years from 2024/25.
func Windows(horizon budget.Year) []budget.Span {
	var out []budget.Span
	for _, w := range []budget.Span{budget.MustSpan("2024/25", "2028/29"), ProspectiveSpan(), budget.MustSpan("2024/25", "2033/34")} {
		if !horizon.Before(w.Last()) {
			out = append(out, w)
		}
	}
	return out
}

// ShiftWindow is the window of s's own shift: the window that is its span
// (hewitt's 2024/25-2028/29, hewitt-from-2027's 2027/28-2031/32), else the
// first window of its horizon. Headlines and the tornado are over it.
func ShiftWindow(s Scenario) budget.Span {
	ws := Windows(s.Horizon)
	for _, w := range ws {
		if w == s.Shift.Span {
			return w
		}
	}
	if len(ws) > 0 {
		return ws[0]
	}
	return budget.Span{}
}

// pvPrices is how summarise turns real-terms flows into present values:
// the basis of the flows (the model's price base year), the basis the
// present values are stated on (year 0's prices) and the ratio of year 0's
// price level to the flows' (1 where they are the same year).
type pvPrices struct {
	flows, basis string
	ratio        decimal.Decimal
}

// summarise makes the window rows of every money measure: "<measure>_total",
// the cash sum over the window; "<measure>_pv", the present value of the
// window's years from the schedule's year 0 on: the real-terms flows,
// restated in year 0's prices, discounted to year 0 (whose own flow is not
// discounted), its period the years it covers; and "<measure>_past", the
// window's years before year 0 in year 0's prices, not discounted (the
// Green Book appraises from the present: past years are reported beside the
// present value, not discounted; they are the model's figures for those
// years, not outturn spending). Window rows carry the weakest status of the years they
// add. One pass over the rows adds each, times its year's factor, exactly
// into its group's windows (in dec, without allocating); each window is
// rounded to the penny at the end.
func summarise(s Scenario, sched Schedule, rows []budget.Row, pp pvPrices) []budget.Row {
	type target struct {
		label, suffix string
		basis         string // the rows it adds: cash or the flows' real basis
		years         int
		factor        map[string]dec.D // by period: the factor of the year (10 places)
	}
	var ts []target
	add := func(sp budget.Span, suffix, basis string, f func(y budget.Year) decimal.Decimal) {
		t := target{label: sp.String(), suffix: suffix, basis: basis, years: sp.Len(), factor: map[string]dec.D{}}
		for _, y := range sp.Years() {
			t.factor[y.String()] = dec.From(f(y))
		}
		ts = append(ts, t)
	}
	for _, w := range Windows(s.Horizon) {
		add(w, "_total", budget.BasisCash, func(budget.Year) decimal.Decimal { return one })
		past, hasPast, disc, hasDisc := sched.Split(w)
		if hasDisc {
			add(disc, "_pv", pp.flows, func(y budget.Year) decimal.Decimal {
				return sched.Factor(y.Sub(sched.Base)).Mul(pp.ratio).Round(budget.WorkingScale)
			})
		}
		if hasPast {
			add(past, "_past", pp.flows, func(budget.Year) decimal.Decimal { return pp.ratio.Round(budget.WorkingScale) })
		}
	}
	type sum struct {
		total  dec.D
		status budget.Status
		count  int
	}
	type key struct {
		area    string
		measure budget.Measure
		basis   string
	}
	type acc struct {
		row  budget.Row
		sums []sum
	}
	groups := map[key]*acc{}
	var order []*acc
	for _, r := range rows {
		if r.Unit != budget.UnitGBP || (r.Basis != budget.BasisCash && r.Basis != pp.flows) {
			continue
		}
		k := key{r.Area, r.Measure, r.Basis}
		g, ok := groups[k]
		if !ok {
			g = &acc{row: r, sums: make([]sum, len(ts))}
			groups[k] = g
			order = append(order, g)
		}
		v := dec.From(r.Value)
		for i, t := range ts {
			if t.basis != r.Basis {
				continue
			}
			f, in := t.factor[r.Period]
			if !in {
				continue
			}
			sm := &g.sums[i]
			sm.total = sm.total.Add(v.Mul(f))
			sm.status = sm.status.Worst(r.Status)
			sm.count++
		}
	}
	var out []budget.Row
	for i, t := range ts {
		for _, g := range order {
			sm := &g.sums[i]
			if sm.count != t.years || g.row.Basis != t.basis {
				continue // a year of the window is missing
			}
			row := g.row
			if t.basis != budget.BasisCash {
				row.Basis = pp.basis
			}
			row.Period, row.Status, row.Value = t.label, sm.status.Worst(budget.Derived), sm.total.Round(2).Decimal()
			row.Measure += budget.Measure(t.suffix)
			out = append(out, row)
		}
	}
	return out
}

// footprintName is the footprint a scenario's results are on.
func footprintName(f string) string {
	if f == "" {
		return dataset.DefaultFootprint()
	}
	return f
}

// Measures of the settlement range rows (Runner.SettlementRange).
const (
	MeasureShiftLow  Measure = "prevention_shift_low"
	MeasureShiftHigh Measure = "prevention_shift_high"
)

// SettlementRange runs s under the low and high cases of its settlement
// (alloc.SettlementCases: sr2025-low and sr2025-high for sr2025) and
// returns the shift each gives for every area in every projected year, as
// rows prevention_shift_low and prevention_shift_high in cash and real
// terms, with status projected. The published years do not depend on the
// settlement and have no such rows. ok is false where the settlement has
// no cases (sr2025-pots-folded, or a case itself).
func (r *Runner) SettlementRange(s Scenario) (rows []budget.Row, ok bool, err error) {
	low, high, ok := alloc.SettlementCases(s.Settlement)
	if !ok {
		return nil, false, nil
	}
	last := r.data.Allocations.Span().Last()
	for _, c := range []struct {
		settlement alloc.SettlementName
		measure    budget.Measure
	}{{low, MeasureShiftLow}, {high, MeasureShiftHigh}} {
		sc := s
		sc.Settlement = c.settlement
		res, err := r.Run(sc)
		if err != nil {
			return nil, false, fmt.Errorf("the %s case of %q: %w", c.settlement, s.Name, err)
		}
		caseRows, _, err := res.tables.get()
		if err != nil {
			return nil, false, err
		}
		for _, row := range caseRows {
			if row.Measure != prevention.MeasureShift {
				continue
			}
			y, err := budget.ParseYear(row.Period)
			if err != nil || !y.After(last) {
				continue
			}
			row.Measure, row.Scenario = c.measure, s.Name
			rows = append(rows, row)
		}
	}
	return rows, true, nil
}

// presentValuePrices restates the model's real-terms flows (at its price
// base year) in the prices of year 0 of the schedule, on the model's
// deflator.
func presentValuePrices(m prevention.Model, sched Schedule) (pvPrices, error) {
	pp := pvPrices{flows: m.Deflator.Basis(m.RealBase).String(), basis: m.Deflator.Basis(sched.Base).String(), ratio: one}
	if sched.Base == m.RealBase {
		return pp, nil
	}
	at, _, err := m.Deflator.Index(sched.Base)
	if err != nil {
		return pvPrices{}, fmt.Errorf("present values in %s prices: %w", sched.Base, err)
	}
	from, _, err := m.Deflator.Index(m.RealBase)
	if err != nil {
		return pvPrices{}, fmt.Errorf("present values in %s prices: %w", sched.Base, err)
	}
	if from.Sign() <= 0 {
		return pvPrices{}, fmt.Errorf("present values in %s prices: %w: the deflator's index of %s is %s", sched.Base, budget.ErrRange, m.RealBase, from)
	}
	pp.ratio = at.DivRound(from, budget.WorkingScale)
	return pp, nil
}

// Council returns res seen from council c (dataset.CouncilCrosswalk.Councils
// on the scenario's footprint): a Result whose Rows are the council's
// (prevention.CouncilView.Rows: its grant beside its part of its ICBs'
// figures by registered patients) and whose Summary is their window totals
// and present values, made as Run makes an area's. Scenario, Manifest and
// Detail are res's.
func (r *Runner) Council(res *Result, c dataset.Council) (*Result, error) {
	if r == nil || r.data == nil || res == nil || res.Detail == nil {
		return nil, fmt.Errorf("council %s: %w: run the scenario first, with a Runner on data", c.Code, budget.ErrNoData)
	}
	view, err := res.Council(c)
	if err != nil {
		return nil, err
	}
	rows, err := view.Rows(res.Scenario.Name)
	if err != nil {
		return nil, fmt.Errorf("scenario %q: %w", res.Scenario.Name, err)
	}
	s := res.Scenario
	pl, err := r.planOf(res)
	if err != nil {
		return nil, err
	}
	sum, err := summariseAll(r.data.Parameters, s, res.Detail.Model, pl.sched, rows, pl.pp)
	if err != nil {
		return nil, fmt.Errorf("scenario %q: %w", s.Name, err)
	}
	return &Result{Scenario: s, Manifest: res.Manifest, Detail: res.Detail, plan: pl, tables: fixedTables(rows, sum)}, nil
}

// RunArea is the common job in one call: the catalogue scenario name (any
// case) run for an area, an ICB or an upper-tier council by code or name
// ("" or "England" for England; Scenario.Area says how it is found), as
// RunFor runs it.
func (r *Runner) RunArea(name, area string) (*Result, Place, error) {
	if r == nil || r.data == nil {
		return nil, Place{}, fmt.Errorf("scenario %q: %w: a Runner on data is needed", name, budget.ErrNoData)
	}
	s, err := Find(r.data.Parameters, name)
	if err != nil {
		return nil, Place{}, err
	}
	s.Data = r.data.Vintage // the catalogue applies to whatever data the runner holds
	s.Area = area
	return r.RunFor(s)
}

// RunFor runs a scenario (a file's, say) for the area it is for
// (Scenario.Area): the result holds England and every ICB, as Run's does,
// and for a council its own rows and summary first (Beside); the place
// says which area was found. Run computes the same model whatever the
// area, and holds no council's rows.
func (r *Runner) RunFor(s Scenario) (*Result, Place, error) {
	if err := r.Validate(s); err != nil {
		return nil, Place{}, err
	}
	p, err := r.Place(s)
	if err != nil {
		return nil, Place{}, err
	}
	res, err := r.Run(s)
	if err != nil {
		return nil, Place{}, err
	}
	if p.Council != nil {
		if res, err = r.Beside(res, *p.Council); err != nil {
			return nil, Place{}, err
		}
	}
	return res, p, nil
}

// Beside is res with a council's rows and summary (Council) before its
// own: the council beside England and the ICBs, in one result, for
// comparing scenarios from a council.
func (r *Runner) Beside(res *Result, c dataset.Council) (*Result, error) {
	cr, err := r.Council(res, c)
	if err != nil {
		return nil, err
	}
	crows, csum, err := cr.tables.get()
	if err != nil {
		return nil, err
	}
	rows, sum, err := res.tables.get()
	if err != nil {
		return nil, err
	}
	both := append(slices.Clip(crows), rows...)
	bsum := append(slices.Clip(csum), sum...)
	return &Result{Scenario: res.Scenario, Manifest: res.Manifest, Detail: res.Detail, tables: fixedTables(both, bsum)}, nil
}

// Council is a council's view of the result (prevention.Result.Council):
// its part of its ICBs' figures beside its own grant. A council of another
// footprint than the result's is refused: its parts name that footprint's
// ICBs.
func (r *Result) Council(c dataset.Council) (*prevention.CouncilView, error) {
	if r == nil || r.Detail == nil {
		return nil, fmt.Errorf("council %s: %w: no result", c.Code, budget.ErrNoData)
	}
	if c.Footprint != "" && r.Manifest.Footprint != "" && c.Footprint != r.Manifest.Footprint {
		return nil, fmt.Errorf("scenario %q: council %s %s: %w: it is on footprint %s and the result on %s: find the council on footprint %s",
			r.Scenario.Name, c.Code, c.Name, budget.ErrRange, c.Footprint, r.Manifest.Footprint, r.Manifest.Footprint)
	}
	v, err := r.Detail.Council(c)
	if err != nil {
		return nil, fmt.Errorf("scenario %q: %w", r.Scenario.Name, err)
	}
	return v, nil
}
