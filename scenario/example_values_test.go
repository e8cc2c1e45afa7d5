package scenario_test

import (
	"fmt"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// An ICB's shift and grant from a Hewitt run by typed accessors: cash and
// real terms (2024/25 prices), their ratio, the shift year by year, and the
// total over the shift's years. The figures are examples/hewitt -icb
// "greater manchester"'s headline: £85.9m (£78.5m in 2024/25 prices), 0.29
// of its part of the grant.
func ExampleResult_Value() {
	d, _ := dataset.Embedded()
	r := scenario.NewRunner(d)
	s, _ := scenario.Find(d.Parameters, "hewitt")
	res, err := r.Run(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	y := budget.MustYear("2028/29")
	const gm = "QOP" // NHS Greater Manchester ICB
	cash, _ := res.Money(gm, y, prevention.MeasureShift, budget.Cash())
	real, _ := res.Money(gm, y, prevention.MeasureShift, res.RealBasis())
	grant, _ := res.Money(gm, y, prevention.MeasureGrant, res.RealBasis())
	ratio, _, _ := res.Value(gm, y, prevention.MeasureShiftToGrant, budget.Cash())
	f := budget.Formatter{Scale: budget.ScaleMillions, Places: 1}
	fmt.Println(y, "shift", f.Format(cash), "cash,", f.Format(real), "in", res.RealBasis().BaseYear(), "prices; grant", f.Format(grant), "real; shift / grant", ratio.StringFixed(2))
	series, _ := res.Series(gm, prevention.MeasureShift, budget.Cash())
	fmt.Println(series.Span(), "shift total", f.Format(series.Total()))
	w := budget.MustSpan("2024/25", "2028/29")
	total, _ := res.Window(gm, w, prevention.MeasureShift, scenario.Sum)
	fmt.Println(w, "shift total", f.Format(budget.MoneyFromDecimal(total)))
	_, err = res.Money("QQQ", y, prevention.MeasureShift, budget.Cash())
	fmt.Println(err)
	// Output:
	// 2028/29 shift £85.9m cash, £78.5m in 2024/25 prices; grant £270.6m real; shift / grant 0.29
	// 2023/24-2028/29 shift total £244.7m
	// 2024/25-2028/29 shift total £244.7m
	// result "hewitt": prevention_shift of QQQ in "2028/29" on basis cash: no data: area "QQQ" is not in the result (ICB codes of footprint 2026, or ENG; Area finds one by name)
}

// A run's assumptions in words, each with its source: what examples/hewitt
// prints under "Assumptions" and the report's Assumptions sheet holds.
func ExampleRunner_Describe() {
	d, _ := dataset.Embedded()
	r := scenario.NewRunner(d)
	s, _ := scenario.Find(d.Parameters, "hewitt")
	res, err := r.Run(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	as, err := r.Describe(res)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range as[:3] {
		fmt.Printf("%s: %.60s...\n", a.Key, a.Value)
	}
	// Output:
	// reading: points (+1 pp over 2024/25-2028/29: the share reaches the ba...
	// baseline share: 5.00% of the budget base in 2023/24, read as a share of tota...
	// budget base: Core services + Primary medical care + Pharmacy, optometry a...
}
