package budget

import (
	"encoding/json"
	"io"
	"strings"

	"github.com/shopspring/decimal"
)

// Units of a tidy row's value.
const (
	UnitGBP        = "GBP"          // pounds, written to 2 decimal places
	UnitGBPPerHead = "GBP_per_head" // pounds per person, 2 decimal places
	UnitShare      = "share"        // a fraction of a whole, 0.052 for 5.2%
	UnitRatio      = "ratio"        // a quotient, 6 decimal places
	UnitFraction   = "fraction"     // a rate or distance (growth 0.0437), 6 decimal places
	UnitPersons    = "persons"      // people
	UnitQALY       = "QALYs"        // quality-adjusted life years, 2 decimal places
)

// BasisFor is the basis label of a value in a unit: "cash" for money
// (GBP, GBP_per_head), none for shares, ratios, fractions and persons. Use
// it for cash values; real-terms rows name their basis (Basis.String).
func BasisFor(unit string) string {
	if unit == UnitGBP || unit == UnitGBPPerHead {
		return "cash"
	}
	return ""
}

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
	Measure  string // snake_case, stable
	Value    decimal.Decimal
	Unit     string // one of the Unit constants
	Basis    string // "cash" or "real_2024_25"; "" where no price basis applies
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
		return "none"
	}
	return r.Basis
}

// Record is the row as CSV fields, in RowColumns order.
func (r Row) Record() []string {
	return []string{r.Scenario, r.Period, r.Area, r.AreaName, r.Measure, r.ValueString(), r.Unit, r.basis(), r.Status.String()}
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
	}{r.Scenario, r.Period, r.Area, r.AreaName, r.Measure, r.ValueString(), r.Unit, r.basis(), r.Status.String()})
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
