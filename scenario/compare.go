package scenario

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/internal/dec"
)

// CompareRow is a scenario's row beside a base scenario's: its own value,
// the base's value, and the difference (this minus the base).
type CompareRow struct {
	budget.Row
	Base      string
	BaseValue decimal.Decimal
	Delta     decimal.Decimal
}

// DeltaPct is the difference as a fraction of the base's value, at
// budget.WorkingScale places; ok is false where the base value is zero.
// It is computed when asked for, not for every row of a comparison.
func (c CompareRow) DeltaPct() (pct decimal.Decimal, ok bool) {
	if c.BaseValue.IsZero() {
		return decimal.Zero, false
	}
	return c.Delta.DivRound(c.BaseValue, budget.WorkingScale), true
}

// CompareColumns are the columns of a comparison table: the tidy columns
// (budget.RowColumns) and base_scenario, delta, delta_pct.
func CompareColumns() []string {
	return append(budget.RowColumns(), "base_scenario", "delta", "delta_pct")
}

func (c CompareRow) deltaString() string {
	r := c.Row
	r.Value = c.Delta
	return r.ValueString()
}

func (c CompareRow) pctString() string {
	p, ok := c.DeltaPct()
	if !ok {
		return ""
	}
	return p.Round(6).Normalize().String()
}

// Record is the row as CSV fields in CompareColumns order.
func (c CompareRow) Record() []string {
	return append(c.Row.Record(), c.Base, c.deltaString(), c.pctString())
}

// MarshalJSON writes the row with the CompareColumns keys; numbers are strings.
func (c CompareRow) MarshalJSON() ([]byte, error) {
	rec := c.Record()
	m := make(map[string]string, len(rec))
	for i, k := range CompareColumns() {
		m[k] = rec[i]
	}
	return json.Marshal(orderedRow{keys: CompareColumns(), values: m})
}

// orderedRow writes a map's keys in a fixed order.
type orderedRow struct {
	keys   []string
	values map[string]string
}

func (o orderedRow) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, k := range o.keys {
		if i > 0 {
			b = append(b, ',')
		}
		kb, _ := json.Marshal(k)
		vb, _ := json.Marshal(o.values[k])
		b = append(append(append(b, kb...), ':'), vb...)
	}
	return append(b, '}'), nil
}

// Comparison is a scenario compared with a base scenario.
type Comparison struct {
	Scenario string
	Base     string
	// Rows are the compared figures. Value and Window index them by key on
	// first use and find a row edited since by looking through them; where
	// a key is given twice they find its first row as Rows stood when the
	// index was built.
	Rows []CompareRow
	// Unmatched lists rows (period area measure basis) that only one side
	// has, such as benefits in a scenario with returns against one without.
	Unmatched []string

	periods windowPeriods // how the scenario's windows are labelled
	index   *rowIndex     // finds Rows by key, built on first use; a pointer, so that a Comparison can be copied
}

// Value is the row of measure m for an area (an ICB's code, a council's,
// or "ENG") in year y on basis b (budget.Cash, or the results'
// RealBasis; counts with no price basis are found on either); false if
// the comparison has none.
func (c *Comparison) Value(area string, y budget.Year, m Measure, b budget.Basis) (CompareRow, bool) {
	return c.find(y.String(), area, m, b)
}

// Window is the row of measure m for an area over window w, aggregated as
// Result.Window aggregates it: the Sum in cash, or the PresentValue or
// Past years in year 0's prices. False if the comparison has none, as for
// a window with no years from year 0.
func (c *Comparison) Window(area string, w budget.Span, m Measure, a Aggregate) (CompareRow, bool) {
	span, basis, err := c.periods.of(w, a)
	if err != nil {
		return CompareRow{}, false
	}
	return c.find(span.String(), area, m+"_"+Measure(a.String()), basis)
}

func (c *Comparison) find(period, area string, m Measure, b budget.Basis) (CompareRow, bool) {
	if c == nil {
		return CompareRow{}, false
	}
	// Rows can change after the index is made, or the Comparison be made
	// by hand: rows are looked through where the index misses.
	i, ok := c.index.lookup(compareRows(c.Rows), period, area, m, b, false)
	if !ok {
		return CompareRow{}, false
	}
	return c.Rows[i], true
}

type rowKey struct {
	period, area string
	measure      budget.Measure
	basis        string
}

func keyOf(r budget.Row) rowKey { return rowKey{r.Period, r.Area, r.Measure, r.Basis} }

// Compare compares scenario a with base b, row by row (every year, area,
// measure and basis, then the window totals and present values), in a's
// row order. Delta is a - b, exactly, so Compare(a, b) and Compare(b, a)
// have opposite deltas; DeltaPct is relative to the base side. A nil
// result is an error wrapping budget.ErrNoData.
func Compare(a, b *Result) (*Comparison, error) { return CompareAreas(a, b, nil) }

// CompareAreas is Compare for some areas only (ICB codes, a council's for
// a council's result, "ENG"; none for all): the same rows as Compare's of
// those areas, made without the rest. An area one result has and the
// other lacks is listed in Unmatched, as Compare lists it.
func CompareAreas(a, b *Result, areas []string) (*Comparison, error) {
	if a == nil || b == nil {
		return nil, fmt.Errorf("comparing: %w: a result is nil (run both scenarios first)", budget.ErrNoData)
	}
	if a.Manifest.Data != b.Manifest.Data || a.Manifest.Parameters != b.Manifest.Parameters {
		return nil, fmt.Errorf("comparing %q (data %s, parameters %s) with %q (data %s, parameters %s): %w: results on different data do not compare like for like",
			a.Scenario.Name, a.Manifest.Data, a.Manifest.Parameters, b.Scenario.Name, b.Manifest.Data, b.Manifest.Parameters, budget.ErrRange)
	}
	aRows, aSum, err := a.tables.of(areas)
	if err != nil {
		return nil, err
	}
	bRows, bSum, err := b.tables.of(areas)
	if err != nil {
		return nil, err
	}
	// An area neither result has is a mistake (a name for a code, a code of
	// another footprint), not an empty comparison.
	for _, area := range areas {
		has := func(rows []budget.Row) bool {
			return slices.ContainsFunc(rows, func(r budget.Row) bool { return r.Area == area })
		}
		if !has(aRows) && !has(bRows) {
			return nil, fmt.Errorf("comparing %q with %q: %w: area %q is in neither result (ICB codes of footprint %s, or ENG; Result.Area finds a code by name)",
				a.Scenario.Name, b.Scenario.Name, budget.ErrNoData, clip.Clip(area), a.Manifest.Footprint)
		}
	}
	c := &Comparison{Scenario: a.Scenario.Name, Base: b.Scenario.Name, periods: a.windowPeriods(), index: &rowIndex{}}
	c.Rows = make([]CompareRow, 0, len(aRows)+len(aSum))
	if aligned(aRows, bRows) && aligned(aSum, bSum) {
		// The usual case: both results have the same rows in the same order.
		for i := range aRows {
			c.Rows = append(c.Rows, compareRow(aRows[i], bRows[i], b.Scenario.Name))
		}
		for i := range aSum {
			c.Rows = append(c.Rows, compareRow(aSum[i], bSum[i], b.Scenario.Name))
		}
		return c, nil
	}
	base := make(map[rowKey]budget.Row, len(bRows)+len(bSum))
	for _, rows := range [][]budget.Row{bRows, bSum} {
		for _, r := range rows {
			base[keyOf(r)] = r
		}
	}
	seen := make(map[rowKey]bool, len(base))
	for _, rows := range [][]budget.Row{aRows, aSum} {
		for _, r := range rows {
			k := keyOf(r)
			br, ok := base[k]
			if !ok {
				c.Unmatched = append(c.Unmatched, k.String()+" (only in "+a.Scenario.Name+")")
				continue
			}
			seen[k] = true
			c.Rows = append(c.Rows, compareRow(r, br, b.Scenario.Name))
		}
	}
	for _, rows := range [][]budget.Row{bRows, bSum} {
		for _, r := range rows {
			if k := keyOf(r); !seen[k] {
				c.Unmatched = append(c.Unmatched, k.String()+" (only in "+b.Scenario.Name+")")
			}
		}
	}
	return c, nil
}

// aligned reports whether two row lists have the same keys in the same order.
func aligned(a, b []budget.Row) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Period != b[i].Period || a[i].Area != b[i].Area || a[i].Measure != b[i].Measure || a[i].Basis != b[i].Basis {
			return false
		}
	}
	return true
}

func compareRow(r, base budget.Row, baseName string) CompareRow {
	cr := CompareRow{Row: r, Base: baseName, BaseValue: base.Value}
	cr.Delta = dec.From(r.Value).Sub(dec.From(base.Value)).Decimal() // Sub, without its rescaling
	cr.Status = r.Status.Worst(base.Status)
	return cr
}

func (k rowKey) String() string {
	return k.period + " " + k.area + " " + string(k.measure) + " " + k.basis
}

// WriteComparisons writes comparisons as one CSV table with CompareColumns.
func WriteComparisons(w io.Writer, cs []*Comparison) error {
	if w == nil {
		return fmt.Errorf("writing comparisons: %w: no writer (nil)", budget.ErrFormat)
	}
	for i, c := range cs {
		if c == nil {
			return fmt.Errorf("writing comparisons: comparison %d: %w: nil", i, budget.ErrNoData)
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CompareColumns()); err != nil {
		return err
	}
	for _, c := range cs {
		for _, r := range c.Rows {
			if err := cw.Write(budget.SafeRecord(r.Record())); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
