package dataset_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

func TestInputsAsPeopleTypeThem(t *testing.T) {
	for in, want := range map[string]string{"0.05": "0.05", "5%": "0.05", "5 %": "0.05", " 4.5% ": "0.045", "100%": "1"} {
		s, err := dataset.ParseShareInput(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, s.String(), in)
	}
	for _, bad := range []string{"5", "150%", "five", "5%%", ""} {
		_, err := dataset.ParseShareInput(bad)
		assert.Error(t, err, bad)
	}
	_, err := dataset.ParseShareInput("five")
	assert.ErrorContains(t, err, "want a fraction from 0 to 1 (0.05) or a percentage (5%)")
	for in, want := range map[string]string{"100000000": "100000000", "£100m": "100000000", "100m": "100000000", "1.2bn": "1200000000",
		"£1.2 bn": "1200000000", "£100,000,000": "100000000", "250k": "250000", "£4,404M": "4404000000"} {
		m, err := dataset.ParseMoneyInput(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, m.Decimal().String(), in)
	}
	for _, bad := range []string{"£", "lots", "1e9", "100mm", ""} {
		_, err := dataset.ParseMoneyInput(bad)
		assert.ErrorIs(t, err, budget.ErrSyntax, bad)
	}
}
