package budget

import (
	"errors"
	"fmt"
	"sort"
)

// Footprint maps ICB codes to new, merged ICBs (ICBs merge from April 2026:
// written ministerial statement of 9 September 2025). ICBs it does not
// name keep their own footprint.
type Footprint struct {
	Name string `json:"name"`
	// Merge maps an old ICB code to the ICB it becomes part of.
	Merge map[string]ICB `json:"merge"`
}

// Validate checks the mapping against a list of ICBs: every old code must
// be known (ErrUnknown), and a new code must not be an old ICB's code that
// stays unmerged (ErrDuplicate), nor carry two names.
func (f Footprint) Validate(icbs []ICB) error {
	known := map[string]bool{}
	for _, icb := range icbs {
		known[icb.Code] = true
	}
	var errs []error
	olds := make([]string, 0, len(f.Merge))
	for old := range f.Merge {
		olds = append(olds, old)
	}
	sort.Strings(olds)
	names := map[string]ICB{}
	for _, old := range olds {
		nw := f.Merge[old]
		if !known[old] {
			errs = append(errs, fmt.Errorf("footprint %q: ICB %q: %w", f.Name, old, ErrUnknown))
		}
		if nw.Code == "" {
			errs = append(errs, fmt.Errorf("footprint %q: %s merges into an ICB with no code: %w", f.Name, old, ErrSyntax))
			continue
		}
		if _, merged := f.Merge[nw.Code]; known[nw.Code] && !merged && nw.Code != old {
			errs = append(errs, fmt.Errorf("footprint %q: new code %s is an existing ICB that is not merged: %w", f.Name, nw.Code, ErrDuplicate))
		}
		if prev, ok := names[nw.Code]; ok && prev != nw {
			errs = append(errs, fmt.Errorf("footprint %q: %s is named both %q and %q: %w", f.Name, nw.Code, prev.Name, nw.Name, ErrDuplicate))
		}
		names[nw.Code] = nw
	}
	return errors.Join(errs...)
}

// Restate returns the projection restated on a new footprint for every
// year: merged ICBs' money, targets and populations are summed (items by
// name) and their distances from target recomputed from the sums, as NHS
// England restates baselines on new footprints. England's totals are
// unchanged.
func (p *Projection) Restate(f Footprint) (*Projection, error) {
	if p == nil {
		return nil, fmt.Errorf("projection: %w: nil", ErrNoData)
	}
	if err := f.Validate(p.icbs); err != nil {
		return nil, err
	}
	dest := func(icb ICB) ICB {
		if nw, ok := f.Merge[icb.Code]; ok {
			return nw
		}
		return icb
	}
	seen := map[string]bool{}
	var areas []ICB
	for _, icb := range p.icbs {
		d := dest(icb)
		if !seen[d.Code] {
			seen[d.Code] = true
			areas = append(areas, d)
		}
	}
	sort.Slice(areas, func(i, j int) bool { return areas[i].Code < areas[j].Code })
	out := &Projection{settlement: p.settlement, span: p.span, published: p.published, icbs: areas}
	out.cells = make([]Cell, len(areas)*p.span.Len()*len(Streams()))
	out.pops = make([]PopulationFigure, len(areas)*p.span.Len())
	for ai, area := range areas {
		var members []int
		for i, icb := range p.icbs {
			if dest(icb).Code == area.Code {
				members = append(members, i)
			}
		}
		for yi := range p.span.Years() {
			for _, st := range Streams() {
				out.cells[out.at(ai, yi, st)] = p.sumCells(members, yi, st)
			}
			var pop PopulationFigure
			for _, i := range members {
				m := p.pops[i*p.span.Len()+yi]
				if m.Status == 0 {
					pop = PopulationFigure{}
					break
				}
				pop.Value = pop.Value.Add(m.Value)
				pop.Status = pop.Status.Worst(m.Status)
				pop.Year, pop.Measure, pop.Source = m.Year, m.Measure, m.Source
			}
			if pop.Status != 0 {
				pop.Area, pop.AreaName = area.Code, area.Name
				if len(members) > 1 {
					pop.Status = pop.Status.Worst(Derived)
				}
			}
			out.pops[ai*p.span.Len()+yi] = pop
		}
	}
	return out, nil
}

// sumCells adds the cells of several ICBs, recomputing distances from the sums.
func (p *Projection) sumCells(members []int, yi int, st Stream) Cell {
	if len(members) == 1 {
		c := p.cells[p.at(members[0], yi, st)]
		c.Items = append([]Item(nil), c.Items...)
		return c
	}
	sub := &Projection{span: p.span, icbs: make([]ICB, len(members)), cells: make([]Cell, len(members)*p.span.Len()*len(Streams()))}
	for k, i := range members {
		sub.icbs[k] = p.icbs[i]
		for _, s := range Streams() {
			sub.cells[sub.at(k, yi, s)] = p.cells[p.at(i, yi, s)]
		}
	}
	c, _ := sub.England(p.span.First().Add(yi), st)
	if c.Exists() {
		c.Status = c.Status.Worst(Derived)
	}
	return c
}
