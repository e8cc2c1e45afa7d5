package budget

import (
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/shopspring/decimal"
)

// CouncilCrosswalkFile is the embedded crosswalk of councils to ICBs.
const CouncilCrosswalkFile = "council_icb.csv"

// CouncilCrosswalkColumns are the columns of a council crosswalk file.
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
func CouncilCrosswalkColumns() []string {
	return []string{"footprint", "council_code", "council_name", "icb_code", "registered", "share", "source"}
}

// CouncilPart is the part of a council's registered population in one ICB.
type CouncilPart struct {
	Council, CouncilName, ICB string
	Registered                Population
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
// is a *FileError naming the line.
func ReadCouncilCrosswalk(r io.Reader, name string) (CouncilCrosswalk, error) {
	x := CouncilCrosswalk{file: name, parts: map[string][]CouncilPart{}}
	seen := map[string]int{}
	sums := map[string]decimal.Decimal{}
	last := map[string]int{}
	var groups []string
	err := eachRow(r, name, CouncilCrosswalkColumns(), func(rw row) error {
		fp, err := rw.nonEmpty("footprint")
		if err != nil {
			return err
		}
		var p CouncilPart
		if p.Council, err = rw.code("council_code"); err != nil {
			return err
		}
		if p.CouncilName, err = rw.nonEmpty("council_name"); err != nil {
			return err
		}
		if p.ICB, err = rw.code("icb_code"); err != nil {
			return err
		}
		v, err := rw.decimal("registered")
		if err != nil {
			return err
		}
		p.Registered = Population{v}
		if p.Share, err = rw.decimal("share"); err != nil {
			return err
		}
		if p.Share.IsNegative() || p.Share.GreaterThan(one) {
			return rw.fail("share", fmt.Errorf("%w: a share is from 0 to 1", ErrRange))
		}
		k := fp + "|" + p.Council + "|" + p.ICB
		if l, dup := seen[k]; dup {
			return rw.fail("icb_code", fmt.Errorf("%w: council %s and ICB %s are also on line %d", ErrDuplicate, p.Council, p.ICB, l))
		}
		seen[k] = rw.line
		g := fp + "|" + p.Council
		if _, ok := sums[g]; !ok {
			groups = append(groups, g)
		}
		sums[g], last[g] = sums[g].Add(p.Share), rw.line
		x.parts[fp] = append(x.parts[fp], p)
		return nil
	})
	if err != nil {
		return CouncilCrosswalk{}, err
	}
	var errs []error
	for _, g := range groups {
		if !sums[g].Equal(one) {
			errs = append(errs, &FileError{File: name, Line: last[g], Column: "share", Value: sums[g].String(),
				Err: fmt.Errorf("%w: the shares of %s add up to %s, not 1: the crosswalk would lose or double-count its grant", ErrRange, g, sums[g])})
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
// ErrUnknown naming the footprints the crosswalk has.
func (x CouncilCrosswalk) Parts(footprint string) ([]CouncilPart, error) {
	ps, ok := x.parts[footprint]
	if !ok {
		var have []string
		for k := range x.parts {
			have = append(have, k)
		}
		sort.Strings(have)
		return nil, fmt.Errorf("council crosswalk %s: footprint %q: %w: it has %v", x.file, footprint, ErrUnknown, have)
	}
	return append([]CouncilPart(nil), ps...), nil
}
