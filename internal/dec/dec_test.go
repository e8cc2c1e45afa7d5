package dec

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// same fails unless got is want in value and in exponent: a D must go on
// to the figures, and the formatting, of the decimal.Decimal it stands for.
func same(t *testing.T, what string, got D, want decimal.Decimal) {
	t.Helper()
	g := got.Decimal()
	if g.Cmp(want) != 0 || g.Exponent() != want.Exponent() || got.Exponent() != want.Exponent() {
		t.Fatalf("%s: got %s (exponent %d), decimal.Decimal gives %s (exponent %d)", what, g, g.Exponent(), want, want.Exponent())
	}
	if got.Sign() != want.Sign() {
		t.Fatalf("%s: sign %d, want %d", what, got.Sign(), want.Sign())
	}
}

// operand is a random decimal at the edges the fast form has: zero, small
// coefficients, those near 2^63, 2^64 and 2^127 and beyond, either sign,
// exponents either side of zero.
func operand(rng *rand.Rand) decimal.Decimal {
	var c *big.Int
	switch rng.IntN(8) {
	case 0:
		c = big.NewInt(0)
	case 1:
		c = big.NewInt(rng.Int64N(2000) - 1000)
	case 2, 3:
		c = big.NewInt(rng.Int64())
	default:
		// 1 to 140 bits, often just below or above a word or the limit
		n := []int{63, 64, 65, 126, 127, 128, 129}[rng.IntN(7)]
		if rng.IntN(2) == 0 {
			n = 1 + rng.IntN(140)
		}
		c = new(big.Int)
		for range 3 {
			c.Lsh(c, 64)
			c.Or(c, new(big.Int).SetUint64(rng.Uint64()))
		}
		top := new(big.Int).Lsh(big.NewInt(1), uint(n-1))
		c.Mod(c, top)
		c.Add(c, top) // n bits
		if rng.IntN(4) == 0 {
			c.Sub(c, big.NewInt(1))
		}
	}
	if rng.IntN(2) == 0 {
		c.Neg(c)
	}
	exp := int32(rng.IntN(41) - 20)
	if rng.IntN(3) == 0 {
		exp = int32(rng.IntN(5) - 4) // near the money scale, where exponents often match
	}
	return decimal.NewFromBigInt(c, exp)
}

func check(t *testing.T, a, b decimal.Decimal, places int32) {
	t.Helper()
	x, y := From(a), From(b)
	same(t, "From "+a.String(), x, a)
	same(t, a.String()+" + "+b.String(), x.Add(y), a.Add(b))
	same(t, a.String()+" - "+b.String(), x.Sub(y), a.Sub(b))
	same(t, a.String()+" x "+b.String(), x.Mul(y), a.Mul(b))
	same(t, "-"+a.String(), x.Neg(), a.Neg())
	same(t, "|"+a.String()+"|", x.Abs(), a.Abs())
	same(t, a.String()+" rounded", x.Round(places), a.Round(places))
	same(t, a.String()+" floor", x.Floor(), a.Floor())
	same(t, a.String()+" shifted", x.Shift(places), a.Shift(places))
	if !b.IsZero() {
		same(t, a.String()+" / "+b.String(), x.DivRound(y, places), a.DivRound(b, places))
	}
	if got, want := x.Cmp(y), a.Cmp(b); got != want {
		t.Fatalf("%s cmp %s: %d, want %d", a, b, got, want)
	}
	if got, want := x.GreaterThan(y), a.GreaterThan(b); got != want {
		t.Fatalf("%s > %s: %v, want %v", a, b, got, want)
	}
	i := a.Truncate(0).BigInt()
	if got, ok := x.Int64(); ok != i.IsInt64() || ok && got != i.Int64() {
		t.Fatalf("%s Int64: %d %v, want %s", a, got, ok, i)
	}
}

// TestSameAsDecimal checks every operation against decimal.Decimal's on
// random operands, in value and exponent.
func TestSameAsDecimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for range n {
		a, b := operand(rng), operand(rng)
		if rng.IntN(4) == 0 {
			b = a.Shift(int32(rng.IntN(5) - 2)) // operands of one size: halves and ties in rounding
		}
		check(t, a, b, int32(rng.IntN(30)-6))
	}
}

// TestTies checks halves, which round away from zero, at every size of
// divisor the fast form takes.
func TestTies(t *testing.T) {
	for k := int32(1); k <= 40; k++ {
		for _, c := range []int64{5, 15, 25, -5, -15, 4, 6, -4, -6} {
			a := decimal.New(c, -k)
			for places := int32(-2); places <= k; places++ {
				check(t, a, decimal.New(2, 0), places)
			}
		}
	}
	half := decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), 126), 0)
	check(t, half, decimal.New(2, 0), -38)
	check(t, decimal.New(1, 0), decimal.New(3, 0), 25)
	check(t, decimal.New(-1, 0), decimal.New(3, 0), 5)
	check(t, decimal.New(-2, 0), decimal.New(3, 0), 0)
}

// FuzzSameAsDecimal goes on from TestSameAsDecimal with the fuzzer's operands.
func FuzzSameAsDecimal(f *testing.F) {
	f.Add([]byte{1}, int64(1), int32(-2), []byte{3}, int64(-1), int32(0), int32(2))
	f.Fuzz(func(t *testing.T, ab []byte, as int64, ae int32, bb []byte, bs int64, be int32, places int32) {
		mk := func(b []byte, s int64, e int32) decimal.Decimal {
			if len(b) > 20 {
				b = b[:20]
			}
			c := new(big.Int).SetBytes(b)
			if s < 0 {
				c.Neg(c)
			}
			return decimal.NewFromBigInt(c, e%40)
		}
		check(t, mk(ab, as, ae), mk(bb, bs, be), places%40)
	})
}

// TestEdges: the most negative int64 is one, and zero at the far ends of
// the exponents adds at once.
func TestEdges(t *testing.T) {
	i, ok := New(math.MinInt64, 0).Int64()
	if !ok || i != math.MinInt64 {
		t.Fatalf("Int64 of MinInt64: %d %v", i, ok)
	}
	c, _, ok := New(math.MinInt64, 0).Coefficient64()
	if !ok || c != math.MinInt64 {
		t.Fatalf("Coefficient64 of MinInt64: %d %v", c, ok)
	}
	if _, ok := New(math.MaxInt64, 0).Add(New(1, 0)).Int64(); ok {
		t.Fatal("2^63 fits an int64")
	}
	z := New(0, math.MaxInt32).Add(New(1, math.MinInt32))
	same(t, "0e+max + 1e-min", z, decimal.New(1, math.MinInt32))
	if i, ok := New(0, math.MaxInt32).Int64(); !ok || i != 0 {
		t.Fatalf("0e+max Int64: %d %v", i, ok)
	}
}

// TestAddOneScale: sums and differences of amounts of one scale below
// 2^64 (the common case, added without scaling) carry past 2^64, cancel to
// a zero without a sign, and take the sign of the larger.
func TestAddOneScale(t *testing.T) {
	max64 := new(big.Int).SetUint64(math.MaxUint64)
	for _, c := range []struct{ a, b decimal.Decimal }{
		{decimal.NewFromBigInt(max64, -2), decimal.New(1, -2)},
		{decimal.NewFromBigInt(max64, -2), decimal.NewFromBigInt(max64, -2)},
		{decimal.NewFromBigInt(new(big.Int).Neg(max64), 3), decimal.New(-7, 3)},
		{decimal.New(123456, -2), decimal.New(123456, -2)},
		{decimal.New(-123456, -2), decimal.New(-123456, -2)},
		{decimal.New(-5, -2), decimal.New(3, -2)},
		{decimal.New(3, -2), decimal.New(-5, -2)},
		{decimal.New(0, -2), decimal.New(-5, -2)},
		{decimal.New(0, -2), decimal.New(0, -2)},
		{decimal.New(5, -2), decimal.New(3, -2)},
		{decimal.New(-5, -2), decimal.New(-3, -2)},
		{decimal.New(-3, -2), decimal.New(-5, -2)},
		{decimal.New(-5, -2), decimal.New(-5, -2)},
		{decimal.NewFromBigInt(max64, -2), decimal.NewFromBigInt(new(big.Int).Sub(max64, big.NewInt(1)), -2)},
	} {
		check(t, c.a, c.b, 2)
		if d := From(c.a).Sub(From(c.a)); d != New(0, c.a.Exponent()) {
			t.Fatalf("%s - itself: %+v, want zero without a sign", c.a, d)
		}
	}
}

// TestShiftOverflow: a shift past the int32 exponents panics, as
// decimal.Decimal's does, rather than wrapping to another number.
func TestShiftOverflow(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("1e(MaxInt32) shifted by 1 gave a number")
		}
	}()
	New(1, math.MaxInt32).Shift(1)
}

func TestZero(t *testing.T) {
	var z D
	same(t, "zero", z, decimal.Decimal{})
	same(t, "zero + 1", z.Add(New(1, 0)), decimal.Decimal{}.Add(decimal.New(1, 0)))
}

func BenchmarkMulRound(b *testing.B) {
	x, y := From(decimal.RequireFromString("123456789012.34")), From(decimal.RequireFromString("1.0312345678"))
	for b.Loop() {
		_ = x.Mul(y).Round(10)
	}
}

func BenchmarkDecimalMulRound(b *testing.B) {
	x, y := decimal.RequireFromString("123456789012.34"), decimal.RequireFromString("1.0312345678")
	for b.Loop() {
		_ = x.Mul(y).Round(10)
	}
}

// BenchmarkAdd: sums of money at one scale, as a ledger's totals are.
func BenchmarkAdd(b *testing.B) {
	xs := make([]D, 64)
	for i := range xs {
		xs[i] = New(int64(i)*123456789+1, -2)
	}
	for b.Loop() {
		s := New(0, -2)
		for _, x := range xs {
			s = s.Add(x)
		}
		sink = s
	}
}

var sink D

// TestDivLarge checks the division by a divisor of 2^64 or more against
// math/big's, on random magnitudes below 2^127 and at the edges: a
// divisor of exactly 2^64, one with its top bit set, a dividend below the
// divisor, equal to it, and the largest.
func TestDivLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	big128 := func(h, l uint64) *big.Int {
		return new(big.Int).Or(new(big.Int).Lsh(new(big.Int).SetUint64(h), 64), new(big.Int).SetUint64(l))
	}
	check := func(ah, al, bh, bl uint64) {
		t.Helper()
		q, rh, rl := divLarge(ah, al, bh, bl)
		wq, wr := new(big.Int).QuoRem(big128(ah, al), big128(bh, bl), new(big.Int))
		if !wq.IsUint64() || wq.Uint64() != q || big128(rh, rl).Cmp(wr) != 0 {
			t.Fatalf("%s / %s: %d r %s, want %s r %s", big128(ah, al), big128(bh, bl), q, big128(rh, rl), wq, wr)
		}
	}
	const top = 1<<63 - 1 // a fast magnitude's high word is below 2^63
	for _, c := range [][4]uint64{
		{0, 0, 1, 0}, {1, 0, 1, 0}, {0, math.MaxUint64, 1, 0}, {top, math.MaxUint64, 1, 0},
		{top, math.MaxUint64, top, math.MaxUint64}, {top, math.MaxUint64, top, math.MaxUint64 - 1},
		{top - 1, math.MaxUint64, top, math.MaxUint64}, {top, 0, 1, math.MaxUint64},
		{5, 7, 5, 8}, {5, 9, 5, 8}, {1 << 62, 0, 1<<62 + 1, 0}, {math.MaxUint64, math.MaxUint64, 1 << 63, 0},
	} {
		check(c[0], c[1], c[2], c[3])
	}
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	for range n {
		ah, al := rng.Uint64()>>(1+rng.IntN(64)), rng.Uint64()
		bh, bl := max(rng.Uint64()>>(1+rng.IntN(64)), 1), rng.Uint64()
		check(ah, al, bh, bl)
	}
}

// BenchmarkDivRoundLarge: an allocation to the pound over one grown to
// ten places (a convergence round's distance from target), whose divisor
// has more than 64 bits.
func BenchmarkDivRoundLarge(b *testing.B) {
	x, y := From(decimal.RequireFromString("12345670000")), From(decimal.RequireFromString("11987654321.1234567891"))
	for b.Loop() {
		sink = x.DivRound(y, 10)
	}
}
