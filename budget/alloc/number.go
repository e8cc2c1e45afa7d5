package alloc

import (
	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/internal/dec"
)

// one is the decimal 1, shared: decimal values are immutable.
var one = decimal.NewFromInt(1)

// oneDec is 1 in dec.
var oneDec = dec.New(1, 0)
