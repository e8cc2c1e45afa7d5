package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// tableWriter aligns a text table's columns, numbers to the right.
func tableWriter(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
}

// Ratio writes a ratio for a finance reader, to two places and as a
// percentage: 0.34 (34%).
func Ratio(v decimal.Decimal) string {
	return v.StringFixed(2) + " (" + v.Shift(2).StringFixed(0) + "%)"
}

// WriteText writes what examples/hewitt prints: the assumptions with
// their sources, the area's and England's figures by year in £m, cash then
// real, England at each preset baseline share, the grant like for like,
// the headlines (with Options.Notes after them), and with QALYs what the
// shift buys in health.
func (a *Area) WriteText(w io.Writer) error {
	if err := a.made(); err != nil {
		return err
	}
	r, view := a.res.Detail, a.View
	realBasis := a.RealBasis()
	m := budget.Formatter{Scale: budget.ScaleMillions}
	local := budget.Formatter{Scale: budget.ScaleMillions, Places: 1} // an ICB's or a council's figures, to £0.1m
	get := a.Row
	money := func(area string, y budget.Year, measure budget.Measure, basis budget.Basis) string {
		row, ok := get(area, y, measure, basis)
		if !ok {
			return "-"
		}
		if area != "ENG" {
			return local.Format(budget.MoneyFromDecimal(row.Value))
		}
		return m.Format(budget.MoneyFromDecimal(row.Value))
	}
	if a.res.Scenario.Name == scenario.Hewitt {
		fmt.Fprintf(w, "The Hewitt prevention shift, %s\n\n", r.Years())
	} else {
		fmt.Fprintf(w, "The prevention shift of scenario %s, %s\n\n", a.res.Scenario.Name, r.Years())
	}
	fmt.Fprintln(w, "Assumptions")
	for _, a := range a.Assumptions() {
		fmt.Fprintf(w, "  %-23s %s\n", a.Name+":", a.Value)
		if a.Source != "" {
			fmt.Fprintf(w, "  %-23s source: %s\n", "", a.Source)
		}
	}
	var areas []dataset.ICB
	if view != nil {
		areas = append(areas, dataset.ICB{Code: view.Council.Code, Name: view.Council.Name})
	}
	for _, area := range r.Areas() {
		if len(a.opts.Areas) == 0 || slices.Contains(a.opts.Areas, area.Code) {
			areas = append(areas, area)
		}
	}
	for _, area := range areas {
		for _, basis := range []budget.Basis{budget.Cash(), realBasis} {
			label := budget.BasisCash
			if !basis.IsCash() {
				label = "real terms, " + a.model.RealBase.String() + " prices"
			}
			fmt.Fprintf(w, "\n%s (%s), £m %s\n", area.Name, area.Code, label)
			if view != nil && area.Code == view.Council.Code && basis.IsCash() {
				fmt.Fprintf(w, "The council's own public health grant beside its part of the NHS figures: %s.\n", prevention.AttributionMethod)
			}
			tw := tableWriter(w)
			fmt.Fprint(tw, "year\tbudget\tprevention share\tprevention at the share\tcounterfactual\tshift\ttreatment\tPH grant\tshift / grant\t")
			if !a.model.Baseline.IncludesCouncil {
				fmt.Fprint(tw, "prevention + grant\t")
			}
			if a.model.Benefits != nil {
				fmt.Fprint(tw, "benefit\t")
			}
			fmt.Fprintln(tw)
			for _, y := range r.Years().Years() {
				mark := ""
				if row, ok := get(area.Code, y, prevention.MeasureBudget, basis); ok && row.Status == budget.Projected {
					mark = "*"
				}
				share, _ := get(area.Code, y, prevention.MeasureShare, basis)
				ratio := "-"
				if row, ok := get(area.Code, y, prevention.MeasureShiftToGrant, basis); ok {
					ratio = Ratio(row.Value)
				}
				fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t", y, mark, money(area.Code, y, prevention.MeasureBudget, basis),
					budget.FormatShare(mustShare(share.Value), 2), money(area.Code, y, prevention.MeasurePrevention, basis),
					money(area.Code, y, prevention.MeasureCounterfactual, basis), money(area.Code, y, prevention.MeasureShift, basis),
					money(area.Code, y, prevention.MeasureTreatment, basis), money(area.Code, y, prevention.MeasureGrant, basis), ratio)
				if !a.model.Baseline.IncludesCouncil {
					fmt.Fprintf(tw, "%s\t", money(area.Code, y, prevention.MeasureCombined, basis))
				}
				if a.model.Benefits != nil {
					fmt.Fprintf(tw, "%s\t", money(area.Code, y, prevention.MeasureBenefit, basis))
				}
				fmt.Fprintln(tw)
			}
			tw.Flush()
		}
	}
	fmt.Fprintln(w, "\n* projected: allocations beyond the 2025/26 round (the latest held; NHS England's 2026/27-2028/29 allocations are not held), the grant beyond its last published figure, or a forecast deflator year.")
	fmt.Fprintln(w, "PH grant: what councils get, consolidated from 2026/27 (it takes in the stop smoking and drug and alcohol grants); the like-for-like series is below.")
	fmt.Fprintf(w, "PH grant for an ICB: %s.\n", r.GrantApportionment)
	if a.model.Baseline.IncludesCouncil {
		fmt.Fprintf(w, "The baseline share (%s) is of total health spending, council public health included: prevention at it is not added to the grant, which would count council spending twice.\n", a.model.Baseline.Name)
	}
	if err := a.presetTable(w); err != nil {
		return err
	}

	last := r.Years().Last()
	e, _ := r.Values("ENG", last)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Against the public health grant (England)")
	y25 := budget.MustYear("2025/26")
	if row, ok := get("ENG", y25, prevention.MeasureGrantChange2015, realBasis); ok {
		fmt.Fprintf(w, "  The grant in %s is %s per resident in real terms on 2015/16 (Health Foundation, Feb 2025: -26%%).\n", y25, budget.FormatPercent(row.Value, 1))
	}
	// The like-for-like grant after 2025/26 is an upper bound: two of the
	// grants consolidated in 2026/27 have no amount to take out.
	bound, gapBound := "", ""
	if lr, ok := get("ENG", last, prevention.MeasureGrantLikeForLike, budget.Cash()); ok && (lr.Status == budget.Derived || lr.Status == budget.Projected) {
		bound, gapBound = "at most ", "at least "
	}
	if row, ok := get("ENG", last, prevention.MeasureGrantLikeForLike, budget.Cash()); ok {
		fmt.Fprintf(w, "  Like for like, without the grants consolidated in 2026/27, the grant is %s%s in %s (%s as councils get it).\n",
			bound, m.Format(budget.MoneyFromDecimal(row.Value)), last, m.Format(e.Grant))
	}
	if row, ok := get("ENG", last, prevention.MeasureRestorationGap, budget.Cash()); ok {
		fmt.Fprintf(w, "  Restoring its 2015/16 real-terms level per resident, like for like, would take %s%s more in %s (cash).\n", gapBound, m.Format(budget.MoneyFromDecimal(row.Value)), last)
	}
	if ph, ok := get("ENG", last, prevention.MeasurePreventionPerResident, budget.Cash()); ok {
		if gh, ok := get("ENG", last, prevention.MeasureGrantPerResident, budget.Cash()); ok {
			pr, _ := get("ENG", last, prevention.MeasurePreventionPerHead, budget.Cash())
			gr, _ := get("ENG", last, prevention.MeasureGrantPerRegistered, budget.Cash())
			fmt.Fprintf(w, "  Per head in %s, per ONS resident: NHS prevention at the assumed share £%s, grant £%s (per GP-registered patient, about 5m more people: £%s and £%s).\n",
				last, ph.Value.StringFixed(2), gh.Value.StringFixed(2), pr.Value.StringFixed(2), gr.Value.StringFixed(2))
		}
	}
	fmt.Fprintln(w)
	if a.res.Scenario.Councils != nil && a.res.Scenario.Councils.Unreconciled {
		fmt.Fprintln(w, "WHAT-IF: the council allocations are unreconciled (-unreconciled): they need not add up to England's published grant, and England's grant is their sum in the years they give.")
	}
	if view != nil {
		a.councilHeadline(w, local)
	} else if area := a.area; area != England {
		vals, _ := r.Values(area, last)
		cash, _ := get(area, last, prevention.MeasureShift, budget.Cash())
		real, _ := get(area, last, prevention.MeasureShift, realBasis)
		ratio, _ := get(area, last, prevention.MeasureShiftToGrant, budget.Cash())
		name := area
		for _, x := range r.Areas() {
			if x.Code == area {
				name = x.Name
			}
		}
		how := "moves %s a year (%s in %s prices) from treatment to prevention in %s"
		if a.model.Funding == prevention.Additional {
			how = "adds %s a year (%s in %s prices) of new money for prevention in %s, treatment unchanged"
		}
		fmt.Fprintf(w, "Headline for %s: by %s the shift "+how+"%s,\n", name, last, local.Format(budget.MoneyFromDecimal(cash.Value)),
			local.Format(budget.MoneyFromDecimal(real.Value)), a.model.RealBase, name, a.rangeText(area, last, local))
		fmt.Fprintf(w, "%s times (%s%%) its part of the public health grant, %s (%s).\n", ratio.Value.StringFixed(2),
			ratio.Value.Shift(2).Round(0), local.Format(vals.Grant), r.GrantMethod(area, r.Years().Last()))
	}
	cash, _ := get("ENG", last, prevention.MeasureShift, budget.Cash())
	real, _ := get("ENG", last, prevention.MeasureShift, realBasis)
	ratio, _ := get("ENG", last, prevention.MeasureShiftToGrant, budget.Cash())
	how := "moves %s a year (%s in %s prices) from treatment to prevention in England"
	if a.model.Funding == prevention.Additional {
		how = "adds %s a year (%s in %s prices) of new money for prevention in England, treatment unchanged"
	}
	fmt.Fprintf(w, "Headline: by %s the shift "+how+"%s,\n",
		last, m.Format(budget.MoneyFromDecimal(cash.Value)), m.Format(budget.MoneyFromDecimal(real.Value)), a.model.RealBase, a.rangeText("ENG", last, m))
	fmt.Fprintf(w, "%s times (%s%%) the public health grant of %s.\n", ratio.Value.StringFixed(2), ratio.Value.Shift(2).Round(0), m.Format(e.Grant))
	for _, n := range a.opts.Notes {
		fmt.Fprintln(w, n)
	}
	if a.model.QALYs != nil {
		a.qalyText(w)
	}
	if a.model.Benefits != nil {
		if y, ok := r.Payback("ENG"); ok {
			fmt.Fprintf(w, "Payback: England's cumulative benefit reaches its cumulative shift in %s.\n", y)
		} else {
			fmt.Fprintf(w, "Payback: not within %s.\n", r.Years())
		}
	}
	return nil
}

// councilHeadline is the headline for the council asked for: its part of
// the shift by its last year, against its own grant, and how each is made.
func (a *Area) councilHeadline(w io.Writer, m budget.Formatter) {
	view, get := a.View, a.Row
	code, name := view.Council.Code, view.Council.Name
	ly := view.Years().Last()
	realBasis := a.model.Deflator.Basis(a.model.RealBase)
	cash, _ := get(code, ly, prevention.MeasureShift, budget.Cash())
	real, _ := get(code, ly, prevention.MeasureShift, realBasis)
	ratio, _ := get(code, ly, prevention.MeasureShiftToGrant, budget.Cash())
	grant, _ := get(code, ly, prevention.MeasureGrant, budget.Cash())
	perHead, _ := get(code, ly, prevention.MeasureShiftPerHead, budget.Cash())
	how := "moves %s a year (£%s per registered patient; %s in %s prices) from treatment to prevention in the NHS for %s's patients"
	if a.model.Funding == prevention.Additional {
		how = "adds %s a year (£%s per registered patient; %s in %s prices) of new NHS money for prevention for %s's patients"
	}
	fmt.Fprintf(w, "Headline for %s: by %s the shift "+how+"%s,\n", name, ly, m.Format(budget.MoneyFromDecimal(cash.Value)),
		perHead.Value.StringFixed(2), m.Format(budget.MoneyFromDecimal(real.Value)), a.model.RealBase, name, a.rangeText(code, ly, m))
	fmt.Fprintf(w, "%s times (%s%%) its own public health grant, %s (%s).\n", ratio.Value.StringFixed(2), ratio.Value.Shift(2).Round(0),
		m.Format(budget.MoneyFromDecimal(grant.Value)), view.Values[len(view.Values)-1].GrantSource)
	var parts []string
	for _, p := range view.Council.Parts {
		parts = append(parts, fmt.Sprintf("%s%% of %s's", p.OfICB.Shift(2).StringFixed(1), a.areaName(p.ICB)))
	}
	fmt.Fprintf(w, "Its part of the NHS figures: %s registered patients (%s).\n", strings.Join(parts, " and "), prevention.AttributionMethod)
	fmt.Fprintf(w, "Its grant: %s.\n", GrantYears(view))
}

// areaName is an area's name in the run, or its code.
func (a *Area) areaName(code string) string {
	for _, x := range a.proj.ICBs() {
		if x.Code == code {
			return x.Name
		}
	}
	return code
}

// presetTable prints England's prevention and shift at each baseline share
// preset side by side: the readings in percentage points move the same
// money whatever the share; the levels, and the relative readings, do not.
func (a *Area) presetTable(w io.Writer) error {
	p := a.runner.Data().Parameters
	names := prevention.BaselineSharePresets(p)
	type col struct {
		title string
		res   *scenario.Result
	}
	var cols []col
	for _, name := range names {
		b, err := prevention.BaselineSharePreset(p, name)
		if err != nil {
			return err
		}
		s := a.res.Scenario
		s.Baseline = b
		res, err := a.runner.Run(s)
		if err != nil {
			return err
		}
		cols = append(cols, col{fmt.Sprintf("%s (%s)", budget.FormatShare(b.Share, 2), name), res})
	}
	m := budget.Formatter{Scale: budget.ScaleMillions}
	fmt.Fprintln(w, "\nEngland at each preset baseline share, £m cash (shares of total health spending; the points and per-year readings move the same money at any share)")
	tw := tableWriter(w)
	fmt.Fprint(tw, "year\t")
	for _, c := range cols {
		fmt.Fprintf(tw, "prevention at %s\tshift\t", c.title)
	}
	fmt.Fprintln(tw)
	for _, y := range a.model.Years.Years() {
		fmt.Fprintf(tw, "%s\t", y)
		for _, c := range cols {
			prev, err := c.res.Money("ENG", y, prevention.MeasurePrevention, budget.Cash())
			if err != nil {
				return err
			}
			shift, err := c.res.Money("ENG", y, prevention.MeasureShift, budget.Cash())
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "%s\t%s\t", m.Format(prev), m.Format(shift))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// rangeText is " (£lo to £hi, cash, as the low and high settlements
// have it)" for an area's shift in a projected year, or "" where the
// settlement has no range or the year is published.
func (a *Area) rangeText(area string, y budget.Year, m budget.Formatter) string {
	lo, ok1 := a.Row(area, y, scenario.MeasureShiftLow, budget.Cash())
	hi, ok2 := a.Row(area, y, scenario.MeasureShiftHigh, budget.Cash())
	if !ok1 || !ok2 {
		return ""
	}
	return fmt.Sprintf(" (%s to %s in cash on the low and high settlements)",
		m.Format(budget.MoneyFromDecimal(lo.Value)), m.Format(budget.MoneyFromDecimal(hi.Value)))
}

// qalyText prints what the shift buys in health, year by year for the
// area and England, and the sentence a director can repeat.
func (a *Area) qalyText(w io.Writer) {
	get := a.Row
	q := a.model.QALYs
	areas := []string{"ENG"}
	if a.area != England {
		areas = []string{a.area, England}
	}
	years := a.model.Years.Years()
	last := years[len(years)-1]
	win := a.model.Shift.Span
	fmt.Fprintf(w, "\nWhat the shift buys in health: QALYs gained by prevention spending above the counterfactual at £%s a QALY, forgone by the treatment spending given up at £%s a QALY (%s prices, brought to each year's by the GDP deflator), valued at £%s a QALY (%s prices)\n",
		budget.FormatCount(q.PublicHealthCost), budget.FormatCount(q.NHSCost), q.Prices, budget.FormatCount(q.Value), q.ValuePrices)
	m := budget.Formatter{Scale: budget.ScaleMillions}
	for _, area := range areas {
		name := "England"
		if row, ok := get(area, last, prevention.MeasureQALYsNet, budget.Cash()); ok {
			name = row.AreaName
		}
		fmt.Fprintf(w, "%s (%s)\n", name, area)
		tw := tableWriter(w)
		fmt.Fprintln(tw, "year\tQALYs gained\tQALYs forgone\tQALYs net\tvalue of the net, cash\t")
		for _, y := range years {
			g, _ := get(area, y, prevention.MeasureQALYsGained, budget.Cash())
			f, _ := get(area, y, prevention.MeasureQALYsForgone, budget.Cash())
			n, _ := get(area, y, prevention.MeasureQALYsNet, budget.Cash())
			v, _ := get(area, y, prevention.MeasureQALYValue, budget.Cash())
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", y, budget.FormatCount(g.Value), budget.FormatCount(f.Value), budget.FormatCount(n.Value), m.Format(budget.MoneyFromDecimal(v.Value)))
		}
		tot, _ := a.Window(area, win, prevention.MeasureQALYsNet, scenario.Sum)
		fmt.Fprintf(tw, "total %s\t\t\t%s\t\t\n", win, budget.FormatCount(tot.Value))
		tw.Flush()
	}
	if sentence := a.QALYSentence(areas[0]); sentence != "" {
		fmt.Fprintln(w, "\n"+sentence)
	}
	if a.model.Funding == prevention.WithinEnvelope {
		fmt.Fprintln(w, "Within the envelope the money is a transfer with no value of its own; the health it moves is not: a QALY costs less at the margin of public health spending than of NHS spending (Martin, Lomas and Claxton, BMJ Open 2020), so the net is a gain if NHS prevention buys health as council public health does at the margin, which the paper did not measure.")
	} else {
		fmt.Fprintln(w, "With additional funding nothing is given up in treatment: the QALYs forgone are zero, and the new money's cost elsewhere is not counted, so the value is not a net present social value.")
	}
	size := ""
	if ratio, ok := get(areas[0], last, prevention.MeasureShiftToGrant, budget.Cash()); ok {
		size = fmt.Sprintf(" (%s%% of the public health grant by %s)", ratio.Value.Shift(2).Round(0), last)
	}
	fmt.Fprintf(w, "The costs per QALY are held at their 2013/14 margins: a shift of this size%s would likely meet diminishing returns, so the QALYs gained are an upper estimate; the paper's 2013/14 estimates are brought to each year by the GDP deflator, though NHS costs rise faster.\n", size)
}

func mustShare(d decimal.Decimal) budget.Share {
	s, err := budget.NewShare(d)
	if err != nil {
		return budget.Share{}
	}
	return s
}
