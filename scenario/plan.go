package scenario

import (
	"fmt"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/prevention"
)

// plan is a scenario compiled against a runner's data: every input of the
// model resolved once, for both of its evaluators. Run's exact ledger
// (prevention.Run: decimal money, pennies, parts adding up to totals)
// evaluates it; Simulate's float evaluator (fastModel) is built from the
// same plan and the ledger's evaluation of it; a goal seek, a council's
// view and Describe read it. Nothing in it is resolved again elsewhere:
//   - the projection: the published allocations on the scenario's basis and
//     footprint, projected under its settlement (growth, folds,
//     convergence, the rules for non-recurrent money) to its horizon;
//   - the prevention inputs: grant, populations, NHS England's revenue,
//     the ICBs' published grant shares, a council file's grants;
//   - the prevention model: years, share rule, budget base, funding, grant
//     rule and floors, deflator, price base, benefits and QALYs;
//   - the discounting schedule with its year 0, and the prices its present
//     values are in.
//
// A plan is immutable once compiled, and safe for concurrent use.
type plan struct {
	s     Scenario
	in    prevention.Inputs
	m     prevention.Model
	sched Schedule
	pp    pvPrices
}

// projection is the plan's projection of the allocations.
func (p *plan) projection() *alloc.Projection { return p.in.Projection }

// compile validates s on the runner's data and resolves everything its
// evaluation reads. Its errors are Validate's (a *ValidationError naming
// each field), then those of resolving, which name the scenario.
func (r *Runner) compile(s Scenario) (*plan, error) {
	if r == nil || r.data == nil {
		return nil, fmt.Errorf("scenario %q: %w: a Runner without data (use NewRunner with dataset.Embedded or dataset.ReadData)", s.Name, budget.ErrNoData)
	}
	fd, fdErr := r.dataFor(s)
	if err := s.validate(r.data, fd, fdErr, r.settlementOf(s)); err != nil {
		return nil, err
	}
	fail := func(err error) (*plan, error) { return nil, fmt.Errorf("scenario %q: %w", s.Name, err) }
	proj, err := r.projection(s)
	if err != nil {
		return fail(err)
	}
	m, err := s.model(r.data)
	if err != nil {
		return fail(err)
	}
	rev := map[budget.Year]budget.Money{}
	for _, y := range m.Years.Years() {
		v, ok, err := r.data.Parameters.NHSERevenue(y)
		if err != nil {
			return fail(err)
		}
		if ok {
			rev[y] = v
		}
	}
	shares, err := prevention.PublishedICBGrantShares(r.data.Grant)
	if err != nil {
		return fail(err)
	}
	in := prevention.Inputs{Projection: proj, Grant: r.data.Grant, Populations: r.data.Populations, NHSERevenue: rev, ICBGrantShares: shares, Splits: r.splits}
	if s.Councils != nil {
		if in.Councils, err = s.Councils.grant(s.Name, footprintName(s.Footprint)); err != nil {
			return nil, err
		}
	}
	sched, err := s.schedule(r.data)
	if err != nil {
		return fail(err)
	}
	pp, err := presentValuePrices(m, sched)
	if err != nil {
		return fail(err)
	}
	return &plan{s: s, in: in, m: m, sched: sched, pp: pp}, nil
}
