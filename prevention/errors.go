package prevention

import (
	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/dec"
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

// oneDec is 1 in dec.
var oneDec = dec.New(1, 0)
