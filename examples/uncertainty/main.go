// Command uncertainty shows how sure the Hewitt shift's figures can be:
// Monte Carlo bands (P10, P50, P90: an 80% interval) for England's
// prevention shift and the public health grant under uncertain growth,
// inflation, baseline share and convergence, and a tornado of which
// assumption matters most.
//
//	go run ./examples/uncertainty
//	go run ./examples/uncertainty -draws 100000 -seed 7 -chart fan.png -tornado-chart tornado.png
//	go run ./examples/uncertainty -scenario hewitt-per-year -format csv
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
)

func main() {
	os.Exit(cli.Main("uncertainty", run, os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("uncertainty", stderr)
	format := cli.FormatFlag(fs)
	draws := fs.Int("draws", 10000, "number of Monte Carlo draws")
	seed := fs.Uint64("seed", 1, "random seed (draw i uses PCG(seed, i))")
	scenarioFlag := cli.NewScenarioFlag(fs, scenario.Hewitt, "the scenario to draw (a file's uncertain assumptions, or the defaults)")
	fs.Deprecated("scenario-file", "scenario")
	pvBase := fs.String("pv-base", "", "year 0 of present values, in whose prices they are given (default: the first year after the latest published allocations, 2026/27; 2024/25 for the retrospective figure)")
	wide := fs.Bool("p5", false, "add P5 and P95 (a 90% interval)")
	icb := fs.String("icb", "", "add bands for one ICB: its ODS or ONS code, or a unique part of its name; -list-icbs lists them")
	listICBs := fs.Bool("list-icbs", false, "list the ICBs of the footprint (code, ONS code, name, region) and stop")
	councilFlags := cli.NewCouncilFlags(fs)
	councilsFile := cli.NewCouncilsFileFlags(fs)
	benefits := &cli.Choice{Value: "none", Valid: []string{"none", "qalys"}}
	fs.Var(benefits, "benefits", "qalys: draw what the shift buys in health too (QALYs net over the costs per QALY's published ranges), with its bands and tornado")
	out := cli.OutFlags(fs.FlagSet)
	fan := fs.String("chart", "", "write a fan chart of the shift against the public health grant (.png or .svg)")
	tornadoFile := fs.String("tornado-chart", "", "write the tornado chart (.png or .svg)")
	dataFlags := cli.NewDataFlagsWithCouncils(fs)
	basisFlags := cli.NewBasisFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if err := out.Check(); err != nil {
		return fmt.Errorf("%w: %w", cli.ErrUsage, err)
	}
	for flag, f := range map[string]string{"chart": *fan, "tornado-chart": *tornadoFile} {
		if f != "" {
			if err := report.CheckFile(f); err != nil {
				return fmt.Errorf("%w: -%s: %v", cli.ErrUsage, flag, err)
			}
		}
	}
	d, err := dataFlags.Load()
	if err != nil {
		return err
	}
	if *draws < 1 || *draws > 10_000_000 {
		return fmt.Errorf("%w: -draws %d: want 1 to 10,000,000", cli.ErrUsage, *draws)
	}
	s, err := scenarioFlag.Load(d)
	if err != nil {
		return err
	}
	file := "" // the scenario file, if one was given
	if scenarioFlag.IsFile() {
		file = scenarioFlag.Value()
		if s.Given("footprint") {
			if err := basisFlags.Conflict(file, s.Footprint); err != nil {
				return err
			}
		}
		if s.Given("allocation_basis") {
			if err := basisFlags.ConflictBasis(file, s.AllocationBasis); err != nil {
				return err
			}
		}
	} else {
		s.Data = d.Vintage // a catalogue scenario applies to whatever data is given
	}
	if cs, err := councilsFile.Load(dataFlags.Unreconciled()); err != nil {
		return err
	} else if cs != nil {
		if s.Councils != nil {
			return fmt.Errorf("%w: -councils and the councils of the scenario file: give one", cli.ErrUsage)
		}
		s.Councils = cs
	}
	if benefits.Value == "qalys" && s.QALYs == nil {
		q, err := prevention.QALYsPreset(d.Parameters)
		if err != nil {
			return err
		}
		s.QALYs = &q
	}
	if err := basisFlags.Apply(&s.AllocationBasis); err != nil {
		return fmt.Errorf("%w: %v", cli.ErrUsage, err)
	}
	if cli.Given(fs, "pv-base") {
		y, err := cli.PVBase(*pvBase, scenario.MinYear(), s.Horizon)
		if err != nil {
			return err
		}
		if s.Given("present_value_base") && s.PresentValueBase != y {
			return fmt.Errorf("%w: -pv-base %s conflicts with the present_value_base %s of %s: give one or make them agree", cli.ErrUsage, y, s.PresentValueBase, file)
		}
		s.PresentValueBase = y
	}
	runner := scenario.NewRunner(d) // one restatement and projection for everything below
	fd, err := basisFlags.Footprint(runner.Engine(), &s.Footprint)
	if err != nil {
		return err
	}
	if *listICBs {
		return cli.ListICBs(stdout, fd)
	}
	if councilFlags.Listing() {
		return cli.ListCouncils(stdout, fd)
	}
	council, err := councilFlags.Resolve(fd)
	if err != nil {
		return err
	}
	if council != nil && *icb != "" {
		return fmt.Errorf("%w: -council and -icb: give one area beside England", cli.ErrUsage)
	}
	icbCode := ""
	if *icb != "" {
		if icbCode, err = cli.ResolveICB(d, fd, *icb); err != nil {
			return err
		}
	} else if council == nil {
		// The scenario's own area, if it names one.
		if icbCode, council, err = cli.ScenarioArea(runner, s); err != nil {
			return err
		}
	}
	switch {
	case s.Uncertain != nil && len(s.Uncertain) == 0:
		return fmt.Errorf("%s: field \"uncertain\": %w: an empty list; give the assumptions to draw, or leave the field out to use this program's defaults", file, budget.ErrRange)
	case len(s.Uncertain) == 0:
		// The scenario's own problems first, so that they are not taken
		// for the defaults'.
		if err := runner.Validate(s); err != nil {
			return err
		}
		if s.Uncertain, err = scenario.DefaultUncertaintyFor(d.Parameters, s); err != nil {
			return err
		}
		if err := runner.Validate(s); err != nil {
			return fmt.Errorf("this program's default uncertain assumptions (real growth, inflation, baseline share, convergence) do not fit the scenario: %w", err)
		}
	}
	set := &scenario.SimSettings{Draws: *draws, Seed: *seed, Progress: progress(stderr)}
	area := "ENG"
	if *wide {
		set.Quantiles = []float64{0.05, 0.1, 0.5, 0.9, 0.95}
	}
	if icbCode != "" {
		set.Areas = []string{"ENG", icbCode}
		set.TornadoArea = icbCode
		area = icbCode
	}
	if council != nil {
		// Its part of its ICBs' figures, drawn with them; its grant
		// apportioned by registered patients.
		set.Councils = []dataset.Council{*council}
		set.TornadoArea = council.Code
		area = council.Code
	}
	sim, err := runner.Simulate(s, set)
	if err != nil {
		return err
	}
	// What the bands do not cover: the reading of "1%" itself.
	rds, err := runner.Readings(s, area, council)
	if err != nil {
		return err
	}
	var qsim *scenario.Simulation // the tornado of the net QALYs
	if s.QALYs != nil {
		qset := *set
		qset.Draws, qset.Progress, qset.Tornado = 1, nil, "qalys_net_total"
		if qsim, err = runner.Simulate(s, &qset); err != nil {
			return err
		}
	}
	if *fan != "" {
		if err := report.DrawFan(*fan, sim, area); err != nil {
			return err
		}
	}
	if out.Dir != "" {
		dv, err := report.Bands(d, sim, area, rds, qsim)
		if err != nil {
			return err
		}
		if err := cli.WriteOut(out.Dir, dv); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "uncertainty: wrote %s to %s\n", strings.Join(report.Files(), ", "), out.Dir)
	}
	if *tornadoFile != "" {
		if err := report.DrawTornado(*tornadoFile, sim); err != nil {
			return err
		}
	}
	switch cli.Format(format.Value) {
	case cli.CSV:
		return budget.WriteRows(stdout, append(append([]budget.Row(nil), sim.Bands...), sim.TornadoRows...))
	case cli.JSON:
		return cli.WriteJSON(stdout, struct {
			Manifest scenario.Manifest `json:"manifest"`
			Bands    []budget.Row      `json:"bands"`
			Tornado  []budget.Row      `json:"tornado"`
		}{sim.Manifest, sim.Bands, sim.TornadoRows})
	}
	if err := table(stdout, d.Parameters, sim); err != nil {
		return err
	}
	if err := readingsTable(stdout, sim, area, rds); err != nil {
		return err
	}
	if note := report.CouncilNote(sim, area); note != "" {
		fmt.Fprintln(stdout, "\n"+note)
	}
	return qalyTable(stdout, sim, qsim, area)
}

// qalyTable prints the net QALYs' bands, the sentence on them, and their
// tornado.
func qalyTable(w io.Writer, sim, qsim *scenario.Simulation, area string) error {
	if sim.Scenario.QALYs == nil {
		return nil
	}
	s := sim.Scenario
	qs := sim.Settings.Quantiles
	fmt.Fprintf(w, "\n%s (%s), QALYs net (gained by prevention at the public health cost per QALY, less forgone in treatment at the NHS's)\n", sim.AreaName(area), area)
	tw := cli.TableWriter(w)
	fmt.Fprint(tw, "year\t")
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t", strings.ToUpper(scenario.QuantileName(q)))
	}
	fmt.Fprintln(tw)
	for _, y := range s.Years() {
		fmt.Fprintf(tw, "%s\t", y)
		for _, q := range qs {
			v, _ := sim.Band(area, y, prevention.MeasureQALYsNet, q, budget.Cash())
			fmt.Fprintf(tw, "%s\t", budget.FormatCount(v))
		}
		fmt.Fprintln(tw)
	}
	win := scenario.ShiftWindow(s)
	fmt.Fprintf(tw, "total %s\t", win)
	for _, q := range qs {
		v, _ := sim.WindowBand(area, win, prevention.MeasureQALYsNet, scenario.Sum, q)
		fmt.Fprintf(tw, "%s\t", budget.FormatCount(v))
	}
	fmt.Fprintln(tw)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, report.QALYBands(sim, area))
	if qsim == nil || len(qsim.Tornado) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nTornado: %s's net QALYs over %s, one assumption at a time at its P10 and P90, the others central\n", sim.AreaName(area), scenario.ShiftWindow(s))
	tw = cli.TableWriter(w)
	fmt.Fprintln(tw, "assumption\tlow input\thigh input\tQALYs at low\tQALYs at high\tswing\t")
	for _, b := range qsim.Tornado {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", b.Assumption, scenario.FormatUncertainValue(b.Assumption, b.LowInput),
			scenario.FormatUncertainValue(b.Assumption, b.HighInput), budget.FormatCount(decimal.NewFromFloat(b.Low)), budget.FormatCount(decimal.NewFromFloat(b.High)), budget.FormatCount(decimal.NewFromFloat(b.Swing)))
	}
	return tw.Flush()
}

// readingsTable prints the readings side by side.
func readingsTable(w io.Writer, sim *scenario.Simulation, area string, rds []scenario.ReadingShift) error {
	s := sim.Scenario
	fmt.Fprintf(w, "\nNot drawn: the reading of \"1%%\" itself. %s's shift at a size of %s under each reading, every other assumption the scenario's\n", sim.AreaName(area), s.Shift.Size)
	tw := cli.TableWriter(w)
	fmt.Fprintf(tw, "reading\tshift in %s\ttotal %s\t\n", s.Horizon, scenario.ShiftWindow(s))
	for _, r := range rds {
		name := r.Reading.String()
		if r.Own {
			name += " (the scenario's)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", name, formatArea(area, r.Last), formatArea(area, r.Total))
	}
	return tw.Flush()
}

// formatArea formats £ as £m, to £0.1m for an ICB or a council.
func formatArea(area string, v decimal.Decimal) string {
	if area != "ENG" {
		return local.Format(budget.MoneyFromDecimal(v))
	}
	return millions.Format(budget.MoneyFromDecimal(v))
}

var millions = budget.Formatter{Scale: budget.ScaleMillions}

// money is a band in £m, "-" where the simulation has none.
func money(area string, v decimal.Decimal, ok bool) string {
	if !ok {
		return "-"
	}
	return formatArea(area, v)
}

// local formats an ICB's or a council's figures, to £0.1m.
var local = budget.Formatter{Scale: budget.ScaleMillions, Places: 1}

func table(w io.Writer, params dataset.Parameters, sim *scenario.Simulation) error {
	s := sim.Scenario
	pvBase, _, err := sim.Manifest.PresentValues()
	if err != nil {
		return err
	}
	qs := sim.Settings.Quantiles
	fmt.Fprintf(w, "Uncertainty: %s (%s)\n", s.Name, s.Description)
	fmt.Fprintf(w, "Data: %s; parameters: %s.\n", sim.Manifest.Data, sim.Manifest.Parameters)
	fmt.Fprintf(w, "Published years: %s; footprint %s.\n", sim.Manifest.AllocationBasis, sim.Manifest.Footprint)
	fmt.Fprintf(w, "%s draws, seed %d; bands are quantiles of the draws: P10 to P90 is an 80%% interval", budget.FormatCount(decimal.NewFromInt(int64(sim.Settings.Draws))), sim.Settings.Seed)
	if len(qs) == 5 {
		fmt.Fprint(w, ", P5 to P95 a 90% interval")
	}
	fmt.Fprintln(w, ".")
	fmt.Fprintln(w, "\nUncertain assumptions (the others as the scenario sets them)")
	for _, u := range s.Uncertain {
		fmt.Fprintf(w, "  %-15s %s\n", u.Assumption, u.Distribution)
		if u.Source != "" {
			fmt.Fprintf(w, "  %-15s source: %s\n", "", u.Source)
		}
	}
	years := s.Years()
	areas := sim.Settings.Areas
	for _, c := range sim.Settings.Councils {
		areas = append(areas, c.Code)
	}
	for _, area := range areas {
		for _, m := range []struct {
			measure budget.Measure
			title   string
		}{
			{prevention.MeasureShift, "prevention shift"},
			{prevention.MeasureGrant, "public health grant"},
			{prevention.MeasureShiftToGrant, "shift / grant"},
		} {
			fmt.Fprintf(w, "\n%s (%s), %s, cash\n", sim.AreaName(area), area, m.title)
			tw := cli.TableWriter(w)
			fmt.Fprint(tw, "year\t")
			for _, q := range qs {
				fmt.Fprintf(tw, "%s\t", strings.ToUpper(scenario.QuantileName(q)))
			}
			fmt.Fprintln(tw)
			for _, y := range years {
				mark := ""
				if y.String() > sim.Manifest.Published {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s%s\t", y, mark)
				for _, q := range qs {
					v, ok := sim.Band(area, y, m.measure, q, budget.Cash())
					if m.measure == prevention.MeasureShiftToGrant {
						fmt.Fprintf(tw, "%s\t", cli.Ratio(v))
						continue
					}
					fmt.Fprintf(tw, "%s\t", money(area, v, ok))
				}
				fmt.Fprintln(tw)
			}
			if m.measure == prevention.MeasureShift {
				for _, win := range scenario.Windows(s.Horizon) {
					_, _, disc, hasPV := scenario.Schedule{Base: pvBase}.Split(win)
					lines := []struct {
						agg    scenario.Aggregate
						label  string
						period budget.Span
					}{{scenario.Sum, "total", win}, {scenario.PresentValue, "PV (" + pvBase.String() + " prices)", disc}}
					if !hasPV { // the window ends before year 0: no present value
						lines = lines[:1]
					}
					for _, v := range lines {
						fmt.Fprintf(tw, "%s %s\t", v.label, v.period)
						for _, q := range qs {
							b, ok := sim.WindowBand(area, win, m.measure, v.agg, q)
							fmt.Fprintf(tw, "%s\t", money(area, b, ok))
						}
						fmt.Fprintln(tw)
					}
				}
			}
			tw.Flush()
		}
	}
	fmt.Fprintf(w, "\n* projected: allocations beyond the %s round (the latest held; NHS England's 2026/27-2028/29 allocations are not held), the grant beyond its last published figure.\n", sim.Manifest.Published)
	sched, err := s.Discount.Schedule(params)
	if err != nil {
		return err
	}
	rate := sched.RateText()
	fmt.Fprintf(w, "PV: present value from year 0, %s, in its prices, discounted at %s a year (%s), of the years from it (earlier years are not discounted); total: the cash sum.\n",
		sim.Manifest.PresentValueBase, rate, s.Discount)
	fmt.Fprintln(w, "The bands cover the assumptions drawn, and no more: growth in 2026/27 and 2027/28 is NHS England's published cash growth (no spread),"+
		" the baseline share cancels out of the shift under the points and per-year readings, and the reading of \"1%\" itself (go run ./examples/compare)"+
		" moves the shift far more than any of them.")
	if len(sim.Tornado) > 0 {
		fmt.Fprintf(w, "\nTornado: %s's prevention shift over %s (cash), one assumption at a time at its P10 and P90, the others central\n",
			sim.AreaName(sim.Settings.TornadoArea), scenario.ShiftWindow(s))
		tw := cli.TableWriter(w)
		fmt.Fprintln(tw, "assumption\tlow input\thigh input\tshift at low\tshift at high\tswing\t")
		// To £0.1m where the widest swing is under £10m (an ICB's), so
		// that swings do not all read £0m or £1m.
		f := millions
		if sim.Tornado[0].Swing < 10e6 {
			f.Places = 1
		}
		fm := func(v float64) string { return f.Format(budget.MoneyFromDecimal(decimal.NewFromFloat(v))) }
		for _, b := range sim.Tornado {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", b.Assumption, scenario.FormatUncertainValue(b.Assumption, b.LowInput),
				scenario.FormatUncertainValue(b.Assumption, b.HighInput), fm(b.Low), fm(b.High), fm(b.Swing))
		}
		tw.Flush()
		fmt.Fprintf(w, "With every assumption central: %s.", fm(sim.Tornado[0].Central))
		for _, u := range s.Uncertain {
			if u.Assumption == scenario.UncertainInflation {
				fmt.Fprintf(w, " Inflation is drawn, so its centre (%s) replaces the scenario's deflator forecast in projected years:"+
					" the central figures differ a little from the scenario's own (Run, as compare gives them).", u.Distribution)
				break
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

// progress is a progress bar on stderr for a simulation that runs longer
// than a second, when stderr is a terminal; nil (no bar) otherwise, so that
// output to a file or a pipe is the same with or without one.
func progress(stderr io.Writer) func(done, total int) {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	start := time.Now()
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil {
			if time.Since(start) < time.Second || done >= total {
				return
			}
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(f), progressbar.OptionSetDescription("drawing"),
				progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done) // a bar that cannot draw is no reason to stop the simulation
		if done >= total {
			_ = bar.Finish()
		}
	}
}
