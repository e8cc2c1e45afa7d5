package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/cli"
	"github.com/upstream-health/upstream/internal/golden"
)

func TestGolden(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
	}{
		{"default.golden", nil},
		{"default_csv.golden", []string{"-format", "csv"}},
		{"icb_all_streams.golden", []string{"-icb", "QE1", "-stream", "all"}},
		{"folded_json.golden", []string{"-icb", "QF7", "-settlement", "sr2025-pots-folded", "-format", "json", "-from", "2025/26"}},
		{"replay_2025_26.golden", []string{"-replay", "2025/26"}},
		{"replay_2023_24_csv.golden", []string{"-replay", "2023/24", "-format", "csv"}},
		{"replay_pmc_2024_25.golden", []string{"-replay", "2024/25", "-stream", "pmc"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			require.NoError(t, run(c.args, &out, &errb))
			golden.Check(t, c.name, out.Bytes())
		})
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"-icb", "XXX"}, `-icb: ICB "XXX": unknown name`, 2},
		{[]string{"-stream", "dental"}, `"dental" is not one of core, pmc, pod, specialised, rca, all`, 2},
		{[]string{"-from", "2026/27", "-to", "2024/25"}, "ends before it starts", 2},
		{[]string{"-to", "2024/26"}, `-to: parsing year "2024/26"`, 2},
		{[]string{"-from", "2019/20"}, "the data starts in 2022/23", 2},
		{[]string{"-replay", "2022/23"}, "no observed convergence policy for core in 2022/23", 2},
		{[]string{"-replay", "2024/25", "-stream", "all"}, "-replay needs one -stream", 2},
		{[]string{"-settlement", "generous"}, `"generous" is not one of sr2025, sr2025-pots-folded`, 2},
		{[]string{"-allocations", "does-not-exist.csv"}, "no such file", 1},
		{[]string{"-to", "2040/41"}, "no growth for", 1},
	} {
		var out, errb bytes.Buffer
		code := cli.Main("allocations", run, c.args, &out, &errb)
		assert.Equal(t, c.code, code, "%v: %s", c.args, errb.String())
		assert.Contains(t, errb.String(), c.want, "%v", c.args)
		assert.Equal(t, 1, bytes.Count(errb.Bytes(), []byte("\n")), "one line: %q", errb.String())
	}
}

// TestOwnAllocationsFile: the exported data, loaded back with -allocations,
// gives byte-identical output to the embedded defaults.
func TestOwnAllocationsFile(t *testing.T) {
	d, err := budget.Embedded()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "allocations.csv")
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, budget.WriteAllocations(f, d.Allocations))
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
