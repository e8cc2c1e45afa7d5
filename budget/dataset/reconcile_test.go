package dataset_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

// rewriteCSV passes each data row of a CSV file through fn (which may drop
// a row by returning nil) and returns the file.
func rewriteCSV(t *testing.T, write func(*bytes.Buffer) error, fn func(rec []string) []string) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, write(&buf))
	recs, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	require.NoError(t, w.Write(recs[0]))
	for _, r := range recs[1:] {
		if r = fn(r); r != nil {
			require.NoError(t, w.Write(r))
		}
	}
	w.Flush()
	return out.String()
}

// rewrite writes the embedded allocations with each row passed through fn
// and reads them back.
func rewrite(t *testing.T, fn func(rec []string) []string) *dataset.Allocations {
	t.Helper()
	in := rewriteCSV(t, func(b *bytes.Buffer) error { return embeddedData(t).Allocations.Write(b) }, fn)
	a, err := dataset.ReadAllocations(strings.NewReader(in), "mine.csv")
	require.NoError(t, err)
	return a
}

// shiftColumn moves the decimal point of column col by places.
func shiftColumn(col int, places int32) func([]string) []string {
	return func(r []string) []string {
		r[col] = decimal.RequireFromString(r[col]).Shift(places).String()
		return r
	}
}

func TestReconcile(t *testing.T) {
	pub := embeddedData(t).Allocations
	same := rewrite(t, func(r []string) []string { return r })
	require.NoError(t, same.Reconcile(pub, "mine.csv"))

	// In £ thousands (columns: ... value, unit ...): every amount 1,000 times too small.
	thousands := rewrite(t, func(r []string) []string {
		if r[8] == "GBP" {
			r[7] = decimal.RequireFromString(r[7]).Shift(-3).String()
		}
		return r
	})
	err := thousands.Reconcile(pub, "mine.csv")
	require.ErrorIs(t, err, dataset.ErrUnreconciled)
	// Core services 2025/26, England: £124,345.8m published [S2].
	// Core recurrent 2022/23 (restated baseline), England: £94,591.175m [S1].
	assert.Contains(t, err.Error(), "mine.csv: does not add up to the published figures: 2022/23 core recurrent adds up to £94.591m for England, published £94,591.175m: about 1,000 times too small; the file looks like £ thousands, and amounts are in pounds")
	assert.Contains(t, err.Error(), "and 40 more", "three problems and a count, not forty-three")

	// Growth written as per cents: 100 times the published fraction.
	percent := rewrite(t, func(r []string) []string {
		if r[5] == "growth" {
			r[7] = decimal.RequireFromString(r[7]).Shift(2).String()
		}
		return r
	})
	err = percent.Reconcile(pub, "mine.csv")
	require.ErrorIs(t, err, dataset.ErrUnreconciled)
	assert.Contains(t, err.Error(), "100 times the published figure; fractions are wanted (0.03 is 3%)")
	assert.Regexp(t, `mine\.csv:\d+: column "value"`, err.Error(), "a fraction that differs is named at its line")

	// Targets of £1 would make every distance from target absurd.
	targets := rewrite(t, func(r []string) []string {
		if r[5] == "target" {
			r[7] = "1"
		}
		return r
	})
	err = targets.Reconcile(pub, "mine.csv")
	require.ErrorIs(t, err, dataset.ErrUnreconciled)
	assert.Contains(t, err.Error(), "core target adds up to £0.000m for England")

	// A lower-case code is not a published ICB.
	lower := rewrite(t, func(r []string) []string {
		if r[1] == "QE1" {
			r[1] = "qe1"
		}
		return r
	})
	err = lower.Reconcile(pub, "mine.csv")
	assert.Contains(t, err.Error(), "1 ICBs are not in the published data (codes are NHS ODS codes in capitals, such as QE1): qe1")

	// One ICB left out: England would be the sum of 41.
	noQE1 := rewrite(t, func(r []string) []string {
		if r[1] == "QE1" {
			return nil
		}
		return r
	})
	err = noQE1.Reconcile(pub, "mine.csv")
	require.ErrorIs(t, err, dataset.ErrUnreconciled)
	assert.Contains(t, err.Error(), "1 of the 42 ICBs are missing: QE1")

	// The grant in £ millions.
	in := rewriteCSV(t, func(b *bytes.Buffer) error { return embeddedData(t).Grant.Write(b) }, shiftColumn(3, -6))
	g, err := dataset.ReadGrant(strings.NewReader(in), "grant_m.csv")
	require.NoError(t, err)
	err = g.Reconcile(embeddedData(t).Grant, "grant_m.csv")
	require.ErrorIs(t, err, dataset.ErrUnreconciled)
	assert.Contains(t, err.Error(), "1,000,000 times too small; the file looks like £ millions")
}

func TestReconcileGrantDeflatorsPopulations(t *testing.T) {
	d := embeddedData(t)
	// A mistyped measure drops the 2025/26 total: the year is missing.
	var gb bytes.Buffer
	require.NoError(t, d.Grant.Write(&gb))
	typo := strings.Replace(gb.String(), "2025/26,total,", "2025/26,totl,", -1)
	g, err := dataset.ReadGrant(strings.NewReader(typo), "grant.csv")
	require.NoError(t, err)
	err = g.Reconcile(d.Grant, "grant.csv")
	require.ErrorIs(t, err, dataset.ErrUnreconciled)
	assert.Contains(t, err.Error(), "no total for 2025/26")

	// Deflator changes written as fractions (0.020639 for 2.0639%).
	in := rewriteCSV(t, func(b *bytes.Buffer) error { return d.Deflators.Write(b) }, shiftColumn(4, -2))
	ds, err := dataset.ReadDeflators(strings.NewReader(in), "deflators.csv")
	require.NoError(t, err)
	err = ds.Reconcile(d.Deflators, "deflators.csv")
	require.ErrorIs(t, err, dataset.ErrUnreconciled)
	assert.Contains(t, err.Error(), "100 times too small; the changes are per cents")
	require.NoError(t, d.Deflators.Reconcile(d.Deflators, "same.csv"))
	require.NoError(t, d.Populations.Reconcile(d.Populations, "same.csv"))
	require.NoError(t, d.Grant.Reconcile(d.Grant, "same.csv"))
}

// TestReconcileEnglandTotals: a truncated England totals file, or one in
// £k, does not pass for the published one.
func TestReconcileEnglandTotals(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	pub := d.EnglandTotals
	require.NoError(t, dataset.ReconcileEnglandTotals(pub, pub, "england_totals.csv"))
	err = dataset.ReconcileEnglandTotals(pub[:19], pub, "england_totals.csv")
	assert.ErrorIs(t, err, dataset.ErrUnreconciled)
	assert.ErrorContains(t, err, "a row may be missing")
	thousands := append([]dataset.EnglandTotal(nil), pub...)
	thousands[0].Amount = budget.MoneyFromDecimal(thousands[0].Amount.Decimal().Shift(-3))
	err = dataset.ReconcileEnglandTotals(thousands, pub, "england_totals.csv")
	assert.ErrorIs(t, err, dataset.ErrUnreconciled)
	assert.ErrorContains(t, err, "1,000 times")
}
