package budget_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

func TestParseYear(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		err      error
	}{
		{"2024/25", "2024/25", nil},
		{"2024-25", "2024/25", nil},
		{"1999/00", "1999/00", nil},
		{"2099/00", "2099/00", nil},
		{"2024/26", "", budget.ErrRange},
		{"2024/24", "", budget.ErrRange},
		{"24/25", "", budget.ErrSyntax},
		{"2024/2025", "", budget.ErrSyntax},
		{"2024_25", "", budget.ErrSyntax},
		{"", "", budget.ErrSyntax},
		{"20x4/25", "", budget.ErrSyntax},
		{"1899/00", "", budget.ErrRange},
		{" 2024/25", "", budget.ErrSyntax},
	} {
		y, err := budget.ParseYear(tc.in)
		if tc.err != nil {
			assert.ErrorIs(t, err, tc.err, tc.in)
			var pe *budget.ParseError
			assert.ErrorAs(t, err, &pe)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, y.String())
	}
}

func TestYearArithmetic(t *testing.T) {
	y := budget.MustYear("2023/24")
	assert.Equal(t, "2028/29", y.Add(5).String())
	assert.Equal(t, 5, y.Add(5).Sub(y))
	assert.Equal(t, "2022/23", y.Prev().String())
	assert.True(t, y.Before(y.Next()))
	assert.Equal(t, "2023_24", y.Label())
	assert.True(t, budget.Year{}.IsZero())
	assert.Equal(t, "", budget.Year{}.String())

	s := budget.MustSpan("2024/25", "2028/29")
	assert.Equal(t, 5, s.Len())
	assert.Equal(t, 2, s.Index(budget.MustYear("2026/27")))
	assert.Equal(t, -1, s.Index(budget.MustYear("2029/30")))
	assert.Equal(t, "2024/25-2028/29", s.String())
	back, err := budget.ParseSpan(s.String())
	require.NoError(t, err)
	assert.Equal(t, s, back)
	_, err = budget.NewSpan(budget.MustYear("2025/26"), budget.MustYear("2024/25"))
	assert.ErrorIs(t, err, budget.ErrRange)

	b, err := json.Marshal(struct{ Y budget.Year }{y})
	require.NoError(t, err)
	assert.JSONEq(t, `{"Y":"2023/24"}`, string(b))
	var out struct{ Y budget.Year }
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, y, out.Y)
	assert.Error(t, json.Unmarshal([]byte(`{"Y":"2023/25"}`), &out))
}

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"1234.56", "1234.56", true},
		{"-0.5", "-0.50", true},
		{"0", "0.00", true},
		{"3181937488.0947713", "3181937488.0947713", true},
		{"£1", "", false},
		{"1,000", "", false},
		{"1e3", "", false},
		{"+1", "", false},
		{".5", "", false},
		{"1.", "", false},
		{"-", "", false},
		{"", "", false},
		{"1.2.3", "", false},
		{"NaN", "", false},
	} {
		m, err := budget.ParseMoney(tc.in)
		if !tc.ok {
			assert.ErrorIs(t, err, budget.ErrSyntax, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, m.String())
	}
}

func TestMoneyArithmetic(t *testing.T) {
	a, b := budget.MustMoney("10.25"), budget.MustMoney("0.75")
	assert.Equal(t, "11.00", a.Add(b).String())
	assert.Equal(t, "9.50", a.Sub(b).String())
	assert.True(t, budget.MustMoney("1.5").Equal(budget.MustMoney("1.50")))
	assert.Equal(t, "0.51", budget.MustMoney("10.25").MulShare(budget.MustShare("0.05")).Round(2).String())
	assert.Equal(t, "104.37", budget.Pounds(100).Grow(budget.MustRate("0.0437")).String())
	assert.Equal(t, "3000.00", budget.Thousands(3).String())
	assert.Equal(t, "0.07", budget.Pence(7).String())

	_, err := budget.Pounds(1).PerHead(budget.Population{})
	assert.ErrorIs(t, err, budget.ErrZeroDivisor)
	_, err = budget.Pounds(1).Div(budget.Money{})
	assert.ErrorIs(t, err, budget.ErrZeroDivisor)
	ph, err := budget.Pounds(100).PerHead(budget.People(3))
	require.NoError(t, err)
	assert.Equal(t, "33.3333333333", ph.String(), "per head is kept at WorkingScale (10) places")
}

// TestDecimalBehaviour pins the behaviour of github.com/shopspring/decimal
// that the library relies on, so an upgrade that changes it fails here first.
func TestDecimalBehaviour(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct{ in, round, bank string }{
		{"2.5", "3", "2"},
		{"3.5", "4", "4"},
		{"-2.5", "-3", "-2"}, // Round takes halves away from zero, negatives too
		{"-3.5", "-4", "-4"},
		{"0.5", "1", "0"},
		{"-0.5", "-1", "0"},
		{"2.4999", "2", "2"},
	} {
		assert.Equal(t, tc.round, d(tc.in).Round(0).String(), "Round(%s)", tc.in)
		assert.Equal(t, tc.bank, d(tc.in).RoundBank(0).String(), "RoundBank(%s)", tc.in)
	}
	// Rounding to the nearest £1k, as NHS England rounds allocations.
	assert.Equal(t, "3409586000", d("3409585500").Round(-3).StringFixed(0))
	// DivRound rounds halves away from zero at the given scale.
	assert.Equal(t, "0.67", d("2").DivRound(d("3"), 2).String())
	assert.Equal(t, "-0.67", d("-2").DivRound(d("3"), 2).String())
	// StringFixed pads and never trims; Equal ignores scale.
	assert.Equal(t, "1.50", d("1.5").StringFixed(2))
	assert.True(t, d("1.5").Equal(d("1.500")))
	// RoundFloor goes towards minus infinity for negatives (used by RoundParts).
	assert.Equal(t, "-3", d("-2.1").RoundFloor(0).String())
}

func TestShareAndRate(t *testing.T) {
	_, err := budget.ParseShare("1.01")
	assert.ErrorIs(t, err, budget.ErrRange)
	_, err = budget.ParseShare("-0.01")
	assert.ErrorIs(t, err, budget.ErrRange)
	s := budget.MustShare("0.05")
	assert.Equal(t, "5.00%", budget.FormatShare(s, 2))

	_, err = budget.ParseRate("-1")
	assert.ErrorIs(t, err, budget.ErrRange)
	r := budget.MustRate("0.03").Compound(budget.MustRate("0.022299"))
	assert.Equal(t, "0.05296797", r.String())
}

func TestFormatter(t *testing.T) {
	m := budget.MustMoney("1234567.891")
	for _, tc := range []struct {
		f    budget.Formatter
		want string
	}{
		{budget.Formatter{}, "£1,234,568"},
		{budget.Formatter{Places: 2}, "£1,234,567.89"},
		{budget.Formatter{Scale: budget.ScaleThousands, Places: 1}, "£1,234.6k"},
		{budget.Formatter{Scale: budget.ScaleMillions, Places: 1}, "£1.2m"},
		{budget.Formatter{Scale: budget.ScaleBillions, Places: 3}, "£0.001bn"},
		{budget.Formatter{NoSymbol: true, NoGrouping: true}, "1234568"},
		{budget.Formatter{Scale: budget.ScaleMillions, Places: 0, Rounding: budget.Down}, "£1m"},
	} {
		assert.Equal(t, tc.want, tc.f.Format(m))
	}
	assert.Equal(t, "-£2.5m", budget.Formatter{Scale: budget.ScaleMillions, Places: 1}.Format(budget.MustMoney("-2450000")))
	assert.Equal(t, "-£2.4m", budget.Formatter{Scale: budget.ScaleMillions, Places: 1, Rounding: budget.HalfEven}.Format(budget.MustMoney("-2450000")))
}

func TestRoundPartsAddUp(t *testing.T) {
	f := budget.Formatter{Scale: budget.ScaleMillions, Places: 0}
	// Three equal thirds of £10m: rounded separately they add to £9m; the
	// largest remainder method gives 4 + 3 + 3 = 10.
	parts := []budget.Money{budget.MustMoney("3333333.34"), budget.MustMoney("3333333.33"), budget.MustMoney("3333333.33")}
	got := f.RoundParts(parts)
	assert.Equal(t, []string{"4000000.00", "3000000.00", "3000000.00"}, strs(got))
	// Remainders decide, not position.
	got = f.RoundParts([]budget.Money{budget.Pounds(1_400_000), budget.Pounds(1_300_000), budget.Pounds(1_300_000)})
	assert.Equal(t, []string{"2000000.00", "1000000.00", "1000000.00"}, strs(got))
	// Negatives and totals that round down.
	got = f.RoundParts([]budget.Money{budget.Pounds(-1_600_000), budget.Pounds(2_200_000)})
	assert.Equal(t, []string{"-1000000.00", "2000000.00"}, strs(got))
	assert.Equal(t, "1000000.00", budget.SumMoney(got...).String())
}

func strs(ms []budget.Money) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return out
}

func TestSeriesBasis(t *testing.T) {
	y := budget.MustYear("2024/25")
	cash, err := budget.NewSeries(y, []budget.Money{budget.Pounds(1), budget.Pounds(2)}, budget.Cash())
	require.NoError(t, err)
	sum, err := cash.Add(cash)
	require.NoError(t, err)
	assert.Equal(t, "6.00", sum.Total().String())

	d := gdp(t)
	real, err := d.ToReal(cash, y)
	require.NoError(t, err)
	assert.Equal(t, "real_2024_25", real.Basis().String())
	_, err = cash.Add(real)
	assert.ErrorIs(t, err, budget.ErrBasisMismatch, "cash + real is an error, not a silent mistake")
	_, err = d.ToReal(real, y)
	assert.ErrorIs(t, err, budget.ErrBasisMismatch)
	other, _ := budget.NewSeries(y.Next(), []budget.Money{budget.Pounds(1), budget.Pounds(2)}, budget.Cash())
	_, err = cash.Add(other)
	assert.ErrorIs(t, err, budget.ErrSpanMismatch)
	_, err = cash.At(budget.MustYear("2030/31"))
	assert.ErrorIs(t, err, budget.ErrNoData)

	back, err := d.ToCash(real)
	require.NoError(t, err)
	for i, v := range back.Values() {
		assert.True(t, v.Round(2).Equal(cash.Values()[i]), "cash -> real -> cash is the identity to the penny")
	}
}

func gdp(t testing.TB) budget.Deflator {
	t.Helper()
	d, err := embeddedData(t).Deflators.Get("gdp", "obr-2025-11")
	require.NoError(t, err)
	return d
}

func TestDeflator(t *testing.T) {
	d := gdp(t)
	idx := func(y string) string {
		v, _, err := d.Index(budget.MustYear(y))
		require.NoError(t, err)
		return v.StringFixed(4)
	}
	assert.Equal(t, "100.0000", idx("2024/25"))
	// OBR November 2025 EFO: GDP deflator +2.9431% in 2025-26 and -3.7175% ... (deflators.csv).
	assert.Equal(t, "102.9431", idx("2025/26"))
	assert.Equal(t, "96.4157", idx("2023/24"), "100 / 1.037175 = 96.41574")
	// HM Treasury's March 2026 GDP deflator index puts 2015-16 at 74.5804
	// (2024-25 = 100, deflators.csv, secondary citation). Chaining the OBR
	// November 2025 changes gives a figure within 0.5% of it.
	v, _, err := d.Index(budget.MustYear("2015/16"))
	require.NoError(t, err)
	hmt := decimal.RequireFromString("74.5804")
	assert.True(t, v.Sub(hmt).Abs().LessThan(decimal.RequireFromString("0.37")), "chained 2015/16 index %s vs HMT %s", v, hmt)

	_, _, err = d.Index(budget.MustYear("2031/32"))
	assert.ErrorIs(t, err, budget.ErrNoData, "no silent extension")
	held := d.WithExtension(budget.ExtendHold())
	h, st, err := held.Index(budget.MustYear("2032/33"))
	require.NoError(t, err)
	last, _, _ := d.Index(budget.MustYear("2030/31"))
	assert.True(t, h.Equal(last))
	assert.Equal(t, budget.Projected, st)
	grown := d.WithExtension(budget.ExtendGrow(budget.MustRate("0.02")))
	g, _, err := grown.Index(budget.MustYear("2031/32"))
	require.NoError(t, err)
	assert.True(t, g.Equal(last.Mul(decimal.RequireFromString("1.02")).Round(budget.WorkingScale)))

	_, st, _ = d.Index(budget.MustYear("2026/27"))
	assert.Equal(t, budget.Projected, st, "OBR forecast years are projected")

	rebased, err := d.Rebase(budget.MustYear("2015/16"))
	require.NoError(t, err)
	r, _, _ := rebased.Index(budget.MustYear("2015/16"))
	assert.Equal(t, "100.0000", r.StringFixed(4))

	gr, _, err := d.Growth(budget.MustYear("2026/27"))
	require.NoError(t, err)
	assert.Equal(t, "0.022299", gr.String())

	old, err := embeddedData(t).Deflators.Get("gdp", "obr-2025-03")
	require.NoError(t, err)
	assert.NotEqual(t, idx("2015/16"), func() string { v, _, _ := old.Index(budget.MustYear("2015/16")); return v.StringFixed(4) }(), "the vintages differ")
	_, err = embeddedData(t).Deflators.Get("gdp", "obr-2024-10")
	assert.ErrorIs(t, err, budget.ErrUnknown)
}

// TestSum: a Sum gives exactly what Money.Add gives from Pence(0), in
// value and scale, with amounts not exact to the penny, in whole pounds,
// and sums beyond 2^62 pence and beyond 2^127 (held as decimals).
func TestSum(t *testing.T) {
	amounts := []budget.Money{budget.MustMoney("1234.56"), budget.MustMoney("-0.07"), budget.MustMoney("3181937488.09"), budget.Pounds(7)}
	var s budget.Sum
	want := budget.Pence(0)
	same := func() {
		t.Helper()
		got := s.Total()
		assert.True(t, got.Equal(want) && got.Decimal().Exponent() == want.Decimal().Exponent(), "%s vs %s", got, want)
	}
	for _, m := range amounts {
		s.Add(m)
		want = want.Add(m)
		same()
	}
	s.Add(budget.MustMoney("0.005")) // not whole pence
	want = want.Add(budget.MustMoney("0.005"))
	same()
	// £80 trillion 600 times passes 2^62 pence: the sum is exact.
	var big budget.Sum
	huge := budget.MustMoney("80000000000000.00")
	for i := 0; i < 600; i++ {
		big.Add(huge)
	}
	assert.Equal(t, "48000000000000000.00", big.Total().String())
	// Beyond 128 bits, and back.
	vast := budget.MustMoney("900000000000000000000000000000.000000000000000000000000000001") // a coefficient of 60 digits
	big.Add(vast)
	big.Add(vast)
	big.Add(vast.Neg())
	big.Add(vast.Neg())
	assert.Equal(t, "48000000000000000.00", big.Total().String())
	var zero budget.Sum
	assert.True(t, zero.Total().IsZero())
	assert.Equal(t, int32(-2), zero.Total().Decimal().Exponent())
}

// TestSafeCell: text a spreadsheet would run as a formula gets a leading
// apostrophe (OWASP, CSV injection); numbers and ordinary text do not.
func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		`=HYPERLINK("http://x","y")`: `'=HYPERLINK("http://x","y")`,
		"+1+cmd|' /C calc'!A0":       "'+1+cmd|' /C calc'!A0",
		"-2+3":                       "'-2+3",
		"@SUM(A1)":                   "'@SUM(A1)",
		"\tx":                        "'\tx",
		"\rx":                        "'\rx",
		"-1234.56":                   "-1234.56",
		"+5":                         "+5",
		"0.052":                      "0.052",
		"NHS Essex ICB":              "NHS Essex ICB",
		"":                           "",
	} {
		assert.Equal(t, want, budget.SafeCell(in), in)
	}
	var b strings.Builder
	require.NoError(t, budget.WriteRows(&b, []budget.Row{{Scenario: "=cmd()", Period: "2024/25", Area: "QE1", AreaName: "@x", Measure: "budget",
		Value: decimal.RequireFromString("-5"), Unit: budget.UnitGBP, Basis: "cash", Status: budget.Published}}))
	assert.Contains(t, b.String(), "'=cmd(),2024/25,QE1,'@x,budget,-5.00,GBP,cash,published")
}

// TestNewPopulation: a number of people is never negative, computed or read.
func TestNewPopulation(t *testing.T) {
	p, err := budget.NewPopulation(decimal.RequireFromString("1810011.5"))
	require.NoError(t, err)
	assert.Equal(t, "1810011.5", p.Decimal().String())
	_, err = budget.NewPopulation(decimal.NewFromInt(-1))
	assert.ErrorIs(t, err, budget.ErrNegative)
}

// TestFormatDecimalBoundsPlaces: FormatDecimal bounds the places it writes,
// whatever it is asked for.
func TestFormatDecimalBoundsPlaces(t *testing.T) {
	assert.Less(t, len(budget.FormatDecimal(decimal.NewFromInt(1), 1<<30)), 100)
}

// England's 2028/29 net QALYs under hewitt, 200,846.88 [hewitt -benefits
// qalys]: whole in tables, three figures in a sentence.
func TestFormatCountAndFormatAbout(t *testing.T) {
	v := decimal.RequireFromString("200846.88")
	assert.Equal(t, "200,847", budget.FormatCount(v))
	assert.Equal(t, "201,000", budget.FormatAbout(v))
	assert.Equal(t, "929", budget.FormatAbout(decimal.RequireFromString("929.4")))
}

// TestWholePenceBounds: amounts of whole pence within ±£90 trillion
// (9x10^15 pence) are whole pence; beyond, or with a fraction of a penny,
// they are not.
func TestWholePenceBounds(t *testing.T) {
	for s, want := range map[string]bool{
		"1234.56": true, "-0.01": true, "0.00": true,
		"9999999999999.99": true, "89999999999999.99": true, "90000000000000.00": true, "90000000000000.01": false,
		"-90000000000000.00": true, "-90000000000000.01": false, "1.005": false, "12": false,
	} {
		m := budget.MoneyFromDecimal(decimal.RequireFromString(s)) // as written: 12 has no places
		p, ok := m.WholePence()
		assert.Equal(t, want, ok, s)
		if ok {
			assert.Equal(t, m.Decimal().Shift(2).IntPart(), p, s)
		}
	}
}

// TestIndex: rows found by area, year or span, measure and basis; a row
// with no price basis on any basis; a row changed after NewIndex found by
// its new key, not its old one.
func TestIndex(t *testing.T) {
	y := budget.MustYear("2028/29")
	rows := []budget.Row{
		{Period: "2028/29", Area: "ENG", Measure: "prevention_shift", Value: decimal.NewFromInt(1), Unit: budget.UnitGBP, Basis: "cash"},
		{Period: "2028/29", Area: "ENG", Measure: "prevention_share", Value: decimal.RequireFromString("0.06"), Unit: budget.UnitShare},
		{Period: "2024/25-2028/29", Area: "ENG", Measure: "prevention_shift_total", Value: decimal.NewFromInt(5), Unit: budget.UnitGBP, Basis: "cash"},
	}
	ix := budget.NewIndex(rows)
	r, ok := ix.Find("ENG", y, "prevention_shift", budget.Cash())
	require.True(t, ok)
	assert.Equal(t, "1", r.Value.String())
	real := gdp(t).Basis(budget.MustYear("2024/25"))
	_, ok = ix.Find("ENG", y, "prevention_shift", real)
	assert.False(t, ok, "a money row is on its own basis only")
	_, ok = ix.Find("ENG", y, "prevention_share", real)
	assert.True(t, ok, "a share has no price basis")
	r, ok = ix.FindSpan("ENG", budget.MustSpan("2024/25", "2028/29"), "prevention_shift_total", budget.Cash())
	require.True(t, ok)
	assert.Equal(t, "5", r.Value.String())
	rows[0].Area = "QOP"
	_, ok = ix.Find("ENG", y, "prevention_shift", budget.Cash())
	assert.False(t, ok, "the row is QOP's now")
	r, ok = ix.Find("QOP", y, "prevention_shift", budget.Cash())
	assert.True(t, ok)
	assert.Equal(t, "QOP", r.Area)
	_, ok = budget.Index{}.Find("ENG", y, "prevention_shift", budget.Cash())
	assert.False(t, ok, "the zero Index finds nothing")
}
