package prevention

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/clip"
)

// Base is which allocation streams count as "total NHS budgets at ICS
// level", the denominator of the prevention share.
type Base struct {
	Name    string           `json:"name"`
	Streams []dataset.Stream `json:"streams"`
}

// ProgrammeBase is the default budget base: like-for-like programme
// money, core services (recurrent and non-recurrent) + primary medical care
// + pharmacy, optometry and dental. Delegated specialised services (from
// 2025/26, a scope break) and the running cost allowance are left out.
func ProgrammeBase() Base {
	return Base{Name: "programme", Streams: []dataset.Stream{dataset.Core, dataset.PMC, dataset.POD}}
}

// WithSpecialisedBase adds delegated specialised services: not like for
// like before and after 2025/26.
func WithSpecialisedBase() Base {
	return Base{Name: "programme-with-specialised", Streams: []dataset.Stream{dataset.Core, dataset.PMC, dataset.POD, dataset.Specialised}}
}

// AllStreamsBase is every stream including running costs.
func AllStreamsBase() Base { return Base{Name: "all-streams", Streams: dataset.Streams()} }

// Bases lists the named budget bases.
func Bases() []Base { return []Base{ProgrammeBase(), WithSpecialisedBase(), AllStreamsBase()} }

// ParseBase is the named budget base (Bases) a name gives, in any case;
// another is an error wrapping budget.ErrUnknown that lists the names.
func ParseBase(name string) (Base, error) {
	var names []string
	for _, b := range Bases() {
		if strings.EqualFold(strings.TrimSpace(name), b.Name) {
			return b, nil
		}
		names = append(names, b.Name)
	}
	return Base{}, fmt.Errorf("budget base %q: %w: want %s (or a base of your own: a name and its streams)", clip.Clip(name), budget.ErrUnknown, strings.Join(names, ", "))
}

// Named reports whether b is one of Bases, streams and all.
func (b Base) Named() bool {
	for _, n := range Bases() {
		if n.Name == b.Name && slices.Equal(n.Streams, b.Streams) {
			return true
		}
	}
	return false
}

// Describe is a sentence naming the streams.
func (b Base) Describe() string {
	parts := make([]string, len(b.Streams))
	for i, s := range b.Streams {
		parts[i] = s.Title()
	}
	return strings.Join(parts, " + ")
}

// Validate checks the base names at least one known stream, each once.
func (b Base) Validate() error {
	name := strings.TrimSpace(b.Name)
	if name == "" {
		return fmt.Errorf("budget base: %w: no name (programme, programme-with-specialised, all-streams, or one of your own)", budget.ErrSyntax)
	}
	if name != b.Name || !utf8.ValidString(b.Name) || strings.IndexFunc(b.Name, unicode.IsControl) >= 0 || len(b.Name) > 100 {
		return fmt.Errorf("budget base %q: %w: a name is up to 100 characters of text, with no spaces around it or control characters", clip.Clip(b.Name), budget.ErrSyntax)
	}
	for _, n := range Bases() {
		if strings.EqualFold(n.Name, name) && !(n.Name == b.Name && slices.Equal(n.Streams, b.Streams)) {
			return fmt.Errorf("budget base %q: %w: %s is a named base (%s): give it by its name alone, or give a base of your own another name", b.Name, budget.ErrDuplicate, n.Name, n.Describe())
		}
	}
	if len(b.Streams) == 0 {
		return fmt.Errorf("budget base %q: %w: no streams", b.Name, ErrRange)
	}
	seen := map[dataset.Stream]bool{}
	for _, s := range b.Streams {
		if _, err := dataset.ParseStream(s.String()); err != nil {
			return fmt.Errorf("budget base %q: %w", b.Name, err)
		}
		if seen[s] {
			return fmt.Errorf("budget base %q: %s twice: %w", b.Name, s, budget.ErrDuplicate)
		}
		seen[s] = true
	}
	return nil
}

// BaselineShare is the share of the budget base spent on prevention in the
// base year, s0. No official figure exists (the government's June 2023
// response only undertook to explore local baselining), so it is always an
// explicit assumption with its source: one national share, optionally
// overridden for named ICBs.
type BaselineShare struct {
	Name   string                  `json:"name"`
	Share  budget.Share            `json:"share"`
	PerICB map[string]budget.Share `json:"per_icb,omitempty"`
	Source string                  `json:"source"`
	// IncludesCouncil says the share is of total health spending, which
	// includes councils' public health (and NHS England's screening and
	// immunisation), as the King's Fund and DH figures are: prevention at
	// that share is not added to the public health grant, which would
	// count council spending twice. False for a share of ICB spending alone.
	IncludesCouncil bool `json:"includes_council_spending,omitempty"`
}

// Names of the baseline share presets in the shipped parameters.
const (
	// KingsFund5 is about 5% of health spending going on prevention or
	// public health (King's Fund, Sarah Arnold, February 2026): a share of
	// total health spending, including council public health. The default.
	KingsFund5 = "kings-fund-5pc"
	// DH2006 is the Department of Health's estimate for 2006/07: £3.7bn,
	// 4.0% of total health expenditure (Health England Report No. 4, 2009).
	DH2006 = "dh-2006-07-4pc"
)

// ParamDefaultBaselineShare names the preset used unless a scenario names another.
const ParamDefaultBaselineShare = "baseline_share.default"

// BaselineSharePreset returns the preset named name from the parameter
// baseline_share.NAME, with its note and source.
func BaselineSharePreset(p dataset.Parameters, name string) (BaselineShare, error) {
	id := "baseline_share." + name
	if name == "default" {
		return BaselineShare{}, fmt.Errorf("baseline share %q: %w: want %s", name, ErrUnknown, strings.Join(BaselineSharePresets(p), ", "))
	}
	if _, err := p.Get(id); err != nil {
		return BaselineShare{}, fmt.Errorf("baseline share %q: %w: want %s", name, ErrUnknown, strings.Join(BaselineSharePresets(p), ", "))
	}
	s, err := p.Share(id)
	if err != nil {
		return BaselineShare{}, err
	}
	b := BaselineShare{Name: name, Share: s, Source: p.Cite(id)}
	if err := b.Validate(); err != nil {
		return BaselineShare{}, p.Fail(id, err)
	}
	// What the share is of: the parameter NAME.includes_council_spending.
	inc := id + ".includes_council_spending"
	switch v, err := p.Name(inc); {
	case errors.Is(err, budget.ErrNoData):
		return BaselineShare{}, p.Fail(id, fmt.Errorf("%w: say what the share is of, in the parameter %s (yes: of total health spending, council public health included; no: of ICB spending)", ErrRange, inc))
	case err != nil:
		return BaselineShare{}, err
	case v == "yes":
		b.IncludesCouncil = true
	case v != "no":
		return BaselineShare{}, p.Fail(inc, fmt.Errorf("%w: want yes or no", ErrRange))
	}
	return b, nil
}

// DefaultBaselineShare is the preset the parameter baseline_share.default
// names (kings-fund-5pc in the shipped parameters).
func DefaultBaselineShare(p dataset.Parameters) (BaselineShare, error) {
	name, err := p.Name(ParamDefaultBaselineShare)
	if err != nil {
		return BaselineShare{}, err
	}
	b, err := BaselineSharePreset(p, name)
	if errors.Is(err, ErrUnknown) {
		return BaselineShare{}, p.Fail(ParamDefaultBaselineShare, err)
	}
	return b, err
}

// BaselineSharePresets lists the names of the baseline share presets in
// the parameters, in file order.
func BaselineSharePresets(p dataset.Parameters) []string {
	var out []string
	for _, n := range presetNames(p, "baseline_share.") {
		if n != "default" {
			out = append(out, n)
		}
	}
	return out
}

// UserBaselineShare is a national baseline share of the user's, with the
// source they give for it.
func UserBaselineShare(s budget.Share, source string) BaselineShare {
	return BaselineShare{Name: "user", Share: s, Source: source}
}

// atWorkingScale is b with its shares rounded to budget.WorkingScale.
func (b BaselineShare) atWorkingScale() BaselineShare {
	round := func(s budget.Share) budget.Share {
		r, err := budget.NewShare(s.Decimal().Round(budget.WorkingScale))
		if err != nil {
			return s // a share in range stays in range when rounded; keep it as it is otherwise
		}
		return r
	}
	b.Share = round(b.Share)
	if b.PerICB != nil {
		per := make(map[string]budget.Share, len(b.PerICB))
		for code, s := range b.PerICB {
			per[code] = round(s)
		}
		b.PerICB = per
	}
	return b
}

// For returns the baseline share of an ICB: its own if given, else the national one.
func (b BaselineShare) For(icb string) budget.Share {
	if s, ok := b.PerICB[icb]; ok {
		return s
	}
	return b.Share
}

// Validate reports every problem at once: a share of 1 or more (ErrRange;
// a share of all the budget leaves nothing to shift from), no source.
func (b BaselineShare) Validate() error {
	var errs []error
	if b.Share.Cmp(budget.MustShare("1")) >= 0 {
		errs = append(errs, fmt.Errorf("baseline share %s: %w: must be below 1", b.Share, ErrRange))
	}
	if strings.TrimSpace(b.Source) == "" {
		errs = append(errs, fmt.Errorf("baseline share %q: source: %w: say where the share comes from", b.Name, ErrRange))
	}
	codes := make([]string, 0, len(b.PerICB))
	for c := range b.PerICB {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if b.PerICB[c].Cmp(budget.MustShare("1")) >= 0 {
			errs = append(errs, fmt.Errorf("baseline share for %s %s: %w: must be below 1", c, b.PerICB[c], ErrRange))
		}
	}
	return errors.Join(errs...)
}

// Funding is where the money for the shift comes from.
type Funding int

const (
	// WithinEnvelope: the budget is unchanged and treatment spending falls
	// by the shift (the default).
	WithinEnvelope Funding = iota + 1
	// Additional: the budget grows by the shift; treatment spending is
	// what it would have been.
	Additional
)

// String is "envelope" or "additional".
func (f Funding) String() string {
	switch f {
	case WithinEnvelope:
		return "envelope"
	case Additional:
		return "additional"
	}
	return fmt.Sprintf("Funding(%d)", int(f))
}

// ParseFunding reads "envelope" or "additional".
func ParseFunding(s string) (Funding, error) {
	switch s {
	case "envelope":
		return WithinEnvelope, nil
	case "additional":
		return Additional, nil
	}
	return 0, fmt.Errorf("funding %q: %w: want envelope or additional", s, ErrUnknown)
}

// MarshalText writes the funding mode as String does.
func (f Funding) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText reads the funding mode as ParseFunding does.
func (f *Funding) UnmarshalText(b []byte) error {
	v, err := ParseFunding(string(b))
	if err != nil {
		return err
	}
	*f = v
	return nil
}
