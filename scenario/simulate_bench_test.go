package scenario

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/upstream-health/upstream/budget/dataset"
)

// benchScenario is the hewitt scenario with four uncertain assumptions (as
// in examples/uncertainty).
func benchScenario() Scenario {
	d, _ := dataset.Embedded()
	s, _ := Find(d.Parameters, Hewitt)
	s.Uncertain = []Uncertain{
		{Assumption: UncertainRealGrowth, Distribution: Normal(0.03, 0.005)},
		{Assumption: UncertainInflation, Distribution: Normal(0.02, 0.005)},
		{Assumption: UncertainBaselineShare, Distribution: Triangular(0.03, 0.05, 0.07)},
		{Assumption: UncertainConvergence, Distribution: Uniform(0.1, 0.3)},
	}
	return s
}

func benchSimulate(b *testing.B, draws int, areas ...string) {
	d, err := dataset.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	s := benchScenario()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Simulate(d, s, &SimSettings{Draws: draws, Areas: areas}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSimulate100k: 100,000 draws of the hewitt scenario for 42 ICBs
// x 6 years, England bands, all cores.
func BenchmarkSimulate100k(b *testing.B) { benchSimulate(b, 100_000) }

// BenchmarkSimulate100kICB is the same with an ICB's bands too (NHS
// Essex ICB), so every ICB is projected in each draw.
func BenchmarkSimulate100kICB(b *testing.B) { benchSimulate(b, 100_000, "ENG", "D7T5G") }

// BenchmarkSimulate10k is the same with 10,000 draws, to show memory does
// not grow with draws.
func BenchmarkSimulate10k(b *testing.B) { benchSimulate(b, 10_000) }

// BenchmarkPlainLoop100k is the yardstick: the arithmetic of an ICB's
// bands for 100,000 draws as one plain float64 loop on one core, with no
// histograms, no workers and no per-draw structure: draw the four
// assumptions, project the three programme streams of the ICBs for the
// projected years, and split each ICB-year budget into prevention and
// treatment.
func BenchmarkPlainLoop100k(b *testing.B) {
	d, _ := dataset.Embedded()
	s := benchScenario()
	r := NewRunner(d)
	pl, err := r.compile(s)
	if err != nil {
		b.Fatal(err)
	}
	det, err := r.run(pl)
	if err != nil {
		b.Fatal(err)
	}
	fm, err := newFastModel(pl, det.Detail)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var sink float64
	for b.Loop() {
		sink += plainLoop(fm, 100_000)
	}
	_ = sink
}

func plainLoop(fm *fastModel, draws int) float64 {
	n, ny := fm.nICB, fm.nYears
	budgetB := make([]float64, n*ny)
	base := make([]float64, n)
	formula := make([]float64, n)
	grown := make([]float64, n)
	var total float64
	for i := 0; i < draws; i++ {
		rng := rand.New(rand.NewPCG(1, uint64(i)))
		real := 0.03 + 0.005*rng.NormFloat64()
		infl := 0.02 + 0.005*rng.NormFloat64()
		u := rng.Float64() // triangular(0.03, 0.05, 0.07) by inversion
		s0 := 0.03 + math.Sqrt(u*0.04*0.02)
		if u > 0.5 {
			s0 = 0.07 - math.Sqrt((1-u)*0.04*0.02)
		}
		conv := 0.1 + 0.2*rng.Float64()
		for k := range budgetB {
			budgetB[k] = 0
		}
		for si := range fm.streams {
			fs := &fm.streams[si]
			for a := 0; a < n; a++ {
				for y := 0; y < fm.firstProj; y++ {
					budgetB[a*ny+y] += fs.published[a][y]
				}
				formula[a], base[a], grown[a] = fs.formula[a], fs.formula[a]+fs.additions[a], fs.grown[a]
			}
			for y := fm.firstProj; y < ny; y++ {
				g := (1+real)*(1+infl) - 1
				var sb, sf float64
				for a := 0; a < n; a++ {
					sb += base[a]
					sf += formula[a]
				}
				f := sb / sf
				for a := 0; a < n; a++ {
					rec := base[a] * (1 + g)
					if fs.hasTarget {
						t := grown[a] * f
						dft := (base[a] - t) / t
						c := -math.Min(dft*conv, fs.aboveCap)
						if dft < 0 {
							c = math.Min(-dft*conv, fs.belowCap)
						}
						rec = base[a] * (1 + g) * (1 + c)
						grown[a] = t * (1 + g)
					}
					formula[a], base[a] = rec, rec
					items := 0.0
					for _, it := range fs.items[a] {
						items += it.amount
					}
					budgetB[a*ny+y] += rec + items
				}
			}
		}
		for a := 0; a < n; a++ {
			for y := 0; y < ny; y++ {
				b := budgetB[a*ny+y]
				share := fm.shareAdd[y] + fm.shareTimes[y]*s0
				total += b*share - b*s0
			}
		}
	}
	return total
}
