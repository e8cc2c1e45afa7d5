package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/prevention"
)

// Version is the library version written in every result's manifest.
const Version = "0.1.0"

// Scenario is a named set of assumptions: the data it expects, the
// allocations settlement, the deflator, the budget base, the baseline
// prevention share, the shift, the funding mode, the public health grant
// rule, optional returns, the discounting and the horizon. Scenarios are
// built as changes to a baseline scenario (Derive), and any scenario can
// be either side of a comparison.
type Scenario struct {
	Name        string
	Description string
	Source      string // where the scenario comes from (a report, a statement)
	Base        string // the scenario it was derived from; "" for a root
	Data        string // the data vintage it expects (dataset.EmbeddedVintage); "" for any
	// Settlement is the settlement of the years after the published
	// allocations: one of alloc.Settlements(), sr2025 (central),
	// sr2025-low, sr2025-high or sr2025-pots-folded.
	Settlement alloc.SettlementName
	// AllocationBasis is how published years are shown: restated with
	// scope changes included (the zero value and default), or as first
	// published for reconciling with NHS England's tables.
	AllocationBasis alloc.AllocationBasis
	// Footprint is the ICB boundaries results are reported on:
	// dataset.Footprint2026 (the 36 ICBs of 1 April 2026, the default when
	// empty) or dataset.Footprint2022 (the 42 the rounds were published on).
	Footprint string
	Deflator  DeflatorRef
	// BudgetBase is what "total NHS budgets at ICS level" counts: a named
	// base (prevention.Bases: programme, programme-with-specialised,
	// all-streams) or one of your own, with its streams.
	BudgetBase prevention.Base
	Baseline   prevention.BaselineShare
	Shift      prevention.Shift
	Funding    prevention.Funding
	Grant      prevention.GrantRule
	Grant2015  *budget.Money // replaces the derived 2015/16 grant baseline
	Benefits   *prevention.Benefits
	// QALYs, if set, values the shift in health: QALYs gained, forgone
	// and net, and their value (prevention.QALYs), with window totals and
	// a present value at the Green Book's rate for health (1.5%).
	QALYs    *prevention.QALYs
	Discount Discount
	// PresentValueBase is year 0 of present values, in whose prices they
	// are given; years before it are past years, reported beside them and not
	// discounted. Zero for the parameter present_value.base_year (the
	// first year after the latest published allocations: 2026/27 on the
	// embedded data); 2024/25 gives the retrospective figure.
	PresentValueBase budget.Year
	Horizon          budget.Year
	// Uncertain lists the assumptions Simulate draws (see Simulate).
	Uncertain []Uncertain
	// Councils, if set, are councils' own public health grant
	// allocations: the ICBs' grants come from them (see Councils).
	Councils *Councils
	// Area is the area the scenario is for, shown beside England: an ICB
	// (its ODS or ONS code, or a unique part of its name) or an upper-tier
	// council (its code or name) of the scenario's footprint; "" for
	// England alone. Runner.Place finds it (dataset.ICBDirectory.FindPlace says which
	// of an ICB and a council a name gives); Runner.RunFor runs the
	// scenario for it; the programs show it unless told another (-icb,
	// -council). Run computes the same model whatever the area.
	Area string
	// given are the fields a scenario file gave (see Given).
	given map[string]bool
}

// Given reports whether the scenario file the scenario was read from gave
// field ("footprint", "allocation_basis", ...), so that a program can tell
// a file's own choice from a default it may override. It is false for a
// scenario built in Go or taken from the catalogue.
func (s Scenario) Given(field string) bool { return s.given[field] }

// Councils are councils' own public health grant allocations, in pounds,
// as DHSC publishes them (the circular's Annex E; examples/data
// -councils-template writes a file to fill in). Each ICB's grant is its
// councils' mapped by their practices' registered patients in the years
// given; in later years each ICB's share of England's grant is held; in
// earlier ones it is apportioned by registered population, each said in
// the result (prevention.CouncilAllocations).
type Councils struct {
	Allocations []prevention.CouncilAmount
	Source      string
	// Coverage is CouncilsAll (every council in each year given: the
	// default), CouncilsSubset (the ICBs they cover fully take their
	// grant from them, the others a share of the rest by population) or
	// CouncilsPartial (the councils lacking get a share of the rest by
	// registered patients; an ICB holding both is mixed).
	Coverage string
	// Unreconciled accepts allocations that do not add up to England's
	// grant, or look implausible, for a what-if: England's grant is then
	// their sum in the years given.
	Unreconciled bool
	// File, if set, is the file the allocations were read from, named in
	// errors with each allocation's Line; it is not an assumption, and is
	// not written.
	File string
}

// Coverages of council allocations.
const (
	CouncilsAll     = "all"
	CouncilsSubset  = "subset"
	CouncilsPartial = "partial"
)

// options are the prevention options the councils ask for.
func (c *Councils) options() (prevention.CouncilOptions, error) {
	o := prevention.CouncilOptions{Unreconciled: c.Unreconciled}
	switch c.Coverage {
	case "", CouncilsAll:
	case CouncilsSubset:
		o.Subset = true
	case CouncilsPartial:
		o.Partial = true
	default:
		return o, fmt.Errorf("coverage %q: %w: want all, subset or partial", c.Coverage, budget.ErrUnknown)
	}
	return o, nil
}

// grant maps the councils to the ICBs of a footprint through the
// embedded crosswalk.
func (c *Councils) grant(scenario, footprint string) (*prevention.CouncilGrant, error) {
	opts, err := c.options()
	if err != nil {
		return nil, fmt.Errorf("scenario %q: councils: %w", scenario, err)
	}
	x, err := dataset.EmbeddedCouncilCrosswalk()
	if err != nil {
		return nil, err
	}
	name := c.File
	if name == "" {
		name = "councils.allocations" // the scenario's: its errors say which scenario
	}
	return prevention.CouncilAllocationsOf(c.Allocations, name, x, footprint, opts)
}

// coverageText is the coverage's name, with unreconciled if so.
func (c *Councils) coverageText() string {
	cov := c.Coverage
	if cov == "" {
		cov = CouncilsAll
	}
	if c.Unreconciled {
		cov += ", unreconciled (a what-if)"
	}
	return cov
}

// summary describes the allocations in one line: how many, which years,
// their total and a fingerprint, so that two sets differ where they do.
func (c *Councils) summary() string {
	years := map[string]bool{}
	var ys []string
	var total budget.Money
	h := sha256.New()
	for _, a := range c.Allocations {
		if !years[a.Year.String()] {
			years[a.Year.String()] = true
			ys = append(ys, a.Year.String())
		}
		total = total.Add(a.Amount)
		fmt.Fprintf(h, "%s|%s|%s|%s\n", a.Year, a.Code, a.Name, a.Amount.Decimal().String())
	}
	sort.Strings(ys)
	return fmt.Sprintf("%d allocations, %s, %s in all (fingerprint %s)", len(c.Allocations), strings.Join(ys, ", "),
		budget.Formatter{Scale: budget.ScaleMillions, Places: 1}.Format(total), hex.EncodeToString(h.Sum(nil)[:4]))
}

// DeflatorRef names a deflator and its vintage.
type DeflatorRef struct {
	Name    string
	Vintage string
}

func (d DeflatorRef) String() string { return d.Name + " " + d.Vintage }

// Names of the catalogue's scenarios.
const (
	StatusQuo          = "status-quo"
	Hewitt             = "hewitt"
	HewittPerYear      = "hewitt-per-year"
	HewittRelative     = "hewitt-relative"
	GovernmentResponse = "government-response"
	RestoreGrant       = "restore-grant"
	// HewittFrom2027 is the Hewitt shift asked from today: +1 pp of share
	// over the next five years, 2027/28-2031/32, from the 2026/27 share.
	HewittFrom2027 = "hewitt-from-2027"
	// InvestmentStandard is a prevention investment standard, as the
	// mental health investment standard is for mental health: each ICB's
	// prevention spending grows at least as fast as its allocation, plus
	// a margin of 1% a year: the share rises 1% of itself a year.
	InvestmentStandard = "investment-standard"
)

// ProspectiveSpan is the next five years as a director asks in 2026: from
// the year after the first year beyond the latest published allocations
// (2026/27) to five years on.
func ProspectiveSpan() budget.Span { return budget.MustSpan("2027/28", "2031/32") }

// Default is the root scenario: the prevention share held at 5% of
// like-for-like programme budgets (King's Fund), allocations under the
// SR2025 settlement, the grant flat in real terms after 2025/26, Green
// Book discounting, to 2028/29.
func Default(p dataset.Parameters) (Scenario, error) {
	baseline, err := prevention.DefaultBaselineShare(p)
	if err != nil {
		return Scenario{}, fmt.Errorf("default scenario: %w", err)
	}
	vintage, err := p.Name("settlement." + alloc.SettlementSR2025.String() + ".deflator")
	if err != nil {
		return Scenario{}, fmt.Errorf("default scenario: %w", err)
	}
	return Scenario{
		Name:            StatusQuo,
		Description:     "no shift: the prevention share stays at its 2023/24 level",
		Source:          "the counterfactual of every other scenario",
		Data:            dataset.EmbeddedVintage,
		Settlement:      alloc.SettlementSR2025,
		AllocationBasis: alloc.DefaultBasis(),
		Footprint:       dataset.DefaultFootprint(),
		Deflator:        DeflatorRef{Name: "gdp", Vintage: vintage},
		BudgetBase:      prevention.ProgrammeBase(),
		Baseline:        baseline,
		Shift:           withSize(prevention.Hewitt(), decimal.Zero),
		Funding:         prevention.WithinEnvelope,
		Grant:           prevention.GrantRule{Kind: prevention.FlatReal},
		Discount:        GreenBook,
		Horizon:         budget.MustYear("2028/29"),
	}, nil
}

func withSize(s prevention.Shift, size decimal.Decimal) prevention.Shift {
	s.Size = size
	return s
}

// Derive returns a new scenario made from base by change, recording base as
// its parent. The new scenario shares no map, slice or pointer with base:
// change may alter anything without reaching the parent.
func Derive(base Scenario, name, description, source string, change func(*Scenario)) Scenario {
	s := base
	s.Name, s.Description, s.Source, s.Base = name, description, source, base.Name
	s.Uncertain = append([]Uncertain(nil), base.Uncertain...)
	s.BudgetBase.Streams = slices.Clone(base.BudgetBase.Streams)
	if base.Baseline.PerICB != nil {
		s.Baseline.PerICB = make(map[string]budget.Share, len(base.Baseline.PerICB))
		for k, v := range base.Baseline.PerICB {
			s.Baseline.PerICB[k] = v
		}
	}
	if base.Grant.Series != nil {
		s.Grant.Series = make(map[budget.Year]budget.Money, len(base.Grant.Series))
		for k, v := range base.Grant.Series {
			s.Grant.Series[k] = v
		}
	}
	if base.Benefits != nil {
		b := *base.Benefits
		s.Benefits = &b
	}
	if base.QALYs != nil {
		q := *base.QALYs
		s.QALYs = &q
	}
	if base.Grant2015 != nil {
		g := *base.Grant2015
		s.Grant2015 = &g
	}
	if base.Councils != nil {
		c := *base.Councils
		c.Allocations = append([]prevention.CouncilAmount(nil), base.Councils.Allocations...)
		s.Councils = &c
	}
	if change != nil {
		change(&s)
	}
	return s
}

// Catalogue returns the named scenarios, each documented with its source,
// in presentation order, built on the parameters p (the baseline share and
// deflator of Default).
func Catalogue(p dataset.Parameters) ([]Scenario, error) {
	root, err := Default(p)
	if err != nil {
		return nil, err
	}
	one := decimal.NewFromInt(1)
	return []Scenario{
		root,
		Derive(root, Hewitt, "the Hewitt Review read as +1 percentage point of share over 2024/25-2028/29",
			"Hewitt Review (4 April 2023), prevention recommendation; HSJ reading, 4 April 2023", func(s *Scenario) { s.Shift.Size = one }),
		Derive(root, HewittPerYear, "the Hewitt Review read as +1 percentage point a year for five years",
			"LGA press release (14-15 June 2023): 'grow the proportion ... by 1 per cent per year'", func(s *Scenario) {
				s.Shift.Size, s.Shift.Reading = one, prevention.PerYear
			}),
		Derive(root, HewittRelative, "the Hewitt Review read as a 1% rise in the prevention share itself",
			"Healthcare Leader News (15 June 2023): 'a 1% increase in spending on prevention'", func(s *Scenario) {
				s.Shift.Size, s.Shift.Reading = one, prevention.Relative
			}),
		Derive(root, GovernmentResponse, "the government's response: no national expectation of a shift in spending",
			"DHSC response to the Hewitt Review, 14 June 2023: 'we do not agree with imposing a national expectation of an essentially arbitrary shift in spending'", nil),
		Derive(root, RestoreGrant, "no NHS shift; the public health grant restored to its 2015/16 real-terms level per resident from 2026/27",
			"Health Foundation (Oct 2024): restoring the 2015/16 real per-person level needs about £1.4bn a year", func(s *Scenario) {
				s.Grant = prevention.GrantRule{Kind: prevention.Restore2015}
			}),
		Derive(root, HewittFrom2027, "the Hewitt Review's +1 percentage point asked from today: over the next five years, "+ProspectiveSpan().String()+", from the 2026/27 share; "+
			"allocations after 2028/29 grow at the central settlement's real growth, NHS England's planned revenue growth of 2028/29 held (PUB-08), near the Spending Review 2025's +3.0% a year real for NHS England (P8)",
			"Hewitt Review (4 April 2023), prevention recommendation, applied to the five years after 2026/27; 10 Year Health Plan (July 2025), 'from sickness to prevention'", func(s *Scenario) {
				s.Shift.Size, s.Shift.BaseYear, s.Shift.Span = one, ProspectiveSpan().First().Prev(), ProspectiveSpan()
				s.Horizon = ProspectiveSpan().Last()
			}),
		Derive(root, InvestmentStandard, "a prevention investment standard: each ICB's prevention spending grows at least as fast as its allocation, plus a margin of 1% a year (the share rises 1% of itself each year, compounding, over 2024/25-2028/29)",
			"NHS England's mental health investment standard (NHSE-MHIS), applied to prevention as the King's Fund has proposed; the 1% margin is this library's assumption", func(s *Scenario) {
				s.Shift.Size, s.Shift.Reading = one, prevention.RelativePerYear
			}),
	}, nil
}

// CatalogueNames lists the names of the catalogue's scenarios, in order.
func CatalogueNames() []string {
	return []string{StatusQuo, Hewitt, HewittPerYear, HewittRelative, GovernmentResponse, RestoreGrant, HewittFrom2027, InvestmentStandard}
}

// Find returns the catalogue scenario with a name (built on the parameters
// p), or an error that lists them.
func Find(p dataset.Parameters, name string) (Scenario, error) {
	cat, err := Catalogue(p)
	if err != nil {
		return Scenario{}, err
	}
	var names []string
	for _, s := range cat {
		if strings.EqualFold(s.Name, strings.TrimSpace(name)) {
			return s, nil // "Hewitt" is hewitt
		}
		names = append(names, s.Name)
	}
	return Scenario{}, fmt.Errorf("scenario %q: %w: the catalogue has %s", name, budget.ErrUnknown, strings.Join(names, ", "))
}

// model builds the prevention model of the scenario on data d.
func (s Scenario) model(d *dataset.Data) (prevention.Model, error) {
	defl, err := d.Deflators.Get(s.Deflator.Name, s.Deflator.Vintage)
	if err != nil {
		return prevention.Model{}, fmt.Errorf("deflator: %w", err)
	}
	base := s.BudgetBase
	if err := base.Validate(); err != nil {
		return prevention.Model{}, fmt.Errorf("budget_base: %w", err)
	}
	years, err := budget.NewSpan(MinYear(), s.Horizon)
	if err != nil {
		return prevention.Model{}, fmt.Errorf("horizon: %w", err)
	}
	ext, err := d.Parameters.LongRunExtension()
	if err != nil {
		return prevention.Model{}, err
	}
	realBase, err := d.Parameters.Year(alloc.ParamRealBaseYear)
	if err != nil {
		return prevention.Model{}, err
	}
	if !defl.Span().Contains(realBase) {
		return prevention.Model{}, d.Parameters.Fail(alloc.ParamRealBaseYear,
			fmt.Errorf("%w: prices must be of a year the deflator %s covers (%s), not one it is extended to", budget.ErrRange, s.Deflator, defl.Span()))
	}
	return prevention.Model{Base: base, Baseline: s.Baseline, Shift: s.Shift, Funding: s.Funding, Grant: s.Grant,
		Grant2015: s.Grant2015, Deflator: defl.WithExtension(ext),
		RealBase: realBase, Benefits: s.Benefits, QALYs: s.QALYs, Years: years}, nil
}

// settlement builds the scenario's settlement with its cash growth on the
// scenario's own deflator: one deflator sets cash growth and real terms.
func (s Scenario) settlement(d *dataset.Data) (alloc.Settlement, error) {
	if s.Deflator.Name != "gdp" {
		return alloc.Settlement{}, fmt.Errorf("deflator %q: %w: the settlements are built on the GDP deflator", s.Deflator.Name, budget.ErrUnknown)
	}
	return alloc.NamedSettlement(d, s.Settlement, s.Deflator.Vintage)
}

// MinHorizon is the earliest last year a scenario may have: the first year
// after the published data.
func MinHorizon() budget.Year { return budget.MustYear("2025/26") }

// MaxHorizon is the latest: the last year of the ONS population projection
// the library ships.
func MaxHorizon() budget.Year { return budget.MustYear("2034/35") }

// Validate reports every problem with the scenario at once, before anything
// runs. It restates d on the scenario's footprint each time; Runner.Validate
// restates once for every run that follows.
func (s Scenario) Validate(d *dataset.Data) error {
	if d == nil {
		return fmt.Errorf("scenario %q: %w: no data to validate against", s.Name, budget.ErrNoData)
	}
	fd, err := alloc.OnFootprint(d, s.Footprint)
	return s.validate(d, fd, err, s.settlement)
}

// validate is Validate with the data already restated on the scenario's
// footprint (fd, or the error restating it gave), and the scenario's
// settlement on d from settle (Scenario.settlement, or a Runner's, made
// once for the scenarios that share it).
func (s Scenario) validate(d, fd *dataset.Data, fdErr error, settle func(*dataset.Data) (alloc.Settlement, error)) error {
	if d == nil {
		return fmt.Errorf("scenario %q: %w: no data to validate against", s.Name, budget.ErrNoData)
	}
	var errs []error
	bad := func(field string, err error) {
		if err != nil {
			errs = append(errs, &FieldError{Field: field, Err: err})
		}
	}
	if strings.TrimSpace(s.Name) == "" {
		bad("name", fmt.Errorf("%w: must not be empty", budget.ErrSyntax))
	}
	for _, f := range []struct{ name, v string }{{"name", s.Name}, {"description", s.Description}, {"source", s.Source}} {
		if !utf8.ValidString(f.v) || strings.IndexFunc(f.v, unicode.IsControl) >= 0 {
			bad(f.name, fmt.Errorf("%w: %q has a control character or is not UTF-8 text", budget.ErrSyntax, f.v))
		}
	}
	if first := MinYear(); s.Shift.BaseYear.Before(first) {
		bad("shift.base_year", fmt.Errorf("%s: %w: the model's years start in %s", s.Shift.BaseYear, budget.ErrRange, first))
	}
	if s.Grant.Kind == prevention.UserSeries {
		if latest := d.Grant.Years(); len(latest) > 0 {
			ref, _ := d.Grant.Total(latest[len(latest)-1])
			years := make([]budget.Year, 0, len(s.Grant.Series))
			for y := range s.Grant.Series {
				years = append(years, y)
			}
			sort.Slice(years, func(i, j int) bool { return years[i].Before(years[j]) })
			for _, y := range years {
				field := "grant.series." + y.String()
				if y.Before(MinYear()) || y.After(s.Horizon) {
					bad(field, fmt.Errorf("%w: outside the scenario's years, %s to %s", budget.ErrRange, MinYear(), s.Horizon))
				}
				bad(field, scaleCheck(s.Grant.Series[y], ref.Amount, "the published "+ref.Span.String()+" grant"))
			}
		}
	}
	if s.Grant2015 != nil {
		if g15, err := prevention.DeriveGrant2015(d.Grant); err == nil {
			bad("grant.grant_2015_16", scaleCheck(*s.Grant2015, g15.Amount, "the derived 2015/16 grant"))
		}
	}
	if s.Data != "" && d.Vintage != s.Data {
		bad("data", fmt.Errorf("the scenario expects %q, the data is %q: %w", s.Data, d.Vintage, budget.ErrRange))
	}
	bad("allocation_basis", s.AllocationBasis.Validate())
	if st, err := settle(d); err != nil {
		bad("settlement", err)
	} else if s.Horizon.After(d.Allocations.Span().Last()) && !s.Horizon.After(MaxHorizon()) {
		// The settlement must reach the horizon: its years are the period
		// of its real growth parameter.
		for y := d.Allocations.Span().Last().Next(); !y.After(s.Horizon); y = y.Next() {
			if _, ok := st.Growth[y]; !ok {
				id := "settlement." + s.Settlement.String() + ".real_growth"
				if s.Settlement == alloc.SettlementSR2025Folded {
					id = "settlement." + alloc.SettlementSR2025.String() + ".real_growth"
				}
				v, _ := d.Parameters.Get(id)
				bad("horizon", &budget.FileError{File: d.Parameters.File(), Line: v.Line, Column: "period", Value: v.Period,
					Err: fmt.Errorf("parameter %s: %w: the settlement's years end before %s, within the horizon %s", id, budget.ErrRange, y, s.Horizon)})
				break
			}
		}
	}
	if s.Horizon.Before(MinHorizon()) || s.Horizon.After(MaxHorizon()) {
		bad("horizon", fmt.Errorf("%q: %w: want %s to %s", s.Horizon, budget.ErrRange, MinHorizon(), MaxHorizon()))
	} else if s.Horizon.Before(s.Shift.Span.Last()) && !s.Shift.Size.IsZero() {
		bad("horizon", fmt.Errorf("%s ends before the shift does (%s): %w", s.Horizon, s.Shift.Span.Last(), budget.ErrRange))
	}
	if _, ok := discountNames[s.Discount]; !ok {
		bad("discounting", fmt.Errorf("%w: want green-book", budget.ErrRange))
	} else if sched, err := s.schedule(d); err != nil {
		bad("discounting", err)
	} else if first := MinYear(); sched.Base.Before(first) || sched.Base.After(s.Horizon) {
		field, err := "present_value_base", fmt.Errorf("%s: %w: year 0 of present values is a year of the results, %s to the horizon %s", sched.Base, budget.ErrRange, first, s.Horizon)
		if s.PresentValueBase.IsZero() {
			field, err = "discounting", d.Parameters.Fail(ParamPresentValueBase, err)
		}
		bad(field, err)
	}
	if _, err := d.Deflators.Get(s.Deflator.Name, s.Deflator.Vintage); err != nil {
		bad("deflator", err)
	}
	if err := s.BudgetBase.Validate(); err != nil {
		bad("budget_base", err)
	} else if fd != nil && !s.BudgetBase.Named() {
		// Every year of the results needs some of the base's money:
		// delegated specialised services, for one, start in 2025/26.
		for _, y := range fd.Allocations.Span().Years() {
			if y.Before(MinYear()) {
				continue
			}
			if !slices.ContainsFunc(s.BudgetBase.Streams, func(st dataset.Stream) bool { return slices.Contains(fd.Allocations.Years(st), y) }) {
				bad("budget_base", fmt.Errorf("budget base %q: %w: its streams (%s) have no allocations in %s; a base needs money in every year from %s",
					s.BudgetBase.Name, budget.ErrNoData, s.BudgetBase.Describe(), y, MinYear()))
				break
			}
		}
	}
	if s.Area != "" && fd != nil {
		_, err := place(fd, s.Area)
		bad("area", err)
	}
	if len(errs) == 0 {
		if _, err := s.model(d); err != nil {
			bad("(parameters)", err)
		}
	}
	bad("baseline_share", s.Baseline.Validate())
	bad("shift", s.Shift.Validate())
	if s.Shift.Validate() == nil && s.Baseline.Validate() == nil {
		// The shift must leave every share below 1 in its last year.
		if _, err := s.Shift.ShareIn(s.Shift.Span.Last(), s.Baseline.Share); err != nil {
			bad("shift.size", err)
		}
		for _, c := range sortedKeys(s.Baseline.PerICB) {
			if _, err := s.Shift.ShareIn(s.Shift.Span.Last(), s.Baseline.PerICB[c]); err != nil {
				bad("shift.size", fmt.Errorf("%s: %w", c, err))
			}
		}
	}
	bad("grant", s.Grant.Validate())
	if s.Funding != prevention.WithinEnvelope && s.Funding != prevention.Additional {
		bad("funding", fmt.Errorf("%w: want envelope or additional", budget.ErrRange))
	}
	if s.Grant2015 != nil && s.Grant2015.Sign() <= 0 {
		bad("grant.grant_2015_16", fmt.Errorf("%s: %w: must be above zero", s.Grant2015, budget.ErrRange))
	}
	if s.Benefits != nil {
		bad("benefits", s.Benefits.Validate())
	}
	codes := make([]string, 0, len(s.Baseline.PerICB))
	for c := range s.Baseline.PerICB {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	if fdErr != nil {
		bad("footprint", fdErr)
	} else {
		for _, c := range codes {
			if _, err := fd.Allocations.ICB(c); err != nil {
				bad("baseline_share.per_icb."+c, fmt.Errorf("%w (footprint %s)", err, fd.FootprintName()))
			}
		}
	}
	seenU := map[string]int{}
	for i, u := range s.Uncertain {
		field := fmt.Sprintf("uncertain[%d]", i)
		bad(field, u.Validate())
		if j, dup := seenU[u.Assumption]; dup {
			bad(field+".assumption", fmt.Errorf("%s: %w: also uncertain[%d]; give each assumption one distribution", u.Assumption, budget.ErrDuplicate, j))
		}
		seenU[u.Assumption] = i
		if u.Assumption == UncertainBaselineShare && u.Distribution.Validate() == nil {
			// The highest share drawn must leave room for the shift.
			_, hi := u.Distribution.Support()
			if top, err := budget.NewShare(decimal.NewFromFloat(math.Min(hi, 0.999999))); err == nil {
				if _, err := s.Shift.ShareIn(s.Shift.Span.Last(), top); err != nil {
					bad(field+".distribution", fmt.Errorf("draws up to %s: %w", fmtFloat(hi), err))
				}
			}
		}
	}
	if err := joinCapped(errs); err != nil {
		return fmt.Errorf("scenario %q: %w", s.Name, err)
	}
	return nil
}

// MinYear is the first year of every scenario's results (the base year of
// the Hewitt shift).
func MinYear() budget.Year { return budget.MustYear("2023/24") }

// Years are the years of the scenario's results, MinYear to its horizon
// (none for a horizon before MinYear, which Validate refuses).
func (s Scenario) Years() []budget.Year {
	var out []budget.Year
	for y := MinYear(); !y.After(s.Horizon); y = y.Next() {
		out = append(out, y)
	}
	return out
}

// scaleCheck refuses an amount a hundred times or more away from a
// reference of the same kind: a figure in £ thousands or £ millions where
// pounds are wanted.
func scaleCheck(m, ref budget.Money, what string) error {
	if m.Sign() <= 0 || ref.Sign() <= 0 {
		return nil
	}
	r, _ := ref.Decimal().DivRound(m.Decimal(), 6).Float64()
	if r >= 100 || r <= 0.01 {
		f := budget.Formatter{Scale: budget.ScaleMillions, Places: 3}
		return fmt.Errorf("%s: %w: %s is %s; amounts are in pounds (is the figure in £ thousands or £ millions?)", f.Format(m), budget.ErrRange, what, f.Format(ref))
	}
	return nil
}

// Load reads a scenario file (as Read) and validates it against d (as
// Validate), so that every problem, in the file's text or in what it asks
// of the data, is a *FieldError naming the file and the field. A file that
// starts from a catalogue scenario and gives no "data" is for d, as the
// catalogue is.
func Load(r io.Reader, file string, d *dataset.Data) (Scenario, error) {
	if d == nil {
		return Scenario{}, fmt.Errorf("%s: %w: a nil data set to load against", file, budget.ErrNoData)
	}
	s, err := Read(r, file, d.Parameters)
	if err != nil {
		return Scenario{}, err
	}
	if s.Base != "" && !s.Given("data") {
		// A file that starts from a catalogue scenario and says nothing of
		// the data is for the data it is loaded with, as the catalogue is.
		s.Data = d.Vintage
	}
	if err := s.Validate(d); err != nil {
		// Validate's message is made when it returns: name the file in
		// each field error and join them again.
		parts := flatten(err)
		for _, e := range parts {
			var fe *FieldError
			if errors.As(e, &fe) && fe.File == "" {
				fe.File = file
			}
		}
		return Scenario{}, fmt.Errorf("scenario %q: %w", s.Name, errors.Join(parts...)) // Validate has capped them
	}
	return s, nil
}

// flatten lists the errors an error joins (through wrapping), or the error itself.
func flatten(err error) []error {
	switch e := err.(type) {
	case interface{ Unwrap() []error }:
		var out []error
		for _, x := range e.Unwrap() {
			out = append(out, flatten(x)...)
		}
		return out
	case interface{ Unwrap() error }:
		if inner := e.Unwrap(); inner != nil {
			if _, ok := err.(*FieldError); !ok {
				return flatten(inner)
			}
		}
	}
	return []error{err}
}

// Assumption is one named assumption of a scenario with its value and source.
type Assumption struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Source string `json:"source,omitempty"`
}

// Assumptions lists every field of the scenario, as its file writes it
// (the form Hash fingerprints), one line a value, in a fixed order: keys
// are field paths such as "shift.reading", "grant.series.2026/27" or
// "uncertain[0].distribution.kind". Each carries the source the scenario
// gives for that part.
func (s Scenario) Assumptions() []Assumption {
	b, err := json.Marshal(s.file())
	if err != nil {
		return nil
	}
	w := assumptionWalk{s: s, b: b}
	w.value("")
	return w.out
}

// assumptionWalk lists the assumptions of a scenario's file as
// json.Marshal writes it: compact, well formed, keys in field order. It
// reads the bytes in one pass, as a decoder's tokens would give them:
// strings unquoted, numbers and true or false as written, null as "none".
type assumptionWalk struct {
	s   Scenario
	b   []byte
	i   int
	out []Assumption
}

// at is the byte read next (0 at the end).
func (w *assumptionWalk) at() byte {
	if w.i < len(w.b) {
		return w.b[w.i]
	}
	return 0
}

func (w *assumptionWalk) add(path, value string) {
	w.out = append(w.out, Assumption{Key: path, Value: value, Source: w.s.sourceOf(path)})
}

// value lists the value at w.i, whose field path is path.
func (w *assumptionWalk) value(path string) {
	switch c := w.at(); c {
	case '{':
		if path == "budget_base" {
			// One line for a base of one's own, as for a named one.
			w.skip()
			names := make([]string, len(w.s.BudgetBase.Streams))
			for i, st := range w.s.BudgetBase.Streams {
				names[i] = st.String()
			}
			w.add(path, w.s.BudgetBase.Name+": "+strings.Join(names, "+"))
			return
		}
		w.i++
		for c := w.at(); c != '}' && c != 0; c = w.at() {
			key := w.str()
			w.i++ // the colon
			if path != "" {
				key = path + "." + key
			}
			w.value(key)
			if w.at() == ',' {
				w.i++
			}
		}
		w.i++
	case '[':
		if path == "councils.allocations" && w.s.Councils != nil {
			// One line for the list, not four for each council.
			w.skip()
			w.add(path, w.s.Councils.summary())
			return
		}
		w.i++
		for k := 0; w.at() != ']' && w.at() != 0; k++ {
			w.value(path + "[" + strconv.Itoa(k) + "]")
			if w.at() == ',' {
				w.i++
			}
		}
		w.i++
	case '"':
		w.add(path, w.str())
	case 0:
	default: // a number, true, false or null, as written
		j := w.i
		for c := w.at(); c != ',' && c != '}' && c != ']' && c != 0; c = w.at() {
			w.i++
		}
		if v := string(w.b[j:w.i]); v != "null" {
			w.add(path, v)
		} else {
			w.add(path, "none")
		}
	}
}

// str reads the string at w.i, unquoted.
func (w *assumptionWalk) str() string {
	j, escaped := w.i+1, false
	for w.i++; w.i < len(w.b) && w.b[w.i] != '"'; w.i++ {
		if w.b[w.i] == '\\' {
			escaped = true
			w.i++
		}
	}
	w.i++
	if w.i > len(w.b) {
		return ""
	}
	if !escaped {
		return string(w.b[j : w.i-1])
	}
	var v string
	_ = json.Unmarshal(w.b[j-1:w.i], &v) // well formed: json.Marshal wrote it
	return v
}

// skip reads past the list or object at w.i.
func (w *assumptionWalk) skip() {
	for depth := 0; w.i < len(w.b); {
		switch w.b[w.i] {
		case '"':
			w.str()
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		w.i++
		if depth == 0 {
			return
		}
	}
}

// sourceOf is the source the scenario gives for the field at path.
func (s Scenario) sourceOf(path string) string {
	switch {
	case strings.HasPrefix(path, "baseline_share"):
		return s.Baseline.Source
	case strings.HasPrefix(path, "grant"):
		return s.Grant.Source
	case strings.HasPrefix(path, "benefits") && s.Benefits != nil:
		return s.Benefits.Source
	case strings.HasPrefix(path, "uncertain["):
		var i int
		if _, err := fmt.Sscanf(path, "uncertain[%d]", &i); err == nil && i >= 0 && i < len(s.Uncertain) {
			return s.Uncertain[i].Source
		}
	case strings.HasPrefix(path, "shift"), path == "funding":
		return s.Source
	case path == "settlement":
		return "alloc.NamedSettlement, from the parameters"
	case strings.HasPrefix(path, "deflator"):
		return "deflators.csv"
	case path == "discounting", path == "present_value_base":
		return "HM Treasury Green Book, from the parameters"
	}
	return ""
}

// Label reports whether the change is to one of the scenario's labels
// (name, description, source, base, the format's version, or the area it
// is shown for, which does not change the model) rather than to an
// assumption.
func (c Change) Label() bool {
	switch c.Key {
	case "name", "description", "source", "base", "schema", "area":
		return true
	}
	return false
}

// AssumptionChanges is Diff without the labels: what b assumes differently from a.
func AssumptionChanges(a, b Scenario) []Change {
	var out []Change
	for _, c := range Diff(a, b) {
		if !c.Label() {
			out = append(out, c)
		}
	}
	return out
}

// Change is one assumption that differs between two scenarios.
type Change struct {
	Key       string `json:"key"`
	Old       string `json:"old"`
	New       string `json:"new"`
	OldSource string `json:"old_source,omitempty"`
	NewSource string `json:"new_source,omitempty"`
}

// Diff lists every field of b that differs from a (as Assumptions lists
// them: the form Hash fingerprints, so two scenarios with different hashes
// always differ somewhere), in a fixed order, with both values and their
// sources. A field only one scenario has (a per-ICB share, a year of a
// grant series) shows "none" on the other side.
func Diff(a, b Scenario) []Change {
	am, bm := map[string]Assumption{}, map[string]Assumption{}
	var keys []string
	for _, x := range a.Assumptions() {
		am[x.Key] = x
		keys = append(keys, x.Key)
	}
	for _, x := range b.Assumptions() {
		if _, ok := am[x.Key]; !ok {
			keys = append(keys, x.Key)
		}
		bm[x.Key] = x
	}
	var out []Change
	for _, k := range keys {
		x, okA := am[k]
		y, okB := bm[k]
		if !okA {
			x.Value = "none"
		}
		if !okB {
			y.Value = "none"
		}
		if x.Value != y.Value {
			out = append(out, Change{Key: k, Old: x.Value, New: y.Value, OldSource: x.Source, NewSource: y.Source})
		}
	}
	return out
}

// schedule is the scenario's discounting schedule on data d, with year 0
// resolved: the scenario's PresentValueBase, else the parameter's year,
// else (first-projected) the first year after d's latest published
// allocations.
func (s Scenario) schedule(d *dataset.Data) (Schedule, error) {
	sched, err := s.Discount.Schedule(d.Parameters)
	if err != nil {
		return Schedule{}, err
	}
	switch {
	case !s.PresentValueBase.IsZero():
		sched = sched.At(s.PresentValueBase)
	case sched.FirstProjected:
		sched = sched.At(d.Allocations.Span().Last().Next())
	}
	return sched, nil
}

// Place is the area a scenario is for (Scenario.Area), found on its
// footprint: England, an ICB, or an upper-tier council.
type Place struct {
	// Code and Name are the area's: "ENG" and "England", an ICB's ODS code
	// and name, or a council's code and name.
	Code, Name string
	// Council is the council, for a council; nil otherwise.
	Council *dataset.Council
}

// IsEngland reports whether the place is England.
func (p Place) IsEngland() bool { return p.Code == "ENG" }

// Place finds the area the scenario is for (Scenario.Area) on its
// footprint: England when it names none. An area the footprint does not
// have is an error wrapping budget.ErrUnknown; one that names several,
// dataset.ErrAmbiguous.
func (r *Runner) Place(s Scenario) (Place, error) {
	if s.Area == "" {
		return Place{Code: "ENG", Name: "England"}, nil
	}
	if r == nil || r.data == nil {
		return Place{}, fmt.Errorf("scenario %q: %w: no data to find its area in", s.Name, budget.ErrNoData)
	}
	fd, err := r.dataFor(s)
	if err != nil {
		return Place{}, err
	}
	return place(fd, s.Area)
}

// placeLists are the embedded ICB list and council crosswalk, read once:
// validating a scenario with an area, finding its place and running it
// each look it up. They are only read.
var placeLists = sync.OnceValues(func() (struct {
	dir      dataset.ICBDirectory
	councils dataset.CouncilCrosswalk
}, error) {
	var l struct {
		dir      dataset.ICBDirectory
		councils dataset.CouncilCrosswalk
	}
	var err error
	if l.dir, err = dataset.EmbeddedICBDirectory(); err != nil {
		return l, err
	}
	l.councils, err = dataset.EmbeddedCouncilCrosswalk()
	return l, err
})

// place finds an area on fd's footprint.
func place(fd *dataset.Data, area string) (Place, error) {
	switch strings.ToLower(strings.TrimSpace(area)) {
	case "eng", "england", "e92000001": // E92000001: England's ONS code
		return Place{Code: "ENG", Name: "England"}, nil
	}
	lists, err := placeLists()
	if err != nil {
		return Place{}, err
	}
	dir, x := lists.dir, lists.councils
	name := fd.FootprintName()
	e, c, isCouncil, err := dir.FindPlace(x, name, area)
	if errors.Is(err, budget.ErrUnknown) {
		// An ICB of another footprint: say where it went.
		if o, other, now, ok := dir.Elsewhere(fd.Footprints, name, area); ok {
			hint := fmt.Sprintf("%s, %s, is an ICB of footprint %s: give \"footprint\": %q", o.Code, o.Name, other, other)
			if len(now) > 0 {
				hint = fmt.Sprintf("%s, %s, is part of %s on footprint %s: give the new ICB, or \"footprint\": %q for the ICBs the rounds were published on",
					o.Code, o.Name, icbList(now), name, other)
			}
			return Place{}, fmt.Errorf("area %q: %w: not an ICB or council of footprint %s (%s)", clip.Clip(area), budget.ErrUnknown, name, hint)
		}
	}
	if err != nil {
		return Place{}, err
	}
	if isCouncil {
		c.Parts = slices.Clone(c.Parts) // the caller's own, not the shared list's
		return Place{Code: c.Code, Name: c.Name, Council: &c}, nil
	}
	icb, err := fd.Allocations.ICB(e.Code)
	if err != nil {
		return Place{}, err
	}
	return Place{Code: icb.Code, Name: icb.Name}, nil
}

// icbList names ICBs with their codes: "NHS Essex ICB (D7T5G) and ...".
func icbList(icbs []dataset.ICB) string {
	names := make([]string, len(icbs))
	for i, x := range icbs {
		names[i] = x.Name + " (" + x.Code + ")"
	}
	return strings.Join(names, " and ")
}
