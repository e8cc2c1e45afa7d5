package prevention

import (
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/dec"
)

// pennyShare is m.MulShare(s).Round(2), the ledger's rule for a share of a
// budget (prevention spending, the counterfactual): the product rounded
// half away from zero to budget.WorkingScale places, then to the penny,
// computed in dec without allocating.
func pennyShare(m budget.Money, s budget.Share) budget.Money {
	return budget.Money(dec.D(m).Mul(dec.From(s.Decimal())).Round(budget.WorkingScale).Round(2))
}
