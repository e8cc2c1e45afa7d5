package dataset

import (
	"fmt"
	"io"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/table"
)

// PopulationMeasure names a kind of population.
type PopulationMeasure string

const (
	// Registered is the GP-registered population (projected to the year for
	// ICBs, as NHS England's allocations use it). It exceeds the resident
	// population by about 5m in England (list inflation).
	Registered PopulationMeasure = "registered"
	// Resident is the ONS mid-year resident population (mid-2015 for 2015/16).
	Resident PopulationMeasure = "resident"
	// WeightedCore is the needs-weighted population for core services.
	WeightedCore PopulationMeasure = "weighted_core"
	// WeightedPMC is the needs-weighted population for primary medical care.
	WeightedPMC PopulationMeasure = "weighted_pmc"
)

// PopulationFigure is one population figure.
type PopulationFigure struct {
	Year     budget.Year
	Area     string // ICB code or "ENG"
	AreaName string
	Measure  PopulationMeasure
	Value    budget.Population
	Status   budget.Status
	Source   string
}

// populationsColumns are the columns of PopulationsFile, in order (Columns).
func populationsColumns() []string {
	return []string{"year", "area_code", "area_name", "measure", "value", "status", "source"}
}

// Populations holds population figures by year, area and measure.
type Populations struct {
	file    string // the file the figures were read from, for messages
	figures []PopulationFigure
	index   map[popKey]int
	lines   []int // line of each figure in its file
}

type popKey struct {
	year    budget.Year
	area    string
	measure PopulationMeasure
}

// ReadPopulations reads a populations file (see ReadPopulations).
//
// Its columns, in order (Columns):
//
//	year       financial year
//	area_code  ICB code or ENG
//	area_name  the area's name
//	measure    registered, resident, weighted_core or weighted_pmc
//	value      number of people (plain, may be fractional for projections)
//	status     published, derived or projected
//	source     a source ID
func ReadPopulations(r io.Reader, name string) (Populations, error) {
	p := Populations{file: name, index: map[popKey]int{}}
	err := table.Each(r, name, populationsColumns(), func(rw table.Row) error {
		var f PopulationFigure
		var err error
		if f.Year, err = rw.Year("year"); err != nil {
			return err
		}
		if f.Area, err = rw.Code("area_code"); err != nil {
			return err
		}
		f.AreaName = rw.Get("area_name")
		switch m := PopulationMeasure(rw.Get("measure")); m {
		case Registered, Resident, WeightedCore, WeightedPMC:
			f.Measure = m
		default:
			return rw.Fail("measure", fmt.Errorf("%w: want registered, resident, weighted_core or weighted_pmc", budget.ErrUnknown))
		}
		if f.Value, err = budget.ParsePopulation(rw.Get("value")); err != nil {
			return rw.Fail("value", err)
		}
		if f.Status, err = rw.Status("status"); err != nil {
			return err
		}
		if f.Source, err = rw.NonEmpty("source"); err != nil {
			return err
		}
		k := popKey{f.Year, f.Area, f.Measure}
		if i, dup := p.index[k]; dup {
			return rw.Fail("value", fmt.Errorf("%w: %s %s %s is also on line %d", budget.ErrDuplicate, f.Year, f.Area, f.Measure, p.lines[i]))
		}
		p.index[k] = len(p.figures)
		p.figures = append(p.figures, f)
		p.lines = append(p.lines, rw.Line())
		return nil
	})
	if err != nil {
		return Populations{}, err
	}
	return p, nil
}

// Get returns a population figure, or an error wrapping budget.ErrNoData.
func (p Populations) Get(y budget.Year, area string, m PopulationMeasure) (PopulationFigure, error) {
	f, ok := p.Lookup(y, area, m)
	if !ok {
		where := ""
		if p.file != "" {
			where = p.file + ": "
		}
		return PopulationFigure{}, fmt.Errorf("%sno %s population for %s in %s: %w", where, m, area, y, budget.ErrNoData)
	}
	return f, nil
}

// Lookup is Get for a figure that may be missing: false, and no error to
// make, where the populations have none.
func (p Populations) Lookup(y budget.Year, area string, m PopulationMeasure) (PopulationFigure, bool) {
	i, ok := p.index[popKey{y, area, m}]
	if !ok {
		return PopulationFigure{}, false
	}
	return p.figures[i], true
}

// NewPopulations makes populations of figures computed rather than read
// (such as populations restated on another footprint); the same figure
// twice is an error wrapping budget.ErrDuplicate. name is used in messages.
func NewPopulations(name string, figures []PopulationFigure) (Populations, error) {
	p := Populations{file: name, index: map[popKey]int{}, lines: make([]int, len(figures))}
	for _, f := range figures {
		k := popKey{f.Year, f.Area, f.Measure}
		if _, dup := p.index[k]; dup {
			return Populations{}, fmt.Errorf("%s: %w: %s %s %s given twice", name, budget.ErrDuplicate, f.Year, f.Area, f.Measure)
		}
		p.index[k] = len(p.figures)
		p.figures = append(p.figures, f)
	}
	return p, nil
}

// File is the name the populations were read from (or made under).
func (p Populations) File() string { return p.file }

// Line is the line of the file a figure was read from, 0 when there is no
// such figure or it was not read from a file.
func (p Populations) Line(y budget.Year, area string, m PopulationMeasure) int {
	if i, ok := p.index[popKey{y, area, m}]; ok && i < len(p.lines) {
		return p.lines[i]
	}
	return 0
}

// Figures returns every figure, in file order.
func (p Populations) Figures() []PopulationFigure {
	return append([]PopulationFigure(nil), p.figures...)
}

// Write writes p as a populations file that ReadPopulations reads back unchanged.
func (p Populations) Write(w io.Writer) error {
	rows := make([][]string, len(p.figures))
	for i, f := range p.figures {
		rows[i] = []string{f.Year.String(), f.Area, f.AreaName, string(f.Measure), f.Value.String(), f.Status.String(), f.Source}
	}
	return budget.WriteTable(w, populationsColumns(), rows)
}
