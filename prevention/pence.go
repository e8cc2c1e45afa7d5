package prevention

import (
	"math/bits"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
)

// pennyShare is m.MulShare(s).Round(2), the ledger's rule for a share of a
// budget (prevention spending, the counterfactual): the product rounded
// half away from zero to budget.WorkingScale places, then to the penny.
// For an amount in whole pence under 2^50 (£11 trillion) and a share of at
// most 10 places under 2^40 x 10^-10 it takes a 128-bit path with the same
// two roundings, and allocates only the result
// (TestPennyShareIsMulShareRound); otherwise, the decimal one.
func pennyShare(m budget.Money, s budget.Share) budget.Money {
	if v, ok := pennyShareInt(m, s.Decimal()); ok {
		return budget.MoneyFromDecimal(decimal.New(v, -2))
	}
	return m.MulShare(s).Round(2)
}

func pennyShareInt(m budget.Money, s decimal.Decimal) (int64, bool) {
	p, ok := m.WholePence()
	if !ok {
		return 0, false
	}
	sc, ok := tenPlaces(s)
	if !ok {
		return 0, false
	}
	neg := (p < 0) != (sc < 0)
	mp, ms := uint64(p), uint64(sc)
	if p < 0 {
		mp = uint64(-p)
	}
	if sc < 0 {
		ms = uint64(-sc)
	}
	if mp >= 1<<50 || ms >= 1<<40 {
		return 0, false
	}
	// p pence x sc x 10^-10 is the product in pence at 10 places: round it
	// to 8 places (WorkingScale places of a pound), then to 0.
	hi, lo := bits.Mul64(mp, ms) // < 2^90
	hi, lo = divHalfUp(hi, lo, 100)
	hi, lo = divHalfUp(hi, lo, 100_000_000)
	if hi != 0 || lo > 1<<62 {
		return 0, false
	}
	if neg {
		return -int64(lo), true
	}
	return int64(lo), true
}

// divHalfUp is (hi x 2^64 + lo) / d rounded half up, for d > 0.
func divHalfUp(hi, lo, d uint64) (qhi, qlo uint64) {
	qhi, r := hi/d, hi%d
	qlo, r = bits.Div64(r, lo, d)
	if r >= d-r { // r >= d/2, exactly
		qlo++
		if qlo == 0 {
			qhi++
		}
	}
	return qhi, qlo
}

// tenPlaces is d x 10^10 as an int64, if d has at most 10 places and the
// result fits.
func tenPlaces(d decimal.Decimal) (int64, bool) {
	exp := d.Exponent()
	if exp < -10 || exp > 0 || d.NumDigits() > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	for ; exp > -10; exp-- {
		if c > 1<<59 || c < -(1<<59) {
			return 0, false
		}
		c *= 10
	}
	return c, true
}
