package dataset_test

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
)

const paramHeader = "id,value,unit,period,status,source,note\n"

func TestReadParametersErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		is             error
	}{
		{"bad id", "Growth Rate,0.03,fraction,any,published,P8,\n", `parameters.csv:2: column "id": value "Growth Rate"`, budget.ErrSyntax},
		{"duplicate", "a.b,0.03,fraction,any,published,P8,\na.b,0.04,fraction,any,published,P8,\n", `parameters.csv:3: column "id": value "a.b": duplicate entry: also on line 2`, budget.ErrDuplicate},
		{"per cent", "a.b,3%,fraction,any,published,P8,\n", `parameters.csv:2: column "value": value "3%"`, budget.ErrSyntax},
		{"unknown unit", "a.b,0.03,percent,any,published,P8,\n", `column "unit": value "percent"`, budget.ErrUnknown},
		{"share above 1", "a.b,1.5,share,any,published,P8,\n", `column "value": value "1.5"`, budget.ErrRange},
		{"negative ratio", "a.b,-2,ratio,any,published,P8,\n", `column "value": value "-2"`, budget.ErrRange},
		{"years not whole", "a.b,2.5,years,any,published,P8,\n", `column "value": value "2.5"`, budget.ErrSyntax},
		{"bad year", "a.b,2026/28,year,any,published,P8,\n", `column "value": value "2026/28"`, budget.ErrRange},
		{"bad name", "a.b,Hold Flat,name,any,published,P8,\n", `column "value": value "Hold Flat"`, budget.ErrSyntax},
		{"bad period", "a.b,0.03,fraction,always,published,P8,\n", `column "period": value "always"`, budget.ErrSyntax},
		{"projected", "a.b,0.03,fraction,any,projected,P8,\n", `column "status": value "projected": unknown name: want published, derived or assumption`, budget.ErrUnknown},
		{"no source", "a.b,0.03,fraction,any,published,,\n", `column "source"`, budget.ErrSyntax},
		{"empty value", "a.b,,fraction,any,published,P8,\n", `column "value"`, budget.ErrSyntax},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dataset.ReadParameters(strings.NewReader(paramHeader+tc.in), "parameters.csv")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.ErrorIs(t, err, tc.is)
			var fe *budget.FileError
			assert.True(t, errors.As(err, &fe))
		})
	}
	_, err := dataset.ReadParameters(nil, "nil.csv")
	assert.ErrorIs(t, err, budget.ErrFormat)
	_, err = dataset.ReadParameters(strings.NewReader(""), "empty.csv")
	assert.ErrorIs(t, err, budget.ErrFormat)
}

func TestParameterAccessors(t *testing.T) {
	p, err := dataset.ReadParameters(strings.NewReader(paramHeader+
		"g,0.03,fraction,2026/27-2034/35,published,P8,growth\n"+
		"s,0.05,share,any,published,KF,share\n"+
		"l,2,years,any,assumption,U,lag\n"+
		"y,2026/27,year,any,derived,S2,year\n"+
		"n,obr-2025-11,name,any,published,OBR,vintage\n"), "mine.csv")
	require.NoError(t, err)
	assert.Equal(t, 5, p.Len())
	assert.Equal(t, "mine.csv", p.File())
	g, err := p.Rate("g")
	require.NoError(t, err)
	assert.Equal(t, "0.03", g.String())
	s, err := p.Share("s")
	require.NoError(t, err)
	assert.Equal(t, "0.05", s.String())
	l, err := p.Years("l")
	require.NoError(t, err)
	assert.Equal(t, 2, l)
	y, err := p.Year("y")
	require.NoError(t, err)
	assert.Equal(t, "2026/27", y.String())
	n, err := p.Name("n")
	require.NoError(t, err)
	assert.Equal(t, "obr-2025-11", n)

	_, err = p.Rate("missing")
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.Contains(t, err.Error(), `mine.csv: column "id": value "missing": no data`)
	_, err = p.Year("g")
	assert.ErrorIs(t, err, budget.ErrFormat)
	assert.Contains(t, err.Error(), `parameter "g" is a fraction, want a year`)
	_, err = p.Rate("s")
	assert.ErrorIs(t, err, budget.ErrFormat, "a share is not a growth rate")

	err = p.CheckSources(dataset.Sources{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `parameter "g": unknown name: not in the sources`)
	assert.Contains(t, err.Error(), `parameter "n"`, "every missing source at once")

	var zero dataset.Parameters
	_, err = zero.Rate("g")
	assert.ErrorIs(t, err, budget.ErrNoData)
}

// TestShippedParameters checks the shipped parameters file: every
// parameter's source is listed, and each preset the library builds from it
// has the value its source gives.
func TestShippedParameters(t *testing.T) {
	d := embeddedData(t)
	p := d.Parameters
	require.NoError(t, p.CheckSources(d.Sources))
	for _, v := range p.List() {
		assert.NotEmpty(t, v.Note, "%s says what it is", v.ID)
		assert.Contains(t, []budget.Status{budget.Published, budget.Derived, budget.Assumed}, v.Status, v.ID)
	}
	// Published average core growth 2.72% (2026/27) and 2.92% (2027/28)
	// [HL14384], then the real growth of NHS England's planned revenue in
	// 2028/29 on the OBR November 2025 deflator, 3.0262% [PUB-07, PUB-08];
	// Bank of England target 2% [BOE-REMIT].
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	assert.Equal(t, "0.030262", s.RealGrowth.String())
	assert.Equal(t, "0.0272", s.Growth[budget.MustYear("2026/27")].String())
	assert.Equal(t, "0.0292", s.Growth[budget.MustYear("2027/28")].String())
	assert.True(t, s.FixedCash[budget.MustYear("2027/28")])
	assert.False(t, s.FixedCash[budget.MustYear("2028/29")])
	assert.Equal(t, "core-2025/26", s.Convergence[dataset.Core].Name)
	assert.Equal(t, alloc.HoldNonRecurrent, s.NonRecurrent)
	_, ok := s.Convergence[dataset.POD]
	assert.False(t, ok, "POD has no fair-share targets and does not converge")
	assert.Len(t, s.Growth, 9, "2026/27 to 2034/35")
	assert.Equal(t, "PUB-08, UPSTREAM-ASSUMPTION, BOE-REMIT, HL14384, OBR-2025-11, S2 (parameters.csv lines 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 25)", s.Source)
	assert.Equal(t, "the 2025/26 core convergence policy carried forward [S2; parameters.csv:19]", p.Cite("settlement.sr2025.convergence.core"))
	ext, err := p.LongRunExtension()
	require.NoError(t, err)
	assert.Equal(t, "grow 0.02", ext.String())
	f, err := alloc.FoldedSettlement(d)
	require.NoError(t, err)
	assert.Equal(t, "2026/27", f.Consolidations[0].From.String())
}

// TestUserParametersChangeTheSettlement: a parameters file with other
// values gives another settlement, so the values have one home.
func TestUserParametersChangeTheSettlement(t *testing.T) {
	d := embeddedData(t)
	var buf bytes.Buffer
	require.NoError(t, d.Parameters.Write(&buf))
	edit := func(old, new string) *dataset.Data {
		t.Helper()
		in := strings.Replace(buf.String(), old, new, 1)
		require.NotEqual(t, buf.String(), in, "the edit %q applies", old)
		p, err := dataset.ReadParameters(strings.NewReader(in), "mine.csv")
		require.NoError(t, err)
		own := *d
		own.Parameters = p
		return &own
	}
	base, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	y := budget.MustYear("2026/27")

	faster, err := alloc.DefaultSettlement(edit("settlement.sr2025.cash_growth.2026/27,0.0272,", "settlement.sr2025.cash_growth.2026/27,0.04,"))
	require.NoError(t, err)
	assert.Equal(t, "0.04", faster.Growth[y].String())
	later := budget.MustYear("2029/30")
	faster, err = alloc.DefaultSettlement(edit("settlement.sr2025.real_growth,0.030262,", "settlement.sr2025.real_growth,0.05,"))
	require.NoError(t, err)
	assert.Equal(t, 1, faster.Growth[later].Decimal().Cmp(base.Growth[later].Decimal()), "5%% real grows faster than 3.03%%")
	assert.True(t, faster.Growth[y].Equal(base.Growth[y]), "a year set in cash does not move with real growth")

	// The settlement's years are its cash-growth years and the period of its real growth.
	shorter, err := alloc.DefaultSettlement(edit("settlement.sr2025.real_growth,0.030262,fraction,2028/29-2034/35,", "settlement.sr2025.real_growth,0.030262,fraction,2028/29-2030/31,"))
	require.NoError(t, err)
	assert.Len(t, shorter.Growth, 5)
	_, err = alloc.DefaultSettlement(edit("settlement.sr2025.real_growth,0.030262,fraction,2028/29-2034/35,", "settlement.sr2025.real_growth,0.030262,fraction,2029/30-2034/35,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), `mine.csv:4: column "period": value "2029/30-2034/35": parameter settlement.sr2025.real_growth: value out of range: real growth starts the year after the last cash-growth year, 2028/29`)
	_, err = alloc.DefaultSettlement(edit("settlement.sr2025.cash_growth.2027/28,0.0292,fraction,2027/28,", "settlement.sr2025.cash_growth.2027/28,0.0292,fraction,2028/29,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), `mine.csv:3: column "period": value "2028/29": parameter settlement.sr2025.cash_growth.2027/28: value out of range: the period of a year's cash growth is that year, 2027/28`)

	// 3 where 3% (0.03) is meant.
	_, err = alloc.DefaultSettlement(edit("settlement.sr2025.real_growth,0.030262,", "settlement.sr2025.real_growth,3,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), `mine.csv:4: column "value": value "3": parameter settlement.sr2025.real_growth: value out of range: want a fraction from -0.2 to 0.2 (0.03 is 3%)`)

	// A period that does not cover the years the parameter is used for.
	_, err = alloc.DefaultSettlement(edit("settlement.sr2025.rca_growth,0,fraction,2026/27-2034/35,", "settlement.sr2025.rca_growth,0,fraction,2026/27-2027/28,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), `column "period": value "2026/27-2027/28": parameter settlement.sr2025.rca_growth: value out of range: it is used for 2026/27-2034/35`)
	_, err = alloc.DefaultSettlement(edit("deflator.long_run_inflation,0.02,fraction,2030/31-2034/35,", "deflator.long_run_inflation,0.02,fraction,2031/32-2032/33,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), "deflator.long_run_inflation")

	_, err = alloc.DefaultSettlement(edit("settlement.sr2025.deflator,obr-2025-11,", "settlement.sr2025.deflator,obr-2099,"))
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.Contains(t, err.Error(), `mine.csv:6: column "value": value "obr-2099": parameter settlement.sr2025.deflator`)

	noPMC, err := alloc.DefaultSettlement(edit("settlement.sr2025.convergence.pmc,pmc-2025/26,name,2026/27-2034/35,assumption,S2,the 2025/26 primary medical care convergence policy carried forward\n", ""))
	require.NoError(t, err)
	_, ok := noPMC.Convergence[dataset.PMC]
	assert.False(t, ok, "a stream with no convergence parameter does not converge")

	_, err = alloc.DefaultSettlement(edit("settlement.sr2025.convergence.core,core-2025/26,", "settlement.sr2025.convergence.core,core-2031/32,"))
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.Contains(t, err.Error(), `convergence policy "core-2031/32"`)

	_, err = alloc.DefaultSettlement(edit("settlement.sr2025.non_recurrent,hold,", "settlement.sr2025.non_recurrent,keep,"))
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.Contains(t, err.Error(), `mine.csv:8: column "value": value "keep": parameter settlement.sr2025.non_recurrent`)

	_, err = alloc.DefaultSettlement(edit("convergence.core-2025/26.above_cap,0.005,", "convergence.core-2025/26.above_cap,-0.005,"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), "a cap cannot be below zero")

	_, err = alloc.DefaultSettlement(nil)
	assert.ErrorIs(t, err, budget.ErrNoData)
}

// embeddedFolder is a copy of the embedded data files, to edit.
func embeddedFolder(t *testing.T) fstest.MapFS {
	t.Helper()
	files := fstest.MapFS{}
	for _, name := range dataset.DataFiles() {
		b, err := fs.ReadFile(dataset.EmbeddedFiles(), name)
		require.NoError(t, err)
		files[name] = &fstest.MapFile{Data: b}
	}
	return files
}

func TestReadDataNamesTheProblem(t *testing.T) {
	files := embeddedFolder(t)
	_, err := dataset.ReadData(files, "copy")
	require.NoError(t, err)

	delete(files, dataset.GrantFile)
	_, err = dataset.ReadData(files, "copy")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "grant.csv")

	_, err = dataset.ReadData(nil, "none")
	assert.ErrorIs(t, err, budget.ErrFormat)
}

func FuzzReadParameters(f *testing.F) {
	f.Add(paramHeader + "settlement.sr2025.real_growth,0.03,fraction,2026/27-2034/35,published,P8,\"a, note\"\n")
	f.Add(paramHeader + "a,2026/27,year,2026/27,derived,S2,\nb,14.3,ratio,any,published,M,\n")
	f.Add(paramHeader + "a,1,share,any,assumption,U,\nb,0,years,any,assumption,U,\nc,hold,name,any,assumption,U,\n")
	f.Fuzz(func(t *testing.T, in string) {
		roundTrip(t, in, dataset.ReadParameters, dataset.Parameters.Write)
		if p, err := dataset.ReadParameters(strings.NewReader(in), "fuzz.csv"); err == nil {
			for _, v := range p.List() {
				if _, err := p.Get(v.ID); err != nil {
					t.Fatalf("accepted parameter %q cannot be got: %v", v.ID, err)
				}
			}
		}
	})
}

// TestEmbeddedIsIndependent: what one caller changes in its Data is not
// seen by the next.
func TestEmbeddedIsIndependent(t *testing.T) {
	a, err := dataset.Embedded()
	require.NoError(t, err)
	a.Parameters = dataset.Parameters{}
	a.Vintage = "mine"
	a.EnglandTotals[0].Measure = "changed"
	b, err := dataset.Embedded()
	require.NoError(t, err)
	assert.Equal(t, dataset.EmbeddedVintage, b.Vintage)
	assert.Positive(t, b.Parameters.Len())
	assert.NotEqual(t, "changed", b.EnglandTotals[0].Measure)
}

func TestReadRefusesTextThatIsNotUTF8(t *testing.T) {
	_, err := dataset.ReadParameters(strings.NewReader(paramHeader+"a.b,0.03,fraction,any,published,P8,caf\xe9\n"), "latin1.csv")
	require.Error(t, err)
	assert.ErrorIs(t, err, budget.ErrFormat)
	assert.Contains(t, err.Error(), `latin1.csv:2: column "note"`)
	assert.Contains(t, err.Error(), "not UTF-8 text")
	// A year written 2026-27 is kept as 2026/27, and a period as a span.
	p, err := dataset.ReadParameters(strings.NewReader(paramHeader+"y,2026-27,year,2026-27,derived,S2,\n"), "y.csv")
	require.NoError(t, err)
	v, _ := p.Get("y")
	assert.Equal(t, "2026/27", v.Value)
	assert.Equal(t, "2026/27", v.Period)
	assert.Equal(t, 2, v.Line)
	// An ID the library does not read is named, with its line.
	p, err = dataset.ReadParameters(strings.NewReader(paramHeader+"settlement.sr2025.real_grwth,0.03,fraction,any,published,P8,\n"), "typo.csv")
	require.NoError(t, err)
	err = p.CheckKnown()
	assert.ErrorIs(t, err, budget.ErrUnknown)
	assert.Contains(t, err.Error(), `typo.csv:2: column "id": value "settlement.sr2025.real_grwth"`)
	assert.NoError(t, embeddedData(t).Parameters.CheckKnown())
}

// TestReadDataRefusesAMissingParameter: a folder whose parameters.csv
// lacks a parameter of the library's own is refused, naming each one
// missing (removing settlement.sr2025.convergence.core turned convergence
// off, and half the rows could go without an error).
func TestReadDataRefusesAMissingParameter(t *testing.T) {
	files := embeddedFolder(t)
	var kept []string
	for _, line := range strings.SplitAfter(string(files[dataset.ParametersFile].Data), "\n") {
		if !strings.HasPrefix(line, "settlement.sr2025.convergence.core,") && !strings.HasPrefix(line, "benefits.") {
			kept = append(kept, line)
		}
	}
	files[dataset.ParametersFile] = &fstest.MapFile{Data: []byte(strings.Join(kept, ""))}
	_, err := dataset.ReadData(files, "copy")
	require.ErrorIs(t, err, budget.ErrNoData)
	assert.ErrorContains(t, err, `parameters.csv: column "id": value "settlement.sr2025.convergence.core"`)
	assert.ErrorContains(t, err, `parameter "benefits.`)

	p, err := dataset.Embedded()
	require.NoError(t, err)
	assert.NoError(t, p.Parameters.CheckComplete(p.Parameters))
}

// TestManyUnknownParametersAreCounted: a file of many unknown IDs names
// the first ten and counts the rest, so that the error stays readable and
// its size bounded (1.8 million of them took the programs out of memory
// joining one error for each).
func TestManyUnknownParametersAreCounted(t *testing.T) {
	var b strings.Builder
	b.WriteString(paramHeader)
	for i := range 25 {
		fmt.Fprintf(&b, "made.up.%d,0.1,fraction,any,published,S1,\n", i)
	}
	p, err := dataset.ReadParameters(strings.NewReader(b.String()), "many.csv")
	require.NoError(t, err)
	err = p.CheckKnown()
	require.ErrorIs(t, err, budget.ErrUnknown)
	assert.Equal(t, 11, strings.Count(err.Error(), "many.csv"), "ten named and one count")
	assert.Contains(t, err.Error(), `many.csv:11: column "id": value "made.up.9"`)
	assert.Contains(t, err.Error(), "many.csv: unknown name: and 15 more unknown parameters")
}

// TestEnglandTotalTwiceIsRefused: a total given twice (a wrong value
// first, the published one after) was taken, and only the last was held
// to the allocations; it is a duplicate naming both lines.
func TestEnglandTotalTwiceIsRefused(t *testing.T) {
	b, err := dataset.EmbeddedFiles().(interface {
		ReadFile(string) ([]byte, error)
	}).ReadFile(dataset.EnglandTotalsFile)
	require.NoError(t, err)
	lines := strings.SplitAfter(string(b), "\n")
	in := lines[0] + lines[1] + strings.Join(lines[1:], "")
	_, err = dataset.ReadEnglandTotals(strings.NewReader(in), "totals.csv")
	require.ErrorIs(t, err, budget.ErrDuplicate)
	assert.ErrorContains(t, err, `totals.csv:3: column "measure"`)
	assert.ErrorContains(t, err, "is also on line 2")
}

// TestPopulationOfNoICBIsRefused: a population of an area that is neither
// England nor an ICB was taken silently (1.7 million of them ran the
// programs out of memory restating them); it is named by its line.
func TestPopulationOfNoICBIsRefused(t *testing.T) {
	files := embeddedFolder(t)
	pops := string(files[dataset.PopulationsFile].Data)
	n := strings.Count(pops, "\n")
	files[dataset.PopulationsFile] = &fstest.MapFile{Data: []byte(pops + "2013/14,ZZZ,Nowhere,registered,1,published,ONS-MYE-2011\n")}
	_, err := dataset.ReadData(files, "copy")
	require.ErrorIs(t, err, budget.ErrUnknown)
	assert.ErrorContains(t, err, fmt.Sprintf(`populations.csv:%d: column "area_code": value "ZZZ": unknown name: neither England (ENG) nor an ICB of the allocations`, n+1))
}
