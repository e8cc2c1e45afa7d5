package scenario_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/clitest"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// runOn runs the hewitt scenario on d, and its rows: an error is a result,
// a panic is a failure.
func runOn(t *testing.T, d *dataset.Data) {
	t.Helper()
	s, err := scenario.Find(d.Parameters, scenario.Hewitt)
	if err != nil {
		return
	}
	s.Data = d.Vintage
	_, _ = scenario.NewRunner(d).Run(s)
}

// seed adds the embedded file, written by its writer, and a few mutations
// of it that earlier bugs came from.
func seed(f *testing.F, write func(*bytes.Buffer) error, edits ...[2]string) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		f.Fatal(err)
	}
	f.Add(b.String())
	for _, e := range edits {
		f.Add(strings.Replace(b.String(), e[0], e[1], 1))
	}
}

// FuzzRunWithDeflators loads a mutated deflators file and runs the model
// on it: no input that loads makes a run panic (a base year of
// -99.9999999999999% once divided real terms by zero).
func FuzzRunWithDeflators(f *testing.F) {
	d := data(f)
	seed(f, func(b *bytes.Buffer) error { return d.Deflators.Write(b) },
		[2]string{"2024/25,gdp,obr-2025-11,pct_change,3.7175", "2024/25,gdp,obr-2025-11,pct_change,-49.9999"},
		[2]string{"2028/29,gdp,obr-2025-11,pct_change,1.8843", "2028/29,gdp,obr-2025-11,pct_change,99.99"})
	f.Fuzz(func(t *testing.T, in string) {
		ds, err := dataset.ReadDeflators(strings.NewReader(in), "deflators.csv")
		if err != nil {
			return
		}
		own := *d
		own.Deflators = ds
		runOn(t, &own)
	})
}

// FuzzRunWithParameters loads a mutated parameters file and runs the model.
func FuzzRunWithParameters(f *testing.F) {
	d := data(f)
	seed(f, func(b *bytes.Buffer) error { return d.Parameters.Write(b) },
		[2]string{"present_value.base_year,first-projected,name", "present_value.base_year,1900/01,year"},
		[2]string{"nhse_revenue.2028/29,226100000000", "nhse_revenue.2028/29,0.0001"},
		[2]string{"settlement.sr2025.real_growth,0.030262", "settlement.sr2025.real_growth,-0.19"},
		[2]string{"uncertain.real_growth.c,0.079423", "uncertain.real_growth.c,-1"})
	f.Fuzz(func(t *testing.T, in string) {
		p, err := dataset.ReadParameters(strings.NewReader(in), "parameters.csv")
		if err != nil {
			return
		}
		own := *d
		own.Parameters = p
		runOn(t, &own)
	})
}

// FuzzRunWithFootprints loads a mutated footprints file and runs the model
// on the footprint of April 2026.
func FuzzRunWithFootprints(f *testing.F) {
	d := data(f)
	seed(f, func(b *bytes.Buffer) error { return d.Footprints.Write(b) },
		[2]string{"2026,QHG,S1Y5D", "2026,QHG,QHG"},
		[2]string{",registered,1,F1", ",registered,0,F1"})
	f.Fuzz(func(t *testing.T, in string) {
		fps, err := dataset.ReadFootprints(strings.NewReader(in), "footprints.csv")
		if err != nil {
			return
		}
		own := *d
		own.Footprints = fps
		runOn(t, &own)
	})
}

// FuzzRunWithCouncils loads a mutated council file (as examples/hewitt
// -councils reads it) and runs the model with the ICBs' grant from it.
func FuzzRunWithCouncils(f *testing.F) {
	d := data(f)
	x, err := dataset.EmbeddedCouncilCrosswalk()
	if err != nil {
		f.Fatal(err)
	}
	b := clitest.CouncilFile(f)
	f.Add(b)
	f.Add(strings.Replace(b, "2025/26,", "2026/27,", 3))
	f.Add("year,council_code,council_name,amount\n2025/26,E08000001,Bolton,0\n")
	f.Fuzz(func(t *testing.T, in string) {
		for _, subset := range []bool{false, true} {
			c, err := prevention.CouncilAllocations(strings.NewReader(in), "councils.csv", x, dataset.Footprint2026, prevention.CouncilOptions{Subset: subset})
			if err != nil {
				continue
			}
			s, err := scenario.Find(d.Parameters, scenario.Hewitt)
			if err != nil {
				t.Fatal(err)
			}
			in, m, err := scenario.NewRunner(d).Model(s)
			if err != nil {
				t.Fatal(err)
			}
			in.Councils = c
			if r, err := prevention.Run(in, m); err == nil {
				_, _ = r.Rows(s.Name, nil)
			}
		}
	})
}
