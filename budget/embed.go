package budget

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"sync"
)

//go:embed data/*.csv data/README.md
var embedded embed.FS

// Data is a complete set of inputs: allocations, populations, the public
// health grant, deflators, England totals and the sources they cite.
// Embedded returns the figures shipped with the library; a user can build
// their own from files with the Read functions. A Data is read-only.
type Data struct {
	// Vintage names the data: EmbeddedVintage for the shipped data, or a
	// user's own label.
	Vintage       string
	Allocations   *Allocations
	Populations   Populations
	Grant         Grant
	Deflators     Deflators
	EnglandTotals []EnglandTotal
	Sources       Sources
}

// EmbeddedVintage names the shipped data: NHS England ICB allocations to
// the 2025/26 round (March 2025), the public health grant to 2026/27
// (February 2026), ONS population to mid-2025 and the OBR November 2025
// GDP deflator.
const EmbeddedVintage = "embedded-2026-11"

// Embedded data file names, as written by examples/data -export.
const (
	AllocationsFile   = "allocations.csv"
	PopulationsFile   = "populations.csv"
	GrantFile         = "grant.csv"
	DeflatorsFile     = "deflators.csv"
	EnglandTotalsFile = "england_totals.csv"
	SourcesFile       = "sources.csv"
)

var loadEmbedded = sync.OnceValues(func() (*Data, error) {
	read := func(name string) ([]byte, error) { return embedded.ReadFile("data/" + name) }
	d := &Data{Vintage: EmbeddedVintage}
	steps := []struct {
		file string
		load func([]byte) error
	}{
		{AllocationsFile, func(b []byte) (err error) {
			d.Allocations, err = ReadAllocations(bytes.NewReader(b), AllocationsFile)
			return
		}},
		{PopulationsFile, func(b []byte) (err error) {
			d.Populations, err = ReadPopulations(bytes.NewReader(b), PopulationsFile)
			return
		}},
		{GrantFile, func(b []byte) (err error) { d.Grant, err = ReadGrant(bytes.NewReader(b), GrantFile); return }},
		{DeflatorsFile, func(b []byte) (err error) {
			d.Deflators, err = ReadDeflators(bytes.NewReader(b), DeflatorsFile)
			return
		}},
		{EnglandTotalsFile, func(b []byte) (err error) {
			d.EnglandTotals, err = ReadEnglandTotals(bytes.NewReader(b), EnglandTotalsFile)
			return
		}},
		{SourcesFile, func(b []byte) (err error) { d.Sources, err = ReadSources(bytes.NewReader(b), SourcesFile); return }},
	}
	for _, s := range steps {
		b, err := read(s.file)
		if err != nil {
			return nil, err
		}
		if err := s.load(b); err != nil {
			return nil, fmt.Errorf("embedded data: %w", err)
		}
	}
	return d, nil
})

// Embedded returns the data shipped with the library (see data/README.md
// for every figure's source). It is read once and shared: treat it as
// read-only (every accessor returns copies).
func Embedded() (*Data, error) { return loadEmbedded() }

// EmbeddedFiles returns the embedded data folder: the CSV files in the
// format their Read functions take, and the README describing them.
func EmbeddedFiles() fs.FS {
	sub, _ := fs.Sub(embedded, "data")
	return sub
}

// Source returns the source with an ID from d.Sources, or a Source with only
// the ID when d does not list it (a user's own file may cite its own IDs).
func (d *Data) Source(id string) Source {
	if s, err := d.Sources.Get(id); err == nil {
		return s
	}
	return Source{ID: id, Title: id}
}
