package alloc_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
)

func project(t testing.TB, name alloc.SettlementName, horizon string) *alloc.Projection {
	t.Helper()
	d := embeddedData(t)
	var s alloc.Settlement
	var err error
	switch name {
	case alloc.SettlementSR2025:
		s, err = alloc.DefaultSettlement(d)
	case alloc.SettlementSR2025Folded:
		s, err = alloc.FoldedSettlement(d)
	}
	require.NoError(t, err)
	p, err := alloc.Project(d.Allocations, d.Populations, s, budget.MustYear(horizon))
	require.NoError(t, err)
	return p
}

func TestDefaultSettlementGrowth(t *testing.T) {
	s, err := alloc.DefaultSettlement(embeddedData(t))
	require.NoError(t, err)
	// 2026/27: NHS England's published average core growth, 2.72% cash [HL14384].
	g, err := s.GrowthFor("QE1", dataset.Core, budget.MustYear("2026/27"))
	require.NoError(t, err)
	assert.Equal(t, "0.0272", g.String())
	// 2028/29: 1.030262 x (1 + 1.8843%) - 1 = 4.96752269%, NHS England's
	// planned revenue growth (£215.4bn to £226.1bn, +4.9675%) [PUB-07,
	// PUB-08], its real growth on the OBR November 2025 deflator forecast
	// of 1.8843% put back into cash.
	g, err = s.GrowthFor("QE1", dataset.Core, budget.MustYear("2028/29"))
	require.NoError(t, err)
	assert.Equal(t, "0.0496752269", g.String())
	// 2031/32 is past the OBR forecast: 1.030262 x 1.02 - 1.
	g, err = s.GrowthFor("QE1", dataset.Core, budget.MustYear("2031/32"))
	require.NoError(t, err)
	assert.Equal(t, "0.05086724", g.String())
	g, err = s.GrowthFor("QE1", dataset.RCA, budget.MustYear("2026/27"))
	require.NoError(t, err)
	assert.Equal(t, "0", g.String(), "running costs flat cash")
	_, err = s.GrowthFor("QE1", dataset.Core, budget.MustYear("2040/41"))
	assert.ErrorIs(t, err, budget.ErrNoData)
}

// asPublished projects the embedded data as first published, to 2028/29.
func asPublished(t *testing.T) *alloc.Projection {
	t.Helper()
	d := embeddedData(t)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	p, err := alloc.ProjectOn(d.Allocations, d.Populations, s, budget.MustYear("2028/29"), alloc.AllocationBasis{Vintage: alloc.AsPublished})
	require.NoError(t, err)
	return p
}

func TestProjectionPublishedYearsAreData(t *testing.T) {
	p := asPublished(t)
	a := embeddedData(t).Allocations
	assert.Equal(t, "2022/23-2028/29", p.Span().String())
	assert.Equal(t, "2025/26", p.LastPublished().String())
	for _, y := range []string{"2023/24", "2024/25", "2025/26"} {
		for _, s := range dataset.Streams() {
			for _, icb := range a.ICBs() {
				want, ok := a.Total(budget.MustYear(y), icb.Code, s)
				c, err := p.Cell(icb.Code, budget.MustYear(y), s)
				require.NoError(t, err)
				assert.Equal(t, ok, c.Exists(), "%s %s %s", y, s, icb.Code)
				if ok {
					assert.True(t, want.Total().Equal(c.Total()), "%s %s %s", y, s, icb.Code)
					assert.Equal(t, budget.Published, c.Status)
				}
			}
		}
	}
	c, err := p.Cell("QE1", budget.MustYear("2026/27"), dataset.Core)
	require.NoError(t, err)
	assert.Equal(t, budget.Projected, c.Status)
	c, err = p.Cell("QE1", budget.MustYear("2024/25"), dataset.Specialised)
	require.NoError(t, err)
	assert.False(t, c.Exists(), "specialised services are delegated from 2025/26")
}

// TestProjectionAddsUp: England is the sum of the 42 ICBs, to the penny, in
// every year and stream, and recurrent allocations are whole £1k.
func TestProjectionAddsUp(t *testing.T) {
	p := project(t, alloc.SettlementSR2025, "2033/34")
	thousand := decimal.NewFromInt(1000)
	for _, y := range p.Span().Years() {
		for _, s := range dataset.Streams() {
			e, err := p.England(y, s)
			require.NoError(t, err)
			var sum budget.Money
			for _, icb := range p.ICBs() {
				c, err := p.Cell(icb.Code, y, s)
				require.NoError(t, err)
				sum = sum.Add(c.Total())
				if c.Status == budget.Projected {
					assert.True(t, c.Formula.Decimal().Mod(thousand).IsZero(), "%s %s %s not whole £1k: %s", icb.Code, y, s, c.Formula)
				}
			}
			assert.True(t, sum.Equal(e.Total()), "%s %s: ICBs %s, England %s", y, s, sum, e.Total())
		}
	}
}

func TestProjectionConverges(t *testing.T) {
	p := project(t, alloc.SettlementSR2025, "2033/34")
	// England core distance from target after convergence: 1.65% in 2025/26
	// (published [S2]). Convergence moves money between ICBs inside the
	// England quantum, so England's distance holds while the ICBs' spread
	// around it narrows every year.
	e25, err := p.England(budget.MustYear("2025/26"), dataset.Core)
	require.NoError(t, err)
	spread := func(y budget.Year) decimal.Decimal {
		e, err := p.England(y, dataset.Core)
		require.NoError(t, err)
		var off decimal.Decimal
		for _, icb := range p.ICBs() {
			c, err := p.Cell(icb.Code, y, dataset.Core)
			require.NoError(t, err)
			off = off.Add(c.DfTAfter.Sub(e.DfTAfter).Abs().Mul(c.Formula.Decimal()))
		}
		return off.Div(e.Formula.Decimal())
	}
	prev := spread(budget.MustYear("2025/26"))
	for _, y := range budget.MustSpan("2026/27", "2033/34").Years() {
		e, err := p.England(y, dataset.Core)
		require.NoError(t, err)
		require.True(t, e.HasTarget, y.String())
		assert.True(t, e.DfTAfter.Sub(e25.DfTAfter).Abs().LessThan(decimal.RequireFromString("0.0000001")),
			"%s: England DfT %s holds at %s", y, e.DfTAfter, e25.DfTAfter)
		now := spread(y)
		assert.True(t, now.LessThan(prev), "%s: the spread of ICBs around England's distance %s should fall from %s", y, now, prev)
		prev = now
	}
	// Surrey Heartlands was furthest above core target after 2025/26 (+8.05%
	// [S2], allocation_method.md); each year it loses the 0.5 pp cap.
	surrey := icbCode(t, "Surrey")
	c, err := p.Cell(surrey, budget.MustYear("2026/27"), dataset.Core)
	require.NoError(t, err)
	// Its net convergence is the cap less its share of paying for pace of
	// change inside the England quantum; no ICB loses more.
	assert.True(t, c.Convergence.IsNegative() && c.Convergence.GreaterThan(decimal.RequireFromString("-0.005")), "Surrey Heartlands %s", c.Convergence)
	for _, icb := range p.ICBs() {
		o, err := p.Cell(icb.Code, budget.MustYear("2026/27"), dataset.Core)
		require.NoError(t, err)
		assert.False(t, o.Convergence.LessThan(c.Convergence.Sub(decimal.RequireFromString("0.00001"))), "%s loses more than Surrey Heartlands", icb.Code)
		// The distance after is the distance before moved by the convergence.
		one := decimal.NewFromInt(1)
		after := o.DfTBefore.Add(one).Mul(o.Convergence.Add(one)).Sub(one)
		assert.True(t, after.Sub(o.DfTAfter).Abs().LessThan(decimal.RequireFromString("0.000001")), "%s: (1 + %s)(1 + %s) - 1 = %s, DfT after %s", icb.Code, o.DfTBefore, o.Convergence, after, o.DfTAfter)
	}
	// England's recurrent growth is NHS England's published average core
	// growth: 2.72% in 2026/27 and 2.92% in 2027/28 [HL14384], within 0.01 pp.
	for y, want := range map[string]string{"2026/27": "0.0272", "2027/28": "0.0292"} {
		e, err := p.England(budget.MustYear(y), dataset.Core)
		require.NoError(t, err)
		g, ok := e.RecurrentGrowth(dataset.Core)
		require.True(t, ok)
		assert.True(t, g.Sub(decimal.RequireFromString(want)).Abs().LessThan(decimal.RequireFromString("0.0001")),
			"England core recurrent growth %s: %s, published %s", y, g, want)
	}
}

// TestConvergenceKeepsTheEnglandQuantum: the England total of every stream
// and year is the same to the penny with and without convergence.
func TestConvergenceKeepsTheEnglandQuantum(t *testing.T) {
	d := embeddedData(t)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	with, err := alloc.Project(d.Allocations, d.Populations, s, budget.MustYear("2034/35"))
	require.NoError(t, err)
	s.Convergence = nil
	without, err := alloc.Project(d.Allocations, d.Populations, s, budget.MustYear("2034/35"))
	require.NoError(t, err)
	moved := false
	for _, y := range with.Span().Years() {
		for _, st := range dataset.Streams() {
			a, err := with.England(y, st)
			require.NoError(t, err)
			b, err := without.England(y, st)
			require.NoError(t, err)
			assert.True(t, a.Total().Equal(b.Total()), "%s %s: %s with convergence, %s without", y, st, a.Total(), b.Total())
		}
		for _, icb := range with.ICBs() {
			a, _ := with.Cell(icb.Code, y, dataset.Core)
			b, _ := without.Cell(icb.Code, y, dataset.Core)
			moved = moved || !a.Total().Equal(b.Total())
		}
	}
	assert.True(t, moved, "convergence moves money between ICBs")
}

func icbCode(t *testing.T, nameContains string) string {
	t.Helper()
	for _, icb := range embeddedData(t).Allocations.ICBs() {
		if contains(icb.Name, nameContains) {
			return icb.Code
		}
	}
	t.Fatalf("no ICB named %q", nameContains)
	return ""
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func TestFoldedPots(t *testing.T) {
	def := project(t, alloc.SettlementSR2025, "2028/29")
	fold := project(t, alloc.SettlementSR2025Folded, "2028/29")
	y := budget.MustYear("2026/27")
	d, _ := def.England(y, dataset.Core)
	f, _ := fold.England(y, dataset.Core)
	assert.True(t, f.NonRecurrent().IsZero(), "every core pot is folded from 2026/27")
	// The 2025/26 core non-recurrent items (£5,931m: ERF £2,856m + £2,430m,
	// discharge £500m and smaller items [S2]) join the baseline and grow.
	e25, _ := def.England(budget.MustYear("2025/26"), dataset.Core)
	assert.True(t, d.NonRecurrent().Equal(e25.NonRecurrent()), "held flat in cash under sr2025")
	assert.True(t, f.Baseline.Sub(d.Baseline).Equal(e25.NonRecurrent()))
	gain := f.Total().Sub(d.Total())
	want := e25.NonRecurrent().Grow(budget.MustRate("0.0272"))
	rel := gain.Sub(want.Sub(e25.NonRecurrent())).Abs().Decimal().Div(d.Total().Decimal())
	assert.True(t, rel.LessThan(decimal.RequireFromString("0.001")), "folding adds the growth on the pots: gain %s", gain)
}

func TestProjectErrors(t *testing.T) {
	d := embeddedData(t)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)

	_, err = alloc.Project(d.Allocations, d.Populations, s, budget.MustYear("2024/25"))
	assert.ErrorIs(t, err, budget.ErrRange, "horizon before the data ends")

	short := s
	short.Growth = map[budget.Year]budget.Rate{budget.MustYear("2026/27"): budget.MustRate("0.05")}
	_, err = alloc.Project(d.Allocations, d.Populations, short, budget.MustYear("2028/29"))
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.Contains(t, err.Error(), "no growth for")

	bad := s
	bad.Convergence = map[dataset.Stream]alloc.ConvergencePolicy{dataset.Core: {Name: "neg", AboveCap: decimal.NewFromInt(-1)}}
	bad.NonRecurrent = 0
	bad.Name = ""
	err = bad.Validate()
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorIs(t, err, budget.ErrSyntax)
	assert.Contains(t, err.Error(), "a cap cannot be below zero")
	assert.Contains(t, err.Error(), "non_recurrent")

	core, err := alloc.ConvergencePolicyNamed(d.Parameters, "core-2025/26")
	require.NoError(t, err)
	pod := s
	pod.Convergence = map[dataset.Stream]alloc.ConvergencePolicy{dataset.POD: core}
	_, err = alloc.Project(d.Allocations, d.Populations, pod, budget.MustYear("2028/29"))
	assert.ErrorIs(t, err, budget.ErrNoData, "POD has no fair-share targets to converge to")

	p := project(t, alloc.SettlementSR2025, "2028/29")
	_, err = p.Cell("XXX", budget.MustYear("2026/27"), dataset.Core)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	_, err = p.Cell("QE1", budget.MustYear("2030/31"), dataset.Core)
	assert.ErrorIs(t, err, budget.ErrNoData)
}

func TestProjectedPopulation(t *testing.T) {
	p := project(t, alloc.SettlementSR2025, "2028/29")
	f25, err := p.Population("QE1", budget.MustYear("2025/26"))
	require.NoError(t, err)
	assert.Equal(t, budget.Derived, f25.Status)
	f26, err := p.Population("QE1", budget.MustYear("2026/27"))
	require.NoError(t, err)
	assert.Equal(t, budget.Projected, f26.Status)
	// Grown with England's resident population, mid-2025 estimate 58,834,812
	// to 59,325,473 in 2026/27 (the 2022-based projection's growth,
	// populations.csv), to the person (each ICB rounded so that England's
	// sum is the same on any footprint).
	want := f25.Value.Decimal().Mul(decimal.NewFromInt(59325473)).Div(decimal.NewFromInt(58834812))
	assert.True(t, f26.Value.Decimal().Sub(want).Abs().LessThanOrEqual(decimal.NewFromInt(1)), "%s, want %s", f26.Value, want)
}

// BenchmarkProject projects 42 ICBs x all five streams from the published
// data to 2028/29 (four published years and three projected).
func BenchmarkProject(b *testing.B) {
	d := embeddedData(b)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(b, err)
	h := budget.MustYear("2028/29")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := alloc.Project(d.Allocations, d.Populations, s, h); err != nil {
			b.Fatal(err)
		}
	}
}

func TestAllocationRowsStatus(t *testing.T) {
	p := asPublished(t)
	rows, err := p.AllocationRows("sr2025", []dataset.Stream{dataset.Core}, budget.MustSpan("2023/24", "2026/27"), []string{"QE1", "ENG"})
	require.NoError(t, err)
	status := map[string]budget.Status{}
	value := map[string]string{}
	for _, r := range rows {
		status[r.Area+" "+r.Period+" "+string(r.Measure)] = r.Status
		value[r.Area+" "+r.Period+" "+string(r.Measure)] = r.ValueString()
	}
	assert.Equal(t, budget.Published, status["QE1 2023/24 recurrent_allocation"])
	assert.Equal(t, budget.Published, status["QE1 2023/24 distance_from_target_after"])
	assert.Equal(t, budget.Derived, status["ENG 2023/24 distance_from_target_after"])
	assert.Equal(t, budget.Derived, status["QE1 2023/24 target"])
	assert.Equal(t, budget.Derived, status["QE1 2023/24 allocation_per_head"])
	assert.Equal(t, budget.Projected, status["QE1 2026/27 total_allocation"])
	// Lancashire and South Cumbria 2023/24: recurrent £3,409,586k, DfT after
	// 6.2524% [S1; icb_allocations.csv core_dft_post_convergence_2023_24_pct].
	assert.Equal(t, "3409586000.00", value["QE1 2023/24 recurrent_allocation"])
	assert.Equal(t, "0.062524", value["QE1 2023/24 distance_from_target_after"])
	// England 2023/24 core combined allocation £105,042,213k [S1], published to £1k.
	eng := budget.MustMoney(value["ENG 2023/24 total_allocation"])
	assert.True(t, eng.Sub(budget.Thousands(105_042_213)).Abs().Cmp(budget.Pounds(1000)) < 0, "England 2023/24 %s", eng)
}

// TestRestatedBasis: on the default basis every year is on its latest
// restated basis, with the money moved into ICB allocations in 2025/26
// included in earlier years, so England's programme budget (core, PMC and
// POD) has no spurious step; as first published it jumps 16.2% into 2025/26.
// Figures are sums of the embedded workbook cells [S1, S2], £0.1m.
func TestRestatedBasis(t *testing.T) {
	d := embeddedData(t)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	programme := []dataset.Stream{dataset.Core, dataset.PMC, dataset.POD}
	on := func(b alloc.AllocationBasis) map[string]string {
		p, err := alloc.ProjectOn(d.Allocations, d.Populations, s, budget.MustYear("2026/27"), b)
		require.NoError(t, err)
		out := map[string]string{}
		for _, y := range p.Span().Years() {
			tot, st, ok, err := p.Total("ENG", y, programme)
			require.NoError(t, err)
			require.True(t, ok)
			out[y.String()] = tot.Decimal().Shift(-6).StringFixed(1) + " " + st.String()
		}
		return out
	}
	// As first published: 2024/25 £123,469.9m (2024/25 round), 2025/26
	// £143,494.7m (2025/26 round): +16.2%. Three streams added together are
	// derived from published cells, not a published cell.
	pub := on(alloc.AllocationBasis{Vintage: alloc.AsPublished})
	assert.Equal(t, "123469.9 derived", pub["2024/25"])
	assert.Equal(t, "143494.7 derived", pub["2025/26"])
	// Restated, scope stripped: 2024/25 on the 2025/26 round's adjusted
	// baselines (core £112,111.3m, PMC £11,571.0m, POD £5,878.9m) with its
	// non-recurrent items as the 2025/26 round restates them (£3,103.6m:
	// additional elective £2,603.6m, not £2,543.6m first published, and
	// discharge £500.0m): £132,664.9m; 2025/26 without the SDF (£1,673.0m),
	// ARRS (£534.2m) and elective recovery (£2,429.6m) moved into ICB
	// allocations: £138,857.9m, +4.67%.
	strip := on(alloc.AllocationBasis{Vintage: alloc.RestatedVintage, Scope: alloc.StripScope})
	assert.Equal(t, "132664.9 restated", strip["2024/25"])
	assert.Equal(t, "138857.9 derived", strip["2025/26"])
	// 2023/24 on the 2024/25 basis: the 2024/25 round's adjusted baselines
	// (core £101,689.5m, which holds 2023/24 COVID money, £429.4m, so the
	// COVID item is not added again; PMC £10,611.7m), POD's recurrent
	// £5,485.0m, 2023/24's in-year money backed out of the 2025/26 round's
	// updated 2024/25 baselines at 2024/25's published growth (core
	// 107,636.4 / 103,817.4, PMC 11,221.9 / 11,008.3, POD 5,741.8 / 5,600.7,
	// ICB by ICB: £3,758.3m), and the non-recurrent elective, discharge
	// and capacity funding (£3,352.7m): £125,224.3m, derived.
	assert.Equal(t, "125224.3 derived", strip["2023/24"])
	// Restated, scope included: the moved money is in 2024/25 too:
	// £137,301.7m, so 2025/26 grows +4.51%; earlier years carry it in
	// proportion to their restated money, a derived figure.
	inc := on(alloc.AllocationBasis{Vintage: alloc.RestatedVintage, Scope: alloc.IncludeScope})
	assert.Equal(t, "137301.7 restated", inc["2024/25"])
	assert.Equal(t, "143494.7 derived", inc["2025/26"])
	assert.Equal(t, "derived", strings.Fields(inc["2023/24"])[1])
	// Held (the default): each year with what was in that year's ICB allocations, the stripped
	// levels before 2025/26 and the published ones from it.
	def := on(alloc.DefaultBasis())
	assert.Equal(t, strip["2023/24"], def["2023/24"])
	assert.Equal(t, strip["2024/25"], def["2024/25"])
	assert.Equal(t, inc["2025/26"], def["2025/26"])
	assert.Equal(t, on(alloc.AllocationBasis{}), def, "the zero basis is the default")
	// The projection grows from the last published year on its basis.
	assert.Equal(t, pub["2026/27"], def["2026/27"])
	assert.Equal(t, inc["2026/27"], def["2026/27"])
	assert.NotEqual(t, def["2026/27"], strip["2026/27"])
}

// TestHeldScopeGrowsLikeForLike: on the default basis a year's level is
// what was in that year's ICB allocations, and growth into a year that money moved into is on one
// scope: the year before with the money moved (Projection.Moved) is the
// include basis's level, to the penny.
func TestHeldScopeGrowsLikeForLike(t *testing.T) {
	d := embeddedData(t)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	held, err := alloc.ProjectOn(d.Allocations, d.Populations, s, budget.MustYear("2026/27"), alloc.DefaultBasis())
	require.NoError(t, err)
	inc, err := alloc.ProjectOn(d.Allocations, d.Populations, s, budget.MustYear("2026/27"), alloc.AllocationBasis{Vintage: alloc.RestatedVintage, Scope: alloc.IncludeScope})
	require.NoError(t, err)
	y := budget.MustYear("2024/25")
	for _, streams := range [][]dataset.Stream{{dataset.Core, dataset.PMC, dataset.POD}, dataset.Streams()} {
		for _, area := range []string{"ENG", "QOP", "QE1"} {
			h, _, ok, err := held.Total(area, y, streams)
			require.NoError(t, err)
			require.True(t, ok)
			mv, err := held.Moved(area, y, streams)
			require.NoError(t, err)
			want, _, _, err := inc.Total(area, y, streams)
			require.NoError(t, err)
			assert.True(t, h.Add(mv).Equal(want), "%s %v: held %s + moved %s, include %s", area, streams, h, mv, want)
			assert.True(t, mv.Sign() > 0, "%s: money moved into ICB allocations in 2025/26", area)
		}
	}
	// England: SDF £1,673.0m, ARRS £534.2m and elective recovery £2,429.6m
	// into the programme base [S2]; with delegated specialised services
	// (2024/25 adjusted baseline £19,695.1m, less high-cost drugs and devices
	// £6,929.3m, with delegated mental health £2,079.0m), £19,481.6m in all.
	mv, err := held.Moved("ENG", y, []dataset.Stream{dataset.Core, dataset.PMC, dataset.POD})
	require.NoError(t, err)
	assert.Equal(t, "4636.8", mv.Decimal().Shift(-6).StringFixed(1))
	mv, err = held.Moved("ENG", y, dataset.Streams())
	require.NoError(t, err)
	assert.Equal(t, "19481.6", mv.Decimal().Shift(-6).StringFixed(1))
	// Only the year before a move carries it.
	mv, err = held.Moved("ENG", budget.MustYear("2023/24"), dataset.Streams())
	require.NoError(t, err)
	assert.True(t, mv.IsZero())
}

// TestRestatedCellsCarryTheirVintage: a restated year is on the next
// round, the latest year on its own, a projected year on none.
func TestRestatedCellsCarryTheirVintage(t *testing.T) {
	p := project(t, alloc.SettlementSR2025, "2026/27")
	for y, want := range map[string]string{"2023/24": "2024/25", "2024/25": "2025/26", "2025/26": "2025/26"} {
		// 2023/24 carries its in-year money as 2024/25's baseline shows it.
		c, err := p.Cell("QE1", budget.MustYear(y), dataset.Core)
		require.NoError(t, err)
		assert.Equal(t, want, c.Vintage.String(), y)
	}
	c, err := p.Cell("QE1", budget.MustYear("2024/25"), dataset.Core)
	require.NoError(t, err)
	// Lancashire and South Cumbria core 2024/25: the 2025/26 round's adjusted
	// baseline is the first-published recurrent allocation plus the restatement [S2].
	ab, err := embeddedData(t).Allocations.Lookup(budget.MustYear("2024/25"), "QE1", dataset.Core, dataset.AdjustedBaseline, "")
	require.NoError(t, err)
	assert.True(t, c.Formula.Add(c.Restatement).Equal(ab.Money()), "restated recurrent %s, adjusted baseline %s", c.Formula.Add(c.Restatement), ab.Money())
	assert.True(t, c.Restatement.Sign() > 0)
	assert.True(t, c.Scope.IsZero(), "the SDF moved in 2025/26 is not held in 2024/25")
	assert.True(t, c.Moved.Sign() > 0, "the SDF moved in 2025/26 is carried beside 2024/25")
	e, err := p.England(budget.MustYear("2026/27"), dataset.Core)
	require.NoError(t, err)
	assert.True(t, e.Vintage.IsZero(), "a projected year is on no round")
	require.Error(t, alloc.AllocationBasis{Vintage: 9}.Validate())
}

// TestSettlementCases: the central, low and high cases differ only from
// 2028/29, and each does what its parameter says: the central case keeps
// the ICB programme budget's 2027/28 share of NHS England's planned revenue
// (within the flat-cash non-recurrent items' pull), the low case grows at
// the mean real growth of 2026/27 and 2027/28 (+0.69%), and the high case
// returns the share to its 2025/26 level (73.36%) [PUB-05 to PUB-08].
func TestSettlementCases(t *testing.T) {
	d := embeddedData(t)
	programme := []dataset.Stream{dataset.Core, dataset.PMC, dataset.POD}
	share := func(name alloc.SettlementName, year string) decimal.Decimal {
		t.Helper()
		s, err := alloc.NamedSettlement(d, name, "")
		require.NoError(t, err)
		p, err := alloc.Project(d.Allocations, d.Populations, s, budget.MustYear("2028/29"))
		require.NoError(t, err)
		y := budget.MustYear(year)
		tot, _, _, err := p.Total("ENG", y, programme)
		require.NoError(t, err)
		rev, ok, err := d.Parameters.NHSERevenue(y)
		require.NoError(t, err)
		require.True(t, ok, year)
		return tot.Decimal().DivRound(rev.Decimal(), 6)
	}
	assert.Equal(t, "0.733613", share(alloc.SettlementSR2025, "2025/26").String())
	at2728 := share(alloc.SettlementSR2025, "2027/28")
	assert.Equal(t, "0.702703", at2728.String())
	for _, name := range []alloc.SettlementName{alloc.SettlementSR2025Low, alloc.SettlementSR2025High} {
		assert.True(t, share(name, "2027/28").Equal(at2728), "%s: the published years are the same in every case", name)
	}
	central := share(alloc.SettlementSR2025, "2028/29")
	// Recurrent money grows with NHS England's revenue; the non-recurrent
	// items held flat in cash (£5,938.9m) pull the share down 0.13 pp.
	assert.Equal(t, "0.701398", central.String(), "central keeps the 2027/28 share, less the flat non-recurrent items")
	assert.Equal(t, "0.733613", share(alloc.SettlementSR2025High, "2028/29").String(), "high returns to the 2025/26 share")
	assert.Equal(t, "0.686089", share(alloc.SettlementSR2025Low, "2028/29").String(), "low: 68.6%")
	low, err := alloc.NamedSettlement(d, alloc.SettlementSR2025Low, "")
	require.NoError(t, err)
	assert.Equal(t, "0.0069", low.RealGrowth.String())
	assert.False(t, low.FixedCash[budget.MustYear("2028/29")])
	high, err := alloc.NamedSettlement(d, alloc.SettlementSR2025High, "")
	require.NoError(t, err)
	assert.True(t, high.FixedCash[budget.MustYear("2028/29")], "the high case's 2028/29 is a cash step")
	assert.Equal(t, "0.099763", high.Growth[budget.MustYear("2028/29")].String())
	assert.Contains(t, high.Description, "+9.98% 2028/29 cash")
	assert.NotContains(t, high.Description, "+9.98% 2028/29, cash)", "the step is not NHS England's published growth")
	lo, hi, ok := alloc.SettlementCases(alloc.SettlementSR2025)
	assert.True(t, ok)
	assert.Equal(t, []alloc.SettlementName{alloc.SettlementSR2025Low, alloc.SettlementSR2025High}, []alloc.SettlementName{lo, hi})
	_, _, ok = alloc.SettlementCases(alloc.SettlementSR2025Folded)
	assert.False(t, ok)
}

// TestNegativeRecurrentIsRefused: in-year money may be negative, but one
// that takes an ICB's recurrent money below zero is an input that cannot
// be, refused naming the ICB, stream and year, whatever the reconciliation.
func TestNegativeRecurrentIsRefused(t *testing.T) {
	d := embeddedData(t)
	var buf bytes.Buffer
	require.NoError(t, d.Allocations.Write(&buf))
	lines := strings.Split(buf.String(), "\n")
	found := false
	for i, l := range lines {
		if strings.HasPrefix(l, "2023/24,QE1,") && strings.Contains(l, ",core,in_year,") {
			f := strings.Split(l, ",")
			f[7] = "-12796546742"
			lines[i], found = strings.Join(f, ","), true
		}
	}
	require.True(t, found)
	a, err := dataset.ReadAllocations(strings.NewReader(strings.Join(lines, "\n")), "mine.csv")
	require.NoError(t, err)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	_, err = alloc.Project(a, d.Populations, s, budget.MustYear("2026/27"))
	assert.ErrorIs(t, err, budget.ErrNegative)
	assert.ErrorContains(t, err, "QE1's core recurrent money in 2023/24 comes out at")
}

// TestTotalStatusIsTotals: the status read without adding any money is the
// one Total gives, for every ICB and England, year and set of streams.
func TestTotalStatusIsTotals(t *testing.T) {
	p := project(t, alloc.SettlementSR2025, "2030/31")
	sets := [][]dataset.Stream{{dataset.Core}, {dataset.Core, dataset.PMC, dataset.Specialised}, dataset.Streams()}
	codes := []string{"ENG"}
	for _, icb := range p.ICBs() {
		codes = append(codes, icb.Code)
	}
	checked := 0
	for _, code := range codes {
		for _, y := range p.Span().Years() {
			for _, streams := range sets {
				_, want, wantOK, err := p.Total(code, y, streams)
				require.NoError(t, err)
				got, ok, err := p.TotalStatus(code, y, streams)
				require.NoError(t, err)
				assert.Equal(t, want, got, "%s %s %v", code, y, streams)
				assert.Equal(t, wantOK, ok)
				checked++
			}
		}
	}
	assert.Greater(t, checked, 1000)
	_, _, err := p.TotalStatus("nope", p.Span().First(), dataset.Streams())
	assert.ErrorIs(t, err, budget.ErrUnknown)
}

// TestTotalAndMovedAreTheCellsSums checks the sums a projection keeps for
// each set of streams against its cells, added here, for every ICB, year
// and set of the five streams (in any order); a list that names a stream
// twice is refused, for an ICB and for England.
func TestTotalAndMovedAreTheCellsSums(t *testing.T) {
	p := project(t, alloc.SettlementSR2025, "2030/31")
	all := dataset.Streams()
	var sets [][]dataset.Stream
	for mask := 1; mask < 1<<len(all); mask++ {
		var set []dataset.Stream
		for k, s := range all {
			if mask&(1<<k) != 0 {
				set = append(set, s)
			}
		}
		sets = append(sets, set)
	}
	sets = append(sets, []dataset.Stream{dataset.POD, dataset.Core})
	movedSeen := false
	for _, icb := range p.ICBs() {
		for _, y := range p.Span().Years() {
			for _, streams := range sets {
				var total, moved budget.Money
				var status budget.Status
				n := 0
				for _, s := range streams {
					c, err := p.Cell(icb.Code, y, s)
					require.NoError(t, err)
					moved = moved.Add(c.Moved)
					if c.Exists() {
						total, status, n = total.Add(c.Total()), status.Worst(c.Status), n+1
					}
				}
				if n > 1 {
					status = status.Summed()
				}
				got, gotStatus, ok, err := p.Total(icb.Code, y, streams)
				require.NoError(t, err)
				assert.True(t, total.Equal(got), "%s %s %v: total %s, cells add to %s", icb.Code, y, streams, got, total)
				assert.Equal(t, status, gotStatus, "%s %s %v", icb.Code, y, streams)
				assert.Equal(t, n > 0, ok)
				gotMoved, err := p.Moved(icb.Code, y, streams)
				require.NoError(t, err)
				assert.True(t, moved.Equal(gotMoved), "%s %s %v: moved %s, cells add to %s", icb.Code, y, streams, gotMoved, moved)
				movedSeen = movedSeen || !moved.IsZero()
			}
		}
	}
	assert.True(t, movedSeen, "the default basis holds scope: some money moves")
	_, err := p.Moved("nope", p.Span().First(), all)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	_, _, _, err = p.Total("nope", p.Span().First(), all)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	_, _, _, err = p.Total(p.ICBs()[0].Code, p.Span().First(), []dataset.Stream{dataset.Core, 9})
	assert.ErrorIs(t, err, budget.ErrUnknown)
	twice := []dataset.Stream{dataset.Core, dataset.PMC, dataset.Core}
	for _, code := range []string{p.ICBs()[0].Code, "ENG"} {
		_, _, _, err = p.Total(code, p.Span().First(), twice)
		assert.ErrorIs(t, err, budget.ErrDuplicate, code)
		_, _, err = p.TotalStatus(code, p.Span().First(), twice)
		assert.ErrorIs(t, err, budget.ErrDuplicate, code)
		_, err = p.Moved(code, p.Span().First(), twice)
		assert.ErrorIs(t, err, budget.ErrDuplicate, code)
		_, err = p.Moved(code, budget.Year{}, dataset.Streams())
		assert.ErrorContains(t, err, "no year given")
	}
}

// TestProjectionKeepsItsSettlement: a projection is immutable: changing
// the settlement it was made under, or the one Settlement returns,
// changes neither its settlement nor its figures.
func TestProjectionKeepsItsSettlement(t *testing.T) {
	d := embeddedData(t)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	p, err := alloc.Project(d.Allocations, d.Populations, s, budget.MustYear("2028/29"))
	require.NoError(t, err)
	y := budget.MustYear("2027/28")
	want := p.Settlement().Growth[y]
	s.Growth[y] = budget.RateOf(decimal.RequireFromString("0.5"))
	got := p.Settlement()
	assert.True(t, got.Growth[y].Decimal().Equal(want.Decimal()), "the caller's settlement changed after")
	got.Growth[y] = budget.RateOf(decimal.RequireFromString("0.5"))
	assert.True(t, p.Settlement().Growth[y].Decimal().Equal(want.Decimal()), "the copy Settlement returned changed")
	again, err := alloc.Project(d.Allocations, d.Populations, p.Settlement(), budget.MustYear("2028/29"))
	require.NoError(t, err)
	a, _, _, err := p.Total("ENG", y, dataset.Streams())
	require.NoError(t, err)
	b, _, _, err := again.Total("ENG", y, dataset.Streams())
	require.NoError(t, err)
	assert.True(t, a.Equal(b), "the same figures under its own settlement")
}

// TestSettlementStep checks the one statement of what becomes of a
// non-recurrent item in a projected year, on hand-made settlements and on
// the named ones built from the embedded parameters.
func TestSettlementStep(t *testing.T) {
	y26, y27 := budget.MustYear("2026/27"), budget.MustYear("2027/28")
	s := alloc.Settlement{NonRecurrent: alloc.HoldNonRecurrent,
		ItemRules:      map[string]alloc.NonRecurrentRule{"discharge": alloc.GrowNonRecurrent, "one_off": alloc.DropNonRecurrent},
		Consolidations: []alloc.Consolidation{{Stream: dataset.Core, Item: "discharge", From: y27}}}
	assert.Equal(t, alloc.ItemHeld, s.Step(dataset.Core, "erf", y26), "the settlement's rule")
	assert.Equal(t, alloc.ItemGrows, s.Step(dataset.Core, "discharge", y26), "the item's own rule before it folds")
	assert.Equal(t, alloc.ItemFolds, s.Step(dataset.Core, "discharge", y27), "a consolidation from its year")
	assert.Equal(t, alloc.ItemGrows, s.Step(dataset.PMC, "discharge", y27), "a consolidation of another stream")
	assert.Equal(t, alloc.ItemDropped, s.Step(dataset.Core, "one_off", y27))

	// sr2025-pots-folded folds every core pot from 2026/27 (TestFoldedPots);
	// sr2025 holds elective recovery funding (its parameter
	// settlement.sr2025.non_recurrent.elective_recovery_core is "hold").
	d, err := dataset.Embedded()
	require.NoError(t, err)
	folded, err := alloc.NamedSettlement(d, alloc.SettlementSR2025Folded, "")
	require.NoError(t, err)
	assert.Equal(t, alloc.ItemFolds, folded.Step(dataset.Core, "elective_recovery_core", y26))
	central, err := alloc.NamedSettlement(d, alloc.SettlementSR2025, "")
	require.NoError(t, err)
	assert.Equal(t, alloc.ItemHeld, central.Step(dataset.Core, "elective_recovery_core", y26))
}

// TestSettlementCashGrowth checks the growth a simulation may not redraw:
// running costs' own (flat cash) and the years set in cash.
func TestSettlementCashGrowth(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	s, err := alloc.NamedSettlement(d, alloc.SettlementSR2025, "")
	require.NoError(t, err)
	for y := range s.StreamGrowth[dataset.RCA] {
		g, ok := s.CashGrowth(dataset.RCA, y)
		assert.True(t, ok && g.String() == s.StreamGrowth[dataset.RCA][y].String(), "running costs in %s", y)
	}
	for y, g := range s.Growth {
		got, ok := s.CashGrowth(dataset.Core, y)
		assert.Equal(t, s.FixedCash[y], ok, "core in %s", y)
		if ok {
			assert.Equal(t, g.String(), got.String(), "core in %s", y)
		}
	}
	require.NotEmpty(t, s.FixedCash, "sr2025 sets some years in cash")
}

// TestSumsAreTotals: the sums found by an ICB's place are Total's and
// Moved's for its code, in every year and for each set of streams; a
// place, year or stream the projection lacks is an error, as for Total.
func TestSumsAreTotals(t *testing.T) {
	p := project(t, alloc.SettlementSR2025, "2028/29")
	for _, streams := range [][]dataset.Stream{dataset.Streams(), {dataset.Core}, {dataset.Core, dataset.Specialised}} {
		sums, err := p.SumsOf(streams)
		require.NoError(t, err)
		for i, icb := range p.ICBs() {
			for _, y := range p.Span().Years() {
				wt, ws, wok, werr := p.Total(icb.Code, y, streams)
				gt, gs, gok, gerr := sums.Total(i, y)
				require.Equal(t, werr, gerr)
				assert.Equal(t, wt.String(), gt.String(), "%s %s", icb.Code, y)
				assert.Equal(t, ws, gs)
				assert.Equal(t, wok, gok)
				wm, _ := p.Moved(icb.Code, y, streams)
				gm, err := sums.Moved(i, y)
				require.NoError(t, err)
				assert.Equal(t, wm.String(), gm.String())
			}
		}
	}
	sums, err := p.SumsOf(dataset.Streams())
	require.NoError(t, err)
	_, _, _, err = sums.Total(len(p.ICBs()), budget.MustYear("2025/26"))
	assert.ErrorIs(t, err, budget.ErrUnknown)
	_, err = sums.Moved(-1, budget.MustYear("2025/26"))
	assert.ErrorIs(t, err, budget.ErrUnknown)
	_, _, _, err = sums.Total(0, budget.MustYear("2040/41"))
	assert.ErrorIs(t, err, budget.ErrNoData)
	_, err = p.SumsOf([]dataset.Stream{dataset.Core, dataset.Core})
	assert.ErrorIs(t, err, budget.ErrDuplicate)
	_, _, _, err = alloc.Sums{}.Total(0, budget.MustYear("2025/26"))
	assert.ErrorIs(t, err, budget.ErrNoData)
}
