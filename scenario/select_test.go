package scenario

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKthLargest: the selection gives what a sort gives, ties included.
func TestKthLargest(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 2000; trial++ {
		n := 1 + rng.IntN(50)
		a := make([]float64, n)
		for i := range a {
			a[i] = float64(rng.IntN(8)) / 8 // many ties
			if trial%2 == 0 {
				a[i] = rng.Float64()
			}
		}
		want := slices.Clone(a)
		slices.Sort(want)
		slices.Reverse(want)
		k := 1 + rng.IntN(n)
		if got := kthLargest(slices.Clone(a), k); got != want[k-1] {
			t.Fatalf("%v: %d-th largest %v, want %v", a, k, got, want[k-1])
		}
	}
}

// TestLargestRemainderShortcut: the passes near a half give what the
// selection gives, for every k, on remainders with many ties.
func TestLargestRemainderShortcut(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 5000; trial++ {
		n := 1 + rng.IntN(40)
		rems := make([]float64, n)
		for i := range rems {
			rems[i] = float64(rng.IntN(10)) / 10
			if trial%3 == 0 {
				rems[i] = rng.Float64()
			}
		}
		k := 1 + rng.IntN(n-0)
		if k >= n {
			continue
		}
		fast, slow := make([]float64, n), make([]float64, n)
		scratch := make([]float64, n)
		if !nearHalf(fast, rems, scratch, k) {
			continue
		}
		// The selection, as largestRemainder does it without the shortcut.
		copy(scratch, rems)
		th := kthLargest(scratch, k)
		left := k
		for i := range slow {
			if rems[i] > th {
				slow[i]++
				left--
			}
		}
		for i := 0; i < n && left > 0; i++ {
			if rems[i] == th {
				slow[i]++
				left--
			}
		}
		if !slices.Equal(fast, slow) {
			t.Fatalf("rems %v k %d: shortcut %v, selection %v", rems, k, fast, slow)
		}
	}
}
