// Package hostile holds a corpus of hostile inputs (testdata/), each a case
// an adversarial run found, and a test that feeds every file to every
// loader of the library: each gets a typed error (a *budget.FileError or a
// *scenario.FieldError wrapping a sentinel) or a documented result, never a
// panic. Add a file for each new case.
package hostile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
	"github.com/upstream-health/upstream/scenario"
)

// loaders are the library's readers, each as a function of a file's bytes.
func loaders(d *dataset.Data, x dataset.CouncilCrosswalk) map[string]func(name string, b []byte) error {
	r := func(b []byte) *bytes.Reader { return bytes.NewReader(b) }
	return map[string]func(string, []byte) error{
		"allocations":   func(n string, b []byte) error { _, err := dataset.ReadAllocations(r(b), n); return err },
		"parameters":    func(n string, b []byte) error { _, err := dataset.ReadParameters(r(b), n); return err },
		"deflators":     func(n string, b []byte) error { _, err := dataset.ReadDeflators(r(b), n); return err },
		"populations":   func(n string, b []byte) error { _, err := dataset.ReadPopulations(r(b), n); return err },
		"footprints":    func(n string, b []byte) error { _, err := dataset.ReadFootprints(r(b), n); return err },
		"grant":         func(n string, b []byte) error { _, err := dataset.ReadGrant(r(b), n); return err },
		"sources":       func(n string, b []byte) error { _, err := dataset.ReadSources(r(b), n); return err },
		"totals":        func(n string, b []byte) error { _, err := dataset.ReadEnglandTotals(r(b), n); return err },
		"crosswalk":     func(n string, b []byte) error { _, err := dataset.ReadCouncilCrosswalk(r(b), n); return err },
		"council grant": func(n string, b []byte) error { _, err := prevention.ReadCouncilGrant(r(b), n); return err },
		"council file": func(n string, b []byte) error {
			_, err := prevention.CouncilAllocations(r(b), n, x, dataset.Footprint2026, prevention.CouncilOptions{})
			return err
		},
		"scenario": func(n string, b []byte) error {
			s, err := scenario.Load(r(b), n, d)
			if err != nil {
				return err
			}
			res, err := scenario.Run(d, s)
			if err != nil {
				return err
			}
			var out bytes.Buffer
			if err := res.WriteRows(&out); err != nil {
				return err
			}
			if strings.HasPrefix(s.Name, "=") && strings.Contains(out.String(), "\n\""+s.Name[:2]) {
				return errors.New("a formula name reached the CSV unneutralised")
			}
			return nil
		},
	}
}

// typed reports whether err is one of the library's typed errors.
func typed(err error) bool {
	var fe *budget.FileError
	var se *scenario.FieldError
	return errors.As(err, &fe) || errors.As(err, &se)
}

func TestHostileCorpus(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	ls := loaders(d, x)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		name := filepath.Base(f)
		for what, load := range ls {
			if strings.HasSuffix(name, ".json") != (what == "scenario") {
				continue // JSON goes to the scenario reader, CSV to the others
			}
			var err error
			require.NotPanics(t, func() { err = load(name, b) }, "%s as %s", name, what)
			if err != nil {
				assert.True(t, typed(err), "%s as %s: an untyped error: %v", name, what, err)
				assert.Less(t, len(err.Error()), 4000, "%s as %s: a short message", name, what)
			}
		}
	}
}

// TestHostileCases: what each case of the corpus gives where it matters.
func TestHostileCases(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	ls := loaders(d, x)
	for _, tc := range []struct {
		file, loader string
		want         error  // nil: it loads, as documented
		text         string // in the message
	}{
		// Loaded, then divided real terms by zero in a run.
		{"deflator_near_minus_100.csv", "deflators", budget.ErrRange, "from -50 to 100"},
		// A CSV parser's complaint about quotes.
		{"workbook.csv", "allocations", budget.ErrFormat, "a zip file (an .xlsx workbook?)"},
		{"binary.csv", "parameters", budget.ErrFormat, "a binary file"},
		{"empty.csv", "grant", budget.ErrFormat, "empty file"},
		// "unknown column" without saying which.
		{"trailing_comma.csv", "parameters", budget.ErrFormat, "column 8 of the header has no name (a trailing comma?)"},
		// Dropped silently.
		{"restated_misspelt.csv", "allocations", budget.ErrNoData, `no non_recurrent item "elektive"`},
		// A name that would be a formula loads; every CSV written neutralises it.
		{"formula_name.csv", "allocations", nil, ""},
		{"scenario_formula_name.json", "scenario", nil, ""},
		// Read as 0.
		{"scenario_null_in_distribution.json", "scenario", budget.ErrSyntax, `"uncertain[0].distribution.a"`},
		// Accepted, discounting from 1900/01.
		{"scenario_pv_base_1900.json", "scenario", budget.ErrRange, `"present_value_base"`},
		{"scenario_shift_past_horizon.json", "scenario", budget.ErrRange, "ends before the shift does"},
		{"council_formula_negative.csv", "council file", budget.ErrNegative, ""},
	} {
		b, err := os.ReadFile(filepath.Join("testdata", tc.file))
		require.NoError(t, err)
		err = ls[tc.loader](tc.file, b)
		if tc.want == nil {
			assert.NoError(t, err, tc.file)
			continue
		}
		assert.ErrorIs(t, err, tc.want, tc.file)
		assert.ErrorContains(t, err, tc.text, tc.file)
		assert.ErrorContains(t, err, tc.file, "%s: the error names the file", tc.file)
	}
	// NHS England's revenue given for the wrong year loads as a parameter,
	// and is refused where it is used, naming the line.
	b, err := os.ReadFile(filepath.Join("testdata", "revenue_wrong_period.csv"))
	require.NoError(t, err)
	p, err := dataset.ReadParameters(bytes.NewReader(b), "revenue_wrong_period.csv")
	require.NoError(t, err)
	_, _, err = p.NHSERevenue(budget.MustYear("2028/29"))
	assert.ErrorIs(t, err, budget.ErrRange)
	assert.ErrorContains(t, err, "revenue_wrong_period.csv:2")
}
