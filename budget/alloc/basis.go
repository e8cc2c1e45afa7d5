package alloc

import (
	"errors"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/budget/internal/enum"
)

// Vintage says on which round's figures the published years are shown.
type Vintage int

const (
	// RestatedVintage shows each year on its latest restated basis: a year with a
	// later round carries that round's adjusted recurrent baseline (the
	// first-published recurrent allocation with everything added in year:
	// pay awards, transfers, capacity funding), as NHS England measures
	// growth; the latest year is as published. Non-recurrent items stay as
	// first published (the rounds restate only recurrent baselines), and so
	// does a stream the next round gives no baseline for (pharmacy,
	// optometry and dental before 2024/25).
	RestatedVintage Vintage = iota + 1
	// AsPublished shows each year as first published in its own round, for
	// reconciling with NHS England's tables. Years on different rounds are
	// not like for like.
	AsPublished
)

var roundVintageNames = enum.NewNames[Vintage]("vintage", RestatedVintage, "restated", AsPublished, "as-published")

// String is "restated" or "as-published".
func (v Vintage) String() string { return roundVintageNames.Name(v) }

// ParseVintage reads "restated" or "as-published".
func ParseVintage(s string) (Vintage, error) { return roundVintageNames.Parse(s) }

// MarshalText writes the vintage as String does.
func (v Vintage) MarshalText() ([]byte, error) { return roundVintageNames.Marshal(v) }

// UnmarshalText reads the vintage as ParseVintage does.
func (v *Vintage) UnmarshalText(b []byte) error {
	x, err := ParseVintage(string(b))
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// ScopeRule says what a restated series does with money that moved into
// ICB allocations (see ScopeChanges).
type ScopeRule int

const (
	// HeldScope shows each published year with the money in that year's ICB
	// allocations: money moved into them counts from the year it moved
	// (delegated specialised services, the SDF, ARRS and elective recovery,
	// from 2025/26; money paid to ICBs outside their allocations before, such
	// as SDF draw-downs in 2024/25, is not counted until then). Growth across a move stays on
	// one scope: the year before a move carries the amount moved as
	// Cell.Moved, outside its total, and growth into the move's year is on
	// Total + Moved, as NHS England measures it. The default.
	HeldScope ScopeRule = iota + 1
	// IncludeScope restates the years before a scope change onto the
	// current scope: the money moved is added to the year before it moved
	// (the amount moved, as NHS England adds transfers to baselines), and to
	// earlier years in proportion to England's restated recurrent money of
	// the stream (of core services, for a whole stream).
	// Every year then has the scope ICBs hold from 2025/26, which is the
	// scope of every projected year.
	IncludeScope
	// StripScope removes the money moved from the years it is in, and so
	// from every projected year: ICB budgets on the scope before the moves.
	StripScope
)

var scopeNames = enum.NewNames[ScopeRule]("scope rule", HeldScope, "held", IncludeScope, "include", StripScope, "strip")

// String is "held", "include" or "strip".
func (r ScopeRule) String() string { return scopeNames.Name(r) }

// ParseScopeRule reads "held", "include" or "strip".
func ParseScopeRule(s string) (ScopeRule, error) { return scopeNames.Parse(s) }

// MarshalText writes the rule as String does.
func (r ScopeRule) MarshalText() ([]byte, error) { return scopeNames.Marshal(r) }

// UnmarshalText reads the rule as ParseScopeRule does.
func (r *ScopeRule) UnmarshalText(b []byte) error {
	x, err := ParseScopeRule(string(b))
	if err != nil {
		return err
	}
	*r = x
	return nil
}

// AllocationBasis is how a projection shows the published years: their vintage and,
// on a restated basis, what it does with scope changes. The zero AllocationBasis is
// DefaultBasis.
type AllocationBasis struct {
	Vintage Vintage   `json:"vintage"`
	Scope   ScopeRule `json:"scope"`
}

// DefaultBasis is restated, each year with the scope of that year's ICB
// allocations: every year's level on the basis of the round after it, with
// what was in that year's allocations; growth like for like on one scope
// (see HeldScope).
func DefaultBasis() AllocationBasis {
	return AllocationBasis{Vintage: RestatedVintage, Scope: HeldScope}
}

// orDefault fills a zero vintage or scope rule with the default's.
func (b AllocationBasis) orDefault() AllocationBasis {
	d := DefaultBasis()
	if b.Vintage == 0 {
		b.Vintage = d.Vintage
	}
	if b.Scope == 0 {
		b.Scope = d.Scope
	}
	return b
}

// Validate reports an unknown vintage or scope rule (budget.ErrUnknown), and a
// scope rule of StripScope with AsPublished (budget.ErrRange): scope changes are
// restated only on the restated basis.
func (b AllocationBasis) Validate() error {
	var errs []error
	if !roundVintageNames.Valid(b.orDefault().Vintage) {
		errs = append(errs, fmt.Errorf("basis: vintage %d: %w: want %s", int(b.Vintage), budget.ErrUnknown, roundVintageNames.List()))
	}
	if !scopeNames.Valid(b.orDefault().Scope) {
		errs = append(errs, fmt.Errorf("basis: scope %d: %w: want %s", int(b.Scope), budget.ErrUnknown, scopeNames.List()))
	}
	if b.Vintage == AsPublished && b.Scope != 0 && b.Scope != HeldScope {
		errs = append(errs, fmt.Errorf("basis: scope %s: %w: scope changes are restated only on the restated vintage; as published, each year has its own round's scope (held)", b.Scope, budget.ErrRange))
	}
	return errors.Join(errs...)
}

// String describes the basis for people: "restated, scope changes
// included" or "as first published".
func (b AllocationBasis) String() string {
	b = b.orDefault()
	if !roundVintageNames.Valid(b.Vintage) || !scopeNames.Valid(b.Scope) {
		return fmt.Sprintf("not a basis (%s, %s)", b.Vintage, b.Scope)
	}
	if b.Vintage == AsPublished {
		return "as first published (each year on its own round)"
	}
	switch b.Scope {
	case StripScope:
		return "restated (each year on the next round's basis), money moved into ICB allocations stripped"
	case HeldScope:
		return "restated (each year on the next round's basis), each year with the money in that year's ICB allocations; growth on one scope"
	}
	return "restated (each year on the next round's basis), money moved into ICB allocations included in earlier years"
}

// ScopeChange is money moved into ICB allocations from elsewhere in the
// NHS budget: from Year it is in the allocation of Stream (as the named
// item of Measure, or the whole stream where Item is ""); before, it was
// paid elsewhere.
type ScopeChange struct {
	Name    string          `json:"name"`
	Title   string          `json:"title"`
	Year    budget.Year     `json:"year"`
	Stream  dataset.Stream  `json:"stream"`
	Measure dataset.Measure `json:"measure,omitempty"` // RecurrentAddition or NonRecurrent; 0 for a whole stream
	Item    string          `json:"item,omitempty"`
	Source  string          `json:"source"`
}

// ScopeChanges lists the scope changes in the embedded rounds: in 2025/26
// the Service Development Fund into core (£1,673m) and the additional
// roles reimbursement scheme from SDF into primary medical care (£534m),
// elective recovery funding paid centrally in 2024/25 and in ICB
// allocations in 2025/26 (£2,430m), and delegated specialised services
// (£19,695m, NHS England's 2024/25 adjusted baseline), less the high-cost
// drugs and devices kept outside delegation (-£6,929m) and with the
// specialised mental health services delegated with them (£2,079m) [S2].
func ScopeChanges() []ScopeChange {
	y := budget.MustYear("2025/26")
	return []ScopeChange{
		{Name: "sdf_to_core", Title: "Service Development Fund moved into core allocations", Year: y, Stream: dataset.Core, Measure: dataset.RecurrentAddition, Item: "sdf_transfer", Source: "S2"},
		{Name: "arrs_to_pmc", Title: "Additional roles reimbursement moved from SDF into primary medical care", Year: y, Stream: dataset.PMC, Measure: dataset.RecurrentAddition, Item: "arrs_from_sdf", Source: "S2"},
		{Name: "elective_recovery", Title: "Elective recovery funding paid centrally in 2024/25, in ICB allocations from 2025/26", Year: y, Stream: dataset.Core, Measure: dataset.NonRecurrent, Item: "elective_recovery_additional", Source: "S2"},
		{Name: "delegated_specialised", Title: "Delegated specialised services, in ICB allocations from 2025/26", Year: y, Stream: dataset.Specialised, Source: "S2"},
		{Name: "hcdd_outside_delegation", Title: "High-cost drugs and devices taken out of delegated specialised allocations", Year: y, Stream: dataset.Specialised, Measure: dataset.RecurrentAddition, Item: "hcdd_outside_delegation", Source: "S2"},
		{Name: "delegated_mental_health", Title: "Specialised mental health services delegated with specialised allocations", Year: y, Stream: dataset.Specialised, Measure: dataset.RecurrentAddition, Item: "delegated_mental_health", Source: "S2"},
	}
}

// basisCells returns the published cells of every ICB, year and stream on
// basis b, laid out as publishedCells.
func basisCells(a *dataset.Allocations, b AllocationBasis) []Cell {
	if b = b.orDefault(); b.Vintage == AsPublished {
		return publishedCells(a)
	}
	return restate(a, b)
}

// restate builds the cells of a restated basis from the published ones.
func restate(a *dataset.Allocations, b AllocationBasis) []Cell {
	out := publishedCells(a) // made afresh: restated in place
	span := a.Span()
	years := span.Years()
	ns := len(dataset.Streams())
	at := func(i, yi int, s dataset.Stream) int { return (i*span.Len()+yi)*ns + int(s) - 1 }
	for i, icb := range a.ICBs() {
		for yi, y := range years {
			for _, st := range dataset.Streams() {
				c := &out[at(i, yi, st)]
				c.Vintage = y
				if y == span.Last() {
					continue
				}
				ab, ok := a.Find(y, icb.Code, st, dataset.AdjustedBaseline, "")
				if ok {
					if !c.Exists() {
						// A stream that joins ICB allocations in the next round
						// (delegated specialised services): its adjusted baseline
						// is the year's money on the next round's scope.
						if b.Scope != IncludeScope {
							continue
						}
						*c = Cell{Status: budget.Restated}
					}
					rest := ab.Money().Sub(c.Recurrent())
					c.Items = append([]Item(nil), c.Items...)
					c.Additions, c.Restatement = c.Additions.Add(rest), rest
					c.worsen(budget.Restated)
					c.Vintage = y.Next()
					for _, f := range BaselineFolds() {
						if f.Year == y && f.Stream == st {
							c.Items = dropItem(c.Items, f.Item)
						}
					}
				}
				if !c.Exists() {
					continue
				}
				if iy, ok := a.Find(y, icb.Code, st, dataset.InYear, ""); ok {
					c.Additions, c.Restatement = c.Additions.Add(iy.Money()), c.Restatement.Add(iy.Money())
					c.worsen(budget.Derived)
					c.Vintage = y.Next()
				}
				for _, r := range a.Items(y, icb.Code, st, dataset.RestatedNonRecurrent) {
					c.Items = append([]Item(nil), c.Items...)
					for k := range c.Items {
						if c.Items[k].Name == r.Item {
							c.Items[k].Amount = r.Money()
						}
					}
					c.worsen(budget.Restated)
				}
				*c = c.withTotal()
			}
		}
	}
	// England's restated recurrent money of each stream and year before
	// any scope change: moved money is carried back to earlier years with
	// its growth, so that each ICB's equivalent is its own moved amount
	// times one factor (exact, so that England's figures do not depend on
	// how the ICBs are drawn).
	england := make([]budget.Money, span.Len()*ns)
	for i := range a.ICBs() {
		for yi := range years {
			for _, st := range dataset.Streams() {
				england[yi*ns+int(st)-1] = england[yi*ns+int(st)-1].Add(out[at(i, yi, st)].Recurrent())
			}
		}
	}
	ratio := func(yi, fi int, st dataset.Stream) (decimal.Decimal, bool) {
		now, then := england[yi*ns+int(st)-1], england[(fi-1)*ns+int(st)-1]
		if now.Sign() <= 0 || then.Sign() <= 0 {
			return decimal.Zero, false
		}
		return now.Decimal().DivRound(then.Decimal(), budget.WorkingScale), true
	}
	// Named items first, whole streams after, so that a whole stream's
	// earlier years follow its year-before money with its items moved.
	changes := ScopeChanges()
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].Item != "" && changes[j].Item == "" })
	for _, sc := range changes {
		fi := span.Index(sc.Year)
		if fi <= 0 {
			continue // not a change within the data's years
		}
		for i, icb := range a.ICBs() {
			if b.Scope == HeldScope {
				// The year before the move holds none of it: the amount
				// moved is carried beside it, for growth on one scope.
				c := &out[at(i, fi-1, sc.Stream)]
				if sc.Item == "" {
					if ab, ok := a.Find(years[fi-1], icb.Code, sc.Stream, dataset.AdjustedBaseline, ""); ok {
						c.Moved = c.Moved.Add(ab.Money())
					}
					continue
				}
				for _, it := range a.Items(sc.Year, icb.Code, sc.Stream, sc.Measure) {
					if it.Item == sc.Item {
						c.Moved = c.Moved.Add(it.Money())
					}
				}
				continue
			}
			if b.Scope == StripScope {
				for yi := fi; yi < len(years); yi++ {
					c := &out[at(i, yi, sc.Stream)]
					if sc.Item == "" {
						*c = Cell{}
						continue
					}
					c.Items = append([]Item(nil), c.Items...)
					moveScope(a, c, sc, years[yi], icb.Code, true, one)
				}
				continue
			}
			ref := out[at(i, fi-1, sc.Stream)].Recurrent()
			for yi := fi - 1; yi >= 0; yi-- {
				c := &out[at(i, yi, sc.Stream)]
				if sc.Item == "" {
					// A whole stream: the year before is the next round's
					// baseline (above); earlier years with England's core.
					r, ok := ratio(yi, fi, dataset.Core)
					if yi == fi-1 || !ok || ref.Sign() <= 0 {
						continue
					}
					eq := budget.MoneyFromDecimal(ref.Decimal().Mul(r))
					*c = Cell{Additions: eq, Scope: eq, Status: budget.Derived, Vintage: years[fi-1].Next()}.withTotal()
					continue
				}
				r, ok := ratio(yi, fi, sc.Stream)
				if !c.Exists() || !ok {
					continue
				}
				if yi == fi-1 {
					r = one
				}
				c.Items = append([]Item(nil), c.Items...)
				moveScope(a, c, sc, sc.Year, icb.Code, false, r)
				if yi == fi-1 {
					c.worsen(budget.Restated)
				} else {
					c.worsen(budget.Derived)
				}
			}
		}
	}
	return out
}

// BaselineFold is a non-recurrent item of a year that the next round's
// adjusted recurrent baseline already holds: on the restated vintage it is
// counted once, in the baseline, and dropped from the year's items.
type BaselineFold struct {
	Year   budget.Year    `json:"year"`
	Stream dataset.Stream `json:"stream"`
	Item   string         `json:"item"`
	Source string         `json:"source"`
}

// BaselineFolds lists the folds in the embedded rounds: the 2024/25
// round's 'ICB Core Baseline 2024-25' sheet adds 2023/24 COVID money
// (£429.4m) to the 2023/24 recurrent baseline (101,260.1 + 429.4 =
// 101,689.5 £m, England) [S1].
func BaselineFolds() []BaselineFold {
	return []BaselineFold{{Year: budget.MustYear("2023/24"), Stream: dataset.Core, Item: "covid", Source: "S1"}}
}

// dropItem returns items without the one named name, in a new slice.
func dropItem(items []Item, name string) []Item {
	out := make([]Item, 0, len(items))
	for _, it := range items {
		if it.Name != name {
			out = append(out, it)
		}
	}
	return out
}

// moveScope adds a scope change's amount to c (include: the amount of the
// change year times factor) or takes it out (strip: the item of the cell's
// own year).
func moveScope(a *dataset.Allocations, c *Cell, sc ScopeChange, from budget.Year, icb string, strip bool, factor decimal.Decimal) {
	var amount budget.Money
	for _, it := range a.Items(from, icb, sc.Stream, sc.Measure) {
		if it.Item == sc.Item {
			amount = amount.Add(it.Money())
		}
	}
	if amount.IsZero() {
		return
	}
	if strip {
		amount = amount.Neg()
	} else {
		amount = budget.MoneyFromDecimal(amount.Decimal().Mul(factor))
	}
	c.Scope = c.Scope.Add(amount)
	if sc.Measure == dataset.RecurrentAddition {
		c.Additions = c.Additions.Add(amount)
	} else if strip {
		kept := c.Items[:0]
		for _, it := range c.Items {
			if it.Name != sc.Item {
				kept = append(kept, it)
			}
		}
		c.Items = kept
	} else {
		c.Items = append(c.Items, Item{Name: sc.Item, Amount: amount})
	}
	*c = c.withTotal()
}
