package dataset_test

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
)

func embeddedData(t testing.TB) *dataset.Data {
	t.Helper()
	d, err := dataset.Embedded()
	require.NoError(t, err)
	return d
}

// sum adds a measure over every ICB; item "" for non-itemised measures,
// "*" for all items of an itemised measure.
func sum(t *testing.T, a *dataset.Allocations, year string, s dataset.Stream, m dataset.Measure, item string) budget.Money {
	t.Helper()
	y := budget.MustYear(year)
	var total budget.Money
	for _, icb := range a.ICBs() {
		if item == "*" {
			for _, f := range a.Items(y, icb.Code, s, m) {
				total = total.Add(f.Money())
			}
			continue
		}
		if !a.Has(y, icb.Code, s, m, item) {
			continue
		}
		f, err := a.Lookup(y, icb.Code, s, m, item)
		require.NoError(t, err)
		total = total.Add(f.Money())
	}
	return total
}

// TestEmbeddedReconcilesWithEnglandTotals checks that the 42 ICBs' embedded
// figures add up to the England totals NHS England published in the same
// workbooks (S1: 2023/24-2024/25 round; S2: 2025/26 round), to £1k. The
// England figures are the ENGLAND rows of the workbooks as gathered in
// data/raw/national_totals.csv and built into data/england_totals.csv.
func TestEmbeddedReconcilesWithEnglandTotals(t *testing.T) {
	d := embeddedData(t)
	a := d.Allocations
	S := func(y string, s dataset.Stream, m dataset.Measure, item string) budget.Money {
		return sum(t, a, y, s, m, item)
	}
	core := func(y string) budget.Money {
		return S(y, dataset.Core, dataset.Recurrent, "").Add(S(y, dataset.Core, dataset.RecurrentAddition, "*")).Add(S(y, dataset.Core, dataset.NonRecurrent, "*"))
	}
	pmcRevised := S("2025/26", dataset.PMC, dataset.Recurrent, "").Add(S("2025/26", dataset.PMC, dataset.RecurrentAddition, "*"))
	spec := S("2025/26", dataset.Specialised, dataset.Recurrent, "").Add(S("2025/26", dataset.Specialised, dataset.RecurrentAddition, "*"))
	computed := map[string]budget.Money{
		"2022/23|ICB core services recurrent baseline (2022/23, as restated in 2023/24 baseline construction)": S("2022/23", dataset.Core, dataset.Recurrent, ""),
		"2022/23|ICB core services adjusted recurrent baseline":                                                S("2022/23", dataset.Core, dataset.AdjustedBaseline, ""),
		"2022/23|ICB core services COVID funding":                                                              S("2022/23", dataset.Core, dataset.NonRecurrent, "covid"),
		"2022/23|ICB core services additional elective funding":                                                S("2022/23", dataset.Core, dataset.NonRecurrent, "elective"),
		"2022/23|ICB primary medical care recurrent baseline":                                                  S("2022/23", dataset.PMC, dataset.Recurrent, ""),
		"2022/23|ICB primary medical care adjusted recurrent baseline":                                         S("2022/23", dataset.PMC, dataset.AdjustedBaseline, ""),
		"2023/24|Core services fair shares target used in 2023/24 round (2022/23 basis)":                       S("2023/24", dataset.Core, dataset.Target, ""),
		"2023/24|ICB core services recurrent allocation":                                                       S("2023/24", dataset.Core, dataset.Recurrent, ""),
		"2023/24|ICB core services COVID funding":                                                              S("2023/24", dataset.Core, dataset.NonRecurrent, "covid"),
		"2023/24|ICB core services additional elective funding":                                                S("2023/24", dataset.Core, dataset.NonRecurrent, "elective"),
		"2023/24|ICB core services total allocation (recurrent + COVID + elective)":                            S("2023/24", dataset.Core, dataset.Recurrent, "").Add(S("2023/24", dataset.Core, dataset.NonRecurrent, "covid")).Add(S("2023/24", dataset.Core, dataset.NonRecurrent, "elective")),
		"2023/24|ICB additional discharge allocation":                                                          S("2023/24", dataset.Core, dataset.NonRecurrent, "discharge"),
		"2023/24|ICB capacity funding":                                                                         S("2023/24", dataset.Core, dataset.NonRecurrent, "capacity"),
		"2023/24|ICB core services combined allocation (inc. COVID, elective, discharge, capacity)":            core("2023/24"),
		"2023/24|ICB primary medical care recurrent allocation":                                                S("2023/24", dataset.PMC, dataset.Recurrent, ""),
		"2023/24|ICB running cost allowance":                                                                   S("2023/24", dataset.RCA, dataset.Recurrent, ""),
		"2023/24|ICB total (derived: core combined + PMC + POD(42 ICBs) + RCA)":                                core("2023/24").Add(S("2023/24", dataset.PMC, dataset.Recurrent, "")).Add(S("2023/24", dataset.POD, dataset.Recurrent, "")).Add(S("2023/24", dataset.RCA, dataset.Recurrent, "")),
		"2024/25|Core services fair shares target used in 2024/25 round (2023/24 basis, inc. COVID)":           S("2024/25", dataset.Core, dataset.Target, ""),
		"2024/25|ICB core services recurrent allocation (as published in 2023/24-2024/25 round)":               S("2024/25", dataset.Core, dataset.Recurrent, ""),
		"2024/25|ICB core services additional elective funding":                                                S("2024/25", dataset.Core, dataset.NonRecurrent, "elective"),
		"2024/25|ICB core services total allocation (recurrent + elective)":                                    S("2024/25", dataset.Core, dataset.Recurrent, "").Add(S("2024/25", dataset.Core, dataset.NonRecurrent, "elective")),
		"2024/25|ICB additional discharge allocation":                                                          S("2024/25", dataset.Core, dataset.NonRecurrent, "discharge"),
		"2024/25|ICB core services combined allocation (inc. elective and discharge)":                          core("2024/25"),
		"2024/25|ICB primary medical care recurrent allocation (as published in 2023/24-2024/25 round)":        S("2024/25", dataset.PMC, dataset.Recurrent, ""),
		"2024/25|ICB running cost allowance":                                                                   S("2024/25", dataset.RCA, dataset.Recurrent, ""),
		"2024/25|ICB total (derived: core combined + PMC + POD(42 ICBs) + RCA)":                                core("2024/25").Add(S("2024/25", dataset.PMC, dataset.Recurrent, "")).Add(S("2024/25", dataset.POD, dataset.Recurrent, "")).Add(S("2024/25", dataset.RCA, dataset.Recurrent, "")),
		"2024/25|ICB core recurrent baseline 2024/25 - published":                                              S("2024/25", dataset.Core, dataset.Recurrent, ""),
		"2024/25|ICB core adjusted recurrent baseline 2024/25 (incl. 2024/25 pay awards etc.)":                 S("2024/25", dataset.Core, dataset.AdjustedBaseline, ""),
		"2024/25|ICB primary medical care adjusted recurrent baseline 2024/25":                                 S("2024/25", dataset.PMC, dataset.AdjustedBaseline, ""),
		"2024/25|Specialised services physical health + HCDD recurrent baseline":                               S("2024/25", dataset.Specialised, dataset.AdjustedBaseline, ""),
		"2025/26|Core services fair shares target used in 2025/26 round (2024/25 basis)":                       S("2025/26", dataset.Core, dataset.Target, ""),
		"2025/26|ICB core services recurrent allocation":                                                       S("2025/26", dataset.Core, dataset.Recurrent, ""),
		"2025/26|Transfers from Service Development Fund into ICB core":                                        S("2025/26", dataset.Core, dataset.RecurrentAddition, "sdf_transfer"),
		"2025/26|Elective Recovery Funding: core":                                                              S("2025/26", dataset.Core, dataset.NonRecurrent, "elective_recovery_core"),
		"2025/26|Elective Recovery Funding: additional":                                                        S("2025/26", dataset.Core, dataset.NonRecurrent, "elective_recovery_additional"),
		"2025/26|Discharge funding in ICB core":                                                                S("2025/26", dataset.Core, dataset.NonRecurrent, "discharge"),
		"2025/26|ICB core services total allocation":                                                           core("2025/26"),
		"2025/26|Specialised services fair shares target (2024/25 basis)":                                      S("2025/26", dataset.Specialised, dataset.Target, ""),
		"2025/26|Specialised services physical health + HCDD recurrent allocation":                             S("2025/26", dataset.Specialised, dataset.Recurrent, ""),
		"2025/26|Specialised: high cost drugs and devices (HCDD)":                                              S("2025/26", dataset.Specialised, dataset.RecurrentAddition, "hcdd_outside_delegation").Neg(),
		"2025/26|Specialised: physical health services recurrent allocation":                                   S("2025/26", dataset.Specialised, dataset.Recurrent, "").Add(S("2025/26", dataset.Specialised, dataset.RecurrentAddition, "hcdd_outside_delegation")),
		"2025/26|Specialised: delegated mental health resource allocation":                                     S("2025/26", dataset.Specialised, dataset.RecurrentAddition, "delegated_mental_health"),
		"2025/26|Specialised services delegated to ICBs (physical health + MH resource allocation)":            spec,
		"2025/26|ICB primary medical care recurrent allocation (before in-year revisions)":                     S("2025/26", dataset.PMC, dataset.Recurrent, ""),
		"2025/26|PMC: additional ARRS previously in SDF moved to baseline":                                     S("2025/26", dataset.PMC, dataset.RecurrentAddition, "arrs_from_sdf"),
		"2025/26|ICB primary medical care revised recurrent allocation":                                        pmcRevised,
		"2025/26|ICB running cost allowance (v1.4, revised for employer NICs)":                                 S("2025/26", dataset.RCA, dataset.Recurrent, ""),
		"2025/26|ICB total (derived: core total + specialised phys+MH + PMC revised + POD(42 ICBs) + RCA)":     core("2025/26").Add(spec).Add(pmcRevised).Add(S("2025/26", dataset.POD, dataset.Recurrent, "")).Add(S("2025/26", dataset.POD, dataset.NonRecurrent, "*")).Add(S("2025/26", dataset.RCA, dataset.Recurrent, "")),
	}
	tolerance := budget.Pounds(1000)
	checked := 0
	for _, e := range d.EnglandTotals {
		got, ok := computed[e.Year.String()+"|"+e.Measure]
		if !ok {
			continue
		}
		checked++
		diff := got.Sub(e.Amount).Abs()
		assert.True(t, diff.Cmp(tolerance) <= 0, "%s %s: 42 ICBs add to %s, England total %s (difference %s)", e.Year, e.Measure, got, e.Amount, diff)
	}
	assert.Equal(t, len(computed), checked, "every reconciliation names a row of england_totals.csv")

	// POD England totals include amounts held by NHS England regions; the
	// workbooks' notes give the 42-ICB sums (national_totals.csv notes, £k).
	for _, c := range []struct {
		year string
		want budget.Money
	}{
		{"2023/24", budget.MustMoney("5484993300")}, // "42-ICB sum = 5,484,993.3 £k" [S1]
		{"2024/25", budget.MustMoney("5600652100")}, // "42-ICB sum = 5,600,652.1 £k" [S1]
		{"2025/26", budget.MustMoney("6090095100")}, // "42-ICB sum 6,090,095.1 £k" [S2], total allocation
	} {
		got := S(c.year, dataset.POD, dataset.Recurrent, "").Add(S(c.year, dataset.POD, dataset.NonRecurrent, "*"))
		assert.True(t, got.Sub(c.want).Abs().Cmp(tolerance) <= 0, "POD %s: %s vs %s", c.year, got, c.want)
	}
}

func TestEmbeddedShape(t *testing.T) {
	d := embeddedData(t)
	a := d.Allocations
	require.Len(t, a.ICBs(), 42)
	assert.Equal(t, "2022/23-2025/26", a.Span().String())
	icb, err := a.ICB("QE1")
	require.NoError(t, err)
	assert.Equal(t, "NHS Lancashire and South Cumbria ICB", icb.Name)
	_, err = a.ICB("XXX")
	assert.ErrorIs(t, err, budget.ErrUnknown)

	// Lancashire and South Cumbria 2023/24 core recurrent: £3,409,586k [S1,
	// 'ICB Core Allocations 2023-24'; icb_allocations.csv core_recurrent_2023_24 3409.586 £m].
	f, err := a.Lookup(budget.MustYear("2023/24"), "QE1", dataset.Core, dataset.Recurrent, "")
	require.NoError(t, err)
	assert.Equal(t, "3409586000", f.Money().StringFixed(0))
	assert.Equal(t, budget.Published, f.Status)
	assert.Equal(t, "S1", f.Source)
	src := d.Source(f.Source)
	assert.Contains(t, src.Title, "ICB allocations 2023/24 to 2024/25")

	// Grant: the latest 2024/25 figure is the December 2024 revision, £3,660m
	// (public_health_grant_totals.csv, LAC 2024 to 2025 updated 17 Dec 2024).
	g, err := d.Grant.Total(budget.MustYear("2024/25"))
	require.NoError(t, err)
	assert.Equal(t, "3660000000", g.Amount.StringFixed(0))
	assert.Equal(t, dataset.Revised, g.Vintage)
	// 2026/27 is published but consolidated: not like-for-like.
	g, err = d.Grant.Total(budget.MustYear("2026/27"))
	require.NoError(t, err)
	assert.False(t, g.LikeForLike)
	_, err = d.Grant.Total(budget.MustYear("2027/28"))
	assert.ErrorIs(t, err, budget.ErrNoData, "2027/28 was not found and must not be invented")

	// ONS mid-2015 England resident population 54,808,676 (england_population.csv, latest vintage).
	p, err := d.Populations.Get(budget.MustYear("2015/16"), "ENG", dataset.Resident)
	require.NoError(t, err)
	assert.Equal(t, "54808676", p.Value.String())
	// 2025/26 registered populations are backed out of the published £/head: derived.
	p, err = d.Populations.Get(budget.MustYear("2025/26"), "QE1", dataset.Registered)
	require.NoError(t, err)
	assert.Equal(t, budget.Derived, p.Status)
}

// TestExportRoundTrip writes every embedded dataset with its writer and
// checks the bytes equal the embedded file, so what a user exports, edits
// nothing in, and loads back is exactly the default.
func TestExportRoundTrip(t *testing.T) {
	d := embeddedData(t)
	files := dataset.EmbeddedFiles()
	for _, name := range dataset.DataFiles() {
		t.Run(name, func(t *testing.T) {
			want, err := fs.ReadFile(files, name)
			require.NoError(t, err)
			var got bytes.Buffer
			require.NoError(t, d.WriteFile(&got, name))
			assert.Equal(t, string(want), got.String())
		})
	}
	// A folder of the exported files reads back as the same data.
	back, err := dataset.ReadData(files, "again")
	require.NoError(t, err)
	for _, name := range dataset.DataFiles() {
		var a, b bytes.Buffer
		require.NoError(t, d.WriteFile(&a, name))
		require.NoError(t, back.WriteFile(&b, name))
		assert.Equal(t, a.String(), b.String(), name)
	}
	assert.ErrorIs(t, d.WriteFile(&bytes.Buffer{}, "colour.csv"), budget.ErrUnknown)
}

const allocHeader = "year,icb_code,icb_name,region,stream,measure,item,value,unit,status,source\n"

func TestReadAllocationsErrors(t *testing.T) {
	row := func(year, code, stream, measure, item, value, unit string) string {
		return year + "," + code + ",NHS Test ICB,North," + stream + "," + measure + "," + item + "," + value + "," + unit + ",published,S1\n"
	}
	good := row("2024/25", "QAA", "core", "recurrent", "", "100", "GBP")
	tests := []struct {
		name       string
		in         string
		sentinel   error
		line       int
		column     string
		value      string
		msgContain string
	}{
		{"empty file", "", budget.ErrFormat, 0, "", "", "empty file"},
		{"header only", allocHeader, budget.ErrFormat, 0, "", "", "header only"},
		{"missing column", "year,icb_code\n2024/25,QAA\n", budget.ErrFormat, 1, "icb_name", "", "missing column"},
		{"unknown column", strings.TrimSuffix(allocHeader, "\n") + ",extra\n", budget.ErrFormat, 1, "extra", "", "unknown column"},
		{"short row", allocHeader + "2024/25,QAA\n", budget.ErrFormat, 2, "", "", "fields, the header 11"},
		{"long row", allocHeader + strings.TrimSuffix(good, "\n") + ",x\n", budget.ErrFormat, 2, "", "", "fields, the header 11"},
		{"not a number", allocHeader + row("2024/25", "QAA", "core", "recurrent", "", "12x", "GBP"), budget.ErrSyntax, 2, "value", "12x", ""},
		{"thousands separator", allocHeader + row("2024/25", "QAA", "core", "recurrent", "", "\"1,000\"", "GBP"), budget.ErrSyntax, 2, "value", "1,000", ""},
		{"bad year", allocHeader + row("2024/26", "QAA", "core", "recurrent", "", "1", "GBP"), budget.ErrRange, 2, "year", "2024/26", ""},
		{"unknown stream", allocHeader + row("2024/25", "QAA", "dental", "recurrent", "", "1", "GBP"), budget.ErrUnknown, 2, "stream", "dental", ""},
		{"unknown measure", allocHeader + row("2024/25", "QAA", "core", "total", "", "1", "GBP"), budget.ErrUnknown, 2, "measure", "total", ""},
		{"negative baseline", allocHeader + row("2024/25", "QAA", "core", "adjusted_baseline", "", "-5", "GBP"), budget.ErrNegative, 2, "value", "-5", ""},
		{"wrong unit", allocHeader + row("2024/25", "QAA", "core", "growth", "", "0.03", "GBP"), budget.ErrUnknown, 2, "unit", "GBP", ""},
		{"item missing", allocHeader + row("2024/25", "QAA", "core", "non_recurrent", "", "5", "GBP"), budget.ErrSyntax, 2, "item", "", ""},
		{"item where none belongs", allocHeader + row("2024/25", "QAA", "core", "recurrent", "covid", "5", "GBP"), budget.ErrSyntax, 2, "item", "covid", ""},
		{"duplicate", allocHeader + good + good, budget.ErrDuplicate, 3, "value", "100", "also on line 2"},
		{"missing year for one ICB", allocHeader + good + row("2025/26", "QAA", "core", "recurrent", "", "1", "GBP") +
			strings.Replace(good, "QAA", "QBB", 1), budget.ErrNoData, 0, "", "", "ICB QBB has no core recurrent for 2025/26"},
		{"gap in years", allocHeader + good + row("2026/27", "QAA", "core", "recurrent", "", "1", "GBP"), budget.ErrGap, 0, "", "", "jump from 2024/25 to 2026/27"},
		{"growth of -100%", allocHeader + row("2024/25", "QAA", "core", "growth", "", "-1", "fraction"), budget.ErrRange, 2, "value", "-1", ""},
		{"bad status", allocHeader + strings.Replace(good, "published", "final", 1), budget.ErrUnknown, 2, "status", "final", ""},
		{"bad code", allocHeader + row("2024/25", "Q A", "core", "recurrent", "", "1", "GBP"), budget.ErrSyntax, 2, "icb_code", "Q A", ""},
		// A CSV parser's complaint about quotes before.
		{"a workbook", "PK\x03\x04\x14\x00binary", budget.ErrFormat, 0, "", "", "a zip file (an .xlsx workbook?)"},
		{"a binary file", "\x00\x01\x02\x03", budget.ErrFormat, 0, "", "", "a binary file"},
		// "unknown column" without saying which before.
		{"trailing comma", strings.TrimSuffix(allocHeader, "\n") + ",\n" + good, budget.ErrFormat, 1, "#12", "", "column 12 of the header has no name (a trailing comma?)"},
		{"restated item with nothing to restate", allocHeader + good + row("2024/25", "QAA", "core", "non_recurrent", "elective", "5", "GBP") +
			row("2024/25", "QAA", "core", "restated_non_recurrent", "elektive", "6", "GBP"), budget.ErrNoData, 4, "item", "elektive", `has no non_recurrent item "elektive"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dataset.ReadAllocations(strings.NewReader(tc.in), "alloc.csv")
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.sentinel)
			var fe *budget.FileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, "alloc.csv", fe.File)
			assert.Equal(t, tc.line, fe.Line, err.Error())
			assert.Equal(t, tc.column, fe.Column, err.Error())
			assert.Equal(t, tc.value, fe.Value, err.Error())
			assert.Contains(t, err.Error(), tc.msgContain)
		})
	}
}

func TestReadGrantErrors(t *testing.T) {
	h := "year,measure,vintage,value,like_for_like,note,source\n"
	for _, tc := range []struct {
		name, in string
		sentinel error
		column   string
	}{
		{"negative total", h + "2024/25,total,confirmed,-1,true,,X\n", budget.ErrNegative, "value"},
		{"unknown vintage", h + "2024/25,total,final,1,true,,X\n", budget.ErrUnknown, "vintage"},
		{"bad bool", h + "2024/25,total,confirmed,1,yes,,X\n", budget.ErrSyntax, "like_for_like"},
		{"total over a span", h + "2024/25-2025/26,total,confirmed,1,true,,X\n", budget.ErrRange, "year"},
		{"duplicate", h + "2024/25,total,confirmed,1,true,,X\n2024/25,total,confirmed,2,true,,X\n", budget.ErrDuplicate, "vintage"},
		{"no source", h + "2024/25,total,confirmed,1,true,,\n", budget.ErrSyntax, "source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dataset.ReadGrant(strings.NewReader(tc.in), "grant.csv")
			assert.ErrorIs(t, err, tc.sentinel)
			var fe *budget.FileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tc.column, fe.Column)
			assert.Equal(t, strings.Count(tc.in, "\n"), fe.Line, "the last line is the bad one")
		})
	}
}

func TestReadDeflatorsErrors(t *testing.T) {
	h := "year,deflator,vintage,measure,value,status,source\n"
	for _, tc := range []struct {
		name, in string
		sentinel error
	}{
		{"gap", h + "2023/24,gdp,v,pct_change,1,published,X\n2025/26,gdp,v,pct_change,1,published,X\n", budget.ErrGap},
		{"disorder", h + "2024/25,gdp,v,pct_change,1,published,X\n2023/24,gdp,v,pct_change,1,published,X\n", budget.ErrGap},
		{"index not supported", h + "2024/25,gdp,v,index,100,published,X\n", budget.ErrUnknown},
		{"fall of 100%", h + "2024/25,gdp,v,pct_change,-100,published,X\n", budget.ErrRange},
		// Loaded before, then a run divided real terms by zero.
		{"fall of nearly 100%", h + "2024/25,gdp,v,pct_change,-99.9999999999999,published,X\n", budget.ErrRange},
		{"a doubling", h + "2024/25,gdp,v,pct_change,100,published,X\n", budget.ErrRange},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dataset.ReadDeflators(strings.NewReader(tc.in), "d.csv")
			assert.ErrorIs(t, err, tc.sentinel)
			var fe *budget.FileError
			assert.True(t, errors.As(err, &fe))
		})
	}
}

func TestReadPopulationsErrors(t *testing.T) {
	h := "year,area_code,area_name,measure,value,status,source\n"
	_, err := dataset.ReadPopulations(strings.NewReader(h+"2024/25,ENG,England,resident,-1,published,X\n"), "p.csv")
	assert.ErrorIs(t, err, budget.ErrNegative)
	_, err = dataset.ReadPopulations(strings.NewReader(h+"2024/25,ENG,England,adults,1,published,X\n"), "p.csv")
	assert.ErrorIs(t, err, budget.ErrUnknown)
	_, err = dataset.ReadPopulations(strings.NewReader(h+"2024/25,ENG,England,resident,1,published,X\n2024/25,ENG,England,resident,2,published,X\n"), "p.csv")
	assert.ErrorIs(t, err, budget.ErrDuplicate)
}

func TestBOMAndMessages(t *testing.T) {
	// A byte-order mark, as spreadsheet programs write, is not part of the first column name.
	in := "\ufeff" + allocHeader + "2024/25,QAA,NHS Test ICB,North,core,recurrent,,100,GBP,published,S1\n"
	a, err := dataset.ReadAllocations(strings.NewReader(in), "a.csv")
	require.NoError(t, err)
	assert.Len(t, a.ICBs(), 1)

	_, err = dataset.ReadAllocations(strings.NewReader(allocHeader+"2024/25,QAA,NHS Test ICB,North,core,recurrent,,12x,GBP,published,S1\n"), "my_allocations.csv")
	assert.EqualError(t, err, `my_allocations.csv:2: column "value": value "12x": invalid syntax: want a plain number like -1234.56`)
}

// TestDataWithoutFootprints: a data folder exported before footprints.csv
// existed still loads, on the 2022 footprint only, and asking for 2026 says
// why it cannot.
func TestDataWithoutFootprints(t *testing.T) {
	fsys := fstest.MapFS{}
	d := embeddedData(t)
	for _, name := range dataset.DataFiles() {
		if name == dataset.FootprintsFile {
			continue
		}
		var b bytes.Buffer
		require.NoError(t, d.WriteFile(&b, name))
		fsys[name] = &fstest.MapFile{Data: b.Bytes()}
	}
	old, err := dataset.ReadData(fsys, "old")
	require.NoError(t, err)
	same, err := alloc.OnFootprint(old, dataset.Footprint2022)
	require.NoError(t, err)
	assert.Same(t, old, same)
	_, err = alloc.OnFootprint(old, dataset.Footprint2026)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, "export it again with go run ./examples/data -export, or use footprint 2022")
}

// TestResidentPopulationHasNoSplice: after the latest mid-year estimate
// (mid-2025, 58,834,812 [ONS-MYE]) the resident population grows as the
// ONS 2022-based projection does (59,145,411 for 2025 to 59,638,662 for
// 2026: +0.834% [ONS-NPP-2022]), not by the 0.8m step from one series to
// the other.
func TestResidentPopulationHasNoSplice(t *testing.T) {
	p := embeddedData(t).Populations
	get := func(y string) decimal.Decimal {
		f, err := p.Get(budget.MustYear(y), "ENG", dataset.Resident)
		require.NoError(t, err)
		return f.Value.Decimal()
	}
	assert.Equal(t, "58834812", get("2025/26").String())
	growth := get("2026/27").Div(get("2025/26")).Sub(decimal.NewFromInt(1))
	want := decimal.RequireFromString("59638662").Div(decimal.RequireFromString("59145411")).Sub(decimal.NewFromInt(1))
	assert.True(t, growth.Sub(want).Abs().LessThan(decimal.RequireFromString("0.0000001")), "2026/27 growth %s, projection %s", growth, want)
	// 2034/35 is mid-2025 grown as the projection grows from 2025 to 2034
	// (62,137,307 [ONS-NPP-2022]), to the person.
	want34 := decimal.RequireFromString("58834812").Mul(decimal.RequireFromString("62137307")).DivRound(decimal.RequireFromString("59145411"), 0)
	assert.Equal(t, want34.String(), get("2034/35").String())
}

// TestStrayFigureIsNamed: an in_year row moved to the wrong year was
// reported as another ICB missing one; the stray row is named, with its
// line.
func TestStrayFigureIsNamed(t *testing.T) {
	d := embeddedData(t)
	var buf bytes.Buffer
	require.NoError(t, d.Allocations.Write(&buf))
	in := strings.Replace(buf.String(), "2023/24,QE1,NHS Lancashire and South Cumbria ICB,North West,core,in_year", "2024/25,QE1,NHS Lancashire and South Cumbria ICB,North West,core,in_year", 1)
	_, err := dataset.ReadAllocations(strings.NewReader(in), "mine.csv")
	require.Error(t, err)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.ErrorContains(t, err, "only 1 of the 42 ICBs have a core in_year for 2024/25 (the first, QE1, here)")
	var fe *budget.FileError
	require.ErrorAs(t, err, &fe)
	assert.Positive(t, fe.Line)
}
