package scenario_test

import (
	"bytes"
	"reflect"
	"sort"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// full is a scenario with every optional part set, so that every field
// can be changed.
func full(t *testing.T) scenario.Scenario {
	s := mustFind(t, scenario.Hewitt)
	s.Baseline.PerICB = map[string]budget.Share{"QE1": budget.MustShare("0.06")}
	s.Grant = prevention.GrantRule{Kind: prevention.UserSeries,
		Series: map[budget.Year]budget.Money{budget.MustYear("2026/27"): budget.MustMoney("4404000000")}, Source: "DHSC circular 2026/27"}
	g15 := budget.MustMoney("3460000000")
	s.Grant2015 = &g15
	s.Benefits = masters(t)
	s.Uncertain = []scenario.Uncertain{{Assumption: scenario.UncertainROI, Distribution: scenario.Triangular(2, 4.1, 14.3), Source: "Masters 2017"}}
	q, err := prevention.QALYsPreset(params(t))
	require.NoError(t, err)
	s.QALYs = &q
	s.Councils = &scenario.Councils{Source: "test allocations", Coverage: scenario.CouncilsSubset, Allocations: []prevention.CouncilAmount{
		{Year: budget.MustYear("2026/27"), Code: "E10000012", Name: "Essex", Amount: budget.MustMoney("116180000.00"), Line: 1}}}
	return s
}

// mutations change one field each, named by its path in Scenario.
func mutations() map[string]func(*scenario.Scenario) {
	d := decimal.RequireFromString
	return map[string]func(*scenario.Scenario){
		"Name":                    func(s *scenario.Scenario) { s.Name += "-x" },
		"Description":             func(s *scenario.Scenario) { s.Description += " x" },
		"Source":                  func(s *scenario.Scenario) { s.Source += " x" },
		"Base":                    func(s *scenario.Scenario) { s.Base = "government-response" },
		"Data":                    func(s *scenario.Scenario) { s.Data = "" },
		"Settlement":              func(s *scenario.Scenario) { s.Settlement = alloc.SettlementSR2025Folded },
		"AllocationBasis.Vintage": func(s *scenario.Scenario) { s.AllocationBasis.Vintage = alloc.AsPublished },
		"AllocationBasis.Scope":   func(s *scenario.Scenario) { s.AllocationBasis.Scope = alloc.StripScope },
		"Footprint":               func(s *scenario.Scenario) { s.Footprint = dataset.Footprint2022 },
		"Deflator.Name":           func(s *scenario.Scenario) { s.Deflator.Name = "cpi" },
		"Deflator.Vintage":        func(s *scenario.Scenario) { s.Deflator.Vintage = "obr-2025-03" },
		"BudgetBase.Name":         func(s *scenario.Scenario) { s.BudgetBase = prevention.AllStreamsBase() },
		"BudgetBase.Streams": func(s *scenario.Scenario) {
			s.BudgetBase = prevention.Base{Name: "core-only", Streams: []dataset.Stream{dataset.Core}}
		},
		"Area":            func(s *scenario.Scenario) { s.Area = "manchester" },
		"Baseline.Name":   func(s *scenario.Scenario) { s.Baseline.Name = "mine" },
		"Baseline.Share":  func(s *scenario.Scenario) { s.Baseline.Share = budget.MustShare("0.045") },
		"Baseline.PerICB": func(s *scenario.Scenario) { s.Baseline.PerICB["QE1"] = budget.MustShare("0.07") },
		"Baseline.Source": func(s *scenario.Scenario) { s.Baseline.Source += " x" },
		"Shift.Size":      func(s *scenario.Scenario) { s.Shift.Size = d("1.5") },
		"Shift.Reading":   func(s *scenario.Scenario) { s.Shift.Reading = prevention.Relative },
		"Shift.BaseYear":  func(s *scenario.Scenario) { s.Shift.BaseYear = budget.MustYear("2022/23") },
		"Shift.Span":      func(s *scenario.Scenario) { s.Shift.Span = budget.MustSpan("2024/25", "2027/28") },
		"Shift.Profile":   func(s *scenario.Scenario) { s.Shift.Profile = prevention.Step() },
		"Funding":         func(s *scenario.Scenario) { s.Funding = prevention.Additional },
		"Grant.Kind": func(s *scenario.Scenario) {
			s.Grant = prevention.GrantRule{Kind: prevention.FlatCash, Source: s.Grant.Source}
		},
		"Grant.Rate": func(s *scenario.Scenario) {
			s.Grant = prevention.GrantRule{Kind: prevention.GrowCash, Rate: budget.MustRate("0.02"), Source: s.Grant.Source}
		},
		"Grant.Series": func(s *scenario.Scenario) {
			s.Grant.Series[budget.MustYear("2026/27")] = budget.MustMoney("9000000000")
		},
		"Grant.Source":             func(s *scenario.Scenario) { s.Grant.Source += " x" },
		"Grant2015":                func(s *scenario.Scenario) { m := budget.MustMoney("3230000000"); s.Grant2015 = &m },
		"Benefits.Name":            func(s *scenario.Scenario) { s.Benefits.Name = "mine" },
		"Benefits.ROI":             func(s *scenario.Scenario) { s.Benefits.ROI = d("2") },
		"Benefits.Lag":             func(s *scenario.Scenario) { s.Benefits.Lag = 3 },
		"Benefits.Spread":          func(s *scenario.Scenario) { s.Benefits.Spread = 5 },
		"Benefits.Source":          func(s *scenario.Scenario) { s.Benefits.Source += " x" },
		"Baseline.IncludesCouncil": func(s *scenario.Scenario) { s.Baseline.IncludesCouncil = !s.Baseline.IncludesCouncil },
		"Horizon":                  func(s *scenario.Scenario) { s.Horizon = budget.MustYear("2030/31") },
		"PresentValueBase":         func(s *scenario.Scenario) { s.PresentValueBase = budget.MustYear("2024/25") },
		"Uncertain.Assumption":     func(s *scenario.Scenario) { s.Uncertain[0].Assumption = scenario.UncertainLag },
		"Uncertain.Distribution.Kind": func(s *scenario.Scenario) {
			s.Uncertain[0].Distribution = scenario.Uniform(2, 14.3)
		},
		"Uncertain.Distribution.A":  func(s *scenario.Scenario) { s.Uncertain[0].Distribution.A = 1 },
		"Uncertain.Distribution.B":  func(s *scenario.Scenario) { s.Uncertain[0].Distribution.B = 5 },
		"Uncertain.Distribution.C":  func(s *scenario.Scenario) { s.Uncertain[0].Distribution.C = 20 },
		"Uncertain.Source":          func(s *scenario.Scenario) { s.Uncertain[0].Source += " x" },
		"Councils.Allocations.Year": func(s *scenario.Scenario) { s.Councils.Allocations[0].Year = budget.MustYear("2027/28") },
		"Councils.Allocations.Code": func(s *scenario.Scenario) { s.Councils.Allocations[0].Code = "E06000033" },
		"Councils.Allocations.Name": func(s *scenario.Scenario) { s.Councils.Allocations[0].Name += " x" },
		"Councils.Allocations.Amount": func(s *scenario.Scenario) {
			s.Councils.Allocations[0].Amount = budget.MustMoney("116180001.00")
		},
		"QALYs.Name":             func(s *scenario.Scenario) { s.QALYs.Name += "-x" },
		"QALYs.PublicHealthCost": func(s *scenario.Scenario) { s.QALYs.PublicHealthCost = d("4845") },
		"QALYs.NHSCost":          func(s *scenario.Scenario) { s.QALYs.NHSCost = d("10000") },
		"QALYs.Prices":           func(s *scenario.Scenario) { s.QALYs.Prices = budget.MustYear("2016/17") },
		"QALYs.Value":            func(s *scenario.Scenario) { s.QALYs.Value = d("60000") },
		"QALYs.ValuePrices":      func(s *scenario.Scenario) { s.QALYs.ValuePrices = budget.MustYear("2018/19") },
		"QALYs.Source":           func(s *scenario.Scenario) { s.QALYs.Source += " x" },
		"Councils.Source":        func(s *scenario.Scenario) { s.Councils.Source += " x" },
		"Councils.Coverage":      func(s *scenario.Scenario) { s.Councils.Coverage = scenario.CouncilsPartial },
		"Councils.Unreconciled":  func(s *scenario.Scenario) { s.Councils.Unreconciled = true },
	}
}

// fieldPaths lists the paths of Scenario's fields, descending into the
// structs of this library (through pointers and slices).
func fieldPaths(t reflect.Type, prefix string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		path := prefix + f.Name
		ft := f.Type
		for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft.NumField() > 0 && exportedFields(ft) && !opaque(ft) {
			out = append(out, fieldPaths(ft, path+".")...)
			continue
		}
		out = append(out, path)
	}
	return out
}

func exportedFields(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).IsExported() {
			return true
		}
	}
	return false
}

// opaque types are values with unexported insides (Year, Money, Share,
// Span, Profile, decimal): changed as a whole.
func opaque(t reflect.Type) bool {
	for i := 0; i < t.NumField(); i++ {
		if !t.Field(i).IsExported() {
			return true
		}
	}
	return false
}

// TestScenarioIsComplete: every field of a Scenario is in its file, its
// hash and its diff: changing any one changes the hash and gives a diff,
// and writing then reading gives the scenario back.
func TestScenarioIsComplete(t *testing.T) {
	muts := mutations()
	paths := fieldPaths(reflect.TypeOf(scenario.Scenario{}), "")
	sort.Strings(paths)
	// Fields with a single valid value cannot change: Discount is the Green
	// Book's rate for money, the only schedule since the health one was
	// dropped (the library's flows are money, not health outcomes).
	// A council allocation's Line, and the councils' File, are where they
	// were read, for errors, not assumptions.
	single := map[string]bool{"Discount": true, "Councils.Allocations.Line": true, "Councils.Allocations.Where": true, "Councils.File": true}
	for _, p := range paths {
		_, ok := muts[p]
		assert.True(t, ok || single[p], "no mutation for field %s: add one (and make sure the file, Hash and Diff carry it)", p)
	}
	base := full(t)
	roundTrip := func(s scenario.Scenario) scenario.Scenario {
		var b bytes.Buffer
		require.NoError(t, scenario.Write(&b, s))
		back, err := scenario.Read(&b, "x.json", params(t))
		require.NoError(t, err, b.String())
		return back
	}
	back := roundTrip(base)
	assert.Equal(t, base.Hash(), back.Hash())
	assert.Empty(t, scenario.Diff(base, back))
	for name, mut := range muts {
		s := scenario.Derive(base, base.Name, base.Description, base.Source, mut)
		s.Base = base.Base
		if name == "Base" {
			s.Base = "government-response"
		}
		assert.NotEqual(t, base.Hash(), s.Hash(), "%s changes the hash", name)
		assert.NotEmpty(t, scenario.Diff(base, s), "%s gives a diff", name)
		back := roundTrip(s)
		assert.Equal(t, s.Hash(), back.Hash(), "%s survives Write and Read", name)
		assert.Empty(t, scenario.Diff(s, back), "%s survives Write and Read", name)
	}
	// Derive copies: a change to the child leaves the parent alone.
	assert.Equal(t, full(t).Hash(), base.Hash(), "no mutation reached the parent through a shared map or pointer")
}
