package scenario_test

import (
	"fmt"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/scenario"
)

// The Hewitt reading against the status quo: the England prevention shift
// over 2024/25-2028/29, in cash and as a Green Book present value.
func ExampleCompare() {
	d, _ := dataset.Embedded()
	hewitt, _ := scenario.Find(d.Parameters, scenario.Hewitt)
	base, _ := scenario.Find(d.Parameters, scenario.StatusQuo)
	rs, err := scenario.NewRunner(d).RunAll([]scenario.Scenario{hewitt, base})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := scenario.Compare(rs[0], rs[1])
	if err != nil {
		fmt.Println(err)
		return
	}
	f := budget.Formatter{Scale: budget.ScaleMillions}
	for _, r := range c.Rows {
		if r.Area == "ENG" && (r.Measure == "prevention_shift_total" || r.Measure == "prevention_shift_pv") {
			fmt.Println(r.Period, r.Measure, r.Basis, f.Format(budget.MoneyFromDecimal(r.Delta)))
		}
	}
	for _, ch := range scenario.AssumptionChanges(base, hewitt) {
		fmt.Println(ch.Key, ch.Old, "->", ch.New)
	}
	// Output:
	// 2024/25-2028/29 prevention_shift_total cash £4,519m
	// 2026/27-2028/29 prevention_shift_pv real_2026_27 £3,455m
	// shift.size 0 -> 1
}

// Run the Hewitt scenario and read England's shift and grant in 2028/29 from
// the result: the headline of examples/hewitt.
func ExampleRun() {
	d, _ := dataset.Embedded()
	s, _ := scenario.Find(d.Parameters, "Hewitt") // names are found in any case
	res, err := scenario.Run(d, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, err := res.Detail.Values("ENG", budget.MustYear("2028/29"))
	if err != nil {
		fmt.Println(err)
		return
	}
	f := budget.Formatter{Scale: budget.ScaleMillions}
	fmt.Println("shift", f.Format(v.Shift), "grant", f.Format(v.Grant))
	fmt.Println(res.Manifest.Footprint, "footprint;", len(res.Detail.Areas())-1, "ICBs")
	// Output:
	// shift £1,586m grant £4,577m
	// 2026 footprint; 36 ICBs
}
