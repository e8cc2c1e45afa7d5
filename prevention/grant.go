package prevention

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/upstream-health/upstream/budget"
)

// GrantRuleKind is how the public health grant is set in years without a
// published like-for-like figure.
type GrantRuleKind int

const (
	// FlatReal holds the grant at the last like-for-like figure in real
	// terms on the model's deflator (the default).
	FlatReal GrantRuleKind = iota + 1
	// FlatCash holds it at the last like-for-like figure in cash.
	FlatCash
	// GrowCash grows it by a stated cash rate a year.
	GrowCash
	// UserSeries takes the user's figures for every year they give,
	// published or not.
	UserSeries
	// Restore2015 sets the grant, in every year after its last like-for-like
	// figure, to what restores its 2015/16 real-terms level per resident
	// (the derived or given 2015/16 baseline, the deflator, and ONS resident
	// population).
	Restore2015
)

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

// GrantYear is the England public health grant in one year.
type GrantYear struct {
	Year   budget.Year
	Amount budget.Money // cash
	Status budget.Status
	Source string // source ID, or the rule that made the figure
	Note   string
	// Published is a published figure for the year that is not like-for-like
	// (the 2026/27 consolidated grant), kept beside the like-for-like one.
	Published *budget.GrantFigure
}

// GrantSeries is the England grant for each year of span: the latest
// published like-for-like total where there is one (up to the last such
// year), then the rule. A year before the first published figure is an
// error wrapping ErrNoData.
func GrantSeries(g budget.Grant, rule GrantRule, defl budget.Deflator, span budget.Span) ([]GrantYear, error) {
	if err := rule.Validate(); err != nil {
		return nil, err
	}
	var out []GrantYear
	var last GrantYear
	for _, y := range span.Years() {
		if rule.Kind == UserSeries {
			if m, ok := rule.Series[y]; ok {
				last = GrantYear{Year: y, Amount: m, Status: budget.Published, Source: rule.Source, Note: "user series"}
				out = append(out, last)
				continue
			}
		}
		f, err := g.Total(y)
		if err == nil && f.LikeForLike {
			last = GrantYear{Year: y, Amount: f.Amount, Status: budget.Published, Source: f.Source, Note: f.Vintage.String()}
			out = append(out, last)
			continue
		}
		if last.Year.IsZero() {
			return nil, fmt.Errorf("public health grant: no like-for-like figure for %s or before: %w", y, ErrNoData)
		}
		gy := GrantYear{Year: y, Status: budget.Projected, Source: "rule " + rule.String()}
		if err == nil {
			f := f
			gy.Published = &f
		}
		switch rule.Kind {
		case FlatReal, UserSeries, Restore2015: // Run replaces Restore2015's figures
			real, err := defl.Real(last.Amount, last.Year, y) // last year's grant at year y's prices
			if err != nil {
				return nil, fmt.Errorf("public health grant flat in real terms: %w", err)
			}
			gy.Amount = real.Round(2)
			gy.Note = fmt.Sprintf("%s held flat in real terms (%s %s)", last.Year, defl.Name(), defl.Vintage())
			if rule.Kind == UserSeries {
				gy.Note = fmt.Sprintf("not in the user series: %s", gy.Note)
			}
		case FlatCash:
			gy.Amount = last.Amount
			gy.Note = fmt.Sprintf("%s held flat in cash", last.Year)
		case GrowCash:
			gy.Amount = last.Amount.Grow(rule.Rate).Round(2)
			gy.Note = fmt.Sprintf("grown %s a year in cash", rule.Rate)
		}
		out = append(out, gy)
		if rule.Kind == FlatCash || rule.Kind == GrowCash {
			last = gy
		}
	}
	return out, nil
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
func DeriveGrant2015(g budget.Grant) (Grant2015, error) {
	y := budget.MustYear("2015/16")
	total, err1 := g.Component(y, "total")
	half, err2 := g.Component(y, "transfer_0to5_part_year")
	cut, err3 := g.Component(y, "in_year_reduction")
	if err := errors.Join(err1, err2, err3); err != nil {
		return Grant2015{}, fmt.Errorf("deriving the 2015/16 public health grant baseline: %w", err)
	}
	amount := total.Amount.Add(half.Amount).Add(cut.Amount)
	f := budget.Formatter{Unit: budget.UnitMillions}
	return Grant2015{Amount: amount, Status: budget.Derived, Derivation: fmt.Sprintf(
		"2015/16 total %s (incl. half a year of 0-5 services) + %s (the other half year) %s in-year reduction = %s",
		f.Format(total.Amount), f.Format(half.Amount), f.Format(cut.Amount), f.Format(amount))}, nil
}

// Apportion splits an amount over areas in proportion to their
// populations, rounding each part to the penny so that the parts add up
// exactly to the amount rounded to the penny (largest remainder).
func Apportion(total budget.Money, pops []budget.Population) ([]budget.Money, error) {
	var sum budget.Population
	for _, p := range pops {
		sum = sum.Add(p)
	}
	if sum.IsZero() {
		return nil, fmt.Errorf("apportioning %s by population: %w: the populations add up to zero", total, ErrZero)
	}
	parts := make([]budget.Money, len(pops))
	for i, p := range pops {
		parts[i] = budget.MoneyFromDecimal(total.Decimal().Mul(p.Decimal()).DivRound(sum.Decimal(), budget.WorkingScale))
	}
	return pence.RoundParts(parts), nil
}

var pence = budget.Formatter{Places: 2, NoSymbol: true, NoGrouping: true}

// CouncilGrant is a user's public health grant allocations by council,
// with the ICB each council's allocation counts towards.
type CouncilGrant struct {
	byICB map[string]map[budget.Year]budget.Money
	years map[budget.Year]bool
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
	rows, err := budget.ReadTable(r, name, CouncilGrantColumns())
	if err != nil {
		return CouncilGrant{}, err
	}
	cg := CouncilGrant{byICB: map[string]map[budget.Year]budget.Money{}, years: map[budget.Year]bool{}}
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
