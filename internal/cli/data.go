package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// DataFlags are the flags with which a program's user replaces the
// embedded data with their own files, each in the format examples/data
// -export writes:
//
//	-data DIR          a whole data set (every file dataset.DataFiles names)
//	-parameters FILE   the modelling parameters
//	-allocations FILE  the ICB allocations
//	-grant FILE        the public health grant
//
// A single file replaces that dataset of the embedded data (or of -data).
type DataFlags struct {
	dir, parameters, allocations, grant *string
	unreconciled                        *bool
}

// NewDataFlags registers the data flags on fs.
func NewDataFlags(fs *Flags) *DataFlags { return newDataFlags(fs, "") }

// NewDataFlagsWithCouncils is NewDataFlags for a program that also takes
// -councils, whose -unreconciled help says so.
func NewDataFlagsWithCouncils(fs *Flags) *DataFlags {
	return newDataFlags(fs, ", or a -councils file whose amounts look implausible or do not add up to England's grant")
}

func newDataFlags(fs *Flags, councils string) *DataFlags {
	return &DataFlags{
		dir:         fs.String("data", "", "use this folder of data files (as examples/data -export writes them) instead of the embedded data"),
		parameters:  fs.String("parameters", "", "use this parameters CSV (settlement growth, convergence, baseline shares, discount rates; see examples/data -export)"),
		allocations: fs.String("allocations", "", "use this allocations CSV (see examples/data -export)"),
		grant:       fs.String("grant", "", "use this public health grant CSV (see examples/data -export)"),
		unreconciled: fs.Bool("unreconciled", false, "use -data, -allocations or -grant figures that do not add up to the published England totals"+
			councils+" (a what-if, labelled as such); without it they must agree to £1k"),
	}
}

// Load returns the embedded data, or the user's data where the flags name
// files. Its vintage says which files replaced the embedded ones.
func (f *DataFlags) Load() (*dataset.Data, error) {
	var d *dataset.Data
	var err error
	if *f.dir != "" {
		if st, err := os.Stat(*f.dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("-data %s: %w: no such folder (make one with go run ./examples/data -export %s)", *f.dir, budget.ErrNoData, *f.dir)
		}
		if d, err = dataset.ReadData(os.DirFS(*f.dir), "user:"+*f.dir); err != nil {
			return nil, fmt.Errorf("-data %s: %w", *f.dir, err)
		}
	} else if d, err = dataset.Embedded(); err != nil {
		return nil, err
	}
	own := *d
	var replaced []string
	load := func(path string, read func(io.Reader, string) error) error {
		if path == "" {
			return nil
		}
		file, err := os.Open(path)
		if err != nil {
			return err
		}
		defer file.Close()
		replaced = append(replaced, path)
		return read(file, path)
	}
	steps := []struct {
		path string
		read func(io.Reader, string) error
	}{
		{*f.parameters, func(r io.Reader, name string) (err error) {
			own.Parameters, err = dataset.ReadParameters(r, name)
			return
		}},
		{*f.allocations, func(r io.Reader, name string) (err error) {
			own.Allocations, err = dataset.ReadAllocations(r, name)
			return
		}},
		{*f.grant, func(r io.Reader, name string) (err error) { own.Grant, err = dataset.ReadGrant(r, name); return }},
	}
	for _, s := range steps {
		if err := load(s.path, s.read); err != nil {
			return nil, err
		}
	}
	if *f.parameters != "" {
		// As ReadData checks a folder: every parameter is one the library
		// reads, none of its own is missing, and each cites a source the
		// data lists.
		if err := own.Parameters.CheckKnown(); err != nil {
			return nil, err
		}
		pub, err := dataset.Embedded()
		if err != nil {
			return nil, err
		}
		if err := own.Parameters.CheckComplete(pub.Parameters); err != nil {
			return nil, err
		}
		if err := own.Parameters.CheckSources(own.Sources); err != nil {
			return nil, fmt.Errorf("%w (add your sources to sources.csv and give the whole folder with -data)", err)
		}
	}
	// A user's figures must add up to the published ones (the embedded
	// data) unless the user says they are a what-if.
	if *f.allocations != "" || *f.grant != "" || *f.dir != "" {
		pub, err := dataset.Embedded()
		if err != nil {
			return nil, err
		}
		if *f.unreconciled {
			replaced = append(replaced, "unreconciled: the figures need not add up to the published totals")
		} else {
			name := func(flag, file string) string {
				if flag != "" {
					return flag
				}
				return filepath.Join(*f.dir, file)
			}
			errs := []error{
				own.Allocations.Reconcile(pub.Allocations, name(*f.allocations, dataset.AllocationsFile)),
				own.Grant.Reconcile(pub.Grant, name(*f.grant, dataset.GrantFile)),
			}
			if *f.dir != "" {
				errs = append(errs, own.Deflators.Reconcile(pub.Deflators, filepath.Join(*f.dir, dataset.DeflatorsFile)),
					own.Populations.Reconcile(pub.Populations, filepath.Join(*f.dir, dataset.PopulationsFile)),
					dataset.ReconcileEnglandTotals(own.EnglandTotals, pub.EnglandTotals, filepath.Join(*f.dir, dataset.EnglandTotalsFile)))
			}
			if err := errors.Join(errs...); err != nil {
				return nil, fmt.Errorf("%w (if the figures are meant to differ, a what-if, add -unreconciled)", err)
			}
		}
	}
	if len(replaced) > 0 {
		own.Vintage = d.Vintage + " with " + strings.Join(replaced, ", ")
	}
	return &own, nil
}

// BasisFlags are -vintage, -scope and -footprint: how the published years
// of the allocations are shown (alloc.AllocationBasis) and on which ICB
// boundaries.
type BasisFlags struct {
	fs             *Flags
	vintage, scope *Choice
	footprint      *string
}

// NewBasisFlags registers -vintage and -scope on fs.
func NewBasisFlags(fs *Flags) *BasisFlags {
	d := alloc.DefaultBasis()
	f := &BasisFlags{fs: fs,
		vintage: &Choice{Value: d.Vintage.String(), Valid: []string{alloc.RestatedVintage.String(), alloc.AsPublished.String()}},
		scope:   &Choice{Value: d.Scope.String(), Valid: []string{alloc.HeldScope.String(), alloc.IncludeScope.String(), alloc.StripScope.String()}},
	}
	fs.Var(f.vintage, "vintage", "published years: restated (each on the next round's restated basis, like for like) or as-published (each as first published, for reconciling with NHS England's tables)")
	fs.Var(f.scope, "scope", "on the restated basis, money moved into ICB allocations in 2025/26 (SDF, ARRS, elective recovery, delegated specialised): held (each year with what was in that year's ICB allocations, growth on one scope), include (added to earlier years) or strip (taken out of later ones)")
	f.footprint = fs.String("footprint", dataset.DefaultFootprint(), "ICB boundaries: 2026 (the 36 ICBs from 1 April 2026, history restated onto them), 2022 (the 42 ICBs the rounds to 2025/26 were published on), or a footprint of your -data folder's footprints.csv")
	return f
}

// Conflict reports a scenario file's footprint that -footprint
// contradicts, as a usage error.
func (f *BasisFlags) Conflict(file, footprint string) error {
	if Given(f.fs, "footprint") && footprint != "" && footprint != *f.footprint {
		return fmt.Errorf("%w: -footprint %s conflicts with the footprint %s of %s: give one or make them agree", ErrUsage, *f.footprint, footprint, file)
	}
	return nil
}

// ConflictBasis reports a scenario file's allocation basis that -vintage
// or -scope contradicts, as a usage error.
func (f *BasisFlags) ConflictBasis(file string, b alloc.AllocationBasis) error {
	if Given(f.fs, "vintage") && f.vintage.Value != b.Vintage.String() {
		return fmt.Errorf("%w: -vintage %s conflicts with the allocation_basis vintage %s of %s: give one or make them agree", ErrUsage, f.vintage.Value, b.Vintage, file)
	}
	if Given(f.fs, "scope") && f.scope.Value != b.Scope.String() {
		return fmt.Errorf("%w: -scope %s conflicts with the allocation_basis scope %s of %s: give one or make them agree", ErrUsage, f.scope.Value, b.Scope, file)
	}
	return nil
}

// Footprint applies -footprint, where given, to a scenario's footprint
// (empty for the default), and returns the engine's data restated on it
// (once: the engine keeps it for the runs that follow). A footprint the
// data does not have is an error naming where it came from.
func (f *BasisFlags) Footprint(e *alloc.Engine, footprint *string) (*dataset.Data, error) {
	if Given(f.fs, "footprint") {
		if strings.TrimSpace(*f.footprint) == "" {
			return nil, fmt.Errorf("%w: -footprint: empty; want 2026, 2022 or a footprint of your -data folder", ErrUsage)
		}
		*footprint = *f.footprint
	}
	fd, err := e.OnFootprint(*footprint)
	if err != nil {
		if Given(f.fs, "footprint") {
			return nil, fmt.Errorf("%w: -footprint %s: %v", ErrUsage, *f.footprint, err)
		}
		return nil, fmt.Errorf("%w (the footprint used unless -footprint says otherwise)", err)
	}
	return fd, nil
}

// Apply sets on b the parts of the basis given on the command line, so that
// a scenario keeps its own where the flags are not given.
func (f *BasisFlags) Apply(b *alloc.AllocationBasis) error {
	if Given(f.fs, "vintage") {
		v, err := alloc.ParseVintage(f.vintage.Value)
		if err != nil {
			return err
		}
		b.Vintage = v
	}
	if Given(f.fs, "scope") {
		r, err := alloc.ParseScopeRule(f.scope.Value)
		if err != nil {
			return err
		}
		b.Scope = r
	}
	if b.Vintage == alloc.AsPublished && Given(f.fs, "scope") && b.Scope != alloc.HeldScope {
		return fmt.Errorf("-scope %s: %w: scope changes are restated only on -vintage restated; as published, each year has its own round's scope", f.scope.Value, budget.ErrRange)
	}
	return b.Validate()
}

// Basis is the basis the flags give, from the default.
func (f *BasisFlags) Basis() (alloc.AllocationBasis, error) {
	b := alloc.DefaultBasis()
	return b, f.Apply(&b)
}

// ResolveICB finds the ICB query names on fd's footprint (the data on the
// footprint in use; d is the same data as loaded): its ODS or ONS code, or
// a unique part of its name, in any case. It returns the ICB's ODS code.
// A query matching several ICBs is a usage error listing them; one
// matching none says, where it can, where the ICB went (merged or split
// into the ICBs of 2026) or which footprint it belongs to, and otherwise
// suggests the closest names.
func ResolveICB(d, fd *dataset.Data, query string) (string, error) {
	dir, err := dataset.EmbeddedICBDirectory()
	if err != nil {
		return "", err
	}
	dir = dir.For(fd) // a footprint of the user's folder too
	name := fd.FootprintName()
	e, err := dir.Find(name, query)
	if err == nil {
		if _, err := fd.Allocations.ICB(e.Code); err != nil {
			return "", fmt.Errorf("%w: -icb: %v", ErrUsage, err)
		}
		return e.Code, nil
	}
	if errors.Is(err, dataset.ErrAmbiguous) {
		return "", fmt.Errorf("%w: -icb: %w", ErrUsage, err)
	}
	if o, other, now, ok := dir.Elsewhere(d.Footprints, name, query); ok {
		hint := fmt.Sprintf("%s, %s, is an ICB of footprint %s: use -footprint %s", o.Code, o.Name, other, other)
		if len(now) > 0 {
			to := make([]string, len(now))
			for i, x := range now {
				to[i] = fmt.Sprintf("%s (%s)", x.Name, x.Code)
			}
			hint = fmt.Sprintf("%s, %s, is part of %s on footprint %s: give the new ICB, or -footprint %s for the ICBs it was published on",
				o.Code, o.Name, strings.Join(to, " and "), name, other)
		}
		return "", fmt.Errorf("%w: -icb: ICB %q: %w: not an ICB of footprint %s (%s)", ErrUsage, query, budget.ErrUnknown, name, hint)
	}
	return "", fmt.Errorf("%w: -icb: %w (-list-icbs lists them)", ErrUsage, err)
}

// ListICBs writes the ICBs of fd's footprint: code, ONS code, name, region.
func ListICBs(w io.Writer, fd *dataset.Data) error {
	dir, err := dataset.EmbeddedICBDirectory()
	if err != nil {
		return err
	}
	dir = dir.For(fd) // a footprint of the user's folder too
	name := fd.FootprintName()
	fmt.Fprintf(w, "ICBs of footprint %s\n", name)
	tw := LeftTable(w)
	fmt.Fprintln(tw, "code\tONS code\tname\tregion\tfootprint")
	for _, e := range dir.List(name) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.Code, e.ONS, e.Name, e.Region, e.Footprint)
	}
	return tw.Flush()
}

// Unreconciled reports whether -unreconciled was given: the user accepts
// figures that do not add up to the published totals, or look implausible
// (a what-if).
func (f *DataFlags) Unreconciled() bool { return *f.unreconciled }

// PVBase reads -pv-base: year 0 of present values, a year of the results
// (first, scenario.MinYear, to the horizon); anything else is a usage error.
func PVBase(s string, first, horizon budget.Year) (budget.Year, error) {
	y, err := budget.ParseYear(s)
	if err != nil {
		return budget.Year{}, fmt.Errorf("%w: -pv-base: %v", ErrUsage, err)
	}
	if y.Before(first) || y.After(horizon) {
		return budget.Year{}, fmt.Errorf("%w: -pv-base %s: want a year of the results, %s to the horizon %s", ErrUsage, y, first, horizon)
	}
	return y, nil
}

// CouncilFlags are -council and -list-councils: a council's view beside
// England, and the list of councils to choose from.
type CouncilFlags struct {
	council *string
	list    *bool
}

// NewCouncilFlags registers -council and -list-councils on fs.
func NewCouncilFlags(fs *Flags) *CouncilFlags {
	return &CouncilFlags{
		council: fs.String("council", "", "one upper-tier council beside England: its code (E10000012) or a unique part of its name (\"essex\"); its grant beside the NHS shift attributable to its patients; -list-councils lists them"),
		list:    fs.Bool("list-councils", false, "list the upper-tier councils (code, name, the ICBs their patients are in with shares, footprint) and stop"),
	}
}

// Listing reports whether -list-councils was given.
func (f *CouncilFlags) Listing() bool { return *f.list }

// Given reports whether -council was given.
func (f *CouncilFlags) Given() bool { return *f.council != "" }

// Resolve returns the council -council names on fd's footprint, or nil
// without -council. An ambiguous or unknown name is a usage error that
// lists the matches or suggests the closest.
func (f *CouncilFlags) Resolve(fd *dataset.Data) (*dataset.Council, error) {
	if *f.council == "" {
		return nil, nil
	}
	x, err := dataset.EmbeddedCouncilCrosswalk()
	if err != nil {
		return nil, err
	}
	c, err := x.FindCouncil(fd.FootprintName(), *f.council)
	if err != nil {
		return nil, fmt.Errorf("%w: -council: %w (-list-councils lists them)", ErrUsage, err)
	}
	return &c, nil
}

// ListCouncils writes the upper-tier councils of fd's footprint: code,
// name, GP-registered patients, the ICBs they are in (with the ICB's
// share of the council's patients, and the council's of the ICB's), and
// the footprint.
func ListCouncils(w io.Writer, fd *dataset.Data) error {
	x, err := dataset.EmbeddedCouncilCrosswalk()
	if err != nil {
		return err
	}
	dir, err := dataset.EmbeddedICBDirectory()
	if err != nil {
		return err
	}
	name := fd.FootprintName()
	cs, err := x.Councils(name)
	if err != nil {
		return err
	}
	icbName := map[string]string{}
	for _, e := range dir.List(name) {
		icbName[e.Code] = e.Name
	}
	fmt.Fprintf(w, "Upper-tier councils of footprint %s (%d), the holders of the public health grant, and the ICBs their GP-registered patients are in (by practice location)\n", name, len(cs))
	fmt.Fprintln(w, "registered: GP-registered patients in the 2024/25 allocation tool's practice lists (the shares); figures per head use each year's ICB populations instead, the council's share of each")
	tw := LeftTable(w)
	fmt.Fprintln(tw, "code\tname\tregistered\tICBs (share of the council's patients; the council's share of the ICB's)\tfootprint")
	for _, c := range cs {
		var parts []string
		for _, p := range c.Parts {
			parts = append(parts, fmt.Sprintf("%s %s %s%% (%s%%)", p.ICB, icbName[p.ICB], p.OfCouncil.Shift(2).StringFixed(1), p.OfICB.Shift(2).StringFixed(1)))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Code, c.Name, c.Registered.Decimal().StringFixed(0), strings.Join(parts, "; "), c.Footprint)
	}
	return tw.Flush()
}

// CouncilsFileFlags are -councils FILE, -councils-subset and
// -councils-partial: councils' own grant allocations, read into the
// scenarios a program runs (scenario.Councils).
type CouncilsFileFlags struct {
	file            *string
	subset, partial *bool
}

// NewCouncilsFileFlags registers -councils, -councils-subset and
// -councils-partial on fs.
func NewCouncilsFileFlags(fs *Flags) *CouncilsFileFlags {
	return &CouncilsFileFlags{
		file:    fs.String("councils", "", "a CSV of councils' public health grant allocations (year,council_code,council_name,amount; pounds; examples/data -councils-template writes one to fill in), mapped to ICBs by their practices' registered patients"),
		subset:  fs.Bool("councils-subset", false, "with -councils: the file has only some councils; ICBs they cover fully get council-based grants, the others a share of the rest by population"),
		partial: fs.Bool("councils-partial", false, "with -councils: the file has only some councils; those it lacks get a share of the rest of England's grant by registered patients, and an ICB holding patients of both is mixed"),
	}
}

// Load reads the file -councils names, or returns nil without it;
// unreconciled accepts allocations that do not add up (a what-if).
func (f *CouncilsFileFlags) Load(unreconciled bool) (*scenario.Councils, error) {
	if *f.subset && *f.partial {
		return nil, fmt.Errorf("%w: -councils-subset and -councils-partial: give one (partial apportions the councils a file lacks; subset apportions the ICBs it does not cover fully)", ErrUsage)
	}
	if *f.file == "" {
		if *f.subset || *f.partial {
			return nil, fmt.Errorf("%w: -councils-subset or -councils-partial without -councils: give the file", ErrUsage)
		}
		return nil, nil
	}
	r, err := os.Open(*f.file)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	amounts, err := prevention.ReadCouncilAmounts(r, *f.file)
	if err != nil {
		return nil, err
	}
	c := &scenario.Councils{Allocations: amounts, Source: "council file " + filepath.Base(*f.file), File: *f.file,
		Coverage: scenario.CouncilsAll, Unreconciled: unreconciled}
	switch {
	case *f.partial:
		c.Coverage = scenario.CouncilsPartial
	case *f.subset:
		c.Coverage = scenario.CouncilsSubset
	}
	return c, nil
}

// ScenarioFlag is -scenario NAME|FILE, the same in every program: a
// scenario of the catalogue by name (any case), or a scenario JSON file
// (compare -schema documents it): a value that names a file, ends in .json
// or holds a path separator is a file.
type ScenarioFlag struct {
	fs    *Flags
	value *string
}

// NewScenarioFlag registers -scenario with a default name (empty for none)
// and what the program does with it.
func NewScenarioFlag(fs *Flags, dflt, what string) *ScenarioFlag {
	f := &ScenarioFlag{fs: fs}
	f.value = fs.String("scenario", dflt, what+": a catalogue name ("+strings.Join(scenario.CatalogueNames(), ", ")+", any case) or a scenario JSON file")
	return f
}

// Given reports whether -scenario (or its old name) was given.
func (f *ScenarioFlag) Given() bool { return Given(f.fs, "scenario") }

// Value is the name or file given, or the default.
func (f *ScenarioFlag) Value() string { return *f.value }

// IsFile reports whether the value names a file rather than a scenario of
// the catalogue: a value ending in .json or holding a path is a file; a
// catalogue name (any case) is the catalogue's, whatever files are about
// (a program built in the working folder is called hewitt too); any other
// value is a file if one of that name exists.
func (f *ScenarioFlag) IsFile() bool {
	v := *f.value
	if strings.HasSuffix(strings.ToLower(v), ".json") || strings.ContainsAny(v, "/\\") {
		return true
	}
	for _, name := range scenario.CatalogueNames() {
		if strings.EqualFold(v, name) {
			return false
		}
	}
	st, err := os.Stat(v)
	return err == nil && st.Mode().IsRegular()
}

// Load returns the scenario: the catalogue's of that name, or the file's,
// read and checked against d (a file's problems name the file and field).
func (f *ScenarioFlag) Load(d *dataset.Data) (scenario.Scenario, error) {
	v := *f.value
	if !f.IsFile() {
		s, err := scenario.Find(d.Parameters, v)
		if err != nil {
			return scenario.Scenario{}, fmt.Errorf("%w: -scenario %s: %v (or a scenario JSON file: no file of that name is here)", ErrUsage, v, err)
		}
		return s, nil
	}
	// Checked before opening: opening a pipe would wait for a writer.
	if st, err := os.Stat(v); errors.Is(err, fs.ErrNotExist) {
		return scenario.Scenario{}, fmt.Errorf("%w: -scenario %s: no such file", ErrUsage, v)
	} else if err != nil {
		return scenario.Scenario{}, fmt.Errorf("%w: -scenario %s: %v", ErrUsage, v, err)
	} else if !st.Mode().IsRegular() {
		return scenario.Scenario{}, fmt.Errorf("%w: -scenario %s: not a file (a scenario JSON file, or a catalogue name)", ErrUsage, v)
	}
	file, err := os.Open(v)
	if err != nil {
		return scenario.Scenario{}, fmt.Errorf("%w: -scenario %s: %v", ErrUsage, v, err)
	}
	defer file.Close()
	s, err := scenario.Load(file, v, d)
	if err != nil {
		return scenario.Scenario{}, err
	}
	// A file's scenario labels every figure it gives: one named like the
	// catalogue's would pass for it.
	for _, name := range scenario.CatalogueNames() {
		if strings.EqualFold(strings.TrimSpace(s.Name), name) {
			return scenario.Scenario{}, fmt.Errorf("%w: -scenario %s: the name %q is the catalogue's %s: give the file's scenario a name of its own", ErrUsage, v, s.Name, name)
		}
	}
	return s, nil
}

// ScenarioArea is the area a scenario is for (scenario.Scenario.Area),
// which a program shows beside England when no -icb or -council is given:
// an ICB's code, or a council; neither for England.
func ScenarioArea(r *scenario.Runner, s scenario.Scenario) (icb string, council *dataset.Council, err error) {
	p, err := r.Place(s)
	if err != nil {
		return "", nil, fmt.Errorf("scenario %q: area: %w", s.Name, err)
	}
	switch {
	case p.Council != nil:
		return "", p.Council, nil
	case p.IsEngland():
		return "", nil, nil
	}
	return p.Code, nil, nil
}
