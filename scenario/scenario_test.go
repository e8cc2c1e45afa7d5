package scenario_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

var d = decimal.RequireFromString

func data(t testing.TB) *dataset.Data {
	t.Helper()
	emb, err := dataset.Embedded()
	require.NoError(t, err)
	return emb
}

func params(t testing.TB) dataset.Parameters { return data(t).Parameters }

func catalogue(t testing.TB) []scenario.Scenario {
	t.Helper()
	cat, err := scenario.Catalogue(params(t))
	require.NoError(t, err)
	return cat
}

func runAll(t testing.TB, ss []scenario.Scenario) []*scenario.Result {
	t.Helper()
	rs, err := scenario.NewRunner(data(t)).RunAll(ss)
	require.NoError(t, err)
	return rs
}

// rowsOf and summaryOf are a result's rows and summary.
func rowsOf(t testing.TB, r *scenario.Result) []budget.Row {
	t.Helper()
	rows, err := r.Rows()
	require.NoError(t, err)
	return rows
}

func summaryOf(t testing.TB, r *scenario.Result) []budget.Row {
	t.Helper()
	sum, err := r.Summary()
	require.NoError(t, err)
	return sum
}

func find(t testing.TB, rows []budget.Row, period, area, measure, basis string) budget.Row {
	t.Helper()
	for _, r := range rows {
		if r.Period == period && r.Area == area && string(r.Measure) == measure && r.Basis == basis {
			return r
		}
	}
	t.Fatalf("no row %s %s %s %s", period, area, measure, basis)
	return budget.Row{}
}

func TestCatalogue(t *testing.T) {
	cat := catalogue(t)
	names := []string{}
	for _, s := range cat {
		names = append(names, s.Name)
		require.NoError(t, s.Validate(data(t)), s.Name)
		assert.NotEmpty(t, s.Source, "%s cites its source", s.Name)
	}
	assert.Equal(t, []string{"status-quo", "hewitt", "hewitt-per-year", "hewitt-relative", "government-response", "restore-grant", "hewitt-from-2027", "investment-standard"}, names)
	assert.Equal(t, names, scenario.CatalogueNames())
	rs := runAll(t, cat)
	shift := func(r *scenario.Result) string {
		return find(t, rowsOf(t, r), "2028/29", "ENG", "prevention_shift", "cash").Value.Round(-6).String()
	}
	// England 2028/29 shift: the same figures as examples/hewitt (£1,586m
	// points, £7,929m per year) and 1% of the £7,929m counterfactual (relative).
	assert.Equal(t, "0", shift(rs[0]))
	assert.Equal(t, "1586000000", shift(rs[1]))
	assert.Equal(t, "7929000000", shift(rs[2]))
	assert.Equal(t, "79000000", shift(rs[3]))
	assert.Equal(t, "0", shift(rs[4]))
	// restore-grant: the grant in 2028/29 closes the restoration gap.
	gap := find(t, rowsOf(t, rs[5]), "2028/29", "ENG", "grant_restoration_gap", "cash")
	assert.True(t, gap.Value.IsZero())
	// hewitt-from-2027: +1 pp over 2027/28-2031/32 from the 2026/27 share;
	// in 2031/32 it moves 1% of that year's budget, as much as hewitt then
	// (both are 1 pp above the baseline share by then).
	assert.Equal(t, "634000000", shift(rs[6]), "two fifths of a point in 2028/29")
	last := func(r *scenario.Result) string {
		return find(t, rowsOf(t, r), "2031/32", "ENG", "prevention_shift", "cash").Value.Round(-6).String()
	}
	assert.Equal(t, "1827000000", last(rs[6]))
	// investment-standard: the share rises 1% of itself a year, so
	// prevention grows 1% a year faster than the budget: in 2028/29 the
	// share is 5% x 1.01^5 = 5.2550...%, £404m above 5% of £158,586m.
	assert.Equal(t, "404000000", shift(rs[7]))
	assert.Equal(t, "303000000", find(t, rowsOf(t, rs[6]), "2027/28", "ENG", "prevention_shift", "cash").Value.Round(-6).String(), "a fifth of a point in the first year")
	assert.True(t, find(t, rowsOf(t, rs[6]), "2026/27", "ENG", "prevention_shift", "cash").Value.IsZero())
	for _, r := range rs {
		want := "2026/27-2028/29"
		if r.Scenario.Name == scenario.HewittFrom2027 {
			want = "2026/27-2031/32"
		}
		assert.Equal(t, want, r.Manifest.Projected)
		assert.Equal(t, dataset.EmbeddedVintage, r.Manifest.Data)
		assert.Len(t, r.Manifest.ScenarioHash, 16)
	}
	assert.NotEqual(t, rs[0].Manifest.ScenarioHash, rs[4].Manifest.ScenarioHash, "same numbers, different assumptions (name, source)")
}

func TestCompareAntisymmetric(t *testing.T) {
	rs := runAll(t, []scenario.Scenario{mustFind(t, scenario.Hewitt), mustFind(t, scenario.StatusQuo)})
	ab, err := scenario.Compare(rs[0], rs[1])
	require.NoError(t, err)
	ba, err := scenario.Compare(rs[1], rs[0])
	require.NoError(t, err)
	require.Len(t, ab.Rows, len(ba.Rows))
	other := map[string]decimal.Decimal{}
	for _, r := range ba.Rows {
		other[r.Period+r.Area+string(r.Measure)+r.Basis] = r.Delta
	}
	for _, r := range ab.Rows {
		assert.True(t, r.Delta.Equal(other[r.Period+r.Area+string(r.Measure)+r.Basis].Neg()), "%s %s %s %s", r.Period, r.Area, string(r.Measure), r.Basis)
	}
	assert.Empty(t, ab.Unmatched)
	// Self-comparison: every delta is zero.
	self, err := scenario.Compare(rs[0], rs[0])
	require.NoError(t, err)
	for _, r := range self.Rows {
		assert.True(t, r.Delta.IsZero())
	}
}

func mustFind(t testing.TB, name string) scenario.Scenario {
	t.Helper()
	s, err := scenario.Find(params(t), name)
	require.NoError(t, err)
	return s
}

// TestWindowsAndPresentValues: a window's total is the sum of its years in
// cash, and its present value the sum of its real-terms flows (2024/25
// prices) discounted with year 0 = 2024/25, the price base year: 2024/25's
// flow counts whole, 2025/26's at 1/1.035.
func TestWindowsAndPresentValues(t *testing.T) {
	s := mustFind(t, scenario.Hewitt)
	s.Horizon = budget.MustYear("2033/34")
	// Retrospective: year 0 = 2024/25, the price base year.
	s.PresentValueBase = budget.MustYear("2024/25")
	rs := runAll(t, []scenario.Scenario{s})
	r := rs[0]
	gb, err := scenario.GreenBook.Schedule(params(t))
	require.NoError(t, err)
	gb = gb.At(s.PresentValueBase)
	assert.Equal(t, "2024/25", r.Manifest.PresentValueBase)
	assert.Equal(t, "2024/25", r.Manifest.Prices, "year 0 is the price base year")
	for _, w := range []string{"2024/25-2028/29", "2024/25-2033/34"} {
		span, _ := budget.ParseSpan(w)
		var sum, npv decimal.Decimal
		for _, y := range span.Years() {
			sum = sum.Add(find(t, rowsOf(t, r), y.String(), "ENG", "prevention_shift", "cash").Value)
			real := find(t, rowsOf(t, r), y.String(), "ENG", "prevention_shift", "real_2024_25").Value
			npv = npv.Add(real.Mul(gb.Factor(y.Sub(gb.Base))))
		}
		assert.Equal(t, sum.StringFixed(2), find(t, summaryOf(t, r), w, "ENG", "prevention_shift_total", "cash").Value.StringFixed(2), "window total = sum of years")
		assert.Equal(t, npv.Round(2).StringFixed(2), find(t, summaryOf(t, r), w, "ENG", "prevention_shift_pv", "real_2024_25").Value.StringFixed(2))
	}
	// By hand, 2024/25-2028/29: each year's real-terms shift (as rounded in
	// the rows) over 1.035 to the power of the years since 2024/25.
	var byHand decimal.Decimal
	for i, y := range budget.MustSpan("2024/25", "2028/29").Years() {
		real := find(t, rowsOf(t, r), y.String(), "ENG", "prevention_shift", "real_2024_25").Value
		byHand = byHand.Add(real.Div(d("1.035").Pow(decimal.NewFromInt(int64(i)))))
	}
	pv := find(t, summaryOf(t, r), "2024/25-2028/29", "ENG", "prevention_shift_pv", "real_2024_25").Value
	assert.True(t, pv.Sub(byHand).Abs().LessThan(d("1")), "present value %s, by hand %s (the library's factors are carried at 10 places)", pv, byHand)

	// From the present (the default): year 0 = 2026/27, the first year after
	// the latest published allocations, in its prices; 2024/25 and 2025/26
	// are past years, reported beside the present value and not discounted.
	s.PresentValueBase = budget.Year{}
	r = runAll(t, []scenario.Scenario{s})[0]
	assert.Equal(t, "2026/27", r.Manifest.PresentValueBase)
	dd := data(t)
	defl, err := dd.Deflators.Get("gdp", "obr-2025-11")
	require.NoError(t, err)
	i24, _, err := defl.Index(budget.MustYear("2024/25"))
	require.NoError(t, err)
	i26, _, err := defl.Index(budget.MustYear("2026/27"))
	require.NoError(t, err)
	ratio := i26.Div(i24) // 2024/25 prices to 2026/27 prices
	byHand, past := decimal.Zero, decimal.Zero
	for _, y := range budget.MustSpan("2024/25", "2028/29").Years() {
		real := find(t, rowsOf(t, r), y.String(), "ENG", "prevention_shift", "real_2024_25").Value.Mul(ratio)
		if y.Before(budget.MustYear("2026/27")) {
			past = past.Add(real)
			continue
		}
		byHand = byHand.Add(real.Div(d("1.035").Pow(decimal.NewFromInt(int64(y.Sub(budget.MustYear("2026/27")))))))
	}
	pv = find(t, summaryOf(t, r), "2026/27-2028/29", "ENG", "prevention_shift_pv", "real_2026_27").Value
	assert.True(t, pv.Sub(byHand).Abs().LessThan(d("1")), "present value %s, by hand %s", pv, byHand)
	out := find(t, summaryOf(t, r), "2024/25-2025/26", "ENG", "prevention_shift_past", "real_2026_27").Value
	assert.True(t, out.Sub(past).Abs().LessThan(d("1")), "past years %s, by hand %s", out, past)
	// Hewitt's shift from the present: £3,455m over 2026/27-2028/29 in
	// 2026/27 prices, beside £866m in the past years 2024/25-2025/26.
	m := budget.Formatter{Scale: budget.ScaleMillions}
	assert.Equal(t, "£3,455m", m.Format(budget.MoneyFromDecimal(pv)))
	assert.Equal(t, "£866m", m.Format(budget.MoneyFromDecimal(out)))
	for _, row := range summaryOf(t, r) {
		if strings.HasSuffix(string(row.Measure), "_pv") {
			assert.Equal(t, "real_2026_27", row.Basis, "present values in year 0's prices")
			assert.False(t, budget.MustSpan(row.Period[:7], row.Period[8:]).First().Before(budget.MustYear("2026/27")), "a present value covers years from year 0: %s", row.Period)
		}
	}
	// A year 0 outside the results is refused, naming the field.
	s.PresentValueBase = budget.MustYear("2035/36")
	err = s.Validate(dd)
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, "present_value_base")
}

func TestDiscountFactors(t *testing.T) {
	// Green Book: 3.5% for years 1-30, 3.0% for 31-75, 2.5% after [parameters.csv, HMT-GREEN-BOOK].
	gb, err := scenario.GreenBook.Schedule(params(t))
	require.NoError(t, err)
	assert.Equal(t, "0.9661835749", gb.Factor(1).String(), "1/1.035")
	assert.Equal(t, "0.9335107004", gb.Factor(2).String(), "1/1.035^2 = 1/1.071225")
	f30 := gb.Factor(30)
	assert.Equal(t, "0.356278", f30.Round(6).String(), "1.035^-30 = 0.356278")
	assert.Equal(t, f30.DivRound(d("1.03"), 10).String(), gb.Factor(31).String(), "year 31 at 3.0%")
	_, err = scenario.ParseDiscount("green-book-health")
	assert.ErrorContains(t, err, "the Green Book's 1.5% schedule is for health and life values, and the library's flows are money: use green-book")
	assert.Equal(t, "0.025", gb.Rate(76).String())
	// NPV by hand: £1,035 in year 1 and £1,071.225 in year 2 are worth £1,000 each today.
	npv := d("1035").Mul(gb.Factor(1)).Add(d("1071.225").Mul(gb.Factor(2)))
	assert.Equal(t, "2000.00", npv.StringFixed(2))
}

func TestJSONRoundTrip(t *testing.T) {
	for _, s := range catalogue(t) {
		var buf bytes.Buffer
		require.NoError(t, scenario.Write(&buf, s))
		back, err := scenario.Read(&buf, s.Name+".json", params(t))
		require.NoError(t, err, s.Name)
		assert.Empty(t, scenario.Diff(s, back), s.Name)
		assert.Equal(t, s.Hash(), back.Hash(), s.Name)
	}
	s := mustFind(t, scenario.Hewitt)
	s.Benefits = masters(t)
	s.Baseline.PerICB = map[string]budget.Share{"QE1": budget.MustShare("0.04")}
	s.Uncertain = []scenario.Uncertain{{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Normal(0.03, 0.005), Source: "test"}}
	g := budget.Pounds(3_500_000_000)
	s.Grant2015 = &g
	var buf bytes.Buffer
	require.NoError(t, scenario.Write(&buf, s))
	back, err := scenario.Read(&buf, "x.json", params(t))
	require.NoError(t, err)
	assert.Empty(t, scenario.Diff(s, back))
}

func TestReadPartialFile(t *testing.T) {
	in := `{"schema": 1, "name": "hewitt-2pp", "base": "hewitt", "description": "two points", "shift": {"size": "2"}}`
	s, err := scenario.Read(strings.NewReader(in), "mine.json", params(t))
	require.NoError(t, err)
	diff := scenario.AssumptionChanges(mustFind(t, scenario.Hewitt), s)
	require.Len(t, diff, 1)
	assert.Len(t, scenario.Diff(mustFind(t, scenario.Hewitt), s), 5, "and the labels: name, description, source, base")
	// The file gives no source of its own, so its change has none.
	assert.Equal(t, scenario.Change{Key: "shift.size", Old: "1", New: "2", OldSource: mustFind(t, scenario.Hewitt).Source}, diff[0])
	assert.Equal(t, "hewitt", s.Base)
	rs := runAll(t, []scenario.Scenario{s, mustFind(t, scenario.Hewitt)})
	two := find(t, rowsOf(t, rs[0]), "2028/29", "ENG", "prevention_shift", "cash").Value
	one := find(t, rowsOf(t, rs[1]), "2028/29", "ENG", "prevention_shift", "cash").Value
	assert.True(t, two.Sub(one.Mul(d("2"))).Abs().LessThanOrEqual(d("0.84")), "twice the +1 pp shift, to a penny an ICB: %s vs 2 x %s", two, one)
}

func TestReadErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		fields   []string
		sentinel error
	}{
		{"unknown field", `{"schema":1,"name":"x","base":"hewitt","colour":"red"}`, []string{"colour"}, budget.ErrUnknown},
		{"unknown nested field", `{"schema":1,"name":"x","base":"hewitt","shift":{"sise":"2"}}`, []string{"shift.sise"}, budget.ErrUnknown},
		{"bad reading", `{"schema":1,"name":"x","base":"hewitt","shift":{"reading":"double"}}`, []string{"shift.reading"}, budget.ErrUnknown},
		{"bad year", `{"schema":1,"name":"x","base":"hewitt","horizon":"2028/30"}`, []string{"horizon"}, budget.ErrRange},
		{"number for string", `{"schema":1,"name":"x","base":"hewitt","funding":3}`, []string{"funding"}, budget.ErrSyntax},
		{"wrong schema", `{"schema":3,"name":"x","base":"hewitt"}`, []string{"schema"}, budget.ErrRange},
		{"area in schema 1", `{"schema":1,"name":"x","base":"hewitt","area":"manchester"}`, []string{"area"}, budget.ErrUnknown},
		{"own base in schema 1", `{"schema":1,"name":"x","base":"hewitt","budget_base":{"name":"core","streams":["core"]}}`, []string{"budget_base"}, budget.ErrSyntax},
		{"unknown budget base", `{"schema":2,"name":"x","base":"hewitt","budget_base":"everything"}`, []string{"budget_base"}, budget.ErrUnknown},
		{"own base with a named base's name", `{"schema":2,"name":"x","base":"hewitt","budget_base":{"name":"programme","streams":["core"]}}`, []string{"budget_base"}, budget.ErrDuplicate},
		{"own base with no streams", `{"schema":2,"name":"x","base":"hewitt","budget_base":{"name":"none","streams":[]}}`, []string{"budget_base"}, prevention.ErrRange},
		{"own base with a stream twice", `{"schema":2,"name":"x","base":"hewitt","budget_base":{"name":"c","streams":["core","core"]}}`, []string{"budget_base"}, budget.ErrDuplicate},
		{"own base with an unknown stream", `{"schema":2,"name":"x","base":"hewitt","budget_base":{"name":"c","streams":["core","dental"]}}`, []string{"budget_base.streams[1]"}, budget.ErrUnknown},
		{"empty area", `{"schema":2,"name":"x","base":"hewitt","area":" "}`, []string{"area"}, budget.ErrSyntax},
		{"own base named like a named one", `{"schema":2,"name":"x","base":"hewitt","budget_base":{"name":"Programme","streams":["core","pmc","pod"]}}`, []string{"budget_base"}, budget.ErrDuplicate},
		{"own base with spaces round its name", `{"schema":2,"name":"x","base":"hewitt","budget_base":{"name":"mine ","streams":["core"]}}`, []string{"budget_base"}, budget.ErrSyntax},
		{"own base with a control character", `{"schema":2,"name":"x","base":"hewitt","budget_base":{"name":"m\u0007ine","streams":["core"]}}`, []string{"budget_base"}, budget.ErrSyntax},
		{"own base with two unknown streams", `{"schema":2,"name":"x","base":"hewitt","budget_base":{"name":"c","streams":["dental","core","eyes"]}}`, []string{"budget_base.streams[0]", "budget_base.streams[2]"}, budget.ErrUnknown},
		{"not UTF-8", "{\"schema\":2,\n\"name\":\"caf\xe9\",\"base\":\"hewitt\"}", []string{"(file)"}, budget.ErrSyntax},
		{"unknown settlement", `{"schema":2,"name":"x","base":"hewitt","settlement":"sr2030"}`, []string{"settlement"}, budget.ErrUnknown},
		{"no schema", `{"name":"x","base":"hewitt"}`, []string{"schema"}, budget.ErrNoData},
		{"unknown base", `{"schema":1,"name":"x","base":"nirvana"}`, []string{"base"}, budget.ErrUnknown},
		{"share above 1", `{"schema":1,"name":"x","base":"hewitt","baseline_share":{"value":"1.2","source":"me"}}`, []string{"baseline_share.value"}, budget.ErrRange},
		{"missing fields", `{"schema":1,"name":"x"}`, []string{"settlement", "shift", "horizon"}, budget.ErrNoData},
		{"syntax", "{\"schema\":1,\n\"name\": }", []string{"(line 2, column 9)"}, budget.ErrSyntax},
		{"two problems", `{"schema":1,"name":"x","base":"hewitt","funding":"loan","discounting":"none"}`, []string{"funding", "discounting"}, budget.ErrUnknown},
		{"a list, not an object", `[]`, []string{"(file)"}, budget.ErrFormat},
		{"null for an object", `{"schema":1,"name":"x","base":"hewitt","shift":null}`, []string{"shift"}, budget.ErrSyntax},
		{"null for a number", `{"schema":null,"name":"x","base":"hewitt"}`, []string{"schema"}, budget.ErrSyntax},
		{"null in a list", `{"schema":1,"name":"x","base":"hewitt","uncertain":[null]}`, []string{"uncertain[0]"}, budget.ErrSyntax},
		{"a number too large", `{"schema":1e400,"name":"x","base":"hewitt"}`, []string{"schema"}, budget.ErrSyntax},
		{"a fraction for whole years", `{"schema":1,"name":"x","base":"hewitt","benefits":{"roi":"2","lag":1.5,"spread":2,"source":"s"}}`, []string{"benefits.lag"}, budget.ErrSyntax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := scenario.Read(strings.NewReader(tc.in), "bad.json", params(t))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			for _, f := range tc.fields {
				assert.Contains(t, err.Error(), `field "`+f+`"`)
			}
			var fe *scenario.FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "bad.json", fe.File)
			for _, goType := range []string{"Go value", "Go struct", "map[", "float64", "json.RawMessage"} {
				assert.NotContains(t, err.Error(), goType, "no Go type in an error a user reads")
			}
		})
	}
}

func TestValidateReportsEverything(t *testing.T) {
	s := mustFind(t, scenario.Hewitt)
	s.Name = ""
	s.Settlement = "sr2030"
	s.Horizon = budget.MustYear("2040/41")
	s.Baseline.PerICB = map[string]budget.Share{"ZZZ": budget.MustShare("0.1")}
	s.Discount = 0
	err := s.Validate(data(t))
	require.Error(t, err)
	for _, want := range []string{"name", "settlement \"sr2030\"", "field \"horizon\": \"2040/41\"", `ICB "ZZZ"`, "discounting"} {
		assert.Contains(t, err.Error(), want)
	}
	_, err = scenario.Run(data(t), s)
	assert.Error(t, err, "Run validates first")
}

func TestDeterministicAndConcurrent(t *testing.T) {
	cat := catalogue(t)
	var seq [][]byte
	for _, s := range cat {
		r, err := scenario.Run(data(t), s)
		require.NoError(t, err)
		var b bytes.Buffer
		require.NoError(t, budget.WriteRows(&b, append(rowsOf(t, r), summaryOf(t, r)...)))
		seq = append(seq, b.Bytes())
	}
	// Many runs at once on one runner give the same bytes.
	runner := scenario.NewRunner(data(t))
	many := append(append(append([]scenario.Scenario{}, cat...), cat...), cat...)
	rs, err := runner.RunAll(many)
	require.NoError(t, err)
	for i, r := range rs {
		var b bytes.Buffer
		require.NoError(t, budget.WriteRows(&b, append(rowsOf(t, r), summaryOf(t, r)...)))
		assert.Equal(t, string(seq[i%len(cat)]), b.String(), "run %d (%s)", i, r.Scenario.Name)
	}
}

// TestRunAllSharesProjectionsAcrossHorizons runs scenarios on one
// settlement to several horizons, which RunAll projects once to the
// furthest and cuts, and checks each result's bytes against a run on its
// own.
func TestRunAllSharesProjectionsAcrossHorizons(t *testing.T) {
	var ss []scenario.Scenario
	for _, settlement := range []alloc.SettlementName{alloc.SettlementSR2025, alloc.SettlementSR2025Folded} {
		for _, h := range []string{"2028/29", "2033/34", "2030/31"} {
			s := mustFind(t, scenario.Hewitt)
			s.Name = fmt.Sprintf("hewitt-%s-%s", settlement, strings.ReplaceAll(h, "/", "-"))
			s.Settlement, s.Horizon = settlement, budget.MustYear(h)
			ss = append(ss, s)
		}
	}
	rs, err := scenario.NewRunner(data(t)).RunAll(ss)
	require.NoError(t, err)
	for i, s := range ss {
		alone, err := scenario.Run(data(t), s)
		require.NoError(t, err)
		var want, got bytes.Buffer
		require.NoError(t, budget.WriteRows(&want, append(rowsOf(t, alone), summaryOf(t, alone)...)))
		require.NoError(t, budget.WriteRows(&got, append(rowsOf(t, rs[i]), summaryOf(t, rs[i])...)))
		assert.Equal(t, want.String(), got.String(), s.Name)
		in, _, ok := rs[i].Inputs()
		require.True(t, ok)
		assert.Equal(t, s.Horizon, in.Projection.Span().Last(), s.Name)
	}
}

func TestManifestJSON(t *testing.T) {
	r, err := scenario.Run(data(t), mustFind(t, scenario.Hewitt))
	require.NoError(t, err)
	b, err := json.Marshal(r.Manifest)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"library":"`+scenario.Version+`"`)
	assert.Contains(t, string(b), `"projected_years":"2026/27-2028/29"`)
}

// BenchmarkCatalogue runs the whole catalogue (six scenarios, 42 ICBs and
// England, 2023/24-2028/29, every row in cash and real terms, window
// totals and present values) and compares each with the status quo.
func BenchmarkCatalogue(b *testing.B) {
	emb := data(b)
	cat := catalogue(b)
	b.ReportAllocs()
	for b.Loop() {
		rs, err := scenario.NewRunner(emb).RunAll(cat)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rs {
			if _, err := scenario.Compare(r, rs[0]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRunOnRunner is one scenario run again on a runner that has run
// it: the data restated on the footprint and the allocations projected
// once, as in a program; the prevention model, rows and summaries each time.
func BenchmarkRunOnRunner(b *testing.B) {
	r := scenario.NewRunner(data(b))
	s := mustFind(b, scenario.Hewitt)
	if _, err := r.Run(s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Run(s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunWithRows is a run on a Runner and its tidy rows and summary,
// as a program that exports them pays.
func BenchmarkRunWithRows(b *testing.B) {
	r := scenario.NewRunner(data(b))
	s := mustFind(b, scenario.Hewitt)
	if _, err := r.Run(s); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Run(s)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := res.Summary(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRun is one scenario from nothing: the data restated on the
// footprint of 2026, the allocations projected, the prevention model, rows
// and summaries.
func BenchmarkRun(b *testing.B) {
	emb := data(b)
	s := mustFind(b, scenario.Hewitt)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scenario.Run(emb, s); err != nil {
			b.Fatal(err)
		}
	}
}

// masters is the Masters et al. (2017) local-interventions preset, 4.1:1.
func masters(t testing.TB) *prevention.Benefits {
	t.Helper()
	b, err := prevention.BenefitsPreset(params(t), prevention.MastersLocal)
	require.NoError(t, err)
	return &b
}

// TestInvestmentStandardNotDecidedByRounding: with the prevention share
// held exactly (status-quo: 5% throughout), prevention grows exactly as
// fast as the budget, so the investment standard is met in every ICB and
// England, every year, on either vintage, though each prevention figure is
// rounded to the penny.
func TestInvestmentStandardNotDecidedByRounding(t *testing.T) {
	for _, b := range []alloc.AllocationBasis{alloc.DefaultBasis(), {Vintage: alloc.AsPublished}} {
		for fp, icbs := range map[string]int{dataset.Footprint2026: 36, dataset.Footprint2022: 42} {
			s := mustFind(t, scenario.StatusQuo)
			s.Horizon = scenario.MaxHorizon()
			s.AllocationBasis, s.Footprint = b, fp
			r, err := scenario.Run(data(t), s)
			require.NoError(t, err)
			n := 0
			for _, row := range rowsOf(t, r) {
				if row.Measure == prevention.MeasureInvestmentStandard {
					n++
					assert.True(t, row.Value.Equal(decimal.NewFromInt(1)), "%s %s %s %s: not met with the share held", b, fp, row.Period, row.Area)
				}
			}
			assert.Equal(t, (icbs+1)*12, n, "every ICB and England, 2023/24 to 2034/35")
		}
	}
}

// TestSettlementRange: a scenario on the central settlement has a range,
// the low and high cases' shifts in projected years; one on a settlement
// without cases has none.
func TestSettlementRange(t *testing.T) {
	d := data(t)
	r := scenario.NewRunner(d)
	s, err := scenario.Find(d.Parameters, "hewitt")
	require.NoError(t, err)
	rows, ok, err := r.SettlementRange(s)
	require.NoError(t, err)
	require.True(t, ok)
	// 36 ICBs and England, 3 projected years, cash and real, two cases.
	assert.Len(t, rows, 37*3*2*2)
	for _, row := range rows {
		assert.Equal(t, budget.Projected, row.Status)
		assert.Equal(t, "hewitt", row.Scenario)
	}
	s.Settlement = alloc.SettlementSR2025Folded
	rows, ok, err = r.SettlementRange(s)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Empty(t, rows)
}

// Find takes a catalogue name in any case: "Hewitt" is hewitt.
func TestFindAnyCase(t *testing.T) {
	s, err := scenario.Find(params(t), " Hewitt ")
	require.NoError(t, err)
	assert.Equal(t, scenario.Hewitt, s.Name)
	_, err = scenario.Find(params(t), "hewit")
	assert.ErrorIs(t, err, budget.ErrUnknown)
}

// TestCheckPresets builds every preset the library makes from the
// embedded parameters, and refuses parameters files the presets cannot use,
// naming the file, line and value.
func TestCheckPresets(t *testing.T) {
	require.NoError(t, scenario.CheckPresets(data(t)))
	assert.ErrorIs(t, scenario.CheckPresets(nil), budget.ErrNoData)
	for _, tc := range []struct{ old, new, want string }{
		{"settlement.sr2025.deflator,obr-2025-11,", "settlement.sr2025.deflator,obr-2099,", `mine.csv:6: column "value": value "obr-2099"`},
		{"baseline_share.default,kings-fund-5pc,", "baseline_share.default,nope,", `column "value": value "nope": parameter baseline_share.default`},
		{"settlement.sr2025.real_growth,0.030262,", "settlement.sr2025.real_growth,3,", "want a fraction from -0.2 to 0.2"},
	} {
		d := *data(t)
		var buf bytes.Buffer
		require.NoError(t, d.Parameters.Write(&buf))
		edited := strings.Replace(buf.String(), tc.old, tc.new, 1)
		require.NotEqual(t, buf.String(), edited, tc.old)
		p, err := dataset.ReadParameters(strings.NewReader(edited), "mine.csv")
		require.NoError(t, err)
		d.Parameters = p
		err = scenario.CheckPresets(&d)
		require.Error(t, err, tc.new)
		assert.Contains(t, err.Error(), tc.want)
	}
}

// TestAssumptionsAreTheFileLeaves: Assumptions lists each value of the
// scenario's file once, under its path, as a JSON decoder reads it
// (strings unquoted, numbers and booleans as written, null as "none"),
// for the catalogue, a scenario with every field, each of its mutations,
// and text that JSON escapes; a base of one's own and a council list are
// one line each.
func TestAssumptionsAreTheFileLeaves(t *testing.T) {
	ss := catalogue(t)
	base := full(t)
	ss = append(ss, base)
	for _, mut := range mutations() {
		ss = append(ss, scenario.Derive(base, base.Name, base.Description, base.Source, mut))
	}
	ss = append(ss, scenario.Derive(base, `a "quoted" \ name <b>&`, "line\nbreak\ttab é \u2028 \x01", "source ✓", nil))
	for _, s := range ss {
		b, err := json.Marshal(s)
		require.NoError(t, err)
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		require.NoError(t, dec.Decode(&v))
		var want []string
		var leaves func(v any, path string)
		leaves = func(v any, path string) {
			switch x := v.(type) {
			case map[string]any:
				if path == "budget_base" {
					want = append(want, path+"=*")
					return
				}
				for k, e := range x {
					if path != "" {
						k = path + "." + k
					}
					leaves(e, k)
				}
			case []any:
				if path == "councils.allocations" && s.Councils != nil {
					want = append(want, path+"=*")
					return
				}
				for i, e := range x {
					leaves(e, fmt.Sprintf("%s[%d]", path, i))
				}
			case nil:
				want = append(want, path+"=none")
			default:
				want = append(want, fmt.Sprintf("%s=%v", path, x))
			}
		}
		leaves(v, "")
		_, ownBase := v.(map[string]any)["budget_base"].(map[string]any)
		var got []string
		for _, a := range s.Assumptions() {
			if (a.Key == "budget_base" && ownBase) || (a.Key == "councils.allocations" && s.Councils != nil) {
				assert.NotEmpty(t, a.Value, a.Key)
				a.Value = "*"
			}
			got = append(got, a.Key+"="+a.Value)
		}
		sort.Strings(want)
		sort.Strings(got)
		assert.Equal(t, want, got, s.Name)
	}
}
