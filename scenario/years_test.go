package scenario_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/scenario"
)

// TestScenarioYears: a scenario's years run from 2023/24 to its horizon.
func TestScenarioYears(t *testing.T) {
	s := mustFind(t, scenario.Hewitt)
	ys := s.Years()
	assert.Equal(t, []string{"2023/24", "2028/29"}, []string{ys[0].String(), ys[len(ys)-1].String()})
	assert.Len(t, ys, 6)
	s.Horizon = budget.Year{}
	assert.Empty(t, s.Years())
}
