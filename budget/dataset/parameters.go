package dataset

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/internal/table"
)

// parameterUnits are the units a parameter may have: a fraction (a growth
// rate or a cap, 0.03 for 3%), a share (0 to 1), a ratio (a return on
// investment, 14.3 for 14.3:1, not negative), years (a whole number, not
// negative), a year (2026/27), a name (a deflator vintage, a policy, a
// rule) or GBP (pounds, not negative).
var parameterUnits = []budget.Unit{budget.UnitFraction, budget.UnitShare, budget.UnitRatio, budget.UnitYears, budget.UnitYear, budget.UnitName, budget.UnitGBP}

// parseParameterUnit reads a parameter's unit.
func parseParameterUnit(s string) (budget.Unit, error) {
	for _, u := range parameterUnits {
		if string(u) == s {
			return u, nil
		}
	}
	return "", &budget.ParseError{Kind: "parameter unit", Input: s, Err: fmt.Errorf("%w: want fraction, share, ratio, years, year, name or GBP", budget.ErrUnknown)}
}

// Parameter is one modelling assumption the library ships with (or a user
// gives), with its value, unit, the years it applies to, its status
// (published, derived or assumption) and its source.
type Parameter struct {
	// ID names the parameter: dot-separated lower-case words, such as
	// "settlement.sr2025.real_growth" or "convergence.core-2025/26.below_cap".
	ID string
	// Value is the value as written: a plain number, a year or a name, as
	// Unit says. The typed accessors of Parameters read it.
	Value  string
	Unit   budget.Unit   // one of fraction, share, ratio, years, year, name, GBP
	Period string        // the years it applies to: "any", a year, or a span such as 2026/27-2034/35
	Status budget.Status // Published, Derived or Assumed
	Source string        // a source ID of the data's sources
	Note   string        // what the figure is, in a sentence
	// Line is the line of the file the parameter was read from (0 if it
	// was not read from a file).
	Line int
}

// Span is the parameter's period as a span of years; ok is false for "any".
func (v Parameter) Span() (s budget.Span, ok bool) {
	if v.Period == "any" {
		return budget.Span{}, false
	}
	s, err := budget.ParseSpan(v.Period)
	return s, err == nil
}

// parametersColumns are the columns of ParametersFile, in order (Columns).
func parametersColumns() []string {
	return []string{"id", "value", "unit", "period", "status", "source", "note"}
}

// Parameters is a read-only set of parameters, in file order. The zero
// value holds none. Build one with ReadParameters, or take the shipped set
// from Data.Parameters.
type Parameters struct {
	file string
	list []Parameter
	byID map[string]int
}

// ReadParameters reads a parameters file (the format Parameters.Write writes
// and Columns describes). Every value is checked against its unit;
// a duplicate ID, an unknown unit or status, a share outside [0, 1] or a
// negative ratio or count are *budget.FileError values naming file, line, column
// and value.
//
// Its columns, in order (Columns):
//
//	id      the parameter's name
//	value   its value: a plain number, a year (2026/27) or a name, per unit
//	unit    fraction, share, ratio, years, year or name
//	period  any, a year, or a span of years (2026/27-2034/35)
//	status  published, derived or assumption
//	source  a source ID listed in the sources file
//	note    what it is
func ReadParameters(r io.Reader, name string) (Parameters, error) {
	p := Parameters{file: name, byID: map[string]int{}}
	lines := map[string]int{}
	err := table.Each(r, name, parametersColumns(), func(rw table.Row) error {
		var v Parameter
		var err error
		if v.ID, err = rw.NonEmpty("id"); err != nil {
			return err
		}
		if err := checkParameterID(v.ID); err != nil {
			return rw.Fail("id", err)
		}
		if l, dup := lines[v.ID]; dup {
			return rw.Fail("id", fmt.Errorf("%w: also on line %d", budget.ErrDuplicate, l))
		}
		if v.Unit, err = parseParameterUnit(rw.Get("unit")); err != nil {
			return rw.Fail("unit", err)
		}
		if v.Value, err = rw.NonEmpty("value"); err != nil {
			return err
		}
		if err := checkParameterValue(v.Value, v.Unit); err != nil {
			return rw.Fail("value", err)
		}
		if v.Unit == budget.UnitYear { // written as 2026/27 whatever the input's form
			y, _ := budget.ParseYear(v.Value)
			v.Value = y.String()
		}
		if v.Period, err = rw.NonEmpty("period"); err != nil {
			return err
		}
		if v.Period != "any" {
			sp, err := budget.ParseSpan(v.Period)
			if err != nil {
				return rw.Fail("period", fmt.Errorf("%w: want any, a year or a span such as 2026/27-2034/35", budget.ErrSyntax))
			}
			v.Period = sp.String()
		}
		switch rw.Get("status") {
		case "published":
			v.Status = budget.Published
		case "derived":
			v.Status = budget.Derived
		case "assumption":
			v.Status = budget.Assumed
		default:
			return rw.Fail("status", fmt.Errorf("%w: want published, derived or assumption", budget.ErrUnknown))
		}
		if v.Source, err = rw.NonEmpty("source"); err != nil {
			return err
		}
		v.Note = rw.Get("note")
		v.Line = rw.Line()
		lines[v.ID] = rw.Line()
		p.byID[v.ID] = len(p.list)
		p.list = append(p.list, v)
		return nil
	})
	if err != nil {
		return Parameters{}, err
	}
	return p, nil
}

// checkParameterID allows lower-case letters, digits and . - _ / (policy
// names carry their year, as in "core-2025/26").
func checkParameterID(id string) error {
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune(".-_/", c)) {
			return fmt.Errorf("%w: use lower-case letters, digits and . - _ / only", budget.ErrSyntax)
		}
	}
	return nil
}

func checkParameterValue(s string, u budget.Unit) error {
	switch u {
	case budget.UnitFraction:
		_, err := budget.ParseDecimal("number", s)
		return err
	case budget.UnitShare:
		_, err := budget.ParseShare(s)
		return err
	case budget.UnitRatio:
		d, err := budget.ParseDecimal("ratio", s)
		if err == nil && d.Sign() < 0 {
			err = fmt.Errorf("%w: a ratio cannot be negative", budget.ErrRange)
		}
		return err
	case budget.UnitGBP:
		d, err := budget.ParseDecimal("amount", s)
		if err == nil && d.Sign() < 0 {
			err = fmt.Errorf("%w: an amount of pounds cannot be negative", budget.ErrRange)
		}
		return err
	case budget.UnitYears:
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || strconv.Itoa(n) != s {
			return fmt.Errorf("%w: want a whole number of years, 0 or more", budget.ErrSyntax)
		}
		return nil
	case budget.UnitYear:
		_, err := budget.ParseYear(s)
		return err
	case budget.UnitName:
		return checkParameterID(s)
	}
	return fmt.Errorf("%w: unit %q", budget.ErrUnknown, u)
}

// Write writes p in the format ReadParameters reads.
func (p Parameters) Write(w io.Writer) error {
	rows := make([][]string, len(p.list))
	for i, v := range p.list {
		rows[i] = []string{v.ID, v.Value, v.Unit.String(), v.Period, v.Status.String(), v.Source, v.Note}
	}
	return budget.WriteTable(w, parametersColumns(), rows)
}

// List returns every parameter in file order.
func (p Parameters) List() []Parameter { return append([]Parameter(nil), p.list...) }

// Len is the number of parameters.
func (p Parameters) Len() int { return len(p.list) }

// File is the name the parameters were read from.
func (p Parameters) File() string { return p.file }

// Get returns the parameter with an ID. A missing one is a *budget.FileError
// wrapping budget.ErrNoData that names the file and the ID.
func (p Parameters) Get(id string) (Parameter, error) {
	i, ok := p.byID[id]
	if !ok {
		return Parameter{}, &budget.FileError{File: p.Label(), Column: "id", Value: id, Err: fmt.Errorf("%w: no such parameter", budget.ErrNoData)}
	}
	return p.list[i], nil
}

// Label is what messages call the parameters: the file they were read
// from, or "parameters".
func (p Parameters) Label() string {
	if p.file == "" {
		return "parameters"
	}
	return p.file
}

// Fail reports a problem with the value of the parameter id as a
// *budget.FileError naming the file, the parameter's line and its value.
func (p Parameters) Fail(id string, err error) error {
	v, gerr := p.Get(id)
	if gerr != nil {
		return gerr
	}
	return &budget.FileError{File: p.Label(), Line: v.Line, Column: "value", Value: v.Value, Err: fmt.Errorf("parameter %s: %w", id, err)}
}

// Cite is how a result cites the parameter id: its note and source, and
// the file and line it was read from ("note [P8; parameters.csv:2]").
func (p Parameters) Cite(id string) string {
	v, err := p.Get(id)
	if err != nil {
		return id
	}
	where := p.Label()
	if v.Line > 0 {
		where = fmt.Sprintf("%s:%d", where, v.Line)
	}
	return fmt.Sprintf("%s [%s; %s]", v.Note, v.Source, where)
}

// Within reads the fraction id and checks it lies in [lo, hi], a range
// that catches a per cent written where a fraction is wanted (3 for 3%).
func (p Parameters) Within(id string, lo, hi float64) (budget.Rate, error) {
	r, err := p.Rate(id)
	if err != nil {
		return budget.Rate{}, err
	}
	l, h := decimal.NewFromFloat(lo), decimal.NewFromFloat(hi)
	if r.Decimal().LessThan(l) || r.Decimal().GreaterThan(h) {
		return budget.Rate{}, p.Fail(id, fmt.Errorf("%w: want a fraction from %s to %s (0.03 is 3%%)", budget.ErrRange, l, h))
	}
	return r, nil
}

// Covers checks that the period of parameter id covers every year of span.
func (p Parameters) Covers(id string, span budget.Span) error {
	v, err := p.Get(id)
	if err != nil {
		return err
	}
	ps, ok := v.Span()
	if !ok {
		return nil
	}
	if !ps.Contains(span.First()) || !ps.Contains(span.Last()) {
		return &budget.FileError{File: p.Label(), Line: v.Line, Column: "period", Value: v.Period,
			Err: fmt.Errorf("parameter %s: %w: it is used for %s", id, budget.ErrRange, span)}
	}
	return nil
}

// typed returns the parameter with an ID, checking its unit.
func (p Parameters) typed(id string, units ...budget.Unit) (Parameter, error) {
	v, err := p.Get(id)
	if err != nil {
		return Parameter{}, err
	}
	for _, u := range units {
		if v.Unit == u {
			return v, nil
		}
	}
	return Parameter{}, &budget.FileError{File: p.Label(), Line: v.Line, Column: "unit", Value: v.Unit.String(),
		Err: fmt.Errorf("%w: parameter %q is a %s, want a %s", budget.ErrFormat, id, v.Unit, units[0])}
}

// Decimal returns a number (fraction, share or ratio) exactly as written.
func (p Parameters) Decimal(id string) (decimal.Decimal, error) {
	v, err := p.typed(id, budget.UnitFraction, budget.UnitShare, budget.UnitRatio)
	if err != nil {
		return decimal.Decimal{}, err
	}
	d, err := budget.ParseDecimal("number", v.Value)
	if err != nil {
		return decimal.Decimal{}, p.Fail(id, err)
	}
	return d, nil
}

// Rate returns a fraction as a Rate.
func (p Parameters) Rate(id string) (budget.Rate, error) {
	v, err := p.typed(id, budget.UnitFraction)
	if err != nil {
		return budget.Rate{}, err
	}
	r, err := budget.ParseRate(v.Value)
	if err != nil {
		return budget.Rate{}, p.Fail(id, err)
	}
	return r, nil
}

// Share returns a share.
func (p Parameters) Share(id string) (budget.Share, error) {
	v, err := p.typed(id, budget.UnitShare)
	if err != nil {
		return budget.Share{}, err
	}
	return budget.ParseShare(v.Value)
}

// Years returns a whole number of years.
func (p Parameters) Years(id string) (int, error) {
	v, err := p.typed(id, budget.UnitYears)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(v.Value)
}

// Year returns a financial year.
func (p Parameters) Year(id string) (budget.Year, error) {
	v, err := p.typed(id, budget.UnitYear)
	if err != nil {
		return budget.Year{}, err
	}
	return budget.ParseYear(v.Value)
}

// Money returns an amount of pounds.
func (p Parameters) Money(id string) (budget.Money, error) {
	v, err := p.typed(id, budget.UnitGBP)
	if err != nil {
		return budget.Money{}, err
	}
	d, err := budget.ParseDecimal("amount", v.Value)
	if err != nil {
		return budget.Money{}, p.Fail(id, err)
	}
	return budget.MoneyFromDecimal(d), nil
}

// ParamNHSERevenue is the prefix of NHS England's planned revenue spending
// (RDEL) by year, nhse_revenue.YEAR, in pounds: the whole NHS England
// budget that ICB allocations are part of.
const ParamNHSERevenue = "nhse_revenue."

// NHSERevenue returns NHS England's planned revenue spending in year y
// (the parameter nhse_revenue.YEAR); ok is false where the parameters do
// not give it.
func (p Parameters) NHSERevenue(y budget.Year) (m budget.Money, ok bool, err error) {
	id := ParamNHSERevenue + y.String()
	if _, err := p.Get(id); err != nil {
		return budget.Money{}, false, nil
	}
	m, err = p.Money(id)
	if err != nil {
		return budget.Money{}, false, err
	}
	if v, _ := p.Get(id); v.Period != y.String() {
		return budget.Money{}, false, &budget.FileError{File: p.Label(), Line: v.Line, Column: "period", Value: v.Period,
			Err: fmt.Errorf("parameter %s: %w: the period of a year's revenue is that year, %s", id, budget.ErrRange, y)}
	}
	if m.Sign() <= 0 {
		return budget.Money{}, false, p.Fail(id, fmt.Errorf("%w: NHS England's revenue must be above zero", budget.ErrRange))
	}
	return m, true, nil
}

// Name returns a name.
func (p Parameters) Name(id string) (string, error) {
	v, err := p.typed(id, budget.UnitName)
	if err != nil {
		return "", err
	}
	return v.Value, nil
}

// WithPrefix returns the parameters whose ID starts with prefix, in file order.
func (p Parameters) WithPrefix(prefix string) []Parameter {
	var out []Parameter
	for _, v := range p.list {
		if strings.HasPrefix(v.ID, prefix) {
			out = append(out, v)
		}
	}
	return out
}

// SourcesOf cites the parameters ids: their distinct source IDs (and any
// extra IDs) and where they were read, as "P8, OBR-2025-11 (parameters.csv
// lines 2, 4, 5)", the lines in order.
func (p Parameters) SourcesOf(ids []string, extra ...string) string {
	var srcs []string
	var lines []int
	seen := map[string]bool{}
	add := func(src string) {
		if src != "" && !seen[src] {
			seen[src] = true
			srcs = append(srcs, src)
		}
	}
	for _, id := range ids {
		if v, err := p.Get(id); err == nil {
			add(v.Source)
			if v.Line > 0 {
				lines = append(lines, v.Line)
			}
		}
	}
	for _, e := range extra {
		add(e)
	}
	out := strings.Join(srcs, ", ")
	if len(lines) > 0 {
		slices.Sort(lines)
		lines = slices.Compact(lines)
		text := make([]string, len(lines))
		for i, l := range lines {
			text[i] = strconv.Itoa(l)
		}
		out += fmt.Sprintf(" (%s lines %s)", p.Label(), strings.Join(text, ", "))
	}
	return out
}

// knownParameters are the forms of the parameter IDs the library reads.
var knownParameters = regexp.MustCompile(`^(` + strings.Join([]string{
	`settlement\.[a-z0-9-]+\.(real_growth|cash_growth\.[0-9]{4}/[0-9]{2}|deflator|rca_growth|non_recurrent|non_recurrent\.[a-z0-9_]+|fold_from|convergence\.(core|pmc|pod|specialised|rca))`,
	`deflator\.long_run_inflation`,
	`convergence\.[a-z0-9/-]+\.(above_fraction|above_cap|below_fraction|below_cap)`,
	`baseline_share\.[a-z0-9-]+(\.includes_council_spending)?`,
	`benefits\.[a-z0-9-]+\.(roi|lag|spread)`,
	`discount\.[a-z0-9-]+\.rate_years_(1_30|31_75|76_on)`,
	`uncertain\.(real_growth|inflation|baseline_share|convergence|roi|lag)\.(distribution|a|b|c)`,
	`present_value\.base_year`,
	`nhse_revenue\.[0-9]{4}/[0-9]{2}`,
	`real_terms\.base_year`,
	`qaly\.(public_health|nhs)\.cost_per_qaly(\.low|\.high)?`,
	`qaly\.value`,
}, "|") + `)$`)

// CheckKnown reports, all at once (the first ten and a count of the
// rest), every parameter whose ID is not of a form the library reads (a
// mistyped ID would otherwise be ignored).
func (p Parameters) CheckKnown() error {
	var errs fewErrors
	for _, v := range p.list {
		if !knownParameters.MatchString(v.ID) {
			errs.add(&budget.FileError{File: p.Label(), Line: v.Line, Column: "id", Value: clip.Clip(v.ID),
				Err: fmt.Errorf("%w: the library reads no such parameter (see data/parameters.csv for the IDs it reads)", budget.ErrUnknown)})
		}
	}
	return errs.err(p.Label(), budget.ErrUnknown, "unknown parameters")
}

// CheckComplete reports, all at once (the first ten and a count of the
// rest), every parameter of ref (the library's own) that p lacks: a
// user's parameters may change a value, not drop one, for a parameter the
// library reads and does not find is not always an error where it is read
// (a stream with no convergence parameter does not converge), and would
// change figures silently.
func (p Parameters) CheckComplete(ref Parameters) error {
	var errs fewErrors
	for _, v := range ref.list {
		if _, ok := p.byID[v.ID]; !ok {
			errs.add(&budget.FileError{File: p.Label(), Column: "id", Value: v.ID,
				Err: fmt.Errorf("%w: parameter %q is missing (the library's %s has it on line %d: %s); give it, with its value and source", budget.ErrNoData, v.ID, ref.Label(), v.Line, clip.Clip(v.Note))})
		}
	}
	return errs.err(p.Label(), budget.ErrNoData, "missing parameters")
}

// CheckSources reports every parameter whose source is not in s, at once
// (the first ten and a count of the rest).
func (p Parameters) CheckSources(s Sources) error {
	var errs fewErrors
	for _, v := range p.list {
		if _, err := s.Get(v.Source); err != nil {
			errs.add(&budget.FileError{File: p.Label(), Line: v.Line, Column: "source", Value: clip.Clip(v.Source),
				Err: fmt.Errorf("parameter %q: %w: not in the sources", clip.Clip(v.ID), budget.ErrUnknown)})
		}
	}
	return errs.err(p.Label(), budget.ErrUnknown, "parameters whose sources are not listed")
}

// fewErrors keeps the first ten errors of a check and counts the rest, so
// that a file of a million bad rows gives an error of bounded size (one
// such file of unknown IDs took the programs out of memory joining them).
type fewErrors struct {
	list []error
	more int
}

func (f *fewErrors) add(err error) {
	if len(f.list) < 10 {
		f.list = append(f.list, err)
		return
	}
	f.more++
}

// err joins them, with the count of the rest wrapping kind.
func (f *fewErrors) err(file string, kind error, what string) error {
	if f.more > 0 {
		f.list = append(f.list, &budget.FileError{File: file, Err: fmt.Errorf("%w: and %d more %s", kind, f.more, what)})
	}
	return errors.Join(f.list...)
}

// ParamLongRunInflation is the parameter of the inflation a deflator is
// extended at past its data (LongRunExtension).
const ParamLongRunInflation = "deflator.long_run_inflation"

// LongRunExtension is how the library extends a deflator past its data:
// growth at the parameter deflator.long_run_inflation (2.0% a year in the
// shipped parameters, the Bank of England's target: an assumption, and
// every year it touches is marked projected).
func (p Parameters) LongRunExtension() (budget.Extension, error) {
	r, err := p.Rate(ParamLongRunInflation)
	if err != nil {
		return budget.Extension{}, err
	}
	return budget.ExtendGrow(r), nil
}
