package prevention

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
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

// whyNot says why a benchmark that is not a per-person change is not
// computed.
func whyNot(measure string) string {
	switch {
	case strings.Contains(measure, "share_of_NHS_England"):
		return "a share of NHS England's whole budget, which the data does not hold (it holds ICB allocations)"
	case strings.Contains(measure, "nhs_spend"):
		return "NHS spending per person, which the data does not hold (it holds ICB allocations)"
	case strings.Contains(measure, "spend"):
		return "councils' planned spending, not the grant, which the data does not hold"
	}
	return "a total or a claim in its own terms, not a per-person real-terms change in the grant"
}

// ReproduceBenchmarks computes, on d, every benchmark the grant, population
// and deflator answer: the per-person real-terms changes in the grant, and
// (see otherBenchmark) a real-terms change on a named year, a real-terms
// change in £m and the grant per person. Each uses the year's grant as
// first allocated (announced or confirmed: what a publisher had at the
// time), the 2015/16 grant on the scope of later years (£3,460m derived, or
// the initial allocation £3,660m where the benchmark says so; 2014/15 with
// the full-year 0-5 services, £860m, added), ONS resident population, and
// the GDP deflator of OBR March 2025. The others are listed with why not.
func ReproduceBenchmarks(d *dataset.Data, bms []dataset.Benchmark) ([]BenchmarkResult, error) {
	if d == nil {
		return nil, fmt.Errorf("benchmarks: %w: a nil data set", ErrNoData)
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
			v, inputs, ok, err := otherBenchmark(d, defl, b)
			if err != nil {
				return nil, fmt.Errorf("benchmark %s (%s %s): %w", b.Source, b.Period, b.Measure, err)
			}
			if !ok {
				inputs = "not computed: " + whyNot(b.Measure)
			} else {
				r.Library, r.Computed, r.Difference = v, true, v.Sub(b.Value)
			}
			r.Inputs = inputs
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

// otherBenchmark computes the benchmarks that are not per-person changes
// but that the grant, population and deflator answer: a real-terms change
// on a named year ("real_terms_change_vs_2024_25", percent), a real-terms
// change in £m at stated prices ("real_terms_change_total", basis "real
// (2018/19 prices)") and the grant per resident in cash
// ("phg_per_person...", £ per person). ok is false for any other.
func otherBenchmark(d *dataset.Data, defl budget.Deflator, b dataset.Benchmark) (v decimal.Decimal, inputs string, ok bool, err error) {
	f := budget.Formatter{Scale: budget.ScaleMillions}
	realOf := func(y budget.Year) (dataset.GrantFigure, decimal.Decimal, error) {
		g, err := firstAllocation(d.Grant, y)
		if err != nil {
			return g, decimal.Zero, err
		}
		i, _, err := defl.Index(y)
		return g, i, err
	}
	switch {
	case b.Unit == "percent" && strings.HasPrefix(b.Measure, "real_terms_change_vs_"):
		m := yearInName.FindStringSubmatch(b.Measure)
		if m == nil {
			return v, "", false, nil
		}
		base, err := budget.ParseYear(m[1] + "/" + m[2])
		if err != nil {
			return v, "", false, nil
		}
		year, err := budget.ParseYear(b.Period)
		if err != nil {
			return v, "", false, nil
		}
		// The year as first allocated against the base year as it stood
		// then, in-year revisions included (2024/25 £3,660m, not £3,603m:
		// the government's +5.4% cash is on that).
		gb, err := latestAllocation(d.Grant, base)
		if err != nil {
			return v, "", false, err
		}
		ib, _, err := defl.Index(base)
		if err != nil {
			return v, "", false, err
		}
		gy, iy, err := realOf(year)
		if err != nil {
			return v, "", false, err
		}
		if err := nonZero("the public health grant", base, gb.Amount.Decimal()); err != nil {
			return v, "", false, err
		}
		ch := gy.Amount.Decimal().Div(iy).DivRound(gb.Amount.Decimal().Div(ib), budget.WorkingScale).Sub(one)
		return ch.Shift(2).Round(1), fmt.Sprintf("grant %s %s (%s, %s) against %s %s (%s, %s), not per person; GDP deflator %s",
			year, f.Format(gy.Amount), gy.Vintage, gy.Source, base, f.Format(gb.Amount), gb.Vintage, gb.Source, defl.Vintage()), true, nil
	case b.Unit == "GBP_m" && b.Measure == "real_terms_change_total":
		sp, err := budget.ParseSpan(b.Period)
		if err != nil || sp.Len() < 2 {
			return v, "", false, nil
		}
		_, prices, found := strings.Cut(b.Basis, "(")
		prices, _, _ = strings.Cut(prices, " prices")
		at, err := budget.ParseYear(prices)
		if !found || err != nil {
			return v, "", false, nil
		}
		iat, _, err := defl.Index(at)
		if err != nil {
			return v, "", false, err
		}
		gb, ib, err := realOf(sp.First())
		if err != nil {
			return v, "", false, err
		}
		gy, iy, err := realOf(sp.Last())
		if err != nil {
			return v, "", false, err
		}
		from, fromText := gb.Amount, f.Format(gb.Amount)
		if sp.First().Before(budget.MustYear("2015/16")) {
			half, err := d.Grant.Component(budget.MustYear("2015/16"), "transfer_0to5_part_year")
			if err != nil {
				return v, "", false, err
			}
			from = from.Add(half.Amount).Add(half.Amount)
			fromText = fmt.Sprintf("%s with the full-year 0-5 services (2 x %s) added: %s", fromText, f.Format(half.Amount), f.Format(from))
		}
		ch := gy.Amount.Decimal().Mul(iat).Div(iy).Sub(from.Decimal().Mul(iat).Div(ib))
		return ch.Shift(-6).Round(0), fmt.Sprintf("grant %s %s (%s, %s) against %s %s, in %s prices; GDP deflator %s",
			sp.Last(), f.Format(gy.Amount), gy.Vintage, gy.Source, sp.First(), fromText, at, defl.Vintage()), true, nil
	case b.Unit == "GBP_per_person" && strings.HasPrefix(b.Measure, "phg_per_person"):
		year, err := budget.ParseYear(b.Period)
		if err != nil {
			return v, "", false, nil
		}
		g, err := firstAllocation(d.Grant, year)
		if err != nil {
			return v, "", false, err
		}
		p, err := d.Populations.Get(year, "ENG", dataset.Resident)
		if err != nil {
			return v, "", false, err
		}
		if err := nonZero("England's resident population (ENG)", year, p.Value.Decimal()); err != nil {
			return v, "", false, err
		}
		per := g.Amount.Decimal().DivRound(p.Value.Decimal(), 2)
		inputs := fmt.Sprintf("grant %s %s (%s, %s) per ONS resident (%s), cash", year, f.Format(g.Amount), g.Vintage, g.Source,
			budget.Formatter{NoSymbol: true}.Format(budget.MoneyFromDecimal(p.Value.Decimal())))
		if strings.HasSuffix(b.Measure, "upper_bound") {
			verdict := "below it, as stated"
			if per.GreaterThanOrEqual(b.Value) {
				verdict = "not below it"
			}
			inputs += "; the published figure is an upper bound and the library's is " + verdict
		}
		return per, inputs, true, nil
	}
	return v, "", false, nil
}

// yearInName finds a year written in a measure's name: 2024_25.
var yearInName = regexp.MustCompile(`(\d{4})_(\d{2})`)

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
func perPersonChange(d *dataset.Data, defl budget.Deflator, base, year budget.Year, initial bool) (decimal.Decimal, string, error) {
	f := budget.Formatter{Scale: budget.ScaleMillions}
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
	pb, err := d.Populations.Get(base, "ENG", dataset.Resident)
	if err != nil {
		return decimal.Zero, "", err
	}
	py, err := d.Populations.Get(year, "ENG", dataset.Resident)
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
	if err := nonZero("England's resident population (ENG)", base, pb.Value.Decimal()); err != nil {
		return decimal.Zero, "", err
	}
	if err := nonZero("England's resident population (ENG)", year, py.Value.Decimal()); err != nil {
		return decimal.Zero, "", err
	}
	if err := nonZero("the public health grant", base, from.Decimal()); err != nil {
		return decimal.Zero, "", err
	}
	now := first.Amount.Decimal().Div(py.Value.Decimal()).Div(iy)
	then := from.Decimal().Div(pb.Value.Decimal()).Div(ib)
	inputs := fmt.Sprintf("grant %s %s (%s, %s) against %s; ONS resident population %s and %s; GDP deflator %s",
		year, f.Format(first.Amount), first.Vintage, first.Source, fromText, base, year, defl.Vintage())
	return now.DivRound(then, budget.WorkingScale).Sub(one), inputs, nil
}

// nonZero refuses a benchmark's divisor of zero (a user's data, with
// -unreconciled), naming it, rather than dividing by it.
func nonZero(what string, y budget.Year, x decimal.Decimal) error {
	if x.IsZero() {
		return fmt.Errorf("%s in %s is zero, and a benchmark divides by it (a change against it, or a figure per person): %w", what, y, ErrZero)
	}
	return nil
}

// firstAllocation is a year's grant as first allocated: announced or
// confirmed, the earlier vintage.
func firstAllocation(g dataset.Grant, y budget.Year) (dataset.GrantFigure, error) {
	return allocation(g, y, dataset.Confirmed, func(a, b dataset.GrantVintage) bool { return a < b })
}

// latestAllocation is a year's grant as last revised: announced, confirmed
// or revised, the latest vintage.
func latestAllocation(g dataset.Grant, y budget.Year) (dataset.GrantFigure, error) {
	return allocation(g, y, dataset.Revised, func(a, b dataset.GrantVintage) bool { return a > b })
}

// allocation is the year's total of a vintage from announced to last,
// the one better than the others.
func allocation(g dataset.Grant, y budget.Year, last dataset.GrantVintage, better func(a, b dataset.GrantVintage) bool) (dataset.GrantFigure, error) {
	var best dataset.GrantFigure
	found := false
	for f := range g.All() {
		if f.Measure != "total" || f.Span.Len() != 1 || f.Span.First() != y || f.Vintage < dataset.Announced || f.Vintage > last {
			continue
		}
		if !found || better(f.Vintage, best.Vintage) {
			best, found = f, true
		}
	}
	if !found {
		return dataset.GrantFigure{}, fmt.Errorf("no grant allocation for %s: %w", y, ErrNoData)
	}
	return best, nil
}

// PerPersonChange is the change in England's grant per resident in real
// terms from base to year on the inputs ReproduceBenchmarks uses, with the
// 2015/16 base as the initial allocation (initial) or the grant on the
// scope of later years.
func PerPersonChange(d *dataset.Data, base, year budget.Year, initial bool) (decimal.Decimal, error) {
	if d == nil {
		return decimal.Zero, fmt.Errorf("benchmarks: %w: a nil data set", ErrNoData)
	}
	defl, err := d.Deflators.Get("gdp", benchmarkDeflator)
	if err != nil {
		return decimal.Zero, err
	}
	c, _, err := perPersonChange(d, defl, base, year, initial)
	return c, err
}
