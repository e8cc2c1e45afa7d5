package prevention

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/dec"
	"github.com/upstream-health/upstream/internal/rule"
	"github.com/upstream-health/upstream/internal/table"
)

// GrantRuleKind is how the public health grant is set in years after its
// last published figure (in both series: see GrantSeries).
type GrantRuleKind int

const (
	// FlatReal holds the grant at the last published figure in real
	// terms on the model's deflator (the default).
	FlatReal GrantRuleKind = iota + 1
	// FlatCash holds it at the last published figure in cash.
	FlatCash
	// GrowCash grows it by a stated cash rate a year.
	GrowCash
	// UserSeries takes the user's figures for every year they give,
	// published or not.
	UserSeries
	// Restore2015 sets the grant, in every year after its last like-for-like
	// figure, to what restores its 2015/16 real-terms level per resident
	// (the derived or given 2015/16 baseline, the deflator, and ONS resident
	// population), with the grants consolidated into it from 2026/27 on top.
	Restore2015
)

// InCash reports whether the rule sets the grant's years in cash (held
// flat or grown by a stated rate), so that they do not move with prices;
// the other rules set them in real terms on the model's deflator.
func (k GrantRuleKind) InCash() bool { return k == FlatCash || k == GrowCash }

// GrantRule sets the grant in years without like-for-like data.
type GrantRule struct {
	Kind   GrantRuleKind                `json:"kind"`
	Rate   budget.Rate                  `json:"rate,omitempty"`   // GrowCash
	Series map[budget.Year]budget.Money `json:"series,omitempty"` // UserSeries, cash
	Source string                       `json:"source,omitempty"` // UserSeries
}

var grantRuleNames = map[GrantRuleKind]string{FlatReal: "flat-real", FlatCash: "flat-cash", GrowCash: "grow", UserSeries: "user", Restore2015: "restore-2015-16"}

// String names the rule: "flat-real", "flat-cash", "grow 0.02", "user".
func (r GrantRule) String() string {
	n, ok := grantRuleNames[r.Kind]
	if !ok {
		return fmt.Sprintf("GrantRuleKind(%d)", int(r.Kind))
	}
	if r.Kind == GrowCash {
		n += " " + r.Rate.String()
	}
	return n
}

// MarshalText writes the kind's name.
func (k GrantRuleKind) MarshalText() ([]byte, error) {
	if n, ok := grantRuleNames[k]; ok {
		return []byte(n), nil
	}
	return nil, fmt.Errorf("grant rule %d: %w", int(k), ErrUnknown)
}

// UnmarshalText reads a kind's name.
func (k *GrantRuleKind) UnmarshalText(b []byte) error {
	for v, n := range grantRuleNames {
		if n == string(b) {
			*k = v
			return nil
		}
	}
	return fmt.Errorf("grant rule %q: %w: want flat-real, flat-cash, grow, user or restore-2015-16", string(b), ErrUnknown)
}

// Validate checks the rule is complete.
func (r GrantRule) Validate() error {
	if _, ok := grantRuleNames[r.Kind]; !ok {
		return fmt.Errorf("grant rule: %w: want flat-real, flat-cash, grow, user or restore-2015-16", ErrRange)
	}
	var errs []error
	if r.Kind == GrowCash {
		if lo, hi := budget.MustRate("-0.2"), budget.MustRate("0.2"); r.Rate.Decimal().LessThan(lo.Decimal()) || r.Rate.Decimal().GreaterThan(hi.Decimal()) {
			errs = append(errs, fmt.Errorf("grant rule grow: rate %s: %w: want a fraction a year from -0.2 to 0.2 (0.03 is 3%%)", r.Rate, ErrRange))
		}
	} else if !r.Rate.Decimal().IsZero() {
		errs = append(errs, fmt.Errorf("grant rule %s: rate %s: %w: only the grow rule takes a rate", r, r.Rate, ErrRange))
	}
	if r.Kind == UserSeries {
		if len(r.Series) == 0 {
			errs = append(errs, fmt.Errorf("grant rule: user series: %w: no figures", ErrRange))
		}
		if strings.TrimSpace(r.Source) == "" {
			errs = append(errs, fmt.Errorf("grant rule: user series: %w: say where the figures come from (source)", ErrRange))
		}
		years := make([]budget.Year, 0, len(r.Series))
		for y := range r.Series {
			years = append(years, y)
		}
		sort.Slice(years, func(i, j int) bool { return years[i].Before(years[j]) })
		for _, y := range years {
			if m := r.Series[y]; m.Sign() < 0 {
				errs = append(errs, fmt.Errorf("grant rule: user series %s: %s: %w", y, m, budget.ErrNegative))
			}
		}
	} else if len(r.Series) > 0 {
		errs = append(errs, fmt.Errorf("grant rule %s: %w: only the user rule takes a series", r, ErrRange))
	}
	return errors.Join(errs...)
}

// GrantYear is the England public health grant in one year, in two series
// for two questions.
type GrantYear struct {
	Year budget.Year
	// Amount is what councils get: the published grant, consolidated from
	// 2026/27 (it then takes in grants paid outside it before), and the
	// rule in later years. Comparisons of size (the shift against the grant,
	// prevention and the grant together, per head) use it.
	Amount budget.Money // cash
	Status budget.Status
	Source string // source ID, or the rule that made the figure
	Note   string
	// LikeForLike is the grant on one scope from 2016/17 (the 0-5 services
	// in, the grants consolidated in 2026/27 out): the published
	// like-for-like total, or the consolidated grant less the grants it
	// took in, then the rule. Changes since 2015/16 use it.
	LikeForLike       budget.Money
	LikeForLikeStatus budget.Status
	LikeForLikeNote   string
}

// grantPoint is a grant amount of a year, from which a rule carries on.
type grantPoint struct {
	year   budget.Year
	amount budget.Money
}

// apply is rule's grant in year y from the anchor a, and the anchor the
// next year carries on from (flat real keeps its anchor; flat and grown
// cash move it on).
func (rule GrantRule) apply(a grantPoint, y budget.Year, defl budget.Deflator) (budget.Money, string, grantPoint, error) {
	if rule.Kind.InCash() {
		if rule.Kind == FlatCash {
			return a.amount, fmt.Sprintf("%s held flat in cash", a.year), grantPoint{y, a.amount}, nil
		}
		m := a.amount.Grow(rule.Rate).Round(2)
		return m, fmt.Sprintf("grown %s a year in cash", rule.Rate), grantPoint{y, m}, nil
	}
	// FlatReal, and UserSeries and Restore2015 in the years they do not set.
	real, err := defl.Real(a.amount, a.year, y)
	if err != nil {
		return budget.Money{}, "", a, fmt.Errorf("public health grant flat in real terms: %w", err)
	}
	note := fmt.Sprintf("%s held flat in real terms (%s %s)", a.year, defl.Name(), defl.Vintage())
	if rule.Kind == UserSeries {
		note = "not in the user series: " + note
	}
	return real.Round(2), note, a, nil
}

// consolidatedPrefix begins the measures of the grants the public health
// grant took in from 2026/27.
const consolidatedPrefix = "consolidated_"

const consolidatedNotFound = "Swap to Stop and the individual placement and support grant, whose amounts were not found, are still in it, so the like-for-like grant is at most this figure"

// GrantSeries is the England grant for each year of span in both series
// (see GrantYear): published figures where there are any (the latest
// vintage), then the rule from the last of them. Where a published total
// is consolidated, the like-for-like figure is that total less the
// consolidated grants' amounts the data gives (derived). A published
// lower bound over several years ("more than £13.4bn over 2026/27 to
// 2028/29") is honoured: where the rule's years fall short of it, they are
// raised in proportion so that the years add up to the bound. A year before
// the first published figure is an error wrapping ErrNoData.
func GrantSeries(g dataset.Grant, rule GrantRule, defl budget.Deflator, span budget.Span) ([]GrantYear, error) {
	if err := rule.Validate(); err != nil {
		return nil, err
	}
	var out []GrantYear
	var cons, lfl grantPoint
	for _, y := range span.Years() {
		if rule.Kind == UserSeries {
			if m, ok := rule.Series[y]; ok {
				// The user's own figure: an assumption, whatever its source.
				gy := GrantYear{Year: y, Amount: m, Status: budget.Assumed, Source: rule.Source, Note: "user series",
					LikeForLike: m, LikeForLikeStatus: budget.Assumed, LikeForLikeNote: "user series"}
				out = append(out, gy)
				cons, lfl = grantPoint{y, m}, grantPoint{y, m}
				continue
			}
		}
		f, err := g.Total(y)
		gy := GrantYear{Year: y}
		switch {
		case err == nil:
			gy.Amount, gy.Status, gy.Source, gy.Note = f.Amount, budget.Published, f.Source, f.Vintage.String()
			cons = grantPoint{y, f.Amount}
		case cons.year.IsZero():
			return nil, fmt.Errorf("public health grant: no published figure for %s or before: %w", y, ErrNoData)
		default:
			m, note, next, err := rule.apply(cons, y, defl)
			if err != nil {
				return nil, err
			}
			gy.Amount, gy.Status, gy.Source, gy.Note = m, budget.Projected, "rule "+rule.String(), note
			cons = next
		}
		switch taken, parts := consolidated(g, y); {
		case err == nil && f.LikeForLike:
			gy.LikeForLike, gy.LikeForLikeStatus, gy.LikeForLikeNote = f.Amount, budget.Published, f.Vintage.String()
			lfl = grantPoint{y, f.Amount}
		case err == nil && len(parts) > 0:
			gy.LikeForLike, gy.LikeForLikeStatus = f.Amount.Sub(taken), budget.Derived
			gy.LikeForLikeNote = fmt.Sprintf("the consolidated %s less %s; %s", budget.Formatter{Scale: budget.ScaleMillions}.Format(f.Amount), strings.Join(parts, " and "), consolidatedNotFound)
			lfl = grantPoint{y, gy.LikeForLike}
		case lfl.year.IsZero():
			return nil, fmt.Errorf("public health grant: no like-for-like figure for %s or before: %w", y, ErrNoData)
		default:
			m, note, next, err := rule.apply(lfl, y, defl)
			if err != nil {
				return nil, err
			}
			gy.LikeForLike, gy.LikeForLikeStatus, gy.LikeForLikeNote = m, budget.Projected, note
			lfl = next
		}
		out = append(out, gy)
	}
	if err := honourFloors(g, out); err != nil {
		return nil, err
	}
	return out, nil
}

// consolidated is the total of the grants the public health grant took in
// by year y, as the data gives them, and a description of each.
func consolidated(g dataset.Grant, y budget.Year) (budget.Money, []string) {
	var total budget.Money
	var parts []string
	for f := range g.All() {
		if strings.HasPrefix(f.Measure, consolidatedPrefix) && f.Span.Len() == 1 && f.Span.First() == y {
			total = total.Add(f.Amount)
			parts = append(parts, fmt.Sprintf("the %s grant %s (%s)", consolidatedName(f.Measure),
				budget.Formatter{Scale: budget.ScaleMillions}.Format(f.Amount), f.Source))
		}
	}
	return total, parts
}

// GrantFloors are the published lower bounds on the grant over several
// years ("more than £13.4bn over 2026/27 to 2028/29"): the data's
// total_multi_year figures of vintage lower_bound. GrantSeries raises the
// years its rule sets under a floor they fall short of; a simulation that
// draws the rule's years raises them the same way.
func GrantFloors(g dataset.Grant) []dataset.GrantFigure {
	var out []dataset.GrantFigure
	for f := range g.All() {
		if f.Measure == "total_multi_year" && f.Vintage == dataset.LowerBound {
			out = append(out, f)
		}
	}
	return out
}

// honourFloors raises the projected years under a published lower bound
// over several years, where they fall short of it, in proportion to their
// amounts (each to the penny, the last taking the rest).
func honourFloors(g dataset.Grant, years []GrantYear) error {
	for _, f := range GrantFloors(g) {
		var idx []int
		for i, gy := range years {
			if f.Span.Contains(gy.Year) {
				idx = append(idx, i)
			}
		}
		if len(idx) != f.Span.Len() {
			continue // not all the years are modelled
		}
		amounts, ruled := make([]decimal.Decimal, len(idx)), make([]bool, len(idx))
		for k, i := range idx {
			amounts[k], ruled[k] = years[i].Amount.Decimal(), years[i].Status == budget.Projected
		}
		if !rule.HonourFloor(amounts, ruled, f.Amount.Decimal(), 2) {
			continue // the bound holds
		}
		for k, i := range idx {
			if !ruled[k] {
				continue
			}
			was := years[i].Amount
			years[i].Amount = budget.MoneyFromDecimal(amounts[k])
			years[i].Note += fmt.Sprintf("; raised from %s under the rule so that %s adds up to the published floor of more than %s (%s)",
				budget.Formatter{Scale: budget.ScaleMillions}.Format(was), f.Span, budget.Formatter{Scale: budget.ScaleMillions}.Format(f.Amount), f.Source)
		}
	}
	return nil
}

// Grant2015 is the 2015/16 public health grant used as the baseline for
// restoring the grant's real-terms level per head. 2015/16 is not one
// published number: 0-5 children's services joined in October 2015 (half a
// year, £430m) and £200m was cut in year. The derivation is stated.
type Grant2015 struct {
	Amount     budget.Money  `json:"amount"`
	Derivation string        `json:"derivation"`
	Status     budget.Status `json:"status"`
}

// DeriveGrant2015 is the 2015/16 grant on the scope of later years: the
// announced total including the half-year of 0-5 services (£3,230m), plus
// the other half-year to make the 0-5 services a full year (£430m), less
// the £200m in-year reduction (recurrent: it carried into 2016/17): £3,460m
// with the embedded data [grant.csv; DH consultation July 2015].
func DeriveGrant2015(g dataset.Grant) (Grant2015, error) {
	y := budget.MustYear("2015/16")
	total, err1 := g.Component(y, "total")
	half, err2 := g.Component(y, "transfer_0to5_part_year")
	cut, err3 := g.Component(y, "in_year_reduction")
	if err := errors.Join(err1, err2, err3); err != nil {
		return Grant2015{}, fmt.Errorf("deriving the 2015/16 public health grant baseline: %w", err)
	}
	amount := total.Amount.Add(half.Amount).Add(cut.Amount)
	f := budget.Formatter{Scale: budget.ScaleMillions}
	return Grant2015{Amount: amount, Status: budget.Derived, Derivation: fmt.Sprintf(
		"2015/16 total %s (incl. half a year of 0-5 services) + %s (the other half year) %s in-year reduction = %s",
		f.Format(total.Amount), f.Format(half.Amount), f.Format(cut.Amount), f.Format(amount))}, nil
}

// Apportion splits an amount over areas in proportion to their
// populations, rounding each part to the penny so that the parts add up
// exactly to the amount rounded to the penny (largest remainder). A grant
// is not below zero: a total below zero is an error (ErrRange), as are
// populations that add up to zero (ErrZero).
func Apportion(total budget.Money, pops []budget.Population) ([]budget.Money, error) {
	if total.Sign() < 0 {
		return nil, fmt.Errorf("apportioning %s by population: %w: an amount below zero", total, ErrRange)
	}
	weights := make([]dec.D, len(pops))
	for i, p := range pops {
		weights[i] = dec.D(p)
	}
	exact := make([]dec.D, len(pops))
	if !rule.Proportional(exact, dec.D(total), weights, nil, budget.WorkingScale) {
		return nil, fmt.Errorf("apportioning %s by population: %w: the populations add up to zero", total, ErrZero)
	}
	return roundedParts(exact), nil
}

// roundedParts are exact parts of a total rounded to the penny by largest
// remainder, adding up to the total rounded (budget.Formatter.RoundParts).
func roundedParts(exact []dec.D) []budget.Money {
	parts := make([]budget.Money, len(exact))
	for i, x := range exact {
		parts[i] = budget.Money(x)
	}
	return pence.RoundParts(parts)
}

var pence = budget.Formatter{Places: 2, NoSymbol: true, NoGrouping: true}

// CouncilGrant is a user's public health grant allocations by council,
// with the ICB each council's allocation counts towards.
type CouncilGrant struct {
	byICB map[string]map[budget.Year]budget.Money
	years map[budget.Year]bool
	// subset marks allocations of only some councils: the ICBs they cover
	// fully (covered) get their grant from them, the others a share of the
	// rest of England's grant by registered population.
	subset  bool
	covered map[string]map[budget.Year]bool
	// missing names, for an ICB some but not all of whose councils the
	// file gives, the councils it lacks and the ICB's share of each one's
	// patients, by year.
	missing map[string]map[budget.Year][]string
	// unchecked skips the plausibility checks (CouncilOptions.Unreconciled).
	unchecked bool
	// partial apportions the councils a subset lacks by registered
	// population and adds them to the ICBs they are in
	// (CouncilOptions.Partial).
	partial bool
	// byCouncil holds each council's amount by year; parts is the
	// crosswalk on the file's footprint (CouncilAllocations only).
	byCouncil map[string]map[budget.Year]budget.Money
	parts     []dataset.CouncilPart
	// file is the file's name, for errors.
	file string
}

// CouncilOptions are the choices a user makes about a council file.
type CouncilOptions struct {
	// Subset: the file has only some councils (see CouncilAllocations).
	Subset bool
	// Partial (implies Subset): the councils the file lacks get a share
	// of the rest of England's grant by their registered patients, and
	// each ICB adds its part of every council, given or apportioned; an
	// ICB that holds patients of both is "mixed" (Values.GrantMixed).
	Partial bool
	// Unreconciled accepts a file whose amounts are implausible: a
	// council's grant per registered patient more than 8 times from the
	// file's median, or an ICB's more than 5 times from England's average
	// (a file in £m, or 1,000 times too big), for a what-if.
	Unreconciled bool
}

// CouncilGrantColumns are the columns of a council grant file:
//
//	year          financial year
//	council_code  the council's ONS or ODS code
//	council_name  its name
//	icb_code      the ICB its allocation (or this part of it) counts towards
//	value         pounds, cash
//	source        a source ID or title
//
// A council split between ICBs has one row for each part.
func CouncilGrantColumns() []string {
	return []string{"year", "council_code", "council_name", "icb_code", "value", "source"}
}

// ReadCouncilGrant reads a council grant file. A negative value, an empty
// code or the same year-council-ICB twice is an error naming the line.
func ReadCouncilGrant(r io.Reader, name string) (CouncilGrant, error) {
	rows, err := table.Read(r, name, CouncilGrantColumns())
	if err != nil {
		return CouncilGrant{}, err
	}
	cg := CouncilGrant{byICB: map[string]map[budget.Year]budget.Money{}, years: map[budget.Year]bool{}, file: name}
	seen := map[string]int{}
	for _, row := range rows {
		y, err := row.Year("year")
		if err != nil {
			return CouncilGrant{}, err
		}
		council, err := row.Code("council_code")
		if err != nil {
			return CouncilGrant{}, err
		}
		icb, err := row.Code("icb_code")
		if err != nil {
			return CouncilGrant{}, err
		}
		v, err := row.Money("value")
		if err != nil {
			return CouncilGrant{}, err
		}
		if v.Sign() < 0 {
			return CouncilGrant{}, row.Fail("value", fmt.Errorf("%w: a grant allocation cannot be negative", budget.ErrNegative))
		}
		if _, err := row.NonEmpty("source"); err != nil {
			return CouncilGrant{}, err
		}
		key := y.String() + "|" + council + "|" + icb
		if l, dup := seen[key]; dup {
			return CouncilGrant{}, row.Fail("council_code", fmt.Errorf("%w: %s %s to %s is also on line %d", budget.ErrDuplicate, y, council, icb, l))
		}
		seen[key] = row.Line()
		if cg.byICB[icb] == nil {
			cg.byICB[icb] = map[budget.Year]budget.Money{}
		}
		cg.byICB[icb][y] = cg.byICB[icb][y].Add(v)
		cg.years[y] = true
	}
	return cg, nil
}

// Years are the years the file has, in order.
func (c CouncilGrant) Years() []budget.Year {
	var ys []budget.Year
	for y := range c.years {
		ys = append(ys, y)
	}
	slices.SortFunc(ys, func(a, b budget.Year) int { return a.Sub(b) })
	return ys
}

// ICB returns the grant counted towards an ICB in a year (zero if no council maps to it).
func (c CouncilGrant) ICB(icb string, y budget.Year) budget.Money { return c.byICB[icb][y] }

// HasICB reports whether any council's allocation counts towards the ICB in year y.
func (c CouncilGrant) HasICB(icb string, y budget.Year) bool {
	_, ok := c.byICB[icb][y]
	return ok
}

// Covers reports whether the file has allocations for year y.
func (c CouncilGrant) Covers(y budget.Year) bool { return c.years[y] }

// ICBCodes lists the ICB codes the file names, sorted.
func (c CouncilGrant) ICBCodes() []string {
	out := make([]string, 0, len(c.byICB))
	for k := range c.byICB {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// CouncilAllocationsColumns are the columns of a council allocations file,
// one row per upper-tier council and year as in the DHSC circular annexes:
//
//	year          financial year, 2024/25
//	council_code  the council's ONS code as it stands after the April 2023
//	              changes (Cumberland E06000063, Westmorland and Furness
//	              E06000064, North Yorkshire E06000065, Somerset E06000066)
//	council_name  its name
//	amount        its public health grant, pounds
//
// The informative columns registered, icbs and notes (those examples/data
// -councils-template writes beside them) may be there, and are ignored.
func CouncilAllocationsColumns() []string {
	return []string{"year", "council_code", "council_name", "amount"}
}

// WriteCouncilTemplate writes a council allocations file to fill in:
// for each year, every council of cs (dataset.CouncilCrosswalk.Councils)
// in its order, amount blank, with its registered patients and the ICBs
// its patients are in (with the ICB's share of them) beside it for
// reference, which the loader ignores.
func WriteCouncilTemplate(w io.Writer, cs []dataset.Council, years []budget.Year) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(CouncilAllocationsColumns(), "registered", "icbs")); err != nil {
		return err
	}
	for _, y := range years {
		for _, c := range cs {
			var icbs []string
			for _, p := range c.Parts {
				icbs = append(icbs, fmt.Sprintf("%s %s%%", p.ICB, p.OfCouncil.Shift(2).StringFixed(2)))
			}
			if err := cw.Write(budget.SafeRecord([]string{y.String(), c.Code, c.Name, "", c.Registered.Decimal().StringFixed(0), strings.Join(icbs, "; ")})); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// CouncilAllocations maps a council allocations file to ICBs through the
// crosswalk x on a footprint: each council's grant split over the ICBs of
// its practices by registered population (by practice location). Every
// problem is an error naming the file and, for a row, its line and column:
// a council the crosswalk does not have, the same council and year twice,
// a negative amount, and, unless subset, a year that does not have every
// council (listing the missing ones). With subset, only the ICBs all of
// whose councils are in the file get their grant from them; the others
// keep a share of the rest by population.
func CouncilAllocations(r io.Reader, name string, x dataset.CouncilCrosswalk, footprint string, opts CouncilOptions) (*CouncilGrant, error) {
	rows, err := ReadCouncilAmounts(r, name)
	if err != nil {
		return nil, err
	}
	return CouncilAllocationsOf(rows, name, x, footprint, opts)
}

// CouncilAmount is one council's public health grant allocation in one
// year: a row of a council allocations file (CouncilAllocationsColumns).
type CouncilAmount struct {
	Year   budget.Year
	Code   string // the council's ONS code
	Name   string
	Amount budget.Money // pounds, cash
	// Line is where it was read, for errors: its line in a file.
	Line int
	// Where, if set, names where it was read in place of the file and
	// line (a field of a scenario file: councils.allocations[3]).
	Where string
}

// ReadCouncilAmounts reads a council allocations file (the columns of
// CouncilAllocationsColumns, and any of its informative columns), with
// each value's syntax checked: a bad year, code or amount, an empty name,
// or a blank amount (a template row left blank) is a *budget.FileError
// naming the line. CouncilAllocationsOf checks them against the crosswalk.
func ReadCouncilAmounts(r io.Reader, name string) ([]CouncilAmount, error) {
	rows, err := table.ReadIgnoring(r, name, CouncilAllocationsColumns(), []string{"registered", "icbs", "notes"})
	if err != nil {
		return nil, err
	}
	out := make([]CouncilAmount, 0, len(rows))
	for _, row := range rows {
		var a CouncilAmount
		if a.Year, err = row.Year("year"); err != nil {
			return nil, err
		}
		if a.Code, err = row.Code("council_code"); err != nil {
			return nil, err
		}
		if a.Name, err = row.NonEmpty("council_name"); err != nil {
			return nil, err
		}
		if row.Get("amount") == "" {
			return nil, row.Fail("amount", fmt.Errorf("%w: blank: fill in %s's allocation in pounds (a template row left blank), or delete the row and give the file as a subset", budget.ErrNoData, a.Name))
		}
		if a.Amount, err = row.Money("amount"); err != nil {
			return nil, err
		}
		a.Line = row.Line()
		out = append(out, a)
	}
	return out, nil
}

// CouncilAllocationsOf is CouncilAllocations for amounts already read
// (from a file by ReadCouncilAmounts, or from a scenario); name names
// where they come from in errors, each at its amount's Line.
func CouncilAllocationsOf(rows []CouncilAmount, name string, x dataset.CouncilCrosswalk, footprint string, opts CouncilOptions) (*CouncilGrant, error) {
	subset := opts.Subset || opts.Partial
	parts, err := x.Parts(footprint)
	if err != nil {
		return nil, err
	}
	byCouncil := map[string][]dataset.CouncilPart{}
	councilsOf := map[string][]string{} // ICB -> councils with a part in it
	var councils []string
	for _, p := range parts {
		if _, ok := byCouncil[p.Council]; !ok {
			councils = append(councils, p.Council)
		}
		byCouncil[p.Council] = append(byCouncil[p.Council], p)
		if p.Share.Sign() > 0 {
			councilsOf[p.ICB] = append(councilsOf[p.ICB], p.Council)
		}
	}
	if len(rows) == 0 {
		return nil, &budget.FileError{File: name, Err: fmt.Errorf("%w: no council allocations", budget.ErrNoData)}
	}
	cg := &CouncilGrant{byICB: map[string]map[budget.Year]budget.Money{}, years: map[budget.Year]bool{},
		subset: subset, covered: map[string]map[budget.Year]bool{}, unchecked: opts.Unreconciled, file: name,
		partial: opts.Partial, byCouncil: map[string]map[budget.Year]budget.Money{}, parts: parts}
	have := map[budget.Year]map[string]int{}
	amounts := map[budget.Year]map[string]budget.Money{}
	var years []budget.Year
	for _, row := range rows {
		y, code, v := row.Year, row.Code, row.Amount
		fail := func(column, value string, err error) error {
			if row.Where != "" {
				return &budget.FileError{File: row.Where, Column: column, Value: value, Err: err}
			}
			return &budget.FileError{File: name, Line: row.Line, Column: column, Value: value, Err: err}
		}
		if y.IsZero() || code == "" || row.Name == "" {
			return nil, fail("year", y.String(), fmt.Errorf("%w: a council allocation needs its year, code and name", budget.ErrNoData))
		}
		if v.Sign() < 0 {
			return nil, fail("amount", v.Decimal().String(), fmt.Errorf("%w: a grant allocation cannot be negative", budget.ErrNegative))
		}
		ps, ok := byCouncil[code]
		if !ok {
			return nil, fail("council_code", code, fmt.Errorf("%w: not an upper-tier council of the crosswalk (codes as after April 2023, such as E06000066 for Somerset)", budget.ErrUnknown))
		}
		if !sameCouncil(row.Name, ps[0].CouncilName) {
			return nil, fail("council_name", row.Name, fmt.Errorf("%w: %s is %s: the name and the code are of different councils (a row out of line?)", budget.ErrRange, code, ps[0].CouncilName))
		}
		if have[y] == nil {
			have[y] = map[string]int{}
			years = append(years, y)
		}
		if l, dup := have[y][code]; dup {
			return nil, fail("council_code", code, fmt.Errorf("%w: %s %s is also on line %d", budget.ErrDuplicate, y, code, l))
		}
		have[y][code] = row.Line
		if amounts[y] == nil {
			amounts[y] = map[string]budget.Money{}
		}
		amounts[y][code] = v
		if cg.byCouncil[code] == nil {
			cg.byCouncil[code] = map[budget.Year]budget.Money{}
		}
		cg.byCouncil[code][y] = v
		// Split to the penny, the last part taking the rest.
		rest := v
		for k, p := range ps {
			part := rest
			if k < len(ps)-1 {
				part = budget.MoneyFromDecimal(v.Decimal().Mul(p.Share).Round(2))
				rest = rest.Sub(part)
			}
			if cg.byICB[p.ICB] == nil {
				cg.byICB[p.ICB] = map[budget.Year]budget.Money{}
			}
			cg.byICB[p.ICB][y] = cg.byICB[p.ICB][y].Add(part)
		}
		cg.years[y] = true
	}
	var errs []error
	for _, y := range years {
		if !opts.Unreconciled {
			errs = append(errs, implausibleCouncils(name, y, amounts[y], have[y], byCouncil)...)
		}
		var missing []string
		for _, c := range councils {
			if _, ok := have[y][c]; !ok {
				missing = append(missing, c+" "+byCouncil[c][0].CouncilName)
			}
		}
		if len(missing) > 0 && !subset {
			errs = append(errs, fmt.Errorf("%s: %s: %w: %d of the %d councils are missing (give them all, or ask for a subset): %s",
				name, y, ErrNoData, len(missing), len(councils), strings.Join(missing, "; ")))
		}
		for icb, cs := range councilsOf {
			var lack []string
			some := false
			for _, c := range cs {
				if _, ok := have[y][c]; ok {
					some = true
					continue
				}
				for _, p := range byCouncil[c] {
					if p.ICB == icb {
						lack = append(lack, fmt.Sprintf("%s (%s%% of that council's patients)", p.CouncilName, p.Share.Shift(2).StringFixed(2)))
					}
				}
			}
			if cg.covered[icb] == nil {
				cg.covered[icb] = map[budget.Year]bool{}
			}
			cg.covered[icb][y] = len(lack) == 0
			if some && len(lack) > 0 {
				if cg.missing == nil {
					cg.missing = map[string]map[budget.Year][]string{}
				}
				if cg.missing[icb] == nil {
					cg.missing[icb] = map[budget.Year][]string{}
				}
				sort.Strings(lack)
				cg.missing[icb][y] = lack
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return cg, nil
}

// implausibleCouncils are the councils of a year whose grant per
// registered patient is more than 8 times from the median of the file's
// councils: published grants per head vary about six-fold, so an amount in
// £m, or 1,000 times too big, stands out even in a file of many councils.
// A year of fewer than five councils is left to the ICB check (see
// checkCouncilICBs).
func implausibleCouncils(name string, y budget.Year, amounts map[string]budget.Money, lines map[string]int, parts map[string][]dataset.CouncilPart) []error {
	perHead := map[string]decimal.Decimal{}
	var all []decimal.Decimal
	for code, v := range amounts {
		reg := decimal.Zero
		for _, p := range parts[code] {
			reg = reg.Add(p.Registered.Decimal())
		}
		if reg.Sign() <= 0 {
			continue
		}
		ph := v.Decimal().Div(reg)
		perHead[code] = ph
		all = append(all, ph)
	}
	if len(all) < 5 {
		return nil
	}
	slices.SortFunc(all, func(a, b decimal.Decimal) int { return a.Cmp(b) })
	median := all[len(all)/2]
	if len(all)%2 == 0 {
		median = all[len(all)/2-1].Add(median).Div(decimal.NewFromInt(2))
	}
	eight := decimal.NewFromInt(8)
	var errs []error
	codes := make([]string, 0, len(perHead))
	for code := range perHead {
		codes = append(codes, code)
	}
	slices.SortFunc(codes, func(a, b string) int { return lines[a] - lines[b] })
	for _, code := range codes {
		ph := perHead[code]
		if ph.Mul(eight).LessThan(median) || ph.GreaterThan(median.Mul(eight)) {
			errs = append(errs, &budget.FileError{File: name, Line: lines[code], Column: "amount", Value: amounts[code].Decimal().String(),
				Err: fmt.Errorf("%w: %s %s is £%s per registered patient, against a median of £%s for the file's councils in %s: check it is in pounds (or add -unreconciled for a what-if)",
					budget.ErrRange, code, parts[code][0].CouncilName, formatPerHead(ph), median.StringFixed(2), y)})
		}
	}
	return errs
}

// Covered reports whether an ICB's grant in year y comes from council
// allocations: every council with registered patients in it is in the file.
func (c CouncilGrant) Covered(icb string, y budget.Year) bool {
	if !c.subset {
		return c.HasICB(icb, y)
	}
	return c.covered[icb][y]
}

// GrantLikeForLikeHistory is England's grant on one scope, that of 2016/17
// to 2025/26, for every year the data has a total: before 2016/17 with the
// 0-5 children's services, which councils took over in October 2015, added
// back (2013/14 and 2014/15: their full-year cost, twice the £430m
// half-year transfer; 2015/16: the derived baseline, the other half year
// added and the £200m in-year cut taken off); from 2026/27 without the
// grants consolidated into it (see GrantSeries). Amount is the published
// total as councils got it.
func GrantLikeForLikeHistory(g dataset.Grant) ([]GrantYear, error) {
	y15 := budget.MustYear("2015/16")
	half, err := g.Component(y15, "transfer_0to5_part_year")
	if err != nil {
		return nil, fmt.Errorf("the like-for-like grant before 2016/17: %w", err)
	}
	g15, err := DeriveGrant2015(g)
	if err != nil {
		return nil, err
	}
	f := budget.Formatter{Scale: budget.ScaleMillions}
	var out []GrantYear
	for _, y := range g.Years() {
		t, err := g.Total(y)
		if err != nil {
			return nil, err
		}
		gy := GrantYear{Year: y, Amount: t.Amount, Status: budget.Published, Source: t.Source, Note: t.Vintage.String()}
		switch taken, parts := consolidated(g, y); {
		case y.Before(y15):
			gy.LikeForLike, gy.LikeForLikeStatus = t.Amount.Add(half.Amount).Add(half.Amount), budget.Derived
			gy.LikeForLikeNote = fmt.Sprintf("%s with the 0-5 services' full-year cost, 2 x %s, added", f.Format(t.Amount), f.Format(half.Amount))
		case y == y15:
			gy.LikeForLike, gy.LikeForLikeStatus, gy.LikeForLikeNote = g15.Amount, g15.Status, g15.Derivation
		case t.LikeForLike:
			gy.LikeForLike, gy.LikeForLikeStatus, gy.LikeForLikeNote = t.Amount, budget.Published, t.Vintage.String()
		case len(parts) > 0:
			gy.LikeForLike, gy.LikeForLikeStatus = t.Amount.Sub(taken), budget.Derived
			gy.LikeForLikeNote = fmt.Sprintf("the consolidated %s less %s; %s", f.Format(t.Amount), strings.Join(parts, " and "), consolidatedNotFound)
		default:
			continue // a scope change the data does not say how to undo: left out, not guessed
		}
		out = append(out, gy)
	}
	return out, nil
}

// consolidatedName is a consolidated grant's name for people.
func consolidatedName(measure string) string {
	switch measure {
	case "consolidated_stop_smoking":
		return "stop smoking services"
	case "consolidated_drug_alcohol_recovery":
		return "drug and alcohol treatment and recovery"
	}
	return strings.ReplaceAll(strings.TrimPrefix(measure, consolidatedPrefix), "_", " ")
}

// ICBGrantShare is an ICB whose public health grant is published, as a
// part of England's grant, rather than apportioned by registered
// population: its councils' published amount over England's grant of the
// same year, carried forward with England's grant (the ICB keeps that share
// of it in every year). The other ICBs share the rest of England's grant by
// registered population.
type ICBGrantShare struct {
	ICB    string          // ODS code
	Share  decimal.Decimal // of England's grant, 10 places
	Year   budget.Year     // the year the amount was published for
	Amount budget.Money    // the published amount
	Source string          // grant.csv source ID
	What   string          // what the amount is, for people
}

// publishedICBGrants are the grant figures that belong to one ICB: the
// measure in grant.csv, the ICB whose footprint is exactly the councils it
// is for, and what it is. The ten Greater Manchester councils
// (E08000001-E08000010) get no public health grant: their notional amount
// is funded through 100% business rates retention (LAC(DH)(2016)3, £213.4m
// of £3,300m in 2017/18) and NHS Greater Manchester ICB (QOP) is exactly
// those ten councils, each wholly in it and no other in it
// (council_icb.csv, both footprints; a test checks).
var publishedICBGrants = []struct{ measure, icb, what string }{
	{"of_which_greater_manchester_business_rates_retention", "QOP",
		"the ten Greater Manchester councils' notional grant, funded through business rates retention"},
}

// PublishedICBGrantShares finds in g the grants published for one ICB's
// councils (see ICBGrantShare), each as a share of England's grant total
// of the same year and vintage. A published amount with no England total
// to divide by is an error wrapping ErrNoData.
func PublishedICBGrantShares(g dataset.Grant) ([]ICBGrantShare, error) {
	var out []ICBGrantShare
	figs := g.Figures()
	for _, p := range publishedICBGrants {
		for _, f := range figs {
			if f.Measure != p.measure || f.Span.Len() != 1 {
				continue
			}
			var total *dataset.GrantFigure
			for i := range figs {
				t := figs[i]
				if t.Measure == "total" && t.Span == f.Span && t.Vintage == f.Vintage {
					total = &figs[i]
				}
			}
			if total == nil || total.Amount.Sign() <= 0 {
				return nil, fmt.Errorf("grant %s %s (%s): %w: no England total of the same year and vintage to take its share of", f.Span, f.Measure, f.Source, ErrNoData)
			}
			if f.Amount.Sign() <= 0 || f.Amount.Decimal().GreaterThan(total.Amount.Decimal()) {
				return nil, fmt.Errorf("grant %s %s (%s): %s of England's %s: %w", f.Span, f.Measure, f.Source, f.Amount, total.Amount, ErrRange)
			}
			s := ICBGrantShare{ICB: p.icb, Share: f.Amount.Decimal().DivRound(total.Amount.Decimal(), budget.WorkingScale),
				Year: f.Span.First(), Amount: f.Amount, Source: f.Source, What: p.what}
			k := slices.IndexFunc(out, func(o ICBGrantShare) bool { return o.ICB == s.ICB })
			switch {
			case k < 0:
				out = append(out, s)
			case s.Year.After(out[k].Year): // the latest published year stands
				out[k] = s
			}
		}
	}
	return out, nil
}

// Describe says how the ICB's grant is set, for people.
func (s ICBGrantShare) Describe() string {
	of := "England's" // the whole, where the share gives it
	if !s.Share.IsZero() {
		of = budget.Formatter{Scale: budget.ScaleMillions, Places: 0}.Format(budget.MoneyFromDecimal(s.Amount.Decimal().DivRound(s.Share, 0)))
	}
	return fmt.Sprintf("%s: %s of England's grant, as in %s (%s of %s, %s), carried forward with England's grant",
		s.What, s.Share.Shift(2).StringFixed(2)+"%", s.Year, budget.Formatter{Scale: budget.ScaleMillions, Places: 1}.Format(s.Amount), of, s.Source)
}

// checkShares reports an ICB listed twice in codes, and published grant
// shares that cannot be: an ICB not among codes (budget.ErrUnknown), one
// given twice (budget.ErrDuplicate), a share outside 0 to 1, or shares
// adding up to more than England's grant (ErrRange).
func checkShares(codes []string, shares []ICBGrantShare) error {
	known := make(map[string]bool, len(codes))
	for _, code := range codes {
		if known[code] {
			return fmt.Errorf("ICB %s: %w: an ICB is listed once", code, budget.ErrDuplicate)
		}
		known[code] = true
	}
	seen := map[string]bool{}
	var sum decimal.Decimal
	for _, sh := range shares {
		switch {
		case !known[sh.ICB]:
			return fmt.Errorf("ICB grant share %s: %w: not an ICB of the allocations", sh.ICB, budget.ErrUnknown)
		case seen[sh.ICB]:
			return fmt.Errorf("ICB grant share %s: %w: an ICB takes one published share of England's grant", sh.ICB, budget.ErrDuplicate)
		case sh.Share.IsNegative() || sh.Share.GreaterThan(one):
			return fmt.Errorf("ICB grant share %s: %s: %w: a share of England's grant is from 0 to 1", sh.ICB, sh.Share, ErrRange)
		}
		seen[sh.ICB] = true
		sum = sum.Add(sh.Share)
	}
	if sum.GreaterThan(one) {
		return fmt.Errorf("ICB grant shares: %w: they add up to %s of England's grant, more than all of it", ErrRange, sum)
	}
	return nil
}

// ApportionWithShares splits total over ICBs (codes, with their registered
// populations): each ICB of shares gets its share of total, to the penny;
// the rest is apportioned by registered population over the others
// (Apportion). fixed reports which ICBs took a published share. Shares of
// ICBs not among codes, an ICB's twice, outside 0 to 1 or adding up to
// more than 1, populations not one for each code, a code listed twice,
// no codes, and a total below zero are errors.
func ApportionWithShares(total budget.Money, codes []string, pops []budget.Population, shares []ICBGrantShare) (parts []budget.Money, fixed []bool, err error) {
	if len(pops) != len(codes) {
		return nil, nil, fmt.Errorf("apportioning %s: %w: %d populations for %d ICBs", total, budget.ErrRange, len(pops), len(codes))
	}
	if len(codes) == 0 {
		return nil, nil, fmt.Errorf("apportioning %s: %w: no ICBs", total, budget.ErrNoData)
	}
	if total.Sign() < 0 {
		return nil, nil, fmt.Errorf("apportioning %s: %w: an amount below zero", total, ErrRange)
	}
	if err := checkShares(codes, shares); err != nil {
		return nil, nil, fmt.Errorf("apportioning %s: %w", total, err)
	}
	fixed = make([]bool, len(codes))
	share := make([]dec.D, len(codes))
	for i, code := range codes {
		for _, s := range shares {
			if s.ICB == code {
				share[i], fixed[i] = dec.From(s.Share), true
			}
		}
	}
	exact := make([]dec.D, len(codes))
	rest := budget.Money(rule.ShareOut(exact, dec.D(total), share, fixed, 2))
	var others []int
	var otherPops []budget.Population
	parts = make([]budget.Money, len(codes))
	for i := range codes {
		if fixed[i] {
			parts[i] = budget.Money(exact[i])
			continue
		}
		others = append(others, i)
		otherPops = append(otherPops, pops[i])
	}
	if rest.Sign() < 0 {
		return nil, nil, fmt.Errorf("apportioning %s: %w: the published shares, each rounded to the penny, come to %s more than it", total, ErrRange, rest.Neg())
	}
	if len(others) == 0 {
		if !rest.IsZero() {
			return nil, nil, fmt.Errorf("apportioning %s: %w: every ICB takes a published share, and they leave %s to no ICB", total, ErrRange, rest)
		}
		return parts, fixed, nil
	}
	split, err := Apportion(rest, otherPops)
	if err != nil {
		return nil, nil, err
	}
	for k, i := range others {
		parts[i] = split[k]
	}
	return parts, fixed, nil
}

// GrantSplits shares the grant's splits between runs. The catalogue's
// scenarios mostly split the same England grant over the same registered
// populations, year after year, and each split is the same largest-remainder
// sharing of pennies. A split is found by value: the total with its scale,
// each ICB's code and population with theirs, and the published shares.
// So a split found gives exactly what ApportionWithShares gives.
//
// Set Inputs.Splits to share one between runs; scenario.Runner does.
// Its methods are safe for concurrent use, and the zero value is ready.
type GrantSplits struct {
	mu sync.Mutex
	m  map[splitKey][]grantSplit
}

// splitKey is a total's coefficient and exponent.
type splitKey struct {
	c   int64
	exp int32
}

type grantSplit struct {
	codes  []string
	pops   []budget.Population
	shares []ICBGrantShare
	parts  []budget.Money
	fixed  []bool
}

// Apportion is ApportionWithShares, made once for each distinct set of
// arguments; g nil makes it every time. The slices returned are the
// caller's.
func (g *GrantSplits) Apportion(total budget.Money, codes []string, pops []budget.Population, shares []ICBGrantShare) (parts []budget.Money, fixed []bool, err error) {
	c, exp, ok := dec.D(total).Coefficient64()
	if g == nil || !ok {
		return ApportionWithShares(total, codes, pops, shares)
	}
	key := splitKey{c, exp}
	g.mu.Lock()
	for _, s := range g.m[key] {
		if s.same(codes, pops, shares) {
			g.mu.Unlock()
			return slices.Clone(s.parts), slices.Clone(s.fixed), nil
		}
	}
	g.mu.Unlock()
	if parts, fixed, err = ApportionWithShares(total, codes, pops, shares); err != nil {
		return nil, nil, err
	}
	s := grantSplit{slices.Clone(codes), slices.Clone(pops), slices.Clone(shares), slices.Clone(parts), slices.Clone(fixed)}
	g.mu.Lock()
	if g.m == nil {
		g.m = map[splitKey][]grantSplit{}
	}
	g.m[key] = append(g.m[key], s)
	g.mu.Unlock()
	return parts, fixed, nil
}

// same reports whether a split was made from these arguments, numbers
// equal in value and in scale.
func (s *grantSplit) same(codes []string, pops []budget.Population, shares []ICBGrantShare) bool {
	return slices.Equal(s.codes, codes) &&
		slices.EqualFunc(s.pops, pops, func(a, b budget.Population) bool { return sameDec(dec.D(a), dec.D(b)) }) &&
		slices.EqualFunc(s.shares, shares, func(a, b ICBGrantShare) bool {
			return a.ICB == b.ICB && sameDec(dec.From(a.Share), dec.From(b.Share))
		})
}

// sameDec reports whether a and b are the same number at the same scale.
func sameDec(a, b dec.D) bool { return a.Exponent() == b.Exponent() && a.Cmp(b) == 0 }

// Missing lists, for an ICB the file covers in part in year y, the
// councils it lacks, each with the ICB's share of its patients; nil where
// the ICB is covered fully or not at all.
func (c *CouncilGrant) Missing(icb string, y budget.Year) []string {
	if c == nil {
		return nil
	}
	return append([]string(nil), c.missing[icb][y]...)
}

// sameCouncil reports whether a name given for a council can be the
// crosswalk's name for it: a word of four letters or more in common, in
// any case ("Bristol" and "Bristol, City of"; "Kingston upon Hull" and
// "Kingston upon Hull, City of"), so that a row whose code and name are of
// different councils is caught.
func sameCouncil(given, known string) bool {
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
	}
	kw := words(known)
	for _, w := range words(given) {
		if len(w) >= 4 && w != "city" && w != "county" && w != "borough" && w != "council" && slices.Contains(kw, w) {
			return true
		}
	}
	return false
}
