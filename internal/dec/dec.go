// Package dec is exact decimal arithmetic for the ledger's inner loops:
// the numbers of github.com/shopspring/decimal, with its rounding and its
// exponents, held in 128 bits so that an operation allocates nothing.
//
// A D is a coefficient times a power of ten, as a decimal.Decimal is, and
// every operation gives the coefficient and exponent decimal.Decimal's
// gives for the same operands: Add and Sub at the smaller exponent, Mul
// at the sum of the exponents, Round and DivRound half away from zero at
// the places asked for. Each result is therefore the same number whichever
// of the two computed it, formats the same, and goes on to the same
// figures. A value whose coefficient does not fit (2^127 and beyond, or an
// intermediate that does not) is held as a decimal.Decimal and computed by
// it: slower, never different. TestSameAsDecimal checks each operation
// against decimal.Decimal on random operands, at the edges of the fast form
// too, and FuzzSameAsDecimal goes on from there.
//
// The zero D is 0 (exponent 0), as the zero decimal.Decimal is.
package dec

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/bits"

	"github.com/shopspring/decimal"
)

// D is an exact decimal number.
type D struct {
	hi, lo uint64 // the coefficient's magnitude, below 2^127, unless slow
	exp    int32
	neg    bool     // the coefficient is below zero (never for zero)
	slow   bool     // the coefficient is c: it does not fit
	c      *big.Int // never changed once made
}

// pow10 are the powers of ten that fit a uint64.
var pow10 = func() (t [20]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// New is c x 10^exp, as decimal.New.
func New(c int64, exp int32) D {
	if c < 0 {
		return D{lo: uint64(-c), neg: true, exp: exp} // -MinInt64 is 2^63 as a uint64
	}
	return D{lo: uint64(c), exp: exp}
}

// From is d as a D, without allocating where d's coefficient has at most
// 18 digits.
func From(d decimal.Decimal) D {
	if d.NumDigits() <= 18 {
		return New(d.CoefficientInt64(), d.Exponent())
	}
	c := d.Coefficient()
	if c.BitLen() > 126 {
		return D{slow: true, c: c, exp: d.Exponent()}
	}
	var b [16]byte
	new(big.Int).Abs(c).FillBytes(b[:])
	return D{hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:]), neg: c.Sign() < 0, exp: d.Exponent()}
}

// Decimal is x as a decimal.Decimal.
func (x D) Decimal() decimal.Decimal {
	if x.slow {
		return decimal.NewFromBigInt(x.c, x.exp)
	}
	if x.hi == 0 && x.lo <= math.MaxInt64 {
		c := int64(x.lo)
		if x.neg {
			c = -c
		}
		return decimal.New(c, x.exp)
	}
	c := new(big.Int).SetUint64(x.hi)
	c.Lsh(c, 64)
	c.Or(c, new(big.Int).SetUint64(x.lo))
	if x.neg {
		c.Neg(c)
	}
	return decimal.NewFromBigInt(c, x.exp)
}

// Exponent is x's exponent, as decimal.Decimal's.
func (x D) Exponent() int32 {
	return x.exp
}

// IsZero reports whether x is 0.
func (x D) IsZero() bool { return x.Sign() == 0 }

// Sign is -1, 0 or 1 as x is below, at or above zero.
func (x D) Sign() int {
	switch {
	case x.slow:
		return x.c.Sign()
	case x.hi == 0 && x.lo == 0:
		return 0
	case x.neg:
		return -1
	}
	return 1
}

// Neg is -x.
func (x D) Neg() D {
	if x.slow {
		return From(x.Decimal().Neg())
	}
	if x.hi != 0 || x.lo != 0 {
		x.neg = !x.neg
	}
	return x
}

// Abs is |x|.
func (x D) Abs() D {
	if x.slow {
		return From(x.Decimal().Abs())
	}
	x.neg = false
	return x
}

// limit is the bound of a fast coefficient's high word: magnitudes are
// below 2^127, so that two add up without overflowing.
const limit = 1 << 63

// mulSmall is m x k in 128 bits; ok is false if the product reaches 2^127.
func mulSmall(hi, lo, k uint64) (h, l uint64, ok bool) {
	h1, l1 := bits.Mul64(lo, k)
	h2, l2 := bits.Mul64(hi, k)
	h, c := bits.Add64(h1, l2, 0)
	if h2 != 0 || c != 0 || h >= limit {
		return 0, 0, false
	}
	return h, l1, true
}

// scaleUp is the magnitude times 10^k; ok is false if it reaches 2^127.
func scaleUp(hi, lo uint64, k int64) (uint64, uint64, bool) {
	if hi == 0 && lo == 0 {
		return 0, 0, true // zero at any scale, without counting up to it
	}
	for k > 0 {
		step := min(k, 19)
		var ok bool
		if hi, lo, ok = mulSmall(hi, lo, pow10[step]); !ok {
			return 0, 0, false
		}
		k -= step
	}
	return hi, lo, true
}

// divSmall is the magnitude divided by d (above zero): the quotient and the
// remainder.
func divSmall(hi, lo, d uint64) (qh, ql, r uint64) {
	qh, r = hi/d, hi%d
	ql, r = bits.Div64(r, lo, d)
	return qh, ql, r
}

// divLarge is the magnitude a divided by b, where b is 2^64 or more: the
// quotient (below 2^64) and the remainder. With b shifted up until its
// top bit is set, dividing half of a by b's top word estimates the
// quotient from above by at most one after the shift back; less one, the
// estimate is the quotient or one below it, and the remainder says which.
func divLarge(ah, al, bh, bl uint64) (q, rh, rl uint64) {
	n := uint(bits.LeadingZeros64(bh))
	top := bh<<n | bl>>(64-n)                      // b's top 64 bits (bl>>64 is 0 when n is 0)
	est, _ := bits.Div64(ah>>1, ah<<63|al>>1, top) // ah>>1 < 2^63 <= top
	q = est >> (63 - n)
	if q != 0 {
		q--
	}
	ph, pl := bits.Mul64(bl, q) // q x b, at most a: no carry out of 128 bits
	ph += bh * q
	rl, borrow := bits.Sub64(al, pl, 0)
	rh, _ = bits.Sub64(ah, ph, borrow)
	if cmpMag(rh, rl, bh, bl) >= 0 {
		q++
		rl, borrow = bits.Sub64(rl, bl, 0)
		rh, _ = bits.Sub64(rh, bh, borrow)
	}
	return q, rh, rl
}

// cmpMag compares two magnitudes.
func cmpMag(ah, al, bh, bl uint64) int {
	switch {
	case ah != bh:
		if ah < bh {
			return -1
		}
		return 1
	case al != bl:
		if al < bl {
			return -1
		}
		return 1
	}
	return 0
}

// mk is a fast D, or ok false if the magnitude reaches 2^127.
func mk(hi, lo uint64, neg bool, exp int32) (D, bool) {
	if hi >= limit {
		return D{}, false
	}
	return D{hi: hi, lo: lo, neg: neg && (hi != 0 || lo != 0), exp: exp}, true
}

// Add is x + y, at the smaller of their exponents.
func (x D) Add(y D) D {
	if x.exp == y.exp && x.hi|y.hi == 0 && x.neg == y.neg && !x.slow && !y.slow {
		// The usual case, first: amounts of one scale and sign below 2^64.
		l, c := bits.Add64(x.lo, y.lo, 0)
		return D{hi: c, lo: l, neg: x.neg && c|l != 0, exp: x.exp}
	}
	if z, ok := add(x, y, false); ok {
		return z
	}
	return From(x.Decimal().Add(y.Decimal()))
}

// Sub is x - y, at the smaller of their exponents.
func (x D) Sub(y D) D {
	if x.exp == y.exp && x.hi|y.hi == 0 && x.neg == y.neg && !x.slow && !y.slow && x.lo >= y.lo {
		// The usual case, first: a smaller amount of one scale and sign
		// below 2^64 taken from a larger.
		l := x.lo - y.lo
		return D{lo: l, neg: x.neg && l != 0, exp: x.exp}
	}
	if z, ok := add(x, y, true); ok {
		return z
	}
	return From(x.Decimal().Sub(y.Decimal()))
}

// add is x + y (x - y if sub) in the fast form, if it fits.
func add(x, y D, sub bool) (D, bool) {
	if x.slow || y.slow {
		return D{}, false
	}
	yneg := y.neg != sub
	if x.exp == y.exp && x.hi|y.hi == 0 {
		// Amounts of one scale below 2^64, as most sums of money are: no
		// scaling, and the sum below 2^65.
		if x.neg == yneg {
			l, c := bits.Add64(x.lo, y.lo, 0)
			return D{hi: c, lo: l, neg: x.neg && c|l != 0, exp: x.exp}, true
		}
		if x.lo >= y.lo {
			l := x.lo - y.lo
			return D{lo: l, neg: x.neg && l != 0, exp: x.exp}, true
		}
		return D{lo: y.lo - x.lo, neg: yneg, exp: x.exp}, true
	}
	e := min(x.exp, y.exp)
	xh, xl, ok1 := scaleUp(x.hi, x.lo, int64(x.exp)-int64(e))
	yh, yl, ok2 := scaleUp(y.hi, y.lo, int64(y.exp)-int64(e))
	if !ok1 || !ok2 {
		return D{}, false
	}
	if x.neg == yneg {
		l, c := bits.Add64(xl, yl, 0)
		h, _ := bits.Add64(xh, yh, c) // both below 2^127: no carry out
		return mk(h, l, x.neg, e)
	}
	if cmpMag(xh, xl, yh, yl) >= 0 {
		l, b := bits.Sub64(xl, yl, 0)
		h, _ := bits.Sub64(xh, yh, b)
		return mk(h, l, x.neg, e)
	}
	l, b := bits.Sub64(yl, xl, 0)
	h, _ := bits.Sub64(yh, xh, b)
	return mk(h, l, yneg, e)
}

// Mul is x x y, at the sum of their exponents.
func (x D) Mul(y D) D {
	e := int64(x.exp) + int64(y.exp)
	if !x.slow && !y.slow && e >= math.MinInt32 && e <= math.MaxInt32 {
		var h, l uint64
		ok := true
		switch {
		case x.hi == 0:
			h, l, ok = mulSmall(y.hi, y.lo, x.lo)
		case y.hi == 0:
			h, l, ok = mulSmall(x.hi, x.lo, y.lo)
		default:
			ok = false
		}
		if ok {
			z, _ := mk(h, l, x.neg != y.neg, int32(e))
			return z
		}
	}
	return From(x.Decimal().Mul(y.Decimal()))
}

// Round is x rounded half away from zero to places (below zero: to a
// multiple of 10^-places), with exponent -places, as decimal.Decimal's
// Round.
func (x D) Round(places int32) D {
	if x.slow {
		return From(x.Decimal().Round(places))
	}
	if x.exp == -places {
		return x
	}
	if places == math.MinInt32 {
		return From(x.Decimal().Round(places))
	}
	if k := int64(x.exp) + int64(places); k > 0 {
		if h, l, ok := scaleUp(x.hi, x.lo, k); ok {
			return D{hi: h, lo: l, neg: x.neg, exp: -places}
		}
		return From(x.Decimal().Round(places))
	}
	h, l, ok := roundDown(x.hi, x.lo, int64(-places)-int64(x.exp))
	if !ok {
		return From(x.Decimal().Round(places))
	}
	z, _ := mk(h, l, x.neg, -places)
	return z
}

// roundDown is the magnitude divided by 10^k (k above zero), rounded half
// up.
func roundDown(hi, lo uint64, k int64) (uint64, uint64, bool) {
	switch {
	case k <= 19:
		qh, ql, r := divSmall(hi, lo, pow10[k])
		if r >= pow10[k]-r {
			var c uint64
			ql, c = bits.Add64(ql, 1, 0)
			qh += c
		}
		return qh, ql, true
	case k <= 38:
		// 10^k = 10^19 x 10^(k-19): the remainder is r2 x 10^19 + r1,
		// and half of 10^k is 5 x 10^(k-20) x 10^19.
		qh, ql, _ := divSmall(hi, lo, pow10[19])
		qh, ql, r2 := divSmall(qh, ql, pow10[k-19])
		if r2 >= 5*pow10[k-20] {
			var c uint64
			ql, c = bits.Add64(ql, 1, 0)
			qh += c
		}
		return qh, ql, true
	}
	return 0, 0, true // below 2^127, far below half of 10^39
}

// DivRound is x / y rounded half away from zero to precision places, with
// exponent -precision, as decimal.Decimal's DivRound. It panics if y is
// zero, as decimal.Decimal's does.
func (x D) DivRound(y D, precision int32) D {
	if !x.slow && !y.slow && (y.hi != 0 || y.lo != 0) && precision != math.MinInt32 {
		e := int64(x.exp) - int64(y.exp) + int64(precision)
		ah, al, bh, bl := x.hi, x.lo, y.hi, y.lo
		ok := e >= math.MinInt32 && e <= math.MaxInt32
		if ok && e >= 0 {
			ah, al, ok = scaleUp(ah, al, e)
		} else if ok {
			bh, bl, ok = scaleUp(bh, bl, -e)
		}
		if ok && bh == 0 {
			qh, ql, r := divSmall(ah, al, bl)
			if r >= bl-r {
				var c uint64
				ql, c = bits.Add64(ql, 1, 0)
				qh += c
			}
			if z, ok := mk(qh, ql, x.neg != y.neg, -precision); ok {
				return z
			}
		} else if ok {
			// A divisor of more than 64 bits (money to ten places): the
			// quotient is below 2^64.
			q, rh, rl := divLarge(ah, al, bh, bl)
			dl, b := bits.Sub64(bl, rl, 0) // the divisor less the remainder
			dh, _ := bits.Sub64(bh, rh, b)
			qh := uint64(0)
			if cmpMag(rh, rl, dh, dl) >= 0 {
				var c uint64
				q, c = bits.Add64(q, 1, 0)
				qh = c
			}
			if z, ok := mk(qh, q, x.neg != y.neg, -precision); ok {
				return z
			}
		}
	}
	return From(x.Decimal().DivRound(y.Decimal(), precision))
}

// Floor is the greatest integer not above x, with exponent 0 (x itself if
// its exponent is 0 or more), as decimal.Decimal's Floor.
func (x D) Floor() D {
	if x.slow {
		return From(x.Decimal().Floor())
	}
	if x.exp >= 0 {
		return x
	}
	if k := -int64(x.exp); k <= 19 {
		qh, ql, r := divSmall(x.hi, x.lo, pow10[k])
		if x.neg && r != 0 {
			var c uint64
			ql, c = bits.Add64(ql, 1, 0)
			qh += c
		}
		z, _ := mk(qh, ql, x.neg, 0)
		return z
	}
	return From(x.Decimal().Floor())
}

// Cmp is -1, 0 or 1 as x is below, equal to or above y.
func (x D) Cmp(y D) int {
	if x.exp == y.exp && x.hi|y.hi == 0 && x.neg == y.neg && !x.slow && !y.slow {
		// One scale and sign below 2^64 (zero is never negative).
		c := cmpMag(0, x.lo, 0, y.lo)
		if x.neg {
			return -c
		}
		return c
	}
	if !x.slow && !y.slow {
		if sx, sy := x.Sign(), y.Sign(); sx != sy || sx == 0 {
			return cmpInt(sx, sy)
		}
		e := min(x.exp, y.exp)
		xh, xl, ok1 := scaleUp(x.hi, x.lo, int64(x.exp)-int64(e))
		yh, yl, ok2 := scaleUp(y.hi, y.lo, int64(y.exp)-int64(e))
		if ok1 && ok2 {
			c := cmpMag(xh, xl, yh, yl)
			if x.neg {
				return -c
			}
			return c
		}
	}
	return x.Decimal().Cmp(y.Decimal())
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Equal reports whether x and y are the same number.
func (x D) Equal(y D) bool { return x.Cmp(y) == 0 }

// GreaterThan reports whether x is above y.
func (x D) GreaterThan(y D) bool { return x.Cmp(y) > 0 }

// Int64 is x's integer part (truncated towards zero), and whether it fits an int64.
func (x D) Int64() (int64, bool) {
	if x.slow {
		i := x.Decimal().Truncate(0).BigInt()
		return i.Int64(), i.IsInt64()
	}
	h, l := x.hi, x.lo
	switch k := int64(x.exp); {
	case k < -38:
		h, l = 0, 0 // below 2^127 < 10^39: no integer part
	case k < 0:
		for ; k < 0; k += 19 {
			h, l, _ = divSmall(h, l, pow10[min(-k, 19)])
		}
	case k > 0:
		var ok bool
		if h, l, ok = scaleUp(h, l, k); !ok {
			return 0, false
		}
	}
	return signed(h, l, x.neg)
}

// signed is the magnitude with its sign as an int64, if it fits (down to
// math.MinInt64).
func signed(h, l uint64, neg bool) (int64, bool) {
	switch {
	case h != 0 || l > 1<<63 || l == 1<<63 && !neg:
		return 0, false
	case neg:
		return int64(-l), true // -2^63 as well
	}
	return int64(l), true
}

// Coefficient64 is x's coefficient and exponent, and whether the
// coefficient fits an int64 (x = c x 10^exp).
func (x D) Coefficient64() (c int64, exp int32, ok bool) {
	if x.slow {
		return 0, x.exp, false
	}
	c, ok = signed(x.hi, x.lo, x.neg)
	return c, x.exp, ok
}

// Shift is x x 10^shift: the same coefficient at exponent + shift, as
// decimal.Decimal's Shift.
func (x D) Shift(shift int32) D {
	if e := int64(x.exp) + int64(shift); x.slow || e < math.MinInt32 || e > math.MaxInt32 {
		return From(x.Decimal().Shift(shift)) // decimal.Decimal panics where the exponent overflows
	}
	x.exp += shift
	return x
}
