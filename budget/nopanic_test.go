package budget_test

import (
	"io"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/table"
)

// TestNoPanicOnMisuse: every loader given a nil reader, a zero Deflator,
// a Formatter with an unknown unit, and a deflator whose index reaches zero
// give typed errors (or a documented result), never a panic.
func TestNoPanicOnMisuse(t *testing.T) {
	loaders := map[string]func(io.Reader, string) error{
		"allocations": func(r io.Reader, n string) error { _, err := dataset.ReadAllocations(r, n); return err },
		"populations": func(r io.Reader, n string) error { _, err := dataset.ReadPopulations(r, n); return err },
		"grant":       func(r io.Reader, n string) error { _, err := dataset.ReadGrant(r, n); return err },
		"deflators":   func(r io.Reader, n string) error { _, err := dataset.ReadDeflators(r, n); return err },
		"totals":      func(r io.Reader, n string) error { _, err := dataset.ReadEnglandTotals(r, n); return err },
		"sources":     func(r io.Reader, n string) error { _, err := dataset.ReadSources(r, n); return err },
		"parameters":  func(r io.Reader, n string) error { _, err := dataset.ReadParameters(r, n); return err },
		"table":       func(r io.Reader, n string) error { _, err := table.Read(r, n, []string{"a"}); return err },
	}
	for name, load := range loaders {
		t.Run(name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = load(nil, name+".csv") })
			assert.ErrorIs(t, err, budget.ErrFormat)
			assert.Contains(t, err.Error(), name+".csv")
		})
	}

	var zero budget.Deflator
	require.NotPanics(t, func() {
		_, _, err := zero.Index(budget.MustYear("2024/25"))
		assert.ErrorIs(t, err, budget.ErrNoData)
		_, _, err = zero.Growth(budget.MustYear("2024/25"))
		assert.Error(t, err)
		_, err = zero.Rebase(budget.MustYear("2024/25"))
		assert.Error(t, err)
		_, err = zero.Real(budget.Pounds(100), budget.MustYear("2024/25"), budget.MustYear("2025/26"))
		assert.Error(t, err)
		_ = zero.Span()
	})

	require.NotPanics(t, func() {
		f := budget.Formatter{Scale: 7}
		assert.Equal(t, "£1,234%!scale(7)", f.Format(budget.Pounds(1234)), "marked, as fmt marks a bad verb")
		assert.ErrorIs(t, f.Validate(), budget.ErrRange)
		assert.NoError(t, budget.Formatter{Scale: budget.ScaleMillions}.Validate())
		_ = f.RoundParts([]budget.Money{budget.Pounds(1), budget.Pounds(2)})
	})

	// A deflator that falls by 99.9999999999999% in a year: its index rounds
	// to zero at 10 places, and real terms against it would divide by zero.
	h := "year,deflator,vintage,measure,value,status,source\n"
	_, err := dataset.ReadDeflators(strings.NewReader(h+
		"2024/25,gdp,x,pct_change,1,published,S\n2025/26,gdp,x,pct_change,-99.9999999999999,published,S\n2026/27,gdp,x,pct_change,2,published,S\n"), "defl.csv")
	require.Error(t, err)
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.Contains(t, err.Error(), "defl.csv")
	_, err = dataset.ReadDeflators(strings.NewReader(h+"2024/25,gdp,x,pct_change,-100,published,S\n"), "defl.csv")
	assert.ErrorIs(t, err, budget.ErrRange)
}

// TestNoPanicOnNilAndZero: nil datasets, zero rows, nil writers and wild
// presentation settings give errors or empty values, never a panic.
func TestNoPanicOnNilAndZero(t *testing.T) {
	require.NotPanics(t, func() {
		var a *dataset.Allocations
		assert.Nil(t, a.ICBs())
		_, err := a.ICB("QE1")
		assert.ErrorIs(t, err, budget.ErrNoData)
		_, ok := a.Total(budget.MustYear("2024/25"), "QE1", dataset.Core)
		assert.False(t, ok)
		var p *alloc.Projection
		_, err = p.Cell("QE1", budget.MustYear("2024/25"), dataset.Core)
		assert.ErrorIs(t, err, budget.ErrNoData)
		_, err = p.AllocationRows("x", nil, budget.Span{}, nil)
		assert.ErrorIs(t, err, budget.ErrNoData)
		assert.ErrorIs(t, (&dataset.Data{}).WriteFile(io.Discard, dataset.AllocationsFile), budget.ErrNoData)
		// These three panicked before.
		_, err = (&dataset.Allocations{}).ICB("QE1")
		assert.ErrorIs(t, err, budget.ErrUnknown)
		var d *dataset.Data
		assert.Equal(t, "S1", d.Source("S1").ID)
		assert.ErrorIs(t, d.WriteFile(io.Discard, dataset.AllocationsFile), budget.ErrNoData)
		assert.ErrorIs(t, dataset.Sources{}.Write(nil), budget.ErrFormat)
		_, err = alloc.ReplayRound(nil, dataset.Core, budget.MustYear("2025/26"), alloc.NoConvergence())
		assert.ErrorIs(t, err, budget.ErrNoData)
		var row table.Row
		_, err = row.Decimal("value")
		assert.Error(t, err)
		assert.Equal(t, "Scale(99)", budget.Scale(99).String())
		assert.Equal(t, 30, len(strings.Split(budget.Formatter{Places: 1 << 30}.Format(budget.Pounds(1)), ".")[1]), "places beyond 30 show as 30")
		assert.NotEmpty(t, budget.FormatPercent(budget.Pounds(1).Decimal(), 1<<30))
		assert.Equal(t, "0", budget.Pounds(5).Round(-1 << 30).String()[:1])
	})
}

// TestSettlementAndProjectionChecks: growth written as a per cent, growth
// for an ICB that does not exist, a pot folded outside the projected years
// or twice, and missing populations are errors.
func TestSettlementAndProjectionChecks(t *testing.T) {
	d := embeddedData(t)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	horizon := budget.MustYear("2028/29")
	bad := s
	bad.Growth = map[budget.Year]budget.Rate{budget.MustYear("2026/27"): budget.MustRate("3")}
	assert.ErrorIs(t, bad.Validate(), budget.ErrRange)
	bad = s
	bad.ICBGrowth = map[string]map[budget.Year]budget.Rate{"ZZZ": {budget.MustYear("2026/27"): budget.MustRate("0.01")}}
	_, err = alloc.Project(d.Allocations, d.Populations, bad, horizon)
	assert.ErrorIs(t, err, budget.ErrUnknown)
	bad = s
	bad.Consolidations = []alloc.Consolidation{{Stream: dataset.Core, From: budget.MustYear("2015/16")}}
	_, err = alloc.Project(d.Allocations, d.Populations, bad, horizon)
	assert.ErrorIs(t, err, budget.ErrRange)
	bad.Consolidations = []alloc.Consolidation{{Stream: dataset.Core, From: horizon}, {Stream: dataset.Core, From: horizon}}
	assert.ErrorIs(t, bad.Validate(), budget.ErrDuplicate)
	_, err = alloc.Project(d.Allocations, dataset.Populations{}, s, horizon)
	assert.ErrorIs(t, err, budget.ErrNoData)
	_, err = alloc.Project(nil, d.Populations, s, horizon)
	assert.ErrorIs(t, err, budget.ErrNoData)
	assert.True(t, budget.MustYear("2024/25").Add(1<<40).IsZero(), "beyond any year")
	_, err = dataset.Stream(99).MarshalText()
	assert.ErrorIs(t, err, budget.ErrRange)
}

// endless reads the same bytes for ever, like /dev/zero or a FIFO.
type endless struct{ b byte }

func (e endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.b
	}
	return len(p), nil
}

// TestEndlessInputStops: a loader stops at MaxFileBytes and says so when
// fed endless rows after a header (examples/hewitt -allocations /dev/zero,
// an endless line, stops the same way, at about 300 MiB of memory), and a
// file of exactly a limit is read.
func TestEndlessInputStops(t *testing.T) {
	header := strings.Join(columnsOf(t, dataset.ParametersFile), ",") + "\n"
	for name, r := range map[string]io.Reader{
		"endless rows": io.MultiReader(strings.NewReader(header), endless{'\n'}),
	} {
		_, err := dataset.ReadParameters(r, "endless.csv")
		assert.ErrorIs(t, err, budget.ErrTooLarge, name)
		assert.ErrorContains(t, err, "endless.csv", name)
		assert.ErrorContains(t, err, "more than 16 MiB", name)
	}
	b, err := io.ReadAll(budget.LimitReader(strings.NewReader("abc"), "f", 3))
	require.NoError(t, err)
	assert.Equal(t, "abc", string(b))
	_, err = io.ReadAll(budget.LimitReader(strings.NewReader("abcd"), "f", 3))
	assert.ErrorIs(t, err, budget.ErrTooLarge)
}

// TestZeroEnglandPopulation: England's resident population of zero, which
// projected registered populations grow with, is named as England's, not
// blamed on an ICB.
func TestZeroEnglandPopulation(t *testing.T) {
	d := embeddedData(t)
	var buf strings.Builder
	require.NoError(t, d.Populations.Write(&buf))
	var lines []string
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.HasPrefix(l, "2026/27,ENG,") && strings.Contains(l, ",resident,") {
			f := strings.Split(l, ",")
			for i := range f {
				if i > 3 && f[i] != "" && strings.Trim(f[i], "0123456789.") == "" {
					f[i] = "0"
					break
				}
			}
			l = strings.Join(f, ",")
		}
		lines = append(lines, l)
	}
	pops, err := dataset.ReadPopulations(strings.NewReader(strings.Join(lines, "\n")), "pops.csv")
	require.NoError(t, err)
	s, err := alloc.DefaultSettlement(d)
	require.NoError(t, err)
	require.NotPanics(t, func() {
		_, err = alloc.Project(d.Allocations, pops, s, budget.MustYear("2028/29"))
	})
	assert.ErrorIs(t, err, budget.ErrZeroDivisor)
	assert.ErrorContains(t, err, "the resident population of England (ENG) in 2026/27 is 0")
}

// columnsOf is dataset.Columns of a data file the test knows.
func columnsOf(t testing.TB, file string) []string {
	t.Helper()
	cols, err := dataset.Columns(file)
	require.NoError(t, err)
	return cols
}

// endlessFS is a data folder in which one file never ends: a plain file
// of a terabyte (mode 0) or, as a FIFO or a link to /dev/zero is, a
// special file.
type endlessFS struct {
	fs.FS
	name string
	b    byte
	mode fs.FileMode
}

func (e endlessFS) Open(name string) (fs.File, error) {
	if name != e.name {
		return e.FS.Open(name)
	}
	return endlessFile{endless{e.b}, e.mode}, nil
}

type endlessFile struct {
	endless
	mode fs.FileMode
}

func (f endlessFile) Stat() (fs.FileInfo, error) { return endlessInfo{f.mode}, nil }
func (endlessFile) Close() error                 { return nil }

type endlessInfo struct{ mode fs.FileMode }

func (endlessInfo) Name() string        { return "endless" }
func (endlessInfo) Size() int64         { return 1 << 40 }
func (i endlessInfo) Mode() fs.FileMode { return i.mode }
func (endlessInfo) ModTime() time.Time  { return time.Time{} }
func (i endlessInfo) IsDir() bool       { return i.mode.IsDir() }
func (endlessInfo) Sys() any            { return nil }

// TestEndlessDataFolderStops: ReadData of a folder in which a data file,
// or a reference list's copy, never ends stops with an error naming that
// file (examples/compare -data DIR with DIR/populations.csv linked to
// /dev/zero ran until memory ran out, and a FIFO waited for ever). A FIFO,
// a device or a folder is refused for what it is, unread. A plain file of
// zero bytes is refused as binary at once, for every data file; endless
// text is read to MaxFileBytes, by a loader as TestEndlessInputStops
// shows, and for a reference list's copy here.
func TestEndlessDataFolderStops(t *testing.T) {
	_, err := dataset.ReadData(endlessFS{dataset.EmbeddedFiles(), dataset.ICBDirectoryFile, '\n', 0}, "test")
	assert.ErrorIs(t, err, budget.ErrTooLarge)
	assert.ErrorContains(t, err, dataset.ICBDirectoryFile)
	for _, name := range dataset.DataFiles() {
		_, err := dataset.ReadData(endlessFS{dataset.EmbeddedFiles(), name, 0, 0}, "test")
		require.Error(t, err, name)
		assert.ErrorContains(t, err, name)
	}
	for mode, kind := range map[fs.FileMode]string{fs.ModeNamedPipe: "a named pipe (FIFO)", fs.ModeDevice | fs.ModeCharDevice: "a device", fs.ModeDir: "a folder", fs.ModeSocket: "a socket"} {
		for _, name := range []string{dataset.PopulationsFile, dataset.CouncilCrosswalkFile} {
			_, err := dataset.ReadData(endlessFS{dataset.EmbeddedFiles(), name, 'x', mode}, "test")
			assert.ErrorIs(t, err, budget.ErrFormat, name)
			assert.ErrorContains(t, err, name+": malformed file: "+kind+", not a plain file", name)
		}
	}
}
