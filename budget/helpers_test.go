package budget_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget/dataset"
)

// embeddedData is the data the library ships.
func embeddedData(t testing.TB) *dataset.Data {
	t.Helper()
	d, err := dataset.Embedded()
	require.NoError(t, err)
	return d
}
