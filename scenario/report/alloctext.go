package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
)

// AllocationsText writes what examples/allocations prints for projection
// p: the allocations of streams (one, or several added) over span for
// England, and an ICB beside it (its code; "" for every ICB in the last
// year instead), with how they were made. d is the data p was projected
// from, on its footprint.
func AllocationsText(w io.Writer, d *dataset.Data, p *alloc.Projection, streams []dataset.Stream, span budget.Span, icb string) error {
	if d == nil || p == nil || len(streams) == 0 {
		return fmt.Errorf("report: %w: allocations text needs the data, a projection and its streams", budget.ErrNoData)
	}
	var areas []string
	if icb != "" {
		areas = []string{icb, England}
	}
	rows, err := p.AllocationRows(p.Settlement().Name, streams, span, areas)
	if err != nil {
		return err
	}
	return projectionTable(w, d, p, streams, span, icb, rows)
}

// ReplayText writes what examples/allocations -replay prints: the round
// recomputed beside the published one, ICB by ICB, with the largest
// difference.
func ReplayText(w io.Writer, r alloc.Replay) error {
	if !r.Stream.Valid() || r.Round.IsZero() || len(r.Rows) == 0 {
		return fmt.Errorf("report: %w: a replay of alloc.ReplayRound is needed", budget.ErrNoData)
	}
	st, policy := r.Stream, r.Policy
	fmt.Fprintf(w, "Replay of the published %s %s round [S1, S2]\n", st.Title(), r.Round)
	fmt.Fprintf(w, "Recomputed from the %s adjusted baselines, the published targets and base growth, with the observed convergence policy %s:\n", r.Round.Prev(), policy.Name)
	fmt.Fprintf(w, "  above target: %s of the distance, at most -%s pp; below: %s of the gap, at most +%s pp (%s).\n",
		policy.AboveFraction.StringFixed(4), policy.AboveCap.Shift(2).StringFixed(2), policy.BelowFraction.StringFixed(4), policy.BelowCap.Shift(2).StringFixed(2), policy.Note)
	fmt.Fprintln(w, "Allocation = adjusted baseline x (1 + growth) x (1 + convergence), rounded to £1k.")
	fmt.Fprintln(w)
	k := budget.Formatter{Scale: budget.ScaleThousands}
	tw := tableWriter(w)
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

// index finds a projection's rows by area, year and measure.
type allocIndex struct{ budget.Index }

var tenthsOfMillions = budget.Formatter{Scale: budget.ScaleMillions, Places: 1}

func (ix allocIndex) money(area string, y budget.Year, m budget.Measure) string {
	r, ok := ix.Find(area, y, m, budget.Cash())
	if !ok {
		return "-"
	}
	return tenthsOfMillions.Format(budget.MoneyFromDecimal(r.Value))
}

func (ix allocIndex) pct(area string, y budget.Year, m budget.Measure) string {
	r, ok := ix.Find(area, y, m, budget.Cash())
	if !ok {
		return "-"
	}
	return budget.FormatPercent(r.Value, 2)
}

func (ix allocIndex) perHead(area string, y budget.Year) string {
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

func projectionTable(w io.Writer, d *dataset.Data, p *alloc.Projection, streams []dataset.Stream, span budget.Span, icb string, rows []budget.Row) error {
	ix := allocIndex{budget.NewIndex(rows)}
	s := p.Settlement()
	single := len(streams) == 1
	what := "all streams"
	if single {
		what = streams[0].Title()
	}
	fmt.Fprintf(w, "ICB allocations: %s, %s, £m cash\n", what, span)
	fmt.Fprintf(w, "Settlement %s: %s.\n", s.Name, s.Description)
	fmt.Fprintf(w, "Published rounds held to %s [S1, S2]; years marked * are projected: NHS England published ICB allocations for 2026/27 to 2028/29 in November 2025, but not in a form held here, so those years are projected on the average growth published with them. Per head: GP-registered population.\n", p.LastPublished())
	fmt.Fprintf(w, "%s is as first published: its in-year money (the 2025/26 pay award and other in-year allocations) is in no round held here, so it, and the years grown from it, are on the opening basis, below the adjusted baseline NHS England's growth applies to.\n", p.LastPublished())
	fmt.Fprintf(w, "Basis: %s; growth is recurrent allocation / adjusted baseline - 1, as NHS England states it.\n", p.Basis())
	fmt.Fprintln(w, footprintLine(d, len(p.ICBs())))
	fmt.Fprintf(w, "Data: %s; parameters: %s.\n", d.Vintage, d.Parameters.File())
	if note := populationBaseNote(p, span); note != "" {
		fmt.Fprintln(w, note)
	}
	if single {
		fmt.Fprintln(w, "Note: targets and distances from target are each round's own, against its first-published allocation; "+
			"a projected year's targets are rebased so that England's distance from target carries over to the new baselines.")
	}
	fmt.Fprintln(w, "Additions: in a published year, recurrent money outside the recurrent allocation as NHS England states it: in 2025/26 the transfers from the Service Development Fund into core (the workbook's own column),"+
		" and for delegated specialised services the delegated mental health allocation less the high-cost drugs and devices NHS England keeps (its formula runs on both); primary medical care's additions are in its revised recurrent allocation, as NHS England states it.")
	if p.Basis().Scope == alloc.StripScope && slices.Contains(streams, dataset.Specialised) {
		fmt.Fprintln(w, "Note: delegated specialised services moved into ICB allocations in 2025/26; with -scope strip they are outside them in every year.")
	}
	areas := []dataset.ICB{{Code: "ENG", Name: fmt.Sprintf("England (sum of the %d ICBs)", len(p.ICBs()))}}
	if icb != "" {
		x, _ := d.Allocations.ICB(icb)
		areas = []dataset.ICB{x, areas[0]}
	}
	for _, a := range areas {
		fmt.Fprintf(w, "\n%s (%s)\n", a.Name, a.Code)
		tw := tableWriter(w)
		if single {
			fmt.Fprintln(tw, "year\trecurrent\tgrowth\tadditions\tnon-recurrent\ttotal\t£ per head\ttarget\tDfT before\tconvergence\tDfT after\t")
		} else {
			fmt.Fprintln(tw, "year\trecurrent\tadditions\tnon-recurrent\ttotal\ttotal without specialised\t£ per head\t")
		}
		for _, y := range span.Years() {
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
				p.LastPublished(), tenthsOfMillions.Format(moved), p.LastPublished())
		}
	}
	if icb != "" {
		return nil
	}
	last := span.Last()
	fmt.Fprintf(w, "\nEvery ICB in %s", last)
	if span.Last().After(p.LastPublished()) {
		fmt.Fprint(w, " (projected)")
	}
	fmt.Fprintln(w)
	tw := tableWriter(w)
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

// footprintLine says which ICB boundaries the figures are on.
func footprintLine(d *dataset.Data, n int) string {
	switch {
	case d.FootprintName() == dataset.Footprint2022:
		return fmt.Sprintf("Footprint: 2022 (the %d ICBs the rounds to 2025/26 were published on).", n)
	case d.FootprintName() == dataset.Footprint2026 && !strings.HasPrefix(d.Vintage, "user:"):
		return fmt.Sprintf("Footprint: 2026 (the %d ICBs from 1 April 2026; earlier years restated onto them: merged ICBs added, "+
			"split ones divided by their practices' weighted and registered populations) [F1-F4].", n)
	}
	return fmt.Sprintf("Footprint: %s (%d ICBs, from the data's footprints.csv; earlier years restated onto them).", d.FootprintName(), n)
}
