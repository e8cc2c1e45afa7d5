package dataset_test

import (
	"bytes"
	"fmt"
	"testing/fstest"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

func ExampleReadAllocations() {
	d, _ := dataset.Embedded()
	a := d.Allocations
	f, _ := a.Lookup(budget.MustYear("2025/26"), "QE1", dataset.Core, dataset.Recurrent, "")
	icb, _ := a.ICB("QE1")
	fmt.Println(icb.Name)
	fmt.Println(budget.Formatter{Scale: budget.ScaleMillions, Places: 3}.Format(f.Money()), f.Status, d.Source(f.Source).ID)
	// Output:
	// NHS Lancashire and South Cumbria ICB
	// £3,910.716m published S2
}

// Find a council by a part of its name, and the ICBs its GP-registered
// patients are in (by practice location).
func ExampleCouncilCrosswalk_FindCouncil() {
	x, _ := dataset.EmbeddedCouncilCrosswalk()
	c, err := x.FindCouncil(dataset.Footprint2026, "redbridge")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Code, c.Name)
	for _, p := range c.Parts {
		fmt.Printf("%s: %s%% of the council's patients, %s%% of the ICB's\n", p.ICB, p.OfCouncil.Shift(2).StringFixed(1), p.OfICB.Shift(2).StringFixed(1))
	}
	_, err = x.FindCouncil(dataset.Footprint2026, "bristl")
	fmt.Println(err)
	// Output:
	// E09000026 Redbridge
	// D7T5G: 2.5% of the council's patients, 0.5% of the ICB's
	// QMF: 97.5% of the council's patients, 14.6% of the ICB's
	// council "bristl": unknown name: no council of footprint 2026 has that code or name; the closest: E06000023 Bristol, City of; E09000005 Brent; E09000003 Barnet
}

// Read a data folder of your own: here the embedded data written out file
// by file (as go run ./examples/data -export writes it) with one parameter
// changed, and read back with ReadData.
func ExampleReadData() {
	d, _ := dataset.Embedded()
	folder := fstest.MapFS{}
	for _, name := range dataset.DataFiles() {
		var buf bytes.Buffer
		if err := d.WriteFile(&buf, name); err != nil {
			fmt.Println(err)
			return
		}
		folder[name] = &fstest.MapFile{Data: buf.Bytes()}
	}
	p := folder[dataset.ParametersFile]
	p.Data = bytes.Replace(p.Data, []byte("deflator.long_run_inflation,0.02,"), []byte("deflator.long_run_inflation,0.025,"), 1)
	mine, err := dataset.ReadData(folder, "my data")
	if err != nil {
		fmt.Println(err)
		return
	}
	r, _ := mine.Parameters.Rate(dataset.ParamLongRunInflation)
	fmt.Printf("%s: %d ICBs; long-run inflation %s%%\n", mine.Vintage, len(mine.Allocations.ICBs()), r.Percent())
	// Output:
	// my data: 42 ICBs; long-run inflation 2.5%
}
