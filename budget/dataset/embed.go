package dataset

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/clip"
)

//go:embed data/*.csv data/README.md
var embedded embed.FS

// Data is a complete set of inputs: allocations, populations, the public
// health grant, deflators, England totals, the modelling parameters and the
// sources they cite.
// Embedded returns the figures shipped with the library; a user can build
// their own from files with the Read functions. A Data is read-only.
type Data struct {
	// Vintage names the data: EmbeddedVintage for the shipped data, or a
	// user's own label.
	Vintage     string
	Allocations *Allocations
	Populations Populations
	// Footprints are the ICB boundaries the allocations can be restated
	// on (see alloc.OnFootprint).
	Footprints Footprints
	// Footprint is the footprint Allocations and Populations are on: ""
	// or Footprint2022 as published, or the one alloc.OnFootprint restated them on.
	Footprint     string
	Grant         Grant
	Deflators     Deflators
	EnglandTotals []EnglandTotal
	// Parameters are the modelling assumptions (settlement growth,
	// convergence policies, baseline shares, discount rates), each with its
	// source.
	Parameters Parameters
	Sources    Sources
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
	ParametersFile    = "parameters.csv"
	SourcesFile       = "sources.csv"
	FootprintsFile    = "footprints.csv"
)

// DataFiles lists the files of a complete data set, in the order ReadData
// reads them.
func DataFiles() []string {
	return []string{AllocationsFile, PopulationsFile, FootprintsFile, GrantFile, DeflatorsFile, EnglandTotalsFile, ParametersFile, SourcesFile}
}

// ReadData reads a complete data set from the files DataFiles names in
// fsys (a folder such as os.DirFS("mydata"), written by examples/data
// -export and edited), and labels it with vintage. Every parameter of the
// library's own must be there (Parameters.CheckComplete: a value may
// change, none may go), and every parameter's source must be listed in
// the sources file. Each file must be a plain file: a FIFO, a device or a
// folder in its place is refused unread. FootprintsFile may be missing (a
// folder exported before it existed): the data then has only the 2022
// footprint, and asking for another is an error that says so. The copies
// of the council crosswalk and the ICB list an export writes beside the
// data are for reference: the library uses its own, and a folder whose
// copies differ from them is refused (ErrReference) rather than read
// without them.
func ReadData(fsys fs.FS, vintage string) (*Data, error) {
	d, err := readData(fsys, vintage)
	if err != nil {
		return nil, err
	}
	if err := checkReferences(fsys); err != nil {
		return nil, err
	}
	emb, err := Embedded()
	if err != nil {
		return nil, err
	}
	if err := d.Parameters.CheckComplete(emb.Parameters); err != nil {
		return nil, err
	}
	return d, nil
}

// readData is ReadData without the reference lists' check: the embedded
// files are the reference.
func readData(fsys fs.FS, vintage string) (*Data, error) {
	if fsys == nil {
		return nil, fmt.Errorf("reading data: %w: no folder", budget.ErrFormat)
	}
	d := &Data{Vintage: vintage}
	for _, name := range DataFiles() {
		// Each file is read as it is parsed, not read whole first, so the
		// embedded files are not copied. A file that is not plain (a
		// FIFO, a device such as /dev/zero) is refused before it is read
		// (openPlain, budget.ErrFormat), and the loaders stop at
		// MaxFileBytes (budget.ErrTooLarge).
		r, err := openPlain(fsys, name)
		if name == FootprintsFile && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading data: %w", err)
		}
		switch name {
		case AllocationsFile:
			d.Allocations, err = ReadAllocations(r, name)
		case PopulationsFile:
			d.Populations, err = ReadPopulations(r, name)
		case FootprintsFile:
			d.Footprints, err = ReadFootprints(r, name)
		case GrantFile:
			d.Grant, err = ReadGrant(r, name)
		case DeflatorsFile:
			d.Deflators, err = ReadDeflators(r, name)
		case EnglandTotalsFile:
			d.EnglandTotals, err = ReadEnglandTotals(r, name)
		case ParametersFile:
			d.Parameters, err = ReadParameters(r, name)
		case SourcesFile:
			d.Sources, err = ReadSources(r, name)
		}
		r.Close()
		if err != nil {
			return nil, err
		}
	}
	if err := errors.Join(d.Parameters.CheckKnown(), d.Parameters.CheckSources(d.Sources), d.checkSources(), d.checkAreas(), d.Footprints.Check(d.Allocations)); err != nil {
		return nil, err
	}
	return d, nil
}

// WriteFile writes the dataset a file of DataFiles holds, in the format its
// loader reads, so that ReadData gives back the same data. A nil d is an
// error wrapping budget.ErrNoData.
func (d *Data) WriteFile(w io.Writer, name string) error {
	if d == nil {
		return fmt.Errorf("writing %s: %w: no data (nil)", name, budget.ErrNoData)
	}
	switch name {
	case AllocationsFile:
		return d.Allocations.Write(w)
	case PopulationsFile:
		return d.Populations.Write(w)
	case FootprintsFile:
		return d.Footprints.Write(w)
	case GrantFile:
		return d.Grant.Write(w)
	case DeflatorsFile:
		return d.Deflators.Write(w)
	case EnglandTotalsFile:
		return WriteEnglandTotals(w, d.EnglandTotals)
	case ParametersFile:
		return d.Parameters.Write(w)
	case SourcesFile:
		return d.Sources.Write(w)
	}
	return fmt.Errorf("writing %q: %w: the data files are %s", name, budget.ErrUnknown, strings.Join(DataFiles(), ", "))
}

// Columns are the columns of a data file, in order: one of DataFiles,
// CouncilCrosswalkFile, ICBDirectoryFile or BenchmarksFile (each file's
// Read function says what its columns hold). Another name is an error
// wrapping budget.ErrUnknown.
func Columns(file string) ([]string, error) {
	switch file {
	case AllocationsFile:
		return allocationsColumns(), nil
	case BenchmarksFile:
		return benchmarksColumns(), nil
	case CouncilCrosswalkFile:
		return councilCrosswalkColumns(), nil
	case DeflatorsFile:
		return deflatorsColumns(), nil
	case SourcesFile:
		return sourcesColumns(), nil
	case EnglandTotalsFile:
		return englandTotalsColumns(), nil
	case FootprintsFile:
		return footprintsColumns(), nil
	case GrantFile:
		return grantColumns(), nil
	case ICBDirectoryFile:
		return iCBDirectoryColumns(), nil
	case ParametersFile:
		return parametersColumns(), nil
	case PopulationsFile:
		return populationsColumns(), nil
	}
	return nil, fmt.Errorf("columns of %q: %w: the data files are %s, %s, %s and %s", file, budget.ErrUnknown, strings.Join(DataFiles(), ", "), CouncilCrosswalkFile, ICBDirectoryFile, BenchmarksFile)
}

// Export writes the data to folder dir (made if needed) to edit and load
// back: every file of DataFiles in the format its loader reads, the
// council crosswalk and ICB list as shipped, and a README describing the
// files. It returns the paths written, in order. What is written reads
// back (ReadData) as the same data. A folder that already holds any of
// these files is refused (an error wrapping fs.ErrExist, naming them)
// unless overwrite is set, so that edits are not lost; a folder, or a file
// in it, that is a symbolic link or not a plain file is refused always,
// so that nothing is written elsewhere. The files are made in a temporary
// folder inside dir and renamed into place.
func (d *Data) Export(dir string, overwrite bool) ([]string, error) {
	if d == nil {
		return nil, fmt.Errorf("exporting: %w: no data (nil)", budget.ErrNoData)
	}
	if strings.TrimSpace(dir) == "" {
		return nil, fmt.Errorf("exporting: %w: no folder given", budget.ErrNoData)
	}
	if fi, err := os.Lstat(filepath.Clean(dir)); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return nil, fmt.Errorf("exporting to %s: a symbolic link: give the folder itself, so that nothing is written elsewhere", dir)
	}
	names := append(DataFiles(), CouncilCrosswalkFile, ICBDirectoryFile, "README.md")
	var found []string
	for _, name := range names {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("exporting to %s: %s is not a plain file (a symbolic link or a folder): remove it, so that nothing is written elsewhere", dir, name)
		}
		found = append(found, name)
	}
	if len(found) > 0 && !overwrite {
		return nil, fmt.Errorf("exporting to %s: %w: %s (edits would be lost: give another folder, or overwrite them)", dir, fs.ErrExist, strings.Join(found, ", "))
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	stage, err := os.MkdirTemp(dir, ".export-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	files := map[string][]byte{}
	for _, name := range DataFiles() {
		var b bytes.Buffer
		if err := d.WriteFile(&b, name); err != nil {
			return nil, fmt.Errorf("writing %s: %w", name, err)
		}
		files[name] = b.Bytes()
	}
	for _, name := range []string{CouncilCrosswalkFile, ICBDirectoryFile} {
		b, err := fs.ReadFile(EmbeddedFiles(), name)
		if err != nil {
			return nil, err
		}
		files[name] = b
	}
	readme, err := fs.ReadFile(EmbeddedFiles(), "README.md")
	if err != nil {
		return nil, err
	}
	// The files' descriptions, under a note that these copies are for editing.
	table := string(readme)
	if i := strings.Index(table, "| file |"); i >= 0 {
		table = table[i:]
	}
	files["README.md"] = []byte("# Upstream data, exported to edit\n\n" +
		"These files are a copy of the data the library ships (" + d.Vintage + "), in the format its loaders read.\n" +
		"Edit them and give them back to any program: `go run ./examples/hewitt -data DIR` for the whole folder,\n" +
		"or one file with `-parameters FILE`, `-allocations FILE` or `-grant FILE`. Every row cites a source ID\n" +
		"listed in sources.csv: add your own sources there. Units: money in pounds; `fraction` is a plain number\n" +
		"(0.03 is 3%); `share` is from 0 to 1; `ratio` is a multiple (14.3 is 14.3:1); `years` a whole number.\n" +
		"`council_icb.csv` and `icbs.csv` are copies for reference, not for editing: the programs use the library's\n" +
		"own, and refuse a folder whose copies differ from them (delete them from the folder if you do not need them).\n\n" + table)
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(stage, name), files[name], 0o644); err != nil {
			return nil, err
		}
	}
	var written []string
	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.Rename(filepath.Join(stage, name), path); err != nil {
			return written, err
		}
		written = append(written, path)
	}
	return written, nil
}

var loadEmbedded = sync.OnceValues(func() (*Data, error) {
	d, err := readData(EmbeddedFiles(), EmbeddedVintage)
	if err != nil {
		return nil, fmt.Errorf("embedded data: %w", err)
	}
	return d, nil
})

// Embedded returns the data shipped with the library (see data/README.md
// for every figure's source). The files are read once; each call returns
// its own Data, so a caller that replaces a dataset (d.Parameters = mine)
// changes only its own copy. The datasets themselves are read-only values.
func Embedded() (*Data, error) {
	d, err := loadEmbedded()
	if err != nil {
		return nil, err
	}
	c := *d
	c.EnglandTotals = append([]EnglandTotal(nil), d.EnglandTotals...)
	return &c, nil
}

// EmbeddedFiles returns the embedded data folder: the CSV files in the
// format their Read functions take, and the README describing them.
func EmbeddedFiles() fs.FS {
	sub, _ := fs.Sub(embedded, "data")
	return sub
}

// Source returns the source with an ID from d.Sources, or a Source with only
// the ID when d does not list it (a user's own file may cite its own IDs)
// or d is nil.
func (d *Data) Source(id string) budget.Source {
	if d == nil {
		return budget.Source{ID: id, Title: id}
	}
	if s, err := d.Sources.Get(id); err == nil {
		return s
	}
	return budget.Source{ID: id, Title: id}
}

// checkAreas reports a population of an area that is neither England
// nor an ICB of the allocations, by the line of its first figure (the
// first ten such areas, and a count of the rest): it would be carried,
// unread, through every restatement.
func (d *Data) checkAreas() error {
	var errs fewErrors
	seen := map[string]bool{}
	for _, f := range d.Populations.Figures() {
		if f.Area == "ENG" || seen[f.Area] {
			continue
		}
		seen[f.Area] = true
		if _, err := d.Allocations.ICB(f.Area); err != nil {
			errs.add(&budget.FileError{File: d.Populations.File(), Line: d.Populations.Line(f.Year, f.Area, f.Measure), Column: "area_code", Value: clip.Clip(f.Area),
				Err: fmt.Errorf("%w: neither England (ENG) nor an ICB of the allocations", budget.ErrUnknown)})
		}
	}
	return errs.err(d.Populations.File(), budget.ErrUnknown, "areas that are neither England nor an ICB")
}

// checkSources reports, for each data file, the source IDs its rows cite
// that the sources file does not list: every figure must know its source.
func (d *Data) checkSources() error {
	var errs []error
	check := func(file string, n int, id func(int) string) {
		var unknown []string
		seen := map[string]bool{}
		for i := 0; i < n; i++ {
			s := id(i)
			if seen[s] {
				continue
			}
			seen[s] = true
			if _, err := d.Sources.Get(s); err != nil {
				unknown = append(unknown, s)
			}
		}
		if len(unknown) > 0 {
			ids := strings.Join(unknown, ", ")
			if len(unknown) > 12 {
				ids = strings.Join(unknown[:12], ", ") + fmt.Sprintf(" and %d more", len(unknown)-12)
			}
			errs = append(errs, &budget.FileError{File: file, Column: "source",
				Err: fmt.Errorf("%w: sources this file cites are not in %s (%s): add each there (title, address, date), or check %s is complete",
					budget.ErrUnknown, SourcesFile, ids, SourcesFile)})
		}
	}
	if d.Allocations != nil {
		check(AllocationsFile, len(d.Allocations.figures), func(i int) string { return d.Allocations.figures[i].Source })
	}
	check(PopulationsFile, len(d.Populations.figures), func(i int) string { return d.Populations.figures[i].Source })
	check(GrantFile, len(d.Grant.figures), func(i int) string { return d.Grant.figures[i].Source })
	check(DeflatorsFile, len(d.Deflators.list), func(i int) string { return d.Deflators.list[i].Source() })
	check(EnglandTotalsFile, len(d.EnglandTotals), func(i int) string { return d.EnglandTotals[i].Source })
	var parts []FootprintPart
	for _, fp := range d.Footprints.list {
		parts = append(parts, fp.Parts...)
	}
	check(FootprintsFile, len(parts), func(i int) string { return parts[i].Source })
	return errors.Join(errs...)
}

// FootprintName is the footprint the data's allocations are on: Footprint2022
// as published, or the one alloc.OnFootprint restated them on.
func (d *Data) FootprintName() string {
	if d == nil || d.Footprint == "" {
		return Footprint2022
	}
	return d.Footprint
}
