package rule

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// f is float64 with Num's methods, as the generated form reads them: the
// generic rules instantiated with f must give the generated F64 functions'
// figures bit for bit, which checks the generator's rewriting.
type f float64

func (a f) Add(b f) f               { return a + b }
func (a f) Sub(b f) f               { return a - b }
func (a f) Mul(b f) f               { return f(float64(a) * float64(b)) }
func (a f) DivRound(b f, _ int32) f { return a / b }
func (a f) Round(int32) f           { return a }
func (a f) Neg() f                  { return -a }
func (a f) Sign() int               { return sign(float64(a)) }
func (a f) Cmp(b f) int             { return cmp(float64(a), float64(b)) }

func fs(xs []float64) []f {
	out := make([]f, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func same(t *testing.T, want f, got float64, what string) {
	t.Helper()
	require.True(t, math.Float64bits(float64(want)) == math.Float64bits(got) || (math.IsNaN(float64(want)) && math.IsNaN(got)), "%s: generic %v, float form %v", what, want, got)
}

// TestFloatFormIsTheRule checks every generated function against its
// generic statement on random inputs, including zeros, signs and caps.
func TestFloatFormIsTheRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := func() float64 {
		switch rng.IntN(6) {
		case 0:
			return 0
		case 1:
			return -rng.Float64()
		}
		return rng.Float64() * math.Pow(10, float64(rng.IntN(10)))
	}
	for k := range 20000 {
		pol := Policy[f]{f(rng.Float64()), f(rng.Float64() / 50), f(rng.Float64()), f(rng.Float64() / 50)}
		polF := PolicyF64{float64(pol.AboveFraction), float64(pol.AboveCap), float64(pol.BelowFraction), float64(pol.BelowCap)}
		dft := (rng.Float64() - 0.5) / 5
		same(t, Adjustment(f(dft), pol, 10), AdjustmentF64(dft, polF, 10), "Adjustment")

		base, target, factor := x(), 1+x(), 1+rng.Float64()/10
		d1, u1, p1, g1 := Converge(f(base), f(target), f(factor), 1, pol, 10, 4)
		d2, u2, p2, g2 := ConvergeF64(base, target, factor, 1, polF, 10, 4)
		for _, c := range []struct {
			a f
			b float64
		}{{d1, d2}, {u1, u2}, {p1, p2}, {g1, g2}} {
			same(t, c.a, c.b, "Converge")
		}
		same(t, Grow(f(base), f(factor), 4), GrowF64(base, factor, 4), "Grow")

		b, prev, cf := x(), x(), x()
		add := k%2 == 0
		b1, s1, t1 := Split(f(b), f(prev), f(cf), add)
		b2, s2, t2 := SplitF64(b, prev, cf, add)
		same(t, b1, b2, "Split budget")
		same(t, s1, s2, "Split shift")
		same(t, t1, t2, "Split treatment")

		ra, rb := rng.Float64()/20, rng.Float64()/20
		same(t, Compound(f(ra), f(rb), 1, 10), CompoundF64(ra, rb, 1, 10), "Compound")
		same(t, Rebase(f(base), f(factor), f(1+ra), 10), RebaseF64(base, factor, 1+ra, 10), "Rebase")
		same(t, Share(f(ra), f(rb), f(factor)), ShareF64(ra, rb, factor), "Share")

		g15, ix, res, ix15, res15 := 1+x(), 1+rng.Float64(), 1+x(), 1+rng.Float64(), 1+x()
		same(t, Restored(f(g15), f(ix), f(res), f(ix15), f(res15), 2), RestoredF64(g15, ix, res, ix15, res15, 2), "Restored")

		qa := []f{0, 0, 0, 0}
		qb := []float64{0, 0, 0, 0}
		sh, ph, nhs, val, ix2, ix3 := x(), 1e4+x(), 1e4+x(), 7e4, 1+rng.Float64(), 1+rng.Float64()
		qa[0], qa[1], qa[2], qa[3] = QALYs(f(sh), f(ph), f(nhs), f(val), f(ix), f(ix2), f(ix3), add, 10, 2)
		qb[0], qb[1], qb[2], qb[3] = QALYsF64(sh, ph, nhs, val, ix, ix2, ix3, add, 10, 2)
		for i := range qa {
			same(t, qa[i], qb[i], "QALYs")
		}

		ny := 1 + rng.IntN(12)
		shift := make([]float64, ny)
		for i := range shift {
			shift[i] = x()
		}
		lag, spread := rng.IntN(4), 1+rng.IntN(5)
		roi := rng.Float64() * 3
		out1, out2 := make([]f, ny), make([]float64, ny)
		Benefits(out1, fs(shift), f(roi), 1, f(spread), lag, spread, 10, 2)
		BenefitsF64(out2, shift, roi, 1, float64(spread), lag, spread, 10, 2)
		for i := range out1 {
			same(t, out1[i], out2[i], "Benefits")
		}

		amounts := []float64{x(), x(), x()}
		ruled := []bool{k%3 != 0, true, k%5 != 0}
		bound := x() * 3
		a1 := fs(amounts)
		r1 := HonourFloor(a1, ruled, f(bound), 2)
		r2 := HonourFloorF64(amounts, ruled, bound, 2)
		require.Equal(t, r1, r2, "HonourFloor")
		for i := range a1 {
			same(t, a1[i], amounts[i], "HonourFloor")
		}

		n := 1 + rng.IntN(8)
		shares, weights := make([]float64, n), make([]float64, n)
		fixed := make([]bool, n)
		for i := range n {
			shares[i], weights[i], fixed[i] = rng.Float64()/float64(n), x(), rng.IntN(4) == 0
		}
		total := x()
		parts1, parts2 := make([]f, n), make([]float64, n)
		rest1 := ShareOut(parts1, f(total), fs(shares), fixed, 2)
		rest2 := ShareOutF64(parts2, total, shares, fixed, 2)
		same(t, rest1, rest2, "ShareOut")
		ok1 := Proportional(parts1, rest1, fs(weights), fixed, 10)
		ok2 := ProportionalF64(parts2, rest2, weights, fixed, 10)
		require.Equal(t, ok1, ok2, "Proportional")
		for i := range parts1 {
			same(t, parts1[i], parts2[i], "ShareOut and Proportional")
		}
	}
}

var dec = decimal.RequireFromString

// TestLedgerForm checks the rules in decimal, as the ledger takes them, on
// figures worked by hand.
func TestLedgerForm(t *testing.T) {
	pol := Policy[decimal.Decimal]{AboveFraction: dec("0.25"), AboveCap: dec("0.005"), BelowFraction: dec("0.5"), BelowCap: dec("0.02")}
	// 1% above target: a quarter of it, -0.25%; 10% above: capped at -0.5%;
	// 1% below: half of it, +0.5%; 10% below: capped at +2%.
	for _, c := range []struct{ dft, want string }{{"0.01", "-0.0025"}, {"0.1", "-0.005"}, {"-0.01", "0.005"}, {"-0.1", "0.02"}, {"0", "0"}} {
		assert.True(t, Adjustment(dec(c.dft), pol, 10).Equal(dec(c.want)), "dft %s", c.dft)
	}
	// Base £1,010k against a target of £1,000k, growth 5%: 1% above
	// target, uplift £1,060.5k, before the round £1,060.5k x 0.9975 =
	// £1,057,848.75, target grown to £1,050k.
	one := decimal.NewFromInt(1)
	dft, uplift, pre, grown := Converge(dec("1010000"), dec("1000000"), dec("1.05"), one, pol, 10, 4)
	assert.Equal(t, "0.01 1060500 1057848.75 1050000", dft.String()+" "+uplift.String()+" "+pre.String()+" "+grown.String())
	// Additional money: the budget grows by the shift, treatment is the counterfactual's.
	b, s, tr := Split(dec("100"), dec("6"), dec("5"), true)
	assert.Equal(t, "101 1 95", b.String()+" "+s.String()+" "+tr.String())
	b, s, tr = Split(dec("100"), dec("6"), dec("5"), false)
	assert.Equal(t, "100 1 94", b.String()+" "+s.String()+" "+tr.String())
	// A return of 1:1 (ROI 1) over 2 years from 1 year after: £100 in year 0 pays £100 in each of years 1 and 2.
	out := make([]decimal.Decimal, 4)
	Benefits(out, []decimal.Decimal{dec("100"), dec("0"), dec("0"), dec("0")}, one, one, dec("2"), 1, 2, 10, 2)
	assert.Equal(t, []string{"0", "100", "100", "0"}, []string{out[0].String(), out[1].String(), out[2].String(), out[3].String()})
	// A floor of £10 over three years, one published at £4, the two ruled at
	// £2 and £1: they need £6 together, £4 and £2.
	amounts := []decimal.Decimal{dec("4"), dec("2"), dec("1")}
	require.True(t, HonourFloor(amounts, []bool{false, true, true}, dec("10"), 2))
	assert.Equal(t, "4 4 2", amounts[0].String()+" "+amounts[1].String()+" "+amounts[2].String())
	// In pennies the last takes the rest: 33p, 33p and 34p fall 1p short of
	// a floor of £1.01; 33p x 1.01 is 33.33p, 33p to the penny, so the last
	// takes 35p.
	amounts = []decimal.Decimal{dec("0.33"), dec("0.33"), dec("0.34")}
	require.True(t, HonourFloor(amounts, []bool{true, true, true}, dec("1.01"), 2))
	assert.Equal(t, "0.33 0.33 0.35", amounts[0].String()+" "+amounts[1].String()+" "+amounts[2].String())
	assert.False(t, HonourFloor(amounts, []bool{true, true, true}, dec("1"), 2), "the floor holds")
	// A grant of £100 over three ICBs, the second taking a published share
	// of 6.47%: £6.47; the rest, £93.53, by populations of 1, 0 (the second,
	// skipped) and 2: £31.176666...67 and £62.353333...33 to 10 places.
	parts := make([]decimal.Decimal, 3)
	rest := ShareOut(parts, dec("100"), []decimal.Decimal{dec("0.5"), dec("0.0647"), dec("0.5")}, []bool{false, true, false}, 2)
	assert.Equal(t, "93.53", rest.String())
	require.True(t, Proportional(parts, rest, []decimal.Decimal{dec("1"), dec("5"), dec("2")}, []bool{false, true, false}, 10))
	assert.Equal(t, "31.1766666667 6.47 62.3533333333", parts[0].String()+" "+parts[1].String()+" "+parts[2].String())
	assert.False(t, Proportional(parts, rest, []decimal.Decimal{dec("0"), dec("5"), dec("0")}, []bool{false, true, false}, 10), "weights adding up to zero")
	assert.Equal(t, "31.1766666667", parts[0].String(), "nothing set")
	// Restore: £3,460m in 2015/16 for 54.8m residents, to a year of index
	// 1.3 (2015/16: 1.0) and 57.1m residents: 3,460m x 1.3 x 57.1 / 54.8
	// = £4,686,784,671.53.
	assert.Equal(t, "4686784671.53", Restored(dec("3460000000"), dec("1.3"), dec("57100000"), one, dec("54800000"), 2).String())
	// A shift of £1m, £20k a QALY of public health spending and £15k of
	// NHS spending in prices of index 1.0, in a year of index 1.25: £25k
	// and £18.75k; 40 QALYs gained, 53.33 forgone within the envelope; net
	// -13.33, worth -13.33 x £70k (value prices of index 1.0) x 1.25.
	g, fo, n, w := QALYs(dec("1000000"), dec("20000"), dec("15000"), dec("70000"), dec("1.25"), one, one, true, 10, 2)
	assert.Equal(t, "40 53.3333333333 -13.3333333333 -1166666.67", g.String()+" "+fo.String()+" "+n.String()+" "+w.String())
	// 2% real growth and 3% inflation: 5.06% cash growth.
	assert.Equal(t, "0.0506", Compound(dec("0.02"), dec("0.03"), one, 10).String())
	// £100 of a year of index 0.8 in the prices of a year of index 0.9: £112.50.
	assert.Equal(t, "112.5", Rebase(dec("100"), dec("0.9"), dec("0.8"), 10).String())
	// One percentage point on a 5% share (add 0.01, times 1): 6%; a 20% rise (add 0, times 1.2): 6%.
	assert.Equal(t, "0.06 0.06", Share(dec("0.05"), dec("0.01"), one).String()+" "+Share(dec("0.05"), decimal.Zero, dec("1.2")).String())
	assert.True(t, Arrives(2, 2, 3) && Arrives(4, 2, 3) && !Arrives(1, 2, 3) && !Arrives(5, 2, 3), "from lag years after, for spread years")
}
