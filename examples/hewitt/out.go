package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/deliver"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// summaryLine is one line of the summary table a director reads.
type summaryLine struct {
	Label   string
	Measure string
	Unit    string // "£m", "%"
}

// summaryLines are the lines of the Summary sheet and summary.csv, cash,
// for an area: England's grant is what councils get, an ICB's is its part,
// named for how it was set.
func summaryLines(includesCouncil bool, area string, r *prevention.Result) []summaryLine {
	grant := "Public health grant as councils get it"
	if area != "ENG" {
		grant = "Public health grant, the ICB's part (apportioned by registered population)"
		if v, err := r.Values(area, r.Years().Last()); err == nil {
			switch {
			case v.GrantFromCouncils:
				grant = "Public health grant, the ICB's part (its councils' allocations)"
			case v.GrantPublishedShare:
				grant = "Public health grant, the ICB's part (its councils' published share)"
			}
		}
	}
	out := []summaryLine{
		{"Budget base (ICB allocations, like for like)", prevention.MeasureBudget, "£m"},
		{"Prevention share assumed", prevention.MeasureShare, "%"},
		{"Prevention at the assumed share", prevention.MeasurePrevention, "£m"},
		{"Prevention with no shift (counterfactual)", prevention.MeasureCounterfactual, "£m"},
		{"The shift: prevention above the counterfactual", prevention.MeasureShift, "£m"},
		{"The shift on the low settlement (sr2025-low)", scenario.MeasureShiftLow, "£m"},
		{"The shift on the high settlement (sr2025-high)", scenario.MeasureShiftHigh, "£m"},
		{"Treatment spending", prevention.MeasureTreatment, "£m"},
		{grant, prevention.MeasureGrant, "£m"},
		{"Shift as a share of the grant", prevention.MeasureShiftToGrant, "%"},
	}
	if !includesCouncil {
		out = append(out, summaryLine{"Prevention and the grant together", prevention.MeasureCombined, "£m"})
	}
	return out
}

// deliverables writes the folder an analyst takes to their director (see
// package deliver), for the ICB asked for or England.
func deliverables(dir string, c config, r *prevention.Result, rows []budget.Row, goal *goalAnswer) error {
	area := c.chartArea()
	name := "England"
	for _, a := range r.Areas() {
		if a.Code == area && area != "ENG" {
			name = a.Name
		}
	}
	years := r.Years().Years()
	ix := map[string]budget.Row{}
	for _, row := range rows {
		ix[row.Area+"|"+row.Period+"|"+row.Measure+"|"+row.Basis] = row
	}
	value := func(l summaryLine, y budget.Year) float64 {
		row, ok := ix[area+"|"+y.String()+"|"+l.Measure+"|cash"]
		if !ok {
			return math.NaN()
		}
		v := row.Value
		switch l.Unit {
		case "£m":
			v = v.Shift(-6)
		case "%":
			v = v.Shift(2)
		}
		return v.InexactFloat64()
	}
	d := deliver.Deliverable{
		Program: "hewitt",
		Title:   fmt.Sprintf("%s: the Hewitt prevention shift", name),
		Subtitle: fmt.Sprintf("%s (%s). Scenario %s: %s reading, +%s, baseline share %s (%s), %s; £m cash; years marked * are projected.",
			name, area, c.sc.Name, c.model.Shift.Reading, shiftSize(c.model.Shift), budget.FormatShare(c.model.Baseline.Share, 2), c.model.Baseline.Name, r.Years()),
		Notes: []string{
			"The budget base is the ICB's allocations for core services, primary medical care and pharmacy, optometry and dental, each year on its latest restated basis, on the ICBs of April 2026 unless stated.",
			"\"Prevention at the assumed share\" is a notional share of that budget, not measured spending: no official figure exists. The shift, prevention above what the share would have been, does not depend on it under the points and per-year readings.",
			"Within the envelope the shift is a transfer from treatment to prevention: it creates no value by itself under the Green Book, and treatment spending falls by it.",
			grantNote(r, area),
			"Years after 2025/26 are projected under the stated settlement; they are not NHS England's allocations for the ICB.",
		},
		DataHeader: budget.RowColumns(),
		NumberCols: []int{5},
		Sources:    c.runner.Data().Sources.List(),
		Chart:      func(file string) error { return drawAreaChart(c, r, area, file) },
	}
	for _, y := range years {
		label := y.String()
		if y.After(c.inputs.Projection.LastPublished()) {
			label += "*"
		}
		d.Columns = append(d.Columns, label)
	}
	for _, l := range summaryLines(c.model.Baseline.IncludesCouncil, area, r) {
		line := deliver.Line{Label: l.Label, Unit: l.Unit}
		for _, y := range years {
			line.Values = append(line.Values, value(l, y))
		}
		d.Lines = append(d.Lines, line)
	}
	last := years[len(years)-1]
	d.Headline = fmt.Sprintf("By %s the shift moves %s a year from treatment to prevention in %s, %s of a public health grant of %s.",
		last, deliver.Format(value(summaryLine{Measure: prevention.MeasureShift, Unit: "£m"}, last), "£m"), name,
		deliver.Format(value(summaryLine{Measure: prevention.MeasureShiftToGrant, Unit: "%"}, last), "%"),
		deliver.Format(value(summaryLine{Measure: prevention.MeasureGrant, Unit: "£m"}, last), "£m"))
	if goal != nil {
		d.Notes = append(d.Notes, goal.text(c.model.Shift.Reading))
	}
	for _, a := range assumptions(c, r) {
		d.Assumptions = append(d.Assumptions, deliver.Assumption{Name: a.Name, Value: a.Value, Source: a.Source})
	}
	for _, row := range rows {
		d.Data = append(d.Data, row.Record())
	}
	res, err := c.runner.Run(c.sc)
	if err != nil {
		return err
	}
	m := res.Manifest
	d.Manifest = [][2]string{{"library", m.Library}, {"scenario", m.Scenario}, {"scenario hash", m.ScenarioHash}, {"data", m.Data},
		{"parameters", m.Parameters}, {"settlement", m.Settlement}, {"allocation basis", m.AllocationBasis}, {"footprint", m.Footprint},
		{"deflator", m.Deflator}, {"published to", m.Published}, {"projected years", m.Projected}, {"prices", m.Prices},
		{"present value year 0", m.PresentValueBase}, {"area", area + " " + name}}
	return deliver.Write(dir, d)
}

// shiftSize is a shift's size with its unit: "1 pp", "1 pp a year", "1% of
// the share", "1% of the share a year".
func shiftSize(sh prevention.Shift) string { return withUnit(sh.Size.String(), shiftUnit(sh.Reading)) }

// withUnit writes a size and its unit: "1 pp", "1% of the share".
func withUnit(size, unit string) string {
	if strings.HasPrefix(unit, "%") {
		return size + unit
	}
	return size + " " + unit
}

// shiftUnit is the unit of a reading's size.
func shiftUnit(r prevention.Reading) string {
	switch r {
	case prevention.PerYear:
		return "pp a year"
	case prevention.Relative:
		return "% of the share"
	case prevention.RelativePerYear:
		return "% of the share a year"
	}
	return "pp"
}

// grantNote says what the area's grant is.
func grantNote(r *prevention.Result, area string) string {
	if area == "ENG" {
		return "The public health grant is what councils get (consolidated from 2026/27); each ICB's part: " + r.GrantApportionment + "."
	}
	return "The public health grant is what councils get (consolidated from 2026/27); the ICB's part: " + r.GrantMethod(area, r.Years().Last()) + "."
}
