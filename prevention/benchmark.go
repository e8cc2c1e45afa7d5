package prevention

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
)

// BenchmarkResult is a published benchmark beside the library's figure for
// it, computed on the inputs it names.
type BenchmarkResult struct {
	ID         string // the benchmark's source ID
	Period     string
	Measure    string
	Published  decimal.Decimal
	Library    decimal.Decimal // in the benchmark's unit; zero where not Computed
	Difference decimal.Decimal // library - published
	Unit       string
	Inputs     string // the grant, deflator and population the library used, or why it computes none
	Computed   bool
}

// benchmarkDeflator is the deflator vintage the library reproduces
// published benchmarks on: the earliest it holds (March 2025), the nearest
// to those publishers' own, which it does not hold.
const benchmarkDeflator = "obr-2025-03"

// ReproduceBenchmarks computes, on d, every benchmark it can: the
// per-person real-terms changes in the grant. Each uses the year's grant as
// first allocated (announced or confirmed: what a publisher had at the
// time), the 2015/16 grant on the scope of later years (£3,460m derived, or
// the initial allocation £3,660m where the benchmark says so; 2014/15 with
// the full-year 0-5 services, £860m, added), ONS resident population, and
// the GDP deflator of OBR March 2025. The others are listed with why not.
func ReproduceBenchmarks(d *budget.Data, bms []budget.Benchmark) ([]BenchmarkResult, error) {
	if d == nil {
		return nil, fmt.Errorf("benchmarks: %w: no data", ErrNoData)
	}
	defl, err := d.Deflators.Get("gdp", benchmarkDeflator)
	if err != nil {
		return nil, fmt.Errorf("benchmarks: %w", err)
	}
	out := make([]BenchmarkResult, len(bms))
	for i, b := range bms {
		r := BenchmarkResult{ID: b.Source, Period: b.Period, Measure: b.Measure, Published: b.Value, Unit: b.Unit}
		perPerson := b.Unit == "percent" && (strings.Contains(b.Measure, "per_person_real_terms") || strings.Contains(b.Measure, "per_capita_real_terms"))
		if !perPerson {
			r.Inputs = "not computed: not a per-person real-terms change in the grant"
			out[i] = r
			continue
		}
		base, year, err := benchmarkYears(b.Period)
		if err != nil {
			r.Inputs = "not computed: " + err.Error()
			out[i] = r
			continue
		}
		change, inputs, err := perPersonChange(d, defl, base, year, strings.Contains(b.Measure, "initial_allocation"))
		if err != nil {
			return nil, fmt.Errorf("benchmark %s (%s %s): %w", b.Source, b.Period, b.Measure, err)
		}
		r.Library, r.Computed, r.Inputs = change.Shift(2).Round(1), true, inputs
		r.Difference = r.Library.Sub(b.Value)
		out[i] = r
	}
	return out, nil
}

// benchmarkYears reads a benchmark's period: "2014/15-2019/20" is a change
// from the first year to the last; a single year is a change from 2015/16.
func benchmarkYears(period string) (base, year budget.Year, err error) {
	if sp, err := budget.ParseSpan(period); err == nil && sp.Len() > 1 {
		return sp.First(), sp.Last(), nil
	}
	y, err := budget.ParseYear(period)
	if err != nil {
		return budget.Year{}, budget.Year{}, fmt.Errorf("the period %q names no year", period)
	}
	return budget.MustYear("2015/16"), y, nil
}

// perPersonChange is the change in the grant per resident in real terms
// from base to year, with a description of its inputs.
func perPersonChange(d *budget.Data, defl budget.Deflator, base, year budget.Year, initial bool) (decimal.Decimal, string, error) {
	f := budget.Formatter{Unit: budget.UnitMillions}
	first, err := firstAllocation(d.Grant, year)
	if err != nil {
		return decimal.Zero, "", err
	}
	var from budget.Money
	var fromText string
	switch {
	case base == budget.MustYear("2015/16") && initial:
		total, err1 := d.Grant.Component(base, "total")
		half, err2 := d.Grant.Component(base, "transfer_0to5_part_year")
		if err1 != nil || err2 != nil {
			return decimal.Zero, "", fmt.Errorf("the 2015/16 initial allocation: %w", ErrNoData)
		}
		from = total.Amount.Add(half.Amount)
		fromText = fmt.Sprintf("2015/16 initial allocation with a full year of 0-5 services %s", f.Format(from))
	case base == budget.MustYear("2015/16"):
		g15, err := DeriveGrant2015(d.Grant)
		if err != nil {
			return decimal.Zero, "", err
		}
		from, fromText = g15.Amount, fmt.Sprintf("2015/16 grant on the scope of later years %s", f.Format(g15.Amount))
	default:
		b, err := firstAllocation(d.Grant, base)
		if err != nil {
			return decimal.Zero, "", err
		}
		half, err := d.Grant.Component(budget.MustYear("2015/16"), "transfer_0to5_part_year")
		if err != nil {
			return decimal.Zero, "", err
		}
		from = b.Amount.Add(half.Amount).Add(half.Amount)
		fromText = fmt.Sprintf("%s %s with the full-year 0-5 services (2 x %s) added: %s", base, f.Format(b.Amount), f.Format(half.Amount), f.Format(from))
	}
	pb, err := d.Populations.Get(base, "ENG", budget.Resident)
	if err != nil {
		return decimal.Zero, "", err
	}
	py, err := d.Populations.Get(year, "ENG", budget.Resident)
	if err != nil {
		return decimal.Zero, "", err
	}
	ib, _, err := defl.Index(base)
	if err != nil {
		return decimal.Zero, "", err
	}
	iy, _, err := defl.Index(year)
	if err != nil {
		return decimal.Zero, "", err
	}
	now := first.Amount.Decimal().Div(py.Value.Decimal()).Div(iy)
	then := from.Decimal().Div(pb.Value.Decimal()).Div(ib)
	inputs := fmt.Sprintf("grant %s %s (%s, %s) against %s; ONS resident population %s and %s; GDP deflator %s",
		year, f.Format(first.Amount), first.Vintage, first.Source, fromText, base, year, defl.Vintage())
	return now.DivRound(then, budget.WorkingScale).Sub(one), inputs, nil
}

// firstAllocation is a year's grant as first allocated: announced or
// confirmed, the earlier vintage.
func firstAllocation(g budget.Grant, y budget.Year) (budget.GrantFigure, error) {
	var best budget.GrantFigure
	found := false
	for _, f := range g.Figures() {
		if f.Measure != "total" || f.Span.Len() != 1 || f.Span.First() != y || (f.Vintage != budget.Announced && f.Vintage != budget.Confirmed) {
			continue
		}
		if !found || f.Vintage < best.Vintage {
			best, found = f, true
		}
	}
	if !found {
		return budget.GrantFigure{}, fmt.Errorf("no grant allocation for %s: %w", y, ErrNoData)
	}
	return best, nil
}

// PerPersonChange is the change in England's grant per resident in real
// terms from base to year on the inputs ReproduceBenchmarks uses, with the
// 2015/16 base as the initial allocation (initial) or the grant on the
// scope of later years.
func PerPersonChange(d *budget.Data, base, year budget.Year, initial bool) (decimal.Decimal, error) {
	if d == nil {
		return decimal.Zero, fmt.Errorf("benchmarks: %w: no data", ErrNoData)
	}
	defl, err := d.Deflators.Get("gdp", benchmarkDeflator)
	if err != nil {
		return decimal.Zero, err
	}
	c, _, err := perPersonChange(d, defl, base, year, initial)
	return c, err
}
