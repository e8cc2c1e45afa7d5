package dataset

import (
	"fmt"
	"io"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/internal/table"
)

// BenchmarksFile is the embedded file of published comparisons to test the
// library against.
const BenchmarksFile = "grant_benchmarks.csv"

// Benchmark is a published figure about the public health grant that the
// library can be tested against: a real-terms or per-person change, a
// share, an amount, as its publisher stated it.
type Benchmark struct {
	Period  string // "2025/26", "2014/15-2019/20", or as published ("unspecified (cited Apr 2023)")
	Measure string
	Value   decimal.Decimal
	Unit    string // percent, GBP_m, GBP_per_person
	Basis   string // as stated: "real per person (OBR Mar 2022 GDP deflator)"
	Note    string // who published it and when
	Source  string // a source ID
}

// benchmarksColumns are the columns of BenchmarksFile, in order (Columns).
func benchmarksColumns() []string {
	return []string{"period", "measure", "value", "unit", "basis", "note", "source"}
}

// ReadBenchmarks reads a benchmarks file (see ReadBenchmarks); a bad
// number or an empty measure or source is a *budget.FileError naming the line.
func ReadBenchmarks(r io.Reader, name string) ([]Benchmark, error) {
	var out []Benchmark
	err := table.Each(r, name, benchmarksColumns(), func(rw table.Row) error {
		var b Benchmark
		var err error
		if b.Period, err = rw.NonEmpty("period"); err != nil {
			return err
		}
		if b.Measure, err = rw.NonEmpty("measure"); err != nil {
			return err
		}
		if b.Value, err = rw.Decimal("value"); err != nil {
			return err
		}
		if b.Unit, err = rw.NonEmpty("unit"); err != nil {
			return err
		}
		if b.Source, err = rw.NonEmpty("source"); err != nil {
			return err
		}
		b.Basis, b.Note = rw.Get("basis"), rw.Get("note")
		out = append(out, b)
		return nil
	})
	return out, err
}

// EmbeddedBenchmarks are the published benchmarks shipped with the library.
func EmbeddedBenchmarks() ([]Benchmark, error) {
	f, err := EmbeddedFiles().Open(BenchmarksFile)
	if err != nil {
		return nil, fmt.Errorf("embedded benchmarks: %w", err)
	}
	defer f.Close()
	return ReadBenchmarks(f, BenchmarksFile)
}
