package report_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"

	"github.com/upstream-health/upstream/scenario/report"
)

func TestRatio(t *testing.T) {
	for in, want := range map[string]string{
		"0.3389": "0.34 (34%)", // the Hewitt headline's shift / grant in 2028/29
		"0":      "0.00 (0%)",
		"1.2":    "1.20 (120%)",
		"0.335":  "0.34 (34%)", // half up in both forms, never 0.34 (33%)
		"-0.05":  "-0.05 (-5%)",
	} {
		assert.Equal(t, want, report.Ratio(decimal.RequireFromString(in)), in)
	}
}
