package scenario_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// randomScenario draws a scenario over the choices the model makes
// (settlement, deflator vintage, budget base, reading, profile, size,
// funding, baseline share and per-ICB shares, grant rule, horizon,
// benefits) with its uncertain assumptions fixed at the scenario's own
// values, so that Simulate must give exactly what Run gives.
func randomScenario(t testing.TB, cat []scenario.Scenario, rng *rand.Rand, i int) scenario.Scenario {
	t.Helper()
	s := cat[rng.IntN(len(cat))]
	s.Name = fmt.Sprintf("random-%d", i)
	s.Settlement = alloc.Settlements()[rng.IntN(len(alloc.Settlements()))]
	s.Deflator.Vintage = []string{"obr-2025-11", "obr-2025-03"}[rng.IntN(2)]
	s.BudgetBase = prevention.Bases()[rng.IntN(3)]
	s.Shift.Reading = prevention.Readings()[rng.IntN(len(prevention.Readings()))]
	s.Shift.Profile = prevention.Profiles()[rng.IntN(len(prevention.Profiles()))]
	if rng.IntN(5) == 0 {
		p, err := prevention.ParseProfile("custom:0.1,0.25,0.25,0.6,1")
		require.NoError(t, err)
		s.Shift.Profile = p
	}
	s.Shift.Size = decimal.NewFromInt(int64(rng.IntN(300))).Shift(-2)
	s.Funding = []prevention.Funding{prevention.WithinEnvelope, prevention.Additional}[rng.IntN(2)]
	share := decimal.NewFromInt(int64(100 + rng.IntN(900))).Shift(-4)
	s.Baseline = prevention.UserBaselineShare(budget.MustShare(share.String()), "random")
	if rng.IntN(4) == 0 {
		s.Baseline.PerICB = map[string]budget.Share{"QE1": budget.MustShare("0.0612"), "QOP": budget.MustShare("0.031")}
	}
	switch rng.IntN(4) {
	case 0:
		s.Grant = prevention.GrantRule{Kind: prevention.FlatReal}
	case 1:
		s.Grant = prevention.GrantRule{Kind: prevention.FlatCash}
	case 2:
		s.Grant = prevention.GrantRule{Kind: prevention.GrowCash, Rate: budget.MustRate(decimal.NewFromInt(int64(rng.IntN(50))).Shift(-3).String())}
	case 3:
		s.Grant = prevention.GrantRule{Kind: prevention.Restore2015}
	}
	s.Horizon = budget.MustYear([]string{"2028/29", "2030/31", "2033/34", "2034/35"}[rng.IntN(4)])
	if s.Horizon.Before(s.Shift.Span.Last()) { // the prospective scenario's shift runs to 2031/32
		s.Horizon = s.Shift.Span.Last()
	}
	s.PresentValueBase = []budget.Year{{}, budget.MustYear("2024/25")}[rng.IntN(2)]
	s.Benefits = nil
	if rng.IntN(2) == 0 {
		s.Benefits = &prevention.Benefits{Name: "random", ROI: decimal.NewFromInt(int64(rng.IntN(200))).Shift(-1), Lag: rng.IntN(4), Spread: 1 + rng.IntN(10), Source: "random"}
	}
	s.Uncertain = fixedAtOwnValues(t, s)
	if rng.IntN(3) == 0 {
		// A baseline share to 12 places: both ways take it at 10, so the
		// shift before the span is zero both ways (drawn last, so that the
		// draws above stay as the fuzz corpus found them).
		fine := share.Add(decimal.NewFromInt(int64(1 + rng.IntN(98))).Shift(-12))
		s.Baseline.Share = budget.MustShare(fine.String())
		ff, _ := fine.Float64()
		for i, u := range s.Uncertain {
			if u.Assumption == scenario.UncertainBaselineShare {
				s.Uncertain[i].Distribution = scenario.Fixed(ff)
			}
		}
	}
	return s
}

// fixedAtOwnValues are s's uncertain assumptions, each fixed at s's own
// value: the settlement's real growth, the baseline share, convergence of
// a fifth of the distance where the base converges (core and PMC; the
// programme base), and the benefits' return and lag.
func fixedAtOwnValues(t testing.TB, s scenario.Scenario) []scenario.Uncertain {
	t.Helper()
	sf, _ := s.Baseline.Share.Decimal().Float64()
	u := []scenario.Uncertain{
		{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Fixed(realGrowthOf(t, s.Settlement))},
		{Assumption: scenario.UncertainBaselineShare, Distribution: scenario.Fixed(sf)},
	}
	if s.BudgetBase.Name == "programme" { // core and PMC converge a fifth of the distance; specialised 0.13
		u = append(u, scenario.Uncertain{Assumption: scenario.UncertainConvergence, Distribution: scenario.Fixed(0.2)})
	}
	if s.Benefits != nil {
		roi, _ := s.Benefits.ROI.Float64()
		u = append(u,
			scenario.Uncertain{Assumption: scenario.UncertainROI, Distribution: scenario.Fixed(roi)},
			scenario.Uncertain{Assumption: scenario.UncertainLag, Distribution: scenario.Fixed(float64(s.Benefits.Lag))})
	}
	return u
}

// differ runs s both ways and reports every figure where Simulate (with
// its distributions fixed) and Run differ by more than a millionth of the
// figure (agrees).
func differ(t testing.TB, d *dataset.Data, s scenario.Scenario) []string {
	t.Helper()
	det, err := scenario.Run(d, s)
	require.NoError(t, err, s.Name)
	// With ICBs asked for, every ICB is projected; with England alone,
	// England is projected as one ICB.
	sim, err := scenario.Simulate(d, s, &scenario.SimSettings{Draws: 2, Areas: []string{"ENG", "QE1", "QOP"}})
	require.NoError(t, err, s.Name)
	eng, err := scenario.Simulate(d, s, &scenario.SimSettings{Draws: 2})
	require.NoError(t, err, s.Name)
	want := map[string]decimal.Decimal{}
	for _, rows := range [][]budget.Row{rowsOf(t, det), summaryOf(t, det)} {
		for _, r := range rows {
			want[r.Period+" "+r.Area+" "+string(r.Measure)+" "+r.Basis] = r.Value
		}
	}
	var out []string
	for _, b := range append(slices.Clone(sim.Bands), eng.Bands...) {
		if !strings.HasSuffix(string(b.Measure), "_p50") {
			continue
		}
		base := strings.TrimSuffix(string(b.Measure), "_p50")
		w, ok := want[b.Period+" "+b.Area+" "+string(base)+" "+b.Basis]
		if !ok {
			out = append(out, fmt.Sprintf("%s %s %s %s: not in Run", b.Period, b.Area, base, b.Basis))
			continue
		}
		if !agrees(b.Value, w, b.Unit) {
			out = append(out, fmt.Sprintf("%s %s %s %s: Simulate %s, Run %s", b.Period, b.Area, base, b.Basis, b.Value, w))
		}
	}
	return out
}

// TestSimulateEqualsRunOnRandomScenarios is the differential test of the
// two evaluators of the model: over random scenarios, Simulate with every
// distribution fixed at the scenario's values equals Run within a
// millionth of each figure. FuzzSimulateEqualsRun draws more.
func TestSimulateEqualsRunOnRandomScenarios(t *testing.T) {
	d := data(t)
	cat := catalogue(t)
	n := 120
	if testing.Short() {
		n = 20
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	for i := 0; i < n; i++ {
		s := randomScenario(t, cat, rng, i)
		if diffs := differ(t, d, s); len(diffs) > 0 {
			t.Fatalf("scenario %d (%s, %s, %s, %s, %s, %s, %s, horizon %s): %d figures differ, first: %s",
				i, s.Settlement, s.Deflator, s.BudgetBase, s.Shift.Reading, s.Shift.Profile, s.Grant, s.Funding, s.Horizon, len(diffs), diffs[0])
		}
	}
}

// TestSimulateEqualsRunOnTheCatalogue: each scenario of the catalogue as
// it stands, with its uncertain assumptions fixed at its own values,
// gives the same figures both ways, within a millionth of each.
func TestSimulateEqualsRunOnTheCatalogue(t *testing.T) {
	d := data(t)
	for _, s := range catalogue(t) {
		s.Uncertain = fixedAtOwnValues(t, s)
		if diffs := differ(t, d, s); len(diffs) > 0 {
			t.Errorf("%s: %d figures differ, first: %s", s.Name, len(diffs), diffs[0])
		}
	}
}

func FuzzSimulateEqualsRun(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(2026), uint64(11))
	d, cat := data(f), catalogue(f)
	f.Fuzz(func(t *testing.T, a, b uint64) {
		s := randomScenario(t, cat, rand.New(rand.NewPCG(a, b)), 0)
		if diffs := differ(t, d, s); len(diffs) > 0 {
			t.Fatalf("%d figures differ, first: %s", len(diffs), diffs[0])
		}
	})
}

// realGrowthOf is the real growth of a named settlement: the rate a drawn
// real growth fixed at it reproduces.
func realGrowthOf(t testing.TB, name alloc.SettlementName) float64 {
	t.Helper()
	st, err := alloc.NamedSettlement(data(t), name, "")
	require.NoError(t, err)
	return st.RealGrowth.Decimal().InexactFloat64()
}
