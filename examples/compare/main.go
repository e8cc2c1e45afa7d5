// Command compare sets the scenario catalogue side by side: what each
// scenario changes from the base, and the prevention shift, treatment
// spending and public health grant it gives, year by year, over the five
// years from 2024/25 and from 2027/28 (and ten with -horizon 2033/34), and
// as a present value from 2026/27 discounted the HM Treasury Green Book
// way, the years before it beside it, not discounted.
//
//	go run ./examples/compare
//	go run ./examples/compare -base hewitt -horizon 2033/34
//	go run ./examples/compare -pv-base 2024/25
//	go run ./examples/compare -scenario my.json -format csv
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/outflag"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
	"github.com/upstream-health/upstream/scenario/report/deliver"
)

func main() {
	os.Exit(cli.Main("compare", run, os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the command line asks for: the scenarios to compare
// (the catalogue, and a -scenario file's), the base among them, the areas
// beside England and where the results go.
type config struct {
	format    cli.Format
	data      *dataset.Data
	runner    *scenario.Runner
	scenarios []scenario.Scenario
	base      int // the base's index in scenarios
	areas     []string
	council   *dataset.Council
	chart     string
	out       string
	done      bool // the flags asked only for a listing or the schema, written
}

func run(args []string, stdout, stderr io.Writer) error {
	c, err := configure(args, stdout, stderr)
	if err != nil || c.done {
		return err
	}
	d, runner, ss, baseIdx, areas, council := c.data, c.runner, c.scenarios, c.base, c.areas, c.council
	rs, err := runner.RunAll(ss)
	if err != nil {
		return err
	}
	if council != nil {
		// Each scenario seen from the council, beside England.
		for i, r := range rs {
			if rs[i], err = runner.Beside(r, *council); err != nil {
				return err
			}
		}
	}
	base := rs[baseIdx]
	area := "ENG"
	if len(areas) == 2 {
		area = areas[0]
	}
	if c.chart != "" {
		chart, err := report.ComparisonChart(rs, area)
		if err != nil {
			return err
		}
		if err := deliver.Draw(c.chart, chart); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "compare: wrote the chart to %s\n", c.chart)
	}
	comps := make([]*scenario.Comparison, len(rs))
	for i, r := range rs {
		if comps[i], err = scenario.CompareAreas(r, base, areas); err != nil {
			return err
		}
	}
	if c.out != "" {
		dv, err := report.Comparison(d, rs, base, comps, area)
		if err != nil {
			return err
		}
		if err := outflag.Write(c.out, dv); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "compare: wrote %s to %s\n", strings.Join(deliver.Files(), ", "), c.out)
	}
	switch c.format {
	case cli.CSV:
		return scenario.WriteComparisons(stdout, comps)
	case cli.JSON:
		return writeJSON(stdout, rs, base, comps)
	}
	councilCode := ""
	if council != nil {
		councilCode = council.Code
	}
	return report.ComparisonText(stdout, d.Parameters, rs, base, comps, areas, councilCode)
}

func configure(args []string, stdout, stderr io.Writer) (config, error) {
	fs := cli.NewFlagSet("compare", stderr)
	format := cli.FormatFlag(fs)
	baseName := fs.String("base", scenario.StatusQuo, "the scenario the others are compared with: "+strings.Join(scenario.CatalogueNames(), ", ")+", or the name of a -scenario file (any case)")
	scenarioFlag := cli.NewScenarioFlag(fs, "", "a scenario to compare, added to the catalogue (a catalogue name is among them already)")
	fs.Deprecated("scenario-file", "scenario")
	horizon := fs.String("horizon", "2031/32", "last year (2028/29 and 2031/32 close the five-year windows from 2024/25 and from 2027/28; 2033/34 adds ten-year totals)")
	pvBaseFlag := fs.String("pv-base", "", "year 0 of present values, in whose prices they are given (default: the first year after the latest published allocations, 2026/27; 2024/25 for the retrospective figure)")
	icb := fs.String("icb", "", "one ICB beside England: its ODS or ONS code, or a unique part of its name; -list-icbs lists them")
	listICBs := fs.Bool("list-icbs", false, "list the ICBs of the footprint (code, ONS code, name, region) and stop")
	councilFlags := cli.NewCouncilFlags(fs)
	councilsFile := cli.NewCouncilsFileFlags(fs)
	out := outflag.Flags(fs.FlagSet)
	allICBs := fs.Bool("all-icbs", false, "every ICB beside England (csv and json)")
	chartFile := fs.String("chart", "", "write a chart of each scenario's prevention shift and grant over time (.png or .svg)")
	printSchema := fs.Bool("schema", false, "print the JSON Schema of scenario files (every field, its unit, default and allowed values) and stop")
	dataFlags := cli.NewDataFlagsWithCouncils(fs)
	basisFlags := cli.NewBasisFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return config{}, err
	}
	if err := out.Check(); err != nil {
		return config{}, fmt.Errorf("%w: %w", cli.ErrUsage, err)
	}
	if *chartFile != "" {
		if err := deliver.CheckFile(*chartFile); err != nil {
			return config{}, fmt.Errorf("%w: -chart: %v", cli.ErrUsage, err)
		}
	}
	if *printSchema {
		_, err := stdout.Write(scenario.Schema())
		return config{done: true}, err
	}
	d, err := dataFlags.Load()
	if err != nil {
		return config{}, err
	}
	runner := scenario.NewRunner(d) // restates the data on each footprint once, for every use
	if *listICBs {
		var footprint string
		fd, err := basisFlags.Footprint(runner.Engine(), &footprint)
		if err != nil {
			return config{}, err
		}
		return config{done: true}, cli.ListICBs(stdout, fd)
	}
	if councilFlags.Listing() {
		var footprint string
		fd, err := basisFlags.Footprint(runner.Engine(), &footprint)
		if err != nil {
			return config{}, err
		}
		return config{done: true}, cli.ListCouncils(stdout, fd)
	}
	h, err := budget.ParseYear(*horizon)
	if err != nil {
		return config{}, fmt.Errorf("%w: -horizon: %v", cli.ErrUsage, err)
	}
	if h.Before(scenario.MinHorizon()) || h.After(scenario.MaxHorizon()) {
		return config{}, fmt.Errorf("%w: -horizon %s: want %s to %s (the population projection's last year)", cli.ErrUsage, h, scenario.MinHorizon(), scenario.MaxHorizon())
	}
	ss, err := scenario.Catalogue(d.Parameters)
	if err != nil {
		return config{}, err
	}
	for i := range ss {
		ss[i].Data = d.Vintage // the catalogue applies to whatever data is given
	}
	footprint := dataset.DefaultFootprint()
	var basis *alloc.AllocationBasis
	var pvBase budget.Year
	file := "" // the scenario file given, if any
	var fromFile scenario.Scenario
	if scenarioFlag.Given() {
		s, err := scenarioFlag.Load(d) // a name must be the catalogue's
		if err != nil {
			return config{}, err
		}
		if scenarioFlag.IsFile() {
			file, fromFile = scenarioFlag.Value(), s
		}
	}
	if file != "" {
		s := fromFile
		// cli.ScenarioFlag refuses a file named like a catalogue scenario.
		if cli.Given(fs, "horizon") && s.Horizon != h {
			return config{}, fmt.Errorf("%w: -horizon %s conflicts with the horizon %s of %s: give one or make them agree", cli.ErrUsage, h, s.Horizon, file)
		}
		if !cli.Given(fs, "horizon") && s.Given("horizon") {
			h = s.Horizon // the file's horizon, for every scenario compared
		}
		if s.Given("present_value_base") {
			pvBase = s.PresentValueBase // the file's year 0, for every scenario compared
		}
		if s.Given("footprint") {
			if err := basisFlags.Conflict(file, s.Footprint); err != nil {
				return config{}, err
			}
			footprint = s.Footprint // the file's footprint, for every scenario compared
		}
		if s.Given("allocation_basis") {
			if err := basisFlags.ConflictBasis(file, s.AllocationBasis); err != nil {
				return config{}, err
			}
			basis = &s.AllocationBasis // the file's basis, for every scenario compared: deltas are not differences of basis
		}
		ss = append(ss, s)
	}
	if cli.Given(fs, "pv-base") {
		y, err := cli.PVBase(*pvBaseFlag, scenario.MinYear(), h)
		if err != nil {
			return config{}, err
		}
		if !pvBase.IsZero() && pvBase != y {
			return config{}, fmt.Errorf("%w: -pv-base %s conflicts with the present_value_base %s of %s: give one or make them agree", cli.ErrUsage, y, pvBase, file)
		}
		pvBase = y
	}
	// A catalogue scenario whose shift runs past the horizon cannot be
	// compared on it: it is left out, and the output says so.
	var left []string
	kept := ss[:0]
	for i, s := range ss {
		if i < len(ss)-1 || file == "" {
			if last := s.Shift.Span.Last(); last.After(h) && s.Shift.Size.Sign() != 0 {
				left = append(left, fmt.Sprintf("%s (its shift runs to %s: -horizon %s or later shows it)", s.Name, last, last))
				continue
			}
		}
		kept = append(kept, s)
	}
	ss = kept
	if len(left) > 0 {
		fmt.Fprintf(stderr, "compare: not shown on the horizon %s: %s\n", h, strings.Join(left, "; "))
	}
	councils, err := councilsFile.Load(dataFlags.Unreconciled())
	if err != nil {
		return config{}, err
	}
	baseIdx := -1
	for i := range ss {
		if councils != nil {
			if ss[i].Councils != nil && ss[i].Given("councils") {
				return config{}, fmt.Errorf("%w: -councils and the councils of scenario %s: give one", cli.ErrUsage, ss[i].Name)
			}
			ss[i].Councils = councils // every scenario on the councils' own allocations
		}
		ss[i].Horizon = h
		ss[i].PresentValueBase = pvBase
		if basis != nil {
			ss[i].AllocationBasis = *basis
		}
		if err := basisFlags.Apply(&ss[i].AllocationBasis); err != nil {
			return config{}, fmt.Errorf("%w: %v", cli.ErrUsage, err)
		}
		ss[i].Footprint = footprint
		if _, err := basisFlags.Footprint(runner.Engine(), &ss[i].Footprint); err != nil {
			return config{}, err
		}
		if strings.EqualFold(ss[i].Name, *baseName) { // any case, as -scenario
			baseIdx = i
		}
	}
	if baseIdx < 0 {
		var have []string
		for _, s := range ss {
			have = append(have, s.Name)
		}
		return config{}, fmt.Errorf("%w: -base %q: not one of %s", cli.ErrUsage, *baseName, strings.Join(have, ", "))
	}
	areas := []string{"ENG"}
	var council *dataset.Council
	if councilFlags.Given() {
		fd, err := runner.Engine().OnFootprint(ss[baseIdx].Footprint)
		if err != nil {
			return config{}, err
		}
		if council, err = councilFlags.Resolve(fd); err != nil {
			return config{}, err
		}
	}
	if council == nil && *icb == "" && !*allICBs {
		// The area a scenario is for (a -scenario file's), if one names it.
		for _, s := range ss {
			if s.Area == "" {
				continue
			}
			code, c, err := cli.ScenarioArea(runner, s)
			if err != nil {
				return config{}, err
			}
			council = c
			if code != "" {
				areas = []string{code, "ENG"}
			}
			break
		}
	}
	switch {
	case council != nil && (*icb != "" || *allICBs):
		return config{}, fmt.Errorf("%w: -council with -icb or -all-icbs: give one area beside England", cli.ErrUsage)
	case council != nil:
		areas = []string{council.Code, "ENG"}
	case *icb != "" && *allICBs:
		return config{}, fmt.Errorf("%w: -icb and -all-icbs: give one or the other", cli.ErrUsage)
	case *icb != "":
		fd, err := runner.Engine().OnFootprint(ss[baseIdx].Footprint)
		if err != nil {
			return config{}, err
		}
		code, err := cli.ResolveICB(d, fd, *icb)
		if err != nil {
			return config{}, err
		}
		areas = []string{code, "ENG"}
	case *allICBs:
		areas = nil
	}
	return config{format: cli.Format(format.Value), data: d, runner: runner, scenarios: ss, base: baseIdx, areas: areas, council: council, chart: *chartFile, out: out.Dir}, nil
}

type scenarioJSON struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Source      string            `json:"source"`
	Changes     []scenario.Change `json:"changes_from_base"`
	Manifest    scenario.Manifest `json:"manifest"`
	Unmatched   []string          `json:"unmatched_rows,omitempty"`
}

func writeJSON(w io.Writer, rs []*scenario.Result, base *scenario.Result, comps []*scenario.Comparison) error {
	var ss []scenarioJSON
	var rows []scenario.CompareRow
	for i, r := range rs {
		ss = append(ss, scenarioJSON{Name: r.Scenario.Name, Description: r.Scenario.Description, Source: r.Scenario.Source,
			Changes: scenario.AssumptionChanges(base.Scenario, r.Scenario), Manifest: r.Manifest, Unmatched: comps[i].Unmatched})
		rows = append(rows, comps[i].Rows...)
	}
	return cli.WriteJSON(w, struct {
		Base      string                `json:"base_scenario"`
		Scenarios []scenarioJSON        `json:"scenarios"`
		Rows      []scenario.CompareRow `json:"rows"`
	}{base.Scenario.Name, ss, rows})
}
