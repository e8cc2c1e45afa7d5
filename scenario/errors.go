package scenario

import "github.com/upstream-health/upstream/budget"

// The package reports problems with the sentinels of package budget.
var (
	errUnknown = budget.ErrUnknown
	errRange   = budget.ErrRange
)
