package prevention

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// slowApply is the penceDeflator's arithmetic in math/big alone.
func slowApply(d *penceDeflator, p int64) (int64, bool) {
	t := new(big.Int).Mul(big.NewInt(p), d.factor)
	q, rm := new(big.Int).QuoRem(t, &d.scale, new(big.Int))
	if rm.CmpAbs(&d.half) >= 0 {
		if t.Sign() < 0 {
			q.Sub(q, bigOne)
		} else {
			q.Add(q, bigOne)
		}
	}
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

// TestPenceDeflatorFastPath: the 128-bit path gives math/big's answer, to
// the penny and the half, on deflator factors at 20 places and amounts
// from pennies to £11 trillion of either sign, and on the halves exactly.
func TestPenceDeflatorFastPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		// Real-terms factors are near 1 (0.6 to 1.6); some far from it.
		f := decimal.New(rng.Int64N(1_000_000_000_000_000_000)+600_000_000_000_000_000, -18)
		if rng.IntN(10) == 0 { // up to 40, at 17 places
			f = decimal.New(rng.Int64N(4_000_000_000_000_000_000), -17)
		}
		d := newPenceDeflator(f)
		require.True(t, d.fast, f.String())
		for range 200 {
			p := rng.Int64N(1 << 50)
			if rng.IntN(3) == 0 {
				p = rng.Int64N(1_000_000)
			}
			if rng.IntN(2) == 0 {
				p = -p
			}
			got, ok := d.apply(budget.MoneyFromDecimal(decimal.New(p, -2)))
			want, wok := slowApply(d, p)
			require.Equal(t, wok, ok, "%s x %d", f, p)
			require.Equal(t, want, got, "%s x %d", f, p)
		}
	}
	// Exact halves round away from zero: 0.5 x 1p and 0.5 x 3p.
	d := newPenceDeflator(decimal.RequireFromString("0.5"))
	for p, want := range map[int64]int64{1: 1, -1: -1, 3: 2, -3: -2, 2: 1} {
		got, ok := d.apply(budget.MoneyFromDecimal(decimal.New(p, -2)))
		assert.True(t, ok)
		assert.Equal(t, want, got, "0.5 x %dp", p)
	}
	// Beyond the 128-bit path's bounds, math/big answers.
	wide := newPenceDeflator(decimal.New(1, 3)) // 1,000: 10^23, over 2^72
	assert.False(t, wide.fast)
	got, ok := wide.apply(budget.MoneyFromDecimal(decimal.New(123, -2)))
	assert.True(t, ok)
	assert.Equal(t, int64(123000), got)
}
