package budget_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
)

// rewrite writes the embedded allocations with each row passed through fn
// (which may drop a row by returning nil) and reads them back.
func rewrite(t *testing.T, fn func(rec []string) []string) *budget.Allocations {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, budget.WriteAllocations(&buf, embeddedData(t).Allocations))
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
	a, err := budget.ReadAllocations(strings.NewReader(out.String()), "mine.csv")
	require.NoError(t, err)
	return a
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
	require.ErrorIs(t, err, budget.ErrUnreconciled)
	// Core services 2025/26, England: £124,345.8m published [S2].
	assert.Contains(t, err.Error(), "mine.csv: does not add up to the published figures: 2022/23 core adds up to £98.651m for England, published £98,651.377m: about 1,000 times too small; the file looks like £ thousands, and amounts are in pounds")
	assert.Contains(t, err.Error(), "and 13 more", "three problems and a count, not sixteen")

	// One ICB left out: England would be the sum of 41.
	noQE1 := rewrite(t, func(r []string) []string {
		if r[1] == "QE1" {
			return nil
		}
		return r
	})
	err = noQE1.Reconcile(pub, "mine.csv")
	require.ErrorIs(t, err, budget.ErrUnreconciled)
	assert.Contains(t, err.Error(), "1 of the 42 ICBs are missing: QE1")

	// The grant in £ millions.
	var gb bytes.Buffer
	require.NoError(t, budget.WriteGrant(&gb, embeddedData(t).Grant))
	recs, err := csv.NewReader(&gb).ReadAll()
	require.NoError(t, err)
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	for i, r := range recs {
		if i > 0 {
			r[3] = decimal.RequireFromString(r[3]).Shift(-6).String()
		}
		require.NoError(t, w.Write(r))
	}
	w.Flush()
	g, err := budget.ReadGrant(strings.NewReader(out.String()), "grant_m.csv")
	require.NoError(t, err)
	err = g.Reconcile(embeddedData(t).Grant, "grant_m.csv")
	require.ErrorIs(t, err, budget.ErrUnreconciled)
	assert.Contains(t, err.Error(), "1,000,000 times too small; the file looks like £ millions")
}
