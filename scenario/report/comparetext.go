package report

import (
	"fmt"
	"io"
	"slices"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// ComparisonText writes what examples/compare prints: the scenarios
// compared with base, what each assumes differently, and for each area
// (an ICB's code, a council's for council results, or "ENG") the shift,
// treatment and grant by year with window totals and present values. The
// comparisons are scenario.CompareAreas's of rs with base for those
// areas; council is the council's code for council results ("" for
// none).
func ComparisonText(w io.Writer, params dataset.Parameters, rs []*scenario.Result, base *scenario.Result, comps []*scenario.Comparison, areas []string, council string) error {
	if base == nil || len(rs) == 0 || len(comps) != len(rs) || slices.Contains(rs, nil) || slices.Contains(comps, nil) {
		return fmt.Errorf("report: %w: a comparison needs its results, their comparisons with the base, and the base", budget.ErrNoData)
	}
	for _, r := range append([]*scenario.Result{base}, rs...) {
		if r.Detail == nil {
			return fmt.Errorf("report: scenario %q: %w: a result of a run is needed", r.Scenario.Name, budget.ErrNoData)
		}
	}
	span, err := comparedYears(append([]*scenario.Result{base}, rs...))
	if err != nil {
		return err
	}
	for _, a := range areas {
		if a == "" || a == England || a == council {
			continue
		}
		if x, err := base.Area(a); err != nil || x.Code != a {
			return fmt.Errorf("report: area %q: %w: not an area of the results (give an ICB's code, the council's, or %s)", a, budget.ErrUnknown, England)
		}
	}
	return comparisonTable(w, params, span, rs, base, comps, areas, council)
}

func comparisonTable(w io.Writer, params dataset.Parameters, span budget.Span, rs []*scenario.Result, base *scenario.Result, comps []*scenario.Comparison, areas []string, council string) error {
	h := base.Scenario.Horizon
	years := span.Years()
	windows := scenario.Windows(h)
	fmt.Fprintf(w, "Scenarios compared with %s, %s to %s\n", base.Scenario.Name, years[0], h)
	sched, err := base.Scenario.Discount.Schedule(params)
	if err != nil {
		return err
	}
	rate := sched.RateText()
	published, err := budget.ParseYear(base.Manifest.Published)
	if err != nil {
		return fmt.Errorf("report: scenario %q: the last published year: %w", base.Scenario.Name, err)
	}
	pvBase, _, err := base.Manifest.PresentValues()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Allocations published to %s, projected after (marked *); money in £m; the PV columns are present values from year 0, %s, in its prices, discounted at %s a year (%s);"+
		" the past-years columns are the years before it in the same prices, not discounted (the Green Book appraises from the present; they are the model's figures, not outturn spending).\n",
		base.Manifest.Published, pvBase, rate, base.Scenario.Discount)
	fmt.Fprintf(w, "Data: %s; parameters: %s.\n", base.Manifest.Data, base.Manifest.Parameters)
	fmt.Fprintf(w, "Published years: %s; footprint %s.\n", base.Manifest.AllocationBasis, base.Manifest.Footprint)
	fmt.Fprintln(w, "A shift within the envelope is a transfer from treatment to prevention: as money it is worth nothing of itself under the Green Book; "+
		"the PV measures the flow, and what it buys in health (hewitt -benefits qalys) or assumed returns create value.")
	fmt.Fprintln(w, "\nWhat each scenario changes")
	for _, r := range rs {
		s := r.Scenario
		if s.Description != "" {
			fmt.Fprintf(w, "  %s: %s\n", s.Name, s.Description)
		} else {
			fmt.Fprintf(w, "  %s\n", s.Name)
		}
		if s.Source != "" {
			fmt.Fprintf(w, "    source: %s\n", s.Source)
		}
		if s.Name == base.Scenario.Name {
			fmt.Fprintln(w, "    (the base)")
			continue
		}
		shown := 0
		for _, c := range scenario.AssumptionChanges(base.Scenario, s) {
			fmt.Fprintf(w, "    %s: %s -> %s\n", c.Key, c.Old, c.New)
			shown++
		}
		if shown == 0 {
			fmt.Fprintln(w, "    no assumption differs from the base: the figures are the same")
		}
	}
	for _, area := range areas {
		if area == "" {
			continue
		}
		type table struct {
			measure budget.Measure
			title   string
		}
		tables := []table{
			{prevention.MeasureShift, "Prevention shift (prevention spending above the baseline share)"},
			{prevention.MeasureTreatment, "Treatment spending, change from " + base.Scenario.Name},
			{prevention.MeasureGrant, "Public health grant as councils get it (consolidated from 2026/27)"},
		}
		if area == council {
			fmt.Fprintf(w, "\n%s (%s): its NHS figures are %s; its grant is its own allocation where a council file (-councils) gives it, else apportioned by its share of its ICBs' registered patients (not a published allocation).\n",
				resultAreaName(rs[0], area), area, prevention.AttributionMethod)
			tables[2].title = "Public health grant, the council's own (apportioned unless -councils gives it)"
		}
		if area == "ENG" { // the like-for-like grant is England's only: the consolidated grants are not split by ICB
			tables = append(tables, table{prevention.MeasureGrantLikeForLike, "Public health grant like for like (without the grants consolidated in 2026/27)"})
		}
		if !base.Scenario.Baseline.IncludesCouncil { // else prevention already counts council spending
			tables = append(tables, table{prevention.MeasureCombined, "NHS prevention + public health grant"})
		}
		for _, m := range tables {
			delta := m.measure == prevention.MeasureTreatment
			fmt.Fprintf(w, "\n%s: %s, £m cash\n", resultAreaName(rs[0], area), m.title)
			tw := tableWriter(w)
			fmt.Fprint(tw, "scenario\t")
			for _, y := range years {
				mark := ""
				if y.After(published) {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s%s\t", y, mark)
			}
			for _, win := range windows {
				out, hasOut, disc, _ := scenario.Schedule{Base: pvBase}.Split(win)
				fmt.Fprintf(tw, "total %s\t", win)
				if hasOut {
					fmt.Fprintf(tw, "past years %s\t", out)
				}
				fmt.Fprintf(tw, "PV %s\t", disc)
			}
			fmt.Fprintln(tw)
			for _, c := range comps {
				fmt.Fprintf(tw, "%s\t", c.Scenario)
				show := func(r scenario.CompareRow, ok bool) string { return cell(r, ok, area, delta) }
				for _, y := range years {
					fmt.Fprintf(tw, "%s\t", show(c.Value(area, y, m.measure, budget.Cash())))
				}
				for _, win := range windows {
					_, hasOut, _, _ := scenario.Schedule{Base: pvBase}.Split(win)
					fmt.Fprintf(tw, "%s\t", show(c.Window(area, win, m.measure, scenario.Sum)))
					if hasOut {
						fmt.Fprintf(tw, "%s\t", show(c.Window(area, win, m.measure, scenario.Past)))
					}
					fmt.Fprintf(tw, "%s\t", show(c.Window(area, win, m.measure, scenario.PresentValue)))
				}
				fmt.Fprintln(tw)
			}
			tw.Flush()
		}
	}
	fmt.Fprintln(w, "\nCSV and JSON (-format) give every measure, cash and real terms, with delta and delta_pct against the base.")
	return nil
}

func resultAreaName(r *scenario.Result, code string) string {
	if code == "ENG" {
		return "England"
	}
	if a, err := r.Area(code); err == nil && a.Code == code {
		return a.Name
	}
	return code
}

// cell writes a comparison's row, or its difference from the base, in £m:
// "-" where the comparison has none.
func cell(r scenario.CompareRow, ok bool, area string, delta bool) string {
	if !ok {
		return "-"
	}
	v := r.Value
	if delta {
		v = r.Delta
	}
	return formatArea(area, v)
}
