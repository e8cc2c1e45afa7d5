package budget

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
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

var nonRecurrentNames = newNames[NonRecurrentRule]("non-recurrent rule", HoldNonRecurrent, "hold", DropNonRecurrent, "drop", GrowNonRecurrent, "grow")

// String is "hold", "drop" or "grow".
func (r NonRecurrentRule) String() string { return nonRecurrentNames.name(r) }

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
func ParseNonRecurrentRule(s string) (NonRecurrentRule, error) { return nonRecurrentNames.parse(s) }

// MarshalText writes the rule as String does.
func (r NonRecurrentRule) MarshalText() ([]byte, error) { return nonRecurrentNames.marshal(r) }

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
	Stream Stream `json:"stream"`
	Item   string `json:"item,omitempty"` // "" folds every non-recurrent item of the stream
	From   Year   `json:"from"`
}

func (c Consolidation) matches(s Stream, item string) bool {
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
	// simulation recombines with drawn inflation.
	RealGrowth Rate `json:"real_growth,omitempty"`
	// Growth is the cash base growth of every stream, by year.
	Growth map[Year]Rate `json:"growth"`
	// StreamGrowth overrides Growth for a stream (such as flat cash running costs).
	StreamGrowth map[Stream]map[Year]Rate `json:"stream_growth,omitempty"`
	// ICBGrowth overrides both for one ICB (by ODS code).
	ICBGrowth map[string]map[Year]Rate `json:"icb_growth,omitempty"`
	// Convergence is the policy of each stream; a stream without one does
	// not converge (its distance from target is still reported where the
	// data has targets).
	Convergence map[Stream]ConvergencePolicy `json:"convergence,omitempty"`
	// NonRecurrent says what happens to non-recurrent items.
	NonRecurrent NonRecurrentRule `json:"non_recurrent"`
	// Consolidations fold pots into recurrent baselines.
	Consolidations []Consolidation `json:"consolidations,omitempty"`
}

// Validate reports every problem with the settlement at once.
func (s Settlement) Validate() error {
	var errs []error
	if s.Name == "" {
		errs = append(errs, fmt.Errorf("settlement: name: %w: must not be empty", ErrSyntax))
	}
	if !nonRecurrentNames.valid(s.NonRecurrent) {
		errs = append(errs, fmt.Errorf("settlement %q: non_recurrent: %w: want hold, drop or grow", s.Name, ErrRange))
	}
	for _, st := range Streams() {
		if p, ok := s.Convergence[st]; ok {
			if err := p.Validate(); err != nil {
				errs = append(errs, fmt.Errorf("settlement %q: %s convergence: %w", s.Name, st, err))
			}
		}
	}
	for st := range s.Convergence {
		if !streamNames.valid(st) {
			errs = append(errs, fmt.Errorf("settlement %q: convergence for %s: %w", s.Name, st, ErrUnknown))
		}
	}
	bound := decimal.NewFromFloat(0.5)
	check := func(where string, g map[Year]Rate) {
		for y, r := range g {
			if r.d.Abs().GreaterThan(bound) {
				errs = append(errs, fmt.Errorf("settlement %q: %s growth %s in %s: %w: want a fraction from -0.5 to 0.5 (0.03 is 3%%)", s.Name, where, r, y, ErrRange))
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
			errs = append(errs, fmt.Errorf("settlement %q: consolidation %d: %w: listed twice", s.Name, i+1, ErrDuplicate))
		}
		seenC[c] = true
		if !streamNames.valid(c.Stream) {
			errs = append(errs, fmt.Errorf("settlement %q: consolidation %d: stream %s: %w", s.Name, i+1, c.Stream, ErrUnknown))
		}
		if c.From.IsZero() {
			errs = append(errs, fmt.Errorf("settlement %q: consolidation %d: from: %w: a year is needed", s.Name, i+1, ErrRange))
		}
	}
	return errors.Join(errs...)
}

// GrowthFor is the base growth of an ICB's stream in year y: the ICB's
// override, else the stream's, else the settlement's; an error wraps
// ErrNoData when none is set.
func (s Settlement) GrowthFor(icb string, st Stream, y Year) (Rate, error) {
	if r, ok := s.ICBGrowth[icb][y]; ok {
		return r, nil
	}
	if r, ok := s.StreamGrowth[st][y]; ok {
		return r, nil
	}
	if r, ok := s.Growth[y]; ok {
		return r, nil
	}
	return Rate{}, fmt.Errorf("settlement %q has no growth for %s in %s: %w", s.Name, st, y, ErrNoData)
}

// Names of the settlements this package builds.
const (
	SettlementSR2025       = "sr2025"
	SettlementSR2025Folded = "sr2025-pots-folded"
)

// Parameter IDs the library's presets read (see data/parameters.csv for
// each value and its source).
const (
	ParamLongRunInflation = "deflator.long_run_inflation"
	ParamRealBaseYear     = "real_terms.base_year"
)

// LongRunExtension is how the library extends a deflator past its data:
// growth at the parameter deflator.long_run_inflation (2.0% a year in the
// shipped parameters, the Bank of England's target: an assumption, and
// every year it touches is marked projected).
func (p Parameters) LongRunExtension() (Extension, error) {
	r, err := p.Rate(ParamLongRunInflation)
	if err != nil {
		return Extension{}, err
	}
	return ExtendGrow(r), nil
}

// DefaultSettlement is the library's named default for years after the
// published 2025/26 round, built from the parameters settlement.sr2025.*
// of d (the shipped values and sources are in data/parameters.csv):
//
//   - growth: NHS England day-to-day spending +3.0% a year in real terms
//     (Spending Review 2025), plus the GDP deflator (OBR November 2025;
//     past 2030/31, deflator.long_run_inflation, 2.0% a year):
//     (1.03) x (1 + deflator growth) - 1 for every programme stream;
//   - running costs held flat in cash (the 2025 cut of ICB running costs by
//     half is not modelled in detail);
//   - convergence as in 2025/26: core and PMC a fifth of the distance,
//     capped at +/-0.5 pp; specialised the 2025/26 approximation; POD none;
//   - fair-share target shares held at 2025/26;
//   - non-recurrent items of 2025/26 held flat in cash;
//   - from 2026/27 to 2034/35.
func DefaultSettlement(d *Data) (Settlement, error) {
	return settlementFrom(d, SettlementSR2025, "")
}

// NamedSettlement builds the settlement called name (SettlementSR2025 or
// SettlementSR2025Folded) from d's parameters, with its cash growth on the
// GDP deflator of the vintage given ("" for the vintage its parameters
// name). A scenario passes its own deflator, so that one deflator sets
// both cash growth and real terms.
func NamedSettlement(d *Data, name, vintage string) (Settlement, error) {
	switch name {
	case SettlementSR2025:
		return settlementFrom(d, SettlementSR2025, vintage)
	case SettlementSR2025Folded:
		return foldedFrom(d, vintage)
	}
	return Settlement{}, fmt.Errorf("settlement %q: %w: want %s or %s", name, ErrUnknown, SettlementSR2025, SettlementSR2025Folded)
}

func settlementFrom(d *Data, name, vintage string) (Settlement, error) {
	if d == nil {
		return Settlement{}, fmt.Errorf("settlement %q: %w: no data", name, ErrNoData)
	}
	p := d.Parameters
	key := func(k string) string { return "settlement." + name + "." + k }
	var errs []error
	note := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	used := []string{key("real_growth"), key("rca_growth"), key("non_recurrent"), ParamLongRunInflation}
	real, err := p.Within(key("real_growth"), -0.2, 0.2)
	note(err)
	rca, err := p.Within(key("rca_growth"), -0.2, 0.2)
	note(err)
	longRun, err := p.Within(ParamLongRunInflation, -0.2, 0.2)
	note(err)
	nrName, err := p.Name(key("non_recurrent"))
	note(err)
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
	// The settlement's years are the period of its real growth.
	rg, _ := p.Get(key("real_growth"))
	span, ok := rg.Span()
	if !ok {
		return Settlement{}, &FileError{File: p.fileName(), Line: rg.Line, Column: "period", Value: rg.Period,
			Err: fmt.Errorf("parameter %s: %w: give the settlement's years, such as 2026/27-2034/35", key("real_growth"), ErrRange)}
	}
	nr, err := ParseNonRecurrentRule(nrName)
	if err != nil {
		return Settlement{}, p.Fail(key("non_recurrent"), err)
	}
	defl, err := d.Deflators.Get("gdp", vintage)
	if err != nil {
		if fromParam {
			return Settlement{}, p.Fail(key("deflator"), err)
		}
		return Settlement{}, fmt.Errorf("settlement %q: %w", name, err)
	}
	defl = defl.WithExtension(ExtendGrow(longRun))
	for _, k := range []string{key("rca_growth"), key("non_recurrent")} {
		note(p.Covers(k, span))
	}
	if last := defl.Span().Last(); last.Before(span.Last()) {
		ext, _ := NewSpan(maxYear(last.Next(), span.First()), span.Last())
		note(p.Covers(ParamLongRunInflation, ext))
	}
	s := Settlement{
		Name: name,
		Description: fmt.Sprintf("Spending Review 2025: NHS England day-to-day +%s%% a year real on the GDP deflator (%s, "+
			"then %s%% a year); 2025/26 convergence; running costs flat cash; non-recurrent items %s",
			real.Percent().StringFixed(1), vintage, longRun.Percent().StringFixed(1), nr.describe()),
		RealGrowth:   real,
		Growth:       map[Year]Rate{},
		StreamGrowth: map[Stream]map[Year]Rate{RCA: {}},
		Convergence:  map[Stream]ConvergencePolicy{},
		NonRecurrent: nr,
	}
	for _, st := range Streams() {
		k := key("convergence." + st.String())
		pn, err := p.Name(k)
		if errors.Is(err, ErrNoData) {
			continue // the stream does not converge
		}
		used = append(used, k)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		note(p.Covers(k, span))
		if s.Convergence[st], err = p.ConvergencePolicy(pn); err != nil {
			errs = append(errs, p.Fail(k, err))
		}
	}
	for _, y := range span.Years() {
		if len(errs) > 0 {
			break
		}
		infl, _, err := defl.Growth(y)
		if err != nil {
			errs = append(errs, err)
			break
		}
		s.Growth[y] = real.Compound(infl)
		s.StreamGrowth[RCA][y] = rca
	}
	if err := errors.Join(errs...); err != nil {
		return Settlement{}, err
	}
	s.Source = p.sourcesOf(used, defl.Source())
	return s, nil
}

// firstLast is the first and last year of a growth schedule.
func firstLast(g map[Year]Rate) (first, last Year) {
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

func maxYear(a, b Year) Year {
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
func FoldedSettlement(d *Data) (Settlement, error) {
	return foldedFrom(d, "")
}

func foldedFrom(d *Data, vintage string) (Settlement, error) {
	s, err := settlementFrom(d, SettlementSR2025, vintage)
	if err != nil {
		return Settlement{}, err
	}
	from, err := d.Parameters.Year("settlement." + SettlementSR2025Folded + ".fold_from")
	if err != nil {
		return Settlement{}, err
	}
	if first, last := firstLast(s.Growth); from.Before(first) || from.After(last) {
		return Settlement{}, d.Parameters.Fail("settlement."+SettlementSR2025Folded+".fold_from",
			fmt.Errorf("%w: pots fold into baselines in a year of the settlement, %s to %s", ErrRange, first, last))
	}
	s.Name = SettlementSR2025Folded
	s.Description = fmt.Sprintf("as sr2025, with every core non-recurrent pot folded into recurrent baselines from %s (Hewitt Review)", from)
	s.Consolidations = []Consolidation{{Stream: Core, From: from}}
	return s, nil
}
