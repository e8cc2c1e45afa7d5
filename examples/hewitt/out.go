package main

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

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
	Real    bool   // in real terms at the run's base-year prices, not cash
	England bool   // England's figure, beside the area's
}

// summaryLines are the lines of the Summary sheet and summary.csv, cash,
// for an area: England's grant is what councils get, an ICB's is its part,
// named for how it was set.
func summaryLines(includesCouncil bool, area string, r *prevention.Result, view *prevention.CouncilView) []summaryLine {
	grant := "Public health grant as councils get it"
	budgetLine := "Budget base (ICB allocations, like for like)"
	switch {
	case view != nil:
		var how []string
		for _, cv := range view.Values {
			if h := cv.GrantSource.String(); !slices.Contains(how, h) {
				how = append(how, h)
			}
		}
		grant = "Public health grant, the council's own (" + strings.Join(how, ", then ") + ")"
		budgetLine = "NHS budget base: its part of its ICBs' budgets, by registered patients"
	case area != "ENG":
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
		{Label: budgetLine, Measure: prevention.MeasureBudget, Unit: "£m"},
		{Label: "Prevention share assumed", Measure: prevention.MeasureShare, Unit: "%"},
		{Label: "Prevention at the assumed share", Measure: prevention.MeasurePrevention, Unit: "£m"},
		{Label: "Prevention with no shift (counterfactual)", Measure: prevention.MeasureCounterfactual, Unit: "£m"},
		{Label: "The shift: prevention above the counterfactual", Measure: prevention.MeasureShift, Unit: "£m"},
		{Label: "The shift on the low settlement (sr2025-low)", Measure: scenario.MeasureShiftLow, Unit: "£m"},
		{Label: "The shift on the high settlement (sr2025-high)", Measure: scenario.MeasureShiftHigh, Unit: "£m"},
		{Label: "Treatment spending", Measure: prevention.MeasureTreatment, Unit: "£m"},
		{Label: grant, Measure: prevention.MeasureGrant, Unit: "£m"},
		{Label: "Shift as a share of the grant", Measure: prevention.MeasureShiftToGrant, Unit: "%"},
	}
	if !includesCouncil {
		out = append(out, summaryLine{Label: "Prevention and the grant together", Measure: prevention.MeasureCombined, Unit: "£m"})
	}
	if r.Model.QALYs != nil {
		out = append(out,
			summaryLine{Label: "QALYs gained by the shift (public health cost per QALY)", Measure: prevention.MeasureQALYsGained, Unit: "QALYs"},
			summaryLine{Label: "QALYs forgone in treatment (NHS cost per QALY)", Measure: prevention.MeasureQALYsForgone, Unit: "QALYs"},
			summaryLine{Label: "QALYs net", Measure: prevention.MeasureQALYsNet, Unit: "QALYs"},
			summaryLine{Label: "Value of the net QALYs (Green Book value of a QALY)", Measure: prevention.MeasureQALYValue, Unit: "£m"})
	}
	prices := r.Model.RealBase.String() + " prices"
	out = append(out,
		summaryLine{Label: "The shift, real terms (" + prices + ")", Measure: prevention.MeasureShift, Unit: "£m", Real: true},
		summaryLine{Label: "Public health grant, real terms (" + prices + ")", Measure: prevention.MeasureGrant, Unit: "£m", Real: true})
	if area != "ENG" {
		out = append(out,
			summaryLine{Label: "England: the shift", Measure: prevention.MeasureShift, Unit: "£m", England: true},
			summaryLine{Label: "England: public health grant as councils get it", Measure: prevention.MeasureGrant, Unit: "£m", England: true},
			summaryLine{Label: "England: shift as a share of the grant", Measure: prevention.MeasureShiftToGrant, Unit: "%", England: true})
	}
	return out
}

// deliverables writes the folder an analyst takes to their director (see
// package deliver), for the ICB asked for or England.
func deliverables(dir string, c config, r *prevention.Result, view *prevention.CouncilView, rows []budget.Row, goal *goalAnswer) error {
	area := c.chartArea()
	name := "England"
	for _, row := range rows {
		if row.Area == area && area != "ENG" {
			name = row.AreaName
			break
		}
	}
	years := r.Years().Years()
	ix := map[string]budget.Row{}
	for _, row := range rows {
		ix[row.Area+"|"+row.Period+"|"+row.Measure+"|"+row.Basis] = row
	}
	realBasis := c.model.Deflator.Basis(c.model.RealBase).String()
	value := func(l summaryLine, y budget.Year) float64 {
		a, basis := area, "cash"
		if l.England {
			a = "ENG"
		}
		if l.Real {
			basis = realBasis
		}
		if l.Unit == "QALYs" {
			basis = "none"
		}
		row, ok := ix[a+"|"+y.String()+"|"+l.Measure+"|"+basis]
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
		Title:   whatIf(c) + fmt.Sprintf("%s: the Hewitt prevention shift", name),
		Subtitle: fmt.Sprintf("%s (%s). Scenario %s: %s reading, +%s, baseline share %s (%s), %s; £m cash; years marked * are projected.",
			name, area, c.sc.Name, c.model.Shift.Reading, shiftSize(c.model.Shift), budget.FormatShare(c.model.Baseline.Share, 2), c.model.Baseline.Name, r.Years()),
		Notes: []string{
			"The budget base is the ICB's allocations for core services, primary medical care and pharmacy, optometry and dental, each year on its latest restated basis, on the ICBs of April 2026 unless stated.",
			"\"Prevention at the assumed share\" is a notional share of that budget, not measured spending: no official figure exists. The shift, prevention above what the share would have been, does not depend on it under the points and per-year readings.",
			"Within the envelope the shift is a transfer from treatment to prevention: it creates no value by itself under the Green Book, and treatment spending falls by it.",
			grantNote(r, view, area),
			"Years after 2025/26 are projected under the stated settlement; they are not NHS England's allocations.",
		},
		DataHeader: budget.RowColumns(),
		NumberCols: []int{5},
		Sources:    c.runner.Data().Sources.List(),
		Chart:      func(file string) error { return drawAreaChart(c, r, rows, area, file) },
		Footer:     fmt.Sprintf("%s (%s), scenario %s: the Hewitt prevention shift", name, area, c.sc.Name),
	}
	for _, y := range years {
		label := y.String()
		if y.After(c.inputs.Projection.LastPublished()) {
			label += "*"
		}
		d.Columns = append(d.Columns, label)
	}
	// A total over the shift's years for money; none for shares.
	span := c.model.Shift.Span
	totalLabel := fmt.Sprintf("total %s", span)
	if span.Last().After(c.inputs.Projection.LastPublished()) {
		totalLabel += "*" // it adds projected years
	}
	d.Columns = append(d.Columns, totalLabel)
	for _, l := range summaryLines(c.model.Baseline.IncludesCouncil, area, r, view) {
		line := deliver.Line{Label: l.Label, Unit: l.Unit}
		total := 0.0
		for _, y := range years {
			v := value(l, y)
			line.Values = append(line.Values, v)
			if span.Contains(y) {
				total += v // NaN where a year has no figure: no total
			}
		}
		if l.Unit != "£m" && l.Unit != "QALYs" {
			total = math.NaN()
		}
		line.Values = append(line.Values, total)
		d.Lines = append(d.Lines, line)
	}
	last := years[len(years)-1]
	shift := deliver.Format(value(summaryLine{Measure: prevention.MeasureShift, Unit: "£m"}, last), "£m")
	ratio := fmt.Sprintf("%.0f%%", value(summaryLine{Measure: prevention.MeasureShiftToGrant, Unit: "%"}, last))
	grantText := deliver.Format(value(summaryLine{Measure: prevention.MeasureGrant, Unit: "£m"}, last), "£m")
	d.Headline = fmt.Sprintf("By %s the shift moves %s a year from treatment to prevention in %s, %s of a public health grant of %s.",
		last, shift, name, ratio, grantText)
	if view != nil {
		d.Headline = fmt.Sprintf("By %s the shift moves %s a year from treatment to prevention in the NHS for %s's patients (its part of its ICBs' shift, by registered patients), %s of its own public health grant of %s (%s in %s).",
			last, shift, name, ratio, grantText, view.Values[len(view.Values)-1].GrantSource, last)
	}
	if goal != nil {
		d.Notes = append(d.Notes, goal.text(c.model.Shift.Reading))
	}
	if c.model.QALYs != nil {
		get := func(a, year, measure, basis string) (budget.Row, bool) {
			row, ok := ix[a+"|"+year+"|"+measure+"|"+basis]
			return row, ok
		}
		if sentence := qalySentence(c, get, area); sentence != "" {
			d.Headline += " " + sentence
		}
		d.Notes = append(d.Notes, "QALYs: Martin, Lomas and Claxton (BMJ Open 2020) estimate a QALY costs about £3,800 at the margin of the public health grant and £13,500 of NHS spending (2013/14); applying the first to NHS prevention spending assumes it buys health as council public health does at the margin, which the paper did not measure. The value of a QALY is the Green Book's, £70,000 in 2020/21 prices; its present value is discounted at the Green Book's 1.5% for health.")
	}
	for _, a := range assumptions(c, r, view) {
		d.Assumptions = append(d.Assumptions, deliver.Assumption{Name: a.Name, Value: a.Value, Source: a.Source})
	}
	for _, row := range rows {
		d.Data = append(d.Data, row.Record())
	}
	all, err := allICBs(c, r)
	if err != nil {
		return err
	}
	d.Sheets = append(d.Sheets, all)
	m := c.manifest
	d.Manifest = [][2]string{{"library", m.Library}, {"scenario", m.Scenario}, {"scenario hash", m.ScenarioHash}, {"data", m.Data},
		{"parameters", m.Parameters}, {"settlement", m.Settlement}, {"allocation basis", m.AllocationBasis}, {"footprint", m.Footprint},
		{"deflator", m.Deflator}, {"published to", m.Published}, {"projected years", m.Projected}, {"prices", m.Prices},
		{"present value year 0", m.PresentValueBase}, {"area", area + " " + name}}
	if m.Councils != "" {
		d.Manifest = append(d.Manifest, [2]string{"councils", m.Councils})
	}
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
func grantNote(r *prevention.Result, view *prevention.CouncilView, area string) string {
	if view != nil {
		return "The council's public health grant: " + grantYears(view) + ". Its NHS figures are " + prevention.AttributionMethod + "."
	}
	if area == "ENG" {
		return "The public health grant is what councils get (consolidated from 2026/27); each ICB's part: " + r.GrantApportionment + "."
	}
	return "The public health grant is what councils get (consolidated from 2026/27); the ICB's part: " + r.GrantMethod(area, r.Years().Last()) + "."
}

// allICBs is every ICB and England in one table: in the last year, the
// budget base, the shift in cash and real terms, the grant and their
// ratio, per registered patient, and the shift over the shift's years;
// with how each ICB's grant was set.
func allICBs(c config, r *prevention.Result) (deliver.Sheet, error) {
	rows, err := r.Rows(c.scenario, nil)
	if err != nil {
		return deliver.Sheet{}, err
	}
	last := r.Years().Last()
	span := c.model.Shift.Span
	realBasis := c.model.Deflator.Basis(c.model.RealBase).String()
	type key struct{ area, period, measure, basis string }
	ix := map[key]budget.Row{}
	for _, row := range rows {
		ix[key{row.Area, row.Period, row.Measure, row.Basis}] = row
	}
	m := func(area, measure, basis string) string {
		row, ok := ix[key{area, last.String(), measure, basis}]
		if !ok {
			return ""
		}
		return row.Value.Shift(-6).StringFixed(2)
	}
	sh := deliver.Sheet{Name: "All ICBs", Header: []string{"code", "name",
		"budget " + last.String() + " (£m)", "shift " + last.String() + " (£m)", "shift " + last.String() + " (£m, " + c.model.RealBase.String() + " prices)",
		"shift " + span.String() + " (£m)", "grant " + last.String() + " (£m)", "shift / grant", "shift per registered patient (£)",
		"grant per registered patient (£)", "how the grant is set"}, NumberCols: []int{2, 3, 4, 5, 6, 7, 8, 9}}
	for _, a := range r.Areas() {
		total := decimal.Zero
		for _, y := range span.Years() {
			total = total.Add(ix[key{a.Code, y.String(), prevention.MeasureShift, "cash"}].Value)
		}
		v, err := r.Values(a.Code, last)
		if err != nil {
			return deliver.Sheet{}, err
		}
		ratio := ix[key{a.Code, last.String(), prevention.MeasureShiftToGrant, "cash"}].Value.StringFixed(4)
		perHead := "" // the shift per registered patient
		if !v.Registered.IsZero() {
			perHead = v.Shift.Decimal().DivRound(v.Registered.Decimal(), 4).StringFixed(2)
		}
		gph := ix[key{a.Code, last.String(), prevention.MeasureGrantPerRegistered, "cash"}].Value.StringFixed(2)
		sh.Rows = append(sh.Rows, []string{a.Code, a.Name, m(a.Code, prevention.MeasureBudget, "cash"), m(a.Code, prevention.MeasureShift, "cash"),
			m(a.Code, prevention.MeasureShift, realBasis), total.Shift(-6).StringFixed(2), m(a.Code, prevention.MeasureGrant, "cash"), ratio, perHead, gph,
			r.GrantMethod(a.Code, last)})
	}
	return sh, nil
}

// whatIf is "What-if: " for a run on unreconciled council allocations.
func whatIf(c config) string {
	if c.sc.Councils != nil && c.sc.Councils.Unreconciled {
		return "What-if (unreconciled council allocations): "
	}
	return ""
}
