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
	"math"
	"os"
	"strconv"
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
	if *icb != "" {
		code, err := cli.ResolveICB(d, fd, *icb)
		if err != nil {
			return err
		}
		set.Areas = []string{"ENG", code}
		set.TornadoArea = code
		area = code
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
	rds, err := readings(runner, s, area, council)
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
		if err := fanChart(*fan, sim, area); err != nil {
			return err
		}
	}
	if out.Dir != "" {
		if err := deliverables(out.Dir, d, sim, area, rds, qsim); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "uncertainty: wrote %s to %s\n", strings.Join(report.Files(), ", "), out.Dir)
	}
	if *tornadoFile != "" {
		if err := tornadoChart(*tornadoFile, sim); err != nil {
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
	if note := councilNote(sim, area); note != "" {
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
	ix := index(sim)
	s := sim.Scenario
	qs := sim.Settings.Quantiles
	fmt.Fprintf(w, "\n%s (%s), QALYs net (gained by prevention at the public health cost per QALY, less forgone in treatment at the NHS's)\n", areaName(sim, area), area)
	tw := cli.TableWriter(w)
	fmt.Fprint(tw, "year\t")
	for _, q := range qs {
		fmt.Fprintf(tw, "%s\t", strings.ToUpper(scenario.QuantileName(q)))
	}
	fmt.Fprintln(tw)
	periods := []string{}
	for _, y := range s.Years() {
		periods = append(periods, y.String())
	}
	periods = append(periods, scenario.ShiftWindow(s).String())
	for _, p := range periods {
		measure := prevention.MeasureQALYsNet
		label := p
		if strings.Contains(p, "-") {
			measure, label = measure+"_total", "total "+p
		}
		fmt.Fprintf(tw, "%s\t", label)
		for _, q := range qs {
			v, _ := ix.get(p, area, measure+"_"+scenario.QuantileName(q), "none")
			fmt.Fprintf(tw, "%s\t", budget.FormatCount(v))
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, qalyBandSentence(sim, area))
	if qsim == nil || len(qsim.Tornado) == 0 {
		return nil
	}
	fmt.Fprintf(w, "\nTornado: %s's net QALYs over %s, one assumption at a time at its P10 and P90, the others central\n", areaName(sim, area), scenario.ShiftWindow(s))
	tw = cli.TableWriter(w)
	fmt.Fprintln(tw, "assumption\tlow input\thigh input\tQALYs at low\tQALYs at high\tswing\t")
	for _, b := range qsim.Tornado {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", b.Assumption, scenario.FormatUncertainValue(b.Assumption, b.LowInput),
			scenario.FormatUncertainValue(b.Assumption, b.HighInput), budget.FormatCount(decimal.NewFromFloat(b.Low)), budget.FormatCount(decimal.NewFromFloat(b.High)), budget.FormatCount(decimal.NewFromFloat(b.Swing)))
	}
	return tw.Flush()
}

// qalyBandSentence says what the net QALYs are in the last year and over
// the shift's window, P10 to P90, and how sure their sign is.
func qalyBandSentence(sim *scenario.Simulation, area string) string {
	ix := index(sim)
	s := sim.Scenario
	last := s.Horizon.String()
	win := scenario.ShiftWindow(s).String()
	mid, _ := ix.get(last, area, prevention.MeasureQALYsNet+"_p50", "none")
	lo, _ := ix.get(last, area, prevention.MeasureQALYsNet+"_p10", "none")
	hi, _ := ix.get(last, area, prevention.MeasureQALYsNet+"_p90", "none")
	val, _ := ix.get(last, area, prevention.MeasureQALYValue+"_p50", "cash")
	tlo, _ := ix.get(win, area, prevention.MeasureQALYsNet+"_total_p10", "none")
	thi, _ := ix.get(win, area, prevention.MeasureQALYsNet+"_total_p90", "none")
	sign := "The net is above zero in at least nine draws out of ten (its P10 is above zero)."
	if lo, hi, ok := qalyRanges(s); ok && lo < hi {
		// The public health range lies wholly below the NHS's: no draw
		// can make the net a loss; the sign rests on the paper.
		sign = fmt.Sprintf("The net is above zero in every draw, because the public health range (to %s a QALY) lies wholly below the NHS range (from %s): its sign rests on the paper's finding, and on NHS prevention buying health as council public health does, not on the draws.",
			scenario.FormatUncertainValue(scenario.UncertainQALYCostPublicHealth, lo), scenario.FormatUncertainValue(scenario.UncertainQALYCostNHS, hi))
	}
	switch {
	case tlo.Sign() <= 0 && thi.Sign() > 0:
		sign = "Its sign is not sure: the P10 to P90 of the total spans zero."
	case thi.Sign() <= 0:
		sign = "The net is a loss in at least nine draws out of ten (its P90 is at or below zero)."
	}
	return fmt.Sprintf("In health: the shift in %s would gain about %s QALYs net in %s (P50; P10 %s to P90 %s; QALYs bought by that year's spending), worth %s at the Green Book's value of a QALY; over %s, %s to %s QALYs. %s The bands cover the costs per QALY drawn over their published ranges and the other assumptions drawn, not the assumption that NHS prevention buys health as council public health does at the margin.",
		last, budget.FormatAbout(mid), areaName(sim, area), budget.FormatCount(lo), budget.FormatCount(hi), formatArea(area, val), win, budget.FormatCount(tlo), budget.FormatCount(thi), sign)
}

// reading is the area's shift under one reading of "1%", the scenario's
// other assumptions as they are, with no draws.
type reading struct {
	Reading prevention.Reading
	Last    decimal.Decimal // the shift in the last year, cash
	Total   decimal.Decimal // the shift over the shift's window, cash
	Own     bool            // the scenario's own reading
}

// readings runs the scenario under each reading of "1%" at its size.
func readings(r *scenario.Runner, s scenario.Scenario, area string, council *dataset.Council) ([]reading, error) {
	last := s.Horizon.String()
	win := scenario.ShiftWindow(s).String()
	var out []reading
	for _, rd := range prevention.Readings() {
		x := s
		x.Shift.Reading = rd
		x.Uncertain = nil
		res, err := r.Run(x)
		if err != nil {
			return nil, err
		}
		if council != nil {
			if res, err = r.Council(res, *council); err != nil {
				return nil, err
			}
		}
		one := reading{Reading: rd, Own: rd == s.Shift.Reading}
		for _, row := range append(append([]budget.Row(nil), res.Rows...), res.Summary...) {
			if row.Area != area || row.Basis != "cash" {
				continue
			}
			switch {
			case row.Period == last && row.Measure == prevention.MeasureShift:
				one.Last = row.Value
			case row.Period == win && row.Measure == prevention.MeasureShift+"_total":
				one.Total = row.Value
			}
		}
		out = append(out, one)
	}
	return out, nil
}

// readingsTable prints the readings side by side.
func readingsTable(w io.Writer, sim *scenario.Simulation, area string, rds []reading) error {
	s := sim.Scenario
	fmt.Fprintf(w, "\nNot drawn: the reading of \"1%%\" itself. %s's shift at a size of %s under each reading, every other assumption the scenario's\n", areaName(sim, area), s.Shift.Size)
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

// readingRange is the lowest and highest shift in the last year over the
// readings, with their names.
func readingRange(rds []reading) (lo, hi reading) {
	for i, r := range rds {
		if i == 0 || r.Last.LessThan(lo.Last) {
			lo = r
		}
		if i == 0 || r.Last.GreaterThan(hi.Last) {
			hi = r
		}
	}
	return lo, hi
}

type bandIndex map[string]budget.Row

func index(sim *scenario.Simulation) bandIndex {
	ix := bandIndex{}
	for _, b := range sim.Bands {
		ix[b.Period+"|"+b.Area+"|"+b.Measure+"|"+b.Basis] = b
	}
	return ix
}

func (ix bandIndex) get(period, area, measure, basis string) (decimal.Decimal, bool) {
	r, ok := ix[period+"|"+area+"|"+measure+"|"+basis]
	return r.Value, ok
}

var millions = budget.Formatter{Unit: budget.UnitMillions}

func (ix bandIndex) money(period, area, measure, basis string) string {
	v, ok := ix.get(period, area, measure, basis)
	if !ok {
		return "-"
	}
	if area != "ENG" {
		return local.Format(budget.MoneyFromDecimal(v))
	}
	return millions.Format(budget.MoneyFromDecimal(v))
}

// local formats an ICB's or a council's figures, to £0.1m.
var local = budget.Formatter{Unit: budget.UnitMillions, Places: 1}

func table(w io.Writer, params dataset.Parameters, sim *scenario.Simulation) error {
	s := sim.Scenario
	pvBase, pvBasis, err := sim.Manifest.PresentValues()
	if err != nil {
		return err
	}
	qs := sim.Settings.Quantiles
	fmt.Fprintf(w, "Uncertainty: %s (%s)\n", s.Name, s.Description)
	fmt.Fprintf(w, "Data: %s; parameters: %s.\n", sim.Manifest.Data, sim.Manifest.Parameters)
	fmt.Fprintf(w, "Published years: %s; footprint %s.\n", sim.Manifest.AllocationBasis, sim.Manifest.Footprint)
	fmt.Fprintf(w, "%s draws, seed %d; bands are quantiles of the draws: P10 to P90 is an 80%% interval", thousands(sim.Settings.Draws), sim.Settings.Seed)
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
	ix := index(sim)
	years := s.Years()
	areas := sim.Settings.Areas
	for _, c := range sim.Settings.Councils {
		areas = append(areas, c.Code)
	}
	for _, area := range areas {
		for _, m := range []struct{ measure, title string }{
			{prevention.MeasureShift, "prevention shift"},
			{prevention.MeasureGrant, "public health grant"},
			{prevention.MeasureShiftToGrant, "shift / grant"},
		} {
			fmt.Fprintf(w, "\n%s (%s), %s, cash\n", areaName(sim, area), area, m.title)
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
					meas := m.measure + "_" + scenario.QuantileName(q)
					if m.measure == prevention.MeasureShiftToGrant {
						v, _ := ix.get(y.String(), area, meas, "cash")
						fmt.Fprintf(tw, "%s\t", cli.Ratio(v))
						continue
					}
					fmt.Fprintf(tw, "%s\t", ix.money(y.String(), area, meas, "cash"))
				}
				fmt.Fprintln(tw)
			}
			if m.measure == prevention.MeasureShift {
				for _, win := range scenario.Windows(s.Horizon) {
					_, _, disc, hasPV := scenario.Schedule{Base: pvBase}.Split(win)
					lines := []struct {
						suffix, basis, label string
						period               budget.Span
					}{{"_total", "cash", "total", win}, {"_pv", pvBasis, "PV (" + pvBase.String() + " prices)", disc}}
					if !hasPV { // the window ends before year 0: no present value
						lines = lines[:1]
					}
					for _, v := range lines {
						fmt.Fprintf(tw, "%s %s\t", v.label, v.period)
						for _, q := range qs {
							fmt.Fprintf(tw, "%s\t", ix.money(v.period.String(), area, m.measure+v.suffix+"_"+scenario.QuantileName(q), v.basis))
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
			areaName(sim, sim.Settings.TornadoArea), scenario.ShiftWindow(s))
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

// fanChart draws an area's prevention shift band (P10-P90, P50) against
// the grant, projected years shaded.
func fanChart(file string, sim *scenario.Simulation, area string) error {
	ix := index(sim)
	s := sim.Scenario
	years := s.Years()
	var labels []string
	band := &report.Band{Name: "prevention shift, P10-P90 (80% interval)", MidName: "prevention shift, P50"}
	var grant []float64
	m := func(v decimal.Decimal) float64 { return v.Shift(-6).InexactFloat64() }
	projected := -1
	for i, y := range years {
		labels = append(labels, y.String())
		if projected < 0 && y.String() > sim.Manifest.Published {
			projected = i
		}
		p := y.String()
		lo, _ := ix.get(p, area, "prevention_shift_p10", "cash")
		mid, _ := ix.get(p, area, "prevention_shift_p50", "cash")
		hi, _ := ix.get(p, area, "prevention_shift_p90", "cash")
		g, _ := ix.get(p, area, "public_health_grant_p50", "cash")
		band.Low, band.Mid, band.High = append(band.Low, m(lo)), append(band.Mid, m(mid)), append(band.High, m(hi))
		grant = append(grant, m(g))
	}
	// Say how wide the band is in the last year: under the points reading
	// it is too narrow to see.
	if n := len(band.Mid); n > 0 && band.Mid[n-1] > 0 {
		half := math.Max(band.High[n-1]-band.Mid[n-1], band.Mid[n-1]-band.Low[n-1]) / band.Mid[n-1]
		band.Name = fmt.Sprintf("prevention shift, P10-P90 (80%% interval: within %s%% of P50 in %s)", strconv.FormatFloat(half*100, 'f', 1, 64), labels[n-1])
	}
	title := fmt.Sprintf("%s: the prevention shift against the public health grant\nscenario %s, %s draws", areaName(sim, area), s.Name, thousands(sim.Settings.Draws))
	return report.Draw(file, report.Chart{Title: title, YLabel: "£m, cash", Years: labels, Band: band, FirstProjected: projected,
		Series:   []report.Series{{Name: "public health grant (P50)", Values: grant, Dashed: true, Colour: report.GrantColour}},
		Footnote: "Sources: NHS England ICB allocations; DHSC public health grant;\nOBR GDP deflator; the distributions drawn"})
}

// areaName is an area's name in the simulation's bands.
func areaName(sim *scenario.Simulation, area string) string {
	for _, r := range sim.Bands {
		if r.Area == area {
			return r.AreaName
		}
	}
	return area
}

func tornadoChart(file string, sim *scenario.Simulation) error {
	var bars []report.Bar
	for _, b := range sim.Tornado {
		bars = append(bars, report.Bar{Label: scenario.UncertainLabel(b.Assumption), Low: b.Low / 1e6, High: b.High / 1e6})
	}
	central := 0.0
	if len(sim.Tornado) > 0 {
		central = sim.Tornado[0].Central / 1e6
	}
	title := fmt.Sprintf("%s\nwhat moves the %s prevention shift, %s", areaName(sim, sim.Settings.TornadoArea), sim.Scenario.Name,
		scenario.ShiftWindow(sim.Scenario))
	return report.Tornado(file, title, "five-year prevention shift, £m cash", bars, central)
}

// thousands writes a count with thousands separators: 10,000.
func thousands(n int) string {
	return budget.Formatter{NoSymbol: true}.Format(budget.Pounds(int64(n)))
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

// deliverables writes the simulation's folder (see package report) for an
// area: the shift's P10, P50 and P90 and the grant by year, the fan chart,
// the distributions drawn.
func deliverables(dir string, d *dataset.Data, sim *scenario.Simulation, area string, rds []reading, qsim *scenario.Simulation) error {
	ix := index(sim)
	s := sim.Scenario
	years := s.Years()
	name := areaName(sim, area)
	dv := report.Deliverable{Program: "uncertainty", DataHeader: budget.RowColumns(), NumberCols: []int{5}, Sources: d.Sources.List(),
		Chart: func(file string) error { return fanChart(file, sim, area) }}
	for _, y := range years {
		label := y.String()
		if y.String() > sim.Manifest.Published {
			label += "*"
		}
		dv.Columns = append(dv.Columns, label)
	}
	for _, l := range []struct{ label, measure, unit string }{
		{"The shift, P10", "prevention_shift_p10", "£m"}, {"The shift, P50", "prevention_shift_p50", "£m"}, {"The shift, P90", "prevention_shift_p90", "£m"},
		{"Public health grant, P50", "public_health_grant_p50", "£m"},
		{"Shift / grant, P10", "shift_to_grant_ratio_p10", "ratio"}, {"Shift / grant, P50", "shift_to_grant_ratio_p50", "ratio"},
		{"Shift / grant, P90", "shift_to_grant_ratio_p90", "ratio"},
	} {
		line := report.Line{Label: l.label, Unit: l.unit}
		for _, y := range years {
			v, ok := ix.get(y.String(), area, l.measure, "cash")
			if !ok {
				line.Values = append(line.Values, math.NaN())
				continue
			}
			if l.unit == "£m" {
				v = v.Shift(-6)
			}
			line.Values = append(line.Values, v.InexactFloat64())
		}
		dv.Lines = append(dv.Lines, line)
	}
	if s.QALYs != nil {
		for _, l := range []struct{ label, q string }{{"QALYs net, P10", "p10"}, {"QALYs net, P50", "p50"}, {"QALYs net, P90", "p90"}} {
			line := report.Line{Label: l.label, Unit: "QALYs"}
			for _, y := range years {
				v, ok := ix.get(y.String(), area, prevention.MeasureQALYsNet+"_"+l.q, "none")
				if !ok {
					line.Values = append(line.Values, math.NaN())
					continue
				}
				line.Values = append(line.Values, v.InexactFloat64())
			}
			dv.Lines = append(dv.Lines, line)
		}
	}
	// Beside the bands, what they do not cover: the reading of "1%", and
	// what moves them most.
	rsheet := report.Sheet{Name: "Readings", InReport: true, NumberCols: []int{1, 2},
		Header: []string{"reading of \"1%\" (not drawn)", "shift " + s.Horizon.String() + " (£m)", "total " + scenario.ShiftWindow(s).String() + " (£m)"}}
	for _, r := range rds {
		name := r.Reading.String()
		if r.Own {
			name += " (the scenario's)"
		}
		rsheet.Rows = append(rsheet.Rows, []string{name, r.Last.Shift(-6).StringFixed(1), r.Total.Shift(-6).StringFixed(1)})
	}
	dv.Sheets = append(dv.Sheets, rsheet)
	if len(sim.Tornado) > 0 {
		tsheet := report.Sheet{Name: "Tornado", InReport: true, NumberCols: []int{1, 2, 3, 4, 5},
			Header: []string{"assumption (" + scenario.ShiftWindow(s).String() + " shift, £m)", "low input", "high input", "shift at low", "shift at high", "swing"}}
		for _, b := range sim.Tornado {
			tsheet.Rows = append(tsheet.Rows, []string{b.Assumption, strconv.FormatFloat(b.LowInput, 'f', 4, 64), strconv.FormatFloat(b.HighInput, 'f', 4, 64),
				strconv.FormatFloat(b.Low/1e6, 'f', 1, 64), strconv.FormatFloat(b.High/1e6, 'f', 1, 64), strconv.FormatFloat(b.Swing/1e6, 'f', 1, 64)})
		}
		dv.Sheets = append(dv.Sheets, tsheet)
		dv.Figures = append(dv.Figures, report.Figure{Name: "What moves the shift most", Draw: func(file string) error { return tornadoChart(file, sim) }})
	}
	if qsim != nil && len(qsim.Tornado) > 0 {
		qsheet := report.Sheet{Name: "QALYs tornado", InReport: true, NumberCols: []int{3, 4, 5},
			Header: []string{"assumption (" + scenario.ShiftWindow(s).String() + " net QALYs)", "low input", "high input", "QALYs at low", "QALYs at high", "swing"}}
		for _, b := range qsim.Tornado {
			qsheet.Rows = append(qsheet.Rows, []string{b.Assumption, scenario.FormatUncertainValue(b.Assumption, b.LowInput), scenario.FormatUncertainValue(b.Assumption, b.HighInput),
				strconv.FormatFloat(b.Low, 'f', 0, 64), strconv.FormatFloat(b.High, 'f', 0, 64), strconv.FormatFloat(b.Swing, 'f', 0, 64)})
		}
		dv.Sheets = append(dv.Sheets, qsheet)
	}
	last := years[len(years)-1].String()
	lo, _ := ix.get(last, area, "prevention_shift_p10", "cash")
	hi, _ := ix.get(last, area, "prevention_shift_p90", "cash")
	dv.Title = fmt.Sprintf("%s: how uncertain the %s prevention shift is", name, s.Name)
	dv.Subtitle = fmt.Sprintf("%s draws, seed %d; £m cash; years marked * are projected; P10 to P90 is an 80%% interval.", thousands(sim.Settings.Draws), sim.Settings.Seed)
	rlo, rhi := readingRange(rds)
	dv.Headline = fmt.Sprintf("In %s the shift in %s is between %s and %s in eight draws out of ten of the assumptions drawn; the reading of \"1%%\", which is not drawn, moves it from %s (%s) to %s (%s).",
		last, name, report.Format(lo.Shift(-6).InexactFloat64(), "£m"), report.Format(hi.Shift(-6).InexactFloat64(), "£m"),
		report.Format(rlo.Last.Shift(-6).InexactFloat64(), "£m"), rlo.Reading, report.Format(rhi.Last.Shift(-6).InexactFloat64(), "£m"), rhi.Reading)
	dv.Footer = fmt.Sprintf("%s (%s), scenario %s: how uncertain the shift is", name, area, s.Name)
	if note := councilNote(sim, area); note != "" {
		dv.Notes = append(dv.Notes, note)
	}
	if s.QALYs != nil {
		dv.Headline += " " + qalyBandSentence(sim, area)
	}
	dv.Notes = []string{
		"What the bands do not cover: the reading of \"1%\" (the Readings table: it moves the shift far more than any assumption drawn); the published years, 2023/24 to " + sim.Manifest.Published + ", which are NHS England's allocations; NHS England's published cash growth for 2026/27 and 2027/28; and the baseline share, which cancels out of the shift under the points and per-year readings.",
		"The bands are quantiles of the draws of the assumptions listed; every other assumption is the scenario's.",
		"Inflation, where drawn, replaces the deflator forecast in projected years, so the central figures differ a little from a single run's.",
		"The bands say how far the figures move with the assumptions, not how likely the assumptions are: the distributions are assumed.",
	}
	for _, u := range s.Uncertain {
		dv.Assumptions = append(dv.Assumptions, report.Assumption{Name: u.Assumption, Value: u.Distribution.String(), Source: u.Source})
	}
	for _, r := range append(append([]budget.Row(nil), sim.Bands...), sim.TornadoRows...) {
		dv.Data = append(dv.Data, r.Record())
	}
	m := sim.Manifest
	dv.Manifest = [][2]string{{"library", m.Library}, {"scenario", m.Scenario}, {"data", m.Data}, {"parameters", m.Parameters},
		{"settlement", m.Settlement}, {"allocation basis", m.AllocationBasis}, {"footprint", m.Footprint}, {"deflator", m.Deflator},
		{"published to", m.Published}, {"draws", thousands(sim.Settings.Draws)}, {"seed", fmt.Sprint(sim.Settings.Seed)}, {"area", area + " " + name}}
	return cli.WriteOut(dir, dv)
}

// councilNote says, for a council's bands, what its figures are: its part
// of its ICBs' by registered patients, its grant apportioned so (or the
// scenario's council allocations); "" for England or an ICB.
func councilNote(sim *scenario.Simulation, area string) string {
	for _, c := range sim.Settings.Councils {
		if c.Code == area {
			grant := "apportioned by its share of its ICBs' registered patients times their grants (not a published allocation)"
			if sim.Scenario.Councils != nil {
				grant = "its part of its ICBs' grants, which come from the councils' allocations given (-councils), by registered patients"
			}
			return fmt.Sprintf("%s (%s): its NHS figures are %s; its grant in the bands is %s.", c.Name, c.Code, prevention.AttributionMethod, grant)
		}
	}
	return ""
}

// qalyRanges returns the highest public health cost per QALY and the
// lowest NHS cost per QALY the scenario draws, when it draws both.
func qalyRanges(s scenario.Scenario) (phHigh, nhsLow float64, ok bool) {
	var ph, nhs *scenario.Distribution
	for i, u := range s.Uncertain {
		switch u.Assumption {
		case scenario.UncertainQALYCostPublicHealth:
			ph = &s.Uncertain[i].Distribution
		case scenario.UncertainQALYCostNHS:
			nhs = &s.Uncertain[i].Distribution
		}
	}
	if ph == nil || nhs == nil || ph.Kind != "triangular" || nhs.Kind != "triangular" {
		return 0, 0, false
	}
	return ph.C, nhs.A, true
}
