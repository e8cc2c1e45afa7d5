package deliver

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
)

// essex is NHS Essex ICB's report under hewitt, beside England, as
// examples/hewitt -icb essex -out makes it.
func essex(b *testing.B) *report.Area {
	d, err := dataset.Embedded()
	require.NoError(b, err)
	r := scenario.NewRunner(d)
	s, err := scenario.Find(d.Parameters, "hewitt")
	require.NoError(b, err)
	res, err := r.Run(s)
	require.NoError(b, err)
	rep, err := report.NewArea(r, res, report.Options{Area: "D7T5G", Areas: []string{"D7T5G", report.England}})
	require.NoError(b, err)
	return rep
}

// BenchmarkWorkbook writes results.xlsx of NHS Essex ICB's report under
// hewitt (seven sheets, about 4,400 cells).
func BenchmarkWorkbook(b *testing.B) {
	dv, err := essex(b).Deliverable()
	require.NoError(b, err)
	file := filepath.Join(b.TempDir(), "results.xlsx")
	b.ReportAllocs()
	for b.Loop() {
		if err := workbook(file, dv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkChart draws the same report's chart (four lines over six
// years) as chart.png and chart.svg.
func BenchmarkChart(b *testing.B) {
	c, err := essex(b).Chart()
	require.NoError(b, err)
	for _, ext := range []string{"png", "svg"} {
		file := filepath.Join(b.TempDir(), "chart."+ext)
		b.Run(ext, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Draw(file, c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
