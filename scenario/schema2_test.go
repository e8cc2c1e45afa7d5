package scenario_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// TestSchema1IsMigrated: a schema 1 file reads as it always did and is
// written as schema 2, with the same assumptions and the same hash.
func TestSchema1IsMigrated(t *testing.T) {
	old := `{"schema": 1, "name": "hewitt-2pp", "base": "hewitt", "shift": {"size": "2"}, "budget_base": "programme-with-specialised"}`
	s, err := scenario.Read(strings.NewReader(old), "old.json", params(t))
	require.NoError(t, err)
	assert.Equal(t, prevention.WithSpecialisedBase(), s.BudgetBase)
	var b bytes.Buffer
	require.NoError(t, scenario.Write(&b, s))
	assert.Contains(t, b.String(), `"schema": 2,`)
	assert.Contains(t, b.String(), `"budget_base": "programme-with-specialised",`, "a named base is written by its name")
	assert.NotContains(t, b.String(), `"area"`, "no area: England")
	back, err := scenario.Read(&b, "new.json", params(t))
	require.NoError(t, err)
	assert.Equal(t, s.Hash(), back.Hash())
	assert.Empty(t, scenario.Diff(s, back))
}

// TestOwnBudgetBase: a base of one's own is written with its streams, read
// back, and run: core services alone are smaller than the programme base
// (core + PMC + POD), so the same share of them is a smaller shift.
func TestOwnBudgetBase(t *testing.T) {
	r := scenario.NewRunner(data(t))
	h, err := scenario.Find(params(t), scenario.Hewitt)
	require.NoError(t, err)
	own := h
	own.Name = "hewitt-core-only"
	own.BudgetBase = prevention.Base{Name: "core-only", Streams: []dataset.Stream{dataset.Core}}
	var b bytes.Buffer
	require.NoError(t, scenario.Write(&b, own))
	assert.Contains(t, b.String(), `"name": "core-only",`)
	back, err := scenario.Load(&b, "own.json", data(t))
	require.NoError(t, err)
	assert.Equal(t, own.BudgetBase, back.BudgetBase)
	y := budget.MustYear("2028/29")
	shift := func(s scenario.Scenario) budget.Money {
		res, err := r.Run(s)
		require.NoError(t, err)
		m, err := res.Money("ENG", y, prevention.MeasureShift, budget.Cash())
		require.NoError(t, err)
		return m
	}
	full, core := shift(h), shift(back)
	assert.True(t, core.Decimal().IsPositive() && core.Decimal().LessThan(full.Decimal()), "core only %s, programme %s", core, full)
}

// TestPlace: a scenario's area is an ICB or a council of its footprint, by
// code or name; England when it names none; an unknown or ambiguous one is
// refused by Validate, naming the field.
func TestPlace(t *testing.T) {
	d := data(t)
	r := scenario.NewRunner(d)
	h, err := scenario.Find(params(t), scenario.Hewitt)
	require.NoError(t, err)
	for area, want := range map[string]string{
		"":                   "ENG England",
		"england":            "ENG England",
		"greater manchester": "QOP NHS Greater Manchester ICB",
		"manchester":         "E08000003 Manchester",
	} {
		s := h
		s.Area = area
		require.NoError(t, r.Validate(s), area)
		p, err := r.Place(s)
		require.NoError(t, err, area)
		assert.Equal(t, want, p.Code+" "+p.Name, area)
		assert.Equal(t, strings.HasPrefix(want, "E08"), p.Council != nil, area)
	}
	for area, sentinel := range map[string]error{"atlantis": budget.ErrUnknown, "essex": dataset.ErrAmbiguous} {
		s := h
		s.Area = area
		err := r.Validate(s)
		assert.ErrorIs(t, err, sentinel, area)
		assert.ErrorContains(t, err, `field "area"`, area)
	}
	// The area is found on the scenario's own footprint: Greater
	// Manchester is an ICB of 2022 too.
	s := h
	s.Footprint, s.Area = dataset.Footprint2022, "QOP"
	require.NoError(t, r.Validate(s))
}
