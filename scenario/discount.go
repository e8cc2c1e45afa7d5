package scenario

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
)

// Discount is a discounting schedule of the HM Treasury Green Book.
type Discount int

const (
	// GreenBook is the social time preference rate: 3.5% a year for years
	// 1-30, 3.0% for years 31-75, 2.5% after (HM Treasury, Green Book
	// 2020, Annex A6; restated in the December 2025 review terms of
	// reference, notes/prevention_context.md).
	GreenBook Discount = iota + 1
	// GreenBookHealth is the schedule for health and life values: 1.5%,
	// 1.29%, 1.07% over the same bands (Green Book 2020, Annex A6).
	GreenBookHealth
)

var discountNames = map[Discount]string{GreenBook: "green-book", GreenBookHealth: "green-book-health"}

// String is "green-book" or "green-book-health".
func (d Discount) String() string {
	if n, ok := discountNames[d]; ok {
		return n
	}
	return fmt.Sprintf("Discount(%d)", int(d))
}

// ParseDiscount reads "green-book" or "green-book-health".
func ParseDiscount(s string) (Discount, error) {
	for k, v := range discountNames {
		if v == s {
			return k, nil
		}
	}
	return 0, fmt.Errorf("discounting %q: %w: want green-book or green-book-health", s, budget.ErrUnknown)
}

var rates = map[Discount][3]decimal.Decimal{
	GreenBook:       {decimal.RequireFromString("0.035"), decimal.RequireFromString("0.03"), decimal.RequireFromString("0.025")},
	GreenBookHealth: {decimal.RequireFromString("0.015"), decimal.RequireFromString("0.0129"), decimal.RequireFromString("0.0107")},
}

// Rate is the discount rate of year t (1 for the first year after the base year).
func (d Discount) Rate(t int) decimal.Decimal {
	r := rates[d]
	switch {
	case t <= 30:
		return r[0]
	case t <= 75:
		return r[1]
	}
	return r[2]
}

// Factor is the discount factor of year t: the product over years 1..t of
// 1 / (1 + rate), at budget.WorkingScale places after each step. Year 0
// (the base year) has factor 1; 2024/25 discounted to 2023/24 on the Green
// Book schedule is 1 / 1.035.
func (d Discount) Factor(t int) decimal.Decimal {
	f := one
	for k := 1; k <= t; k++ {
		f = f.DivRound(one.Add(d.Rate(k)), budget.WorkingScale)
	}
	return f
}

var one = decimal.NewFromInt(1)
