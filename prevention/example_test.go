package prevention_test

import (
	"fmt"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
)

// The three readings of "increased by at least 1 per cent over the next
// five years", from a 5% baseline share.
func ExampleShift_ShareIn() {
	s0 := budget.MustShare("0.05")
	for _, r := range prevention.Readings() {
		sh := prevention.Hewitt()
		sh.Reading = r
		end, _ := sh.ShareIn(budget.MustYear("2028/29"), s0)
		fmt.Printf("%-17s %s\n", r, budget.FormatShare(end, 2))
	}
	// Output:
	// points            6.00%
	// per-year          10.00%
	// relative          5.05%
	// relative-per-year 5.26%
}

// The Hewitt shift for England on the embedded data: how much moves from
// treatment to prevention in 2028/29, against the public health grant.
func ExampleRun() {
	d, _ := dataset.Embedded()
	s, _ := alloc.DefaultSettlement(d)
	p, _ := alloc.Project(d.Allocations, d.Populations, s, budget.MustYear("2028/29"))
	m, _ := prevention.DefaultModel(d)
	r, err := prevention.Run(prevention.Inputs{Projection: p, Grant: d.Grant, Populations: d.Populations}, m)
	if err != nil {
		fmt.Println(err)
		return
	}
	e, _ := r.Values("ENG", budget.MustYear("2028/29"))
	f := budget.Formatter{Scale: budget.ScaleMillions}
	ratio, _ := e.Shift.Div(e.Grant)
	fmt.Println("shift", f.Format(e.Shift), "grant", f.Format(e.Grant), "ratio", ratio.Decimal().StringFixed(2))
	// Output:
	// shift £1,586m grant £4,577m ratio 0.35
}

// A shift made from a typed size: 2 percentage points by 2028/29, and the
// slip of giving per cent to the points reading.
func ExampleNewShift() {
	span := budget.MustSpan("2024/25", "2028/29")
	s, err := prevention.NewShift(prevention.Points, prevention.PercentagePoints(2), span)
	if err != nil {
		fmt.Println(err)
		return
	}
	s0 := budget.MustShare("0.05")
	final, _ := s.ShareIn(budget.MustYear("2028/29"), s0)
	fmt.Println(s.Reading, s.Size, "pp over", s.Span, "from", s.BaseYear, "->", budget.FormatShare(final, 2))
	_, err = prevention.NewShift(prevention.Points, prevention.PerCent(2), span)
	fmt.Println(err)
	// Output:
	// points 2 pp over 2024/25-2028/29 from 2023/24 -> 7.00%
	// shift: size 2%: value out of range: the points reading takes percentage points (2 pp), not per cent of the share, which is for the relative readings
}
