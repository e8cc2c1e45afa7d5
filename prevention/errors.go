package prevention

import (
	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
)

// The package reports problems with the sentinels of package budget, so one
// errors.Is test works across the library.
var (
	ErrRange   = budget.ErrRange
	ErrUnknown = budget.ErrUnknown
	ErrNoData  = budget.ErrNoData
	ErrZero    = budget.ErrZeroDivisor
)

var one = decimal.NewFromInt(1)
