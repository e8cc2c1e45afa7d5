package alloc

import (
	"math/rand/v2"
	"testing"

	"github.com/upstream-health/upstream/internal/dec"
)

// roundOneByOne is roundWithin's sharing of the units still needed as it
// was written first, a unit at a time: the reference for the whole passes
// shareUnits takes at once.
func roundOneByOne(pre []dec.D, sum, sumPre dec.D, places int32) (parts []dec.D, passes int64) {
	units, order, k := unitsWithin(pre, sum, sumPre, places)
	n := len(units)
	passes = max(k, -k) / int64(n)
	for k != 0 {
		for _, i := range order {
			if k > 0 {
				units[i], k = units[i].Add(oneDec), k-1
			}
		}
		for j := n - 1; j >= 0 && k < 0; j-- {
			units[order[j]], k = units[order[j]].Sub(oneDec), k+1
		}
	}
	return inUnits(units, places), passes
}

// TestRoundWithinWholePasses: amounts far beyond any budget (£10^19 an
// ICB, as a file off by 10^9 gives) leave more units to share than parts; roundWithin
// shares them in whole passes, and its parts are the one-by-one sharing's,
// in value and scale, adding up to the total rounded to the unit. Amounts
// of a real size check the usual case.
func TestRoundWithinWholePasses(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	whole := 0 // cases with a whole pass to share
	for k := range 40 {
		n := 1 + rng.IntN(45)
		scale := int32(10) // £10^10 an ICB, or
		if k%2 == 0 {
			scale = 19 // £10^19, and more units to share than parts
		}
		pre := make([]dec.D, n)
		var sumPre dec.D
		for i := range pre {
			pre[i] = dec.New(rng.Int64N(1<<62), scale-18).Round(upliftScale)
			sumPre = sumPre.Add(pre[i])
		}
		if sumPre.Sign() == 0 {
			continue
		}
		sum := sumPre.Add(dec.New(rng.Int64N(1<<40)-1<<39, scale-18)) // the uplifted sum, a little off the parts'
		if sum.Sign() <= 0 {
			continue
		}
		for _, places := range []int32{3, 0} {
			got := roundWithin(pre, sum, sumPre, places)
			want, passes := roundOneByOne(pre, sum, sumPre, places)
			if passes > 0 {
				whole++
			}
			var total dec.D
			for i := range got {
				if !got[i].Equal(want[i]) || got[i].Exponent() != want[i].Exponent() {
					t.Fatalf("case %d, %d places, part %d: %s, one by one %s", k, places, i, got[i].Decimal(), want[i].Decimal())
				}
				total = total.Add(got[i])
			}
			if !total.Equal(sum.Round(-places)) {
				t.Fatalf("case %d: parts add up to %s, want %s", k, total.Decimal(), sum.Round(-places).Decimal())
			}
		}
	}
	if whole == 0 {
		t.Fatal("no case had a whole pass of units to share")
	}
	t.Logf("%d cases with whole passes", whole)
}
