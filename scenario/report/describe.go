package report

import (
	"fmt"
	"slices"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// Assumptions are the run's assumptions in words, each with its source
// (scenario.Runner.Describe), and the council's for a council's report.
func (a *Area) Assumptions() []Assumption {
	if a.made() != nil {
		return nil
	}
	out := slices.Clone(a.assumptions)
	if view := a.View; view != nil {
		src := "GP-registered patients by practice and council, the crosswalk council_icb.csv [F4]"
		if a.res.Scenario.Councils != nil {
			src += "; the council file (-councils)"
		}
		out = append(out, Assumption{"council", fmt.Sprintf("%s (%s): its NHS figures are %s; its grant: %s",
			view.Council.Name, view.Council.Code, prevention.AttributionMethod, GrantYears(view)), src})
	}
	return out
}

// QALYSentence is the sentence a director can repeat about an area's
// QALYs (the report's area, England, or another in its rows): the net a
// year by the last year, gained and forgone, its worth, the total over the
// shift's years and its present value; "" when the run does not value
// health.
func (a *Area) QALYSentence(area string) string {
	if a.made() != nil {
		return ""
	}
	m := a.model
	years := m.Years.Years()
	last := years[len(years)-1]
	win := m.Shift.Span
	cash := budget.Cash()
	f := budget.Formatter{Scale: budget.ScaleMillions}
	name := "England"
	n, ok := a.Row(area, last, prevention.MeasureQALYsNet, cash)
	if !ok {
		return ""
	}
	if area != England {
		name = n.AreaName
	}
	v, _ := a.Row(area, last, prevention.MeasureQALYValue, cash)
	vr, _ := a.Row(area, last, prevention.MeasureQALYValue, a.real)
	tot, _ := a.Window(area, win, prevention.MeasureQALYsNet, scenario.Sum)
	gained, _ := a.Row(area, last, prevention.MeasureQALYsGained, cash)
	forgone, _ := a.Row(area, last, prevention.MeasureQALYsForgone, cash)
	pvBase, _, _ := a.res.Manifest.PresentValues()
	pv, hasPV := a.Window(area, win, prevention.MeasureQALYValue, scenario.PresentValue)
	var pvSpan string
	if _, _, disc, ok := (scenario.Schedule{Base: pvBase}).Split(win); ok && hasPV {
		pvSpan = disc.String()
	}
	sign := "gain"
	if n.Value.Sign() < 0 {
		sign = "lose"
	}
	worth := "worth"
	if m.Funding == prevention.Additional {
		worth = "before the new money's own cost, worth"
	}
	out := fmt.Sprintf("In health: the shift in %s would %s about %s QALYs net in %s (%s gained, %s forgone; QALYs bought by that year's spending, most of them lived in later years), "+worth+" %s at the Green Book's value of a QALY (%s in %s prices); %s QALYs over %s",
		last, sign, budget.FormatAbout(n.Value.Abs()), name, budget.FormatCount(gained.Value), budget.FormatCount(forgone.Value),
		f.Format(budget.MoneyFromDecimal(v.Value)), f.Format(budget.MoneyFromDecimal(vr.Value)), m.RealBase, budget.FormatCount(tot.Value), win)
	if pvSpan != "" {
		what := "a net present social value"
		if m.Funding == prevention.Additional {
			what = "a present value of the health bought (not net of the new money, which a Green Book appraisal would set against it)"
		}
		out += fmt.Sprintf(", %s of %s over %s (%s prices, discounted at the Green Book's 1.5%% for health from the year of spending)", what, f.Format(budget.MoneyFromDecimal(pv.Value)), pvSpan, pvBase)
	}
	return out + "."
}
