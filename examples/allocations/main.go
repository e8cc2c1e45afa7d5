// Command allocations shows multi-year recurrent ICB allocations: the
// published rounds 2023/24-2025/26 and the years after them projected under
// a named settlement, for every ICB and England, with fair-share targets,
// distances from target and convergence. With -replay it recomputes a
// published round from the previous year's baselines and shows how closely
// the engine reproduces NHS England's figures.
//
//	go run ./examples/allocations
//	go run ./examples/allocations -icb QE1 -stream all
//	go run ./examples/allocations -settlement sr2025-pots-folded -format csv
//	go run ./examples/allocations -replay 2025/26
package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
)

func main() {
	os.Exit(cli.Main("allocations", run, os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	format     cli.Format
	streams    []dataset.Stream
	streamName string
	settlement alloc.SettlementName
	basis      alloc.AllocationBasis
	span       budget.Span
	icb        string
	replay     budget.Year
	data       *dataset.Data
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := cli.NewFlagSet("allocations", stderr)
	format := cli.FormatFlag(fs)
	stream := &cli.Choice{Value: "core", Valid: []string{"core", "pmc", "pod", "specialised", "rca", "all"}}
	fs.Var(stream, "stream", "funding stream: core, pmc, pod, specialised, rca, or all (added together)")
	var settlements []string
	for _, n := range alloc.Settlements() {
		settlements = append(settlements, n.String())
	}
	settlement := &cli.Choice{Value: alloc.SettlementSR2025.String(), Valid: settlements}
	fs.Var(settlement, "settlement", "settlement for years after 2025/26: sr2025 (central: from 2028/29 growing with NHS England's planned revenue), sr2025-low (from 2028/29 the mean real growth of the two published years), sr2025-high (2028/29 back to the 2025/26 share of NHS England's revenue) or sr2025-pots-folded (central, pots folded into baselines)")
	from := fs.String("from", "2023/24", "first year shown")
	to := fs.String("to", "2028/29", "last year shown (years after 2025/26 are projected)")
	icb := fs.String("icb", "", "show one ICB and England: its ODS or ONS code, or a unique part of its name (\"greater manchester\"); -list-icbs lists them")
	listICBs := fs.Bool("list-icbs", false, "list the ICBs of the footprint (code, ONS code, name, region) and stop")
	replay := fs.String("replay", "", "recompute a published round (2023/24, 2024/25 or 2025/26) and compare with the published figures")
	dataFlags := cli.NewDataFlags(fs)
	basisFlags := cli.NewBasisFlags(fs)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	d, err := dataFlags.Load()
	if err != nil {
		return err
	}
	o := options{format: cli.Format(format.Value), streamName: stream.Value, settlement: alloc.SettlementName(settlement.Value), icb: *icb, data: d}
	if o.basis, err = basisFlags.Basis(); err != nil {
		return fmt.Errorf("%w: %v", cli.ErrUsage, err)
	}
	if stream.Value == "all" {
		o.streams = dataset.Streams()
	} else {
		s, _ := dataset.ParseStream(stream.Value)
		o.streams = []dataset.Stream{s}
	}
	if *replay == "" {
		// Replays recompute the published rounds, on the footprint they
		// were published on; projections are on the footprint asked for.
		footprint := ""
		if o.data, err = basisFlags.Footprint(alloc.NewEngine(d), &footprint); err != nil {
			return err
		}
	}
	if *listICBs {
		return cli.ListICBs(stdout, o.data)
	}
	if o.icb != "" {
		code, err := cli.ResolveICB(d, o.data, o.icb)
		if err != nil {
			return err
		}
		o.icb = code
	}
	if *replay != "" {
		for _, other := range []string{"settlement", "from", "to", "vintage", "scope", "footprint"} {
			if cli.Given(fs, other) {
				return fmt.Errorf("%w: -replay recomputes a published round from its published inputs: -%s does not apply", cli.ErrUsage, other)
			}
		}
		if o.replay, err = budget.ParseYear(*replay); err != nil {
			return fmt.Errorf("%w: -replay: %v", cli.ErrUsage, err)
		}
		return runReplay(o, stdout)
	}
	f, err := budget.ParseYear(*from)
	if err != nil {
		return fmt.Errorf("%w: -from: %v", cli.ErrUsage, err)
	}
	t, err := budget.ParseYear(*to)
	if err != nil {
		return fmt.Errorf("%w: -to: %v", cli.ErrUsage, err)
	}
	if o.span, err = budget.NewSpan(f, t); err != nil {
		return fmt.Errorf("%w: -from %s -to %s: %v", cli.ErrUsage, f, t, err)
	}
	if dataSpan := d.Allocations.Span(); f.Before(dataSpan.First()) {
		return fmt.Errorf("%w: -from %s: the data starts in %s", cli.ErrUsage, f, dataSpan.First())
	}
	return runProjection(o, stdout)
}

func settlementFor(o options) (alloc.Settlement, error) {
	return alloc.NamedSettlement(o.data, o.settlement, "")
}

func runProjection(o options, w io.Writer) error {
	s, err := settlementFor(o)
	if err != nil {
		return err
	}
	horizon := o.span.Last()
	if last := o.data.Allocations.Span().Last(); horizon.Before(last) {
		horizon = last
	}
	p, err := alloc.ProjectOn(o.data.Allocations, o.data.Populations, s, horizon, o.basis)
	if err != nil {
		return err
	}
	var areas []string
	if o.icb != "" {
		areas = []string{o.icb, "ENG"}
	}
	rows, err := p.AllocationRows(s.Name, o.streams, o.span, areas)
	if err != nil {
		return err
	}
	switch o.format {
	case cli.CSV:
		return budget.WriteRows(w, rows)
	case cli.JSON:
		return cli.WriteJSON(w, struct {
			Settlement alloc.Settlement `json:"settlement"`
			Stream     string           `json:"stream"`
			Projected  string           `json:"projected_from"`
			Rows       []budget.Row     `json:"rows"`
		}{s, o.streamName, p.LastPublished().Next().String(), rows})
	}
	return projectionTable(w, o, p, rows)
}

// index finds a projection's rows by area, year and measure.
type index struct{ budget.Index }

var millions = budget.Formatter{Scale: budget.ScaleMillions, Places: 1}

func (ix index) money(area string, y budget.Year, m budget.Measure) string {
	r, ok := ix.Find(area, y, m, budget.Cash())
	if !ok {
		return "-"
	}
	return millions.Format(budget.MoneyFromDecimal(r.Value))
}

func (ix index) pct(area string, y budget.Year, m budget.Measure) string {
	r, ok := ix.Find(area, y, m, budget.Cash())
	if !ok {
		return "-"
	}
	return budget.FormatPercent(r.Value, 2)
}

func (ix index) perHead(area string, y budget.Year) string {
	r, ok := ix.Find(area, y, alloc.MeasurePerHead, budget.Cash())
	if !ok {
		return "-"
	}
	return budget.Formatter{Places: 0}.Format(budget.MoneyFromDecimal(r.Value))
}

// populationBaseNote flags a year in which England's registered population
// steps by more than 2% (NHS England's 2025/26 round moved to a new
// registered population base): £ per head across that step is not like
// for like.
func populationBaseNote(p *alloc.Projection, span budget.Span) string {
	for _, y := range span.Years()[1:] {
		a, errA := p.EnglandPopulation(y.Prev())
		b, errB := p.EnglandPopulation(y)
		if errA != nil || errB != nil || a.Value.IsZero() {
			continue
		}
		r, _ := b.Value.Decimal().DivRound(a.Value.Decimal(), 6).Float64()
		if r > 1.02 || r < 0.98 {
			m := func(x budget.Population) string { return x.Decimal().Shift(-6).StringFixed(2) + "m" }
			return fmt.Sprintf("Note: England's registered population steps from %s in %s to %s in %s (NHS England's new population base for the %s round), so £ per head across %s is not like for like.",
				m(a.Value), y.Prev(), m(b.Value), y, y, y)
		}
	}
	return ""
}

func projectionTable(w io.Writer, o options, p *alloc.Projection, rows []budget.Row) error {
	ix := index{budget.NewIndex(rows)}
	s := p.Settlement()
	single := len(o.streams) == 1
	what := "all streams"
	if single {
		what = o.streams[0].Title()
	}
	fmt.Fprintf(w, "ICB allocations: %s, %s, £m cash\n", what, o.span)
	fmt.Fprintf(w, "Settlement %s: %s.\n", s.Name, s.Description)
	fmt.Fprintf(w, "Published rounds held to %s [S1, S2]; years marked * are projected: NHS England published ICB allocations for 2026/27 to 2028/29 in November 2025, but not in a form held here, so those years are projected on the average growth published with them. Per head: GP-registered population.\n", p.LastPublished())
	fmt.Fprintf(w, "%s is as first published: its in-year money (the 2025/26 pay award and other in-year allocations) is in no round held here, so it, and the years grown from it, are on the opening basis, below the adjusted baseline NHS England's growth applies to.\n", p.LastPublished())
	fmt.Fprintf(w, "Basis: %s; growth is recurrent allocation / adjusted baseline - 1, as NHS England states it.\n", p.Basis())
	fmt.Fprintln(w, footprintLine(o.data, len(p.ICBs())))
	fmt.Fprintf(w, "Data: %s; parameters: %s.\n", o.data.Vintage, o.data.Parameters.File())
	if note := populationBaseNote(p, o.span); note != "" {
		fmt.Fprintln(w, note)
	}
	if single {
		fmt.Fprintln(w, "Note: targets and distances from target are each round's own, against its first-published allocation; "+
			"a projected year's targets are rebased so that England's distance from target carries over to the new baselines.")
	}
	fmt.Fprintln(w, "Additions: in a published year, recurrent money outside the recurrent allocation as NHS England states it: in 2025/26 the transfers from the Service Development Fund into core (the workbook's own column),"+
		" and for delegated specialised services the delegated mental health allocation less the high-cost drugs and devices NHS England keeps (its formula runs on both); primary medical care's additions are in its revised recurrent allocation, as NHS England states it.")
	if p.Basis().Scope == alloc.StripScope && slices.Contains(o.streams, dataset.Specialised) {
		fmt.Fprintln(w, "Note: delegated specialised services moved into ICB allocations in 2025/26; with -scope strip they are outside them in every year.")
	}
	areas := []dataset.ICB{{Code: "ENG", Name: fmt.Sprintf("England (sum of the %d ICBs)", len(p.ICBs()))}}
	if o.icb != "" {
		icb, _ := o.data.Allocations.ICB(o.icb)
		areas = []dataset.ICB{icb, areas[0]}
	}
	for _, a := range areas {
		fmt.Fprintf(w, "\n%s (%s)\n", a.Name, a.Code)
		tw := cli.TableWriter(w)
		if single {
			fmt.Fprintln(tw, "year\trecurrent\tgrowth\tadditions\tnon-recurrent\ttotal\t£ per head\ttarget\tDfT before\tconvergence\tDfT after\t")
		} else {
			fmt.Fprintln(tw, "year\trecurrent\tadditions\tnon-recurrent\ttotal\ttotal without specialised\t£ per head\t")
		}
		for _, y := range o.span.Years() {
			label := y.String()
			if y.After(p.LastPublished()) {
				label += "*"
			}
			if single {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t", label, ix.money(a.Code, y, alloc.MeasureRecurrent), ix.pct(a.Code, y, alloc.MeasureGrowth),
					ix.money(a.Code, y, alloc.MeasureAdditions), ix.money(a.Code, y, alloc.MeasureNonRecurrent), ix.money(a.Code, y, alloc.MeasureTotal))
			} else {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t", label, ix.money(a.Code, y, alloc.MeasureRecurrent), ix.money(a.Code, y, alloc.MeasureAdditions),
					ix.money(a.Code, y, alloc.MeasureNonRecurrent), ix.money(a.Code, y, alloc.MeasureTotal))
			}
			if single {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", ix.perHead(a.Code, y), ix.money(a.Code, y, alloc.MeasureTarget),
					ix.pct(a.Code, y, alloc.MeasureDistanceBefore), ix.pct(a.Code, y, alloc.MeasureConvergence), ix.pct(a.Code, y, alloc.MeasureDistanceAfter))
			} else {
				fmt.Fprintf(tw, "%s\t%s\t\n", ix.money(a.Code, y, alloc.MeasureTotalWithoutSpecialised), ix.perHead(a.Code, y))
			}
		}
		tw.Flush()
	}
	if !single {
		fmt.Fprintln(w, "\nDelegated specialised services enter ICB allocations in 2025/26: the total jumps; the total without specialised leaves them out.")
		if moved, err := p.Moved("ENG", p.LastPublished().Prev(), []dataset.Stream{dataset.Core, dataset.PMC, dataset.POD}); err == nil && !moved.IsZero() {
			fmt.Fprintf(w, "It still has the SDF, ARRS and elective recovery money that moved into ICB allocations in %s with them (%s for England), so it is not like for like across %s: hewitt's budget_growth is.\n",
				p.LastPublished(), millions.Format(moved), p.LastPublished())
		}
	}
	if o.icb != "" {
		return nil
	}
	last := o.span.Last()
	fmt.Fprintf(w, "\nEvery ICB in %s", last)
	if o.span.Last().After(p.LastPublished()) {
		fmt.Fprint(w, " (projected)")
	}
	fmt.Fprintln(w)
	tw := cli.TableWriter(w)
	if single {
		fmt.Fprintln(tw, "code\tICB\ttotal\t£ per head\tDfT before\tconvergence\tDfT after\t")
	} else {
		fmt.Fprintln(tw, "code\tICB\ttotal\ttotal without specialised\t£ per head\t")
	}
	for _, icb := range p.ICBs() {
		name := strings.TrimSuffix(strings.TrimPrefix(icb.Name, "NHS "), " ICB")
		fmt.Fprintf(tw, "%s\t%s\t%s\t", icb.Code, name, ix.money(icb.Code, last, alloc.MeasureTotal))
		if single {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", ix.perHead(icb.Code, last), ix.pct(icb.Code, last, alloc.MeasureDistanceBefore),
				ix.pct(icb.Code, last, alloc.MeasureConvergence), ix.pct(icb.Code, last, alloc.MeasureDistanceAfter))
		} else {
			fmt.Fprintf(tw, "%s\t%s\t\n", ix.money(icb.Code, last, alloc.MeasureTotalWithoutSpecialised), ix.perHead(icb.Code, last))
		}
	}
	return tw.Flush()
}

func runReplay(o options, w io.Writer) error {
	if len(o.streams) != 1 {
		return fmt.Errorf("%w: -replay needs one -stream (core, pmc or specialised)", cli.ErrUsage)
	}
	st := o.streams[0]
	policy, err := alloc.ObservedPolicy(o.data.Parameters, st, o.replay)
	if err != nil {
		return fmt.Errorf("%w: -replay %s -stream %s: %v (published rounds: 2023/24, 2024/25, 2025/26 for core and pmc; 2025/26 for specialised)", cli.ErrUsage, o.replay, st, err)
	}
	r, err := alloc.ReplayRound(o.data.Allocations, st, o.replay, policy)
	if err != nil {
		return err
	}
	name := "replay-" + st.String() + "-" + o.replay.Label()
	var rows []budget.Row
	add := func(icb dataset.ICB, rr alloc.ReplayRow) {
		row := func(m budget.Measure, v decimal.Decimal, unit budget.Unit, status budget.Status) {
			rows = append(rows, budget.Row{Scenario: name, Period: o.replay.String(), Area: icb.Code, AreaName: icb.Name,
				Measure: m, Value: v, Unit: unit, Basis: budget.BasisFor(unit), Status: status})
		}
		row("recurrent_allocation", rr.Recurrent.Decimal(), budget.UnitGBP, budget.Derived)
		row("published_recurrent_allocation", rr.Published.Decimal(), budget.UnitGBP, budget.Published)
		row("difference", rr.Difference.Decimal(), budget.UnitGBP, budget.Derived)
		row("convergence", rr.Convergence, budget.UnitFraction, budget.Derived)
		row("distance_from_target_after", rr.DfTAfter, budget.UnitFraction, budget.Derived)
	}
	for _, rr := range r.Rows {
		add(rr.ICB, rr)
	}
	add(r.England.ICB, r.England)
	switch o.format {
	case cli.CSV:
		return budget.WriteRows(w, rows)
	case cli.JSON:
		return cli.WriteJSON(w, struct {
			Policy alloc.ConvergencePolicy `json:"policy"`
			Rows   []budget.Row            `json:"rows"`
		}{r.Policy, rows})
	}
	fmt.Fprintf(w, "Replay of the published %s %s round [S1, S2]\n", st.Title(), o.replay)
	fmt.Fprintf(w, "Recomputed from the %s adjusted baselines, the published targets and base growth, with the observed convergence policy %s:\n", o.replay.Prev(), policy.Name)
	fmt.Fprintf(w, "  above target: %s of the distance, at most -%s pp; below: %s of the gap, at most +%s pp (%s).\n",
		policy.AboveFraction.StringFixed(4), policy.AboveCap.Shift(2).StringFixed(2), policy.BelowFraction.StringFixed(4), policy.BelowCap.Shift(2).StringFixed(2), policy.Note)
	fmt.Fprintln(w, "Allocation = adjusted baseline x (1 + growth) x (1 + convergence), rounded to £1k.")
	fmt.Fprintln(w)
	k := budget.Formatter{Scale: budget.ScaleThousands}
	tw := cli.TableWriter(w)
	fmt.Fprintln(tw, "code\tICB\tDfT before\tconvergence\tpublished\trecomputed\tpublished\tdifference\tDfT after\tpublished\t")
	fmt.Fprintln(tw, "\t\t\t\tconvergence\t£k\t£k\t£k\t\tDfT after\t")
	line := func(rr alloc.ReplayRow, pubConv, pubDfT string) {
		name := strings.TrimSuffix(strings.TrimPrefix(rr.ICB.Name, "NHS "), " ICB")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", rr.ICB.Code, name, budget.FormatPercent(rr.DfTBefore, 2),
			budget.FormatPercent(rr.Convergence, 3), pubConv, k.Format(rr.Recurrent), k.Format(rr.Published), k.Format(rr.Difference),
			budget.FormatPercent(rr.DfTAfter, 2), pubDfT)
	}
	for _, rr := range r.Rows {
		line(rr, budget.FormatPercent(rr.PublishedConv, 3), budget.FormatPercent(rr.PublishedDfTAfter, 2))
	}
	line(r.England, "", budget.FormatPercent(r.PublishedEnglandDfTAfter, 2))
	tw.Flush()
	worst, max := r.MaxRelativeDifference()
	fmt.Fprintf(w, "\nLargest difference from the published allocation: %s (%s), %s%% of it.\n",
		k.Format(worst.Difference), worst.ICB.Code, max.Shift(2).StringFixed(4))
	fmt.Fprintf(w, "England distance from target after convergence: recomputed %s, from the published allocations %s.\n",
		budget.FormatPercent(r.England.DfTAfter, 2), budget.FormatPercent(r.PublishedEnglandDfTAfter, 2))
	return nil
}

// footprintOf names the footprint d is on.
func footprintOf(d *dataset.Data) string { return d.FootprintName() }

// footprintLine says which ICB boundaries the figures are on.
func footprintLine(d *dataset.Data, n int) string {
	switch {
	case footprintOf(d) == dataset.Footprint2022:
		return fmt.Sprintf("Footprint: 2022 (the %d ICBs the rounds to 2025/26 were published on).", n)
	case footprintOf(d) == dataset.Footprint2026 && !strings.HasPrefix(d.Vintage, "user:"):
		return fmt.Sprintf("Footprint: 2026 (the %d ICBs from 1 April 2026; earlier years restated onto them: merged ICBs added, "+
			"split ones divided by their practices' weighted and registered populations) [F1-F4].", n)
	}
	return fmt.Sprintf("Footprint: %s (%d ICBs, from the data's footprints.csv; earlier years restated onto them).", footprintOf(d), n)
}
