package scenario_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// TestNoPanicOnMisuse: API misuse gets typed errors.
func TestNoPanicOnMisuse(t *testing.T) {
	s := mustFind(t, scenario.Hewitt)
	require.NotPanics(t, func() {
		_, err := scenario.Run(nil, s)
		assert.ErrorIs(t, err, budget.ErrNoData)
		_, err = scenario.Simulate(nil, s, nil)
		assert.ErrorIs(t, err, budget.ErrNoData)
		_, err = scenario.Compare(nil, nil)
		assert.ErrorIs(t, err, budget.ErrNoData)
		assert.ErrorIs(t, s.Validate(nil), budget.ErrNoData)
		var r *scenario.Runner
		_, err = r.Run(s)
		assert.ErrorIs(t, err, budget.ErrNoData)
		_, err = scenario.Read(nil, "nil.json", params(t))
		assert.ErrorIs(t, err, budget.ErrFormat)
		_, err = scenario.Load(nil, "nil.json", data(t))
		assert.ErrorIs(t, err, budget.ErrFormat)
		_, err = prevention.ReadCouncilGrant(nil, "councils.csv")
		assert.ErrorIs(t, err, budget.ErrFormat)
	})
}

// TestUncertainDomains: a distribution that can draw a value the scenario
// itself could not hold is refused at Validate, naming the assumption; so
// are the inputs that once crashed a simulation.
func TestUncertainDomains(t *testing.T) {
	for _, tc := range []struct {
		u    scenario.Uncertain
		want string
	}{
		{scenario.Uncertain{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Normal(0.03, 1e300)}, "uncertain real_growth: normal(0.03, 1e+300) draws from"},
		{scenario.Uncertain{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Fixed(3)}, "want [-0.2, 0.2] (a fraction a year: 0.03 is 3%)"},
		{scenario.Uncertain{Assumption: scenario.UncertainInflation, Distribution: scenario.Normal(0, 10)}, "uncertain inflation"},
		{scenario.Uncertain{Assumption: scenario.UncertainBaselineShare, Distribution: scenario.Fixed(-0.5)}, "uncertain baseline_share: fixed(-0.5)"},
		{scenario.Uncertain{Assumption: scenario.UncertainBaselineShare, Distribution: scenario.Fixed(2)}, "want [0, 1)"},
		{scenario.Uncertain{Assumption: scenario.UncertainConvergence, Distribution: scenario.Uniform(0.5, 1.5)}, "uncertain convergence"},
		{scenario.Uncertain{Assumption: scenario.UncertainROI, Distribution: scenario.LogNormal(1000, 1)}, "uncertain roi: lognormal(1000, 1)"},
		{scenario.Uncertain{Assumption: scenario.UncertainROI, Distribution: scenario.Fixed(1e100)}, "uncertain roi: fixed(1e+100)"},
		{scenario.Uncertain{Assumption: scenario.UncertainLag, Distribution: scenario.Triangular(-1, 2, 4)}, "uncertain lag"},
	} {
		err := tc.u.Validate()
		require.Error(t, err, tc.want)
		assert.ErrorIs(t, err, budget.ErrRange)
		assert.Contains(t, err.Error(), tc.want)
		s := mustFind(t, scenario.Hewitt)
		s.Benefits = masters(t)
		s.Uncertain = []scenario.Uncertain{tc.u}
		require.NotPanics(t, func() {
			_, err = scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 50})
		})
		assert.ErrorIs(t, err, budget.ErrRange, tc.want)
	}
	// Within the domain, a normal's far tails are allowed: sd 0.005 around 3%.
	assert.NoError(t, scenario.Uncertain{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Normal(0.03, 0.005)}.Validate())
	lo, hi := scenario.Normal(0.03, 0.005).Support()
	assert.InDelta(t, 0.03-7.034*0.005, lo, 0.0001)
	assert.InDelta(t, 0.03+7.034*0.005, hi, 0.0001)
	assert.False(t, strings.Contains(scenario.Fixed(0.05).String(), "e+"))
}

// TestSeedZeroIsASeed: seed 0 and seed 1 give different draws.
func TestSeedZeroIsASeed(t *testing.T) {
	s := uncertain(t)
	a, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 300, Seed: 0})
	require.NoError(t, err)
	b, err := scenario.Simulate(data(t), s, &scenario.SimSettings{Draws: 300, Seed: 1})
	require.NoError(t, err)
	assert.NotEqual(t, bandsCSV(t, a), bandsCSV(t, b))
	assert.Equal(t, uint64(0), *a.Manifest.Seed)
}

// TestNothingSilent: inputs that were once used silently are errors.
func TestNothingSilent(t *testing.T) {
	// Duplicate JSON keys: encoding/json would keep the last.
	_, err := scenario.Read(strings.NewReader(`{"schema":1,"name":"x","base":"hewitt","funding":"envelope","shift":{"size":"1","size":"2"},"funding":"additional"}`), "dup.json", params(t))
	require.Error(t, err)
	assert.ErrorIs(t, err, budget.ErrDuplicate)
	assert.Contains(t, err.Error(), `dup.json: field "shift.size": duplicate entry`)
	assert.Contains(t, err.Error(), `dup.json: field "funding": duplicate entry`)

	// The same assumption uncertain twice: which distribution applies?
	s := mustFind(t, scenario.Hewitt)
	s.Uncertain = []scenario.Uncertain{
		{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Fixed(0.03)},
		{Assumption: scenario.UncertainRealGrowth, Distribution: scenario.Fixed(0.04)},
	}
	err = s.Validate(data(t))
	assert.ErrorIs(t, err, budget.ErrDuplicate)
	assert.Contains(t, err.Error(), `field "uncertain[1].assumption": real_growth: duplicate entry`)
}

// TestLoadNamesFileAndField: a file that reads but asks what the data or
// the model cannot give names the file and the field.
func TestLoadNamesFileAndField(t *testing.T) {
	_, err := scenario.Load(strings.NewReader(`{"schema":1,"name":"x","base":"hewitt","horizon":"2040/41","baseline_share":{"value":"0.05","source":"s","per_icb":{"ZZZ":"0.04"}}}`), "mine.json", data(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `mine.json: field "horizon": "2040/41": value out of range`)
	assert.Contains(t, err.Error(), `mine.json: field "baseline_share.per_icb.ZZZ"`)
	var fe *scenario.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "mine.json", fe.File)

	// A baseline share drawn up to 99.5% leaves no room for +1 pp.
	_, err = scenario.Load(strings.NewReader(`{"schema":1,"name":"x","base":"hewitt","uncertain":[{"assumption":"baseline_share","distribution":{"kind":"uniform","a":0.5,"b":0.995}}]}`), "share.json", data(t))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `share.json: field "uncertain[0].distribution": draws up to 0.995`)
}

// TestParametersThatCannotApply: base years and a fold year outside what
// the data and settlement cover are errors naming the parameter's line.
func TestParametersThatCannotApply(t *testing.T) {
	d := data(t)
	var buf bytes.Buffer
	require.NoError(t, d.Parameters.Write(&buf))
	with := func(old, new string) *dataset.Data {
		in := strings.Replace(buf.String(), old, new, 1)
		require.NotEqual(t, buf.String(), in, old)
		p, err := dataset.ReadParameters(strings.NewReader(in), "mine.csv")
		require.NoError(t, err)
		own := *d
		own.Parameters = p
		return &own
	}
	s := mustFind(t, scenario.Hewitt)
	s.Data = ""
	err := s.Validate(with("real_terms.base_year,2024/25,", "real_terms.base_year,2050/51,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), `value "2050/51": parameter real_terms.base_year`)
	err = s.Validate(with("present_value.base_year,first-projected,name,", "present_value.base_year,2030/31,year,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), `value "2030/31": parameter present_value.base_year`)
	long := s
	long.Horizon = budget.MustYear("2033/34")
	err = long.Validate(with("settlement.sr2025.real_growth,0.030262,fraction,2028/29-2034/35,", "settlement.sr2025.real_growth,0.030262,fraction,2028/29,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), `mine.csv:4: column "period": value "2028/29": parameter settlement.sr2025.real_growth: value out of range: the settlement's years end before 2029/30, within the horizon 2033/34`)
	s.Settlement = alloc.SettlementSR2025Folded
	err = s.Validate(with("settlement.sr2025-pots-folded.fold_from,2026/27,", "settlement.sr2025-pots-folded.fold_from,2020/21,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), `value "2020/21": parameter settlement.sr2025-pots-folded.fold_from`)
}

// TestScenarioFilesThatWereTakenSilently: each file once ran and printed
// results; each is now refused, naming the field.
func TestScenarioFilesThatWereTakenSilently(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"baseline_share":{"value":"0.05","VALUE":"0.9","source":"s"}`, `field "baseline_share.VALUE": unknown name: field names are lower case`},
		{`"grant":{"rule":"grow","rate":"3"}`, "want a fraction a year from -0.2 to 0.2"},
		{`"grant":{"rule":"flat-real","rate":"0.02"}`, "only the grow rule takes a rate"},
		{`"grant":{"rule":"user","series":{"2026/27":"4404000"},"source":"DHSC"}`, `field "grant.series.2026/27": £4.404m: value out of range: the published 2026/27 grant is £4,404.000m`},
		{`"grant":{"rule":"user","series":{"2026/27":"4404000000"}}`, "say where the figures come from"},
		{`"grant":{"rule":"user","series":{"2099/00":"4404000000"},"source":"s"}`, `field "grant.series.2099/00": value out of range: outside the scenario's years`},
		{`"grant":{"rule":"flat-real","grant_2015_16":"3460000"}`, `field "grant.grant_2015_16": £3.460m`},
		{`"benefits":{"roi":"99999999999999999999999999","lag":2,"spread":10,"source":"s"}`, "want -1 (all the spend lost) to 100"},
		{`"benefits":{"roi":"4.1","spread":10,"source":"s"}`, `field "benefits.lag": no data`},
		{`"shift":{"base_year":"2010/11","span":"2011/12-2015/16"}`, `field "shift.base_year": 2010/11: value out of range`},
		{`"shift":{"size":"95"}`, `field "shift.size"`},
		{`"settlement":null`, `field "settlement": invalid syntax: null`},
		// "parsing ratio \"\"" before.
		{`"benefits":{"roi":null,"lag":2,"spread":10,"source":"s"}`, `field "benefits.roi": invalid syntax: null`},
		{`"baseline_share":{"value":null,"source":"s"}`, `field "baseline_share.value": invalid syntax: null`},
		// Read as 0 (0% real growth) before.
		{`"uncertain":[{"assumption":"real_growth","distribution":{"kind":"normal","a":null,"b":0.01}}]`, `field "uncertain[0].distribution.a": invalid syntax: null`},
		{`"uncertain":[{"assumption":"roi","distribution":{"kind":"fixed","a":4.1,"b":7}}],"benefits":{"roi":"4.1","lag":2,"spread":10,"source":"s"}`, "fixed distribution: value out of range: takes only a (the value)"},
		{`"description":"two\nlines"`, `field "description"`},
	} {
		in := `{"schema":1,"name":"x","base":"hewitt",` + tc.in + `}`
		_, err := scenario.Load(strings.NewReader(in), "f.json", data(t))
		require.Error(t, err, tc.in)
		assert.Contains(t, err.Error(), tc.want, tc.in)
	}
}

func TestNoPanicOnNilWritersAndResults(t *testing.T) {
	require.NotPanics(t, func() {
		var r *scenario.Runner
		assert.Nil(t, r.Data())
		assert.ErrorIs(t, scenario.Write(nil, mustFind(t, scenario.Hewitt)), budget.ErrFormat)
		assert.ErrorIs(t, scenario.WriteComparisons(nil, nil), budget.ErrFormat)
		assert.ErrorIs(t, scenario.WriteComparisons(&bytes.Buffer{}, []*scenario.Comparison{nil}), budget.ErrNoData)
		var pr *prevention.Result
		_, err := pr.Rows("x", nil)
		assert.ErrorIs(t, err, budget.ErrNoData)
		_, err = scenario.Simulate(data(t), uncertain(t), &scenario.SimSettings{Draws: 10, Workers: 1 << 40})
		assert.ErrorIs(t, err, budget.ErrRange)
	})
}

func TestCompareAndSettingsChecks(t *testing.T) {
	d := data(t)
	s := mustFind(t, scenario.Hewitt)
	a, err := scenario.Run(d, s)
	require.NoError(t, err)
	other := *d
	other.Vintage = "mine"
	s.Data = ""
	b, err := scenario.Run(&other, s)
	require.NoError(t, err)
	_, err = scenario.Compare(a, b)
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), "results on different data do not compare")
	_, err = scenario.Simulate(d, uncertain(t), &scenario.SimSettings{Draws: 10, Quantiles: []float64{0.5, 0.5}, Areas: []string{"ENG", "ENG"}})
	assert.ErrorIs(t, err, budget.ErrDuplicate)
	s.Baseline.PerICB = map[string]budget.Share{"qe1": budget.MustShare("0.05")}
	in, m, err := scenario.NewRunner(d).Model(mustFind(t, scenario.Hewitt))
	require.NoError(t, err)
	m.Baseline.PerICB = map[string]budget.Share{"qe1": budget.MustShare("0.05")}
	_, err = prevention.Run(in, m)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.Contains(t, err.Error(), "qe1 not in the allocations")
}

// TestDefaultUncertaintyFromParameters: the simulation defaults come from
// the parameters file with their sources.
func TestDefaultUncertaintyFromParameters(t *testing.T) {
	us, err := scenario.DefaultUncertainty(params(t))
	require.NoError(t, err)
	var got []string
	for _, u := range us {
		got = append(got, u.Assumption+" "+u.Distribution.String())
		assert.Contains(t, u.Source, "parameters.csv:")
	}
	// Real growth from the low settlement (+0.69% [HL14384]) through the
	// central one (+3.03% [PUB-08]) to the high case's 2028/29 (+7.94%), the
	// 2% target, King's Fund ~5% (3%-7% assumed), 2025/26 convergence a
	// fifth (a tenth to three tenths).
	assert.Equal(t, []string{"real_growth triangular(0.0069, 0.030262, 0.079423)", "inflation normal(0.02, 0.005)",
		"baseline_share triangular(0.03, 0.05, 0.07)", "convergence uniform(0.1, 0.3)"}, got)
	// A parameter the distribution takes, missing, is an error, not 0.
	var buf bytes.Buffer
	require.NoError(t, params(t).Write(&buf))
	var kept []string
	for _, line := range strings.Split(buf.String(), "\n") {
		if !strings.HasPrefix(line, "uncertain.real_growth.a,") {
			kept = append(kept, line)
		}
	}
	p, err := dataset.ReadParameters(strings.NewReader(strings.Join(kept, "\n")), "mine.csv")
	require.NoError(t, err)
	_, err = scenario.DefaultUncertainty(p)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.ErrorContains(t, err, "a triangular distribution takes a, b and c, and there is no parameter uncertain.real_growth.a")
}

// TestBasisFieldsThatWereTakenSilently: null, empty or contradictory
// allocation_basis and footprint values are refused, naming the field.
func TestBasisFieldsThatWereTakenSilently(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{`"allocation_basis": null`, `field "allocation_basis": invalid syntax: null`},
		{`"allocation_basis": {"vintage": ""}`, `field "allocation_basis.vintage": parsing vintage "": unknown name: want restated or as-published`},
		{`"allocation_basis": {"vintage": null}`, `field "allocation_basis.vintage": invalid syntax: null`},
		{`"allocation_basis": {"vintag": "restated"}`, `field "allocation_basis.vintag": unknown name`},
		{`"allocation_basis": {"vintage": "as-published", "scope": "strip"}`, `field "allocation_basis": basis: scope strip: value out of range`},
		{`"footprint": ""`, `field "footprint": invalid syntax: empty`},
		{`"footprint": "2030"`, `field "footprint": footprint "2030": unknown name: want 2022 or 2026`},
		{`"baseline_share": {"name": "mine", "value": "0.05", "per_icb": {"D7T5G": "0.06"}, "source": "x"}, "footprint": "2022"`, `field "baseline_share.per_icb.D7T5G": ICB "D7T5G": unknown name: not in the allocations data (42 ICBs, QE1 to QYG) (footprint 2022)`},
	} {
		_, err := scenario.Load(strings.NewReader(`{"schema":1,"name":"x","base":"hewitt",`+tc.body+`}`), "x.json", data(t))
		require.Error(t, err, tc.body)
		assert.Contains(t, err.Error(), tc.want, tc.body)
	}
}

// zeros reads zero bytes for ever, like /dev/zero.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestEndlessScenarioFileStops: a scenario file is read up to 1 MiB
// (MaxScenarioBytes); past it the error names the file and the limit.
func TestEndlessScenarioFileStops(t *testing.T) {
	_, err := scenario.Read(zeros{}, "/dev/zero", params(t))
	assert.ErrorIs(t, err, budget.ErrTooLarge)
	assert.ErrorContains(t, err, "/dev/zero: file too large: more than 1 MiB")
}

// TestManyProblemsShortMessage: ten thousand duplicate uncertain entries
// give a message of a dozen problems and a count, not a megabyte.
func TestManyProblemsShortMessage(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"schema":1,"name":"d","base":"hewitt","uncertain":[`)
	for i := 0; i < 10000; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"assumption":"real_growth","distribution":{"kind":"normal","a":0.01,"b":0.01}}`)
	}
	b.WriteString("]}")
	_, err := scenario.Load(strings.NewReader(b.String()), "dup.json", data(t))
	require.Error(t, err)
	assert.ErrorIs(t, err, budget.ErrDuplicate)
	assert.Less(t, len(err.Error()), 4000)
	assert.Contains(t, err.Error(), "and 9987 more problems")
}
