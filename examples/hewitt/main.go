// Command hewitt shows what the Hewitt Review's prevention recommendation
// means in money: the share of ICS budgets going to prevention "increased
// by at least 1 per cent over the next five years", year by year, for
// England and each ICB, in cash and real terms, against the local authority
// public health grant. Every assumption is printed with its source.
//
//	go run ./examples/hewitt
//	go run ./examples/hewitt -reading per-year
//	go run ./examples/hewitt -icb QE1 -format csv
//	go run ./examples/hewitt -all-icbs -format csv > shift.csv
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/outflag"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
	"github.com/upstream-health/upstream/scenario/report/deliver"
)

func main() {
	os.Exit(cli.Main("hewitt", run, os.Args[1:], os.Stdout, os.Stderr))
}

type config struct {
	format   cli.Format
	areas    []string
	model    prevention.Model
	inputs   prevention.Inputs
	data     *dataset.Data
	runner   *scenario.Runner
	sc       scenario.Scenario // what is run: the catalogue's hewitt, changed by the flags
	council  *dataset.Council  // -council: the council beside England
	list     *dataset.Data     // -list-icbs: the data on the footprint whose ICBs to list
	listC    *dataset.Data     // -list-councils: the data on the footprint whose councils to list
	out      string            // -out: the folder of deliverables
	goal     string
	scenario string
	chart    string
	res      *scenario.Result // the run, once made
}

func run(args []string, stdout, stderr io.Writer) error {
	c, err := configure(args, stderr)
	if err != nil {
		return err
	}
	if c.list != nil {
		return cli.ListICBs(stdout, c.list)
	}
	if c.listC != nil {
		return cli.ListCouncils(stdout, c.listC)
	}
	res, err := c.runner.Run(c.sc)
	if err != nil {
		return err
	}
	c.res = res
	opts := report.Options{Area: c.chartArea(), Council: c.council, Areas: c.areas}
	var goal *goalAnswer
	if c.goal != "" {
		if goal, err = seek(c); err != nil {
			return err
		}
		opts.Rows, opts.Notes = goal.rows(c.scenario), []string{goal.text(c.model.Shift.Reading)}
	}
	rep, err := report.NewArea(c.runner, res, opts)
	if err != nil {
		return err
	}
	if c.chart != "" {
		chart, err := rep.Chart()
		if err != nil {
			return err
		}
		if err := deliver.Draw(c.chart, chart); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "hewitt: wrote the chart to %s\n", c.chart)
	}
	if c.out != "" {
		d, err := rep.Deliverable()
		if err != nil {
			return err
		}
		if err := outflag.Write(c.out, d); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "hewitt: wrote %s to %s\n", strings.Join(deliver.Files(), ", "), c.out)
	}
	switch c.format {
	case cli.CSV:
		return budget.WriteRows(stdout, rep.Rows)
	case cli.JSON:
		return cli.WriteJSON(stdout, struct {
			Assumptions []report.Assumption `json:"assumptions"`
			Goal        *goalAnswer         `json:"goal_seek,omitempty"`
			Rows        []budget.Row        `json:"rows"`
		}{rep.Assumptions(), goal, rep.Rows})
	}
	return rep.WriteText(stdout)
}

func configure(args []string, stderr io.Writer) (config, error) {
	fs := cli.NewFlagSet("hewitt", stderr)
	format := cli.FormatFlag(fs)
	scenarioFlag := cli.NewScenarioFlag(fs, scenario.Hewitt, "the scenario to run, changed only by the other flags given")
	reading := &cli.Choice{Value: "points", Valid: []string{"points", "per-year", "relative", "relative-per-year"}}
	fs.Var(reading, "reading", "(the scenario's unless given) how '1 per cent' is read: points (+1 pp by the end), per-year (+1 pp each year), relative (the share x 1.01), relative-per-year (the share x 1.01 each year, compounding)")
	profile := fs.String("profile", "linear", "(the scenario's unless given) phasing: linear, front, back, step, or custom:w1,...,w5 (cumulative weights ending at 1)")
	size := fs.String("size", "1", "(the scenario's unless given) size of the shift: percentage points for points and per-year (1, 1pp), per cent of the share for relative and relative-per-year (1, 1%); the other unit is refused")
	baseline := fs.String("baseline-share", "", "baseline prevention share: 5%, 5 % or 0.05, read as a share of what the default's is (total health spending) unless -baseline-of says otherwise; or a preset, kings-fund-5pc or dh-2006-07-4pc (default: about 5%, King's Fund)")
	baselineSource := fs.String("baseline-source", "", "where your -baseline-share comes from (printed with the results)")
	baselineScope := &cli.Choice{Value: "icb", Valid: []string{"icb", "total-health"}}
	fs.Var(baselineScope, "baseline-of", "what your -baseline-share is a share of: icb (ICB spending alone: prevention is added to the grant) or total-health (total health spending, council public health included: it is not); default: what the share it replaces is of")
	funding := &cli.Choice{Value: "envelope", Valid: []string{"envelope", "additional"}}
	fs.Var(funding, "funding", "(the scenario's unless given) envelope (treatment budgets pay for the shift) or additional (new money)")
	base := &cli.Choice{Value: "programme", Valid: []string{"programme", "programme-with-specialised", "all-streams"}}
	fs.Var(base, "budget-base", "(the scenario's unless given) budget base: programme (core + PMC + POD), programme-with-specialised, all-streams")
	fs.Deprecated("base", "budget-base") // -base is compare's base scenario
	grantRule := &cli.Choice{Value: "flat-real", Valid: []string{"flat-real", "flat-cash"}}
	fs.Var(grantRule, "grant-rule", "(the scenario's unless given) public health grant after its last published year (2026/27): flat-real or flat-cash, within the published floor of more than £13.4bn over 2026/27-2028/29")
	benefits := fs.String("benefits", budget.BasisNone, "(the scenario's unless given) what the shift buys: qalys (health gained and forgone, valued: Martin, Lomas and Claxton 2020; the Green Book), or returns: none, masters-2017-all, masters-2017-local, nhsconfed-2024-central, nhsconfed-2024-upper, or roi:R,lag:L,spread:S")
	icb := fs.String("icb", "", "one ICB beside England: its ODS or ONS code, or a unique part of its name (\"greater manchester\", \"essex\"); -list-icbs lists them")
	listICBs := fs.Bool("list-icbs", false, "list the ICBs of the footprint (code, ONS code, name, region) and stop")
	councilFlags := cli.NewCouncilFlags(fs)
	out := outflag.Flags(fs.FlagSet)
	allICBs := fs.Bool("all-icbs", false, "every ICB beside England")
	dataFlags := cli.NewDataFlagsWithCouncils(fs)
	basisFlags := cli.NewBasisFlags(fs)
	councilsFile := cli.NewCouncilsFileFlags(fs)
	goal := fs.String("goal", "", "goal seek the shift size in the last year: grant (match the public health grant), a share (6%, 0.06 or share:6%) or an amount (£2bn, 2000m, 2000000000 or amount:£2bn); the answer is in the table, the CSV (goal_seek_* rows) and -out")
	chartFile := fs.String("chart", "", "write a chart of the shift and the public health grant, cash and real, for the -icb named or England (.png or .svg)")
	// These take the scenario's value unless given: -h shows no default.
	for _, name := range []string{"reading", "profile", "size", "funding", "budget-base", "grant-rule", "benefits"} {
		fs.Lookup(name).DefValue = ""
	}
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
	d, err := dataFlags.Load()
	if err != nil {
		return config{}, err
	}
	// The scenario named (hewitt unless -scenario says otherwise), changed
	// by the flags given: the program runs through the scenario layer, as
	// compare and uncertainty do.
	sc, err := scenarioFlag.Load(d)
	if err != nil {
		return config{}, err
	}
	if !scenarioFlag.IsFile() {
		sc.Data = d.Vintage // a catalogue scenario applies to whatever data is given
	}
	runner := scenario.NewRunner(d) // restates the data on the footprint once, for every use
	if err := basisFlags.Apply(&sc.AllocationBasis); err != nil {
		return config{}, fmt.Errorf("%w: %v", cli.ErrUsage, err)
	}
	fd, err := basisFlags.Footprint(runner.Engine(), &sc.Footprint)
	if err != nil {
		return config{}, err
	}
	if *listICBs {
		return config{list: fd}, nil
	}
	if councilFlags.Listing() {
		return config{listC: fd}, nil
	}
	c := config{format: cli.Format(format.Value), data: d, goal: *goal, scenario: sc.Name, chart: *chartFile, out: out.Dir}
	usage := func(flag string, err error) error { return fmt.Errorf("%w: -%s: %v", cli.ErrUsage, flag, err) }
	if cli.Given(fs, "reading") {
		if sc.Shift.Reading, err = prevention.ParseReading(reading.Value); err != nil {
			return config{}, usage("reading", err)
		}
	}
	if cli.Given(fs, "profile") {
		if sc.Shift.Profile, err = prevention.ParseProfile(*profile); err != nil {
			return config{}, usage("profile", err)
		}
	}
	if cli.Given(fs, "size") {
		z, err := prevention.ParseSize(*size, sc.Shift.Reading)
		if err != nil {
			return config{}, usage("size", err)
		}
		if sc.Shift, err = sc.Shift.WithSize(z); err != nil {
			return config{}, usage("size", err)
		}
	}
	if *baselineSource != "" && *baseline == "" {
		return config{}, fmt.Errorf("%w: -baseline-source without -baseline-share: give the share it is the source of", cli.ErrUsage)
	}
	if *baseline != "" {
		if preset, err := prevention.BaselineSharePreset(d.Parameters, *baseline); err == nil {
			// A preset's name: its share, source and what it is a share of.
			if *baselineSource != "" || cli.Given(fs, "baseline-of") {
				return config{}, fmt.Errorf("%w: -baseline-share %s is a preset with its own source and meaning: -baseline-source and -baseline-of are for a share of your own", cli.ErrUsage, *baseline)
			}
			sc.Baseline = preset
		} else {
			s, err := dataset.ParseShareInput(*baseline)
			if err != nil {
				return config{}, usage("baseline-share", fmt.Errorf("%w (or a preset: %s)", err, strings.Join(prevention.BaselineSharePresets(d.Parameters), ", ")))
			}
			src := *baselineSource
			if src == "" {
				src = "user value given with -baseline-share"
			}
			// It replaces the scenario's share, and keeps what that one is a
			// share of unless -baseline-of says otherwise.
			includes := sc.Baseline.IncludesCouncil
			if cli.Given(fs, "baseline-of") {
				includes = baselineScope.Value == "total-health"
			}
			sc.Baseline = prevention.UserBaselineShare(s, src)
			sc.Baseline.IncludesCouncil = includes
		}
	} else if cli.Given(fs, "baseline-of") {
		return config{}, fmt.Errorf("%w: -baseline-of without -baseline-share: the presets say what they are shares of", cli.ErrUsage)
	}
	if cli.Given(fs, "funding") {
		sc.Funding, _ = prevention.ParseFunding(funding.Value)
	}
	if cli.Given(fs, "budget-base") {
		sc.BudgetBase, _ = prevention.ParseBase(base.Value) // one of the -budget-base choices
	}
	if cli.Given(fs, "grant-rule") {
		sc.Grant = prevention.GrantRule{Kind: prevention.FlatReal}
		if grantRule.Value == "flat-cash" {
			sc.Grant = prevention.GrantRule{Kind: prevention.FlatCash}
		}
	}
	if cli.Given(fs, "benefits") {
		if *benefits == "qalys" {
			q, err := prevention.QALYsPreset(d.Parameters)
			if err != nil {
				return config{}, err
			}
			sc.QALYs = &q
		} else if sc.Benefits, err = prevention.ParseBenefits(d.Parameters, *benefits); err != nil {
			return config{}, usage("benefits", err)
		}
	}
	if err := runner.Validate(sc); err != nil {
		var fe *budget.FileError
		if errors.As(err, &fe) {
			return config{}, err // a data or parameters file, not the command line
		}
		return config{}, fmt.Errorf("%w: %v", cli.ErrUsage, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	// The councils' allocations are part of the scenario: hashed, in the
	// manifest, and run by every program the same way.
	if sc.Councils, err = councilsFile.Load(dataFlags.Unreconciled()); err != nil {
		return config{}, err
	}
	c.runner = runner
	c.sc = sc
	if c.inputs, c.model, err = c.runner.Model(sc); err != nil {
		return config{}, err
	}
	if c.council, err = councilFlags.Resolve(fd); err != nil {
		return config{}, err
	}
	if c.council == nil && *icb == "" && !*allICBs {
		// The scenario's own area, if it names one.
		code, council, err := cli.ScenarioArea(runner, sc)
		if err != nil {
			return config{}, err
		}
		c.council = council
		if code != "" {
			c.areas = []string{code, "ENG"}
			return c, nil
		}
	}
	switch {
	case c.council != nil && c.goal != "":
		return config{}, fmt.Errorf("%w: -goal for council %s (-council, or the scenario's area): a goal seek is for England or an ICB (-icb); a council's part of the shift follows its ICBs'", cli.ErrUsage, c.council.Name)
	case c.council != nil && (*icb != "" || *allICBs):
		return config{}, fmt.Errorf("%w: -council with -icb or -all-icbs: give one area beside England", cli.ErrUsage)
	case *icb != "" && *allICBs:
		return config{}, fmt.Errorf("%w: -icb and -all-icbs: give one or the other", cli.ErrUsage)
	case *icb != "":
		code, err := cli.ResolveICB(d, fd, *icb)
		if err != nil {
			return config{}, err
		}
		c.areas = []string{code, "ENG"}
	case !*allICBs:
		c.areas = []string{"ENG"}
	}
	return c, nil
}

// goalAnswer is the shift size a goal seek finds, and what it gives the
// area in the goal's year.
type goalAnswer struct {
	Goal     string `json:"goal"`
	Year     string `json:"year"`
	Area     string `json:"area"`
	AreaName string `json:"area_name"`
	Size     string `json:"size"`            // in the reading's unit (sizeUnit)
	Unit     string `json:"size_unit"`       // "pp", "pp a year", "% of the share", "% of the share a year"
	Points   string `json:"share_change_pp"` // the area's share change by Year, percentage points
	Share    string `json:"share"`           // the area's share in Year, a fraction
	Shift    string `json:"shift"`           // the area's shift in Year, £ cash
	size     decimal.Decimal
	points   decimal.Decimal
	share    budget.Share
	shift    budget.Money
}

// rows are the goal seek as tidy rows: the area's share change and shift
// in the goal's year at the size found.
func (g *goalAnswer) rows(scenarioName string) []budget.Row {
	return []budget.Row{
		{Scenario: scenarioName, Period: g.Year, Area: g.Area, AreaName: g.AreaName, Measure: "goal_seek_share_change",
			Value: g.points.Shift(-2), Unit: budget.UnitShare, Basis: budget.BasisNone, Status: budget.Projected},
		{Scenario: scenarioName, Period: g.Year, Area: g.Area, AreaName: g.AreaName, Measure: "goal_seek_prevention_shift",
			Value: g.shift.Decimal(), Unit: budget.UnitGBP, Basis: budget.BasisCash, Status: budget.Projected},
	}
}

// text is the goal seek for people.
func (g *goalAnswer) text(reading prevention.Reading) string {
	m := budget.Formatter{Scale: budget.ScaleMillions}
	moves := "rises " + g.Points
	if g.points.Sign() < 0 {
		moves = "falls " + g.points.Neg().StringFixed(3)
	}
	return fmt.Sprintf("Goal seek (%s in %s, for %s): a shift of %s (%s reading); %s's share %s pp, to %s, and the shift is %s a year in %s. The tables above are for the shift asked for, not this one.",
		g.Goal, g.Year, g.AreaName, report.WithUnit(g.size.StringFixed(3), g.Unit), reading, g.AreaName, moves, budget.FormatShare(g.share, 2), m.Format(g.shift), g.Year)
}

func seek(c config) (*goalAnswer, error) {
	t, err := prevention.ParseTarget(c.goal)
	if err != nil {
		return nil, fmt.Errorf("%w: -%w", cli.ErrUsage, err)
	}
	t.Area = c.chartArea()
	size, pp, err := c.runner.GoalSeek(c.sc, t)
	if err != nil {
		return nil, err
	}
	// What the size found gives the area in the goal's year.
	at := c.sc
	at.Shift.Size = size
	res, err := c.runner.Run(at)
	if err != nil {
		return nil, err
	}
	year := c.model.Shift.Span.Last()
	v, err := res.Detail.Values(t.Area, year)
	if err != nil {
		return nil, err
	}
	name := "England"
	for _, a := range res.Detail.Areas() {
		if a.Code == t.Area {
			name = a.Name
		}
	}
	return &goalAnswer{Goal: c.goal, Year: year.String(), Area: t.Area, AreaName: name, Size: size.String(), Unit: report.ShiftUnit(c.model.Shift.Reading),
		Points: pp.StringFixed(3), Share: v.Share.String(), Shift: v.Shift.StringFixed(2), size: size, points: pp, share: v.Share, shift: v.Shift}, nil
}

// chartArea is the area the charts and the report describe: the council
// or ICB asked for, or England.
func (c config) chartArea() string {
	if c.council != nil {
		return c.council.Code
	}
	for _, a := range c.areas {
		if a != "ENG" {
			return a
		}
	}
	return "ENG"
}
