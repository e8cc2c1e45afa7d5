package budget_test

import (
	"strings"
	"testing"

	"github.com/upstream-health/upstream/budget"
)

func FuzzParseYear(f *testing.F) {
	for _, s := range []string{"2024/25", "2024-25", "1999/00", "2024/26", "24/25", "", "2199/00", "0000/01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		y, err := budget.ParseYear(s)
		if err != nil {
			return
		}
		back, err := budget.ParseYear(y.String())
		if err != nil || back != y {
			t.Fatalf("ParseYear(%q) = %v; String %q reads back as %v, %v", s, y, y.String(), back, err)
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "-1.5", "1234.56", "3181937488.0947713", "1e3", "£1", "1,000", ".5", "-", "00.100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := budget.ParseMoney(s)
		if err != nil {
			return
		}
		back, err := budget.ParseMoney(m.String())
		if err != nil || !back.Equal(m) {
			t.Fatalf("ParseMoney(%q) = %s; reads back as %s, %v", s, m, back, err)
		}
		if strings.ContainsAny(s, "eE+,£") {
			t.Fatalf("ParseMoney accepted %q", s)
		}
	})
}
