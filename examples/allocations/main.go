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

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/scenario/report"
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

func runProjection(o options, w io.Writer) error {
	s, err := alloc.NamedSettlement(o.data, o.settlement, "")
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
	return report.AllocationsText(w, o.data, p, o.streams, o.span, o.icb)
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
	rows := r.TidyRows()
	switch o.format {
	case cli.CSV:
		return budget.WriteRows(w, rows)
	case cli.JSON:
		return cli.WriteJSON(w, struct {
			Policy alloc.ConvergencePolicy `json:"policy"`
			Rows   []budget.Row            `json:"rows"`
		}{r.Policy, rows})
	}
	return report.ReplayText(w, r)
}
