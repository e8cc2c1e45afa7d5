package report

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// England is the area code of England.
const England = "ENG"

// Options say what an area's report covers.
type Options struct {
	// Area is the ICB the report describes, by code (ODS or ONS, as
	// the footprint has it); "" or England for England.
	Area string
	// Council, if set, makes the report a council's: its part of its ICBs'
	// figures beside its own public health grant (Area is then unused).
	Council *dataset.Council
	// Areas limits the tidy data (results.csv and the Data sheet) to
	// these areas; nil for every ICB and England. The council, if any,
	// is always there.
	Areas []string
	// Notes are more notes, after the report's own (such as a goal
	// seek's answer); Rows are more tidy rows, after its own.
	Notes []string
	Rows  []budget.Row
}

// Area is the report of a scenario run for one area (England, an ICB or
// a council): the tidy rows, the summary a director reads, the assumptions
// with their sources, a chart, and the workbook and page deliver.Write
// makes.
// It is what examples/hewitt writes with -out; made from the same run and
// options, it gives the same bytes.
type Area struct {
	// Rows are the tidy rows of the run for the areas asked for: every
	// measure each year in cash and real terms, the shift on the low and
	// high settlements (scenario.MeasureShiftLow, MeasureShiftHigh), the
	// QALYs' window totals and present values when the scenario values
	// health, and the council's figures first when there is a council.
	Rows []budget.Row
	// View is the council's view, when the report is a council's.
	View *prevention.CouncilView

	runner *scenario.Runner
	res    *scenario.Result
	opts   Options
	area   string // the area described: the council, the ICB or England
	name   string // its name
	model  prevention.Model
	proj   *alloc.Projection
	ix     budget.Index
	real   budget.Basis // the basis of the run's real-terms rows
	// assumptions are the run's in words (scenario.Runner.Describe).
	assumptions []Assumption
}

// NewArea makes the report of res, a run of r, for the area o names.
func NewArea(r *scenario.Runner, res *scenario.Result, o Options) (*Area, error) {
	if r == nil || res == nil || res.Detail == nil {
		return nil, fmt.Errorf("report: %w: a runner and the result of its Run are needed", prevention.ErrNoData)
	}
	in, m, ok := res.Inputs()
	if !ok {
		var err error
		if in, m, err = r.Model(res.Scenario); err != nil {
			return nil, err
		}
	}
	a := &Area{runner: r, res: res, opts: o, model: m, proj: in.Projection, area: England, name: "England"}
	a.real = m.Deflator.Basis(m.RealBase)
	det := res.Detail
	name := res.Scenario.Name
	switch {
	case o.Council != nil:
		a.area, a.name = o.Council.Code, o.Council.Name
		for _, x := range det.Areas() {
			if x.Code == o.Council.Code {
				return nil, fmt.Errorf("report: council %s (%s): %w: its code is an ICB's or England's, whose figures it would be read as", o.Council.Code, o.Council.Name, budget.ErrDuplicate)
			}
		}
	case o.Area != "" && o.Area != England:
		x, err := res.Area(o.Area)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		a.area, a.name = x.Code, x.Name
	}
	if res.Manifest.Data != r.Data().Vintage {
		return nil, fmt.Errorf("report: %w: the result is of data %s and the runner's %s: make the report with the runner that ran it", budget.ErrRange, res.Manifest.Data, r.Data().Vintage)
	}
	// The areas of the tidy data by code (the council's rows are there
	// anyway), with the area described, and England beside it.
	if len(o.Areas) > 0 {
		var codes []string
		for _, q := range o.Areas {
			if o.Council != nil && q == o.Council.Code {
				continue
			}
			x, err := res.Area(q)
			if err != nil {
				return nil, fmt.Errorf("report: Areas: %w", err)
			}
			codes = append(codes, x.Code)
		}
		o.Areas = codes
		musts := []string{England}
		if o.Council == nil {
			musts = append(musts, a.area) // a council's rows are always there
		}
		for _, must := range musts {
			if !slices.Contains(o.Areas, must) {
				o.Areas = append(slices.Clone(o.Areas), must)
			}
		}
	}
	want := func(area string) bool { return len(o.Areas) == 0 || slices.Contains(o.Areas, area) }
	rows, err := det.Rows(name, o.Areas)
	if err != nil {
		return nil, err
	}
	// The shift under the settlement's low and high cases, in projected years.
	rng, _, err := r.SettlementRange(res.Scenario)
	if err != nil {
		return nil, err
	}
	for _, row := range rng {
		if want(row.Area) {
			row.Scenario = name
			rows = append(rows, row)
		}
	}
	// The QALYs over each window and the present value of their worth,
	// from the scenario's summary.
	if res.Scenario.QALYs != nil {
		sum, err := res.Summary()
		if err != nil {
			return nil, err
		}
		for _, row := range sum {
			if strings.HasPrefix(string(row.Measure), "qalys_") && want(row.Area) {
				row.Scenario = name
				rows = append(rows, row)
			}
		}
	}
	if o.Council != nil {
		// The council beside England: its grant, its part of the shift.
		if a.View, err = res.Council(*o.Council); err != nil {
			return nil, err
		}
		crows, err := a.View.Rows(name)
		if err != nil {
			return nil, err
		}
		for _, row := range a.View.Attribute(rng, scenario.MeasureShiftLow, scenario.MeasureShiftHigh) {
			row.Scenario = name
			crows = append(crows, row)
		}
		if res.Scenario.QALYs != nil {
			cr, err := r.Council(res, *o.Council)
			if err != nil {
				return nil, err
			}
			csum, err := cr.Summary()
			if err != nil {
				return nil, err
			}
			for _, row := range csum {
				if strings.HasPrefix(string(row.Measure), "qalys_") {
					row.Scenario = name
					crows = append(crows, row)
				}
			}
		}
		rows = append(crows, rows...)
	}
	described, err := r.Describe(res)
	if err != nil {
		return nil, err
	}
	for _, x := range described {
		a.assumptions = append(a.assumptions, Assumption{Name: x.Key, Value: x.Value, Source: x.Source})
	}
	a.Rows = append(rows, o.Rows...)
	a.ix = budget.NewIndex(a.Rows)
	return a, nil
}

// made reports an Area that NewArea did not make (nil, or the zero
// value), which has nothing to write.
func (a *Area) made() error {
	if a == nil || a.res == nil || a.res.Detail == nil || a.runner == nil {
		return fmt.Errorf("report: %w: an Area is made by NewArea from a run", budget.ErrNoData)
	}
	return nil
}

// Code and Name are the area the report describes: the council, the ICB,
// or England.
func (a *Area) Code() string {
	if a == nil {
		return ""
	}
	return a.area
}

// Name is the area's name.
func (a *Area) Name() string {
	if a == nil {
		return ""
	}
	return a.name
}

// Row is the report's row of measure m for an area (the report's, England,
// or another in its rows) in year y on basis b: budget.Cash or RealBasis;
// counts and flags, which have no price basis, are found on either.
func (a *Area) Row(area string, y budget.Year, m budget.Measure, b budget.Basis) (budget.Row, bool) {
	if a == nil {
		return budget.Row{}, false
	}
	return a.ix.Find(area, y, m, b)
}

// Window is the report's row of measure m for an area over window w,
// aggregated as scenario.Result.Window aggregates it: the Sum in cash, or
// the PresentValue or Past years in year 0's prices.
func (a *Area) Window(area string, w budget.Span, m budget.Measure, agg scenario.Aggregate) (budget.Row, bool) {
	if a.made() != nil {
		return budget.Row{}, false
	}
	span, basis, err := a.res.WindowSpan(w, agg)
	if err != nil {
		return budget.Row{}, false
	}
	return a.ix.FindSpan(area, span, m+"_"+budget.Measure(agg.String()), basis)
}

// RealBasis is the basis of the report's real-terms rows, such as
// 2024/25 prices on the GDP deflator.
func (a *Area) RealBasis() budget.Basis {
	if a == nil {
		return budget.Cash()
	}
	return a.real
}

// summaryLine is one line of the summary table a director reads.
type summaryLine struct {
	Label   string
	Measure budget.Measure
	Unit    string // "£m", "%"
	Real    bool   // in real terms at the run's base-year prices, not cash
	England bool   // England's figure, beside the area's
}

// summaryLines are the lines of the Summary sheet and summary.csv, cash,
// for the area: England's grant is what councils get, an ICB's is its
// part, named for how it was set.
func (a *Area) summaryLines() []summaryLine {
	r, view, area := a.res.Detail, a.View, a.area
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
	case area != England:
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
	if !a.model.Baseline.IncludesCouncil {
		out = append(out, summaryLine{Label: "Prevention and the grant together", Measure: prevention.MeasureCombined, Unit: "£m"})
	}
	if a.model.QALYs != nil {
		out = append(out,
			summaryLine{Label: "QALYs gained by the shift (public health cost per QALY)", Measure: prevention.MeasureQALYsGained, Unit: "QALYs"},
			summaryLine{Label: "QALYs forgone in treatment (NHS cost per QALY)", Measure: prevention.MeasureQALYsForgone, Unit: "QALYs"},
			summaryLine{Label: "QALYs net", Measure: prevention.MeasureQALYsNet, Unit: "QALYs"},
			summaryLine{Label: "Value of the net QALYs (Green Book value of a QALY)", Measure: prevention.MeasureQALYValue, Unit: "£m"})
	}
	prices := a.model.RealBase.String() + " prices"
	out = append(out,
		summaryLine{Label: "The shift, real terms (" + prices + ")", Measure: prevention.MeasureShift, Unit: "£m", Real: true},
		summaryLine{Label: "Public health grant, real terms (" + prices + ")", Measure: prevention.MeasureGrant, Unit: "£m", Real: true})
	if area != England {
		out = append(out,
			summaryLine{Label: "England: the shift", Measure: prevention.MeasureShift, Unit: "£m", England: true},
			summaryLine{Label: "England: public health grant as councils get it", Measure: prevention.MeasureGrant, Unit: "£m", England: true},
			summaryLine{Label: "England: shift as a share of the grant", Measure: prevention.MeasureShiftToGrant, Unit: "%", England: true})
	}
	return out
}

// value is a summary line's figure in a year, in its unit (NaN where
// there is none).
func (a *Area) value(l summaryLine, y budget.Year) float64 {
	v, ok := a.exact(l, y)
	if !ok {
		return math.NaN()
	}
	return v.InexactFloat64()
}

// exact is a summary line's figure in a year in its unit, exactly.
func (a *Area) exact(l summaryLine, y budget.Year) (decimal.Decimal, bool) {
	area, basis := a.area, budget.Cash()
	if l.England {
		area = England
	}
	if l.Real {
		basis = a.real
	}
	row, ok := a.Row(area, y, l.Measure, basis)
	if !ok {
		return decimal.Decimal{}, false
	}
	v := row.Value
	switch l.Unit {
	case "£m":
		v = v.Shift(-6)
	case "%":
		v = v.Shift(2)
	}
	return v, true
}

// Headline is the sentence a director can repeat: the shift by the last
// year in the area, against its public health grant ("" for an Area that
// NewArea did not make).
func (a *Area) Headline() string {
	if a.made() != nil {
		return ""
	}
	years := a.res.Detail.Years().Years()
	last := years[len(years)-1]
	shift := Format(a.value(summaryLine{Measure: prevention.MeasureShift, Unit: "£m"}, last), "£m")
	ratio := fmt.Sprintf("%.0f%%", a.value(summaryLine{Measure: prevention.MeasureShiftToGrant, Unit: "%"}, last))
	grantText := Format(a.value(summaryLine{Measure: prevention.MeasureGrant, Unit: "£m"}, last), "£m")
	if a.View != nil {
		return fmt.Sprintf("By %s the shift moves %s a year from treatment to prevention in the NHS for %s's patients (its part of its ICBs' shift, by registered patients), %s of its own public health grant of %s (%s in %s).",
			last, shift, a.name, ratio, grantText, a.View.Values[len(a.View.Values)-1].GrantSource, last)
	}
	return fmt.Sprintf("By %s the shift moves %s a year from treatment to prevention in %s, %s of a public health grant of %s.",
		last, shift, a.name, ratio, grantText)
}

// Deliverable is the report as deliver.Write writes it: the summary, notes,
// assumptions, tidy data, every ICB in one sheet, the chart and the
// manifest.
func (a *Area) Deliverable() (Deliverable, error) {
	chart, err := a.Chart()
	if err != nil {
		return Deliverable{}, err
	}
	r, sc, area, name := a.res.Detail, a.res.Scenario, a.area, a.name
	years := r.Years().Years()
	d := Deliverable{
		Chart:   chart,
		Program: "hewitt",
		Title:   a.whatIf() + name + ": " + a.shiftTitle(),
		Subtitle: fmt.Sprintf("%s (%s). Scenario %s: %s reading, %s, baseline share %s (%s), %s; £m cash; years marked * are projected.",
			name, area, sc.Name, a.model.Shift.Reading, WithUnit(withSign(a.model.Shift.Size.String()), ShiftUnit(a.model.Shift.Reading)), budget.FormatShare(a.model.Baseline.Share, 2), a.model.Baseline.Name, r.Years()),
		Notes: []string{
			a.baseNote(),
			"\"Prevention at the assumed share\" is a notional share of that budget, not measured spending: no official figure exists. The shift, prevention above what the share would have been, does not depend on it under the points and per-year readings.",
			"Within the envelope the shift is a transfer from treatment to prevention: it creates no value by itself under the Green Book, and treatment spending falls by it.",
			a.grantNote(),
			"Years after 2025/26 are projected under the stated settlement; they are not NHS England's allocations.",
		},
		DataHeader: budget.RowColumns(),
		NumberCols: []int{5},
		Sources:    a.runner.Data().Sources.List(),
		Footer:     fmt.Sprintf("%s (%s), scenario %s: %s", name, area, sc.Name, a.shiftTitle()),
	}
	last := a.proj.LastPublished()
	for _, y := range years {
		label := y.String()
		if y.After(last) {
			label += "*"
		}
		d.Columns = append(d.Columns, label)
	}
	// A total over the shift's years for money; none for shares.
	span := a.model.Shift.Span
	totalLabel := fmt.Sprintf("total %s", span)
	if span.Last().After(last) {
		totalLabel += "*" // it adds projected years
	}
	d.Columns = append(d.Columns, totalLabel)
	for _, l := range a.summaryLines() {
		line := Line{Label: l.Label, Unit: l.Unit}
		sum, whole := decimal.Zero, l.Unit == "£m" || l.Unit == "QALYs" // no total of shares
		for _, y := range years {
			v, ok := a.exact(l, y)
			line.Values = append(line.Values, a.value(l, y))
			if span.Contains(y) {
				sum, whole = sum.Add(v), whole && ok // no total where a year has no figure
			}
		}
		total := math.NaN()
		if whole {
			total = sum.InexactFloat64() // added exactly: 1160.24482239, not 1160.2448223899999
		}
		line.Values = append(line.Values, total)
		d.Lines = append(d.Lines, line)
	}
	d.Headline = a.Headline()
	d.Notes = append(d.Notes, a.opts.Notes...)
	if a.model.QALYs != nil {
		if sentence := a.QALYSentence(area); sentence != "" {
			d.Headline += " " + sentence
		}
		d.Notes = append(d.Notes, "QALYs: Martin, Lomas and Claxton (BMJ Open 2020) estimate a QALY costs about £3,800 at the margin of the public health grant and £13,500 of NHS spending (2013/14); applying the first to NHS prevention spending assumes it buys health as council public health does at the margin, which the paper did not measure. The value of a QALY is the Green Book's, £70,000 in 2020/21 prices; its present value is discounted at the Green Book's 1.5% for health.")
	}
	d.Assumptions = a.Assumptions()
	for _, row := range a.Rows {
		d.Data = append(d.Data, row.Record())
	}
	all, err := a.allICBs()
	if err != nil {
		return Deliverable{}, err
	}
	d.Sheets = append(d.Sheets, all)
	m := a.res.Manifest
	d.Manifest = [][2]string{{"library", m.Library}, {"scenario", m.Scenario}, {"scenario hash", m.ScenarioHash}, {"data", m.Data},
		{"parameters", m.Parameters}, {"settlement", m.Settlement}, {"allocation basis", m.AllocationBasis}, {"footprint", m.Footprint},
		{"deflator", m.Deflator}, {"published to", m.Published}, {"projected years", m.Projected}, {"prices", m.Prices},
		{"present value year 0", m.PresentValueBase}, {"area", area + " " + name}}
	if m.Councils != "" {
		d.Manifest = append(d.Manifest, [2]string{"councils", m.Councils})
	}
	return d, nil
}

// baseNote says what the budget base counts: the run's own streams, for
// an ICB (or England) or, for a council, its ICBs'.
func (a *Area) baseNote() string {
	b := a.model.Base
	var parts []string
	for _, st := range b.Streams {
		t := st.Title()
		parts = append(parts, strings.ToLower(t[:1])+t[1:])
	}
	streams := parts[0]
	if n := len(parts); n > 1 {
		streams = strings.Join(parts[:n-1], ", ") + " and " + parts[n-1]
	}
	whose := "the ICB's allocations"
	if a.View != nil {
		whose = "the allocations of the ICBs the council's patients are in (its part by registered patients)"
	}
	own := ""
	if !b.Named() {
		own = " (" + b.Name + ", the scenario's own base)"
	}
	return "The budget base" + own + " is " + whose + " for " + streams + ", each year on its latest restated basis, on the ICBs of April 2026 unless stated."
}

// ShiftSize is a shift's size with its unit: "1 pp", "1 pp a year",
// "1% of the share", "1% of the share a year".
func ShiftSize(sh prevention.Shift) string { return WithUnit(sh.Size.String(), ShiftUnit(sh.Reading)) }

// withSign puts a plus before a size that has no minus: "+1", "-0.5".
func withSign(size string) string {
	if strings.HasPrefix(size, "-") {
		return size
	}
	return "+" + size
}

// WithUnit writes a size and its unit: "1 pp", "1% of the share".
func WithUnit(size, unit string) string {
	if strings.HasPrefix(unit, "%") {
		return size + unit
	}
	return size + " " + unit
}

// ShiftUnit is the unit of a reading's size: "pp", "pp a year", "% of the
// share" or "% of the share a year".
func ShiftUnit(r prevention.Reading) string {
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
func (a *Area) grantNote() string {
	r := a.res.Detail
	switch {
	case a.View != nil:
		return "The council's public health grant: " + GrantYears(a.View) + ". Its NHS figures are " + prevention.AttributionMethod + "."
	case a.area == England:
		return "The public health grant is what councils get (consolidated from 2026/27); each ICB's part: " + r.GrantApportionment + "."
	}
	return "The public health grant is what councils get (consolidated from 2026/27); the ICB's part: " + r.GrantMethod(a.area, r.Years().Last()) + "."
}

// allICBs is every ICB and England in one table: in the last year, the
// budget base, the shift in cash and real terms, the grant and their
// ratio, per registered patient, and the shift over the shift's years;
// with how each ICB's grant was set.
func (a *Area) allICBs() (Sheet, error) {
	r := a.res.Detail
	last := r.Years().Last()
	span := a.model.Shift.Span
	res := a.res
	value := func(area string, y budget.Year, m budget.Measure, b budget.Basis) decimal.Decimal {
		v, _, _ := res.Value(area, y, m, b)
		return v
	}
	m := func(area string, measure budget.Measure, b budget.Basis) string {
		v, _, err := res.Value(area, last, measure, b)
		if err != nil {
			return ""
		}
		return v.Shift(-6).StringFixed(2)
	}
	sh := Sheet{Name: "All ICBs", Header: []string{"code", "name",
		"budget " + last.String() + " (£m)", "shift " + last.String() + " (£m)", "shift " + last.String() + " (£m, " + a.model.RealBase.String() + " prices)",
		"shift " + span.String() + " (£m)", "grant " + last.String() + " (£m)", "shift / grant", "shift per registered patient (£)",
		"grant per registered patient (£)", "how the grant is set"}, NumberCols: []int{2, 3, 4, 5, 6, 7, 8, 9}}
	for _, x := range r.Areas() {
		total := decimal.Zero
		for _, y := range span.Years() {
			total = total.Add(value(x.Code, y, prevention.MeasureShift, budget.Cash()))
		}
		v, err := r.Values(x.Code, last)
		if err != nil {
			return Sheet{}, err
		}
		ratio := value(x.Code, last, prevention.MeasureShiftToGrant, budget.Cash()).StringFixed(4)
		perHead := "" // the shift per registered patient
		if !v.Registered.IsZero() {
			perHead = v.Shift.Decimal().DivRound(v.Registered.Decimal(), 4).StringFixed(2)
		}
		gph := value(x.Code, last, prevention.MeasureGrantPerRegistered, budget.Cash()).StringFixed(2)
		sh.Rows = append(sh.Rows, []string{x.Code, x.Name, m(x.Code, prevention.MeasureBudget, budget.Cash()), m(x.Code, prevention.MeasureShift, budget.Cash()),
			m(x.Code, prevention.MeasureShift, a.real), total.Shift(-6).StringFixed(2), m(x.Code, prevention.MeasureGrant, budget.Cash()), ratio, perHead, gph,
			r.GrantMethod(x.Code, last)})
	}
	return sh, nil
}

// shiftTitle is "the Hewitt prevention shift" for the Hewitt scenario, and
// "the prevention shift of scenario NAME" for another.
func (a *Area) shiftTitle() string {
	if a.res.Scenario.Name == scenario.Hewitt {
		return "the Hewitt prevention shift"
	}
	return "the prevention shift of scenario " + a.res.Scenario.Name
}

// whatIf is "What-if: " for a run on unreconciled council allocations.
func (a *Area) whatIf() string {
	if c := a.res.Scenario.Councils; c != nil && c.Unreconciled {
		return "What-if (unreconciled council allocations): "
	}
	return ""
}

// Chart is the area's chart: its prevention shift and public health
// grant, cash and real, with projected years shaded and the sources
// beneath (deliver.Draw draws it).
func (a *Area) Chart() (Chart, error) {
	if err := a.made(); err != nil {
		return Chart{}, err
	}
	r, m := a.res.Detail, a.model
	var years []string
	projected := -1
	series := []Series{
		{Name: "prevention shift, cash", Colour: ShiftColour}, {Name: "prevention shift, " + m.RealBase.String() + " prices", Dashed: true, Colour: ShiftColour},
		{Name: "public health grant, cash", Colour: GrantColour}, {Name: "public health grant, " + m.RealBase.String() + " prices", Dashed: true, Colour: GrantColour},
	}
	keys := []struct {
		measure budget.Measure
		basis   budget.Basis
	}{{prevention.MeasureShift, budget.Cash()}, {prevention.MeasureShift, a.real}, {prevention.MeasureGrant, budget.Cash()}, {prevention.MeasureGrant, a.real}}
	for i, y := range r.Years().Years() {
		p := y.String()
		years = append(years, p)
		if projected < 0 && y.After(a.proj.LastPublished()) {
			projected = i
		}
		for k, key := range keys {
			v := 0.0
			if row, ok := a.Row(a.area, y, key.measure, key.basis); ok {
				v = row.Value.Shift(-6).InexactFloat64()
			}
			series[k].Values = append(series[k].Values, v)
		}
	}
	title := a.name + ": the prevention shift and the public health grant"
	// Real terms can rest on a forecast before the allocations do: say from when.
	forecast := ""
	for _, y := range r.Years().Years() {
		if _, st, err := m.Deflator.Index(y); err == nil && st == budget.Projected {
			forecast = ", a forecast from " + y.String()
			break
		}
	}
	note := fmt.Sprintf("Sources: NHS England ICB allocations; DHSC public health grant;\nGDP deflator (%s%s); Hewitt Review (2023)", m.Deflator.Vintage(), forecast)
	return Chart{Title: title, YLabel: "£m", Years: years, Series: series, FirstProjected: projected, Footnote: note}, nil
}

// GrantYears says, year by year, how a council's grant is set.
func GrantYears(view *prevention.CouncilView) string {
	if view == nil || len(view.Values) == 0 {
		return ""
	}
	var out []string
	var from budget.Year
	var prev string
	for _, cv := range view.Values {
		how := view.GrantMethod(cv.Year)
		if cv.GrantSource == prevention.CouncilHeld {
			how = fmt.Sprintf("its share of England's grant in %s held", cv.GrantHeldFrom)
		}
		if how != prev && prev != "" {
			out = append(out, fmt.Sprintf("%s: %s", spanText(from, cv.Year.Add(-1)), prev))
		}
		if how != prev {
			from, prev = cv.Year, how
		}
	}
	out = append(out, fmt.Sprintf("%s: %s", spanText(from, view.Years().Last()), prev))
	return strings.Join(out, "; ")
}

// spanText is "2026/27" or "2027/28 to 2028/29".
func spanText(a, b budget.Year) string {
	if a == b {
		return a.String()
	}
	return a.String() + " to " + b.String()
}
