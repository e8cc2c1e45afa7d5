package alloc

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/budget/internal/enum"
	"github.com/upstream-health/upstream/internal/clip"
)

// NonRecurrentRule is what a settlement does with non-recurrent items in
// projected years. There is no default: a settlement must say.
type NonRecurrentRule int

const (
	// HoldNonRecurrent carries each item of the last published year at its
	// cash amount.
	HoldNonRecurrent NonRecurrentRule = iota + 1
	// DropNonRecurrent gives no non-recurrent money in projected years.
	DropNonRecurrent
	// GrowNonRecurrent grows each item with its stream's base growth.
	GrowNonRecurrent
)

var nonRecurrentNames = enum.NewNames[NonRecurrentRule]("non-recurrent rule", HoldNonRecurrent, "hold", DropNonRecurrent, "drop", GrowNonRecurrent, "grow")

// String is "hold", "drop" or "grow".
func (r NonRecurrentRule) String() string { return nonRecurrentNames.Name(r) }

func (r NonRecurrentRule) describe() string {
	switch r {
	case HoldNonRecurrent:
		return "held flat in cash"
	case DropNonRecurrent:
		return "dropped"
	case GrowNonRecurrent:
		return "grown with base growth"
	}
	return r.String()
}

// ParseNonRecurrentRule reads "hold", "drop" or "grow".
func ParseNonRecurrentRule(s string) (NonRecurrentRule, error) { return nonRecurrentNames.Parse(s) }

// MarshalText writes the rule as String does.
func (r NonRecurrentRule) MarshalText() ([]byte, error) { return nonRecurrentNames.Marshal(r) }

// UnmarshalText reads the rule as ParseNonRecurrentRule does.
func (r *NonRecurrentRule) UnmarshalText(b []byte) error {
	v, err := ParseNonRecurrentRule(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Consolidation folds a non-recurrent pot into recurrent baselines: from
// year From, the item's amount (as the settlement carries it to the year
// before) joins each ICB's recurrent baseline, grows and converges with it,
// and is no longer paid as a separate item. This is what the Hewitt Review
// asked for in place of small in-year pots.
type Consolidation struct {
	Stream dataset.Stream `json:"stream"`
	Item   string         `json:"item,omitempty"` // "" folds every non-recurrent item of the stream
	From   budget.Year    `json:"from"`
}

func (c Consolidation) matches(s dataset.Stream, item string) bool {
	return c.Stream == s && (c.Item == "" || c.Item == item)
}

// Settlement is a multi-year set of allocation assumptions for the years
// after the published data: base growth by year (optionally by stream or
// by ICB), a convergence policy by stream, a rule for non-recurrent items,
// and pots folded into baselines.
type Settlement struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Source      string `json:"source,omitempty"`
	// RealGrowth is the real growth the cash Growth was built from, where
	// the settlement was built that way (zero otherwise): the rate a
	// simulation recombines with drawn inflation in the years that are not
	// FixedCash.
	RealGrowth budget.Rate `json:"real_growth,omitempty"`
	// Growth is the cash base growth of every stream, by year.
	Growth map[budget.Year]budget.Rate `json:"growth"`
	// FixedCash marks the years whose cash growth is set in cash (published
	// allocations): a simulation that draws inflation or real growth keeps
	// their cash growth, and only their real-terms value moves.
	FixedCash map[budget.Year]bool `json:"fixed_cash,omitempty"`
	// StreamGrowth overrides Growth for a stream (such as flat cash running costs).
	StreamGrowth map[dataset.Stream]map[budget.Year]budget.Rate `json:"stream_growth,omitempty"`
	// ICBGrowth overrides both for one ICB (by ODS code).
	ICBGrowth map[string]map[budget.Year]budget.Rate `json:"icb_growth,omitempty"`
	// Convergence is the policy of each stream; a stream without one does
	// not converge (its distance from target is still reported where the
	// data has targets).
	Convergence map[dataset.Stream]ConvergencePolicy `json:"convergence,omitempty"`
	// NonRecurrent says what happens to non-recurrent items.
	NonRecurrent NonRecurrentRule `json:"non_recurrent"`
	// ItemRules overrides NonRecurrent for named items (discharge,
	// elective_recovery_core, ...), each from its own parameter
	// settlement.NAME.non_recurrent.ITEM with its source.
	ItemRules map[string]NonRecurrentRule `json:"item_rules,omitempty"`
	// Consolidations fold pots into recurrent baselines.
	Consolidations []Consolidation `json:"consolidations,omitempty"`
}

// clone is s with maps and slices of its own, so that a projection made
// under s keeps its settlement whatever its caller does to theirs.
func (s Settlement) clone() Settlement {
	nested := func(m map[string]map[budget.Year]budget.Rate) map[string]map[budget.Year]budget.Rate {
		if m == nil {
			return nil
		}
		out := make(map[string]map[budget.Year]budget.Rate, len(m))
		for k, v := range m {
			out[k] = maps.Clone(v)
		}
		return out
	}
	c := s
	c.Growth, c.FixedCash = maps.Clone(s.Growth), maps.Clone(s.FixedCash)
	if s.StreamGrowth != nil {
		c.StreamGrowth = make(map[dataset.Stream]map[budget.Year]budget.Rate, len(s.StreamGrowth))
		for k, v := range s.StreamGrowth {
			c.StreamGrowth[k] = maps.Clone(v)
		}
	}
	c.ICBGrowth = nested(s.ICBGrowth)
	c.Convergence, c.ItemRules = maps.Clone(s.Convergence), maps.Clone(s.ItemRules)
	c.Consolidations = slices.Clone(s.Consolidations)
	return c
}

// Validate reports every problem with the settlement at once.
func (s Settlement) Validate() error {
	var errs []error
	if s.Name == "" {
		errs = append(errs, fmt.Errorf("settlement: name: %w: must not be empty", budget.ErrSyntax))
	}
	if !nonRecurrentNames.Valid(s.NonRecurrent) {
		errs = append(errs, fmt.Errorf("settlement %q: non_recurrent: %w: want hold, drop or grow", s.Name, budget.ErrRange))
	}
	for _, item := range slices.Sorted(maps.Keys(s.ItemRules)) {
		if !nonRecurrentNames.Valid(s.ItemRules[item]) {
			errs = append(errs, fmt.Errorf("settlement %q: non_recurrent %s: %w: want hold, drop or grow", s.Name, item, budget.ErrRange))
		}
	}
	for _, st := range dataset.Streams() {
		if p, ok := s.Convergence[st]; ok {
			if err := p.Validate(); err != nil {
				errs = append(errs, fmt.Errorf("settlement %q: %s convergence: %w", s.Name, st, err))
			}
		}
	}
	for st := range s.Convergence {
		if !st.Valid() {
			errs = append(errs, fmt.Errorf("settlement %q: convergence for %s: %w", s.Name, st, budget.ErrUnknown))
		}
	}
	bound := decimal.NewFromFloat(0.5)
	check := func(where string, g map[budget.Year]budget.Rate) {
		for y, r := range g {
			if r.Decimal().Abs().GreaterThan(bound) {
				errs = append(errs, fmt.Errorf("settlement %q: %s growth %s in %s: %w: want a fraction from -0.5 to 0.5 (0.03 is 3%%)", s.Name, where, r, y, budget.ErrRange))
			}
		}
	}
	check("base", s.Growth)
	for st, g := range s.StreamGrowth {
		check(st.String(), g)
	}
	for icb, g := range s.ICBGrowth {
		check(icb, g)
	}
	seenC := map[Consolidation]bool{}
	for i, c := range s.Consolidations {
		if seenC[c] {
			errs = append(errs, fmt.Errorf("settlement %q: consolidation %d: %w: listed twice", s.Name, i+1, budget.ErrDuplicate))
		}
		seenC[c] = true
		if !c.Stream.Valid() {
			errs = append(errs, fmt.Errorf("settlement %q: consolidation %d: stream %s: %w", s.Name, i+1, c.Stream, budget.ErrUnknown))
		}
		if c.From.IsZero() {
			errs = append(errs, fmt.Errorf("settlement %q: consolidation %d: from: %w: a year is needed", s.Name, i+1, budget.ErrRange))
		}
	}
	return errors.Join(errs...)
}

// RuleFor is what happens to the non-recurrent item named item in projected
// years: its own rule (ItemRules), else the settlement's.
func (s Settlement) RuleFor(item string) NonRecurrentRule {
	if r, ok := s.ItemRules[item]; ok {
		return r
	}
	return s.NonRecurrent
}

// ItemStep is what becomes of a non-recurrent item in a projected year
// (Settlement.Step).
type ItemStep int

const (
	// ItemFolds: the item joins the recurrent baseline (a Consolidation)
	// and is no longer paid on its own.
	ItemFolds ItemStep = iota + 1
	// ItemHeld: the item is paid again at its cash amount.
	ItemHeld
	// ItemGrows: the item is paid again, grown with its stream's base growth.
	ItemGrows
	// ItemDropped: the item is not paid again.
	ItemDropped
)

// Step is what the settlement does in projected year y with the
// non-recurrent item named item of stream st that was paid the year
// before: it folds into the recurrent baseline from the year of a
// consolidation that covers it, else its rule (RuleFor) holds, grows or
// drops it. It is the one statement of the rule, for the exact projection
// and for a simulation's draws alike.
func (s Settlement) Step(st dataset.Stream, item string, y budget.Year) ItemStep {
	for _, c := range s.Consolidations {
		if c.matches(st, item) && !y.Before(c.From) {
			return ItemFolds
		}
	}
	switch s.RuleFor(item) {
	case HoldNonRecurrent:
		return ItemHeld
	case GrowNonRecurrent:
		return ItemGrows
	}
	return ItemDropped
}

// CashGrowth is the base growth of stream st in year y where it is set in
// cash, whatever real growth and inflation are: a stream's own growth (flat
// cash running costs) or a year the settlement fixes in cash (FixedCash).
// ok is false for a year whose cash growth is the settlement's RealGrowth
// compounded with the deflator's inflation, which a simulation draws.
func (s Settlement) CashGrowth(st dataset.Stream, y budget.Year) (g budget.Rate, ok bool) {
	if g, ok := s.StreamGrowth[st][y]; ok {
		return g, true
	}
	if s.FixedCash[y] {
		g, ok := s.Growth[y]
		return g, ok
	}
	return budget.Rate{}, false
}

// GrowthFor is the base growth of an ICB's stream in year y: the ICB's
// override, else the stream's, else the settlement's; an error wraps
// budget.ErrNoData when none is set.
func (s Settlement) GrowthFor(icb string, st dataset.Stream, y budget.Year) (budget.Rate, error) {
	if r, ok := s.ICBGrowth[icb][y]; ok {
		return r, nil
	}
	if r, ok := s.StreamGrowth[st][y]; ok {
		return r, nil
	}
	if r, ok := s.Growth[y]; ok {
		return r, nil
	}
	var last budget.Year
	for g := range s.Growth {
		if g.After(last) {
			last = g
		}
	}
	if !last.IsZero() && y.After(last) {
		return budget.Rate{}, fmt.Errorf("settlement %q has no growth for %s in %s: %w: it runs to %s", s.Name, st, y, budget.ErrNoData, last)
	}
	return budget.Rate{}, fmt.Errorf("settlement %q has no growth for %s in %s: %w", s.Name, st, y, budget.ErrNoData)
}

// SettlementName names a settlement NamedSettlement builds from the
// parameters (Settlements lists them).
type SettlementName string

// String is the name as files and flags give it.
func (n SettlementName) String() string { return string(n) }

// Names of the settlements this package builds.
const (
	// SettlementSR2025 is the central case: NHS England's published growth
	// for 2026/27 and 2027/28, then ICB allocations growing with NHS
	// England's planned revenue (see DefaultSettlement).
	SettlementSR2025 SettlementName = "sr2025"
	// SettlementSR2025Low is the low case: from 2028/29 the mean real
	// growth of the two published years, held.
	SettlementSR2025Low SettlementName = "sr2025-low"
	// SettlementSR2025High is the high case: in 2028/29 the ICB programme
	// budget returns to its 2025/26 share of NHS England's revenue, then
	// grows as the central case.
	SettlementSR2025High SettlementName = "sr2025-high"
	// SettlementSR2025Folded is the central case with every core
	// non-recurrent pot folded into recurrent baselines.
	SettlementSR2025Folded SettlementName = "sr2025-pots-folded"
)

// Settlements lists the names NamedSettlement builds.
func Settlements() []SettlementName {
	return []SettlementName{SettlementSR2025, SettlementSR2025Low, SettlementSR2025High, SettlementSR2025Folded}
}

// ParseSettlement is the settlement a name gives (any case); an unknown
// name is an error wrapping budget.ErrUnknown that lists the names.
func ParseSettlement(s string) (SettlementName, error) {
	for _, n := range Settlements() {
		if strings.EqualFold(strings.TrimSpace(s), string(n)) {
			return n, nil
		}
	}
	names := make([]string, 0, 4)
	for _, n := range Settlements() {
		names = append(names, string(n))
	}
	return "", fmt.Errorf("settlement %q: %w: want %s", clip.Clip(s), budget.ErrUnknown, strings.Join(names, ", "))
}

// SettlementCases names the low and high cases of a settlement, where it
// has them: sr2025-low and sr2025-high for sr2025. ok is false for a
// settlement without a range.
func SettlementCases(name SettlementName) (low, high SettlementName, ok bool) {
	if name == SettlementSR2025 {
		return SettlementSR2025Low, SettlementSR2025High, true
	}
	return "", "", false
}

// Parameter IDs the library's presets read (see
// budget/dataset/data/parameters.csv for
// each value and its source).
const (
	ParamRealBaseYear = "real_terms.base_year"
)

// DefaultSettlement is the library's named default for years after the
// published 2025/26 round, built from the parameters settlement.sr2025.*
// of d (the shipped values and sources are in
// budget/dataset/data/parameters.csv):
//
//   - growth: the average core recurrent growth NHS England published
//     with the 2026/27 to 2028/29 allocations, +2.72% in 2026/27 and
//     +2.92% in 2027/28 in cash (settlement.sr2025.cash_growth.YEAR), for
//     every programme stream; from 2028/29 NHS England's planned revenue
//     growth, +3.03% a year real (settlement.sr2025.real_growth; the low
//     case, sr2025-low, holds the +0.69% the two published years imply),
//     with the GDP deflator (past 2030/31, deflator.long_run_inflation,
//     2.0% a year): (1 + real growth) x (1 + deflator growth) - 1;
//   - running costs held flat in cash (the 2025 cut of ICB running costs by
//     half is not modelled in detail);
//   - convergence as in 2025/26, inside the England quantum: core and PMC
//     a fifth of the distance, capped at +/-0.5 pp; specialised the
//     2025/26 approximation; POD none;
//   - fair-share target shares held at 2025/26;
//   - non-recurrent items of 2025/26 held flat in cash;
//   - from 2026/27 to 2034/35.
func DefaultSettlement(d *dataset.Data) (Settlement, error) {
	return settlementFrom(d, SettlementSR2025, "")
}

// NamedSettlement builds the settlement called name (SettlementSR2025 or
// SettlementSR2025Folded) from d's parameters, with its real-growth years
// on the GDP deflator of the vintage given ("" for the vintage its
// parameters name). A scenario passes its own deflator, so that one
// deflator sets both cash growth and real terms.
func NamedSettlement(d *dataset.Data, name SettlementName, vintage string) (Settlement, error) {
	switch name {
	case SettlementSR2025, SettlementSR2025Low, SettlementSR2025High:
		return settlementFrom(d, name, vintage)
	case SettlementSR2025Folded:
		return foldedFrom(d, vintage)
	}
	_, err := ParseSettlement(string(name))
	return Settlement{}, err
}

// cashGrowth reads the parameters PREFIX.cash_growth.YEAR: growth set in
// cash for one year each, whose period must be that year.
func cashGrowthOf(p dataset.Parameters, prefix string) (map[budget.Year]budget.Rate, []string, error) {
	out := map[budget.Year]budget.Rate{}
	var ids []string
	var errs []error
	for _, v := range p.WithPrefix(prefix + "cash_growth.") {
		ids = append(ids, v.ID)
		y, err := budget.ParseYear(strings.TrimPrefix(v.ID, prefix+"cash_growth."))
		if err != nil {
			errs = append(errs, &budget.FileError{File: p.Label(), Line: v.Line, Column: "id", Value: v.ID,
				Err: fmt.Errorf("%w: want %scash_growth.YEAR, such as %scash_growth.2026/27", budget.ErrSyntax, prefix, prefix)})
			continue
		}
		if v.Period != y.String() {
			errs = append(errs, &budget.FileError{File: p.Label(), Line: v.Line, Column: "period", Value: v.Period,
				Err: fmt.Errorf("parameter %s: %w: the period of a year's cash growth is that year, %s", v.ID, budget.ErrRange, y)})
			continue
		}
		r, err := p.Within(v.ID, -0.2, 0.2)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[y] = r
	}
	return out, ids, errors.Join(errs...)
}

func settlementFrom(d *dataset.Data, name SettlementName, vintage string) (Settlement, error) {
	if d == nil {
		return Settlement{}, fmt.Errorf("settlement %q: %w: no data", name, budget.ErrNoData)
	}
	p := d.Parameters
	// A case of sr2025 (low, high) has its own growth; its other
	// parameters (deflator, running costs, non-recurrent items,
	// convergence) are sr2025's unless it gives its own.
	key := func(k string) string {
		own := "settlement." + string(name) + "." + k
		if _, err := p.Get(own); err == nil || name == SettlementSR2025 || k == "real_growth" || k == "" {
			return own
		}
		return "settlement." + string(SettlementSR2025) + "." + k
	}
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	used := []string{key("real_growth"), key("rca_growth"), key("non_recurrent"), dataset.ParamLongRunInflation}
	real, err := p.Within(key("real_growth"), -0.2, 0.2)
	note(err)
	rca, err := p.Within(key("rca_growth"), -0.2, 0.2)
	note(err)
	longRun, err := p.Within(dataset.ParamLongRunInflation, -0.2, 0.2)
	note(err)
	nrName, err := p.Name(key("non_recurrent"))
	note(err)
	cash, cashIDs, err := cashGrowthOf(p, key(""))
	note(err)
	used = append(used, cashIDs...)
	published := map[budget.Year]bool{} // cash growth the central case takes from NHS England's publications
	if name == SettlementSR2025 {
		for y := range cash {
			published[y] = true
		}
	}
	if name != SettlementSR2025 {
		// A case's own cash growth comes on top of the central case's:
		// the published years are the same in every case.
		central, ids, err := cashGrowthOf(p, "settlement."+string(SettlementSR2025)+".")
		note(err)
		for y, g := range central {
			if _, own := cash[y]; !own {
				cash[y], published[y] = g, true
			}
		}
		used = append(used, ids...)
	}
	fromParam := vintage == ""
	if fromParam {
		used = append(used, key("deflator"))
		v, err := p.Name(key("deflator"))
		note(err)
		vintage = v
	}
	if err := errors.Join(errs...); err != nil {
		return Settlement{}, err
	}
	// The settlement's years are its cash-growth years followed by the
	// period of its real growth, with no gap or overlap.
	rg, _ := p.Get(key("real_growth"))
	realSpan, ok := rg.Span()
	if !ok {
		return Settlement{}, &budget.FileError{File: p.Label(), Line: rg.Line, Column: "period", Value: rg.Period,
			Err: fmt.Errorf("parameter %s: %w: give the years growth is real, such as 2028/29-2034/35", key("real_growth"), budget.ErrRange)}
	}
	span := realSpan
	if len(cash) > 0 {
		first, last := firstLast(cash)
		for y := first; !y.After(last); y = y.Next() {
			if _, ok := cash[y]; !ok {
				return Settlement{}, p.Fail(key("real_growth"), fmt.Errorf("%w: no %s for %s, between the cash-growth years %s and %s", budget.ErrGap, key("cash_growth."+y.String()), y, first, last))
			}
		}
		if last.Next() != realSpan.First() {
			return Settlement{}, &budget.FileError{File: p.Label(), Line: rg.Line, Column: "period", Value: rg.Period,
				Err: fmt.Errorf("parameter %s: %w: real growth starts the year after the last cash-growth year, %s", key("real_growth"), budget.ErrRange, last.Next())}
		}
		span, _ = budget.NewSpan(first, realSpan.Last())
	}
	nr, err := ParseNonRecurrentRule(nrName)
	if err != nil {
		return Settlement{}, p.Fail(key("non_recurrent"), err)
	}
	// Each item's own rule: settlement.NAME.non_recurrent.ITEM (a case's
	// own, else the central settlement's).
	itemPrefix := "settlement." + string(name) + ".non_recurrent."
	if len(p.WithPrefix(itemPrefix)) == 0 {
		itemPrefix = "settlement." + string(SettlementSR2025) + ".non_recurrent."
	}
	itemRules := map[string]NonRecurrentRule{}
	for _, v := range p.WithPrefix(itemPrefix) {
		r, err := ParseNonRecurrentRule(v.Value)
		if err != nil {
			return Settlement{}, p.Fail(v.ID, err)
		}
		if v.Unit != budget.UnitName {
			return Settlement{}, p.Fail(v.ID, fmt.Errorf("%w: a rule is a name: hold, drop or grow", budget.ErrFormat))
		}
		itemRules[strings.TrimPrefix(v.ID, itemPrefix)] = r
		used = append(used, v.ID)
	}
	defl, err := d.Deflators.Get("gdp", vintage)
	if err != nil {
		if fromParam {
			return Settlement{}, p.Fail(key("deflator"), err)
		}
		return Settlement{}, fmt.Errorf("settlement %q: %w", name, err)
	}
	defl = defl.WithExtension(budget.ExtendGrow(longRun))
	for _, k := range []string{key("rca_growth"), key("non_recurrent")} {
		note(p.Covers(k, span))
	}
	if last := defl.Span().Last(); last.Before(realSpan.Last()) {
		ext, _ := budget.NewSpan(maxYear(last.Next(), realSpan.First()), realSpan.Last())
		note(p.Covers(dataset.ParamLongRunInflation, ext))
	}
	desc := fmt.Sprintf("+%s%% a year real on the GDP deflator (%s, then %s%% a year)",
		real.Percent().StringFixed(2), vintage, longRun.Percent().StringFixed(1))
	if len(cash) > 0 {
		first, last := firstLast(cash)
		var pub, own []string
		for y := first; !y.After(last); y = y.Next() {
			part := fmt.Sprintf("+%s%% %s", cash[y].Percent().StringFixed(2), y)
			if published[y] {
				pub = append(pub, part)
			} else {
				own = append(own, part)
			}
		}
		desc = fmt.Sprintf("then %s from %s", desc, realSpan.First())
		if len(own) > 0 {
			desc = fmt.Sprintf("then %s cash, %s", strings.Join(own, ", "), desc)
		}
		desc = fmt.Sprintf("NHS England's published average core growth (%s, cash), %s", strings.Join(pub, ", "), desc)
	}
	switch name {
	case SettlementSR2025:
		desc = "central case: " + desc + ", the real growth of NHS England's planned revenue in 2028/29"
	case SettlementSR2025Low:
		desc = "low case: " + desc + ", the mean real growth of the two published years"
	case SettlementSR2025High:
		desc = "high case: " + desc + ", 2028/29 set to return the ICB programme budget to its 2025/26 share of NHS England's revenue on the shipped figures (an upper bound: NHS England's other revenue would fall in cash)"
	}
	s := Settlement{
		Name: string(name),
		Description: fmt.Sprintf("%s; 2025/26 convergence inside the England quantum; running costs flat cash; non-recurrent items %s",
			desc, describeItems(nr, itemRules)),
		RealGrowth:   real,
		Growth:       map[budget.Year]budget.Rate{},
		StreamGrowth: map[dataset.Stream]map[budget.Year]budget.Rate{dataset.RCA: {}},
		Convergence:  map[dataset.Stream]ConvergencePolicy{},
		NonRecurrent: nr,
		ItemRules:    itemRules,
	}
	if len(cash) > 0 {
		s.FixedCash = map[budget.Year]bool{}
	}
	for _, st := range dataset.Streams() {
		k := key("convergence." + st.String())
		pn, err := p.Name(k)
		if errors.Is(err, budget.ErrNoData) {
			continue // the stream does not converge
		}
		used = append(used, k)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		note(p.Covers(k, span))
		if s.Convergence[st], err = ConvergencePolicyNamed(p, pn); err != nil {
			errs = append(errs, p.Fail(k, err))
		}
	}
	for _, y := range span.Years() {
		if len(errs) > 0 {
			break
		}
		s.StreamGrowth[dataset.RCA][y] = rca
		if g, ok := cash[y]; ok {
			s.Growth[y], s.FixedCash[y] = g, true
			continue
		}
		infl, _, err := defl.Growth(y)
		if err != nil {
			errs = append(errs, err)
			break
		}
		s.Growth[y] = real.Compound(infl)
	}
	if err := errors.Join(errs...); err != nil {
		return Settlement{}, err
	}
	s.Source = p.SourcesOf(used, defl.Source())
	return s, nil
}

// firstLast is the first and last year of a growth schedule.
func firstLast(g map[budget.Year]budget.Rate) (first, last budget.Year) {
	for y := range g {
		if first.IsZero() || y.Before(first) {
			first = y
		}
		if last.IsZero() || y.After(last) {
			last = y
		}
	}
	return first, last
}

func maxYear(a, b budget.Year) budget.Year {
	if a.After(b) {
		return a
	}
	return b
}

// FoldedSettlement is DefaultSettlement with every core non-recurrent pot
// (elective recovery, discharge and the rest) folded into recurrent
// baselines from the parameter settlement.sr2025-pots-folded.fold_from
// (2026/27): the multi-year recurrent funding the Hewitt
// Review asked for in place of in-year pots.
func FoldedSettlement(d *dataset.Data) (Settlement, error) {
	return foldedFrom(d, "")
}

func foldedFrom(d *dataset.Data, vintage string) (Settlement, error) {
	s, err := settlementFrom(d, SettlementSR2025, vintage)
	if err != nil {
		return Settlement{}, err
	}
	from, err := d.Parameters.Year("settlement." + string(SettlementSR2025Folded) + ".fold_from")
	if err != nil {
		return Settlement{}, err
	}
	if first, last := firstLast(s.Growth); from.Before(first) || from.After(last) {
		return Settlement{}, d.Parameters.Fail("settlement."+string(SettlementSR2025Folded)+".fold_from",
			fmt.Errorf("%w: pots fold into baselines in a year of the settlement, %s to %s", budget.ErrRange, first, last))
	}
	s.Name = string(SettlementSR2025Folded)
	s.Description = fmt.Sprintf("as sr2025, with every core non-recurrent pot folded into recurrent baselines from %s (Hewitt Review)", from)
	s.Consolidations = []Consolidation{{Stream: dataset.Core, From: from}}
	return s, nil
}

// describeItems says what happens to non-recurrent items: the rule, and
// that each item has its own stated rule, or the items whose rules differ.
func describeItems(def NonRecurrentRule, items map[string]NonRecurrentRule) string {
	if len(items) == 0 {
		return def.describe()
	}
	var other []string
	for _, name := range slices.Sorted(maps.Keys(items)) {
		if items[name] != def {
			other = append(other, name+" "+items[name].describe())
		}
	}
	if len(other) == 0 {
		return fmt.Sprintf("%s, each of the %d by its own stated rule", def.describe(), len(items))
	}
	return fmt.Sprintf("%s, but %s (each of the %d by its own stated rule)", def.describe(), strings.Join(other, ", "), len(items))
}
