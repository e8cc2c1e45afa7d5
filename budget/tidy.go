package budget

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/shopspring/decimal"
)

// Unit is what a value counts: pounds, a share, people, ... (a tidy row's
// unit column, a parameter's unit). How money is shown (pounds, millions)
// is a Scale.
type Unit string

// String is the unit's name in the unit column.
func (u Unit) String() string { return string(u) }

// Units of a tidy row's value and of a parameter's.
const (
	UnitGBP        Unit = "GBP"          // pounds, written to 2 decimal places
	UnitGBPPerHead Unit = "GBP_per_head" // pounds per person, 2 decimal places
	UnitShare      Unit = "share"        // a fraction of a whole, 0.052 for 5.2%
	UnitRatio      Unit = "ratio"        // a quotient, 6 decimal places (a return of 14.3:1 is 14.3)
	UnitFraction   Unit = "fraction"     // a rate or distance (growth 0.0437), 6 decimal places
	UnitPersons    Unit = "persons"      // people
	UnitQALY       Unit = "QALYs"        // quality-adjusted life years, 2 decimal places
	UnitYears      Unit = "years"        // a whole number of years (a parameter's lag)
	UnitYear       Unit = "year"         // a financial year such as 2026/27 (a parameter's)
	UnitName       Unit = "name"         // a choice by name: a deflator vintage, a policy, a rule (a parameter's)
)

// Measure names what a tidy row's value is (the measure column):
// snake_case and stable, such as prevention.MeasureShift.
type Measure string

// String is the measure's name in the measure column.
func (m Measure) String() string { return string(m) }

// The basis column's labels besides a real-terms basis's
// ("real_2024_25", Basis.String): BasisCash for money as spent in its
// year (the cash basis's own label) and the shares, ratios and rates the
// model computes from it, and BasisNone for a count or flag that no price
// basis applies to (QALYs, the grant's source flags). A row's Basis may
// also be "", as an allocation's published shares and fractions are: it is
// written as BasisNone.
const (
	BasisCash = "cash"
	BasisNone = "none"
)

// RowColumns are the columns of the tidy table every result exports, in order.
func RowColumns() []string {
	return []string{"scenario", "year", "area_code", "area_name", "measure", "value", "unit", "basis", "status"}
}

// Row is one value of a tidy result table: a measure for a scenario, a year
// (or a span of years, for window totals), an area (an ICB code, or ENG for
// England) and a price basis.
type Row struct {
	Scenario string
	Period   string // "2024/25", or "2024/25-2028/29" for a window
	Area     string // ICB ODS code or "ENG"
	AreaName string
	Measure  Measure // snake_case, stable
	Value    decimal.Decimal
	Unit     Unit   // one of the Unit constants
	Basis    string // BasisCash, a real basis such as "real_2024_25", or BasisNone (or "", written as BasisNone)
	Status   Status
}

// ValueString writes the value as the tidy contract says: money to 2
// decimal places (halves away from zero), shares, ratios and fractions to 6
// places without trailing zeros, persons exactly.
func (r Row) ValueString() string {
	switch r.Unit {
	case UnitGBP, UnitGBPPerHead, UnitQALY:
		return r.Value.StringFixed(2)
	case UnitPersons:
		return plain(r.Value)
	}
	return plain(r.Value.Round(6))
}

func (r Row) basis() string {
	if r.Basis == "" {
		return BasisNone
	}
	return r.Basis
}

// Record is the row as CSV fields, in RowColumns order.
func (r Row) Record() []string {
	return []string{r.Scenario, r.Period, r.Area, r.AreaName, string(r.Measure), r.ValueString(), string(r.Unit), r.basis(), r.Status.String()}
}

// MarshalJSON writes the row as an object with the RowColumns keys; the
// value is a string, exactly as in CSV.
func (r Row) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Scenario string `json:"scenario"`
		Year     string `json:"year"`
		AreaCode string `json:"area_code"`
		AreaName string `json:"area_name"`
		Measure  string `json:"measure"`
		Value    string `json:"value"`
		Unit     string `json:"unit"`
		Basis    string `json:"basis"`
		Status   string `json:"status"`
	}{r.Scenario, r.Period, r.Area, r.AreaName, string(r.Measure), r.ValueString(), string(r.Unit), r.basis(), r.Status.String()})
}

// WriteRows writes rows as CSV with a RowColumns header.
func WriteRows(w io.Writer, rows []Row) error {
	recs := make([][]string, len(rows))
	for i, r := range rows {
		recs[i] = SafeRecord(r.Record())
	}
	return WriteTable(w, RowColumns(), recs)
}

// SafeCell makes a CSV cell safe to open in a spreadsheet, as OWASP
// recommends against CSV injection: text beginning with =, +, -, @, a tab
// or a carriage return, which a spreadsheet would run as a formula, gets a
// leading apostrophe (shown as text, the apostrophe hidden); a number, such
// as -1234.56, is left as it is. The tidy CSVs the library and programs
// write for people (WriteRows, comparisons, deliverables) pass every cell
// through it; the data files written for the loaders (dataset.Data.WriteFile) do
// not, so that they read back as they were.
func SafeCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := decimal.NewFromString(s); err == nil && s[0] != '@' {
		return s
	}
	return "'" + s
}

// SafeRecord is SafeCell on every cell of a record, in place.
func SafeRecord(rec []string) []string {
	for i, c := range rec {
		rec[i] = SafeCell(c)
	}
	return rec
}

// Index finds tidy rows by area, year or span, measure and basis: the
// typed lookup of rows a caller holds, such as a projection's
// (alloc.Projection.AllocationRows) or a council view's. Where rows repeat
// a key, the last is found. Its zero value finds nothing.
type Index struct {
	rows []Row
	pos  map[indexKey]int
}

type indexKey struct {
	area, period string
	measure      Measure
	basis        string
}

// NewIndex indexes rows; it keeps the slice, not a copy, and finds a row
// changed since by looking through them.
func NewIndex(rows []Row) Index {
	ix := Index{rows: rows, pos: make(map[indexKey]int, len(rows))}
	for i, r := range rows {
		ix.pos[keyOf(r)] = i
	}
	return ix
}

// Find is the row of measure m for an area in year y on basis b (Cash, or
// a real-terms basis); a row with no price basis (shares, counts) is found
// on any.
func (ix Index) Find(area string, y Year, m Measure, b Basis) (Row, bool) {
	return ix.find(area, y.String(), m, b)
}

// FindSpan is Find for a figure over a span of years, such as a window
// total (measure "prevention_shift_total" over 2024/25-2028/29).
func (ix Index) FindSpan(area string, s Span, m Measure, b Basis) (Row, bool) {
	return ix.find(area, s.String(), m, b)
}

func (ix Index) find(area, period string, m Measure, b Basis) (Row, bool) {
	for _, basis := range []string{b.String(), "", BasisNone} {
		k := indexKey{area, period, m, basis}
		if i, ok := ix.pos[k]; ok && i < len(ix.rows) && keyOf(ix.rows[i]) == k {
			return ix.rows[i], true
		}
	}
	// Not where the index has it: a row changed since NewIndex, or none.
	for _, basis := range []string{b.String(), "", BasisNone} {
		k := indexKey{area, period, m, basis}
		for i := len(ix.rows) - 1; i >= 0; i-- {
			if keyOf(ix.rows[i]) == k {
				return ix.rows[i], true
			}
		}
	}
	return Row{}, false
}

func keyOf(r Row) indexKey { return indexKey{r.Area, r.Period, r.Measure, r.Basis} }
