package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// ComparisonChart is each scenario's prevention shift (solid) and public
// health grant (dashed) by year for an area (an ICB's code, a council's
// for council results, or "ENG"), projected years shaded; scenarios with
// the same line share it and are named together. It is examples/compare's
// chart (deliver.Draw draws it).
func ComparisonChart(rs []*scenario.Result, area string) (Chart, error) {
	span, err := comparedYears(rs)
	if err != nil {
		return Chart{}, err
	}
	var years []string
	projected := -1
	for i, y := range span.Years() {
		years = append(years, y.String())
		if projected < 0 && rs[0].Manifest.Published != "" && y.String() > rs[0].Manifest.Published {
			projected = i
		}
	}
	name := "England"
	// The shift and the grant apart, each scenario's in its colour;
	// scenarios with the same line share it, named together.
	type line struct {
		names  []string
		values []float64
		colour int
	}
	group := func(lines []line, n string, vs []float64, colour int) []line {
		for i := range lines {
			if slices.Equal(lines[i].values, vs) {
				lines[i].names = append(lines[i].names, n)
				return lines
			}
		}
		return append(lines, line{[]string{n}, vs, colour})
	}
	var shifts, grants []line
	if area != "ENG" {
		a, err := rs[0].Area(area)
		if err != nil {
			return Chart{}, err
		}
		name = a.Name
	}
	for i, r := range rs {
		// A year a result lacks is drawn at zero.
		at := func(y budget.Year, m budget.Measure) float64 {
			v, _, _ := r.Value(area, y, m, budget.Cash())
			return v.Shift(-6).InexactFloat64()
		}
		var sv, gv []float64
		for _, y := range span.Years() {
			sv, gv = append(sv, at(y, prevention.MeasureShift)), append(gv, at(y, prevention.MeasureGrant))
		}
		shifts, grants = group(shifts, r.Scenario.Name, sv, i+1), group(grants, r.Scenario.Name, gv, i+1)
	}
	label := func(names []string) string {
		if len(names) > 3 {
			return fmt.Sprintf("%s, %s and %d more", names[0], names[1], len(names)-2)
		}
		return strings.Join(names, ", ")
	}
	var series []Series
	for _, l := range shifts {
		series = append(series, Series{Name: "shift: " + label(l.names), Values: l.values, Colour: l.colour})
	}
	for _, l := range grants {
		series = append(series, Series{Name: "grant: " + label(l.names), Values: l.values, Colour: l.colour, Dashed: true})
	}
	return Chart{Title: name + ": the prevention shift (solid) and the public health grant (dashed), by scenario", YLabel: "£m, cash", Years: years,
		Series: series, FirstProjected: projected, Footnote: "Sources: NHS England ICB allocations; DHSC public health grant; Hewitt Review (2023)"}, nil
}

// Comparison is the deliverable of scenarios compared with a base for an
// area (an ICB's code, a council's for council results, or "ENG"): each
// scenario's shift and grant by year with their window totals and present
// values, what each changes against the base, and the comparisons' tidy
// rows (scenario.WriteComparisons). It is what examples/compare -out
// writes; deliver.Write writes it.
func Comparison(d *dataset.Data, rs []*scenario.Result, base *scenario.Result, comps []*scenario.Comparison, area string) (Deliverable, error) {
	if d == nil || base == nil || len(rs) == 0 || slices.Contains(rs, nil) {
		return Deliverable{}, fmt.Errorf("report: %w: a comparison needs the data, its results and the base", budget.ErrNoData)
	}
	span, err := comparedYears(append([]*scenario.Result{base}, rs...))
	if err != nil {
		return Deliverable{}, err
	}
	h := base.Scenario.Horizon
	years := span.Years()
	windows := scenario.Windows(h)
	name := "England"
	if area != "ENG" {
		a, err := base.Area(area)
		if err != nil {
			return Deliverable{}, err
		}
		name = a.Name
	}
	// A figure a result lacks (a year before its first) is left blank.
	millions := func(v decimal.Decimal, err error) float64 {
		if err != nil {
			return math.NaN()
		}
		return v.Shift(-6).InexactFloat64()
	}
	pvBase, _, err := base.Manifest.PresentValues()
	if err != nil {
		return Deliverable{}, err
	}
	chart, err := ComparisonChart(rs, area)
	if err != nil {
		return Deliverable{}, err
	}
	dv := Deliverable{Program: "compare", DataHeader: scenario.CompareColumns(), NumberCols: []int{5, 10, 11},
		Sources: d.Sources.List(), Chart: chart}
	for _, y := range years {
		label := y.String()
		if y.String() > base.Manifest.Published {
			label += "*"
		}
		dv.Columns = append(dv.Columns, label)
	}
	for _, w := range windows {
		_, _, disc, _ := scenario.Schedule{Base: pvBase}.Split(w)
		dv.Columns = append(dv.Columns, "total "+w.String(), "PV "+disc.String())
	}
	for _, pair := range []struct {
		measure budget.Measure
		title   string
	}{{prevention.MeasureShift, "prevention shift"}, {prevention.MeasureGrant, "public health grant"}} {
		for _, r := range rs {
			line := Line{Label: r.Scenario.Name + ": " + pair.title, Unit: "£m"}
			for _, y := range years {
				v, _, err := r.Value(area, y, pair.measure, budget.Cash())
				line.Values = append(line.Values, millions(v, err))
			}
			for _, w := range windows {
				line.Values = append(line.Values, millions(r.Window(area, w, pair.measure, scenario.Sum)), millions(r.Window(area, w, pair.measure, scenario.PresentValue)))
			}
			dv.Lines = append(dv.Lines, line)
		}
	}
	dv.Title = name + ": scenarios compared with " + base.Scenario.Name
	dv.Subtitle = fmt.Sprintf("%s to %s; £m cash; years marked * are projected; PV: present value from year 0, %s, in its prices, at the Green Book's rate (earlier years are given as they are, not discounted).",
		years[0], h, base.Manifest.PresentValueBase)
	switch {
	case !slices.ContainsFunc(rs, func(r *scenario.Result) bool { return r.Scenario.Name == scenario.Hewitt }):
		dv.Headline = fmt.Sprintf("%d scenarios compared with %s in %s, %s to %s.", len(rs), base.Scenario.Name, name, years[0], h)
	case len(windows) > 0:
		w0 := windows[0]
		dv.Headline = fmt.Sprintf("Over %s the hewitt reading moves %s in cash from treatment to prevention in %s.", w0,
			Format(getNamed(rs, scenario.Hewitt, func(r *scenario.Result) float64 {
				return millions(r.Window(area, w0, prevention.MeasureShift, scenario.Sum))
			}), "£m"), name)
	default: // a horizon before the first window ends: the last year instead
		dv.Headline = fmt.Sprintf("In %s the hewitt reading moves %s in cash from treatment to prevention in %s.", h,
			Format(getNamed(rs, scenario.Hewitt, func(r *scenario.Result) float64 {
				v, _, err := r.Value(area, h, prevention.MeasureShift, budget.Cash())
				return millions(v, err)
			}), "£m"), name)
	}
	dv.Notes = []string{
		"Each scenario changes the assumptions listed under Assumptions (a sheet of the workbook, a table of the report) against " + base.Scenario.Name + "; the rest are the same.",
		"A shift within the envelope is a transfer from treatment to prevention: as money it is worth nothing of itself under the Green Book; the PV measures the flow, and what it buys in health (hewitt -benefits qalys) creates value.",
		"The public health grant is what councils get, consolidated from 2026/27; an ICB's part is a method, not a published allocation.",
		"Years after 2025/26 are projected under the stated settlement.",
		"The chart draws each scenario's shift (solid) and grant (dashed) apart; scenarios with the same line share it and are named together.",
	}
	for _, r := range rs {
		text := "the base"
		if r != base {
			var parts []string
			for _, c := range scenario.AssumptionChanges(base.Scenario, r.Scenario) {
				parts = append(parts, c.Key+": "+c.Old+" -> "+c.New)
			}
			text = strings.Join(parts, "; ")
			if text == "" {
				text = "no assumption differs from the base"
			}
		}
		dv.Assumptions = append(dv.Assumptions, Assumption{Name: r.Scenario.Name, Value: r.Scenario.Description + ": " + text, Source: r.Scenario.Source})
	}
	var buf bytes.Buffer
	if err := scenario.WriteComparisons(&buf, comps); err != nil {
		return Deliverable{}, err
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		return Deliverable{}, err
	}
	if len(recs) > 0 {
		dv.Data = recs[1:]
	}
	m := base.Manifest
	dv.Manifest = [][2]string{{"library", m.Library}, {"base scenario", m.Scenario}, {"data", m.Data}, {"parameters", m.Parameters},
		{"settlement", m.Settlement}, {"allocation basis", m.AllocationBasis}, {"footprint", m.Footprint}, {"deflator", m.Deflator},
		{"published to", m.Published}, {"prices", m.Prices}, {"present value year 0", m.PresentValueBase}, {"area", area + " " + name}}
	return dv, nil
}

// getNamed is f of the result of the scenario called name (NaN if none).
func getNamed(rs []*scenario.Result, name string, f func(*scenario.Result) float64) float64 {
	for _, r := range rs {
		if r.Scenario.Name == name {
			return f(r)
		}
	}
	return math.NaN()
}

// comparedYears is 2023/24 to the results' horizon, which they share; an
// empty list, a nil result or a result without a horizon is an error.
func comparedYears(rs []*scenario.Result) (budget.Span, error) {
	if len(rs) == 0 || slices.Contains(rs, nil) {
		return budget.Span{}, fmt.Errorf("report: %w: no results to compare", budget.ErrNoData)
	}
	h := rs[0].Scenario.Horizon
	for _, r := range rs {
		if r.Scenario.Horizon != h {
			return budget.Span{}, fmt.Errorf("report: %w: scenario %q runs to %s and %q to %s: compare results of one horizon", budget.ErrSpanMismatch, rs[0].Scenario.Name, h, r.Scenario.Name, r.Scenario.Horizon)
		}
	}
	span, err := budget.NewSpan(budget.MustYear("2023/24"), h)
	if err != nil {
		return budget.Span{}, fmt.Errorf("report: scenario %q: horizon %q: %w", rs[0].Scenario.Name, h, err)
	}
	return span, nil
}
