package deliver

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
)

// BenchmarkWorkbook writes results.xlsx of NHS Essex ICB's report under
// hewitt (examples/hewitt -icb essex -out: seven sheets, about 4,400
// cells).
func BenchmarkWorkbook(b *testing.B) {
	d, err := dataset.Embedded()
	require.NoError(b, err)
	r := scenario.NewRunner(d)
	s, err := scenario.Find(d.Parameters, "hewitt")
	require.NoError(b, err)
	res, err := r.Run(s)
	require.NoError(b, err)
	rep, err := report.NewArea(r, res, report.Options{Area: "D7T5G", Areas: []string{"D7T5G", report.England}})
	require.NoError(b, err)
	dv, err := rep.Deliverable()
	require.NoError(b, err)
	file := filepath.Join(b.TempDir(), "results.xlsx")
	b.ReportAllocs()
	for b.Loop() {
		if err := workbook(file, dv); err != nil {
			b.Fatal(err)
		}
	}
}
