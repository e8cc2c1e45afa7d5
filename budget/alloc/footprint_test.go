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

// on2026 is the embedded data on the ICB footprints of 1 April 2026.
func on2026(t *testing.T) *dataset.Data {
	t.Helper()
	d, err := alloc.OnFootprint(embeddedData(t), dataset.Footprint2026)
	require.NoError(t, err)
	return d
}

// TestFootprint2026: 42 ICBs become 36 [F1, F2]; the new bodies have their
// new ODS codes, Hampshire and Isle of Wight keeps QRL, and the merged or
// split ICBs are gone.
func TestFootprint2026(t *testing.T) {
	d := on2026(t)
	assert.Len(t, d.Allocations.ICBs(), 36)
	for code, name := range map[string]string{"D7T5G": "NHS Essex ICB", "S1Y5D": "NHS Central East ICB", "T6Y0W": "NHS Norfolk and Suffolk ICB",
		"Z9B2Z": "NHS West and North London ICB", "S0E4D": "NHS Thames Valley ICB", "S9B9J": "NHS Surrey and Sussex ICB",
		"QRL": "NHS Hampshire and Isle of Wight ICB", "QOP": "NHS Greater Manchester ICB"} {
		icb, err := d.Allocations.ICB(code)
		require.NoError(t, err, code)
		assert.Equal(t, name, icb.Name)
	}
	for _, gone := range []string{"QH8", "QM7", "QJG", "QNQ", "QMJ", "QRV", "QU9", "QXU", "QNX", "QHG", "QUE", "QMM"} {
		_, err := d.Allocations.ICB(gone)
		assert.ErrorIs(t, err, budget.ErrUnknown, gone)
	}
	same, err := alloc.OnFootprint(d, dataset.Footprint2026)
	require.NoError(t, err)
	assert.Same(t, d, same, "restating on the footprint it is on changes nothing")
	_, err = alloc.OnFootprint(d, dataset.Footprint2022)
	assert.ErrorIs(t, err, budget.ErrRange, "restate from the 2022 footprint")
	_, err = alloc.OnFootprint(embeddedData(t), "2030")
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, "want 2022 or 2026")
}

// TestFootprintKeepsEngland: England's allocations and populations are the
// same to the penny (and the person) on either footprint, every year and
// stream, on every basis, published and projected. Its fair-share targets,
// carried with growth rates and factors at 10 places, agree within £1.
func TestFootprintKeepsEngland(t *testing.T) {
	d22, d26 := embeddedData(t), on2026(t)
	s, err := alloc.DefaultSettlement(d22)
	require.NoError(t, err)
	for _, b := range []alloc.AllocationBasis{alloc.DefaultBasis(), {Vintage: alloc.AsPublished}, {Vintage: alloc.RestatedVintage, Scope: alloc.StripScope}} {
		p22, err := alloc.ProjectOn(d22.Allocations, d22.Populations, s, budget.MustYear("2034/35"), b)
		require.NoError(t, err)
		p26, err := alloc.ProjectOn(d26.Allocations, d26.Populations, s, budget.MustYear("2034/35"), b)
		require.NoError(t, err)
		for _, y := range p22.Span().Years() {
			for _, st := range dataset.Streams() {
				a, err := p22.England(y, st)
				require.NoError(t, err)
				c, err := p26.England(y, st)
				require.NoError(t, err)
				for what, pair := range map[string][2]budget.Money{"total": {a.Total(), c.Total()}, "formula": {a.Formula, c.Formula},
					"additions": {a.Additions, c.Additions}, "non-recurrent": {a.NonRecurrent(), c.NonRecurrent()}, "baseline": {a.Baseline, c.Baseline},
					"restatement": {a.Restatement, c.Restatement}, "scope": {a.Scope, c.Scope}} {
					assert.True(t, pair[0].Equal(pair[1]), "%s %s %s %s: %s on 2022, %s on 2026", b, y, st, what, pair[0], pair[1])
				}
				assert.True(t, a.Target.Sub(c.Target).Abs().Decimal().LessThan(decimal.NewFromInt(1)), "%s %s %s target: %s, %s", b, y, st, a.Target, c.Target)
				assert.Equal(t, a.Status, c.Status, "%s %s %s: England's status does not depend on the footprint", b, y, st)
			}
			a, err := p22.EnglandPopulation(y)
			require.NoError(t, err)
			c, err := p26.EnglandPopulation(y)
			require.NoError(t, err)
			assert.True(t, a.Value.Decimal().Equal(c.Value.Decimal()), "%s registered population %s, %s", y, a.Value, c.Value)
		}
	}
	for _, m := range []dataset.PopulationMeasure{dataset.WeightedCore, dataset.WeightedPMC} {
		for _, y := range budget.MustSpan("2022/23", "2024/25").Years() {
			sum := func(d *dataset.Data) decimal.Decimal {
				var t decimal.Decimal
				for _, icb := range d.Allocations.ICBs() {
					f, err := d.Populations.Get(y, icb.Code, m)
					if err == nil {
						t = t.Add(f.Value.Decimal())
					}
				}
				return t
			}
			assert.True(t, sum(d22).Equal(sum(d26)), "%s %s", y, m)
		}
	}
}

// TestFootprintSplits: Frimley (QNQ) is split by its practices' districts
// [F1, F4]. By registered population in the 2024/25 allocation tool the
// parts are 0.5748 (Thames Valley), 0.2282 (Hampshire and Isle of Wight)
// and 0.1971 (Surrey and Sussex), as icb_footprints_2026.csv states (0.2281
// there, truncated); core services money goes by the core weighted
// population, 0.5687 / 0.2332 / 0.1981. A third-party NHS script splits
// Frimley 0.5886 / 0.2293 / 0.1820: the core split is within 2.0 pp of it.
func TestFootprintSplits(t *testing.T) {
	d := embeddedData(t)
	fp, err := d.Footprints.Get(dataset.Footprint2026)
	require.NoError(t, err)
	y := budget.MustYear("2024/25")
	got := map[string][2]string{}
	for _, p := range fp.Parts {
		if p.From != "QNQ" {
			continue
		}
		r, ok := p.Share(y, dataset.WeightRegistered)
		require.True(t, ok)
		c, _ := p.Share(y, dataset.WeightCore)
		got[p.To.Code] = [2]string{r.StringFixed(4), c.StringFixed(4)}
		other := map[string]string{"S0E4D": "0.5886", "QRL": "0.2293", "S9B9J": "0.1820"}[p.To.Code]
		assert.True(t, c.Sub(decimal.RequireFromString(other)).Abs().LessThanOrEqual(decimal.RequireFromString("0.02")), "%s: %s against %s", p.To.Code, c, other)
	}
	assert.Equal(t, map[string][2]string{"S0E4D": {"0.5748", "0.5687"}, "QRL": {"0.2282", "0.2332"}, "S9B9J": {"0.1971", "0.1981"}}, got)
	// NHS Essex ICB's 2024/25 core money: Mid and South Essex whole, West
	// Essex's share of Hertfordshire and West Essex, North East Essex's of
	// Suffolk and North East Essex, each by its core weighted population.
	d26 := on2026(t)
	essex, err := d26.Allocations.Lookup(y, "D7T5G", dataset.Core, dataset.Recurrent, "")
	require.NoError(t, err)
	want := decimal.Zero
	for _, part := range fp.Parts {
		if part.To.Code != "D7T5G" {
			continue
		}
		f, err := d.Allocations.Lookup(y, part.From, dataset.Core, dataset.Recurrent, "")
		require.NoError(t, err)
		s, _ := part.Share(y, dataset.WeightCore)
		want = want.Add(f.Value.Mul(s))
	}
	assert.True(t, essex.Value.Sub(want).Abs().LessThan(decimal.RequireFromString("0.02")), "Essex core 2024/25 %s, parts %s", essex.Value, want)
	assert.Equal(t, budget.Derived, essex.Status, "a split ICB's part is derived")
}

// TestMergedICBsConvergeOnce: from 2026/27 a merged ICB converges as one
// body: its distance from target is its summed baseline against its summed
// target, and the policy's adjustment of that distance (its cap once)
// moves it, with the common factor that pays for pace of change: (1 + net
// convergence) / (1 + the policy's adjustment) is the same for every ICB.
func TestMergedICBsConvergeOnce(t *testing.T) {
	d := on2026(t)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	p, err := alloc.Project(d.Allocations, d.Populations, s, budget.MustYear("2027/28"))
	require.NoError(t, err)
	pol := s.Convergence[dataset.Core]
	one := decimal.NewFromInt(1)
	factor := func(code string) decimal.Decimal {
		c, err := p.Cell(code, budget.MustYear("2026/27"), dataset.Core)
		require.NoError(t, err)
		return c.Convergence.Add(one).DivRound(pol.Adjustment(c.DfTBefore).Add(one), 10)
	}
	common := factor("QE1")
	for _, code := range []string{"Z9B2Z", "S9B9J", "D7T5G", "S1Y5D", "T6Y0W", "S0E4D", "QRL"} {
		c, err := p.Cell(code, budget.MustYear("2026/27"), dataset.Core)
		require.NoError(t, err)
		dft := c.Baseline.Decimal().DivRound(c.Target.Decimal(), budget.WorkingScale).Sub(one)
		assert.True(t, dft.Equal(c.DfTBefore), "%s DfT %s from sums %s", code, c.DfTBefore, dft)
		assert.True(t, factor(code).Sub(common).Abs().LessThan(decimal.RequireFromString("0.000002")), "%s: one adjustment for the body, factor %s against %s", code, factor(code), common)
	}
}

// TestFootprintFileErrors: a footprints file that would lose or
// double-count money, a bad weight or share, an unknown ICB: each a typed
// error naming file, line and column.
func TestFootprintFileErrors(t *testing.T) {
	head := strings.Join(columnsOf(t, dataset.FootprintsFile), ",") + "\n"
	row := func(old, nw, year, weight, share string) string {
		return "2026," + old + "," + nw + ",E" + nw + ",New ICB " + nw + ",London,whole," + year + "," + weight + "," + share + ",F1\n"
	}
	for _, tc := range []struct {
		name, body, want string
		err              error
	}{
		{"loses money", row("QMJ", "ZZ1", "2024/25", "core", "0.6") + row("QMJ", "ZZ2", "2024/25", "core", "0.3"),
			`fp.csv:2: column "share": value out of range: the shares of QMJ in footprint 2026 for 2024/25 by core weight (lines 2, 3) add up to 0.9, not 1: the footprint loses money`, budget.ErrRange},
		{"double-counts", row("QMJ", "ZZ1", "2024/25", "core", "0.6") + row("QMJ", "ZZ2", "2024/25", "core", "0.5"),
			"the footprint double-counts money", budget.ErrRange},
		{"bad weight", row("QMJ", "ZZ1", "2024/25", "people", "1"), `fp.csv:2: column "weight": value "people"`, budget.ErrUnknown},
		{"bad share", row("QMJ", "ZZ1", "2024/25", "core", "1.5"), `fp.csv:2: column "share": value "1.5": value out of range`, budget.ErrRange},
		{"twice", row("QMJ", "ZZ1", "2024/25", "core", "1") + row("QMJ", "ZZ1", "2024/25", "core", "1"), `fp.csv:3: column "share"`, budget.ErrDuplicate},
		{"England", row("QMJ", "ENG", "2024/25", "core", "1"), `fp.csv:2: column "new_icb_code": value "ENG": value out of range: ENG is England, not an ICB`, budget.ErrRange},
		{"lower case", row("QMJ", "s1y5d", "2024/25", "core", "1"), `fp.csv:2: column "new_icb_code": value "s1y5d": invalid syntax: an ODS code is in capitals (S1Y5D)`, budget.ErrSyntax},
		{"a NUL in the name", strings.Replace(row("QMJ", "ZZ1", "2024/25", "core", "1"), "2026,", "20\x0026,", 1),
			`fp.csv:2: column "footprint": value "20\x0026": invalid syntax: a footprint's name is letters, digits and - _ . only`, budget.ErrSyntax},
		{"two ONS codes", row("QMJ", "ZZ1", "2024/25", "core", "1") + strings.Replace(row("QRV", "ZZ1", "2024/25", "core", "1"), ",EZZ1,", ",E9,", 1),
			`fp.csv:3: column "new_icb_ons": value "E9": duplicate entry: ZZ1 has ONS code "EZZ1" on line 2`, budget.ErrDuplicate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dataset.ReadFootprints(strings.NewReader(head+tc.body), "fp.csv")
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.err)
			assert.ErrorContains(t, err, tc.want)
		})
	}
	// An old ICB the allocations do not have.
	var buf bytes.Buffer
	require.NoError(t, embeddedData(t).Footprints.Write(&buf))
	f, err := dataset.ReadFootprints(strings.NewReader(strings.ReplaceAll(buf.String(), "2026,QHG,", "2026,QZZ,")), "mine.csv")
	require.NoError(t, err)
	err = f.Check(embeddedData(t).Allocations)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, `mine.csv:2: column "old_icb_code": value "QZZ"`)
	// A part that leaves out a year of the allocations.
	f, err = dataset.ReadFootprints(strings.NewReader(strings.Replace(buf.String(), "2026,QHG,S1Y5D,E54000065,NHS Central East ICB,East of England,whole,2022/23,registered,1,F1\n", "", 1)), "mine.csv")
	require.NoError(t, err)
	err = f.Check(embeddedData(t).Allocations)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.ErrorContains(t, err, "footprint 2026 has no registered share of QHG for 2022/23")
}

// TestFootprintsOptional: a footprints file may hold none (header only);
// restating on a footprint the data does not have then says so.
func TestFootprintsOptional(t *testing.T) {
	f, err := dataset.ReadFootprints(strings.NewReader(strings.Join(columnsOf(t, dataset.FootprintsFile), ",")+"\n"), "none.csv")
	require.NoError(t, err)
	assert.Equal(t, []string{dataset.Footprint2022}, f.Names())
	own := *embeddedData(t)
	own.Footprints = f
	_, err = alloc.OnFootprint(&own, dataset.Footprint2026)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, "the data has no footprints besides 2022")
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	_, err = dataset.ReadFootprints(&buf, "again.csv")
	require.NoError(t, err, "an empty set writes a file that reads back")
}

// TestFootprintNewICBWithNoMoney: a new ICB whose parts all have a share of
// 0 would have no money: an error naming the line.
func TestFootprintNewICBWithNoMoney(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, embeddedData(t).Footprints.Write(&buf))
	in := buf.String()
	for _, y := range []string{"2022/23", "2023/24", "2024/25", "2025/26"} {
		for _, w := range []string{"registered", "core", "pmc"} {
			in += "2026,QUE,N3W00,E99,NHS Nowhere ICB,East of England,whole," + y + "," + w + ",0,F1\n"
		}
	}
	f, err := dataset.ReadFootprints(strings.NewReader(in), "ghost.csv")
	require.NoError(t, err)
	err = f.Check(embeddedData(t).Allocations)
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, `ghost.csv:206: column "new_icb_code": value "N3W00": value out of range: new ICB N3W00 (first on this line) gets no share of any ICB in any year, by any weight: it would have no money; are rows missing?`)
}

// TestFootprintMissingAnICB: a footprint file without an old ICB's rows
// (QHG, which joins NHS Central East ICB) left it as a 37th area and took
// its money from Central East, silently; it is an error naming it.
func TestFootprintMissingAnICB(t *testing.T) {
	d := embeddedData(t)
	var buf strings.Builder
	require.NoError(t, d.Footprints.Write(&buf))
	var kept []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if !strings.Contains(l, ",QHG,") {
			kept = append(kept, l)
		}
	}
	fps, err := dataset.ReadFootprints(strings.NewReader(strings.Join(kept, "\n")), "footprints.csv")
	require.NoError(t, err)
	own := *d
	own.Footprints = fps
	_, err = alloc.OnFootprint(&own, dataset.Footprint2026)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.ErrorContains(t, err, "footprints.csv: no data: restated on footprint 2026 the allocations have 37 ICBs, the footprint's are 36; not among them: QHG")
}

// TestEngineRestatesOnce: an engine restates its data on a footprint once
// and keeps it, by the footprint's name; its projections are the function
// ProjectOn's.
func TestEngineRestatesOnce(t *testing.T) {
	d := embeddedData(t)
	e := alloc.NewEngine(d)
	one, err := e.OnFootprint(dataset.Footprint2026)
	require.NoError(t, err)
	two, err := e.OnFootprint("")
	require.NoError(t, err)
	assert.Same(t, one, two, "the default footprint is 2026's, restated once")
	asPublished, err := e.OnFootprint(dataset.Footprint2022)
	require.NoError(t, err)
	assert.Same(t, d, asPublished, "2022 is the data as published")
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	h := budget.MustYear("2028/29")
	got, err := e.Project(dataset.Footprint2026, s, h, alloc.DefaultBasis())
	require.NoError(t, err)
	want, err := alloc.ProjectOn(one.Allocations, one.Populations, s, h, alloc.DefaultBasis())
	require.NoError(t, err)
	for _, icb := range want.ICBs() {
		a, _, _, err := got.Total(icb.Code, h, dataset.Streams())
		require.NoError(t, err)
		b, _, _, err := want.Total(icb.Code, h, dataset.Streams())
		require.NoError(t, err)
		assert.True(t, a.Equal(b), icb.Code)
	}
	_, err = e.OnFootprint("1999")
	assert.ErrorIs(t, err, budget.ErrUnknown)
}

// TestNoPanicOnHostileEngineAndStreams: a nil or zero engine, a stream of
// no name, and allocations made of figures of no ICB given are errors, not
// panics or silent sums.
func TestNoPanicOnHostileEngineAndStreams(t *testing.T) {
	var none *alloc.Engine
	_, err := none.OnFootprint(dataset.Footprint2026)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.Nil(t, none.Data())
	_, err = (&alloc.Engine{}).Project("", alloc.Settlement{}, budget.MustYear("2028/29"), alloc.DefaultBasis())
	assert.ErrorIs(t, err, budget.ErrNoData)
	p := project(t, alloc.SettlementSR2025, "2028/29")
	h := budget.MustYear("2028/29")
	for _, s := range []dataset.Stream{0, 99} {
		_, err = p.England(h, s)
		assert.ErrorIs(t, err, budget.ErrUnknown, "stream %d", s)
		_, _, _, err = p.Total("ENG", h, []dataset.Stream{dataset.Core, s})
		assert.ErrorIs(t, err, budget.ErrUnknown, "stream %d", s)
	}
	d := embeddedData(t)
	_, err = dataset.NewAllocations("mine", nil, d.Allocations.Figures())
	assert.ErrorIs(t, err, budget.ErrUnknown, "figures of ICBs not given")
	icbs := d.Allocations.ICBs()
	_, err = dataset.NewAllocations("mine", append(icbs, icbs[0]), d.Allocations.Figures())
	assert.ErrorIs(t, err, budget.ErrDuplicate, "an ICB given twice")
	var nilAlloc *dataset.Allocations
	_, ok := nilAlloc.Find(h, "QE1", dataset.Core, dataset.Recurrent, "")
	assert.False(t, ok)
}

// columnsOf is dataset.Columns of a data file the test knows.
func columnsOf(t testing.TB, file string) []string {
	t.Helper()
	cols, err := dataset.Columns(file)
	require.NoError(t, err)
	return cols
}

// TestICBListOfAUsersFootprint: a footprint of the user's own (here the
// 2026 one under another name) lists its ICBs, and finds one by code or
// name, as the library's own footprints do; it listed none, and -icb said
// an ICB of it was not one.
func TestICBListOfAUsersFootprint(t *testing.T) {
	d := embeddedData(t)
	var b bytes.Buffer
	require.NoError(t, d.Footprints.Write(&b))
	text := b.String()
	var mine strings.Builder
	mine.WriteString(text)
	for _, line := range strings.Split(strings.TrimSpace(text), "\n")[1:] {
		mine.WriteString(strings.Replace(line, "2026,", "mine,", 1) + "\n")
	}
	fps, err := dataset.ReadFootprints(strings.NewReader(mine.String()), "footprints.csv")
	require.NoError(t, err)
	d.Footprints = fps
	fd, err := alloc.OnFootprint(d, "mine")
	require.NoError(t, err)
	dir, err := dataset.EmbeddedICBDirectory()
	require.NoError(t, err)
	got, want := dir.For(fd).List("mine"), dir.List(dataset.Footprint2026)
	require.Len(t, got, len(want))
	for i := range want {
		want[i].Footprint = "mine"
	}
	assert.ElementsMatch(t, want, got, "the 2026 ICBs, codes, ONS codes, names and regions")
	e, err := dir.For(fd).Find("mine", "central east")
	require.NoError(t, err)
	assert.Equal(t, "S1Y5D", e.Code)
	assert.Empty(t, dir.List("mine"), "the library's list is not changed")
}
