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
	"github.com/upstream-health/upstream/internal/outflag"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
	"github.com/upstream-health/upstream/scenario/report"
	"github.com/upstream-health/upstream/scenario/report/deliver"
)

func main() {
	os.Exit(cli.Main("uncertainty", run, os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the command line asks for: the scenario to draw and how,
// the area beside England, and where the results go.
type config struct {
	format   cli.Format
	data     *dataset.Data
	runner   *scenario.Runner
	scenario scenario.Scenario
	settings *scenario.SimSettings
	area     string // the area's code, or "ENG"
	council  *dataset.Council
	fan      string
	tornado  string
	out      string
	done     bool // the flags asked only for a listing, written
}

func run(args []string, stdout, stderr io.Writer) error {
	c, err := configure(args, stdout, stderr)
	if err != nil || c.done {
		return err
	}
	d, runner, s, set, area, council := c.data, c.runner, c.scenario, c.settings, c.area, c.council
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
	if c.fan != "" {
		fan, err := report.FanChart(sim, area)
		if err != nil {
			return err
		}
		if err := deliver.Draw(c.fan, fan); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "uncertainty: wrote the fan chart to %s\n", c.fan)
	}
	if c.out != "" {
		dv, err := report.Bands(d, sim, area, rds, qsim)
		if err != nil {
			return err
		}
		if err := outflag.Write(c.out, dv); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "uncertainty: wrote %s to %s\n", strings.Join(deliver.Files(), ", "), c.out)
	}
	if c.tornado != "" {
		tornado, err := report.TornadoChart(sim)
		if err != nil {
			return err
		}
		if err := deliver.DrawTornado(c.tornado, tornado); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "uncertainty: wrote the tornado chart to %s\n", c.tornado)
	}
	switch c.format {
	case cli.CSV:
		return budget.WriteRows(stdout, append(append([]budget.Row(nil), sim.Bands...), sim.TornadoRows...))
	case cli.JSON:
		return cli.WriteJSON(stdout, struct {
			Manifest scenario.Manifest `json:"manifest"`
			Bands    []budget.Row      `json:"bands"`
			Tornado  []budget.Row      `json:"tornado"`
		}{sim.Manifest, sim.Bands, sim.TornadoRows})
	}
	return report.BandsText(stdout, d.Parameters, sim, area, rds, qsim)
}

func configure(args []string, stdout, stderr io.Writer) (config, error) {
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
	out := outflag.Flags(fs.FlagSet)
	fan := fs.String("chart", "", "write a fan chart of the shift against the public health grant (.png or .svg)")
	tornadoFile := fs.String("tornado-chart", "", "write the tornado chart (.png or .svg)")
	dataFlags := cli.NewDataFlagsWithCouncils(fs)
	basisFlags := cli.NewBasisFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return config{}, err
	}
	if err := out.Check(); err != nil {
		return config{}, fmt.Errorf("%w: %w", cli.ErrUsage, err)
	}
	for flag, f := range map[string]string{"chart": *fan, "tornado-chart": *tornadoFile} {
		if f != "" {
			if err := deliver.CheckFile(f); err != nil {
				return config{}, fmt.Errorf("%w: -%s: %v", cli.ErrUsage, flag, err)
			}
		}
	}
	d, err := dataFlags.Load()
	if err != nil {
		return config{}, err
	}
	if *draws < 1 || *draws > 10_000_000 {
		return config{}, fmt.Errorf("%w: -draws %d: want 1 to 10,000,000", cli.ErrUsage, *draws)
	}
	s, err := scenarioFlag.Load(d)
	if err != nil {
		return config{}, err
	}
	file := "" // the scenario file, if one was given
	if scenarioFlag.IsFile() {
		file = scenarioFlag.Value()
		if s.Given("footprint") {
			if err := basisFlags.Conflict(file, s.Footprint); err != nil {
				return config{}, err
			}
		}
		if s.Given("allocation_basis") {
			if err := basisFlags.ConflictBasis(file, s.AllocationBasis); err != nil {
				return config{}, err
			}
		}
	} else {
		s.Data = d.Vintage // a catalogue scenario applies to whatever data is given
	}
	if cs, err := councilsFile.Load(dataFlags.Unreconciled()); err != nil {
		return config{}, err
	} else if cs != nil {
		if s.Councils != nil {
			return config{}, fmt.Errorf("%w: -councils and the councils of the scenario file: give one", cli.ErrUsage)
		}
		s.Councils = cs
	}
	if benefits.Value == "qalys" && s.QALYs == nil {
		q, err := prevention.QALYsPreset(d.Parameters)
		if err != nil {
			return config{}, err
		}
		s.QALYs = &q
	}
	if err := basisFlags.Apply(&s.AllocationBasis); err != nil {
		return config{}, fmt.Errorf("%w: %v", cli.ErrUsage, err)
	}
	if cli.Given(fs, "pv-base") {
		y, err := cli.PVBase(*pvBase, scenario.MinYear(), s.Horizon)
		if err != nil {
			return config{}, err
		}
		if s.Given("present_value_base") && s.PresentValueBase != y {
			return config{}, fmt.Errorf("%w: -pv-base %s conflicts with the present_value_base %s of %s: give one or make them agree", cli.ErrUsage, y, s.PresentValueBase, file)
		}
		s.PresentValueBase = y
	}
	runner := scenario.NewRunner(d) // one restatement and projection for everything below
	fd, err := basisFlags.Footprint(runner.Engine(), &s.Footprint)
	if err != nil {
		return config{}, err
	}
	if *listICBs {
		return config{done: true}, cli.ListICBs(stdout, fd)
	}
	if councilFlags.Listing() {
		return config{done: true}, cli.ListCouncils(stdout, fd)
	}
	council, err := councilFlags.Resolve(fd)
	if err != nil {
		return config{}, err
	}
	if council != nil && *icb != "" {
		return config{}, fmt.Errorf("%w: -council and -icb: give one area beside England", cli.ErrUsage)
	}
	icbCode := ""
	if *icb != "" {
		if icbCode, err = cli.ResolveICB(d, fd, *icb); err != nil {
			return config{}, err
		}
	} else if council == nil {
		// The scenario's own area, if it names one.
		if icbCode, council, err = cli.ScenarioArea(runner, s); err != nil {
			return config{}, err
		}
	}
	switch {
	case s.Uncertain != nil && len(s.Uncertain) == 0:
		return config{}, fmt.Errorf("%s: field \"uncertain\": %w: an empty list; give the assumptions to draw, or leave the field out to use this program's defaults", file, budget.ErrRange)
	case len(s.Uncertain) == 0:
		// The scenario's own problems first, so that they are not taken
		// for the defaults'.
		if err := runner.Validate(s); err != nil {
			return config{}, err
		}
		if s.Uncertain, err = scenario.DefaultUncertaintyFor(d.Parameters, s); err != nil {
			return config{}, err
		}
		if err := runner.Validate(s); err != nil {
			return config{}, fmt.Errorf("this program's default uncertain assumptions (real growth, inflation, baseline share, convergence) do not fit the scenario: %w", err)
		}
	}
	set := &scenario.SimSettings{Draws: *draws, Seed: *seed, Progress: progress(stdout, stderr)}
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
	return config{format: cli.Format(format.Value), data: d, runner: runner, scenario: s, settings: set, area: area, council: council,
		fan: *fan, tornado: *tornadoFile, out: out.Dir}, nil
}

// progress is a progress bar on stderr for a simulation that runs longer
// than a second, when stderr is a terminal; when it is a file or a pipe, a
// line every progressEvery (progressLines), unless it is where stdout goes
// too (a run with 2>&1), whose lines would land among the results. stdout
// is the same either way.
func progress(stdout, stderr io.Writer) func(done, total int) {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil {
		return nil
	}
	if st.Mode()&os.ModeCharDevice == 0 {
		// A log or a pipe: no bar, but a long run still says how far it
		// is, if the results are not written there too.
		if o, ok := stdout.(*os.File); ok {
			if ost, err := o.Stat(); err == nil && os.SameFile(st, ost) {
				return nil
			}
		}
		return progressLines(f, time.Now, progressEvery)
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

// count is n with thousands separated, as the report writes draws.
func count(n int) string { return budget.FormatCount(decimal.NewFromInt(int64(n))) }

// progressEvery is how often a run whose stderr is not a terminal writes
// a progress line: 100,000 draws take well under a second; 10,000,000 with
// QALYs, a council and the tornado, over a minute.
const progressEvery = 10 * time.Second

// progressLines writes a line to w each interval of a run (none in the
// first, none at the end): the draws done, of how many, and the time so
// far. now is the clock.
func progressLines(w io.Writer, now func() time.Time, every time.Duration) func(done, total int) {
	start := now()
	next := start.Add(every)
	return func(done, total int) {
		if done >= total {
			return
		}
		t := now()
		if t.Before(next) {
			return
		}
		next = t.Add(every)
		fmt.Fprintf(w, "uncertainty: %s of %s draws (%d%%) in %s\n", count(done), count(total),
			int64(done)*100/int64(total), t.Sub(start).Round(time.Second))
	}
}
