package scenario_test

import (
	"bytes"
	"os"
	"slices"
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

// TestOwnBaseNeedsMoneyEveryYear: a base of delegated specialised
// services alone has no money before 2025/26 and is refused, naming the
// field; one of running costs alone runs (NHS England's revenue is checked
// against every stream's allocations, not the base).
func TestOwnBaseNeedsMoneyEveryYear(t *testing.T) {
	r := scenario.NewRunner(data(t))
	h, err := scenario.Find(params(t), scenario.Hewitt)
	require.NoError(t, err)
	s := h
	s.BudgetBase = prevention.Base{Name: "specialised-only", Streams: []dataset.Stream{dataset.Specialised}}
	err = r.Validate(s)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.ErrorContains(t, err, `field "budget_base"`)
	assert.ErrorContains(t, err, "2023/24")
	s.BudgetBase = prevention.Base{Name: "running-costs", Streams: []dataset.Stream{dataset.RCA}}
	require.NoError(t, r.Validate(s))
	res, err := r.Run(s)
	require.NoError(t, err)
	shift, err := res.Money("ENG", budget.MustYear("2028/29"), prevention.MeasureShift, budget.Cash())
	require.NoError(t, err)
	assert.True(t, shift.Decimal().IsPositive())
}

// TestPlaceEdges: England's ONS code is England; a query too long for any
// name is refused without echoing it whole; one that matches several ICBs
// and several councils is ambiguous, not unknown.
func TestPlaceEdges(t *testing.T) {
	r := scenario.NewRunner(data(t))
	h, err := scenario.Find(params(t), scenario.Hewitt)
	require.NoError(t, err)
	s := h
	s.Area = "E92000001"
	p, err := r.Place(s)
	require.NoError(t, err)
	assert.True(t, p.IsEngland())
	s.Area = strings.Repeat("x", 1<<20)
	err = r.Validate(s)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.Less(t, len(err.Error()), 1000)
	s.Area = "e"
	assert.ErrorIs(t, r.Validate(s), dataset.ErrAmbiguous)
	// An ICB of 2022 on the 2026 footprint: where it went, and how to
	// give it as it was.
	s.Area = "QH8"
	err = r.Validate(s)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, `is part of NHS Essex ICB (D7T5G) on footprint 2026: give the new ICB, or "footprint": "2022"`)
	s.Footprint = dataset.Footprint2022
	assert.NoError(t, r.Validate(s))
}

// TestRunFor: a scenario file's area is run for as RunArea runs a
// catalogue scenario's: a council's rows come first, beside England's.
func TestRunFor(t *testing.T) {
	r := scenario.NewRunner(data(t))
	file := `{"schema": 2, "name": "mine", "base": "hewitt", "area": "hull"}`
	s, err := scenario.Load(strings.NewReader(file), "mine.json", data(t))
	require.NoError(t, err)
	res, place, err := r.RunFor(s)
	require.NoError(t, err)
	assert.Equal(t, "E06000010", place.Code, "Kingston upon Hull, not Solihull")
	y := budget.MustYear("2028/29")
	own, err := res.Money(place.Code, y, prevention.MeasureShift, budget.Cash())
	require.NoError(t, err)
	_, cat, err := r.RunArea("hewitt", "E06000010")
	require.NoError(t, err)
	assert.Equal(t, place, cat)
	plain, err := r.Run(s)
	require.NoError(t, err)
	_, err = plain.Money(place.Code, y, prevention.MeasureShift, budget.Cash())
	assert.ErrorIs(t, err, budget.ErrNoData, "Run holds no council's rows")
	assert.True(t, own.Decimal().IsPositive())
}

// TestReviewEdges: RunArea on data of one's own; Derive gives each
// scenario its own budget base streams; a Comparison finds rows changed
// after it was made; an area is a label, not an assumption.
func TestReviewEdges(t *testing.T) {
	d := data(t)
	dir := t.TempDir()
	_, err := d.Export(dir, false)
	require.NoError(t, err)
	mine, err := dataset.ReadData(os.DirFS(dir), "my-edit")
	require.NoError(t, err)
	_, place, err := scenario.NewRunner(mine).RunArea("hewitt", "kent")
	require.NoError(t, err, "the catalogue applies to whatever data the runner holds")
	assert.Equal(t, "Kent", place.Name)

	ss, err := scenario.Catalogue(params(t))
	require.NoError(t, err)
	ss[1].BudgetBase.Streams[2] = dataset.Specialised
	assert.Equal(t, prevention.ProgrammeBase().Streams, ss[0].BudgetBase.Streams, "the others keep theirs")

	r := scenario.NewRunner(d)
	h, err := r.Run(mustFind(t, scenario.Hewitt))
	require.NoError(t, err)
	c, err := scenario.CompareAreas(h, h, []string{"ENG"})
	require.NoError(t, err)
	y := budget.MustYear("2028/29")
	_, ok := c.Value("ENG", y, prevention.MeasureShift, budget.Cash())
	require.True(t, ok)
	c.Rows = slices.DeleteFunc(c.Rows, func(r scenario.CompareRow) bool { return r.Period == "2023/24" })
	_, ok = c.Value("ENG", y, prevention.MeasureShift, budget.Cash())
	assert.True(t, ok, "found after Rows changed")
	copied := *c
	_, ok = copied.Value("ENG", y, prevention.MeasureShift, budget.Cash())
	assert.True(t, ok, "a copy finds rows too")

	kent := mustFind(t, scenario.Hewitt)
	kent.Area = "kent"
	assert.Empty(t, scenario.AssumptionChanges(mustFind(t, scenario.Hewitt), kent), "the area does not change the model")
}
