package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// Bands is the deliverable of a simulation for an area (an ICB's code, a
// council's of Settings.Councils, or "ENG"): the shift's P10, P50 and P90
// and the grant by year, the fan chart, the distributions drawn, beside
// the shift under each reading of "1 per cent" (Runner.Readings, not
// drawn), the tornado, and, with qsim (a simulation of the net QALYs), its
// tornado too. It is what examples/uncertainty -out writes; deliver.Write
// writes it.
func Bands(d *dataset.Data, sim *scenario.Simulation, area string, rds []scenario.ReadingShift, qsim *scenario.Simulation) (Deliverable, error) {
	if d == nil || sim == nil || len(rds) == 0 {
		return Deliverable{}, fmt.Errorf("report: %w: bands need the data, the simulation and the readings", budget.ErrNoData)
	}
	if err := hasBands(sim, area); err != nil {
		return Deliverable{}, err
	}
	s := sim.Scenario
	years := s.Years()
	name := sim.AreaName(area)
	fan, err := FanChart(sim, area)
	if err != nil {
		return Deliverable{}, err
	}
	dv := Deliverable{Program: "uncertainty", DataHeader: budget.RowColumns(), NumberCols: []int{5}, Sources: d.Sources.List(), Chart: fan}
	for _, y := range years {
		label := y.String()
		if y.String() > sim.Manifest.Published {
			label += "*"
		}
		dv.Columns = append(dv.Columns, label)
	}
	for _, l := range []struct {
		label   string
		measure scenario.Measure
		q       float64
		unit    string
	}{
		{"The shift, P10", prevention.MeasureShift, 0.1, "£m"}, {"The shift, P50", prevention.MeasureShift, 0.5, "£m"}, {"The shift, P90", prevention.MeasureShift, 0.9, "£m"},
		{"Public health grant, P50", prevention.MeasureGrant, 0.5, "£m"},
		{"Shift / grant, P10", prevention.MeasureShiftToGrant, 0.1, "ratio"}, {"Shift / grant, P50", prevention.MeasureShiftToGrant, 0.5, "ratio"},
		{"Shift / grant, P90", prevention.MeasureShiftToGrant, 0.9, "ratio"},
	} {
		line := Line{Label: l.label, Unit: l.unit}
		for _, y := range years {
			v, ok := sim.Band(area, y, l.measure, l.q, budget.Cash())
			if !ok {
				line.Values = append(line.Values, math.NaN())
				continue
			}
			if l.unit == "£m" {
				v = v.Shift(-6)
			}
			line.Values = append(line.Values, v.InexactFloat64())
		}
		dv.Lines = append(dv.Lines, line)
	}
	if s.QALYs != nil {
		for _, l := range []struct {
			label string
			q     float64
		}{{"QALYs net, P10", 0.1}, {"QALYs net, P50", 0.5}, {"QALYs net, P90", 0.9}} {
			line := Line{Label: l.label, Unit: "QALYs"}
			for _, y := range years {
				v, ok := sim.Band(area, y, prevention.MeasureQALYsNet, l.q, budget.Cash())
				if !ok {
					line.Values = append(line.Values, math.NaN())
					continue
				}
				line.Values = append(line.Values, v.InexactFloat64())
			}
			dv.Lines = append(dv.Lines, line)
		}
	}
	// Beside the bands, what they do not cover: the reading of "1%", and
	// what moves them most.
	rsheet := Sheet{Name: "Readings", InReport: true, NumberCols: []int{1, 2},
		Header: []string{"reading of \"1%\" (not drawn)", "shift " + s.Horizon.String() + " (£m)", "total " + scenario.ShiftWindow(s).String() + " (£m)"}}
	for _, r := range rds {
		name := r.Reading.String()
		if r.Own {
			name += " (the scenario's)"
		}
		rsheet.Rows = append(rsheet.Rows, []string{name, r.Last.Shift(-6).StringFixed(1), r.Total.Shift(-6).StringFixed(1)})
	}
	dv.Sheets = append(dv.Sheets, rsheet)
	if len(sim.Tornado) > 0 {
		tsheet := Sheet{Name: "Tornado", InReport: true, NumberCols: []int{1, 2, 3, 4, 5},
			Header: []string{"assumption (" + scenario.ShiftWindow(s).String() + " shift, £m)", "low input", "high input", "shift at low", "shift at high", "swing"}}
		for _, b := range sim.Tornado {
			tsheet.Rows = append(tsheet.Rows, []string{b.Assumption, strconv.FormatFloat(b.LowInput, 'f', 4, 64), strconv.FormatFloat(b.HighInput, 'f', 4, 64),
				strconv.FormatFloat(b.Low/1e6, 'f', 1, 64), strconv.FormatFloat(b.High/1e6, 'f', 1, 64), strconv.FormatFloat(b.Swing/1e6, 'f', 1, 64)})
		}
		dv.Sheets = append(dv.Sheets, tsheet)
		tornado, err := TornadoChart(sim)
		if err != nil {
			return Deliverable{}, err
		}
		dv.Figures = append(dv.Figures, Figure{Name: "What moves the shift most", Tornado: &tornado})
	}
	if qsim != nil && len(qsim.Tornado) > 0 {
		qsheet := Sheet{Name: "QALYs tornado", InReport: true, NumberCols: []int{3, 4, 5},
			Header: []string{"assumption (" + scenario.ShiftWindow(s).String() + " net QALYs)", "low input", "high input", "QALYs at low", "QALYs at high", "swing"}}
		for _, b := range qsim.Tornado {
			qsheet.Rows = append(qsheet.Rows, []string{b.Assumption, scenario.FormatUncertainValue(b.Assumption, b.LowInput), scenario.FormatUncertainValue(b.Assumption, b.HighInput),
				strconv.FormatFloat(b.Low, 'f', 0, 64), strconv.FormatFloat(b.High, 'f', 0, 64), strconv.FormatFloat(b.Swing, 'f', 0, 64)})
		}
		dv.Sheets = append(dv.Sheets, qsheet)
	}
	last := years[len(years)-1]
	lo, _ := sim.Band(area, last, prevention.MeasureShift, 0.1, budget.Cash())
	hi, _ := sim.Band(area, last, prevention.MeasureShift, 0.9, budget.Cash())
	dv.Title = fmt.Sprintf("%s: how uncertain the %s prevention shift is", name, s.Name)
	dv.Subtitle = fmt.Sprintf("%s draws, seed %d; £m cash; years marked * are projected; P10 to P90 is an 80%% interval.", budget.FormatCount(decimal.NewFromInt(int64(sim.Settings.Draws))), sim.Settings.Seed)
	rlo, rhi := readingRange(rds)
	dv.Headline = fmt.Sprintf("In %s the shift in %s is between %s and %s in eight draws out of ten of the assumptions drawn; the reading of \"1%%\", which is not drawn, moves it from %s (%s) to %s (%s).",
		last, name, Format(lo.Shift(-6).InexactFloat64(), "£m"), Format(hi.Shift(-6).InexactFloat64(), "£m"),
		Format(rlo.Last.Shift(-6).InexactFloat64(), "£m"), rlo.Reading, Format(rhi.Last.Shift(-6).InexactFloat64(), "£m"), rhi.Reading)
	dv.Footer = fmt.Sprintf("%s (%s), scenario %s: how uncertain the shift is", name, area, s.Name)
	if s.QALYs != nil {
		dv.Headline += " " + QALYBands(sim, area)
	}
	dv.Notes = []string{
		"What the bands do not cover: the reading of \"1%\" (the Readings table: it moves the shift far more than any assumption drawn); the published years, 2023/24 to " + sim.Manifest.Published + ", which are NHS England's allocations; NHS England's published cash growth for 2026/27 and 2027/28; and the baseline share, which cancels out of the shift under the points and per-year readings.",
		"The bands are quantiles of the draws of the assumptions listed; every other assumption is the scenario's.",
		"Inflation, where drawn, replaces the deflator forecast in projected years, so the central figures differ a little from a single run's.",
		"The bands say how far the figures move with the assumptions, not how likely the assumptions are: the distributions are assumed.",
	}
	if note := CouncilNote(sim, area); note != "" {
		dv.Notes = append(dv.Notes, note) // what a council's figures are
	}
	for _, u := range s.Uncertain {
		dv.Assumptions = append(dv.Assumptions, Assumption{Name: u.Assumption, Value: u.Distribution.String(), Source: u.Source})
	}
	for _, r := range append(append([]budget.Row(nil), sim.Bands...), sim.TornadoRows...) {
		dv.Data = append(dv.Data, r.Record())
	}
	m := sim.Manifest
	dv.Manifest = [][2]string{{"library", m.Library}, {"scenario", m.Scenario}, {"data", m.Data}, {"parameters", m.Parameters},
		{"settlement", m.Settlement}, {"allocation basis", m.AllocationBasis}, {"footprint", m.Footprint}, {"deflator", m.Deflator},
		{"published to", m.Published}, {"draws", budget.FormatCount(decimal.NewFromInt(int64(sim.Settings.Draws)))}, {"seed", fmt.Sprint(sim.Settings.Seed)}, {"area", area + " " + name}}
	return dv, nil
}

// FanChart is an area's prevention shift band (P10-P90, P50) against the
// grant from a simulation, projected years shaded: examples/uncertainty's
// fan chart (deliver.Draw draws it).
func FanChart(sim *scenario.Simulation, area string) (Chart, error) {
	if err := hasBands(sim, area); err != nil {
		return Chart{}, err
	}
	s := sim.Scenario
	years := s.Years()
	var labels []string
	band := &Band{Name: "prevention shift, P10-P90 (80% interval)", MidName: "prevention shift, P50"}
	var grant []float64
	m := func(v decimal.Decimal) float64 { return v.Shift(-6).InexactFloat64() }
	projected := -1
	for i, y := range years {
		labels = append(labels, y.String())
		if projected < 0 && y.String() > sim.Manifest.Published {
			projected = i
		}
		lo, _ := sim.Band(area, y, prevention.MeasureShift, 0.1, budget.Cash())
		mid, _ := sim.Band(area, y, prevention.MeasureShift, 0.5, budget.Cash())
		hi, _ := sim.Band(area, y, prevention.MeasureShift, 0.9, budget.Cash())
		g, _ := sim.Band(area, y, prevention.MeasureGrant, 0.5, budget.Cash())
		band.Low, band.Mid, band.High = append(band.Low, m(lo)), append(band.Mid, m(mid)), append(band.High, m(hi))
		grant = append(grant, m(g))
	}
	// Say how wide the band is in the last year: under the points reading
	// it is too narrow to see.
	if n := len(band.Mid); n > 0 && band.Mid[n-1] > 0 {
		half := math.Max(band.High[n-1]-band.Mid[n-1], band.Mid[n-1]-band.Low[n-1]) / band.Mid[n-1]
		band.Name = fmt.Sprintf("prevention shift, P10-P90 (80%% interval: within %s%% of P50 in %s)", strconv.FormatFloat(half*100, 'f', 1, 64), labels[n-1])
	}
	title := fmt.Sprintf("%s: the prevention shift against the public health grant\nscenario %s, %s draws", sim.AreaName(area), s.Name, budget.FormatCount(decimal.NewFromInt(int64(sim.Settings.Draws))))
	return Chart{Title: title, YLabel: "£m, cash", Years: labels, Band: band, FirstProjected: projected,
		Series:   []Series{{Name: "public health grant (P50)", Values: grant, Dashed: true, Colour: GrantColour}},
		Footnote: "Sources: NHS England ICB allocations; DHSC public health grant;\nOBR GDP deflator; the distributions drawn"}, nil
}

// TornadoChart is a simulation's tornado: what moves the shift over its
// window most, one assumption at a time at its P10 and P90
// (deliver.DrawTornado draws it).
func TornadoChart(sim *scenario.Simulation) (Tornado, error) {
	if sim == nil || len(sim.Tornado) == 0 {
		return Tornado{}, fmt.Errorf("report: %w: the simulation has no tornado (SimSettings.Tornado)", budget.ErrNoData)
	}
	var bars []Bar
	for _, b := range sim.Tornado {
		bars = append(bars, Bar{Label: scenario.UncertainLabel(b.Assumption), Low: b.Low / 1e6, High: b.High / 1e6})
	}
	central := 0.0
	if len(sim.Tornado) > 0 {
		central = sim.Tornado[0].Central / 1e6
	}
	title := fmt.Sprintf("%s\nwhat moves the %s prevention shift, %s", sim.AreaName(sim.Settings.TornadoArea), sim.Scenario.Name,
		scenario.ShiftWindow(sim.Scenario))
	return Tornado{Title: title, XLabel: "five-year prevention shift, £m cash", Bars: bars, Central: central}, nil
}

// QALYBands is the sentence a director can repeat about a simulation's
// net QALYs for an area: in the last year and over the shift's window, P10
// to P90, and how sure their sign is.
func QALYBands(sim *scenario.Simulation, area string) string {
	if hasBands(sim, area) != nil {
		return ""
	}
	s := sim.Scenario
	last := s.Horizon
	win := scenario.ShiftWindow(s)
	mid, _ := sim.Band(area, last, prevention.MeasureQALYsNet, 0.5, budget.Cash())
	lo, _ := sim.Band(area, last, prevention.MeasureQALYsNet, 0.1, budget.Cash())
	hi, _ := sim.Band(area, last, prevention.MeasureQALYsNet, 0.9, budget.Cash())
	val, _ := sim.Band(area, last, prevention.MeasureQALYValue, 0.5, budget.Cash())
	tlo, _ := sim.WindowBand(area, win, prevention.MeasureQALYsNet, scenario.Sum, 0.1)
	thi, _ := sim.WindowBand(area, win, prevention.MeasureQALYsNet, scenario.Sum, 0.9)
	sign := "The net is above zero in at least nine draws out of ten (its P10 is above zero)."
	if lo, hi, ok := qalyRanges(s); ok && lo < hi {
		// The public health range lies wholly below the NHS's: no draw
		// can make the net a loss; the sign rests on the paper.
		sign = fmt.Sprintf("The net is above zero in every draw, because the public health range (to %s a QALY) lies wholly below the NHS range (from %s): its sign rests on the paper's finding, and on NHS prevention buying health as council public health does, not on the draws.",
			scenario.FormatUncertainValue(scenario.UncertainQALYCostPublicHealth, lo), scenario.FormatUncertainValue(scenario.UncertainQALYCostNHS, hi))
	}
	switch {
	case tlo.Sign() <= 0 && thi.Sign() > 0:
		sign = "Its sign is not sure: the P10 to P90 of the total spans zero."
	case thi.Sign() <= 0:
		sign = "The net is a loss in at least nine draws out of ten (its P90 is at or below zero)."
	}
	return fmt.Sprintf("In health: the shift in %s would gain about %s QALYs net in %s (P50; P10 %s to P90 %s; QALYs bought by that year's spending), worth %s at the Green Book's value of a QALY; over %s, %s to %s QALYs. %s The bands cover the costs per QALY drawn over their published ranges and the other assumptions drawn, not the assumption that NHS prevention buys health as council public health does at the margin.",
		last, budget.FormatAbout(mid), sim.AreaName(area), budget.FormatCount(lo), budget.FormatCount(hi), formatArea(area, val), win, budget.FormatCount(tlo), budget.FormatCount(thi), sign)
}

// CouncilNote says, for a council's bands, what its figures are: its part
// of its ICBs' by registered patients, its grant apportioned so (or the
// scenario's council allocations); "" for England or an ICB.
func CouncilNote(sim *scenario.Simulation, area string) string {
	if sim == nil {
		return ""
	}
	for _, c := range sim.Settings.Councils {
		if c.Code == area {
			grant := "apportioned by its share of its ICBs' registered patients times their grants (not a published allocation)"
			if sim.Scenario.Councils != nil {
				grant = "its part of its ICBs' grants, which come from the councils' allocations given (-councils), by registered patients"
			}
			return fmt.Sprintf("%s (%s): its NHS figures are %s; its grant in the bands is %s.", c.Name, c.Code, prevention.AttributionMethod, grant)
		}
	}
	return ""
}

// qalyRanges returns the highest public health cost per QALY and the
// lowest NHS cost per QALY the scenario draws, when it draws both.
func qalyRanges(s scenario.Scenario) (phHigh, nhsLow float64, ok bool) {
	var ph, nhs *scenario.Distribution
	for i, u := range s.Uncertain {
		switch u.Assumption {
		case scenario.UncertainQALYCostPublicHealth:
			ph = &s.Uncertain[i].Distribution
		case scenario.UncertainQALYCostNHS:
			nhs = &s.Uncertain[i].Distribution
		}
	}
	if ph == nil || nhs == nil || ph.Kind != "triangular" || nhs.Kind != "triangular" {
		return 0, 0, false
	}
	return ph.C, nhs.A, true
}

// readingRange is the lowest and highest shift in the last year over the
// readings, with their names.
func readingRange(rds []scenario.ReadingShift) (lo, hi scenario.ReadingShift) {
	for i, r := range rds {
		if i == 0 || r.Last.LessThan(lo.Last) {
			lo = r
		}
		if i == 0 || r.Last.GreaterThan(hi.Last) {
			hi = r
		}
	}
	return lo, hi
}

// formatArea formats £ as £m, to £0.1m for an ICB or a council.
func formatArea(area string, v decimal.Decimal) string {
	if area != England {
		return budget.Formatter{Scale: budget.ScaleMillions, Places: 1}.Format(budget.MoneyFromDecimal(v))
	}
	return budget.Formatter{Scale: budget.ScaleMillions}.Format(budget.MoneyFromDecimal(v))
}

// hasBands refuses a nil simulation, one with no years, and an area it has
// no bands of (an ICB not in SimSettings.Areas).
func hasBands(sim *scenario.Simulation, area string) error {
	if sim == nil || len(sim.Scenario.Years()) == 0 {
		return fmt.Errorf("report: %w: no simulation, or one without years", budget.ErrNoData)
	}
	if !slices.ContainsFunc(sim.Bands, func(r budget.Row) bool { return r.Area == area }) {
		return fmt.Errorf("report: area %q: %w: the simulation has no bands of it (SimSettings.Areas, Councils)", clip.Clip(area), budget.ErrNoData)
	}
	return nil
}
