package alloc_test

import (
	"testing"

	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
)

// BenchmarkOnFootprint restates the embedded allocations and populations
// of the 42 ICBs onto the 36 of April 2026: what an Engine does once per
// footprint.
func BenchmarkOnFootprint(b *testing.B) {
	d := embeddedData(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := alloc.OnFootprint(d, dataset.Footprint2026); err != nil {
			b.Fatal(err)
		}
	}
}
