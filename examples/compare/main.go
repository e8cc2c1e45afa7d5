// Command compare sets the scenario catalogue side by side: what each
// scenario changes from the base, and the prevention shift, treatment
// spending and public health grant it gives, year by year, over five (and
// ten) years, and as a present value discounted the HM Treasury Green
// Book way.
//
//	go run ./examples/compare
//	go run ./examples/compare -base hewitt -horizon 2033/34
//	go run ./examples/compare -scenario my.json -format csv
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/chart"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

func main() {
	os.Exit(cli.Main("compare", run, os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("compare", stderr)
	format := cli.FormatFlag(fs)
	baseName := fs.String("base", scenario.StatusQuo, "the scenario the others are compared with: "+strings.Join(scenario.CatalogueNames(), ", ")+", or the name of a -scenario file")
	file := fs.String("scenario", "", "a scenario JSON file to add to the catalogue (see scenario.Read)")
	horizon := fs.String("horizon", "2028/29", "last year (2033/34 adds ten-year totals)")
	icb := fs.String("icb", "", "one ICB beside England: its ODS or ONS code, or a unique part of its name; -list-icbs lists them")
	listICBs := fs.Bool("list-icbs", false, "list the ICBs of the footprint (code, ONS code, name, region) and stop")
	allICBs := fs.Bool("all-icbs", false, "every ICB beside England (csv and json)")
	chartFile := fs.String("chart", "", "write a chart of each scenario's prevention shift and grant over time (.png or .svg)")
	printSchema := fs.Bool("schema", false, "print the JSON Schema of scenario files (every field, its unit, default and allowed values) and stop")
	dataFlags := cli.NewDataFlags(fs)
	basisFlags := cli.NewBasisFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *chartFile != "" {
		if err := chart.CheckFile(*chartFile); err != nil {
			return fmt.Errorf("%w: -chart: %v", cli.ErrUsage, err)
		}
	}
	if *printSchema {
		_, err := stdout.Write(scenario.Schema())
		return err
	}
	d, err := dataFlags.Load()
	if err != nil {
		return err
	}
	if *listICBs {
		var footprint string
		fd, err := basisFlags.Footprint(d, &footprint)
		if err != nil {
			return err
		}
		return cli.ListICBs(stdout, fd)
	}
	h, err := budget.ParseYear(*horizon)
	if err != nil {
		return fmt.Errorf("%w: -horizon: %v", cli.ErrUsage, err)
	}
	ss, err := scenario.Catalogue(d.Parameters)
	if err != nil {
		return err
	}
	for i := range ss {
		ss[i].Data = d.Vintage // the catalogue applies to whatever data is given
	}
	footprint := budget.DefaultFootprint()
	if *file != "" {
		f, err := os.Open(*file)
		if err != nil {
			return err
		}
		defer f.Close()
		s, err := scenario.Load(f, *file, d)
		if err != nil {
			return err
		}
		for _, c := range ss {
			if c.Name == s.Name {
				return fmt.Errorf("%w: -scenario %s: the name %q is taken by the catalogue", cli.ErrUsage, *file, s.Name)
			}
		}
		if cli.Given(fs, "horizon") && s.Horizon != h {
			return fmt.Errorf("%w: -horizon %s conflicts with the horizon %s of %s: give one or make them agree", cli.ErrUsage, h, s.Horizon, *file)
		}
		if !cli.Given(fs, "horizon") {
			h = s.Horizon // the file's horizon, for every scenario compared
		}
		if s.Footprint != budget.DefaultFootprint() {
			if err := basisFlags.Conflict(*file, s.Footprint); err != nil {
				return err
			}
			footprint = s.Footprint // the file's footprint, for every scenario compared
		}
		ss = append(ss, s)
	}
	baseIdx := -1
	for i := range ss {
		ss[i].Horizon = h
		if err := basisFlags.Apply(&ss[i].AllocationBasis); err != nil {
			return fmt.Errorf("%w: %v", cli.ErrUsage, err)
		}
		ss[i].Footprint = footprint
		if _, err := basisFlags.Footprint(d, &ss[i].Footprint); err != nil {
			return err
		}
		if ss[i].Name == *baseName {
			baseIdx = i
		}
	}
	if baseIdx < 0 {
		var have []string
		for _, s := range ss {
			have = append(have, s.Name)
		}
		return fmt.Errorf("%w: -base %q: not one of %s", cli.ErrUsage, *baseName, strings.Join(have, ", "))
	}
	areas := []string{"ENG"}
	switch {
	case *icb != "" && *allICBs:
		return fmt.Errorf("%w: -icb and -all-icbs: give one or the other", cli.ErrUsage)
	case *icb != "":
		fd, err := d.OnFootprint(ss[baseIdx].Footprint)
		if err != nil {
			return err
		}
		code, err := cli.ResolveICB(d, fd, *icb)
		if err != nil {
			return err
		}
		areas = []string{code, "ENG"}
	case *allICBs:
		areas = nil
	}
	rs, err := scenario.NewRunner(d).RunAll(ss)
	if err != nil {
		return err
	}
	base := rs[baseIdx]
	if *chartFile != "" {
		if err := drawChart(*chartFile, rs); err != nil {
			return err
		}
	}
	comps := make([]*scenario.Comparison, len(rs))
	for i, r := range rs {
		c, err := scenario.Compare(r, base)
		if err != nil {
			return err
		}
		comps[i] = filter(c, areas)
	}
	switch cli.Format(format.Value) {
	case cli.CSV:
		return scenario.WriteComparisons(stdout, comps)
	case cli.JSON:
		return writeJSON(stdout, rs, base, comps)
	}
	return table(stdout, d.Parameters, rs, base, comps, areas)
}

// filter keeps the rows of the chosen areas (nil: all).
func filter(c *scenario.Comparison, areas []string) *scenario.Comparison {
	if areas == nil {
		return c
	}
	keep := map[string]bool{}
	for _, a := range areas {
		keep[a] = true
	}
	out := *c
	out.Rows = nil
	for _, r := range c.Rows {
		if keep[r.Area] {
			out.Rows = append(out.Rows, r)
		}
	}
	return &out
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

var millions = budget.Formatter{Unit: budget.UnitMillions}

func table(w io.Writer, params budget.Parameters, rs []*scenario.Result, base *scenario.Result, comps []*scenario.Comparison, areas []string) error {
	h := base.Scenario.Horizon
	years := budget.MustSpan("2023/24", h.String()).Years()
	windows := scenario.Windows(h)
	fmt.Fprintf(w, "Scenarios compared with %s, %s to %s\n", base.Scenario.Name, years[0], h)
	rate := "?"
	if sched, err := base.Scenario.Discount.Schedule(params); err == nil {
		rate = sched.Rate(1).Shift(2).String() + "%"
	}
	fmt.Fprintf(w, "Allocations published to %s, projected after (marked *); money in £m; the PV columns are present values in %s prices, year 0 %s, discounted at %s a year (%s).\n",
		base.Manifest.Published, base.Manifest.Prices, base.Manifest.PresentValueBase, rate, base.Scenario.Discount)
	fmt.Fprintf(w, "Data: %s; parameters: %s.\n", base.Manifest.Data, base.Manifest.Parameters)
	fmt.Fprintf(w, "Published years: %s; footprint %s.\n", base.Manifest.AllocationBasis, base.Manifest.Footprint)
	fmt.Fprintln(w, "A shift within the envelope is a transfer from treatment to prevention: its net present social value is zero under the Green Book; "+
		"the PV measures the flow, and only assumed benefits (returns) would create value.")
	fmt.Fprintln(w, "\nWhat each scenario changes")
	for _, r := range rs {
		s := r.Scenario
		fmt.Fprintf(w, "  %s: %s\n", s.Name, s.Description)
		fmt.Fprintf(w, "    source: %s\n", s.Source)
		changes := scenario.AssumptionChanges(base.Scenario, s)
		if s.Name == base.Scenario.Name {
			fmt.Fprintln(w, "    (the base)")
			continue
		}
		shown := 0
		for _, c := range changes {
			fmt.Fprintf(w, "    %s: %s -> %s\n", c.Key, c.Old, c.New)
			shown++
		}
		if shown == 0 {
			fmt.Fprintln(w, "    no assumption differs from the base: the figures are the same")
		}
	}
	for _, area := range areas {
		if area == "" {
			continue
		}
		tables := []struct{ measure, title string }{
			{prevention.MeasureShift, "Prevention shift (prevention spending above the baseline share)"},
			{prevention.MeasureTreatment, "Treatment spending, change from " + base.Scenario.Name},
			{prevention.MeasureGrant, "Public health grant as councils get it (consolidated from 2026/27)"},
			{prevention.MeasureGrantLikeForLike, "Public health grant like for like (without the grants consolidated in 2026/27)"},
		}
		if !base.Scenario.Baseline.IncludesCouncil { // else prevention already counts council spending
			tables = append(tables, struct{ measure, title string }{prevention.MeasureCombined, "NHS prevention + public health grant"})
		}
		for _, m := range tables {
			delta := m.measure == prevention.MeasureTreatment
			fmt.Fprintf(w, "\n%s: %s, £m cash\n", areaName(rs[0], area), m.title)
			tw := cli.TableWriter(w)
			fmt.Fprint(tw, "scenario\t")
			for _, y := range years {
				mark := ""
				if y.After(budget.MustYear(base.Manifest.Published)) {
					mark = "*"
				}
				fmt.Fprintf(tw, "%s%s\t", y, mark)
			}
			for _, win := range windows {
				fmt.Fprintf(tw, "total %s\tPV %s\t", win, win)
			}
			fmt.Fprintln(tw)
			for _, c := range comps {
				fmt.Fprintf(tw, "%s\t", c.Scenario)
				get := index(c)
				for _, y := range years {
					fmt.Fprintf(tw, "%s\t", cell(get, y.String(), area, m.measure, "cash", delta))
				}
				for _, win := range windows {
					fmt.Fprintf(tw, "%s\t%s\t", cell(get, win.String(), area, m.measure+"_total", "cash", delta),
						cell(get, win.String(), area, m.measure+"_pv", "real_2024_25", delta))
				}
				fmt.Fprintln(tw)
			}
			tw.Flush()
		}
	}
	fmt.Fprintln(w, "\nCSV and JSON (-format) give every measure, cash and real terms, with delta and delta_pct against the base.")
	return nil
}

func areaName(r *scenario.Result, code string) string {
	for _, a := range r.Detail.Areas() {
		if a.Code == code {
			return a.Name
		}
	}
	return code
}

func index(c *scenario.Comparison) map[string]scenario.CompareRow {
	m := make(map[string]scenario.CompareRow, len(c.Rows))
	for _, r := range c.Rows {
		m[r.Period+"|"+r.Area+"|"+r.Measure+"|"+r.Basis] = r
	}
	return m
}

func cell(get map[string]scenario.CompareRow, period, area, measure, basis string, delta bool) string {
	r, ok := get[period+"|"+area+"|"+measure+"|"+basis]
	if !ok {
		return "-"
	}
	v := r.Value
	if delta {
		v = r.Delta
	}
	return millions.Format(budget.MoneyFromDecimal(v))
}

// drawChart plots each scenario's England prevention shift plus grant
// (NHS prevention above the baseline and the grant together) by year.
func drawChart(file string, rs []*scenario.Result) error {
	var years []string
	for _, y := range budget.MustSpan("2023/24", rs[0].Scenario.Horizon.String()).Years() {
		years = append(years, y.String())
	}
	var series []chart.Series
	for _, r := range rs {
		ix := map[string]float64{}
		for _, row := range r.Rows {
			if row.Area == "ENG" && row.Basis == "cash" {
				ix[row.Period+"|"+row.Measure] = row.Value.Shift(-6).InexactFloat64()
			}
		}
		s := chart.Series{Name: r.Scenario.Name}
		for _, y := range years {
			s.Values = append(s.Values, ix[y+"|"+prevention.MeasureShift]+ix[y+"|"+prevention.MeasureGrant])
		}
		series = append(series, s)
	}
	return chart.Lines(file, "England: prevention shift + public health grant, by scenario", "£m, cash", years, series, nil)
}
