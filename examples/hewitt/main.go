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
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
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
		if err := rep.DrawChart(c.chart); err != nil {
			return err
		}
	}
	if c.out != "" {
		d, err := rep.Deliverable()
		if err != nil {
			return err
		}
		if err := cli.WriteOut(c.out, d); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "hewitt: wrote %s to %s\n", strings.Join(report.Files(), ", "), c.out)
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
	return table(stdout, c, rep, goal)
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
	benefits := fs.String("benefits", "none", "(the scenario's unless given) what the shift buys: qalys (health gained and forgone, valued: Martin, Lomas and Claxton 2020; the Green Book), or returns: none, masters-2017-all, masters-2017-local, nhsconfed-2024-central, nhsconfed-2024-upper, or roi:R,lag:L,spread:S")
	icb := fs.String("icb", "", "one ICB beside England: its ODS or ONS code, or a unique part of its name (\"greater manchester\", \"essex\"); -list-icbs lists them")
	listICBs := fs.Bool("list-icbs", false, "list the ICBs of the footprint (code, ONS code, name, region) and stop")
	councilFlags := cli.NewCouncilFlags(fs)
	out := cli.OutFlags(fs.FlagSet)
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
		if err := report.CheckFile(*chartFile); err != nil {
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
		return config{}, fmt.Errorf("%w: -goal with -council: a goal seek is for England or an ICB (-icb); a council's part of the shift follows its ICBs'", cli.ErrUsage)
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
			Value: g.points.Shift(-2), Unit: budget.UnitShare, Basis: "none", Status: budget.Projected},
		{Scenario: scenarioName, Period: g.Year, Area: g.Area, AreaName: g.AreaName, Measure: "goal_seek_prevention_shift",
			Value: g.shift.Decimal(), Unit: budget.UnitGBP, Basis: "cash", Status: budget.Projected},
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

// table prints England (and any ICBs asked for) in £m, cash then real.
func table(w io.Writer, c config, rep *report.Area, goal *goalAnswer) error {
	r, view := c.res.Detail, rep.View
	realBasis := rep.RealBasis()
	m := budget.Formatter{Scale: budget.ScaleMillions}
	local := budget.Formatter{Scale: budget.ScaleMillions, Places: 1} // an ICB's or a council's figures, to £0.1m
	get := rep.Row
	money := func(area string, y budget.Year, measure budget.Measure, basis budget.Basis) string {
		row, ok := get(area, y, measure, basis)
		if !ok {
			return "-"
		}
		if area != "ENG" {
			return local.Format(budget.MoneyFromDecimal(row.Value))
		}
		return m.Format(budget.MoneyFromDecimal(row.Value))
	}
	if c.sc.Name == scenario.Hewitt {
		fmt.Fprintf(w, "The Hewitt prevention shift, %s\n\n", r.Years())
	} else {
		fmt.Fprintf(w, "The prevention shift of scenario %s, %s\n\n", c.sc.Name, r.Years())
	}
	fmt.Fprintln(w, "Assumptions")
	for _, a := range rep.Assumptions() {
		fmt.Fprintf(w, "  %-23s %s\n", a.Name+":", a.Value)
		if a.Source != "" {
			fmt.Fprintf(w, "  %-23s source: %s\n", "", a.Source)
		}
	}
	var areas []dataset.ICB
	if view != nil {
		areas = append(areas, dataset.ICB{Code: view.Council.Code, Name: view.Council.Name})
	}
	for _, area := range r.Areas() {
		if len(c.areas) == 0 || contains(c.areas, area.Code) {
			areas = append(areas, area)
		}
	}
	for _, area := range areas {
		for _, basis := range []budget.Basis{budget.Cash(), realBasis} {
			label := "cash"
			if !basis.IsCash() {
				label = "real terms, " + c.model.RealBase.String() + " prices"
			}
			fmt.Fprintf(w, "\n%s (%s), £m %s\n", area.Name, area.Code, label)
			if view != nil && area.Code == view.Council.Code && basis.IsCash() {
				fmt.Fprintf(w, "The council's own public health grant beside its part of the NHS figures: %s.\n", prevention.AttributionMethod)
			}
			tw := cli.TableWriter(w)
			fmt.Fprint(tw, "year\tbudget\tprevention share\tprevention at the share\tcounterfactual\tshift\ttreatment\tPH grant\tshift / grant\t")
			if !c.model.Baseline.IncludesCouncil {
				fmt.Fprint(tw, "prevention + grant\t")
			}
			if c.model.Benefits != nil {
				fmt.Fprint(tw, "benefit\t")
			}
			fmt.Fprintln(tw)
			for _, y := range r.Years().Years() {
				mark := ""
				if row, ok := get(area.Code, y, prevention.MeasureBudget, basis); ok && row.Status == budget.Projected {
					mark = "*"
				}
				share, _ := get(area.Code, y, prevention.MeasureShare, basis)
				ratio := "-"
				if row, ok := get(area.Code, y, prevention.MeasureShiftToGrant, basis); ok {
					ratio = cli.Ratio(row.Value)
				}
				fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t", y, mark, money(area.Code, y, prevention.MeasureBudget, basis),
					budget.FormatShare(mustShare(share.Value), 2), money(area.Code, y, prevention.MeasurePrevention, basis),
					money(area.Code, y, prevention.MeasureCounterfactual, basis), money(area.Code, y, prevention.MeasureShift, basis),
					money(area.Code, y, prevention.MeasureTreatment, basis), money(area.Code, y, prevention.MeasureGrant, basis), ratio)
				if !c.model.Baseline.IncludesCouncil {
					fmt.Fprintf(tw, "%s\t", money(area.Code, y, prevention.MeasureCombined, basis))
				}
				if c.model.Benefits != nil {
					fmt.Fprintf(tw, "%s\t", money(area.Code, y, prevention.MeasureBenefit, basis))
				}
				fmt.Fprintln(tw)
			}
			tw.Flush()
		}
	}
	fmt.Fprintln(w, "\n* projected: allocations beyond the 2025/26 round (the latest held; NHS England's 2026/27-2028/29 allocations are not held), the grant beyond its last published figure, or a forecast deflator year.")
	fmt.Fprintln(w, "PH grant: what councils get, consolidated from 2026/27 (it takes in the stop smoking and drug and alcohol grants); the like-for-like series is below.")
	fmt.Fprintf(w, "PH grant for an ICB: %s.\n", r.GrantApportionment)
	if c.model.Baseline.IncludesCouncil {
		fmt.Fprintf(w, "The baseline share (%s) is of total health spending, council public health included: prevention at it is not added to the grant, which would count council spending twice.\n", c.model.Baseline.Name)
	}
	if err := presetTable(w, c); err != nil {
		return err
	}

	last := r.Years().Last()
	e, _ := r.Values("ENG", last)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Against the public health grant (England)")
	y25 := budget.MustYear("2025/26")
	if row, ok := get("ENG", y25, prevention.MeasureGrantChange2015, realBasis); ok {
		fmt.Fprintf(w, "  The grant in %s is %s per resident in real terms on 2015/16 (Health Foundation, Feb 2025: -26%%).\n", y25, budget.FormatPercent(row.Value, 1))
	}
	// The like-for-like grant after 2025/26 is an upper bound: two of the
	// grants consolidated in 2026/27 have no amount to take out.
	bound, gapBound := "", ""
	if lr, ok := get("ENG", last, prevention.MeasureGrantLikeForLike, budget.Cash()); ok && lr.Status != budget.Published {
		bound, gapBound = "at most ", "at least "
	}
	if row, ok := get("ENG", last, prevention.MeasureGrantLikeForLike, budget.Cash()); ok {
		fmt.Fprintf(w, "  Like for like, without the grants consolidated in 2026/27, the grant is %s%s in %s (%s as councils get it).\n",
			bound, m.Format(budget.MoneyFromDecimal(row.Value)), last, m.Format(e.Grant))
	}
	if row, ok := get("ENG", last, prevention.MeasureRestorationGap, budget.Cash()); ok {
		fmt.Fprintf(w, "  Restoring its 2015/16 real-terms level per resident, like for like, would take %s%s more in %s (cash).\n", gapBound, m.Format(budget.MoneyFromDecimal(row.Value)), last)
	}
	if ph, ok := get("ENG", last, prevention.MeasurePreventionPerResident, budget.Cash()); ok {
		if gh, ok := get("ENG", last, prevention.MeasureGrantPerResident, budget.Cash()); ok {
			pr, _ := get("ENG", last, prevention.MeasurePreventionPerHead, budget.Cash())
			gr, _ := get("ENG", last, prevention.MeasureGrantPerRegistered, budget.Cash())
			fmt.Fprintf(w, "  Per head in %s, per ONS resident: NHS prevention at the assumed share £%s, grant £%s (per GP-registered patient, about 5m more people: £%s and £%s).\n",
				last, ph.Value.StringFixed(2), gh.Value.StringFixed(2), pr.Value.StringFixed(2), gr.Value.StringFixed(2))
		}
	}
	fmt.Fprintln(w)
	if c.sc.Councils != nil && c.sc.Councils.Unreconciled {
		fmt.Fprintln(w, "WHAT-IF: the council allocations are unreconciled (-unreconciled): they need not add up to England's published grant, and England's grant is their sum in the years they give.")
	}
	if view != nil {
		councilHeadline(w, c, view, get, local)
	} else if area := c.chartArea(); area != "ENG" {
		a, _ := r.Values(area, last)
		cash, _ := get(area, last, prevention.MeasureShift, budget.Cash())
		real, _ := get(area, last, prevention.MeasureShift, realBasis)
		ratio, _ := get(area, last, prevention.MeasureShiftToGrant, budget.Cash())
		name := area
		for _, x := range r.Areas() {
			if x.Code == area {
				name = x.Name
			}
		}
		how := "moves %s a year (%s in %s prices) from treatment to prevention in %s"
		if c.model.Funding == prevention.Additional {
			how = "adds %s a year (%s in %s prices) of new money for prevention in %s, treatment unchanged"
		}
		fmt.Fprintf(w, "Headline for %s: by %s the shift "+how+"%s,\n", name, last, local.Format(budget.MoneyFromDecimal(cash.Value)),
			local.Format(budget.MoneyFromDecimal(real.Value)), c.model.RealBase, name, rangeText(get, area, last, local))
		fmt.Fprintf(w, "%s times (%s%%) its part of the public health grant, %s (%s).\n", ratio.Value.StringFixed(2),
			ratio.Value.Shift(2).Round(0), local.Format(a.Grant), r.GrantMethod(area, r.Years().Last()))
	}
	cash, _ := get("ENG", last, prevention.MeasureShift, budget.Cash())
	real, _ := get("ENG", last, prevention.MeasureShift, realBasis)
	ratio, _ := get("ENG", last, prevention.MeasureShiftToGrant, budget.Cash())
	how := "moves %s a year (%s in %s prices) from treatment to prevention in England"
	if c.model.Funding == prevention.Additional {
		how = "adds %s a year (%s in %s prices) of new money for prevention in England, treatment unchanged"
	}
	fmt.Fprintf(w, "Headline: by %s the shift "+how+"%s,\n",
		last, m.Format(budget.MoneyFromDecimal(cash.Value)), m.Format(budget.MoneyFromDecimal(real.Value)), c.model.RealBase, rangeText(get, "ENG", last, m))
	fmt.Fprintf(w, "%s times (%s%%) the public health grant of %s.\n", ratio.Value.StringFixed(2), ratio.Value.Shift(2).Round(0), m.Format(e.Grant))
	if goal != nil {
		fmt.Fprintln(w, goal.text(c.model.Shift.Reading))
	}
	if c.model.QALYs != nil {
		qalyText(w, c, rep)
	}
	if c.model.Benefits != nil {
		if y, ok := r.Payback("ENG"); ok {
			fmt.Fprintf(w, "Payback: England's cumulative benefit reaches its cumulative shift in %s.\n", y)
		} else {
			fmt.Fprintf(w, "Payback: not within %s.\n", r.Years())
		}
	}
	return nil
}

func mustShare(d decimal.Decimal) budget.Share {
	s, err := budget.NewShare(d)
	if err != nil {
		return budget.Share{}
	}
	return s
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// councilHeadline is the headline for the council asked for: its part of
// the shift by its last year, against its own grant, and how each is made.
func councilHeadline(w io.Writer, c config, view *prevention.CouncilView, get func(string, budget.Year, budget.Measure, budget.Basis) (budget.Row, bool), m budget.Formatter) {
	code, name := view.Council.Code, view.Council.Name
	ly := view.Years().Last()
	realBasis := c.model.Deflator.Basis(c.model.RealBase)
	cash, _ := get(code, ly, prevention.MeasureShift, budget.Cash())
	real, _ := get(code, ly, prevention.MeasureShift, realBasis)
	ratio, _ := get(code, ly, prevention.MeasureShiftToGrant, budget.Cash())
	grant, _ := get(code, ly, prevention.MeasureGrant, budget.Cash())
	perHead, _ := get(code, ly, prevention.MeasureShiftPerHead, budget.Cash())
	how := "moves %s a year (£%s per registered patient; %s in %s prices) from treatment to prevention in the NHS for %s's patients"
	if c.model.Funding == prevention.Additional {
		how = "adds %s a year (£%s per registered patient; %s in %s prices) of new NHS money for prevention for %s's patients"
	}
	fmt.Fprintf(w, "Headline for %s: by %s the shift "+how+"%s,\n", name, ly, m.Format(budget.MoneyFromDecimal(cash.Value)),
		perHead.Value.StringFixed(2), m.Format(budget.MoneyFromDecimal(real.Value)), c.model.RealBase, name, rangeText(get, code, ly, m))
	fmt.Fprintf(w, "%s times (%s%%) its own public health grant, %s (%s).\n", ratio.Value.StringFixed(2), ratio.Value.Shift(2).Round(0),
		m.Format(budget.MoneyFromDecimal(grant.Value)), view.Values[len(view.Values)-1].GrantSource)
	var parts []string
	for _, p := range view.Council.Parts {
		parts = append(parts, fmt.Sprintf("%s%% of %s's", p.OfICB.Shift(2).StringFixed(1), areaName(c, p.ICB)))
	}
	fmt.Fprintf(w, "Its part of the NHS figures: %s registered patients (%s).\n", strings.Join(parts, " and "), prevention.AttributionMethod)
	fmt.Fprintf(w, "Its grant: %s.\n", report.GrantYears(view))
}

// areaName is an area's name in the run, or its code.
func areaName(c config, code string) string {
	for _, a := range c.inputs.Projection.ICBs() {
		if a.Code == code {
			return a.Name
		}
	}
	return code
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

// presetTable prints England's prevention and shift at each baseline share
// preset side by side: the readings in percentage points move the same
// money whatever the share; the levels, and the relative readings, do not.
func presetTable(w io.Writer, c config) error {
	p := c.runner.Data().Parameters
	names := prevention.BaselineSharePresets(p)
	type col struct {
		title string
		res   *scenario.Result
	}
	var cols []col
	for _, name := range names {
		b, err := prevention.BaselineSharePreset(p, name)
		if err != nil {
			return err
		}
		s := c.sc
		s.Baseline = b
		res, err := c.runner.Run(s)
		if err != nil {
			return err
		}
		cols = append(cols, col{fmt.Sprintf("%s (%s)", budget.FormatShare(b.Share, 2), name), res})
	}
	m := budget.Formatter{Scale: budget.ScaleMillions}
	fmt.Fprintln(w, "\nEngland at each preset baseline share, £m cash (shares of total health spending; the points and per-year readings move the same money at any share)")
	tw := cli.TableWriter(w)
	fmt.Fprint(tw, "year\t")
	for _, c := range cols {
		fmt.Fprintf(tw, "prevention at %s\tshift\t", c.title)
	}
	fmt.Fprintln(tw)
	for _, y := range c.model.Years.Years() {
		fmt.Fprintf(tw, "%s\t", y)
		for _, c := range cols {
			prev, err := c.res.Money("ENG", y, prevention.MeasurePrevention, budget.Cash())
			if err != nil {
				return err
			}
			shift, err := c.res.Money("ENG", y, prevention.MeasureShift, budget.Cash())
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "%s\t%s\t", m.Format(prev), m.Format(shift))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// rangeText is " (£lo to £hi, cash, as the low and high settlements
// have it)" for an area's shift in a projected year, or "" where the
// settlement has no range or the year is published.
func rangeText(get func(string, budget.Year, budget.Measure, budget.Basis) (budget.Row, bool), area string, y budget.Year, m budget.Formatter) string {
	lo, ok1 := get(area, y, scenario.MeasureShiftLow, budget.Cash())
	hi, ok2 := get(area, y, scenario.MeasureShiftHigh, budget.Cash())
	if !ok1 || !ok2 {
		return ""
	}
	return fmt.Sprintf(" (%s to %s in cash on the low and high settlements)",
		m.Format(budget.MoneyFromDecimal(lo.Value)), m.Format(budget.MoneyFromDecimal(hi.Value)))
}

// qalyText prints what the shift buys in health, year by year for the
// area and England, and the sentence a director can repeat.
func qalyText(w io.Writer, c config, rep *report.Area) {
	get := rep.Row
	q := c.model.QALYs
	areas := []string{"ENG"}
	if a := c.chartArea(); a != "ENG" {
		areas = []string{a, "ENG"}
	}
	years := c.model.Years.Years()
	last := years[len(years)-1]
	win := c.model.Shift.Span
	fmt.Fprintf(w, "\nWhat the shift buys in health: QALYs gained by prevention spending above the counterfactual at £%s a QALY, forgone by the treatment spending given up at £%s a QALY (%s prices, brought to each year's by the GDP deflator), valued at £%s a QALY (%s prices)\n",
		budget.FormatCount(q.PublicHealthCost), budget.FormatCount(q.NHSCost), q.Prices, budget.FormatCount(q.Value), q.ValuePrices)
	m := budget.Formatter{Scale: budget.ScaleMillions}
	for _, area := range areas {
		name := "England"
		if row, ok := get(area, last, prevention.MeasureQALYsNet, budget.Cash()); ok {
			name = row.AreaName
		}
		fmt.Fprintf(w, "%s (%s)\n", name, area)
		tw := cli.TableWriter(w)
		fmt.Fprintln(tw, "year\tQALYs gained\tQALYs forgone\tQALYs net\tvalue of the net, cash\t")
		for _, y := range years {
			g, _ := get(area, y, prevention.MeasureQALYsGained, budget.Cash())
			f, _ := get(area, y, prevention.MeasureQALYsForgone, budget.Cash())
			n, _ := get(area, y, prevention.MeasureQALYsNet, budget.Cash())
			v, _ := get(area, y, prevention.MeasureQALYValue, budget.Cash())
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", y, budget.FormatCount(g.Value), budget.FormatCount(f.Value), budget.FormatCount(n.Value), m.Format(budget.MoneyFromDecimal(v.Value)))
		}
		tot, _ := rep.Window(area, win, prevention.MeasureQALYsNet, scenario.Sum)
		fmt.Fprintf(tw, "total %s\t\t\t%s\t\t\n", win, budget.FormatCount(tot.Value))
		tw.Flush()
	}
	if sentence := rep.QALYSentence(areas[0]); sentence != "" {
		fmt.Fprintln(w, "\n"+sentence)
	}
	if c.model.Funding == prevention.WithinEnvelope {
		fmt.Fprintln(w, "Within the envelope the money is a transfer with no value of its own; the health it moves is not: a QALY costs less at the margin of public health spending than of NHS spending (Martin, Lomas and Claxton, BMJ Open 2020), so the net is a gain if NHS prevention buys health as council public health does at the margin, which the paper did not measure.")
	} else {
		fmt.Fprintln(w, "With additional funding nothing is given up in treatment: the QALYs forgone are zero, and the new money's cost elsewhere is not counted, so the value is not a net present social value.")
	}
	size := ""
	if ratio, ok := get(areas[0], last, prevention.MeasureShiftToGrant, budget.Cash()); ok {
		size = fmt.Sprintf(" (%s%% of the public health grant by %s)", ratio.Value.Shift(2).Round(0), last)
	}
	fmt.Fprintf(w, "The costs per QALY are held at their 2013/14 margins: a shift of this size%s would likely meet diminishing returns, so the QALYs gained are an upper estimate; the paper's 2013/14 estimates are brought to each year by the GDP deflator, though NHS costs rise faster.\n", size)
}
