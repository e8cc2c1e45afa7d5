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
		fmt.Println(y, budget.Formatter{Scale: budget.ScaleMillions}.Format(total), status)
	}
	// Output:
	// 2025/26 £143,495m derived
	// 2028/29 £158,586m projected
}

// An engine restates the data on the ICBs of April 2026 once, and projects
// it under any number of settlements: here the low and high cases.
func ExampleEngine() {
	d, _ := dataset.Embedded()
	e := alloc.NewEngine(d)
	h := budget.MustYear("2028/29")
	programme := []dataset.Stream{dataset.Core, dataset.PMC, dataset.POD}
	for _, name := range []alloc.SettlementName{alloc.SettlementSR2025Low, alloc.SettlementSR2025High} {
		s, err := alloc.NamedSettlement(d, name, "")
		if err != nil {
			fmt.Println(err)
			return
		}
		p, err := e.Project(dataset.Footprint2026, s, h, alloc.DefaultBasis())
		if err != nil {
			fmt.Println(err)
			return
		}
		total, _, _, _ := p.Total("ENG", h, programme)
		fmt.Println(name, len(p.ICBs()), "ICBs", budget.Formatter{Scale: budget.ScaleMillions}.Format(total))
	}
	// Output:
	// sr2025-low 36 ICBs £155,125m
	// sr2025-high 36 ICBs £165,870m
}
