package dataset

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/internal/table"
)

// CouncilCrosswalkFile is the embedded crosswalk of councils to ICBs.
const CouncilCrosswalkFile = "council_icb.csv"

// councilCrosswalkColumns are the columns of CouncilCrosswalkFile, in order (Columns).
func councilCrosswalkColumns() []string {
	return []string{"footprint", "council_code", "council_name", "icb_code", "registered", "share", "source"}
}

// CouncilPart is the part of a council's registered population in one ICB.
type CouncilPart struct {
	Council, CouncilName, ICB string
	Registered                budget.Population
	Share                     decimal.Decimal
}

// CouncilCrosswalk maps each upper-tier council to the ICBs of its
// practices' registered patients, on each footprint.
type CouncilCrosswalk struct {
	file  string
	parts map[string][]CouncilPart // by footprint, in council then ICB order
}

// ReadCouncilCrosswalk reads a crosswalk file. A share outside 0 to 1, the
// same council and ICB twice, or a council whose shares do not add up to 1
// is a *budget.FileError naming the line.
//
// Its columns, in order (Columns):
//
//	footprint     the ICB footprint, "2022" or "2026"
//	council_code  the upper-tier council holding the public health grant (E06, E08, E09, E10)
//	council_name  its name
//	icb_code      an ICB some of the council's registered population is in
//	registered    that population: GP-registered patients of the council's
//	              practices in the ICB (by practice location)
//	share         the ICB's share of the council's registered population;
//	              a council's shares add up to exactly 1 on each footprint
//	source        a source ID
func ReadCouncilCrosswalk(r io.Reader, name string) (CouncilCrosswalk, error) {
	x := CouncilCrosswalk{file: name, parts: map[string][]CouncilPart{}}
	seen := map[string]int{}
	sums := map[string]decimal.Decimal{}
	last := map[string]int{}
	var groups []string
	err := table.Each(r, name, councilCrosswalkColumns(), func(rw table.Row) error {
		fp, err := rw.NonEmpty("footprint")
		if err != nil {
			return err
		}
		var p CouncilPart
		if p.Council, err = rw.Code("council_code"); err != nil {
			return err
		}
		if p.CouncilName, err = rw.NonEmpty("council_name"); err != nil {
			return err
		}
		if p.ICB, err = rw.Code("icb_code"); err != nil {
			return err
		}
		v, err := rw.Decimal("registered")
		if err != nil {
			return err
		}
		if p.Registered, err = budget.NewPopulation(v); err != nil {
			return rw.Fail("registered", budget.ErrNegative)
		}
		if p.Share, err = rw.Decimal("share"); err != nil {
			return err
		}
		if p.Share.IsNegative() || p.Share.GreaterThan(one) {
			return rw.Fail("share", fmt.Errorf("%w: a share is from 0 to 1", budget.ErrRange))
		}
		k := fp + "|" + p.Council + "|" + p.ICB
		if l, dup := seen[k]; dup {
			return rw.Fail("icb_code", fmt.Errorf("%w: council %s and ICB %s are also on line %d", budget.ErrDuplicate, p.Council, p.ICB, l))
		}
		seen[k] = rw.Line()
		g := fp + "|" + p.Council
		if _, ok := sums[g]; !ok {
			groups = append(groups, g)
		}
		sums[g], last[g] = sums[g].Add(p.Share), rw.Line()
		x.parts[fp] = append(x.parts[fp], p)
		return nil
	})
	if err != nil {
		return CouncilCrosswalk{}, err
	}
	var errs []error
	for _, g := range groups {
		if !sums[g].Equal(one) {
			errs = append(errs, &budget.FileError{File: name, Line: last[g], Column: "share", Value: sums[g].String(),
				Err: fmt.Errorf("%w: the shares of %s add up to %s, not 1: the crosswalk would lose or double-count its grant", budget.ErrRange, g, sums[g])})
		}
	}
	return x, errors.Join(errs...)
}

// EmbeddedCouncilCrosswalk is the crosswalk shipped with the library.
func EmbeddedCouncilCrosswalk() (CouncilCrosswalk, error) {
	f, err := EmbeddedFiles().Open(CouncilCrosswalkFile)
	if err != nil {
		return CouncilCrosswalk{}, fmt.Errorf("embedded council crosswalk: %w", err)
	}
	defer f.Close()
	return ReadCouncilCrosswalk(f, CouncilCrosswalkFile)
}

// Parts lists the council-ICB parts on a footprint, or an error wrapping
// budget.ErrUnknown naming the footprints the crosswalk has.
func (x CouncilCrosswalk) Parts(footprint string) ([]CouncilPart, error) {
	ps, ok := x.parts[footprint]
	if !ok {
		var have []string
		for k := range x.parts {
			have = append(have, k)
		}
		sort.Strings(have)
		return nil, fmt.Errorf("council crosswalk %s: footprint %q: %w: it has %v", x.file, footprint, budget.ErrUnknown, have)
	}
	return append([]CouncilPart(nil), ps...), nil
}

// Council is an upper-tier council, the holder of a public health grant,
// on one footprint: its GP-registered patients (of its practices, by
// practice location) and the ICBs they are in.
type Council struct {
	Code, Name string
	Footprint  string
	// Registered is its practices' GP-registered patients, the sum of its parts.
	Registered budget.Population
	Parts      []CouncilICB
}

// CouncilICB is the part of a council in one ICB.
type CouncilICB struct {
	ICB        string
	Registered budget.Population
	// OfCouncil is the ICB's share of the council's registered patients
	// (the crosswalk's share column).
	OfCouncil decimal.Decimal
	// OfICB is the council's share of the ICB's registered patients in
	// the crosswalk: the part of an ICB's figures attributed to the
	// council.
	OfICB decimal.Decimal
}

// Councils lists the councils of a footprint, sorted by name, with the
// ICBs they are in; an unknown footprint is an error wrapping budget.ErrUnknown.
func (x CouncilCrosswalk) Councils(footprint string) ([]Council, error) {
	parts, err := x.Parts(footprint)
	if err != nil {
		return nil, err
	}
	icbTotal := map[string]decimal.Decimal{}
	for _, p := range parts {
		icbTotal[p.ICB] = icbTotal[p.ICB].Add(p.Registered.Decimal())
	}
	var out []Council
	at := map[string]int{}
	for _, p := range parts {
		i, ok := at[p.Council]
		if !ok {
			i = len(out)
			at[p.Council] = i
			out = append(out, Council{Code: p.Council, Name: p.CouncilName, Footprint: footprint})
		}
		c := &out[i]
		c.Registered = c.Registered.Add(p.Registered)
		of := decimal.Zero
		if t := icbTotal[p.ICB]; t.Sign() > 0 {
			of = p.Registered.Decimal().DivRound(t, budget.WorkingScale)
		}
		c.Parts = append(c.Parts, CouncilICB{ICB: p.ICB, Registered: p.Registered, OfCouncil: p.Share, OfICB: of})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// FindCouncil returns the council of a footprint that query names: its
// code (any case), its name, or a unique part of its name (any case:
// "essex", "kingston upon hull"). A query matching several is an error
// wrapping ErrAmbiguous that lists them; one matching none wraps
// budget.ErrUnknown and suggests the closest names.
func (x CouncilCrosswalk) FindCouncil(footprint, query string) (Council, error) {
	list, err := x.Councils(footprint)
	if err != nil {
		return Council{}, err
	}
	q := strings.TrimSpace(query)
	if len(q) > 100 {
		// No council's name is this long: say so without echoing it.
		return Council{}, fmt.Errorf("council %q: %w: %d characters; no council's code or name is so long", clip.Clip(q), budget.ErrUnknown, len(q))
	}
	for _, c := range list {
		if strings.EqualFold(c.Code, q) {
			return c, nil
		}
	}
	sq := simplify(q)
	if sq == "" {
		return Council{}, fmt.Errorf("council %q: %w: give a council's code or a part of its name", query, budget.ErrUnknown)
	}
	var matches []Council
	for _, c := range list {
		name := simplify(c.Name)
		if name == sq {
			return c, nil // an exact name beats the names that contain it
		}
		if strings.Contains(name, sq) {
			matches = append(matches, c)
		}
	}
	if len(matches) > 1 {
		// A query at the start of a word beats one inside a word: "hull"
		// is Kingston upon Hull, not Solihull.
		var atWord []Council
		for _, c := range matches {
			if name := simplify(c.Name); strings.HasPrefix(name, sq) || strings.Contains(name, " "+sq) {
				atWord = append(atWord, c)
			}
		}
		if len(atWord) > 0 {
			matches = atWord
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		named := make([][2]string, len(list))
		for i, c := range list {
			named[i] = [2]string{c.Code, c.Name}
		}
		return Council{}, fmt.Errorf("council %q: %w: no council of footprint %s has that code or name; the closest: %s", query, budget.ErrUnknown, footprint, strings.Join(closestNamed(named, sq, 3), "; "))
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = m.Code + " " + m.Name
	}
	return Council{}, fmt.Errorf("council %q: %w: it matches %d councils of footprint %s: %s", query, ErrAmbiguous, len(matches), footprint, strings.Join(names, "; "))
}

// FindPlace finds the ICB of d, or the upper-tier council of x, that query
// names on a footprint (see Find and CouncilCrosswalk.FindCouncil): an
// ICB's entry, or a council (isCouncil true). A code or whole name
// beats a part of one: "manchester" is the council, "greater manchester"
// the ICB; and a part that starts a word beats one inside a word: "hull"
// is Kingston upon Hull, not Birmingham and Solihull. A query that names
// an ICB and a council alike is an error wrapping ErrAmbiguous naming
// both; one that names neither wraps budget.ErrUnknown with what each
// search found.
func (d ICBDirectory) FindPlace(x CouncilCrosswalk, footprint, query string) (icb ICBEntry, council Council, isCouncil bool, err error) {
	if len(query) > 100 {
		// No ICB's or council's name is this long: say so without echoing it.
		return ICBEntry{}, Council{}, false, fmt.Errorf("area %q: %w: %d characters; no ICB's or council's code or name is so long", clip.Clip(query), budget.ErrUnknown, len(query))
	}
	e, errI := d.Find(footprint, query)
	c, errC := x.FindCouncil(footprint, query)
	q := simplify(strings.TrimSpace(query))
	exactI := errI == nil && (strings.EqualFold(e.Code, strings.TrimSpace(query)) || (e.ONS != "" && strings.EqualFold(e.ONS, strings.TrimSpace(query))) || simplify(e.Name) == q)
	exactC := errC == nil && (strings.EqualFold(c.Code, strings.TrimSpace(query)) || simplify(c.Name) == q)
	switch {
	case errI == nil && errors.Is(errC, ErrAmbiguous) && !exactI:
		// A part of an ICB's name, and of several councils': ambiguous.
		return ICBEntry{}, Council{}, false, fmt.Errorf("area %q: %w: it names the ICB %s (%s), and %v", query, ErrAmbiguous, e.Name, e.Code, errC)
	case errC == nil && errors.Is(errI, ErrAmbiguous) && !exactC:
		return ICBEntry{}, Council{}, false, fmt.Errorf("area %q: %w: it names the council %s (%s), and %v", query, ErrAmbiguous, c.Name, c.Code, errI)
	case errI == nil && errC != nil:
		return e, Council{}, false, nil
	case errC == nil && errI != nil:
		return ICBEntry{}, c, true, nil
	case errI != nil && errC != nil:
		if errors.Is(errI, ErrAmbiguous) && !errors.Is(errC, ErrAmbiguous) {
			return ICBEntry{}, Council{}, false, errI
		}
		if errors.Is(errC, ErrAmbiguous) && !errors.Is(errI, ErrAmbiguous) {
			return ICBEntry{}, Council{}, false, errC
		}
		if errors.Is(errI, ErrAmbiguous) {
			return ICBEntry{}, Council{}, false, fmt.Errorf("area %q: %w: %v; %v", query, ErrAmbiguous, errI, errC)
		}
		return ICBEntry{}, Council{}, false, fmt.Errorf("area %q: %w: not an ICB (%v) nor a council (%v)", query, budget.ErrUnknown, errI, errC)
	}
	// A part of a name that starts a word beats one inside a word, as
	// FindCouncil has it: "hull" is Kingston upon Hull, not Solihull.
	atWord := func(name string) bool {
		n := simplify(name)
		return strings.HasPrefix(n, q) || strings.Contains(n, " "+q)
	}
	wordI, wordC := atWord(e.Name), atWord(c.Name)
	switch {
	case exactI && !exactC:
		return e, Council{}, false, nil
	case exactC && !exactI:
		return ICBEntry{}, c, true, nil
	case !exactI && !exactC && wordI && !wordC:
		return e, Council{}, false, nil
	case !exactI && !exactC && wordC && !wordI:
		return ICBEntry{}, c, true, nil
	}
	return ICBEntry{}, Council{}, false, fmt.Errorf("area %q: %w: it names the ICB %s (%s) and the council %s (%s); give a code",
		query, ErrAmbiguous, e.Name, e.Code, c.Name, c.Code)
}
