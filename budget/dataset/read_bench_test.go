package dataset_test

import (
	"testing"

	"github.com/upstream-health/upstream/budget/dataset"
)

// BenchmarkReadData reads the embedded folder as -data reads a folder:
// every loader and its checks, and the reference lists held to the
// library's own (dataset.Embedded, which a program's start calls, reads
// the same files without that comparison).
func BenchmarkReadData(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dataset.ReadData(dataset.EmbeddedFiles(), dataset.EmbeddedVintage); err != nil {
			b.Fatal(err)
		}
	}
}
