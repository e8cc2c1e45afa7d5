package report_test

import (
	"fmt"

	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
)

// The report of the Hewitt scenario for NHS Essex ICB: its headline, and
// its chart as data (package deliver draws it and writes the folder).
func ExampleNewArea() {
	d, _ := dataset.Embedded()
	r := scenario.NewRunner(d)
	s, _ := scenario.Find(d.Parameters, "hewitt")
	res, err := r.Run(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := report.NewArea(r, res, report.Options{Area: "D7T5G", Areas: []string{"D7T5G", report.England}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(rep.Headline())
	chart, err := rep.Chart()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(chart.Title)
	for _, s := range chart.Series {
		fmt.Printf("%s: £%.1fm in %s\n", s.Name, s.Values[len(s.Values)-1], chart.Years[len(chart.Years)-1])
	}
	// Output:
	// By 2028/29 the shift moves £49.3m a year from treatment to prevention in NHS Essex ICB, 35% of a public health grant of £142.3m.
	// NHS Essex ICB: the prevention shift and the public health grant
	// prevention shift, cash: £49.3m in 2028/29
	// prevention shift, 2024/25 prices: £45.1m in 2028/29
	// public health grant, cash: £142.3m in 2028/29
	// public health grant, 2024/25 prices: £130.1m in 2028/29
}
