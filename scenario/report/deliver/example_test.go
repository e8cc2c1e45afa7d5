package deliver_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
	"github.com/upstream-health/upstream/scenario/report/deliver"
)

// The report of the Hewitt scenario for NHS Essex ICB, written to a folder:
// what `go run ./examples/hewitt -icb essex -out DIR` writes, byte for byte.
func ExampleWrite() {
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
	dir, _ := os.MkdirTemp("", "essex")
	defer os.RemoveAll(dir)
	dv, err := rep.Deliverable()
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := deliver.Write(dir, dv); err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range deliver.Files() {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			fmt.Println("wrote", f)
		}
	}
	// Output:
	// By 2028/29 the shift moves £49.3m a year from treatment to prevention in NHS Essex ICB, 35% of a public health grant of £142.3m.
	// wrote results.xlsx
	// wrote results.csv
	// wrote summary.csv
	// wrote chart.png
	// wrote chart.svg
	// wrote report.html
}
