package dataset

import "github.com/shopspring/decimal"

// one is the decimal 1, shared: decimal values are immutable.
var one = decimal.NewFromInt(1)
