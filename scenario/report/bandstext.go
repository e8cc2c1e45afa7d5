package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// BandsText writes what examples/uncertainty prints: the simulation's
// assumptions and bands for England and the area (an ICB's code, a
// council's, or "ENG"), each reading of "1%" beside them (rds,
// scenario.Runner.Readings), what a council's figures are, and, with
// QALYs, the bands of the health the shift buys and their tornado (qsim,
// a simulation of the net QALYs' tornado; nil for none).
func BandsText(w io.Writer, params dataset.Parameters, sim *scenario.Simulation, area string, rds []scenario.ReadingShift, qsim *scenario.Simulation) error {
	if err := hasBands(sim, area); err != nil {
		return err
	}
	if err := bandsTable(w, params, sim); err != nil {
		return err
	}
	if err := readingsTable(w, sim, area, rds); err != nil {
		return err
	}
	if note := CouncilNote(sim, area); note != "" {
		fmt.Fprintln(w, "\n"+note)
	}
	return qalyTable(w, sim, qsim, area)
}

func bandsTable(w io.Writer, params dataset.Parameters, sim *scenario.Simulation) error {
	s := sim.Scenario
	pvBase, _, err := sim.Manifest.PresentValues()
	if err != nil {
		return err
	}
	qs := sim.Settings.Quantiles
	if s.Description != "" {
		fmt.Fprintf(w, "Uncertainty: %s (%s)\n", s.Name, s.Description)
	} else {
		fmt.Fprintf(w, "Uncertainty: %s\n", s.Name)
	}
	fmt.Fprintf(w, "Data: %s; parameters: %s.\n", sim.Manifest.Data, sim.Manifest.Parameters)
	fmt.Fprintf(w, "Published years: %s; footprint %s.\n", sim.Manifest.AllocationBasis, sim.Manifest.Footprint)
	fmt.Fprintf(w, "%s draws, seed %d; bands are quantiles of the draws: P10 to P90 is an 80%% interval", budget.FormatCount(decimal.NewFromInt(int64(sim.Settings.Draws))), sim.Settings.Seed)
	if len(qs) == 5 {
		fmt.Fprint(w, ", P5 to P95 a 90% interval")
	}
	fmt.Fprintln(w, ".")
	fmt.Fprintln(w, "\nUncertain assumptions (the others as the scenario sets them)")
	for _, u := range s.Uncertain {
		fmt.Fprintf(w, "  %-15s %s\n", u.Assumption, u.Distribution)
		if u.Source != "" {
			fmt.Fprintf(w, "  %-15s source: %s\n", "", u.Source)
		}
	}
	years := s.Years()
	areas := sim.Settings.Areas
	for _, c := range sim.Settings.Councils {
		areas = append(areas, c.Code)
	}
	for _, area := range areas {
		for _, m := range []struct {
			measure budget.Measure
			title   string
		}{
			{prevention.MeasureShift, "prevention shift"},
			{prevention.MeasureGrant, "public health grant"},
			{prevention.MeasureShiftToGrant, "shift / grant"},
		} {
			fmt.Fprintf(w, "\n%s (%s), %s, cash\n", sim.AreaName(area), area, m.title)
			tw := tableWriter(w)
			fmt.Fprint(tw, "year\t")
			for _, q := range qs {
				fmt.Fprintf(tw, "%s\t", strings.ToUpper(scenario.QuantileName(q)))
			}
			fmt.Fprintln(tw)
			for _, y := range years {
				mark := ""
				if y.String() > sim.Manifest.Published {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s%s\t", y, mark)
				for _, q := range qs {
					v, ok := sim.Band(area, y, m.measure, q, budget.Cash())
					if m.measure == prevention.MeasureShiftToGrant {
						fmt.Fprintf(tw, "%s\t", Ratio(v))
						continue
					}
					fmt.Fprintf(tw, "%s\t", money(area, v, ok))
				}
				fmt.Fprintln(tw)
			}
			if m.measure == prevention.MeasureShift {
				for _, win := range scenario.Windows(s.Horizon) {
					_, _, disc, hasPV := scenario.Schedule{Base: pvBase}.Split(win)
					lines := []struct {
						agg    scenario.Aggregate
						label  string
						period budget.Span
					}{{scenario.Sum, "total", win}, {scenario.PresentValue, "PV (" + pvBase.String() + " prices)", disc}}
					if !hasPV { // the window ends before year 0: no present value
						lines = lines[:1]
					}
					for _, v := range lines {
						fmt.Fprintf(tw, "%s %s\t", v.label, v.period)
						for _, q := range qs {
							b, ok := sim.WindowBand(area, win, m.measure, v.agg, q)
							fmt.Fprintf(tw, "%s\t", money(area, b, ok))
						}
						fmt.Fprintln(tw)
					}
				}
			}
			tw.Flush()
		}
	}
	fmt.Fprintf(w, "\n* projected: allocations beyond the %s round (the latest held; NHS England's 2026/27-2028/29 allocations are not held), the grant beyond its last published figure.\n", sim.Manifest.Published)
	sched, err := s.Discount.Schedule(params)
	if err != nil {
		return err
	}
	rate := sched.RateText()
	fmt.Fprintf(w, "PV: present value from year 0, %s, in its prices, discounted at %s a year (%s), of the years from it (earlier years are not discounted); total: the cash sum.\n",
		sim.Manifest.PresentValueBase, rate, s.Discount)
	fmt.Fprintln(w, "The bands cover the assumptions drawn, and no more: growth in 2026/27 and 2027/28 is NHS England's published cash growth (no spread),"+
		" the baseline share cancels out of the shift under the points and per-year readings, and the reading of \"1%\" itself (go run ./examples/compare)"+
		" moves the shift far more than any of them.")
	if len(sim.Tornado) > 0 {
		fmt.Fprintf(w, "\nTornado: %s's prevention shift over %s (cash), one assumption at a time at its P10 and P90, the others central\n",
			sim.AreaName(sim.Settings.TornadoArea), scenario.ShiftWindow(s))
		tw := tableWriter(w)
		fmt.Fprintln(tw, "assumption\tlow input\thigh input\tshift at low\tshift at high\tswing\t")
		// To £0.1m where the widest swing is under £10m (an ICB's), so
		// that swings do not all read £0m or £1m.
		f := budget.Formatter{Scale: budget.ScaleMillions}
		if sim.Tornado[0].Swing < 10e6 {
			f.Places = 1
		}
		fm := func(v float64) string { return f.Format(budget.MoneyFromDecimal(decimal.NewFromFloat(v))) }
		for _, b := range sim.Tornado {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", b.Assumption, scenario.FormatUncertainValue(b.Assumption, b.LowInput),
				scenario.FormatUncertainValue(b.Assumption, b.HighInput), fm(b.Low), fm(b.High), fm(b.Swing))
		}
		tw.Flush()
		fmt.Fprintf(w, "With every assumption central: %s.", fm(sim.Tornado[0].Central))
		for _, u := range s.Uncertain {
			if u.Assumption == scenario.UncertainInflation {
				fmt.Fprintf(w, " Inflation is drawn, so its centre (%s) replaces the scenario's deflator forecast in projected years:"+
					" the central figures differ a little from the scenario's own (Run, as compare gives them).", u.Distribution)
				break
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

// readingsTable writes the readings side by side.
func readingsTable(w io.Writer, sim *scenario.Simulation, area string, rds []scenario.ReadingShift) error {
	s := sim.Scenario
	fmt.Fprintf(w, "\nNot drawn: the reading of \"1%%\" itself. %s's shift at a size of %s under each reading, every other assumption the scenario's\n", sim.AreaName(area), s.Shift.Size)
	tw := tableWriter(w)
	fmt.Fprintf(tw, "reading\tshift in %s\ttotal %s\t\n", s.Horizon, scenario.ShiftWindow(s))
	for _, r := range rds {
		name := r.Reading.String()
		if r.Own {
			name += " (the scenario's)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", name, formatArea(area, r.Last), formatArea(area, r.Total))
	}
	return tw.Flush()
}

// qalyTable writes the net QALYs' bands, the sentence on them, and their
// tornado.
func qalyTable(w io.Writer, sim, qsim *scenario.Simulation, area string) error {
	if sim.Scenario.QALYs == nil {
		return nil
	}
	s := sim.Scenario
	qs := sim.Settings.Quantiles
	fmt.Fprintf(w, "\n%s (%s), QALYs net (gained by prevention at the public health cost per QALY, less forgone in treatment at the NHS's)\n", sim.AreaName(area), area)
	tw := tableWriter(w)
	fmt.Fprint(tw, "year\t")
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t", strings.ToUpper(scenario.QuantileName(q)))
	}
	fmt.Fprintln(tw)
	for _, y := range s.Years() {
		fmt.Fprintf(tw, "%s\t", y)
		for _, q := range qs {
			v, _ := sim.Band(area, y, prevention.MeasureQALYsNet, q, budget.Cash())
			fmt.Fprintf(tw, "%s\t", budget.FormatCount(v))
		}
		fmt.Fprintln(tw)
	}
	win := scenario.ShiftWindow(s)
	fmt.Fprintf(tw, "total %s\t", win)
	for _, q := range qs {
		v, _ := sim.WindowBand(area, win, prevention.MeasureQALYsNet, scenario.Sum, q)
		fmt.Fprintf(tw, "%s\t", budget.FormatCount(v))
	}
	fmt.Fprintln(tw)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, QALYBands(sim, area))
	if qsim == nil || len(qsim.Tornado) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nTornado: %s's net QALYs over %s, one assumption at a time at its P10 and P90, the others central\n", sim.AreaName(area), scenario.ShiftWindow(s))
	tw = tableWriter(w)
	fmt.Fprintln(tw, "assumption\tlow input\thigh input\tQALYs at low\tQALYs at high\tswing\t")
	for _, b := range qsim.Tornado {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", b.Assumption, scenario.FormatUncertainValue(b.Assumption, b.LowInput),
			scenario.FormatUncertainValue(b.Assumption, b.HighInput), budget.FormatCount(decimal.NewFromFloat(b.Low)), budget.FormatCount(decimal.NewFromFloat(b.High)), budget.FormatCount(decimal.NewFromFloat(b.Swing)))
	}
	return tw.Flush()
}

// money is a band in £m, "-" where the simulation has none.
func money(area string, v decimal.Decimal, ok bool) string {
	if !ok {
		return "-"
	}
	return formatArea(area, v)
}
