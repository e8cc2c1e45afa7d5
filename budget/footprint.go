package budget

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/shopspring/decimal"
)

// Footprint names: the 42 ICBs established in July 2022, on which NHS
// England published every round to 2025/26, and the 36 of 1 April 2026.
const (
	Footprint2022 = "2022"
	Footprint2026 = "2026"
)

// DefaultFootprint is the footprint results are reported on unless asked
// otherwise: the ICBs in force, so that an analyst sees their own body for
// every year.
func DefaultFootprint() string { return Footprint2026 }

// Weight is what a part of an ICB's share of it is measured by.
type Weight int

const (
	// WeightRegistered is the GP-registered population.
	WeightRegistered Weight = iota + 1
	// WeightCore is the core services weighted population (the fair-share
	// formula's need for hospital, community, mental health and
	// prescribing services).
	WeightCore
	// WeightPMC is the primary medical care weighted population.
	WeightPMC
)

var weightNames = newNames[Weight]("weight", WeightRegistered, "registered", WeightCore, "core", WeightPMC, "pmc")

// String is "registered", "core" or "pmc".
func (w Weight) String() string { return weightNames.name(w) }

// WeightOf is the weight that splits a stream's money and targets: core
// services by their weighted population, primary medical care by its own,
// the other streams (and running costs) by registered population.
func WeightOf(s Stream) Weight {
	switch s {
	case Core:
		return WeightCore
	case PMC:
		return WeightPMC
	}
	return WeightRegistered
}

// FootprintPart is one old ICB, or part of one, that becomes part of a new
// ICB, with its share of the old ICB by year and weight.
type FootprintPart struct {
	From   string // the old ICB's ODS code
	To     ICB    // the new ICB
	ONS    string // the new ICB's ONS code (provisional where so published)
	Part   string // "whole", or the sub-ICB locations or districts of the part
	Source string
	shares map[shareKey]decimal.Decimal
	line   int
}

type shareKey struct {
	year   Year
	weight Weight
}

// Share is the part's share of the old ICB in year y by weight w; ok is
// false where the footprint does not give one.
func (p FootprintPart) Share(y Year, w Weight) (decimal.Decimal, bool) {
	s, ok := p.shares[shareKey{y, w}]
	return s, ok
}

// Footprint is a set of ICB boundaries: the parts of old ICBs that make up
// each new one. An ICB it does not name keeps its own footprint.
type Footprint struct {
	Name  string
	Parts []FootprintPart
}

// Footprints are the footprints a data set knows, other than the 2022 one
// the allocations are published on.
type Footprints struct {
	file string
	list []Footprint
}

// Get returns the footprint called name, or an error wrapping ErrUnknown
// that lists the names known. Footprint2022 is the identity: no parts.
func (f Footprints) Get(name string) (Footprint, error) {
	fp, err := f.find(name)
	if err != nil || fp == nil {
		return Footprint{Name: name}, err
	}
	out := Footprint{Name: fp.Name, Parts: make([]FootprintPart, len(fp.Parts))}
	for i, p := range fp.Parts {
		out.Parts[i] = p
		out.Parts[i].shares = make(map[shareKey]decimal.Decimal, len(p.shares))
		for k, v := range p.shares {
			out.Parts[i].shares[k] = v
		}
	}
	return out, nil
}

// find returns the footprint called name as held (nil for the 2022
// footprint, which has no parts), or an error wrapping ErrUnknown that
// lists the names known.
func (f Footprints) find(name string) (*Footprint, error) {
	if name == Footprint2022 {
		return nil, nil
	}
	for i := range f.list {
		if f.list[i].Name == name {
			return &f.list[i], nil
		}
	}
	err := fmt.Errorf("footprint %q: %w: want %s", name, ErrUnknown, strings.Join(f.Names(), " or "))
	if len(f.list) == 0 {
		err = fmt.Errorf("%w (the data has no footprints besides 2022: an older data folder? export it again with go run ./examples/data -export, or use footprint 2022)", err)
	}
	return nil, err
}

// Names lists the footprints known, 2022 first.
func (f Footprints) Names() []string {
	out := []string{Footprint2022}
	for _, fp := range f.list {
		out = append(out, fp.Name)
	}
	return out
}

// FootprintsColumns are the columns of a footprints file, in order.
//
//	footprint      the footprint's name, "2026"
//	old_icb_code   the ODS code of an ICB of the 2022 footprint
//	new_icb_code   the ODS code of the ICB it, or a part of it, joins
//	new_icb_ons    the new ICB's ONS code
//	new_icb_name   the new ICB's name
//	region         the new ICB's NHS region
//	part           "whole", or which part ("sub-ICB locations: 06K, 06N")
//	year           the allocation year the share applies to, "2024/25"
//	weight         registered, core or pmc: what the share is measured by
//	share          the part's share of the old ICB, from 0 to 1; the
//	               parts of an old ICB add up to exactly 1 for each year
//	               and weight
//	source         a source ID
func FootprintsColumns() []string {
	return []string{"footprint", "old_icb_code", "new_icb_code", "new_icb_ons", "new_icb_name", "region", "part", "year", "weight", "share", "source"}
}

// ReadFootprints reads a footprints file (see FootprintsColumns). Every
// problem is a *FileError naming the line and column: an unknown weight
// (ErrUnknown), a share outside 0 to 1 (ErrRange), the same part, year and
// weight twice (ErrDuplicate), a new ICB named two ways (ErrDuplicate),
// and the parts of an old ICB that do not add up to exactly 1 in a year and
// weight, so that they would lose or double-count money (ErrRange, naming
// the line of the group's last part).
func ReadFootprints(r io.Reader, name string) (Footprints, error) {
	out := Footprints{file: name}
	byName := map[string]int{}
	type partKey struct{ footprint, from, to, part string }
	partAt := map[partKey][2]int{}
	newICB := map[string]ICB{}
	newLine := map[string]int{}
	newONS, byONS := map[string]string{}, map[string]string{}
	type groupKey struct {
		footprint, from string
		key             shareKey
	}
	sums := map[groupKey]decimal.Decimal{}
	lines := map[groupKey][]int{} // the lines of each group's shares
	var order []groupKey
	err := EachTableRowOf(r, name, FootprintsColumns(), true, func(rw TableRow) error {
		fpName, err := rw.NonEmpty("footprint")
		if err != nil {
			return err
		}
		if fpName == Footprint2022 {
			return rw.Fail("footprint", fmt.Errorf("%w: 2022 is the footprint the allocations are published on", ErrDuplicate))
		}
		var p FootprintPart
		if p.From, err = rw.Code("old_icb_code"); err != nil {
			return err
		}
		if p.To.Code, err = rw.Code("new_icb_code"); err != nil {
			return err
		}
		for col, code := range map[string]string{"old_icb_code": p.From, "new_icb_code": p.To.Code} {
			if code == "ENG" {
				return rw.Fail(col, fmt.Errorf("%w: ENG is England, not an ICB", ErrRange))
			}
			if strings.ToUpper(code) != code {
				return rw.Fail(col, fmt.Errorf("%w: an ODS code is in capitals (%s)", ErrSyntax, strings.ToUpper(code)))
			}
		}
		if p.To.Name, err = rw.NonEmpty("new_icb_name"); err != nil {
			return err
		}
		if p.To.Region, err = rw.NonEmpty("region"); err != nil {
			return err
		}
		p.ONS, p.Part = rw.Get("new_icb_ons"), rw.Get("part")
		if p.Part == "" {
			p.Part = "whole"
		}
		if p.Source, err = rw.NonEmpty("source"); err != nil {
			return err
		}
		y, err := rw.Year("year")
		if err != nil {
			return err
		}
		w, err := weightNames.parse(rw.Get("weight"))
		if err != nil {
			return rw.Fail("weight", err)
		}
		share, err := rw.Decimal("share")
		if err != nil {
			return err
		}
		if share.IsNegative() || share.GreaterThan(one) {
			return rw.Fail("share", fmt.Errorf("%w: a share of an ICB is from 0 to 1", ErrRange))
		}
		if prev, ok := newICB[fpName+"|"+p.To.Code]; ok && prev != p.To {
			return rw.Fail("new_icb_name", fmt.Errorf("%w: %s is %q in %s on line %d: a new ICB has one name and region", ErrDuplicate, p.To.Code, prev.Name, prev.Region, newLine[fpName+"|"+p.To.Code]))
		}
		if prev, ok := newONS[fpName+"|"+p.To.Code]; ok && prev != p.ONS {
			return rw.Fail("new_icb_ons", fmt.Errorf("%w: %s has ONS code %q on line %d: a new ICB has one", ErrDuplicate, p.To.Code, prev, newLine[fpName+"|"+p.To.Code]))
		}
		if prev, ok := byONS[fpName+"|"+p.ONS]; ok && p.ONS != "" && prev != p.To.Code {
			return rw.Fail("new_icb_ons", fmt.Errorf("%w: %s is also the ONS code of %s: two new ICBs cannot share one", ErrDuplicate, p.ONS, prev))
		}
		newICB[fpName+"|"+p.To.Code], newLine[fpName+"|"+p.To.Code] = p.To, rw.Line()
		newONS[fpName+"|"+p.To.Code], byONS[fpName+"|"+p.ONS] = p.ONS, p.To.Code
		fi, ok := byName[fpName]
		if !ok {
			fi = len(out.list)
			byName[fpName] = fi
			out.list = append(out.list, Footprint{Name: fpName})
		}
		pk := partKey{fpName, p.From, p.To.Code, p.Part}
		at, ok := partAt[pk]
		if !ok {
			p.shares, p.line = map[shareKey]decimal.Decimal{}, rw.Line()
			out.list[fi].Parts = append(out.list[fi].Parts, p)
			at = [2]int{fi, len(out.list[fi].Parts) - 1}
			partAt[pk] = at
		}
		part := &out.list[at[0]].Parts[at[1]]
		k := shareKey{y, w}
		if _, dup := part.shares[k]; dup {
			return rw.Fail("share", fmt.Errorf("%w: %s %s to %s %s %s is given twice", ErrDuplicate, fpName, p.From, p.To.Code, y, w))
		}
		part.shares[k] = share
		g := groupKey{fpName, p.From, k}
		if _, ok := sums[g]; !ok {
			order = append(order, g)
		}
		sums[g] = sums[g].Add(share)
		lines[g] = append(lines[g], rw.Line())
		return nil
	})
	if err != nil {
		return Footprints{}, err
	}
	var errs []error
	for _, g := range order {
		if !sums[g].Equal(one) {
			what := "loses"
			if sums[g].GreaterThan(one) {
				what = "double-counts"
			}
			var at []string
			for _, l := range lines[g] {
				at = append(at, strconv.Itoa(l))
			}
			errs = append(errs, &FileError{File: name, Line: lines[g][0], Column: "share",
				Err: fmt.Errorf("%w: the shares of %s in footprint %s for %s by %s weight (lines %s) add up to %s, not 1: the footprint %s money",
					ErrRange, g.from, g.footprint, g.key.year, g.key.weight, strings.Join(at, ", "), sums[g], what)})
		}
	}
	return out, errors.Join(errs...)
}

// WriteFootprints writes f as a footprints file that ReadFootprints reads
// back to the same footprints.
func WriteFootprints(w io.Writer, f Footprints) error {
	var rows [][]string
	for _, fp := range f.list {
		for _, p := range fp.Parts {
			keys := make([]shareKey, 0, len(p.shares))
			for k := range p.shares {
				keys = append(keys, k)
			}
			sort.Slice(keys, func(i, j int) bool {
				if keys[i].year != keys[j].year {
					return keys[i].year.Before(keys[j].year)
				}
				return keys[i].weight < keys[j].weight
			})
			for _, k := range keys {
				rows = append(rows, []string{fp.Name, p.From, p.To.Code, p.ONS, p.To.Name, p.To.Region, p.Part, k.year.String(), k.weight.String(), plain(p.shares[k]), p.Source})
			}
		}
	}
	return WriteTable(w, FootprintsColumns(), rows)
}

// Check reports, all at once, every old ICB code of the footprints that
// the allocations do not have (ErrUnknown), a new code that is an old
// ICB's that stays on its own (ErrDuplicate), and a year of the
// allocations a part has no share for (ErrNoData), each naming the
// footprints file and line.
func (f Footprints) Check(a *Allocations) error {
	if a == nil {
		return fmt.Errorf("footprints: %w: no allocations", ErrNoData)
	}
	var errs []error
	for _, fp := range f.list {
		moved := map[string]bool{}
		for _, p := range fp.Parts {
			moved[p.From] = true
		}
		// A new ICB must get some of an old one's money in every year and
		// weight, or it would have none.
		type newKey struct {
			code string
			key  shareKey
		}
		gets := map[newKey]bool{}
		first := map[string]FootprintPart{}
		for _, p := range fp.Parts {
			if _, ok := first[p.To.Code]; !ok {
				first[p.To.Code] = p
			}
			for k, v := range p.shares {
				gets[newKey{p.To.Code, k}] = gets[newKey{p.To.Code, k}] || v.Sign() > 0
			}
		}
		for _, code := range sortedCodes(first) {
			p := first[code]
			var none []string
			all := 0
			for _, y := range a.Span().Years() {
				for _, w := range []Weight{WeightRegistered, WeightCore, WeightPMC} {
					all++
					if !gets[newKey{code, shareKey{y, w}}] {
						none = append(none, fmt.Sprintf("%s %s", y, w))
					}
				}
			}
			if len(none) > 0 {
				when := "by " + strings.Join(none, ", ")
				if len(none) == all {
					when = "in any year, by any weight"
				}
				errs = append(errs, &FileError{File: f.file, Line: p.line, Column: "new_icb_code", Value: code,
					Err: fmt.Errorf("%w: new ICB %s (first on this line) gets no share of any ICB %s: it would have no money; are rows missing?", ErrRange, code, when)})
			}
		}
		for _, p := range fp.Parts {
			fail := func(col, value string, err error) {
				errs = append(errs, &FileError{File: f.file, Line: p.line, Column: col, Value: value, Err: err})
			}
			if _, err := a.ICB(p.From); err != nil {
				fail("old_icb_code", p.From, err)
				continue
			}
			if _, err := a.ICB(p.To.Code); err == nil && !moved[p.To.Code] {
				fail("new_icb_code", p.To.Code, fmt.Errorf("%w: %s is an ICB of the allocations that the footprint leaves on its own", ErrDuplicate, p.To.Code))
			}
			for _, y := range a.Span().Years() {
				for _, w := range []Weight{WeightRegistered, WeightCore, WeightPMC} {
					if _, ok := p.Share(y, w); !ok {
						fail("year", y.String(), fmt.Errorf("%w: footprint %s has no %s share of %s for %s", ErrNoData, fp.Name, w, p.From, y))
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}

// OnFootprint returns the data with its allocations and registered and
// weighted populations restated on the footprint called name (see
// Footprints.Get): merged ICBs' money, targets and populations added (items
// by name), split ICBs' divided by their parts' shares (money of each
// stream and its targets by the stream's weight, WeightOf; populations by
// their own), to the penny or the person with the last part taking the
// rest, so that England's totals are unchanged. Distances from target,
// growth and convergence of a new ICB are recomputed from its sums. A
// figure of a split ICB is derived; a sum keeps the status of its parts.
// The 2022 footprint returns d itself.
func (d *Data) OnFootprint(name string) (*Data, error) {
	if d == nil || d.Allocations == nil {
		return nil, fmt.Errorf("footprint %q: %w: no data", name, ErrNoData)
	}
	if name == "" {
		name = DefaultFootprint()
	}
	if d.Footprint == name || (d.Footprint == "" && name == Footprint2022) {
		return d, nil
	}
	if d.Footprint != "" && d.Footprint != Footprint2022 {
		return nil, fmt.Errorf("footprint %q: %w: the data is already on the %s footprint; restate from the 2022 one", name, ErrRange, d.Footprint)
	}
	fp, err := d.Footprints.find(name)
	if err != nil {
		return nil, err
	}
	if err := d.Footprints.Check(d.Allocations); err != nil {
		return nil, err
	}
	own := *d
	own.Footprint = name
	if own.Allocations, own.Populations, err = d.Allocations.feet.get(d.Allocations, d.Populations, fp); err != nil {
		return nil, err
	}
	if err := checkAreas(name, d.Footprints.file, own.Allocations.ICBs()); err != nil {
		return nil, err
	}
	return &own, nil
}

// checkAreas holds the ICBs the allocations are restated onto against the
// directory's list of the footprint's ICBs, where it has one (the 36 ICBs
// of April 2026): an old ICB missing from the footprint file stays as
// itself, an ICB the footprint does not have, and its money is lost from
// the body it joined.
func checkAreas(name, file string, areas []ICB) error {
	dir, err := EmbeddedICBDirectory()
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
		return &FileError{File: file, Err: fmt.Errorf("%w: restated on footprint %s the allocations have %d ICBs, the footprint's are %d; not among them: %s (an old ICB missing from the footprint's rows?)",
			ErrNoData, name, len(areas), len(want), strings.Join(extra, ", "))}
	}
	return nil
}

// FootprintName is the footprint the data's allocations are on: Footprint2022
// as published, or the one OnFootprint restated them on.
func (d *Data) FootprintName() string {
	if d == nil || d.Footprint == "" {
		return Footprint2022
	}
	return d.Footprint
}

// footprintCache keeps the allocations and populations restated on a
// footprint, so that restating the same data again (each run of a
// scenario) costs nothing: an entry is for one footprint and one set of
// populations, by identity, of the allocations that hold the cache.
type footprintCache struct {
	mu sync.Mutex
	m  map[footprintKey]*footprintEntry
}

type footprintKey struct {
	fp   *Footprint
	pops *PopulationFigure
}

type footprintEntry struct {
	once sync.Once
	a    *Allocations
	p    Populations
	err  error
}

func (c *footprintCache) get(a *Allocations, pops Populations, fp *Footprint) (*Allocations, Populations, error) {
	k := footprintKey{fp: fp}
	if len(pops.figures) > 0 {
		k.pops = &pops.figures[0]
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[footprintKey]*footprintEntry{}
	}
	e, ok := c.m[k]
	if !ok {
		e = &footprintEntry{}
		c.m[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() {
		if e.a, e.err = a.onFootprint(*fp); e.err != nil {
			return
		}
		e.p, e.err = pops.onFootprint(*fp, a.Span())
	})
	return e.a, e.p, e.err
}

// destinations are where each old ICB's money goes: parts in footprint
// order, or the ICB itself where the footprint leaves it alone.
func (fp Footprint) destinations(icbs []ICB) (map[string][]FootprintPart, []ICB) {
	dest := map[string][]FootprintPart{}
	for _, p := range fp.Parts {
		dest[p.From] = append(dest[p.From], p)
	}
	seen := map[string]bool{}
	var areas []ICB
	for _, icb := range icbs {
		parts, ok := dest[icb.Code]
		if !ok {
			parts = []FootprintPart{{From: icb.Code, To: icb}}
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
// gets v itself.
func split(v decimal.Decimal, parts []FootprintPart, y Year, w Weight, places int32) []decimal.Decimal {
	out := make([]decimal.Decimal, len(parts))
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

// onFootprint restates the allocations on fp (see Data.OnFootprint).
func (a *Allocations) onFootprint(fp Footprint) (*Allocations, error) {
	dest, areas := fp.destinations(a.icbs)
	type acc struct {
		f     Figure
		parts int  // old ICBs added in
		split bool // a share of a split ICB is in it
	}
	sums := map[figKey]*acc{}
	var keys []figKey
	for _, f := range a.figures {
		if !f.Measure.IsMoney() {
			continue // fractions are recomputed from the sums below
		}
		parts := dest[f.ICB]
		amounts := split(f.Value, parts, f.Year, WeightOf(f.Stream), 2)
		for k, p := range parts {
			key := figKey{f.Year, p.To.Code, f.Stream, f.Measure, f.Item}
			s, ok := sums[key]
			if !ok {
				s = &acc{f: Figure{Year: f.Year, ICB: p.To.Code, Stream: f.Stream, Measure: f.Measure, Item: f.Item, Status: f.Status, Source: f.Source}}
				sums[key] = s
				keys = append(keys, key)
			}
			s.f.Value = s.f.Value.Add(amounts[k])
			s.f.Status = s.f.Status.Worst(f.Status)
			s.f.unsplit = s.f.unsplit.Worst(f.wholeStatus())
			s.parts++
			if len(parts) > 1 {
				s.split = true
				s.f.Status = s.f.Status.Worst(Derived)
			}
		}
	}
	// Unchanged ICBs keep their published fractions; new ones get them
	// recomputed from their sums.
	kept := map[string]bool{}
	for _, icb := range a.icbs {
		if parts := dest[icb.Code]; len(parts) == 1 && parts[0].To.Code == icb.Code && !fp.receives(icb.Code, icb.Code) {
			kept[icb.Code] = true
		}
	}
	out := &Allocations{index: map[figKey]int{}, items: map[figKey][]int{}, icbs: areas}
	add := func(f Figure) {
		out.index[figKey{f.Year, f.ICB, f.Stream, f.Measure, f.Item}] = len(out.figures)
		if f.Measure.itemised() {
			ik := figKey{f.Year, f.ICB, f.Stream, f.Measure, ""}
			out.items[ik] = append(out.items[ik], len(out.figures))
		}
		out.figures = append(out.figures, f)
	}
	for _, k := range keys {
		add(sums[k].f)
	}
	for _, f := range a.figures {
		if !f.Measure.IsMoney() && kept[f.ICB] {
			add(f)
		}
	}
	money := func(y Year, icb string, s Stream, m Measure) (decimal.Decimal, bool) {
		i, ok := out.index[figKey{y, icb, s, m, ""}]
		if !ok {
			return decimal.Zero, false
		}
		return out.figures[i].Value, true
	}
	// The fractions of a new ICB: each the average of its parts' weighted by
	// their targets (or recurrent allocations where a stream has no
	// targets), and where its sums allow, recomputed from them.
	type fracKey struct {
		year    Year
		stream  Stream
		icb     string
		measure Measure
	}
	avg := map[fracKey][2]decimal.Decimal{} // sum of weight x value, sum of weight
	var fkeys []fracKey
	for _, f := range a.figures {
		if f.Measure.IsMoney() {
			continue
		}
		t, hasT := a.find(f.Year, f.ICB, f.Stream, Target, "")
		wt := t.Value
		if !hasT {
			r, _ := a.find(f.Year, f.ICB, f.Stream, Recurrent, "")
			wt = r.Value
		}
		for k, part := range split(wt, dest[f.ICB], f.Year, WeightOf(f.Stream), 2) {
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
		return g[0].DivRound(g[1], WorkingScale), true
	}
	for _, k := range fkeys {
		v, ok := value(k)
		if !ok {
			continue
		}
		g, _ := value(fracKey{k.year, k.stream, k.icb, Growth})
		gf := one.Add(g)
		rec, hasRec := money(k.year, k.icb, k.stream, Recurrent)
		base, hasBase := money(k.year.Prev(), k.icb, k.stream, AdjustedBaseline)
		tgt, hasT := money(k.year, k.icb, k.stream, Target)
		switch {
		case k.measure == Convergence && hasRec && hasBase && base.Sign() > 0:
			v = rec.DivRound(base.Mul(gf), WorkingScale).Sub(one)
		case k.measure == DfTBefore && hasBase && hasT && tgt.Sign() > 0:
			v = base.DivRound(tgt, WorkingScale).Sub(one)
		case k.measure == DfTAfter && hasRec && hasT && tgt.Sign() > 0:
			v = rec.DivRound(tgt.Mul(gf), WorkingScale).Sub(one)
		}
		add(Figure{Year: k.year, ICB: k.icb, Stream: k.stream, Measure: k.measure, Value: v, Status: Derived, Source: "F4"})
	}
	out.span = spanOf(out.figures)
	if err := out.checkComplete("footprint " + fp.Name); err != nil {
		return nil, err
	}
	return out, nil
}

// receives reports whether a part of another old ICB joins code.
func (fp Footprint) receives(code, except string) bool {
	for _, p := range fp.Parts {
		if p.To.Code == code && p.From != except {
			return true
		}
	}
	return false
}

// onFootprint restates the ICBs' registered and weighted populations of
// the years span covers on fp (see Data.OnFootprint); England's figures
// are unchanged.
func (p Populations) onFootprint(fp Footprint, span Span) (Populations, error) {
	var icbs []ICB
	seen := map[string]bool{}
	for _, f := range p.figures {
		if f.Area != "ENG" && !seen[f.Area] {
			seen[f.Area] = true
			icbs = append(icbs, ICB{Code: f.Area, Name: f.AreaName})
		}
	}
	dest, _ := fp.destinations(icbs)
	out := Populations{file: p.file + " (footprint " + fp.Name + ")", index: map[popKey]int{}}
	pos := map[popKey]int{}
	for _, f := range p.figures {
		if f.Area == "ENG" {
			out.index[popKey{f.Year, f.Area, f.Measure}] = len(out.figures)
			out.figures = append(out.figures, f)
			out.lines = append(out.lines, 0)
			continue
		}
		w := WeightRegistered
		switch f.Measure {
		case WeightedCore:
			w = WeightCore
		case WeightedPMC:
			w = WeightPMC
		}
		parts := dest[f.Area]
		if len(parts) > 1 && !span.Contains(f.Year) {
			line := 0
			if i, ok := p.index[popKey{f.Year, f.Area, f.Measure}]; ok && i < len(p.lines) {
				line = p.lines[i]
			}
			return Populations{}, &FileError{File: p.file, Line: line, Column: "year", Value: f.Year.String(),
				Err: fmt.Errorf("%w: footprint %s splits %s, and has shares only for the allocations' years %s: its %s population cannot be split", ErrNoData, fp.Name, f.Area, span, f.Measure)}
		}
		for k, v := range split(f.Value.Decimal(), parts, f.Year, w, 0) {
			key := popKey{f.Year, parts[k].To.Code, f.Measure}
			i, ok := pos[key]
			if !ok {
				i = len(out.figures)
				pos[key] = i
				out.index[key] = i
				out.figures = append(out.figures, PopulationFigure{Year: f.Year, Area: parts[k].To.Code, AreaName: parts[k].To.Name,
					Measure: f.Measure, Status: f.Status, Source: f.Source})
				out.lines = append(out.lines, 0)
			}
			g := &out.figures[i]
			part, err := NewPopulation(v)
			if err != nil {
				return Populations{}, err
			}
			g.Value = g.Value.Add(part)
			g.Status = g.Status.Worst(f.Status)
			if len(parts) > 1 {
				g.Status = g.Status.Worst(Derived)
			}
		}
	}
	return out, nil
}

// wholeStatus is the status a figure's money has wherever it is counted
// whole (in England's totals): its own, or on a restated footprint, that of
// the figures it was made from before any was split.
func (f Figure) wholeStatus() Status {
	if f.unsplit != 0 {
		return f.unsplit
	}
	return f.Status
}
