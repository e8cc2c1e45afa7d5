package scenario

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/rule"
	"github.com/upstream-health/upstream/prevention"
)

// SimSettings are the settings of a Monte Carlo simulation. A nil
// *SimSettings, or a zero field, means the documented default.
type SimSettings struct {
	// Draws is the number of draws (default 10,000; at most 10,000,000).
	Draws int
	// Seed seeds every draw's random stream: draw i uses PCG(Seed, i), so
	// results do not depend on the number of workers. 0 is a seed like any
	// other (and the zero value).
	Seed uint64
	// Quantiles are the bands reported, as fractions (default 0.1, 0.5,
	// 0.9: P10, P50, P90, an 80% interval). Each must be in (0, 1).
	Quantiles []float64
	// Areas are the areas bands are kept for (default England only,
	// "ENG"); ICB codes add ICBs. Memory grows with areas, not with draws.
	Areas []string
	// Workers is the number of goroutines (default runtime.GOMAXPROCS).
	Workers int
	// Tornado is the output the one-way sensitivity reports (default
	// "prevention_shift_total": the prevention shift of TornadoArea over the first
	// window, 2024/25-2028/29, cash).
	Tornado string
	// TornadoArea is the area the one-way sensitivity describes: "ENG"
	// (the default), an ICB code of the scenario's footprint, or the code
	// of one of Councils.
	TornadoArea string
	// Councils are councils bands are kept for, from
	// dataset.CouncilCrosswalk.Councils on the scenario's footprint: each
	// draw's figures are the council's part of its ICBs' by registered
	// patients (prevention.AttributionMethod), its grant apportioned so.
	Councils []dataset.Council
	// Progress, if set, is told how many of the draws are done, about every
	// 1,024 draws and at the end, one call at a time. It does not change
	// the results.
	Progress func(done, total int)
}

func (s *SimSettings) withDefaults() (SimSettings, error) {
	out := SimSettings{Draws: 10000, Quantiles: []float64{0.1, 0.5, 0.9}, Areas: []string{"ENG"},
		Workers: runtime.GOMAXPROCS(0), Tornado: "prevention_shift_total", TornadoArea: "ENG"}
	if s != nil {
		if s.Draws != 0 {
			out.Draws = s.Draws
		}
		out.Seed = s.Seed // 0 is a seed like any other
		if len(s.Quantiles) > 0 {
			out.Quantiles = append([]float64(nil), s.Quantiles...)
		}
		if len(s.Areas) > 0 {
			out.Areas = append([]string(nil), s.Areas...)
		}
		if s.Workers != 0 {
			out.Workers = s.Workers
		}
		if s.Tornado != "" {
			out.Tornado = s.Tornado
		}
		if s.TornadoArea != "" {
			out.TornadoArea = s.TornadoArea
		}
		out.Councils = append([]dataset.Council(nil), s.Councils...)
		out.Progress = s.Progress
	}
	var errs []error
	if out.Draws < 1 || out.Draws > 10_000_000 {
		errs = append(errs, fmt.Errorf("draws %d: %w: want 1 to 10,000,000", out.Draws, errRange))
	}
	if out.Workers < 1 || out.Workers > 1024 {
		errs = append(errs, fmt.Errorf("workers %d: %w: want 1 to 1,024", out.Workers, errRange))
	}
	out.Workers = min(out.Workers, max(out.Draws, 1)) // no more goroutines than draws
	for _, q := range out.Quantiles {
		if !(q > 0 && q < 1) {
			errs = append(errs, fmt.Errorf("quantile %v: %w: want a fraction between 0 and 1", q, errRange))
		}
	}
	sort.Float64s(out.Quantiles)
	for i := 1; i < len(out.Quantiles); i++ {
		if out.Quantiles[i] == out.Quantiles[i-1] {
			errs = append(errs, fmt.Errorf("quantile %v: %w: given twice", out.Quantiles[i], budget.ErrDuplicate))
		}
	}
	seen := map[string]bool{}
	for _, a := range out.Areas {
		if seen[a] {
			errs = append(errs, fmt.Errorf("area %s: %w: given twice", a, budget.ErrDuplicate))
		}
		seen[a] = true
	}
	for _, c := range out.Councils {
		if seen[c.Code] {
			errs = append(errs, fmt.Errorf("council %s: %w: given twice", c.Code, budget.ErrDuplicate))
		}
		seen[c.Code] = true
	}
	return out, errors.Join(errs...)
}

// QuantileName is the measure suffix of a quantile: 0.1 is "p10", 0.025 "p2.5".
func QuantileName(q float64) string {
	return "p" + strconv.FormatFloat(q*100, 'f', -1, 64)
}

// Simulation is the result of Simulate: bands as tidy rows, the tornado,
// and a manifest with the seed, draws and distributions.
type Simulation struct {
	Scenario Scenario
	Settings SimSettings
	// Bands are rows "<measure>_p10", "_p50", "_p90" (by Settings.Quantiles)
	// for each year (and window), area, measure and basis. Band and
	// WindowBand index them by key on first use and find a row edited
	// since by looking through them; where a key is given twice they find
	// its first row as Bands stood when the index was built.
	Bands []budget.Row
	// Tornado is the one-way sensitivity of Settings.Tornado, sorted by swing.
	Tornado []TornadoBar
	// TornadoRows are the tornado as rows "tornado_<assumption>_low" and "_high".
	TornadoRows []budget.Row
	Manifest    Manifest

	index   *rowIndex     // finds bands for Band, made on first use
	periods windowPeriods // how its window bands are labelled
}

// TornadoBar is the output with one assumption at its low (P10) and high
// (P90) value and every other at its central value.
type TornadoBar struct {
	Assumption       string
	LowInput         float64
	HighInput        float64
	Low, High, Swing float64 // output values and |High - Low|
	Central          float64 // the output with every assumption central
}

// output is one quantity whose distribution is kept.
type output struct {
	area    int // ICB index, or nICB for England; a council's first ICB
	council *councilOut
	year    int // index in the model years; -1 for a window
	window  int
	measure budget.Measure
	basis   string
	unit    budget.Unit
}

// councilOut is a council's output: its code and name, and its ICBs'
// indices with the council's share of each's registered patients.
type councilOut struct {
	code, name string
	areas      []int
	weights    []float64
}

// Simulate runs scenario s many times with its Uncertain assumptions drawn
// from their distributions (gonum stat/distuv), on a float64 copy of the
// model, and reports quantile bands and a tornado. With every distribution
// degenerate it gives the figures Run gives. Bands are read from
// histograms of 4,096 bins (fewer when many areas are kept) whose range is
// set by the first draws, so memory does not grow with draws; a quantile
// is exact when all draws agree and otherwise good to a bin's width.
func Simulate(d *dataset.Data, s Scenario, set *SimSettings) (*Simulation, error) {
	return NewRunner(d).Simulate(s, set)
}

// Simulate runs a simulation on the runner's data (see the function Simulate).
func (r *Runner) Simulate(s Scenario, set *SimSettings) (*Simulation, error) {
	if r == nil || r.data == nil {
		return nil, fmt.Errorf("simulating %q: %w: a Runner without data (use NewRunner with dataset.Embedded or dataset.ReadData)", s.Name, budget.ErrNoData)
	}
	cfg, err := set.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("simulating %q: %w", s.Name, err)
	}
	pl, err := r.compile(s)
	if err != nil {
		return nil, err
	}
	det, err := r.run(pl) // the ledger's evaluation: published years, statuses, the grant's fixed years
	if err != nil {
		return nil, err
	}
	for _, u := range s.Uncertain {
		if (u.Assumption == UncertainROI || u.Assumption == UncertainLag) && s.Benefits == nil {
			return nil, fmt.Errorf("simulating %q: uncertain %s: %w: the scenario has no benefits", s.Name, u.Assumption, errRange)
		}
		if (u.Assumption == UncertainQALYCostPublicHealth || u.Assumption == UncertainQALYCostNHS) && s.QALYs == nil {
			return nil, fmt.Errorf("simulating %q: uncertain %s: %w: the scenario values no QALYs (qalys)", s.Name, u.Assumption, errRange)
		}
	}
	// The plan Run evaluated, not resolved again.
	fm, err := newFastModel(pl, det.Detail)
	if err != nil {
		return nil, err
	}
	outs, err := fm.outputs(cfg.Areas, cfg.Councils, det.Detail.Areas(), s)
	if err != nil {
		return nil, fmt.Errorf("simulating %q: %w", s.Name, err)
	}
	for _, o := range outs {
		fm.icbDetail = fm.icbDetail || o.area < fm.nICB
	}
	fm.icbDetail = fm.icbDetail || cfg.TornadoArea != "ENG"
	if ag, ok := fm.aggregate(); ok && !fm.icbDetail {
		fm = ag
	}
	sim := &Simulation{Scenario: s, Settings: cfg, Manifest: det.Manifest, index: &rowIndex{}, periods: det.windowPeriods()}
	seed := cfg.Seed
	sim.Manifest.Seed, sim.Manifest.Draws, sim.Manifest.Distributions = &seed, cfg.Draws, s.Uncertain
	hists, err := fm.run(s, cfg, outs)
	if err != nil {
		return nil, fmt.Errorf("simulating %q: %w", s.Name, err)
	}
	dRows, dSum, err := det.tables.get() // the statuses of the bands' figures
	if err != nil {
		return nil, err
	}
	sim.Bands = fm.bands(s, cfg, outs, hists, dRows, dSum, det.Detail)
	if sim.Tornado, sim.TornadoRows, err = fm.tornado(s, cfg, det); err != nil {
		return nil, err
	}
	return sim, nil
}

// outputs lists what the bands keep: for each area and year, the money
// measures in cash and real terms and the shift-to-grant ratio, and the
// windows' shift totals and present values.
func (fm *fastModel) outputs(areas []string, councils []dataset.Council, all []dataset.ICB, s Scenario) ([]output, error) {
	type target struct {
		area    int
		council *councilOut
	}
	var idx []target
	for _, a := range areas {
		found := false
		for i, icb := range all {
			if icb.Code == a {
				idx, found = append(idx, target{area: i}), true
			}
		}
		if !found {
			return nil, fmt.Errorf("area %q: %w: not an ICB code or ENG", a, errUnknown)
		}
	}
	for _, c := range councils {
		co, err := councilOutput(c, all)
		if err != nil {
			return nil, err
		}
		idx = append(idx, target{area: co.areas[0], council: co})
	}
	measures := []budget.Measure{prevention.MeasureBudget, prevention.MeasurePrevention, prevention.MeasureShift, prevention.MeasureTreatment,
		prevention.MeasureGrant}
	if !s.Baseline.IncludesCouncil {
		measures = append(measures, prevention.MeasureCombined)
	}
	if fm.benefits != nil {
		measures = append(measures, prevention.MeasureBenefit)
	}
	var outs []output
	for y := 0; y < fm.nYears; y++ {
		for _, t := range idx {
			a, c := t.area, t.council
			for _, m := range measures {
				outs = append(outs, output{area: a, council: c, year: y, measure: m, basis: budget.BasisCash, unit: budget.UnitGBP},
					output{area: a, council: c, year: y, measure: m, basis: fm.realBasis, unit: budget.UnitGBP})
			}
			outs = append(outs, output{area: a, council: c, year: y, measure: prevention.MeasureShiftToGrant, basis: budget.BasisCash, unit: budget.UnitRatio})
		}
	}
	if fm.qaly != nil {
		for y := 0; y < fm.nYears; y++ {
			for _, t := range idx {
				outs = append(outs, output{area: t.area, council: t.council, year: y, measure: prevention.MeasureQALYsNet, basis: budget.BasisNone, unit: budget.UnitQALY},
					output{area: t.area, council: t.council, year: y, measure: prevention.MeasureQALYValue, basis: budget.BasisCash, unit: budget.UnitGBP})
			}
		}
		for w := range Windows(s.Horizon) {
			for _, t := range idx {
				outs = append(outs, output{area: t.area, council: t.council, year: -1, window: w, measure: prevention.MeasureQALYsNet + "_total", basis: budget.BasisNone, unit: budget.UnitQALY})
			}
		}
	}
	for w, span := range Windows(s.Horizon) {
		_, _, _, hasPV := fm.schedule.Split(span) // no present value of a window wholly before year 0
		for _, t := range idx {
			a, c := t.area, t.council
			outs = append(outs, output{area: a, council: c, year: -1, window: w, measure: prevention.MeasureShift + "_total", basis: budget.BasisCash, unit: budget.UnitGBP})
			if hasPV {
				outs = append(outs, output{area: a, council: c, year: -1, window: w, measure: prevention.MeasureShift + "_pv", basis: fm.pvBasis, unit: budget.UnitGBP})
			}
		}
	}
	return outs, nil
}

// councilOutput finds a council's ICBs among all.
func councilOutput(c dataset.Council, all []dataset.ICB) (*councilOut, error) {
	co := &councilOut{code: c.Code, name: c.Name}
	for _, p := range c.Parts {
		i := slices.IndexFunc(all, func(a dataset.ICB) bool { return a.Code == p.ICB })
		if i < 0 {
			return nil, fmt.Errorf("council %s %s: ICB %q: %w: not an ICB of the scenario's footprint", c.Code, c.Name, p.ICB, errUnknown)
		}
		co.areas = append(co.areas, i)
		co.weights = append(co.weights, p.OfICB.InexactFloat64())
	}
	if len(co.areas) == 0 {
		return nil, fmt.Errorf("council %s %s: %w: it has no ICBs", c.Code, c.Name, budget.ErrNoData)
	}
	return co, nil
}

// value reads one output from a draw.
func (fm *fastModel) value(o *output, out *fastOut, windows []budget.Span, factors [][]float64) float64 {
	if c := o.council; c != nil {
		// The council's part of its ICBs'; its ratio, of its parts.
		part := func(measure budget.Measure) float64 {
			t := 0.0
			for k, a := range c.areas {
				q := *o
				q.council, q.area, q.measure = nil, a, measure
				t += c.weights[k] * fm.value(&q, out, windows, factors)
			}
			return t
		}
		if o.measure == prevention.MeasureShiftToGrant {
			return part(prevention.MeasureShift) / part(prevention.MeasureGrant)
		}
		return part(o.measure)
	}
	if fm.qaly != nil && strings.HasPrefix(string(o.measure), "qalys_") {
		return fm.qalys(o, out, windows)
	}
	real := o.basis != budget.BasisCash
	if o.year < 0 {
		var total float64
		w := windows[o.window]
		first := w.First().Sub(fm.years[0])
		for k := 0; k < w.Len(); k++ { // no year list made: value runs for every output of every draw
			yi := first + k
			if real {
				total += float64(fm.deflated(out.shift, o.area, yi, out) * factors[o.window][k])
			} else {
				total += out.shift[o.area][yi]
			}
		}
		if real {
			// In year 0's prices, on this draw's deflator.
			total *= out.index[fm.pvBase] / fm.baseIndex
		}
		return total
	}
	var col [][]float64
	switch o.measure {
	case prevention.MeasureBudget:
		col = out.budget
	case prevention.MeasurePrevention:
		col = out.prevention
	case prevention.MeasureShift:
		col = out.shift
	case prevention.MeasureTreatment:
		col = out.treatment
	case prevention.MeasureGrant:
		col = out.grant
	case prevention.MeasureBenefit:
		col = out.benefit
	case prevention.MeasureShiftToGrant:
		return out.shift[o.area][o.year] / out.grant[o.area][o.year]
	case prevention.MeasureCombined:
		if real {
			return fm.deflated(out.prevention, o.area, o.year, out) + fm.deflated(out.grant, o.area, o.year, out)
		}
		return out.prevention[o.area][o.year] + out.grant[o.area][o.year]
	}
	if real {
		return fm.deflated(col, o.area, o.year, out)
	}
	return col[o.area][o.year]
}

// deflated is a figure at base-year prices, rounded to the penny. The
// ledger rounds each ICB's real figure and adds them for England; England's
// total deflated here differs from that by at most half a penny an ICB.
func (fm *fastModel) deflated(col [][]float64, area, yi int, out *fastOut) float64 {
	return rule.RebaseF64(col[area][yi], fm.baseIndex, out.index[yi], budget.WorkingScale)
}

// sampler draws the scenario's uncertain assumptions.
type sampler struct {
	names []string
	dists []Distribution
	doms  []domain
	tris  []distuv.Triangle // for triangular distributions, by position
}

func newSampler(s Scenario) sampler {
	var sm sampler
	for _, a := range UncertainAssumptions() {
		for _, u := range s.Uncertain {
			if u.Assumption == a {
				d := u.Distribution
				sm.names = append(sm.names, a)
				sm.dists = append(sm.dists, d)
				sm.doms = append(sm.doms, domainOf(a))
				var tri distuv.Triangle
				if d.Kind == "triangular" {
					tri = distuv.NewTriangle(d.A, d.C, d.B, nil)
				}
				sm.tris = append(sm.tris, tri)
			}
		}
	}
	return sm
}

// drawer is one worker's random source: a PCG reseeded for each draw and
// the generator reading it, so that a draw allocates nothing.
type drawer struct {
	src *rand.PCG
	rnd *rand.Rand
}

func newDrawer() drawer {
	src := rand.NewPCG(0, 0)
	return drawer{src: src, rnd: rand.New(src)}
}

// draw returns draw i's assumptions: stream PCG(seed, i), assumptions in
// the order of UncertainAssumptions. The values are those gonum's distuv
// distributions give with the same source (the same formulas), without a
// generator made for each value. ok is false, naming the assumption, when
// a value falls outside the assumption's domain (Validate makes that a
// chance of about 2e-12 a draw, for normal and lognormal tails).
func (sm sampler) draw(seed uint64, i int, dr drawer) (pr params, bad string) {
	dr.src.Seed(seed, uint64(i))
	pr = noDraw()
	for k, d := range sm.dists {
		var v float64
		switch d.Kind {
		case "normal":
			v = dr.rnd.NormFloat64()*d.B + d.A
		case "lognormal":
			v = math.Exp(dr.rnd.NormFloat64()*d.B + d.A)
		case "uniform":
			v = dr.rnd.Float64()*(d.B-d.A) + d.A
		case "triangular":
			v = sm.tris[k].Quantile(dr.rnd.Float64())
		default:
			v = d.A
		}
		if !sm.doms[k].contains(v) {
			return pr, fmt.Sprintf("%s drew %s, outside %s", sm.names[k], fmtFloat(v), sm.doms[k])
		}
		set(&pr, sm.names[k], v)
	}
	return pr, ""
}

func set(pr *params, name string, v float64) {
	switch name {
	case UncertainRealGrowth:
		pr.realGrowth = v
	case UncertainInflation:
		pr.inflation = v
	case UncertainBaselineShare:
		pr.s0 = v
	case UncertainConvergence:
		pr.convergence = v
	case UncertainROI:
		pr.roi = v
	case UncertainLag:
		pr.lag = v
	case UncertainQALYCostPublicHealth:
		pr.qalyPH = v
	case UncertainQALYCostNHS:
		pr.qalyNHS = v
	}
}

// quantile is a distribution's quantile (for the tornado's low and high values).
func quantile(d Distribution, q float64) float64 {
	switch d.Kind {
	case "normal":
		return distuv.Normal{Mu: d.A, Sigma: d.B}.Quantile(q)
	case "lognormal":
		return distuv.LogNormal{Mu: d.A, Sigma: d.B}.Quantile(q)
	case "uniform":
		return distuv.Uniform{Min: d.A, Max: d.B}.Quantile(q)
	case "triangular":
		return distuv.NewTriangle(d.A, d.C, d.B, nil).Quantile(q)
	}
	return d.A
}

// hist is a fixed-range histogram with exact extremes.
type hist struct {
	lo, width   float64
	bins        []uint32
	under, over uint64
	min, max    float64
	n           uint64
	bad         uint64 // values that are not finite numbers: an error
}

func (h *hist) add(v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		h.bad++
		return
	}
	if h.n == 0 || v < h.min {
		h.min = v
	}
	if h.n == 0 || v > h.max {
		h.max = v
	}
	h.n++
	if h.width == 0 {
		switch {
		case v < h.lo:
			h.under++
		case v > h.lo:
			h.over++
		default:
			h.bins[0]++
		}
		return
	}
	k := int((v - h.lo) / h.width)
	switch {
	case v < h.lo || k < 0:
		h.under++
	case k >= len(h.bins):
		h.over++
	default:
		h.bins[k]++
	}
}

func (h *hist) merge(o *hist) {
	h.bad += o.bad
	if o.n == 0 {
		return
	}
	if h.n == 0 || o.min < h.min {
		h.min = o.min
	}
	if h.n == 0 || o.max > h.max {
		h.max = o.max
	}
	h.n += o.n
	h.under += o.under
	h.over += o.over
	for i, c := range o.bins {
		h.bins[i] += c
	}
}

// quantile reads the q quantile, interpolating within a bin.
func (h *hist) quantile(q float64) float64 {
	if h.min == h.max {
		return h.min
	}
	target := q * float64(h.n)
	hi := h.lo + float64(h.width*float64(len(h.bins)))
	if target <= float64(h.under) {
		return h.min + float64((math.Max(h.lo, h.min)-h.min)*target/float64(h.under))
	}
	cum := float64(h.under)
	for k, c := range h.bins {
		if c == 0 {
			continue
		}
		if cum+float64(c) >= target {
			if h.width == 0 {
				return h.lo
			}
			return h.lo + float64(h.width*(float64(k)+(target-cum)/float64(c)))
		}
		cum += float64(c)
	}
	if h.over == 0 {
		return h.max
	}
	start := math.Min(hi, h.max)
	return start + float64((h.max-start)*(target-cum)/float64(h.over))
}

// badDraws records the first draw (by index, whatever the workers' order)
// whose value fell outside its assumption's domain.
type badDraws struct {
	mu    sync.Mutex
	first int
	why   string
}

func (b *badDraws) note(i int, why string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.why == "" || i < b.first {
		b.first, b.why = i, why
	}
}

func (b *badDraws) err() error {
	if b.why == "" {
		return nil
	}
	return fmt.Errorf("draw %d: %s: %w", b.first, b.why, errRange)
}

// run draws cfg.Draws times in parallel and returns a histogram per output.
func (fm *fastModel) run(s Scenario, cfg SimSettings, outs []output) ([]hist, error) {
	sm := newSampler(s)
	windows := Windows(s.Horizon)
	factors := discountFactors(fm.schedule, windows)
	nOut := len(outs)
	bins := 4096
	if b := (1 << 22) / nOut; b < bins {
		bins = max(b, 256)
	}
	// A pilot of the first draws sets each histogram's range.
	pilot := min(cfg.Draws, 1000)
	pilotVals := make([]float64, pilot*nOut)
	var bad badDraws
	parallel(pilot, cfg.Workers, func(next func() (int, bool)) {
		sc := fm.newScratch()
		dr := newDrawer()
		for i, ok := next(); ok; i, ok = next() {
			pr, why := sm.draw(cfg.Seed, i, dr)
			if why != "" {
				bad.note(i, why)
				continue
			}
			fm.eval(pr, sc)
			for k := range outs {
				pilotVals[i*nOut+k] = fm.value(&outs[k], &sc.out, windows, factors)
			}
		}
	})
	shape := make([]hist, nOut)
	for k := range outs {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := 0; i < pilot; i++ {
			v := pilotVals[i*nOut+k]
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		margin := (hi - lo) / 2
		shape[k] = hist{lo: lo - margin, width: (hi - lo + 2*margin) / float64(bins)}
	}
	newHists := func() []hist {
		hs := make([]hist, nOut)
		flat := make([]uint32, nOut*bins)
		for k := range hs {
			hs[k] = hist{lo: shape[k].lo, width: shape[k].width, bins: flat[k*bins : (k+1)*bins]}
		}
		return hs
	}
	total := newHists()
	for i := 0; i < pilot; i++ {
		for k := range outs {
			total[k].add(pilotVals[i*nOut+k])
		}
	}
	var mu, pmu sync.Mutex
	var done atomic.Int64
	var reported int64 = -1
	report := func(n int64) { // one call at a time, never going back
		if cfg.Progress == nil {
			return
		}
		pmu.Lock()
		defer pmu.Unlock()
		if n > reported {
			reported = n
			cfg.Progress(pilot+int(n), cfg.Draws)
		}
	}
	parallel(cfg.Draws-pilot, cfg.Workers, func(next func() (int, bool)) {
		sc := fm.newScratch()
		hs := newHists()
		dr := newDrawer()
		for j, ok := next(); ok; j, ok = next() {
			if n := done.Add(1); n%1024 == 0 {
				report(n)
			}
			i := pilot + j
			pr, why := sm.draw(cfg.Seed, i, dr)
			if why != "" {
				bad.note(i, why)
				continue
			}
			fm.eval(pr, sc)
			for k := range outs {
				hs[k].add(fm.value(&outs[k], &sc.out, windows, factors))
			}
		}
		mu.Lock() // counts add up the same in any order
		for k := range total {
			total[k].merge(&hs[k])
		}
		mu.Unlock()
	})
	report(done.Load())
	if err := bad.err(); err != nil {
		return nil, err
	}
	for k := range total {
		if total[k].bad > 0 {
			return nil, fmt.Errorf("%d draws gave a figure that is not a finite number (%s %s): %w", total[k].bad, outs[k].measure, outs[k].basis, errRange)
		}
	}
	return total, nil
}

// parallel runs work on n items with w goroutines, each taking items from
// a shared counter in blocks.
func parallel(n, w int, work func(next func() (int, bool))) {
	if n <= 0 {
		return
	}
	var counter atomic.Int64
	const block = 64
	var wg sync.WaitGroup
	for g := 0; g < w; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cur, end := 0, 0
			work(func() (int, bool) {
				if cur == end {
					start := int(counter.Add(block)) - block
					if start >= n {
						return 0, false
					}
					cur, end = start, min(start+block, n)
				}
				i := cur
				cur++
				return i, true
			})
		}()
	}
	wg.Wait()
}

// discountFactors are, for each window, the discount factor of each of its
// years to the schedule's year 0, and 0 for a year before it (a past year, not
// in the present value).
func discountFactors(sched Schedule, windows []budget.Span) [][]float64 {
	out := make([][]float64, len(windows))
	for w, span := range windows {
		for _, y := range span.Years() {
			f := 0.0
			if !y.Before(sched.Base) {
				f = f64(sched.Factor(y.Sub(sched.Base)))
			}
			out[w] = append(out[w], f)
		}
	}
	return out
}

// bands turns the histograms into rows, with the status of the
// deterministic row of the same figure.
func (fm *fastModel) bands(s Scenario, cfg SimSettings, outs []output, hs []hist, dRows, dSum []budget.Row, det *prevention.Result) []budget.Row {
	status := map[rowKey]budget.Status{}
	for _, rows := range [][]budget.Row{dRows, dSum} {
		for _, r := range rows {
			status[keyOf(r)] = r.Status
		}
	}
	areas := det.Areas()
	windows := Windows(s.Horizon)
	var out []budget.Row
	for k, o := range outs {
		period := ""
		switch {
		case o.year >= 0:
			period = fm.years[o.year].String()
		case o.basis != budget.BasisCash && o.basis != budget.BasisNone:
			_, _, disc, _ := fm.schedule.Split(windows[o.window])
			period = disc.String() // present values cover the window's years from year 0
		default:
			period = windows[o.window].String()
		}
		a := areas[o.area]
		st := status[rowKey{period, a.Code, o.measure, o.basis}]
		if st == 0 {
			st = budget.Projected
		}
		if o.council != nil {
			a = dataset.ICB{Code: o.council.code, Name: o.council.name}
			st = st.Worst(budget.Derived) // an attribution
		}
		for _, q := range cfg.Quantiles {
			v := hs[k].quantile(q)
			val := decimal.NewFromFloat(v)
			if o.unit == budget.UnitGBP {
				val = val.Round(2)
			}
			out = append(out, budget.Row{Scenario: s.Name, Period: period, Area: a.Code, AreaName: a.Name,
				Measure: o.measure + "_" + budget.Measure(QuantileName(q)), Value: val, Unit: o.unit, Basis: o.basis, Status: st})
		}
	}
	return out
}

// tornado sets each uncertain assumption at its P10 and P90 with the
// others at their central values, and reports the output for each.
func (fm *fastModel) tornado(s Scenario, cfg SimSettings, det *Result) ([]TornadoBar, []budget.Row, error) {
	windows := Windows(s.Horizon)
	if len(windows) == 0 {
		return nil, nil, nil
	}
	areas := det.Detail.Areas()
	at := slices.IndexFunc(areas, func(a dataset.ICB) bool { return a.Code == cfg.TornadoArea })
	var council *councilOut
	if ci := slices.IndexFunc(cfg.Councils, func(c dataset.Council) bool { return c.Code == cfg.TornadoArea }); at < 0 && ci >= 0 {
		co, err := councilOutput(cfg.Councils[ci], areas)
		if err != nil {
			return nil, nil, err
		}
		at, council = co.areas[0], co
	}
	if at < 0 {
		return nil, nil, fmt.Errorf("tornado area %q: %w: not an ICB code of the footprint, a council of Councils, or ENG", cfg.TornadoArea, errUnknown)
	}
	var target output
	w := slices.Index(windows, ShiftWindow(s))
	switch cfg.Tornado {
	case "prevention_shift_total":
		target = output{area: at, council: council, year: -1, window: w, measure: "prevention_shift_total", basis: budget.BasisCash, unit: budget.UnitGBP}
	case "prevention_shift_pv":
		if _, _, _, ok := fm.schedule.Split(windows[w]); !ok {
			return nil, nil, fmt.Errorf("tornado output %q: %w: the window %s ends before year 0 of present values, %s", cfg.Tornado, errRange, windows[w], fm.schedule.Base)
		}
		target = output{area: at, council: council, year: -1, window: w, measure: "prevention_shift_pv", basis: fm.pvBasis, unit: budget.UnitGBP}
	case "qalys_net_total":
		if fm.qaly == nil {
			return nil, nil, fmt.Errorf("tornado output %q: %w: the scenario values no QALYs (qalys)", cfg.Tornado, errRange)
		}
		target = output{area: at, council: council, year: -1, window: w, measure: "qalys_net_total", basis: budget.BasisNone, unit: budget.UnitQALY}
	default:
		return nil, nil, fmt.Errorf("tornado output %q: %w: want prevention_shift_total, prevention_shift_pv or qalys_net_total", cfg.Tornado, errUnknown)
	}
	factors := discountFactors(fm.schedule, windows)
	central := noDraw()
	for _, u := range s.Uncertain {
		set(&central, u.Assumption, u.Distribution.Central())
	}
	sc := fm.newScratch()
	evalAt := func(pr params) float64 {
		fm.eval(pr, sc)
		return fm.value(&target, &sc.out, windows, factors)
	}
	mid := evalAt(central)
	var bars []TornadoBar
	for _, u := range s.Uncertain {
		lo, hi := quantile(u.Distribution, 0.1), quantile(u.Distribution, 0.9)
		pl, ph := central, central
		set(&pl, u.Assumption, lo)
		set(&ph, u.Assumption, hi)
		b := TornadoBar{Assumption: u.Assumption, LowInput: lo, HighInput: hi, Low: evalAt(pl), High: evalAt(ph), Central: mid}
		b.Swing = math.Abs(b.High - b.Low)
		bars = append(bars, b)
	}
	sort.SliceStable(bars, func(i, j int) bool { return bars[i].Swing > bars[j].Swing })
	var rows []budget.Row
	who := areas[at]
	if council != nil {
		who = dataset.ICB{Code: council.code, Name: council.name}
	}
	period := windows[w].String()
	if target.basis != budget.BasisCash {
		_, _, disc, _ := fm.schedule.Split(windows[w])
		period = disc.String()
	}
	for _, b := range bars {
		for _, side := range []struct {
			name string
			v    float64
		}{{"low", b.Low}, {"high", b.High}} {
			rows = append(rows, budget.Row{Scenario: s.Name, Period: period, Area: who.Code, AreaName: who.Name,
				Measure: budget.Measure("tornado_" + b.Assumption + "_" + side.name), Value: decimal.NewFromFloat(side.v).Round(2),
				Unit: target.unit, Basis: target.basis, Status: budget.Projected})
		}
	}
	return bars, rows, nil
}

// qalys reads a QALY output from a draw: the net QALYs of a year (gained at
// the public health cost per QALY, forgone at the NHS's, within the
// envelope), their value in cash, or the net over a window; the costs and
// the value brought to each year's prices on the draw's deflator, as
// prevention does.
func (fm *fastModel) qalys(o *output, out *fastOut, windows []budget.Span) float64 {
	q := fm.qaly
	qalys := func(yi int) (net, worth float64) {
		_, _, net, worth = rule.QALYsF64(out.shift[o.area][yi], out.qalyPH, out.qalyNHS, q.value, out.index[yi], q.pricesIx, q.valueIx,
			q.envelope, budget.WorkingScale, 2)
		return net, worth
	}
	net := func(yi int) float64 {
		n, _ := qalys(yi)
		return n
	}
	if o.year < 0 {
		w := windows[o.window]
		first := w.First().Sub(fm.years[0])
		total := 0.0
		for k := 0; k < w.Len(); k++ {
			total += net(first + k)
		}
		return total
	}
	if o.measure == prevention.MeasureQALYValue {
		_, worth := qalys(o.year)
		return worth
	}
	return net(o.year)
}
