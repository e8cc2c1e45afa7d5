package alloc

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

// OnFootprint returns the data with its allocations and registered and
// weighted populations restated on the footprint called name (see
// dataset.Footprints.Get): merged ICBs' money, targets and populations added (items
// by name), split ICBs' divided by their parts' shares (money of each
// stream and its targets by the stream's weight, dataset.WeightOf; populations by
// their own), to the penny or the person with the last part taking the
// rest, so that England's totals are unchanged. Distances from target,
// growth and convergence of a new ICB are recomputed from its sums. A
// figure of a split ICB is derived; a sum keeps the status of its parts.
// The 2022 footprint returns d itself. Each call restates anew; an Engine
// restates once for any number of calls.
func OnFootprint(d *dataset.Data, name string) (*dataset.Data, error) {
	if d == nil || d.Allocations == nil {
		return nil, fmt.Errorf("footprint %q: %w: no data", name, budget.ErrNoData)
	}
	if name == "" {
		name = dataset.DefaultFootprint()
	}
	if d.Footprint == name || (d.Footprint == "" && name == dataset.Footprint2022) {
		return d, nil
	}
	if d.Footprint != "" && d.Footprint != dataset.Footprint2022 {
		return nil, fmt.Errorf("footprint %q: %w: the data is already on the %s footprint; restate from the 2022 one", name, budget.ErrRange, d.Footprint)
	}
	fp, err := d.Footprints.Get(name)
	if err != nil {
		return nil, err
	}
	if err := d.Footprints.Check(d.Allocations); err != nil {
		return nil, err
	}
	own := *d
	own.Footprint = name
	if own.Allocations, own.Populations, err = restateOn(d, fp); err != nil {
		return nil, err
	}
	if err := checkAreas(name, d.Footprints.File(), own.Allocations.ICBs()); err != nil {
		return nil, err
	}
	return &own, nil
}

// checkAreas holds the ICBs the allocations are restated onto against the
// directory's list of the footprint's ICBs, where it has one (the 36 ICBs
// of April 2026): an old ICB missing from the footprint file stays as
// itself, an ICB the footprint does not have, and its money is lost from
// the body it joined.
func checkAreas(name, file string, areas []dataset.ICB) error {
	dir, err := dataset.EmbeddedICBDirectory()
	if err != nil {
		return err
	}
	want := dir.List(name)
	if len(want) == 0 {
		return nil // a footprint of the user's own: no list to hold it to
	}
	in := map[string]bool{}
	for _, e := range want {
		in[e.Code] = true
	}
	var extra []string
	for _, a := range areas {
		if !in[a.Code] {
			extra = append(extra, a.Code)
		}
	}
	if len(extra) > 0 { // fewer ICBs (a what-if without some) is the allocations' business
		return &budget.FileError{File: file, Err: fmt.Errorf("%w: restated on footprint %s the allocations have %d ICBs, the footprint's are %d; not among them: %s (an old ICB missing from the footprint's rows?)",
			budget.ErrNoData, name, len(areas), len(want), strings.Join(extra, ", "))}
	}
	return nil
}

// restateOn restates d's allocations and populations on fp.
func restateOn(d *dataset.Data, fp dataset.Footprint) (*dataset.Allocations, dataset.Populations, error) {
	a, err := allocationsOn(d.Allocations, fp)
	if err != nil {
		return nil, dataset.Populations{}, err
	}
	p, err := populationsOn(d.Populations, fp, d.Allocations.Span())
	return a, p, err
}

// destinations are where each old ICB's money goes: parts in footprint
// order, or the ICB itself where the footprint leaves it alone.
func destinations(fp dataset.Footprint, icbs []dataset.ICB) (map[string][]dataset.FootprintPart, []dataset.ICB) {
	dest := map[string][]dataset.FootprintPart{}
	for _, p := range fp.Parts {
		dest[p.From] = append(dest[p.From], p)
	}
	seen := map[string]bool{}
	var areas []dataset.ICB
	for _, icb := range icbs {
		parts, ok := dest[icb.Code]
		if !ok {
			parts = []dataset.FootprintPart{{From: icb.Code, To: icb}}
			dest[icb.Code] = parts
		}
		for _, p := range parts {
			if !seen[p.To.Code] {
				seen[p.To.Code] = true
				areas = append(areas, p.To)
			}
		}
	}
	sort.Slice(areas, func(i, j int) bool { return areas[i].Code < areas[j].Code })
	return dest, areas
}

// split divides v over the parts by their shares in year y and weight w:
// each part rounded to places, the last taking the rest, so that the parts
// add up to v exactly. A whole part (share 1, or a part of no footprint)
// gets v itself. The parts are written over buf's, which they may share.
func split(buf []decimal.Decimal, v decimal.Decimal, parts []dataset.FootprintPart, y budget.Year, w dataset.Weight, places int32) []decimal.Decimal {
	out := slices.Grow(buf[:0], len(parts))[:len(parts)]
	if len(parts) == 1 {
		out[0] = v
		return out
	}
	rest := v
	for k, p := range parts {
		if k == len(parts)-1 {
			out[k] = rest
			break
		}
		s, _ := p.Share(y, w)
		out[k] = v.Mul(s).Round(places)
		rest = rest.Sub(out[k])
	}
	return out
}

// allocationsOn restates the allocations on fp (see OnFootprint).
func allocationsOn(a *dataset.Allocations, fp dataset.Footprint) (*dataset.Allocations, error) {
	dest, areas := destinations(fp, a.ICBs())
	type acc struct {
		f     dataset.Figure
		whole budget.Status // the parts' status where counted whole (Figure.WholeStatus)
		parts int           // old ICBs added in
		split bool          // a share of a split ICB is in it
	}
	type figKey struct {
		year    budget.Year
		icb     string
		stream  dataset.Stream
		measure dataset.Measure
		item    string
	}
	sums := make(map[figKey]*acc, a.Len())
	keys := make([]figKey, 0, a.Len())
	var amounts []decimal.Decimal // each figure's parts
	fractions := 0
	for f := range a.All() {
		if !f.Measure.IsMoney() {
			fractions++
			continue // fractions are recomputed from the sums below
		}
		parts := dest[f.ICB]
		amounts = split(amounts, f.Value, parts, f.Year, dataset.WeightOf(f.Stream), 2)
		for k, p := range parts {
			key := figKey{f.Year, p.To.Code, f.Stream, f.Measure, f.Item}
			s, ok := sums[key]
			if !ok {
				s = &acc{f: dataset.Figure{Year: f.Year, ICB: p.To.Code, Stream: f.Stream, Measure: f.Measure, Item: f.Item, Status: f.Status, Source: f.Source}}
				sums[key] = s
				keys = append(keys, key)
			}
			if s.parts == 0 && amounts[k].Exponent() <= 0 {
				s.f.Value = amounts[k] // what adding it to zero gives, to the digit
			} else {
				s.f.Value = s.f.Value.Add(amounts[k])
			}
			s.f.Status = s.f.Status.Worst(f.Status)
			s.whole = s.whole.Worst(f.WholeStatus())
			s.parts++
			if len(parts) > 1 {
				s.split = true
				s.f.Status = s.f.Status.Worst(budget.Derived)
			}
		}
	}
	// Unchanged ICBs keep their published fractions; new ones get them
	// recomputed from their sums.
	kept := map[string]bool{}
	for _, icb := range a.ICBs() {
		if parts := dest[icb.Code]; len(parts) == 1 && parts[0].To.Code == icb.Code && !receives(fp, icb.Code, icb.Code) {
			kept[icb.Code] = true
		}
	}
	out := make([]dataset.Figure, 0, len(keys)+fractions)
	for _, k := range keys {
		out = append(out, sums[k].f.WithWholeStatus(sums[k].whole))
	}
	for f := range a.All() {
		if !f.Measure.IsMoney() && kept[f.ICB] {
			out = append(out, f)
		}
	}
	money := func(y budget.Year, icb string, s dataset.Stream, m dataset.Measure) (decimal.Decimal, bool) {
		if a, ok := sums[figKey{y, icb, s, m, ""}]; ok {
			return a.f.Value, true
		}
		return decimal.Zero, false
	}
	// The fractions of a new ICB: each the average of its parts' weighted by
	// their targets (or recurrent allocations where a stream has no
	// targets), and where its sums allow, recomputed from them.
	type fracKey struct {
		year    budget.Year
		stream  dataset.Stream
		icb     string
		measure dataset.Measure
	}
	avg := make(map[fracKey][2]decimal.Decimal, fractions) // sum of weight x value, sum of weight
	var fkeys []fracKey
	for f := range a.All() {
		if f.Measure.IsMoney() {
			continue
		}
		t, hasT := a.Find(f.Year, f.ICB, f.Stream, dataset.Target, "")
		wt := t.Value
		if !hasT {
			r, _ := a.Find(f.Year, f.ICB, f.Stream, dataset.Recurrent, "")
			wt = r.Value
		}
		amounts = split(amounts, wt, dest[f.ICB], f.Year, dataset.WeightOf(f.Stream), 2)
		for k, part := range amounts {
			key := fracKey{f.Year, f.Stream, dest[f.ICB][k].To.Code, f.Measure}
			if kept[key.icb] {
				continue
			}
			g, ok := avg[key]
			if !ok {
				fkeys = append(fkeys, key)
			}
			avg[key] = [2]decimal.Decimal{g[0].Add(part.Mul(f.Value)), g[1].Add(part)}
		}
	}
	value := func(k fracKey) (decimal.Decimal, bool) {
		g := avg[k]
		if g[1].Sign() <= 0 {
			return decimal.Zero, false
		}
		return g[0].DivRound(g[1], budget.WorkingScale), true
	}
	for _, k := range fkeys {
		v, ok := value(k)
		if !ok {
			continue
		}
		g, _ := value(fracKey{k.year, k.stream, k.icb, dataset.Growth})
		gf := one.Add(g)
		rec, hasRec := money(k.year, k.icb, k.stream, dataset.Recurrent)
		base, hasBase := money(k.year.Prev(), k.icb, k.stream, dataset.AdjustedBaseline)
		tgt, hasT := money(k.year, k.icb, k.stream, dataset.Target)
		switch {
		case k.measure == dataset.Convergence && hasRec && hasBase && base.Sign() > 0:
			v = rec.DivRound(base.Mul(gf), budget.WorkingScale).Sub(one)
		case k.measure == dataset.DfTBefore && hasBase && hasT && tgt.Sign() > 0:
			v = base.DivRound(tgt, budget.WorkingScale).Sub(one)
		case k.measure == dataset.DfTAfter && hasRec && hasT && tgt.Sign() > 0:
			v = rec.DivRound(tgt.Mul(gf), budget.WorkingScale).Sub(one)
		}
		out = append(out, dataset.Figure{Year: k.year, ICB: k.icb, Stream: k.stream, Measure: k.measure, Value: v, Status: budget.Derived, Source: "F4"})
	}
	return dataset.NewAllocations("footprint "+fp.Name, areas, out)
}

// receives reports whether a part of another old ICB joins code.
func receives(fp dataset.Footprint, code, except string) bool {
	for _, p := range fp.Parts {
		if p.To.Code == code && p.From != except {
			return true
		}
	}
	return false
}

// populationsOn restates the ICBs' registered and weighted populations of
// the years span covers on fp (see OnFootprint); England's figures
// are unchanged.
func populationsOn(p dataset.Populations, fp dataset.Footprint, span budget.Span) (dataset.Populations, error) {
	figures := p.Figures()
	var icbs []dataset.ICB
	seen := map[string]bool{}
	for _, f := range figures {
		if f.Area != "ENG" && !seen[f.Area] {
			seen[f.Area] = true
			icbs = append(icbs, dataset.ICB{Code: f.Area, Name: f.AreaName})
		}
	}
	dest, _ := destinations(fp, icbs)
	type popKey struct {
		year    budget.Year
		area    string
		measure dataset.PopulationMeasure
	}
	out := make([]dataset.PopulationFigure, 0, len(figures))
	pos := make(map[popKey]int, len(figures))
	var amounts []decimal.Decimal // each figure's parts
	for _, f := range figures {
		if f.Area == "ENG" {
			out = append(out, f)
			continue
		}
		w := dataset.WeightRegistered
		switch f.Measure {
		case dataset.WeightedCore:
			w = dataset.WeightCore
		case dataset.WeightedPMC:
			w = dataset.WeightPMC
		}
		parts := dest[f.Area]
		if len(parts) > 1 && !span.Contains(f.Year) {
			return dataset.Populations{}, &budget.FileError{File: p.File(), Line: p.Line(f.Year, f.Area, f.Measure), Column: "year", Value: f.Year.String(),
				Err: fmt.Errorf("%w: footprint %s splits %s, and has shares only for the allocations' years %s: its %s population cannot be split", budget.ErrNoData, fp.Name, f.Area, span, f.Measure)}
		}
		amounts = split(amounts, f.Value.Decimal(), parts, f.Year, w, 0)
		for k, v := range amounts {
			key := popKey{f.Year, parts[k].To.Code, f.Measure}
			i, ok := pos[key]
			if !ok {
				i = len(out)
				pos[key] = i
				out = append(out, dataset.PopulationFigure{Year: f.Year, Area: parts[k].To.Code, AreaName: parts[k].To.Name,
					Measure: f.Measure, Status: f.Status, Source: f.Source})
			}
			g := &out[i]
			part, err := budget.NewPopulation(v)
			if err != nil {
				return dataset.Populations{}, err
			}
			g.Value = g.Value.Add(part)
			g.Status = g.Status.Worst(f.Status)
			if len(parts) > 1 {
				g.Status = g.Status.Worst(budget.Derived)
			}
		}
	}
	return dataset.NewPopulations(p.File()+" (footprint "+fp.Name+")", out)
}
