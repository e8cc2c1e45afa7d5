package clitest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	"github.com/upstream-health/upstream/budget/dataset"
)

// CouncilFile is the text of a council allocations file (as examples/hewitt
// -councils reads it) for 2025/26 that splits England's grant, £3,858m
// [PHG-21], over the 153 councils of the embedded crosswalk by registered
// population, in crosswalk order, leaving out the councils given.
func CouncilFile(t testing.TB, leaveOut ...string) string {
	t.Helper()
	return CouncilFileFor(t, "2025/26", decimal.NewFromInt(3858000000), leaveOut...)
}

// CouncilFileFor is CouncilFile for another year and England total (in
// pounds), such as 2026/27's consolidated grant.
func CouncilFileFor(t testing.TB, year string, england decimal.Decimal, leaveOut ...string) string {
	t.Helper()
	x, err := dataset.EmbeddedCouncilCrosswalk()
	require.NoError(t, err)
	parts, err := x.Parts(dataset.Footprint2026)
	require.NoError(t, err)
	reg := map[string]decimal.Decimal{}
	names := map[string]string{}
	var order []string
	total := decimal.Zero
	for _, p := range parts {
		if _, ok := reg[p.Council]; !ok {
			order = append(order, p.Council)
		}
		reg[p.Council] = reg[p.Council].Add(p.Registered.Decimal())
		names[p.Council] = p.CouncilName
		total = total.Add(p.Registered.Decimal())
	}
	var b strings.Builder
	b.WriteString("year,council_code,council_name,amount\n")
	for _, c := range order {
		if slices.Contains(leaveOut, c) {
			continue
		}
		amount := england.Mul(reg[c]).DivRound(total, 2)
		fmt.Fprintf(&b, "%s,%s,%q,%s\n", year, c, names[c], amount.StringFixed(2))
	}
	return b.String()
}
