// Command data prints what data the library ships with: the datasets, their
// years, England totals by stream and year, the public health grant's
// vintages, the deflators and every source. With -export DIR it writes each
// embedded dataset as the CSV file its loader reads, to edit and load back
// (every example takes -data DIR for the whole folder, or -parameters FILE,
// -allocations FILE, -grant FILE for one file).
//
//	go run ./examples/data
//	go run ./examples/data -format csv
//	go run ./examples/data -export mydata
//	go run ./examples/data -councils-template > councils.csv
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"strings"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

func main() {
	os.Exit(cli.Main("data", run, os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("data", stderr)
	format := cli.FormatFlag(fs)
	export := fs.String("export", "", "write every dataset as CSV to this folder (created if needed)")
	overwrite := fs.Bool("overwrite", false, "with -export: replace the files an earlier export left in the folder (your edits to them are lost)")
	benchmarks := fs.Bool("benchmarks", false, "compare the published benchmarks of the public health grant with the library's figures on the inputs it names")
	template := fs.Bool("councils-template", false, "write a council allocations file to fill in: every upper-tier council, amounts blank, sorted by name (columns year,council_code,council_name,amount, then registered and icbs, which the loader ignores); fill in each council's allocation in pounds (DHSC's circular, Annex E) and give it to -councils")
	year := fs.String("year", "2026/27", "with -councils-template: the year of the allocations, or years separated by commas (2024/25,2025/26,2026/27: a block of rows for each, so that earlier years are the councils' own too)")
	dataFlags := cli.NewDataFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	d, err := dataFlags.Load()
	if err != nil {
		return err
	}
	if cli.Given(fs, "export") && *export == "" {
		return fmt.Errorf("%w: -export: give a folder to write to", cli.ErrUsage)
	}
	if *overwrite && *export == "" {
		return fmt.Errorf("%w: -overwrite is for -export", cli.ErrUsage)
	}
	if cli.Given(fs, "year") && !*template {
		return fmt.Errorf("%w: -year is for -councils-template", cli.ErrUsage)
	}
	if *template {
		var ys []budget.Year
		for _, f := range strings.Split(*year, ",") {
			y, err := budget.ParseYear(strings.TrimSpace(f))
			if err != nil {
				return fmt.Errorf("%w: -year: %v", cli.ErrUsage, err)
			}
			// The years a council file can give: from the first the data
			// holds to the last a scenario can run to.
			if first, last := scenario.MinYear(), scenario.MaxHorizon(); y.Before(first) || y.After(last) {
				return fmt.Errorf("%w: -year %s: want %s to %s, the years the programs run", cli.ErrUsage, y, first, last)
			}
			ys = append(ys, y)
		}
		x, err := dataset.EmbeddedCouncilCrosswalk()
		if err != nil {
			return err
		}
		cs, err := x.Councils(dataset.Footprint2026)
		if err != nil {
			return err
		}
		return prevention.WriteCouncilTemplate(stdout, cs, ys)
	}
	if *export != "" {
		written, err := d.Export(*export, *overwrite)
		for _, path := range written {
			fmt.Fprintln(stdout, "wrote", path)
		}
		if errors.Is(err, iofs.ErrExist) {
			return fmt.Errorf("%w; -overwrite replaces them", err)
		}
		return err
	}
	if *benchmarks {
		return writeBenchmarks(stdout, d, cli.Format(format.Value))
	}
	switch cli.Format(format.Value) {
	case cli.CSV:
		return budget.WriteRows(stdout, rows(d))
	case cli.JSON:
		return cli.WriteJSON(stdout, struct {
			Datasets []datasetInfo   `json:"datasets"`
			Rows     []budget.Row    `json:"rows"`
			Sources  []budget.Source `json:"sources"`
		}{datasets(d), rows(d), d.Sources.List()})
	}
	return table(stdout, d)
}

type datasetInfo struct {
	File    string   `json:"file"`
	What    string   `json:"what"`
	Years   string   `json:"years"`
	Rows    int      `json:"rows"`
	Sources []string `json:"sources"`
}

func datasets(d *dataset.Data) []datasetInfo {
	a := d.Allocations
	alloc := a.Figures()
	pops := d.Populations.Figures()
	grant := d.Grant.Figures()
	defl := d.Deflators.List()
	var deflYears []string
	deflRows := 0
	for _, df := range defl {
		deflYears = append(deflYears, df.Vintage()+" "+df.Span().String())
		deflRows += df.Span().Len()
	}
	gy := d.Grant.Years()
	params := d.Parameters.List()
	return []datasetInfo{
		{dataset.AllocationsFile, fmt.Sprintf("allocations of %d ICBs by stream, item, target, growth and convergence", len(a.ICBs())), a.Span().String(), len(alloc), sourceIDs(len(alloc), func(i int) string { return alloc[i].Source })},
		{dataset.PopulationsFile, "GP-registered and weighted ICB populations; England resident population", span(pops[0].Year, pops[len(pops)-1].Year), len(pops), sourceIDs(len(pops), func(i int) string { return pops[i].Source })},
		footprintsDataset(d),
		{dataset.GrantFile, "local authority public health grant, England, every published vintage", span(gy[0], gy[len(gy)-1]), len(grant), sourceIDs(len(grant), func(i int) string { return grant[i].Source })},
		{dataset.DeflatorsFile, "GDP deflator, per cent change on the year before", strings.Join(deflYears, "; "), deflRows, sourceIDs(len(defl), func(i int) string { return defl[i].Source() })},
		{dataset.EnglandTotalsFile, "England totals from the allocation workbooks, for reconciliation", "2022/23-2025/26", len(d.EnglandTotals), sourceIDs(len(d.EnglandTotals), func(i int) string { return d.EnglandTotals[i].Source })},
		{dataset.ParametersFile, "modelling parameters: settlement growth, convergence, baseline shares, returns, discount rates, base years", "-", len(params), sourceIDs(len(params), func(i int) string { return params[i].Source })},
	}
}

func span(a, b budget.Year) string { s, _ := budget.NewSpan(a, b); return s.String() }

// sourceIDs lists the distinct source IDs of n items in first-seen order.
func sourceIDs(n int, id func(int) string) []string {
	seen := map[string]bool{}
	var out []string
	for i := 0; i < n; i++ {
		if s := id(i); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// rows are the England totals, grant, deflator index and population as tidy rows.
func rows(d *dataset.Data) []budget.Row {
	var out []budget.Row
	a := d.Allocations
	for _, y := range a.Span().Years() {
		var all budget.Money
		status := budget.Published
		for _, s := range dataset.Streams() {
			t, ok := a.EnglandTotal(y, s)
			if !ok {
				continue
			}
			all = all.Add(t.Total())
			status = status.Worst(t.Status)
			// The recurrent allocation as NHS England states it: the revised
			// allocation, with its additions, for primary medical care; the
			// formula allocation for the others, whose additions (the 2025/26
			// SDF transfers into core) have their own column.
			stated, added := t.Recurrent, t.Additions
			if s == dataset.PMC {
				stated, added = t.RecurrentTotal(), budget.Money{}
			}
			out = append(out, budget.Row{Scenario: "embedded", Period: y.String(), Area: "ENG", AreaName: "England", Measure: budget.Measure(s.String() + "_recurrent_allocation"), Value: stated.Decimal(), Unit: budget.UnitGBP, Basis: budget.BasisCash, Status: t.Status})
			if !added.IsZero() {
				out = append(out, budget.Row{Scenario: "embedded", Period: y.String(), Area: "ENG", AreaName: "England", Measure: budget.Measure(s.String() + "_recurrent_additions"), Value: added.Decimal(), Unit: budget.UnitGBP, Basis: budget.BasisCash, Status: t.Status.Summed()})
			}
			out = append(out, budget.Row{Scenario: "embedded", Period: y.String(), Area: "ENG", AreaName: "England", Measure: budget.Measure(s.String() + "_total_allocation"), Value: t.Total().Decimal(), Unit: budget.UnitGBP, Basis: budget.BasisCash, Status: t.Status})
		}
		out = append(out, budget.Row{Scenario: "embedded", Period: y.String(), Area: "ENG", AreaName: "England", Measure: "total_allocation", Value: all.Decimal(), Unit: budget.UnitGBP, Basis: budget.BasisCash, Status: status})
	}
	for _, y := range d.Grant.Years() {
		g, _ := d.Grant.Total(y)
		out = append(out, budget.Row{Scenario: "embedded", Period: y.String(), Area: "ENG", AreaName: "England", Measure: "public_health_grant", Value: g.Amount.Decimal(), Unit: budget.UnitGBP, Basis: budget.BasisCash, Status: budget.Published})
	}
	for _, df := range d.Deflators.List() {
		for _, y := range df.Span().Years() {
			v, st, _ := df.Index(y)
			out = append(out, budget.Row{Scenario: "embedded", Period: y.String(), Area: "ENG", AreaName: "England", Measure: budget.Measure(df.Name() + "_deflator_index_" + strings.ReplaceAll(df.Vintage(), "-", "_")), Value: v, Unit: budget.UnitRatio, Status: st})
		}
	}
	for _, p := range d.Populations.Figures() {
		if p.Area == "ENG" {
			out = append(out, budget.Row{Scenario: "embedded", Period: p.Year.String(), Area: "ENG", AreaName: "England", Measure: budget.Measure(p.Measure) + "_population", Value: p.Value.Decimal(), Unit: budget.UnitPersons, Status: p.Status})
		}
	}
	return out
}

func table(w io.Writer, d *dataset.Data) error {
	m := budget.Formatter{Scale: budget.ScaleMillions, Places: 1}
	fmt.Fprintln(w, "Upstream: data "+d.Vintage)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Datasets")
	tw := cli.LeftTable(w)
	fmt.Fprintln(tw, "file\tyears\trows\tsources\twhat")
	for _, ds := range datasets(d) {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", ds.File, ds.Years, ds.Rows, brief(ds.Sources), ds.What)
	}
	tw.Flush()

	a := d.Allocations
	years := a.Span().Years()
	fmt.Fprintln(w)
	fmt.Fprintln(w, "England allocations by stream: sum of the 42 ICBs, £m cash (recurrent + additions + non-recurrent) [S1, S2]")
	tw = cli.TableWriter(w)
	fmt.Fprint(tw, "stream\t")
	for _, y := range years {
		fmt.Fprintf(tw, "%s\t", y)
	}
	fmt.Fprintln(tw)
	// Each year's streams are rounded to £0.1m by largest remainder, so the
	// rows add up to the All streams row as printed.
	streams := dataset.Streams()
	shown := make([][]string, len(streams))
	for i := range shown {
		shown[i] = make([]string, len(years))
	}
	totals := make([]budget.Money, len(years))
	for yi, y := range years {
		var parts []budget.Money
		var at []int
		for si, s := range streams {
			t, ok := a.EnglandTotal(y, s)
			if !ok {
				shown[si][yi] = "-"
				continue
			}
			parts, at = append(parts, t.Total()), append(at, si)
		}
		for k, r := range m.RoundParts(parts) {
			shown[at[k]][yi] = m.Format(r)
			totals[yi] = totals[yi].Add(r)
		}
	}
	for si, s := range streams {
		fmt.Fprintf(tw, "%s\t", s.Title())
		for yi := range years {
			fmt.Fprintf(tw, "%s\t", shown[si][yi])
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprint(tw, "All streams\t")
	for _, t := range totals {
		fmt.Fprintf(tw, "%s\t", m.Format(t))
	}
	fmt.Fprintln(tw)
	tw.Flush()
	fmt.Fprintln(w, "2022/23 is the restated baseline year (core, PMC, POD only); specialised services are delegated from 2025/26, so the 2025/26 total is not like-for-like. Each year's streams are rounded to £0.1m so that they add up to All streams.")

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Public health grant, England: every published figure, £m cash (the latest vintage of each year is used by default)")
	tw = cli.LeftTable(w)
	fmt.Fprintln(tw, "year\tmeasure\tvintage\tvalue\tlike-for-like\tsource")
	for _, g := range d.Grant.Figures() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%v\t%s\n", g.Span, g.Measure, g.Vintage, m.Format(g.Amount), g.LikeForLike, g.Source)
	}
	tw.Flush()
	if hist, err := prevention.GrantLikeForLikeHistory(d.Grant); err == nil {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Public health grant, England, in two series, £m cash: as councils got it (the latest vintage), and like for like on the scope of 2016/17-2025/26")
		tw = cli.LeftTable(w)
		fmt.Fprintln(tw, "year\tas councils got it\tlike for like\thow")
		for _, g := range hist {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", g.Year, m.Format(g.Amount), m.Format(g.LikeForLike), g.LikeForLikeNote)
		}
		tw.Flush()
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Deflators (index, 2024/25 = 100; years after the outturn are OBR forecasts, marked projected)")
	tw = cli.LeftTable(w)
	fmt.Fprintln(tw, "deflator\tvintage\tyears\t2015/16\t2025/26\t2028/29\tsource")
	for _, df := range d.Deflators.List() {
		idx := func(y string) string {
			v, _, err := df.Index(budget.MustYear(y))
			if err != nil {
				return "-"
			}
			return v.StringFixed(2)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", df.Name(), df.Vintage(), df.Span(), idx("2015/16"), idx("2025/26"), idx("2028/29"), df.Source())
	}
	tw.Flush()

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Parameters: every modelling assumption, with its status and source (parameters.csv; replace with -parameters FILE in the other examples)")
	tw = cli.LeftTable(w)
	fmt.Fprintln(tw, "id\tvalue\tunit\tperiod\tstatus\tsource")
	for _, p := range d.Parameters.List() {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Value, p.Unit, p.Period, p.Status, p.Source)
	}
	tw.Flush()

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Sources")
	for _, s := range d.Sources.List() {
		line := s.String()
		if s.URL != "" {
			line += " " + s.URL
		}
		fmt.Fprintln(w, "  "+line)
	}
	return nil
}

// brief lists up to four source IDs, and a long list by its ends and count.
func brief(ids []string) string {
	if len(ids) <= 4 {
		return strings.Join(ids, " ")
	}
	return fmt.Sprintf("%s ... %s (%d sources)", ids[0], ids[len(ids)-1], len(ids))
}

// footprintsDataset describes the footprints besides 2022 and their parts.
func footprintsDataset(d *dataset.Data) datasetInfo {
	var parts []dataset.FootprintPart
	var what []string
	for _, name := range d.Footprints.Names()[1:] {
		fp, _ := d.Footprints.Get(name)
		parts = append(parts, fp.Parts...)
		dd, err := alloc.OnFootprint(d, name)
		n := "?"
		if err == nil {
			n = fmt.Sprint(len(dd.Allocations.ICBs()))
		}
		what = append(what, fmt.Sprintf("footprint %s (%s ICBs, %d parts of the 2022 ICBs)", name, n, len(fp.Parts)))
	}
	if len(what) == 0 {
		what = []string{"none besides 2022"}
	}
	var buf bytes.Buffer
	rows := 0
	if err := d.Footprints.Write(&buf); err == nil {
		rows = bytes.Count(buf.Bytes(), []byte("\n")) - 1
	}
	return datasetInfo{dataset.FootprintsFile, "ICB footprints, with each part's share by registered and weighted population: " + strings.Join(what, "; "),
		d.Allocations.Span().String(), rows, sourceIDs(len(parts), func(i int) string { return parts[i].Source })}
}

// BenchmarkColumns are the columns of -benchmarks -format csv.
func benchmarkColumns() []string {
	return []string{"id", "period", "measure", "published", "library", "difference", "unit", "inputs"}
}

// writeBenchmarks writes every published benchmark of the grant beside the
// library's figure for it.
func writeBenchmarks(w io.Writer, d *dataset.Data, format cli.Format) error {
	bms, err := dataset.EmbeddedBenchmarks()
	if err != nil {
		return err
	}
	rs, err := prevention.ReproduceBenchmarks(d, bms)
	if err != nil {
		return err
	}
	switch format {
	case cli.JSON:
		return cli.WriteJSON(w, rs)
	case cli.CSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(benchmarkColumns()); err != nil {
			return err
		}
		for _, r := range rs {
			lib, diff := "", ""
			if r.Computed {
				lib, diff = r.Library.String(), r.Difference.String()
			}
			if err := cw.Write([]string{r.ID, r.Period, r.Measure, r.Published.String(), lib, diff, r.Unit, r.Inputs}); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	fmt.Fprintln(w, "Published benchmarks of the public health grant, and the library's figures on the inputs it names")
	tw := cli.TableWriter(w)
	fmt.Fprintln(tw, "id\tperiod\tmeasure\tpublished\tlibrary\tdifference\tunit\t")
	for _, r := range rs {
		lib, diff := "-", "-"
		if r.Computed {
			lib, diff = r.Library.String(), r.Difference.StringFixed(1)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", r.ID, r.Period, r.Measure, r.Published, lib, diff, r.Unit)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nInputs")
	for _, r := range rs {
		fmt.Fprintf(w, "  %s: %s\n", r.ID, r.Inputs)
	}
	return nil
}
