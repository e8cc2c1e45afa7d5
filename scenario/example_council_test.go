package scenario_test

import (
	"errors"
	"fmt"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// A council's view of the Hewitt scenario: its part of the NHS shift (by
// its share of its ICBs' registered patients) beside its own grant,
// apportioned here as no council file is given.
func ExampleRunner_Council() {
	d, _ := dataset.Embedded()
	s, _ := scenario.Find(d.Parameters, "hewitt")
	r := scenario.NewRunner(d)
	res, err := r.Run(s)
	if err != nil {
		fmt.Println(err)
		return
	}
	x, _ := dataset.EmbeddedCouncilCrosswalk()
	essex, _ := x.FindCouncil(dataset.Footprint2026, "essex")
	view, err := res.Detail.Council(essex)
	if err != nil {
		fmt.Println(err)
		return
	}
	last := view.Values[len(view.Values)-1]
	f := budget.Formatter{Scale: budget.ScaleMillions, Places: 1}
	fmt.Println(last.Year, essex.Name, "shift", f.Format(last.Shift), "grant", f.Format(last.Grant), last.GrantSource)
	cr, _ := r.Council(res, essex)
	w := budget.MustSpan("2024/25", "2028/29")
	total, _ := cr.Window(essex.Code, w, prevention.MeasureShift, scenario.Sum)
	fmt.Println("total", w, f.Format(budget.MoneyFromDecimal(total)))
	// Output:
	// 2028/29 Essex shift £39.6m grant £114.1m apportioned
	// total 2024/25-2028/29 £113.1m
}

// The common job in one call: a catalogue scenario for an area, an ICB or
// a council by name. A council's result has its rows beside England's and
// the ICBs'.
func ExampleRunner_RunArea() {
	d, _ := dataset.Embedded()
	r := scenario.NewRunner(d)
	y := budget.MustYear("2028/29")
	f := budget.Formatter{Scale: budget.ScaleMillions, Places: 1}
	for _, area := range []string{"greater manchester", "manchester", ""} {
		res, place, err := r.RunArea("Hewitt", area)
		if err != nil {
			fmt.Println(err)
			return
		}
		shift, _ := res.Money(place.Code, y, prevention.MeasureShift, res.RealBasis())
		grant, _ := res.Money(place.Code, y, prevention.MeasureGrant, res.RealBasis())
		fmt.Printf("%s (%s): shift %s, grant %s in %s prices\n", place.Name, place.Code, f.Format(shift), f.Format(grant), res.RealBasis().BaseYear())
	}
	_, _, err := r.RunArea("hewitt", "essex")
	fmt.Println(err != nil, errors.Is(err, dataset.ErrAmbiguous))
	// Output:
	// NHS Greater Manchester ICB (QOP): shift £78.5m, grant £270.6m in 2024/25 prices
	// Manchester (E08000003): shift £17.3m, grant £59.7m in 2024/25 prices
	// England (ENG): shift £1,449.9m, grant £4,184.8m in 2024/25 prices
	// true true
}

// What the Hewitt shift buys in health in England in 2028/29, at Martin,
// Lomas and Claxton's marginal costs per QALY and the Green Book's value.
func ExampleScenario_qalys() {
	d, _ := dataset.Embedded()
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
		budget.Formatter{Scale: budget.ScaleMillions}.Format(value))
	// Output:
	// gained 279529, forgone 78682, net 200847, worth £18,012m
}

// Bands for the Hewitt shift: 2,000 draws of the default uncertain
// assumptions (from the parameters, centred on the scenario's own), the
// same bytes on any machine for a seed.
func ExampleSimulate() {
	d, _ := dataset.Embedded()
	s, _ := scenario.Find(d.Parameters, "hewitt")
	us, err := scenario.DefaultUncertaintyFor(d.Parameters, s)
	if err != nil {
		fmt.Println(err)
		return
	}
	s.Uncertain = us
	sim, err := scenario.Simulate(d, s, &scenario.SimSettings{Draws: 2000, Seed: 1, Workers: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := budget.Formatter{Scale: budget.ScaleMillions}
	for _, b := range sim.Bands {
		if b.Area == "ENG" && b.Period == "2028/29" && b.Basis == "cash" && (b.Measure == "prevention_shift_p10" || b.Measure == "prevention_shift_p90") {
			fmt.Println(b.Measure, f.Format(budget.MoneyFromDecimal(b.Value)))
		}
	}
	fmt.Println("widest:", sim.Tornado[0].Assumption)
	// Output:
	// prevention_shift_p10 £1,571m
	// prevention_shift_p90 £1,633m
	// widest: real_growth
}

// Goal seek: the shift size, in percentage points under the points
// reading, at which England's shift in 2028/29 matches the public health
// grant.
func ExampleRunner_GoalSeek() {
	d, _ := dataset.Embedded()
	s, _ := scenario.Find(d.Parameters, "hewitt")
	size, _, err := scenario.NewRunner(d).GoalSeek(s, prevention.Target{Kind: prevention.TargetGrant})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(size.StringFixed(3), "pp")
	// Output:
	// 2.886 pp
}
