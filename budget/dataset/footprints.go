package dataset

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/internal/enum"
	"github.com/upstream-health/upstream/internal/table"
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

var weightNames = enum.NewNames[Weight]("weight", WeightRegistered, "registered", WeightCore, "core", WeightPMC, "pmc")

// String is "registered", "core" or "pmc".
func (w Weight) String() string { return weightNames.Name(w) }

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
	year   budget.Year
	weight Weight
}

// Share is the part's share of the old ICB in year y by weight w; ok is
// false where the footprint does not give one.
func (p FootprintPart) Share(y budget.Year, w Weight) (decimal.Decimal, bool) {
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

// Get returns the footprint called name, or an error wrapping budget.ErrUnknown
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
// footprint, which has no parts), or an error wrapping budget.ErrUnknown that
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
	err := fmt.Errorf("footprint %q: %w: want %s", name, budget.ErrUnknown, strings.Join(f.Names(), " or "))
	if len(f.list) == 0 {
		err = fmt.Errorf("%w (the data has no footprints besides 2022: an older data folder? export it again with go run ./examples/data -export, or use footprint 2022)", err)
	}
	return nil, err
}

// File is the name the footprints were read from.
func (f Footprints) File() string { return f.file }

// Names lists the footprints known, 2022 first.
func (f Footprints) Names() []string {
	out := []string{Footprint2022}
	for _, fp := range f.list {
		out = append(out, fp.Name)
	}
	return out
}

// footprintsColumns are the columns of FootprintsFile, in order (Columns).
func footprintsColumns() []string {
	return []string{"footprint", "old_icb_code", "new_icb_code", "new_icb_ons", "new_icb_name", "region", "part", "year", "weight", "share", "source"}
}

// ReadFootprints reads a footprints file (see ReadFootprints). Every
// problem is a *budget.FileError naming the line and column: an unknown weight
// (budget.ErrUnknown), a share outside 0 to 1 (budget.ErrRange), the same part, year and
// weight twice (budget.ErrDuplicate), a new ICB named two ways (budget.ErrDuplicate),
// and the parts of an old ICB that do not add up to exactly 1 in a year and
// weight, so that they would lose or double-count money (budget.ErrRange, naming
// the line of the group's last part).
//
// Its columns, in order (Columns):
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
	err := table.EachOf(r, name, footprintsColumns(), true, func(rw table.Row) error {
		fpName, err := rw.NonEmpty("footprint")
		if err != nil {
			return err
		}
		// A name is given on command lines and in scenario files: letters,
		// digits and - _ . only (a control character would be invisible).
		if strings.ContainsFunc(fpName, func(c rune) bool {
			return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')
		}) {
			return rw.Fail("footprint", fmt.Errorf("%w: a footprint's name is letters, digits and - _ . only", budget.ErrSyntax))
		}
		if fpName == Footprint2022 {
			return rw.Fail("footprint", fmt.Errorf("%w: 2022 is the footprint the allocations are published on", budget.ErrDuplicate))
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
				return rw.Fail(col, fmt.Errorf("%w: ENG is England, not an ICB", budget.ErrRange))
			}
			if strings.ToUpper(code) != code {
				return rw.Fail(col, fmt.Errorf("%w: an ODS code is in capitals (%s)", budget.ErrSyntax, strings.ToUpper(code)))
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
		w, err := weightNames.Parse(rw.Get("weight"))
		if err != nil {
			return rw.Fail("weight", err)
		}
		share, err := rw.Decimal("share")
		if err != nil {
			return err
		}
		if share.IsNegative() || share.GreaterThan(one) {
			return rw.Fail("share", fmt.Errorf("%w: a share of an ICB is from 0 to 1", budget.ErrRange))
		}
		if prev, ok := newICB[fpName+"|"+p.To.Code]; ok && prev != p.To {
			return rw.Fail("new_icb_name", fmt.Errorf("%w: %s is %q in %s on line %d: a new ICB has one name and region", budget.ErrDuplicate, p.To.Code, prev.Name, prev.Region, newLine[fpName+"|"+p.To.Code]))
		}
		if prev, ok := newONS[fpName+"|"+p.To.Code]; ok && prev != p.ONS {
			return rw.Fail("new_icb_ons", fmt.Errorf("%w: %s has ONS code %q on line %d: a new ICB has one", budget.ErrDuplicate, p.To.Code, prev, newLine[fpName+"|"+p.To.Code]))
		}
		if prev, ok := byONS[fpName+"|"+p.ONS]; ok && p.ONS != "" && prev != p.To.Code {
			return rw.Fail("new_icb_ons", fmt.Errorf("%w: %s is also the ONS code of %s: two new ICBs cannot share one", budget.ErrDuplicate, p.ONS, prev))
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
			return rw.Fail("share", fmt.Errorf("%w: %s %s to %s %s %s is given twice", budget.ErrDuplicate, fpName, p.From, p.To.Code, y, w))
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
			errs = append(errs, &budget.FileError{File: name, Line: lines[g][0], Column: "share",
				Err: fmt.Errorf("%w: the shares of %s in footprint %s for %s by %s weight (lines %s) add up to %s, not 1: the footprint %s money",
					budget.ErrRange, g.from, g.footprint, g.key.year, g.key.weight, strings.Join(at, ", "), sums[g], what)})
		}
	}
	return out, errors.Join(errs...)
}

// Write writes f as a footprints file that ReadFootprints reads
// back to the same footprints.
func (f Footprints) Write(w io.Writer) error {
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
				rows = append(rows, []string{fp.Name, p.From, p.To.Code, p.ONS, p.To.Name, p.To.Region, p.Part, k.year.String(), k.weight.String(), budget.FormatDecimal(p.shares[k].Normalize(), 0), p.Source})
			}
		}
	}
	return budget.WriteTable(w, footprintsColumns(), rows)
}

// Check reports, all at once, every old ICB code of the footprints that
// the allocations do not have (budget.ErrUnknown), a new code that is an old
// ICB's that stays on its own (budget.ErrDuplicate), and a year of the
// allocations a part has no share for (budget.ErrNoData), each naming the
// footprints file and line.
func (f Footprints) Check(a *Allocations) error {
	if a == nil {
		return fmt.Errorf("footprints: %w: no allocations", budget.ErrNoData)
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
		for _, code := range slices.Sorted(maps.Keys(first)) {
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
				errs = append(errs, &budget.FileError{File: f.file, Line: p.line, Column: "new_icb_code", Value: code,
					Err: fmt.Errorf("%w: new ICB %s (first on this line) gets no share of any ICB %s: it would have no money; are rows missing?", budget.ErrRange, code, when)})
			}
		}
		for _, p := range fp.Parts {
			fail := func(col, value string, err error) {
				errs = append(errs, &budget.FileError{File: f.file, Line: p.line, Column: col, Value: value, Err: err})
			}
			if _, err := a.ICB(p.From); err != nil {
				fail("old_icb_code", p.From, err)
				continue
			}
			if _, err := a.ICB(p.To.Code); err == nil && !moved[p.To.Code] {
				fail("new_icb_code", p.To.Code, fmt.Errorf("%w: %s is an ICB of the allocations that the footprint leaves on its own", budget.ErrDuplicate, p.To.Code))
			}
			for _, y := range a.Span().Years() {
				for _, w := range []Weight{WeightRegistered, WeightCore, WeightPMC} {
					if _, ok := p.Share(y, w); !ok {
						fail("year", y.String(), fmt.Errorf("%w: footprint %s has no %s share of %s for %s", budget.ErrNoData, fp.Name, w, p.From, y))
					}
				}
			}
		}
	}
	return errors.Join(errs...)
}
