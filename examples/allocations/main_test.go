package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/clitest"
	"github.com/upstream-health/upstream/internal/golden"
)

func TestGolden(t *testing.T) {
	golden.Program(t, run, []golden.Case{
		{Name: "default.golden", Args: nil},
		{Name: "default_csv.golden", Args: []string{"-format", "csv"}},
		{Name: "icb_all_streams.golden", Args: []string{"-icb", "QE1", "-stream", "all"}},
		{Name: "folded_json.golden", Args: []string{"-icb", "QF7", "-settlement", "sr2025-pots-folded", "-format", "json", "-from", "2025/26"}},
		{Name: "replay_2025_26.golden", Args: []string{"-replay", "2025/26"}},
		{Name: "replay_2023_24_csv.golden", Args: []string{"-replay", "2023/24", "-format", "csv"}},
		{Name: "replay_pmc_2024_25.golden", Args: []string{"-replay", "2024/25", "-stream", "pmc"}},
	})
}

func TestErrors(t *testing.T) {
	clitest.Errors(t, "allocations", run, []clitest.Case{
		{Args: []string{"-icb", "XXX"}, Want: `-icb: ICB "XXX": unknown name`, Code: 2},
		{Args: []string{"-stream", "dental"}, Want: `"dental" is not one of core, pmc, pod, specialised, rca, all`, Code: 2},
		{Args: []string{"-from", "2026/27", "-to", "2024/25"}, Want: "ends before it starts", Code: 2},
		{Args: []string{"-to", "2024/26"}, Want: `-to: parsing year "2024/26"`, Code: 2},
		{Args: []string{"-from", "2019/20"}, Want: "the data starts in 2022/23", Code: 2},
		{Args: []string{"-replay", "2022/23"}, Want: "no observed convergence policy for core in 2022/23", Code: 2},
		{Args: []string{"-replay", "2024/25", "-stream", "all"}, Want: "-replay needs one -stream", Code: 2},
		{Args: []string{"-replay", "2024/25", "-to", "2030/31"}, Want: "-to does not apply", Code: 2},
		{Args: []string{"-settlement", "generous"}, Want: `"generous" is not one of sr2025, sr2025-low, sr2025-high, sr2025-pots-folded`, Code: 2},
		{Args: []string{"-allocations", "does-not-exist.csv"}, Want: "no such file", Code: 1},
		{Args: []string{"-to", "2040/41"}, Want: "no growth for", Code: 1},
	})
}

// TestOwnAllocationsFile: the exported data, loaded back with -allocations,
// gives byte-identical output to the embedded defaults.
func TestOwnAllocationsFile(t *testing.T) {
	d, err := dataset.Embedded()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "allocations.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, d.Allocations.Write(f))
	require.NoError(t, f.Close())
	var a, b, errb bytes.Buffer
	require.NoError(t, run([]string{"-format", "csv"}, &a, &errb))
	require.NoError(t, run([]string{"-format", "csv", "-allocations", path}, &b, &errb))
	assert.Equal(t, a.String(), b.String())

	bad := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("year,icb_code,icb_name,region,stream,measure,item,value,unit,status,source\n2024/25,QAA,N,R,core,recurrent,,-5,GBP,published,S1\n"), 0o644))
	err = run([]string{"-allocations", bad}, &a, &errb)
	assert.ErrorIs(t, err, budget.ErrNegative)
	assert.Contains(t, err.Error(), "bad.csv:2: column \"value\": value \"-5\"")
}
