package dataset

import (
	"fmt"
	"io"
	"io/fs"
	"iter"
	"slices"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/internal/enum"
	"github.com/upstream-health/upstream/internal/table"
)

// Stream is one of the separately allocated funding streams of an ICB.
type Stream int

const (
	// Core services (the "ICB programme" allocation): hospital, community,
	// mental health and prescribing services.
	Core Stream = iota + 1
	// PMC: primary medical care, delegated GP contracts.
	PMC
	// POD: other primary care, pharmacy, optometry and dental.
	POD
	// Specialised: delegated specialised services, in ICB allocations from 2025/26.
	Specialised
	// RCA: the running cost allowance, the ICB's own administration.
	RCA
)

// Streams lists every stream in presentation order.
func Streams() []Stream { return []Stream{Core, PMC, POD, Specialised, RCA} }

var streamNames = enum.NewNames[Stream]("stream", Core, "core", PMC, "pmc", POD, "pod", Specialised, "specialised", RCA, "rca")

// String is the stream's name in data files: "core", "pmc", "pod", "specialised", "rca".
func (s Stream) String() string { return streamNames.Name(s) }

// Valid reports whether s is one of the five streams (Streams).
func (s Stream) Valid() bool { return streamNames.Valid(s) }

// Title is the stream's name for people.
func (s Stream) Title() string {
	switch s {
	case Core:
		return "Core services"
	case PMC:
		return "Primary medical care"
	case POD:
		return "Pharmacy, optometry and dental"
	case Specialised:
		return "Delegated specialised services"
	case RCA:
		return "Running cost allowance"
	}
	return s.String()
}

// ParseStream reads a stream name as String writes it.
func ParseStream(s string) (Stream, error) { return streamNames.Parse(s) }

// MarshalText writes the stream as String does.
func (s Stream) MarshalText() ([]byte, error) { return streamNames.Marshal(s) }

// UnmarshalText reads the stream as ParseStream does.
func (s *Stream) UnmarshalText(b []byte) error {
	v, err := ParseStream(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Measure is what an allocations figure measures.
type Measure int

const (
	// Recurrent: the recurrent allocation for the year as the formula gives
	// it (adjusted baseline x growth x convergence, rounded to £1k). GBP.
	Recurrent Measure = iota + 1
	// RecurrentAddition: a named recurrent amount added in the same year
	// outside the formula (2025/26 SDF transfers, ARRS). May be negative. GBP.
	RecurrentAddition
	// NonRecurrent: a named one-off item (COVID, elective recovery, discharge),
	// not carried into the next baseline. May be negative. GBP.
	NonRecurrent
	// AdjustedBaseline: the year's recurrent money as adjusted (pay awards,
	// transfers) to be the baseline of the next year's round. GBP.
	AdjustedBaseline
	// Target: the fair-share target used in the year's round, stated on the
	// previous year's basis. GBP.
	Target
	// DfTBefore: distance from target before convergence, (baseline - target) / target. Fraction.
	DfTBefore
	// Growth: base growth for the year. Fraction.
	Growth
	// Convergence: the convergence adjustment for the year. Fraction.
	Convergence
	// DfTAfter: distance from target after convergence. Fraction.
	DfTAfter
	// InYear: recurrent money added to the year's allocation in year, after
	// its round was published, that only a later round's baseline shows.
	// For the first year of a two-year round (2023/24, published with
	// 2024/25 in early 2023) it is derived: the next year's recurrent
	// baseline as the round after updates it for in-year changes (above all
	// the recurrent 2023/24 pay award), over its first-published recurrent
	// allocation, less 1, times the year's adjusted baseline (or recurrent
	// allocation where there is none). That backs the in-year money out at
	// the next year's published growth. Counted only on the restated
	// vintage. GBP; may be negative.
	InYear
	// RestatedNonRecurrent: a non-recurrent item as the next round restates
	// it (2024/25 additional elective funding, £2,603.6m in the 2025/26
	// round against £2,543.6m first published), replacing the item's
	// amount on the restated vintage. GBP; may be negative.
	RestatedNonRecurrent
)

var measureNames = enum.NewNames[Measure]("measure", Recurrent, "recurrent", RecurrentAddition, "recurrent_addition",
	NonRecurrent, "non_recurrent", AdjustedBaseline, "adjusted_baseline", Target, "target",
	DfTBefore, "dft_before", Growth, "growth", Convergence, "convergence", DfTAfter, "dft_after",
	InYear, "in_year", RestatedNonRecurrent, "restated_non_recurrent")

// String is the measure's name in data files.
func (m Measure) String() string { return measureNames.Name(m) }

// parseMeasure reads a measure name as String writes it.
func parseMeasure(s string) (Measure, error) { return measureNames.Parse(s) }

// IsMoney reports whether the measure is an amount in pounds (the others are fractions).
func (m Measure) IsMoney() bool {
	return m == Recurrent || m == RecurrentAddition || m == NonRecurrent || m == AdjustedBaseline || m == Target ||
		m == InYear || m == RestatedNonRecurrent
}

// itemised reports whether figures of the measure carry an item name.
func (m Measure) itemised() bool {
	return m == RecurrentAddition || m == NonRecurrent || m == RestatedNonRecurrent
}

// mayBeNegative reports whether an amount of the measure can be below zero.
func (m Measure) mayBeNegative() bool {
	return m.itemised() || m == DfTBefore || m == DfTAfter || m == Convergence || m == Growth || m == InYear
}

// ICB is an integrated care board: its ODS code (such as "QE1"), name and NHS region.
type ICB struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Region string `json:"region"`
}

// Figure is one allocations figure: an amount (Measure.IsMoney) or a
// fraction, for an ICB, stream and year, with its item name where the
// measure is itemised, its status and its source.
type Figure struct {
	Year    budget.Year
	ICB     string
	Stream  Stream
	Measure Measure
	Item    string          // item name for RecurrentAddition and NonRecurrent; "" otherwise
	Value   decimal.Decimal // pounds for money measures; a fraction otherwise
	Status  budget.Status
	Source  string // source ID (see Sources)
	line    int
	unsplit budget.Status // on a restated footprint, the status of the figures it was made from before any was split; 0 otherwise
}

// Money returns the figure as an amount of pounds.
func (f Figure) Money() budget.Money { return budget.MoneyFromDecimal(f.Value) }

type figKey struct {
	year    budget.Year
	icb     string
	stream  Stream
	measure Measure
	item    string
}

// Allocations holds ICB allocation figures by year, ICB, stream and measure,
// as loaded by ReadAllocations. It is immutable.
type Allocations struct {
	span    budget.Span // years with recurrent allocations
	icbs    []ICB       // sorted by code
	figures []Figure
	index   map[figKey]int
	items   map[figKey][]int // itemised figures by key with item "", in file order
}

// allocationsColumns are the columns of AllocationsFile, in order (Columns).
func allocationsColumns() []string {
	return []string{"year", "icb_code", "icb_name", "region", "stream", "measure", "item", "value", "unit", "status", "source"}
}

// ReadAllocations reads an allocations file (see ReadAllocations). name
// is used in errors. Every problem is a *budget.FileError naming the line, column
// and value and wrapping a sentinel: a number that is not a number
// (budget.ErrSyntax), a negative baseline, recurrent allocation or target
// (budget.ErrNegative), an unknown stream or measure (budget.ErrUnknown), the same
// year-ICB-stream-measure-item twice (budget.ErrDuplicate), an ICB named two ways,
// an ICB missing a year that other ICBs have, or a stream whose years have
// a gap (budget.ErrGap).
//
// Its columns, in order (Columns):
//
//	year        financial year, "2024/25"
//	icb_code    ICB ODS code, "QE1"
//	icb_name    ICB name (the same on every row of a code)
//	region      NHS region name (the same on every row of a code)
//	stream      core, pmc, pod, specialised or rca
//	measure     recurrent, recurrent_addition, non_recurrent, adjusted_baseline,
//	            target, dft_before, growth, convergence, dft_after, in_year
//	            or restated_non_recurrent
//	item        the item's name (letters, digits, _) for recurrent_addition,
//	            non_recurrent and restated_non_recurrent; empty for other measures
//	value       a plain number: pounds for money measures, a fraction otherwise
//	unit        GBP for money measures, fraction otherwise
//	status      published, derived or projected
//	source      a source ID, such as S1
func ReadAllocations(r io.Reader, name string) (*Allocations, error) {
	n := rowsHint(r)
	a := &Allocations{index: make(map[figKey]int, n), items: map[figKey][]int{}, figures: make([]Figure, 0, n)}
	icbs := map[string]ICB{}
	icbLine := map[string]int{}
	err := table.Each(r, name, allocationsColumns(), func(rw table.Row) error {
		f, err := readFigure(rw)
		if err != nil {
			return err
		}
		icb := ICB{Code: f.ICB, Name: rw.Get("icb_name"), Region: rw.Get("region")}
		if icb.Name == "" {
			return rw.Fail("icb_name", fmt.Errorf("%w: must not be empty", budget.ErrSyntax))
		}
		if prev, ok := icbs[f.ICB]; !ok {
			icbs[f.ICB], icbLine[f.ICB] = icb, rw.Line()
		} else if prev != icb {
			col := "icb_name"
			if prev.Name == icb.Name {
				col = "region"
			}
			return rw.Fail(col, fmt.Errorf("%w: ICB %s is %q in %q on line %d: an ICB has one name and region", budget.ErrDuplicate, f.ICB, prev.Name, prev.Region, icbLine[f.ICB]))
		}
		if i, dup := a.add(f); dup {
			what := f.Measure.String()
			if f.Item != "" {
				what += " " + f.Item
			}
			return rw.Fail("value", fmt.Errorf("%w: %s %s %s %s is also on line %d", budget.ErrDuplicate, f.Year, f.ICB, f.Stream, what, a.figures[i].line))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, icb := range icbs {
		a.icbs = append(a.icbs, icb)
	}
	sort.Slice(a.icbs, func(i, j int) bool { return a.icbs[i].Code < a.icbs[j].Code })
	a.span = spanOf(a.figures)
	if err := a.checkComplete(name); err != nil {
		return nil, err
	}
	// A restated item restates an item of the same year, ICB and stream: one
	// with no such item (a misspelt name) would be dropped unseen.
	for _, f := range a.figures {
		if f.Measure != RestatedNonRecurrent {
			continue
		}
		if _, ok := a.index[figKey{f.Year, f.ICB, f.Stream, NonRecurrent, f.Item}]; !ok {
			return nil, &budget.FileError{File: name, Line: f.line, Column: "item", Value: f.Item,
				Err: fmt.Errorf("%w: %s %s %s has no non_recurrent item %q for it to restate", budget.ErrNoData, f.Year, f.ICB, f.Stream, f.Item)}
		}
	}
	return a, nil
}

// NewAllocations makes allocations of figures computed rather than read
// (such as allocations restated on another footprint), for the ICBs icbs:
// figures are indexed as ReadAllocations indexes them, the same figure
// twice is an error wrapping budget.ErrDuplicate, and every stream and year must
// be complete, as in a file; name is used in errors.
func NewAllocations(name string, icbs []ICB, figures []Figure) (*Allocations, error) {
	a := &Allocations{index: make(map[figKey]int, len(figures)), items: map[figKey][]int{}, icbs: slices.Clone(icbs), figures: make([]Figure, 0, len(figures))}
	// Every figure's ICB is one of icbs, each once, and every figure is a
	// valid one: a figure of no ICB would be lost from England's totals.
	known := map[string]bool{}
	for _, icb := range icbs {
		if known[icb.Code] {
			return nil, fmt.Errorf("%s: ICB %s: %w: given twice", name, icb.Code, budget.ErrDuplicate)
		}
		known[icb.Code] = true
	}
	for _, f := range figures {
		switch {
		case !known[f.ICB]:
			return nil, fmt.Errorf("%s: %s %s %s: ICB %q: %w: not one of the ICBs given", name, f.Year, f.Stream, f.Measure, f.ICB, budget.ErrUnknown)
		case !f.Stream.Valid():
			return nil, fmt.Errorf("%s: %s %s: stream %d: %w", name, f.Year, f.ICB, int(f.Stream), budget.ErrUnknown)
		case f.Item != "" && !f.Measure.itemised():
			return nil, fmt.Errorf("%s: %s %s %s %s: item %q: %w: the measure has no items", name, f.Year, f.ICB, f.Stream, f.Measure, f.Item, budget.ErrRange)
		}
	}
	for _, f := range figures {
		if _, dup := a.add(f); dup {
			return nil, fmt.Errorf("%s: %w: %s %s %s %s %s given twice", name, budget.ErrDuplicate, f.Year, f.ICB, f.Stream, f.Measure, f.Item)
		}
	}
	a.span = spanOf(a.figures)
	if err := a.checkComplete(name); err != nil {
		return nil, err
	}
	return a, nil
}

// add indexes f and appends it, or reports the index of the figure it
// repeats (the same year, ICB, stream, measure and item) and adds nothing.
func (a *Allocations) add(f Figure) (dupOf int, dup bool) {
	k := figKey{f.Year, f.ICB, f.Stream, f.Measure, f.Item}
	if i, ok := a.index[k]; ok {
		return i, true
	}
	a.index[k] = len(a.figures)
	if f.Measure.itemised() {
		ik := figKey{f.Year, f.ICB, f.Stream, f.Measure, ""}
		a.items[ik] = append(a.items[ik], len(a.figures))
	}
	a.figures = append(a.figures, f)
	return 0, false
}

func readFigure(rw table.Row) (Figure, error) {
	var f Figure
	var err error
	f.line = rw.Line()
	if f.Year, err = rw.Year("year"); err != nil {
		return f, err
	}
	if f.ICB, err = rw.Code("icb_code"); err != nil {
		return f, err
	}
	if f.Stream, err = ParseStream(rw.Get("stream")); err != nil {
		return f, rw.Fail("stream", err)
	}
	if f.Measure, err = parseMeasure(rw.Get("measure")); err != nil {
		return f, rw.Fail("measure", err)
	}
	if f.Measure.itemised() {
		if f.Item, err = rw.Code("item"); err != nil {
			return f, err
		}
	} else if rw.Get("item") != "" {
		return f, rw.Fail("item", fmt.Errorf("%w: only recurrent_addition, non_recurrent and restated_non_recurrent figures name an item", budget.ErrSyntax))
	}
	wantUnit := "fraction"
	if f.Measure.IsMoney() {
		wantUnit = "GBP"
	}
	if u := rw.Get("unit"); u != wantUnit {
		return f, rw.Fail("unit", fmt.Errorf("%w: %s is in %s", budget.ErrUnknown, f.Measure, wantUnit))
	}
	if f.Value, err = rw.Decimal("value"); err != nil {
		return f, err
	}
	if f.Value.IsNegative() && !f.Measure.mayBeNegative() {
		return f, rw.Fail("value", fmt.Errorf("%w: %s cannot be negative", budget.ErrNegative, f.Measure))
	}
	if f.Measure == Growth || f.Measure == Convergence {
		if _, err := budget.NewRate(f.Value); err != nil {
			return f, rw.Fail("value", err)
		}
	}
	if f.Status, err = rw.Status("status"); err != nil {
		return f, err
	}
	if f.Source, err = rw.NonEmpty("source"); err != nil {
		return f, err
	}
	return f, nil
}

// checkComplete makes sure no ICB lacks a figure that the others have for
// the same year, stream and measure (so England totals are never silently
// short), and that each stream's recurrent years have no gap.
func (a *Allocations) checkComplete(name string) error {
	type ysm struct {
		year    budget.Year
		stream  Stream
		measure Measure
	}
	// How many ICBs have each (an ICB has one: a second is a duplicate,
	// and only itemised measures name items), and which, only where some
	// lack it.
	count := map[ysm]int{}
	first := map[ysm]Figure{} // the first figure of each, for its line
	var keys []ysm
	for _, f := range a.figures {
		if f.Measure.itemised() {
			continue // items vary by ICB: an ICB without an item has none of it
		}
		k := ysm{f.Year, f.Stream, f.Measure}
		if count[k] == 0 {
			keys = append(keys, k)
			first[k] = f
		}
		count[k]++
	}
	for _, k := range keys {
		if count[k] == len(a.icbs) {
			continue
		}
		have := map[string]bool{}
		for _, f := range a.figures {
			if f.Year == k.year && f.Stream == k.stream && f.Measure == k.measure {
				have[f.ICB] = true
			}
		}
		if len(have)*2 < len(a.icbs) {
			// Few ICBs have it: the stray rows are the likelier mistake
			// (a figure in the wrong year or stream), so name them.
			f := first[k]
			return &budget.FileError{File: name, Line: f.line, Column: "year", Value: f.Year.String(),
				Err: fmt.Errorf("%w: only %d of the %d ICBs have a %s %s for %s (the first, %s, here): a figure in the wrong year or stream?",
					budget.ErrNoData, len(have), len(a.icbs), k.stream, k.measure, k.year, f.ICB)}
		}
		for _, icb := range a.icbs {
			if !have[icb.Code] {
				return &budget.FileError{File: name, Err: fmt.Errorf("%w: ICB %s has no %s %s for %s (%d of the %d ICBs have one)",
					budget.ErrNoData, icb.Code, k.stream, k.measure, k.year, len(have), len(a.icbs))}
			}
		}
	}
	for _, s := range Streams() {
		years := a.years(s, Recurrent)
		for i := 1; i < len(years); i++ {
			if years[i] != years[i-1].Next() {
				return &budget.FileError{File: name, Err: fmt.Errorf("%w: %s recurrent allocations jump from %s to %s", budget.ErrGap, s, years[i-1], years[i])}
			}
		}
	}
	return nil
}

// years lists, in order, the years that have figures of a stream and measure.
func (a *Allocations) years(s Stream, m Measure) []budget.Year {
	seen := map[budget.Year]bool{}
	var out []budget.Year
	for _, f := range a.figures {
		if f.Stream == s && f.Measure == m && !seen[f.Year] {
			seen[f.Year] = true
			out = append(out, f.Year)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// ICBs lists the ICBs, sorted by code.
func (a *Allocations) ICBs() []ICB {
	if a == nil {
		return nil
	}
	return append([]ICB(nil), a.icbs...)
}

// ICB returns the ICB with the given code, or an error wrapping budget.ErrUnknown.
func (a *Allocations) ICB(code string) (ICB, error) {
	if a == nil {
		return ICB{}, fmt.Errorf("allocations: %w: nil", budget.ErrNoData)
	}
	i := sort.Search(len(a.icbs), func(i int) bool { return a.icbs[i].Code >= code })
	if i < len(a.icbs) && a.icbs[i].Code == code {
		return a.icbs[i], nil
	}
	if len(a.icbs) == 0 {
		return ICB{}, fmt.Errorf("ICB %q: %w: the allocations hold no ICBs (a zero Allocations; load one with ReadAllocations)", code, budget.ErrUnknown)
	}
	return ICB{}, fmt.Errorf("ICB %q: %w: not in the allocations data (%d ICBs, %s to %s)", code, budget.ErrUnknown, len(a.icbs), a.icbs[0].Code, a.icbs[len(a.icbs)-1].Code)
}

// Years lists the years with recurrent allocations for a stream, in order.
func (a *Allocations) Years(s Stream) []budget.Year {
	if a == nil {
		return nil
	}
	return a.years(s, Recurrent)
}

// Span is the span of years with a recurrent allocation for any stream.
func (a *Allocations) Span() budget.Span {
	if a == nil {
		return budget.Span{}
	}
	return a.span
}

// spanOf is the years with recurrent allocations (computed once, at load).
func spanOf(figures []Figure) budget.Span {
	var first, last budget.Year
	for _, f := range figures {
		if f.Measure != Recurrent {
			continue
		}
		if first.IsZero() || f.Year.Before(first) {
			first = f.Year
		}
		if f.Year.After(last) {
			last = f.Year
		}
	}
	s, _ := budget.NewSpan(first, last)
	return s
}

// Figures returns every figure, in file order.
func (a *Allocations) Figures() []Figure {
	if a == nil {
		return nil
	}
	return append([]Figure(nil), a.figures...)
}

// rowsHint estimates the rows of a CSV file from its size, where the
// reader knows it (a regular file, an embedded one, a bytes.Reader), for
// sizing what holds them: a row of about 100 bytes, as the data files'
// are (allocations.csv: 114), up to 1<<16 rows. It is a hint, not a limit.
func rowsHint(r io.Reader) int {
	var size int64
	switch v := r.(type) {
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	case interface{ Size() int64 }:
		size = v.Size()
	}
	return int(min(max(size, 0)/100, 1<<16))
}

// Len is the number of figures.
func (a *Allocations) Len() int {
	if a == nil {
		return 0
	}
	return len(a.figures)
}

// All yields the figures in file order, as Figures gives them, without
// copying the set: for a pass over every figure.
func (a *Allocations) All() iter.Seq[Figure] {
	return func(yield func(Figure) bool) {
		if a == nil {
			return
		}
		for i := range a.figures {
			if !yield(a.figures[i]) {
				return
			}
		}
	}
}

// Lookup returns one figure, or an error wrapping budget.ErrNoData.
func (a *Allocations) Lookup(y budget.Year, icb string, s Stream, m Measure, item string) (Figure, error) {
	if a == nil {
		return Figure{}, fmt.Errorf("allocations: %w: nil", budget.ErrNoData)
	}
	f, ok := a.Find(y, icb, s, m, item)
	if !ok {
		what := m.String()
		if item != "" {
			what += " " + item
		}
		return Figure{}, fmt.Errorf("allocations: no %s %s for %s in %s: %w", s, what, icb, y, budget.ErrNoData)
	}
	return f, nil
}

// find is Lookup without building an error, for the engine's inner loops.
func (a *Allocations) Find(y budget.Year, icb string, s Stream, m Measure, item string) (Figure, bool) {
	if a == nil {
		return Figure{}, false
	}
	i, ok := a.index[figKey{y, icb, s, m, item}]
	if !ok {
		return Figure{}, false
	}
	return a.figures[i], true
}

// Has reports whether a figure exists.
func (a *Allocations) Has(y budget.Year, icb string, s Stream, m Measure, item string) bool {
	if a == nil {
		return false
	}
	_, ok := a.index[figKey{y, icb, s, m, item}]
	return ok
}

// Items returns the itemised figures (RecurrentAddition or NonRecurrent)
// of an ICB, stream and year, in file order.
func (a *Allocations) Items(y budget.Year, icb string, s Stream, m Measure) []Figure {
	if a == nil {
		return nil
	}
	idx := a.items[figKey{y, icb, s, m, ""}]
	out := make([]Figure, len(idx))
	for k, i := range idx {
		out[k] = a.figures[i]
	}
	return out
}

// Write writes a as an allocations file that ReadAllocations
// reads back to the same figures, in the same order.
func (a *Allocations) Write(w io.Writer) error {
	if a == nil {
		return fmt.Errorf("writing allocations: %w: nil", budget.ErrNoData)
	}
	names := map[string]ICB{}
	for _, icb := range a.icbs {
		names[icb.Code] = icb
	}
	rows := make([][]string, len(a.figures))
	for i, f := range a.figures {
		unit := "fraction"
		if f.Measure.IsMoney() {
			unit = "GBP"
		}
		icb := names[f.ICB]
		rows[i] = []string{f.Year.String(), f.ICB, icb.Name, icb.Region, f.Stream.String(), f.Measure.String(),
			f.Item, budget.FormatDecimal(f.Value, 0), unit, f.Status.String(), f.Source}
	}
	return budget.WriteTable(w, allocationsColumns(), rows)
}

// StreamTotal is the money of one stream for an ICB (or England) and year.
type StreamTotal struct {
	Recurrent    budget.Money // the formula allocation
	Additions    budget.Money // recurrent additions outside the formula
	NonRecurrent budget.Money // one-off items
	Status       budget.Status
}

// RecurrentTotal is the recurrent allocation with its additions: the money
// that carries into the next year.
func (t StreamTotal) RecurrentTotal() budget.Money { return t.Recurrent.Add(t.Additions) }

// Total is all the stream's money for the year.
func (t StreamTotal) Total() budget.Money { return t.Recurrent.Add(t.Additions).Add(t.NonRecurrent) }

// Total returns an ICB's money in a stream and year; ok is false when the
// data has no recurrent allocation for it.
func (a *Allocations) Total(y budget.Year, icb string, s Stream) (t StreamTotal, ok bool) {
	if a == nil {
		return StreamTotal{}, false
	}
	f, found := a.Find(y, icb, s, Recurrent, "")
	if !found {
		return StreamTotal{}, false
	}
	t.Recurrent, t.Status = f.Money(), f.Status
	for _, it := range a.Items(y, icb, s, RecurrentAddition) {
		t.Additions = t.Additions.Add(it.Money())
		t.Status = t.Status.Worst(it.Status)
	}
	for _, it := range a.Items(y, icb, s, NonRecurrent) {
		t.NonRecurrent = t.NonRecurrent.Add(it.Money())
		t.Status = t.Status.Worst(it.Status)
	}
	return t, true
}

// EnglandTotal adds a stream's money over every ICB for a year; ok is false
// when no ICB has it.
func (a *Allocations) EnglandTotal(y budget.Year, s Stream) (t StreamTotal, ok bool) {
	if a == nil {
		return StreamTotal{}, false
	}
	t.Status = budget.Published
	for _, icb := range a.icbs {
		it, has := a.Total(y, icb.Code, s)
		if !has {
			continue
		}
		ok = true
		t.Recurrent = t.Recurrent.Add(it.Recurrent)
		t.Additions = t.Additions.Add(it.Additions)
		t.NonRecurrent = t.NonRecurrent.Add(it.NonRecurrent)
		t.Status = t.Status.Worst(it.Status)
	}
	return t, ok
}

// WithWholeStatus returns f with the status its money has wherever it is
// counted whole (WholeStatus): on a restated footprint, that of the figures
// it was made from before any was split.
func (f Figure) WithWholeStatus(s budget.Status) Figure {
	f.unsplit = s
	return f
}

// WholeStatus is the status a figure's money has wherever it is counted
// whole (in England's totals): its own, or on a restated footprint, that of
// the figures it was made from before any was split.
func (f Figure) WholeStatus() budget.Status {
	if f.unsplit != 0 {
		return f.unsplit
	}
	return f.Status
}
