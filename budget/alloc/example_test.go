package alloc_test

import (
	"fmt"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
)

// Project the embedded allocations to 2028/29 under the default
// settlement, and read England's programme budget (core, primary medical
// care, pharmacy, optometry and dental).
func ExampleProject() {
	d, _ := dataset.Embedded()
	s, _ := alloc.DefaultSettlement(d)
	p, err := alloc.Project(d.Allocations, d.Populations, s, budget.MustYear("2028/29"))
	if err != nil {
		fmt.Println(err)
		return
	}
	streams := []dataset.Stream{dataset.Core, dataset.PMC, dataset.POD}
	for _, y := range []string{"2025/26", "2028/29"} {
		total, status, _, err := p.Total("ENG", budget.MustYear(y), streams)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(y, budget.Formatter{Unit: budget.UnitMillions}.Format(total), status)
	}
	// Output:
	// 2025/26 £143,495m derived
	// 2028/29 £158,586m projected
}
