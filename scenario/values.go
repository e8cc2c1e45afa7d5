package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/prevention"
)

// Measure names a figure of a result: the Measure constants of prevention
// (MeasureShift, MeasureGrant, MeasureShiftToGrant, ...) and of this
// package (MeasureShiftLow, ...), as the tidy rows' measure column has them.
// It is budget.Measure, the type of budget.Row's Measure.
type Measure = budget.Measure

// RealBasis is the price basis of the result's real-terms figures: the
// scenario's deflator at its base year's prices (2024/25 by default).
func (r *Result) RealBasis() budget.Basis {
	if r == nil || r.Detail == nil {
		return budget.Cash()
	}
	m := r.Detail.Model
	return m.Deflator.Basis(m.RealBase)
}

// Value is the figure of measure m for an area (an ICB's code, or "ENG")
// in year y on basis b (budget.Cash, or RealBasis), with its status.
// Shares and ratios are on both bases; counts with no price basis (QALYs,
// populations, flags) are found on either. Money is in pounds, shares
// and ratios are fractions. A figure the result does not have is an
// error wrapping budget.ErrNoData that names what was asked for, and
// says whether the area, the year or the measure is unknown.
func (r *Result) Value(area string, y budget.Year, m Measure, b budget.Basis) (decimal.Decimal, budget.Status, error) {
	row, err := r.find(area, y.String(), m, b)
	if err != nil {
		return decimal.Decimal{}, 0, err
	}
	return row.Value, row.Status, nil
}

// Money is Value for a measure in pounds: the figure as budget.Money.
func (r *Result) Money(area string, y budget.Year, m Measure, b budget.Basis) (budget.Money, error) {
	row, err := r.find(area, y.String(), m, b)
	if err != nil {
		return budget.Money{}, err
	}
	if row.Unit != budget.UnitGBP {
		return budget.Money{}, fmt.Errorf("result %q: %s of %s in %s: %w: in %s, not pounds (use Value)", r.Scenario.Name, m, area, y, budget.ErrRange, row.Unit)
	}
	return budget.MoneyFromDecimal(row.Value), nil
}

// Series is a money measure of an area in every year of the result, on
// basis b.
func (r *Result) Series(area string, m Measure, b budget.Basis) (budget.Series, error) {
	if r == nil || r.Detail == nil {
		return budget.Series{}, fmt.Errorf("scenario result: %w: nil", budget.ErrNoData)
	}
	span := r.Detail.Years()
	var vals []budget.Money
	for _, y := range span.Years() {
		v, err := r.Money(area, y, m, b)
		if err != nil {
			return budget.Series{}, err
		}
		vals = append(vals, v)
	}
	return budget.NewSeries(span.First(), vals, b)
}

// Aggregate is what a Summary figure over a window is: the Sum of cash
// figures, the PresentValue of real flows from year 0 (Manifest.PresentValues),
// or the Past years before year 0 in year 0's prices, undiscounted.
type Aggregate int

// The aggregates of a window.
const (
	Sum Aggregate = iota + 1
	PresentValue
	Past
)

// String is the suffix of the aggregate's measures in the tidy rows:
// "total", "pv" or "past".
func (a Aggregate) String() string {
	switch a {
	case Sum:
		return "total"
	case PresentValue:
		return "pv"
	case Past:
		return "past"
	}
	return fmt.Sprintf("Aggregate(%d)", int(a))
}

// Window is a figure of the Summary: measure m of an area over window w,
// summed in cash; or, in year 0's prices, the present value of the
// window's years from year 0, or its past years before year 0. For example
// Window("ENG", budget.MustSpan("2024/25", "2028/29"),
// prevention.MeasureShift, PresentValue) is the present value over
// 2026/27-2028/29 on the embedded data.
func (r *Result) Window(area string, w budget.Span, m Measure, a Aggregate) (decimal.Decimal, error) {
	if r == nil || r.Detail == nil {
		return decimal.Decimal{}, fmt.Errorf("scenario result: %w: nil", budget.ErrNoData)
	}
	span, basis, err := r.windowPeriods().of(w, a)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("result %q: %s of %s: %w", r.Scenario.Name, m, area, err)
	}
	row, err := r.find(area, span.String(), m+"_"+Measure(a.String()), basis)
	if err != nil {
		if ws := Windows(r.Scenario.Horizon); !slices.Contains(ws, w) && w != ShiftWindow(r.Scenario) {
			names := make([]string, len(ws))
			for i, x := range ws {
				names[i] = x.String()
			}
			return decimal.Decimal{}, fmt.Errorf("result %q: %s of %s over %s: %w: the result's windows are %s (Windows); give one, with Sum, PresentValue (its years from year 0) or Past (its years before)",
				r.Scenario.Name, m, area, w, budget.ErrNoData, strings.Join(names, ", "))
		}
		return decimal.Decimal{}, err
	}
	return row.Value, nil
}

// windowPeriods is how a result labels its window figures: year 0 of its
// present values and the basis of its prices.
type windowPeriods struct {
	base  budget.Year
	basis budget.Basis
	err   error
}

func (r *Result) windowPeriods() windowPeriods {
	base, _, err := r.Manifest.PresentValues()
	if err != nil {
		return windowPeriods{err: err}
	}
	return windowPeriods{base: base, basis: r.Detail.Model.Deflator.Basis(base)}
}

// of is the span and basis of the rows that hold aggregate a of window w.
func (p windowPeriods) of(w budget.Span, a Aggregate) (budget.Span, budget.Basis, error) {
	switch a {
	case Sum:
		return w, budget.Cash(), nil
	case PresentValue, Past:
		if p.err != nil {
			return budget.Span{}, budget.Basis{}, p.err
		}
		past, hasPast, disc, hasDisc := (Schedule{Base: p.base}).Split(w)
		switch {
		case a == PresentValue && hasDisc:
			return disc, p.basis, nil
		case a == Past && hasPast:
			return past, p.basis, nil
		}
		side := "before"
		if a == PresentValue {
			side = "from"
		}
		return budget.Span{}, budget.Basis{}, fmt.Errorf("over %s: %w: no years of the window are %s year 0 (%s)", w, budget.ErrNoData, side, p.base)
	}
	return budget.Span{}, budget.Basis{}, fmt.Errorf("%w: aggregate %d: want Sum, PresentValue or Past", budget.ErrUnknown, int(a))
}

// WindowSpan is where the Summary holds aggregate a of window w: the span
// of its rows and their basis. For Sum, the window itself in cash; for
// PresentValue, the window's years from year 0, and for Past its years
// before it, in year 0's prices. A window with no such years is an error
// wrapping budget.ErrNoData.
func (r *Result) WindowSpan(w budget.Span, a Aggregate) (budget.Span, budget.Basis, error) {
	if r == nil || r.Detail == nil {
		return budget.Span{}, budget.Basis{}, fmt.Errorf("scenario result: %w: nil", budget.ErrNoData)
	}
	return r.windowPeriods().of(w, a)
}

// find is the row of a key in the result's Rows and Summary.
func (r *Result) find(area, period string, measure Measure, b budget.Basis) (budget.Row, error) {
	if r == nil {
		return budget.Row{}, fmt.Errorf("scenario result: %w: nil", budget.ErrNoData)
	}
	rows, sum, err := r.tables.get()
	if err != nil {
		return budget.Row{}, err
	}
	if row, ok := r.tables.index.find([][]budget.Row{rows, sum}, period, area, measure, b, true); ok {
		return row, nil
	}
	return budget.Row{}, r.missing(rows, sum, area, period, measure, b)
}

// find is the row of a key in sets of rows, on basis b or, for what has no
// price basis, budget.BasisNone, through the index (nil: the rows are looked
// through). Rows that are fixed (a result's tables) are found by the index
// alone; others (a Simulation's Bands, which a caller can change) are
// looked through when the index does not find them where it was.
func (ix *rowIndex) find(sets [][]budget.Row, period, area string, measure Measure, b budget.Basis, fixed bool) (budget.Row, bool) {
	i, ok := ix.lookup(rowSets(sets), period, area, measure, b, fixed)
	if !ok {
		return budget.Row{}, false
	}
	return *rowSets(sets).row(i), true
}

// lookup is find for any rows: the position of the row. The index is
// asked on both bases first, so that a count with no price basis asked on
// cash costs two look-ups, not a pass over every row.
func (ix *rowIndex) lookup(rs rowsOf, period, area string, measure Measure, b budget.Basis, fixed bool) (int, bool) {
	keys := [2]rowKey{{period, area, measure, b.String()}, {period, area, measure, budget.BasisNone}}
	if ix != nil {
		for _, k := range keys {
			if i, ok := ix.at(rs, k); ok && keyOf(*rs.row(i)) == k {
				return i, true
			}
		}
		if fixed {
			return 0, false // rows that never change: the index has every one
		}
	}
	for _, k := range keys {
		for i := range rs.len() {
			if keyOf(*rs.row(i)) == k {
				return i, true
			}
		}
	}
	return 0, false
}

// Band is quantile q (0.1 for P10, one of Settings.Quantiles) of measure m
// for an area in year y on basis b (budget.Cash for the bands' money;
// counts with no price basis are found on either); false if the simulation
// has no such band.
func (s *Simulation) Band(area string, y budget.Year, m Measure, q float64, b budget.Basis) (decimal.Decimal, bool) {
	return s.band(area, y.String(), m, q, b)
}

// WindowBand is quantile q of measure m for an area over window w,
// aggregated as Result.Window aggregates it: the Sum in cash, or the
// PresentValue in year 0's prices. Simulations draw no Past years (they
// are the model's figures for years already allocated), and keep the
// bands of the shift, and of net QALYs, only: false for another, or for
// a band the simulation does not have.
func (s *Simulation) WindowBand(area string, w budget.Span, m Measure, a Aggregate, q float64) (decimal.Decimal, bool) {
	if s == nil {
		return decimal.Decimal{}, false
	}
	span, basis, err := s.periods.of(w, a)
	if err != nil {
		return decimal.Decimal{}, false
	}
	return s.band(area, span.String(), m+"_"+Measure(a.String()), q, basis)
}

func (s *Simulation) band(area, period string, m Measure, q float64, b budget.Basis) (decimal.Decimal, bool) {
	if s == nil {
		return decimal.Decimal{}, false
	}
	row, ok := s.index.find([][]budget.Row{s.Bands}, period, area, m+"_"+Measure(QuantileName(q)), b, false)
	return row.Value, ok
}

// missing says which part of a key the result does not have: the area,
// the period for that area, the measure for both, or the basis.
func (r *Result) missing(rows, sum []budget.Row, area, period string, measure Measure, b budget.Basis) error {
	var areas, periods, windows, bases []string
	hasArea, hasPeriod, hasMeasure := false, false, false
	for _, set := range [][]budget.Row{rows, sum} {
		for _, row := range set {
			if !slices.Contains(areas, row.Area) {
				areas = append(areas, row.Area)
			}
			if row.Area != area {
				continue
			}
			hasArea = true
			if strings.Contains(row.Period, "-") && !slices.Contains(windows, row.Period) {
				windows = append(windows, row.Period)
			}
			if !slices.Contains(periods, row.Period) {
				periods = append(periods, row.Period)
			}
			if row.Period != period {
				continue
			}
			hasPeriod = true
			if row.Measure == measure {
				hasMeasure = true
				bases = append(bases, row.Basis)
			}
		}
	}
	what := fmt.Sprintf("%s of %s in %q on basis %s", measure, clip.Clip(area), period, b)
	var why string
	switch {
	case !hasArea && len(areas) <= 6:
		why = fmt.Sprintf("area %q is not in the result (it has %s)", clip.Clip(area), strings.Join(areas, ", "))
	case !hasArea:
		why = fmt.Sprintf("area %q is not in the result (ICB codes of footprint %s, or ENG; Area finds one by name)", clip.Clip(area), r.Manifest.Footprint)
	case !hasPeriod && strings.Contains(period, "-"):
		why = fmt.Sprintf("%q is not a window of the result's summary (it has %s)", period, strings.Join(windows, ", "))
	case !hasPeriod:
		why = fmt.Sprintf("%q is not a year of the result (%s)", period, r.yearsText())
	case !hasMeasure:
		why = fmt.Sprintf("measure %q is not in the result for %s in %s (window totals and present values are read with Window)", measure, clip.Clip(area), period)
	default:
		why = fmt.Sprintf("not on this basis (it is on %s)", strings.Join(bases, ", "))
	}
	return fmt.Errorf("result %q: %s: %w: %s", r.Scenario.Name, what, budget.ErrNoData, why)
}

func (r *Result) yearsText() string {
	if r.Detail == nil {
		return "none"
	}
	return r.Detail.Years().String()
}

// Area finds an area of the result by its code (any case), "ENG" or
// "England", its whole name (any case), or a part of its name that only one
// area has ("greater manchester", "essex"). A council's result
// (Runner.Council) finds its council too. None is an error wrapping
// budget.ErrUnknown; more than one, dataset.ErrAmbiguous, naming them.
func (r *Result) Area(query string) (dataset.ICB, error) {
	if r == nil || r.Detail == nil {
		return dataset.ICB{}, fmt.Errorf("scenario result: %w: nil", budget.ErrNoData)
	}
	q := strings.ToLower(strings.TrimSpace(query))
	exact := func(areas []dataset.ICB) (dataset.ICB, bool) {
		for _, a := range areas {
			if strings.ToLower(a.Code) == q || strings.ToLower(a.Name) == q {
				return a, true
			}
		}
		return dataset.ICB{}, false
	}
	areas := r.Detail.Areas()
	if a, ok := exact(areas); ok {
		return a, nil // without making the rows
	}
	rows, _, err := r.tables.get()
	if err != nil {
		return dataset.ICB{}, err
	}
	for _, row := range rows { // a council's, beside the ICBs
		if !slices.ContainsFunc(areas, func(a dataset.ICB) bool { return a.Code == row.Area }) {
			areas = append(areas, dataset.ICB{Code: row.Area, Name: row.AreaName})
		}
	}
	if a, ok := exact(areas); ok {
		return a, nil
	}
	var found []dataset.ICB
	var names []string
	for _, a := range areas {
		if q != "" && strings.Contains(strings.ToLower(a.Name), q) {
			found = append(found, a)
			names = append(names, a.Name+" ("+a.Code+")")
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return dataset.ICB{}, fmt.Errorf("result %q: area %q: %w: no area of footprint %s has that code or name", r.Scenario.Name, clip.Clip(query), budget.ErrUnknown, r.Manifest.Footprint)
	}
	if len(names) > 8 {
		names = append(names[:8], fmt.Sprintf("and %d more", len(names)-8))
	}
	return dataset.ICB{}, fmt.Errorf("result %q: area %q: %w: %s", r.Scenario.Name, clip.Clip(query), dataset.ErrAmbiguous, strings.Join(names, ", "))
}

// ReadingShift is an area's shift under one reading of "1 per cent": in
// the scenario's last year and over its shift's window (ShiftWindow), in
// cash, every other assumption the scenario's and nothing drawn.
type ReadingShift struct {
	Reading prevention.Reading
	Last    decimal.Decimal // the shift in the last year, £ cash
	Total   decimal.Decimal // the shift over the shift's window, £ cash
	Own     bool            // the scenario's own reading
}

// Readings runs s under each reading of "1 per cent" at its size, with no
// draws, and gives the area's shift under each (an ICB's code, "ENG", or a
// council's, with council set): how far the reading itself moves the
// figure, which Simulate does not draw.
func (r *Runner) Readings(s Scenario, area string, council *dataset.Council) ([]ReadingShift, error) {
	win := ShiftWindow(s)
	var out []ReadingShift
	for _, rd := range prevention.Readings() {
		x := s
		x.Shift.Reading = rd
		x.Uncertain = nil
		res, err := r.Run(x)
		if err != nil {
			return nil, err
		}
		if council != nil {
			if res, err = r.Council(res, *council); err != nil {
				return nil, err
			}
		}
		one := ReadingShift{Reading: rd, Own: rd == s.Shift.Reading}
		if one.Last, _, err = res.Value(area, s.Horizon, prevention.MeasureShift, budget.Cash()); err != nil {
			return nil, err
		}
		if one.Total, err = res.Window(area, win, prevention.MeasureShift, Sum); err != nil {
			return nil, err
		}
		out = append(out, one)
	}
	return out, nil
}

// AreaName is an area's name in the simulation's bands, or its code if it
// has none there.
func (s *Simulation) AreaName(code string) string {
	if s == nil {
		return code
	}
	for _, r := range s.Bands {
		if r.Area == code {
			return r.AreaName
		}
	}
	return code
}
