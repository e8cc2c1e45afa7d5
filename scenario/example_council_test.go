package scenario_test

import (
	"fmt"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// A council's view of the Hewitt scenario: its part of the NHS shift (by
// its share of its ICBs' registered patients) beside its own grant,
// apportioned here as no council file is given.
func ExampleRunner_Council() {
	d, _ := budget.Embedded()
	s, _ := scenario.Find(d.Parameters, "hewitt")
	r := scenario.NewRunner(d)
	res, err := r.Run(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	x, _ := budget.EmbeddedCouncilCrosswalk()
	essex, _ := x.FindCouncil(budget.Footprint2026, "essex")
	view, err := res.Detail.Council(essex)
	if err != nil {
		fmt.Println(err)
		return
	}
	last := view.Values[len(view.Values)-1]
	f := budget.Formatter{Unit: budget.UnitMillions, Places: 1}
	fmt.Println(last.Year, essex.Name, "shift", f.Format(last.Shift), "grant", f.Format(last.Grant), last.GrantSource)
	cr, _ := r.Council(res, essex)
	for _, row := range cr.Summary {
		if row.Measure == prevention.MeasureShift+"_total" && row.Period == "2024/25-2028/29" {
			fmt.Println("total", row.Period, f.Format(budget.MoneyFromDecimal(row.Value)))
		}
	}
	// Output:
	// 2028/29 Essex shift £39.6m grant £114.1m apportioned
	// total 2024/25-2028/29 £113.1m
}

// What the Hewitt shift buys in health in England in 2028/29, at Martin,
// Lomas and Claxton's marginal costs per QALY and the Green Book's value.
func ExampleScenario_qalys() {
	d, _ := budget.Embedded()
	s, _ := scenario.Find(d.Parameters, "hewitt")
	q, err := prevention.QALYsPreset(d.Parameters)
	if err != nil {
		fmt.Println(err)
		return
	}
	s.QALYs = &q
	res, err := scenario.Run(d, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	gained, forgone, net, value, _, _ := res.Detail.QALYs("ENG", budget.MustYear("2028/29"))
	fmt.Printf("gained %s, forgone %s, net %s, worth %s\n", gained.StringFixed(0), forgone.StringFixed(0), net.StringFixed(0),
		budget.Formatter{Unit: budget.UnitMillions}.Format(value))
	// Output:
	// gained 279529, forgone 78682, net 200847, worth £18,012m
}
