package scenario_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/clitest"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// settlementRealGrowth is the real growth of the default settlement from
// 2028/29 (settlement.sr2025.real_growth in the embedded parameters: the
// real growth the published 2026/27 and 2027/28 allocations imply).
func settlementRealGrowth(t testing.TB) float64 {
	t.Helper()
	v, err := data(t).Parameters.Decimal("settlement.sr2025.real_growth")
	require.NoError(t, err)
	return v.InexactFloat64()
}

// uncertain is the hewitt scenario with the uncertainty of the example
// program: real growth around the settlement's (sd 0.5 pp), inflation around
// 2% (the Bank of England target, sd 0.5 pp), a baseline share from 3% to
// 7% with 5% most likely (King's Fund ~5%, DH 4.0%), and convergence of a
// tenth to three tenths of the distance (2025/26: a fifth).
func uncertain(t testing.TB) scenario.Scenario {
	s := mustFind(t, scenario.Hewitt)
	s.Uncertain = []scenario.Uncertain{
		{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Normal(settlementRealGrowth(t), 0.005), Source: "settlement.sr2025.real_growth; sd assumed"},
		{Assumption: scenario.UncertainInflation, Distribution: scenario.Normal(0.02, 0.005), Source: "BoE 2% target; sd assumed"},
		{Assumption: scenario.UncertainBaselineShare, Distribution: scenario.Triangular(0.03, 0.05, 0.07), Source: "King's Fund ~5%, DH 4.0%"},
		{Assumption: scenario.UncertainConvergence, Distribution: scenario.Uniform(0.1, 0.3), Source: "2025/26 policy 0.2"},
	}
	return s
}

func bandsCSV(t *testing.T, sim *scenario.Simulation) string {
	var b bytes.Buffer
	require.NoError(t, budget.WriteRows(&b, append(sim.Bands, sim.TornadoRows...)))
	return b.String()
}

// TestDegenerateSimulateEqualsRun: with every distribution at a single
// value equal to the scenario's own assumption (the settlement's real growth, baseline
// share 5%, convergence 0.2), every band equals Run's figure.
func TestDegenerateSimulateEqualsRun(t *testing.T) {
	s := mustFind(t, scenario.Hewitt)
	s.Uncertain = []scenario.Uncertain{
		{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Fixed(settlementRealGrowth(t))},
		{Assumption: scenario.UncertainBaselineShare, Distribution: scenario.Fixed(0.05)},
		{Assumption: scenario.UncertainConvergence, Distribution: scenario.Fixed(0.2)},
	}
	det, err := scenario.Run(data(t), s)
	require.NoError(t, err)
	sim, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 200, Areas: []string{"ENG", "QE1"}})
	require.NoError(t, err)
	want := rowValues(rowsOf(t, det), summaryOf(t, det))
	checked := 0
	for _, b := range sim.Bands {
		base := b.Measure[:len(b.Measure)-len("_p10")]
		w, ok := want[b.Period+" "+b.Area+" "+string(base)+" "+b.Basis]
		require.True(t, ok, "Run has %s %s %s %s", b.Period, b.Area, base, b.Basis)
		assert.True(t, agrees(b.Value, w, b.Unit), "%s %s %s %s: simulated %s, Run %s", b.Period, b.Area, string(b.Measure), b.Basis, b.Value, w)
		checked++
	}
	assert.Greater(t, checked, 400)
}

func TestSimulateReproducible(t *testing.T) {
	s := uncertain(t)
	one, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 3000, Seed: 7, Workers: 1})
	require.NoError(t, err)
	two, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 3000, Seed: 7, Workers: 2})
	require.NoError(t, err)
	assert.Equal(t, bandsCSV(t, one), bandsCSV(t, two), "the same seed gives the same bytes with 1 and 2 workers")

	prev := runtime.GOMAXPROCS(1)
	single, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 3000, Seed: 7})
	runtime.GOMAXPROCS(prev)
	require.NoError(t, err)
	assert.Equal(t, bandsCSV(t, one), bandsCSV(t, single), "and with GOMAXPROCS=1")

	other, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 3000, Seed: 8})
	require.NoError(t, err)
	assert.NotEqual(t, bandsCSV(t, one), bandsCSV(t, other), "a different seed differs")
	assert.Equal(t, uint64(7), *one.Manifest.Seed)
	assert.Equal(t, 3000, one.Manifest.Draws)
	assert.Len(t, one.Manifest.Distributions, 4)
}

func TestBandsOrdered(t *testing.T) {
	sim, err := scenario.Simulate(data(t), uncertain(t), &scenario.SimSettings{Draws: 2000, Quantiles: []float64{0.05, 0.1, 0.5, 0.9, 0.95}, Areas: []string{"ENG", "QF7"}})
	require.NoError(t, err)
	byKey := map[string][]decimal.Decimal{}
	var order []string
	for _, b := range sim.Bands {
		k := b.Period + b.Area + string(b.Measure[:len(b.Measure)-len(suffixOf(string(b.Measure)))]) + b.Basis
		if _, ok := byKey[k]; !ok {
			order = append(order, k)
		}
		byKey[k] = append(byKey[k], b.Value)
	}
	for _, k := range order {
		vs := byKey[k]
		require.Len(t, vs, 5)
		for i := 1; i < len(vs); i++ {
			assert.True(t, vs[i-1].LessThanOrEqual(vs[i]), "%s: P%d > next (%v)", k, i, vs)
		}
	}
	// The 2028/29 England shift varies with the baseline share: its 80%
	// interval is wide, and the +1 pp of a share moves about £1.6bn.
	var p10, p90 decimal.Decimal
	for _, b := range sim.Bands {
		if b.Period == "2028/29" && b.Area == "ENG" && b.Basis == "cash" {
			switch b.Measure {
			case "prevention_shift_p10":
				p10 = b.Value
			case "prevention_shift_p90":
				p90 = b.Value
			}
		}
	}
	assert.True(t, p10.GreaterThan(decimal.RequireFromString("1400000000")) && p90.LessThan(decimal.RequireFromString("1900000000")), "P10 %s P90 %s", p10, p90)
	assert.True(t, p90.Sub(p10).GreaterThan(decimal.RequireFromString("10000000")))
}

func suffixOf(m string) string {
	for i := len(m) - 1; i >= 0; i-- {
		if m[i] == '_' {
			return m[i:]
		}
	}
	return ""
}

func TestTornado(t *testing.T) {
	sim, err := scenario.Simulate(data(t), uncertain(t), &scenario.SimSettings{Draws: 100})
	require.NoError(t, err)
	require.Len(t, sim.Tornado, 4)
	for i := 1; i < len(sim.Tornado); i++ {
		assert.GreaterOrEqual(t, sim.Tornado[i-1].Swing, sim.Tornado[i].Swing, "sorted by swing")
	}
	require.Len(t, sim.TornadoRows, 8)
	assert.Equal(t, budget.Measure("tornado_"+sim.Tornado[0].Assumption+"_low"), sim.TornadoRows[0].Measure)
	assert.Equal(t, "2024/25-2028/29", sim.TornadoRows[0].Period)
	// The baseline share does not change the points reading's shift
	// (s0 + 1 pp - s0), so its bar is flat but for the share's rounding to
	// 10 places (half of 1e-10 of each year's England budget of about
	// £150bn: under £8 a year, £40 over five); growth moves the budget it
	// applies to.
	for _, b := range sim.Tornado {
		if b.Assumption == scenario.UncertainBaselineShare {
			assert.InDelta(t, b.Low, b.High, 40, "s0 cancels under the points reading")
		}
		if b.Assumption == scenario.UncertainRealGrowth {
			assert.Greater(t, b.High, b.Low, "more growth, a bigger budget, a bigger shift")
		}
	}
}

// An ICB's tornado describes that ICB: its rows carry its code, and the
// ICBs' central shifts add up to England's (the shift is shared out, not
// scaled).
func TestTornadoForAnICB(t *testing.T) {
	d, s := data(t), uncertain(t)
	eng, err := scenario.Simulate(d, s, &scenario.SimSettings{Draws: 1})
	require.NoError(t, err)
	det, err := scenario.Run(d, s)
	require.NoError(t, err)
	sum := 0.0
	for _, icb := range det.Detail.Areas() {
		if icb.Code == "ENG" {
			continue
		}
		sim, err := scenario.Simulate(d, s, &scenario.SimSettings{Draws: 1, TornadoArea: icb.Code})
		require.NoError(t, err)
		require.NotEmpty(t, sim.TornadoRows)
		for _, r := range sim.TornadoRows {
			require.Equal(t, icb.Code, r.Area)
			require.Equal(t, icb.Name, r.AreaName)
		}
		sum += sim.Tornado[0].Central
	}
	assert.InDelta(t, eng.Tornado[0].Central, sum, 1, "ICBs' central shifts add up to England's")
	_, err = scenario.Simulate(d, s, &scenario.SimSettings{Draws: 1, TornadoArea: "Q99"})
	assert.ErrorIs(t, err, budget.ErrUnknown)
}

func TestSimulateErrors(t *testing.T) {
	s := uncertain(t)
	_, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: -5})
	assert.ErrorIs(t, err, budget.ErrRange)
	_, err = scenario.Simulate(data(t), s, &scenario.SimSettings{Quantiles: []float64{0.5, 1.2}})
	assert.ErrorIs(t, err, budget.ErrRange)
	_, err = scenario.Simulate(data(t), s, &scenario.SimSettings{Areas: []string{"XYZ"}})
	assert.ErrorIs(t, err, budget.ErrUnknown)
	_, err = scenario.Simulate(data(t), s, &scenario.SimSettings{Tornado: "budget"})
	assert.ErrorIs(t, err, budget.ErrUnknown)
	s.Uncertain = append(s.Uncertain, scenario.Uncertain{Assumption: scenario.UncertainROI, Distribution: scenario.Uniform(2, 6)})
	_, err = scenario.Simulate(data(t), s, nil)
	assert.ErrorIs(t, err, budget.ErrRange, "ROI without benefits")
	s.Benefits = masters(t)
	_, err = scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 50})
	assert.NoError(t, err)
	bad := uncertain(t)
	bad.Uncertain[0].Distribution = scenario.Normal(0.03, -1)
	_, err = scenario.Simulate(data(t), bad, nil)
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), "standard deviation -1")
}

// TestConcurrentRunsAndSimulations runs scenarios and simulations at the
// same time, on one shared runner and on separate ones, and checks each
// gives the bytes it gives alone (go test -race checks the sharing).
func TestConcurrentRunsAndSimulations(t *testing.T) {
	cat := catalogue(t)
	want := make([]string, len(cat))
	for i, s := range cat {
		s.Uncertain = uncertain(t).Uncertain
		sim, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 300, Workers: 1})
		require.NoError(t, err)
		want[i] = bandsCSV(t, sim)
	}
	shared := scenario.NewRunner(data(t))
	got := make([]string, 3*len(cat))
	errs := make([]error, 3*len(cat))
	done := make(chan struct{})
	for k := 0; k < 3*len(cat); k++ {
		go func() {
			defer func() { done <- struct{}{} }()
			s := cat[k%len(cat)]
			s.Uncertain = uncertain(t).Uncertain
			r := shared
			if k%2 == 1 {
				r = scenario.NewRunner(data(t))
			}
			if _, err := r.Run(s); err != nil {
				errs[k] = err
				return
			}
			sim, err := r.Simulate(s, &scenario.SimSettings{Draws: 300, Workers: 2})
			if err != nil {
				errs[k] = err
				return
			}
			var b bytes.Buffer
			errs[k] = budget.WriteRows(&b, append(sim.Bands, sim.TornadoRows...))
			got[k] = b.String()
		}()
	}
	for range 3 * len(cat) {
		<-done
	}
	for k := range got {
		require.NoError(t, errs[k])
		assert.Equal(t, want[k%len(cat)], got[k], "run %d", k)
	}
}

// TestSimulateProgress: Progress is told how many draws are done, rising,
// ending at the total, and the results do not change with it.
func TestSimulateProgress(t *testing.T) {
	s := uncertain(t)
	var calls []int
	with, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 5000, Seed: 3, Progress: func(done, total int) {
		assert.Equal(t, 5000, total)
		calls = append(calls, done)
	}})
	require.NoError(t, err)
	require.NotEmpty(t, calls)
	assert.Equal(t, 5000, calls[len(calls)-1])
	for i := 1; i < len(calls); i++ {
		assert.GreaterOrEqual(t, calls[i], calls[i-1])
	}
	without, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 5000, Seed: 3})
	require.NoError(t, err)
	assert.Equal(t, bandsCSV(t, without), bandsCSV(t, with))
}

// TestDegenerateSimulateForACouncil: with every distribution at the
// scenario's own value, a council's bands equal Runner.Council's figures
// (Redbridge: 2.47% of its patients in NHS Essex ICB, the rest in North
// East London [F4]), to a penny or two a part, and its tornado names it.
func TestDegenerateSimulateForACouncil(t *testing.T) {
	s := mustFind(t, scenario.Hewitt)
	s.Uncertain = []scenario.Uncertain{
		{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Fixed(settlementRealGrowth(t))},
		{Assumption: scenario.UncertainBaselineShare, Distribution: scenario.Fixed(0.05)},
		{Assumption: scenario.UncertainConvergence, Distribution: scenario.Fixed(0.2)},
	}
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	redbridge, err := x.FindCouncil(dataset.Footprint2026, "redbridge")
	require.NoError(t, err)
	require.Len(t, redbridge.Parts, 2)
	r := scenario.NewRunner(data(t))
	det, err := r.Run(s)
	require.NoError(t, err)
	cr, err := r.Council(det, redbridge)
	require.NoError(t, err)
	sim, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 50, Councils: []dataset.Council{redbridge}, TornadoArea: redbridge.Code})
	require.NoError(t, err)
	want := rowValues(rowsOf(t, cr), summaryOf(t, cr))
	checked := 0
	for _, b := range sim.Bands {
		if b.Area != redbridge.Code {
			continue
		}
		base := b.Measure[:len(b.Measure)-len("_p10")]
		w, ok := want[b.Period+" "+b.Area+" "+string(base)+" "+b.Basis]
		require.True(t, ok, "the council view has %s %s %s", b.Period, base, b.Basis)
		assert.True(t, agrees(b.Value, w, b.Unit), "%s %s %s: simulated %s, council view %s", b.Period, string(b.Measure), b.Basis, b.Value, w)
		checked++
	}
	assert.Greater(t, checked, 100)
	require.NotEmpty(t, sim.TornadoRows)
	assert.Equal(t, "Redbridge", sim.TornadoRows[0].AreaName)
}

// TestCouncilsInAScenario: a scenario's council allocations (2025/26, the
// grant of £3,858m [PHG-21] split by registered population) give the
// ICBs' grants in Run, are written and read back, and Simulate follows
// them: with every distribution fixed its ICB grants equal Run's.
func TestCouncilsInAScenario(t *testing.T) {
	amounts, err := prevention.ReadCouncilAmounts(strings.NewReader(clitest.CouncilFile(t)), "councils.csv")
	require.NoError(t, err)
	s := mustFind(t, scenario.Hewitt)
	s.Councils = &scenario.Councils{Allocations: amounts, Source: "test: England's grant by registered population"}
	var b bytes.Buffer
	require.NoError(t, scenario.Write(&b, s))
	back, err := scenario.Read(&b, "councils.json", params(t))
	require.NoError(t, err)
	assert.Equal(t, s.Hash(), back.Hash())
	assert.NotEqual(t, mustFind(t, scenario.Hewitt).Hash(), s.Hash(), "the councils are hashed")
	det, err := scenario.Run(data(t), back)
	require.NoError(t, err)
	assert.Contains(t, det.Manifest.Councils, "153 allocations, 2025/26")
	y26, y27 := budget.MustYear("2025/26"), budget.MustYear("2026/27")
	v, err := det.Detail.Values("QSL", y26)
	require.NoError(t, err)
	assert.True(t, v.GrantFromCouncils)
	v27, err := det.Detail.Values("QSL", y27)
	require.NoError(t, err)
	assert.Equal(t, y26, v27.GrantHeldFrom)
	changes := scenario.AssumptionChanges(mustFind(t, scenario.Hewitt), back)
	require.NotEmpty(t, changes)
	var keys []string
	for _, c := range changes {
		keys = append(keys, c.Key)
	}
	assert.Contains(t, keys, "councils.allocations")
	assert.Less(t, len(changes), 10, "one line for the allocations, not one for each council: %v", keys)

	back.Uncertain = []scenario.Uncertain{
		{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Fixed(settlementRealGrowth(t))},
		{Assumption: scenario.UncertainBaselineShare, Distribution: scenario.Fixed(0.05)},
		{Assumption: scenario.UncertainConvergence, Distribution: scenario.Fixed(0.2)},
	}
	sim, err := scenario.Simulate(data(t), back, &scenario.SimSettings{Draws: 20, Areas: []string{"ENG", "QSL"}})
	require.NoError(t, err)
	det, err = scenario.Run(data(t), back)
	require.NoError(t, err)
	want := rowValues(rowsOf(t, det))
	checked := 0
	for _, band := range sim.Bands {
		if band.Measure != "public_health_grant_p50" || band.Basis != "cash" {
			continue
		}
		w := want[band.Period+" "+band.Area+" public_health_grant cash"]
		assert.True(t, band.Value.Sub(w).Abs().LessThanOrEqual(decimal.RequireFromString("0.02")), "%s %s: simulated %s, Run %s", band.Period, band.Area, band.Value, w)
		checked++
	}
	assert.Equal(t, 12, checked)
}

// TestDegenerateSimulateQALYs: with every distribution fixed at the
// scenario's values, the costs per QALY at their central estimates
// [MARTIN-2020], the net QALYs' bands equal Run's, year by year and over
// the window, and the tornado can describe them.
func TestDegenerateSimulateQALYs(t *testing.T) {
	s := mustFind(t, scenario.Hewitt)
	q, err := prevention.QALYsPreset(params(t))
	require.NoError(t, err)
	s.QALYs = &q
	s.Uncertain = []scenario.Uncertain{
		{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Fixed(settlementRealGrowth(t))},
		{Assumption: scenario.UncertainBaselineShare, Distribution: scenario.Fixed(0.05)},
		{Assumption: scenario.UncertainQALYCostPublicHealth, Distribution: scenario.Fixed(3800)},
		{Assumption: scenario.UncertainQALYCostNHS, Distribution: scenario.Fixed(13500)},
	}
	det, err := scenario.Run(data(t), s)
	require.NoError(t, err)
	sim, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 20, Areas: []string{"ENG", "QE1"}, Tornado: "qalys_net_total"})
	require.NoError(t, err)
	want := rowValues(rowsOf(t, det), summaryOf(t, det))
	checked := 0
	for _, b := range sim.Bands {
		if !strings.HasPrefix(string(b.Measure), "qalys_") {
			continue
		}
		base := b.Measure[:len(b.Measure)-len("_p10")]
		w, ok := want[b.Period+" "+b.Area+" "+string(base)+" "+b.Basis]
		require.True(t, ok, "Run has %s %s %s %s", b.Period, b.Area, base, b.Basis)
		assert.True(t, agrees(b.Value, w, b.Unit), "%s %s %s: simulated %s, Run %s", b.Period, b.Area, string(b.Measure), b.Value, w)
		checked++
	}
	assert.Greater(t, checked, 60)
	require.NotEmpty(t, sim.TornadoRows)
	assert.Equal(t, budget.UnitQALY, sim.TornadoRows[0].Unit)
	// The costs drawn with no QALYs to value are refused.
	s.QALYs = nil
	_, err = scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 1})
	assert.ErrorIs(t, err, budget.ErrRange)
}

// rowValues indexes rows' values by "period area measure basis".
func rowValues(sets ...[]budget.Row) map[string]decimal.Decimal {
	want := map[string]decimal.Decimal{}
	for _, rows := range sets {
		for _, r := range rows {
			want[r.Period+" "+r.Area+" "+string(r.Measure)+" "+r.Basis] = r.Value
		}
	}
	return want
}

// agrees says a simulated figure is the ledger's within a millionth of it:
// the float evaluator follows the ledger's rules without its rounding (the
// penny, £1k allocations, largest remainders), so the two differ by the
// rounding, far less than a histogram's bin. For small figures the floor
// is Run's own rounding: England's money is the sum of up to 42 ICBs'
// figures, each rounded to the penny (a fuzz case found a £35,554 shift
// 4p apart), and a window's total or present value adds up to ten years of
// them, so 42 x 10 x 1p = £4.20; a hundredth of a QALY.
func agrees(sim, run decimal.Decimal, unit budget.Unit) bool {
	floor := decimal.New(1, -2) // QALYs are written to two places
	if unit == budget.UnitGBP {
		floor = decimal.RequireFromString("4.20")
	} else if unit != budget.UnitQALY {
		floor = decimal.New(1, -9)
	}
	return sim.Sub(run).Abs().LessThanOrEqual(decimal.Max(run.Abs().Shift(-6), floor))
}
