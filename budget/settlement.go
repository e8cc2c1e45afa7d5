package budget

import (
	"errors"
	"fmt"
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

// ParseNonRecurrentRule reads "hold", "drop" or "grow".
func ParseNonRecurrentRule(s string) (NonRecurrentRule, error) { return nonRecurrentNames.parse(s) }

// MarshalText writes the rule as String does.
func (r NonRecurrentRule) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

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
	for _, st := range Streams {
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
	for i, c := range s.Consolidations {
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

// SR2025RealGrowth is the real growth of the SR2025 settlement: NHS
// England day-to-day spending rises 3.0% a year on average in real terms
// (Spending Review 2025, 11 June 2025; King's Fund summary [P8] in
// national_totals.csv).
var SR2025RealGrowth = MustRate("0.03")

// LongRunInflation extends the GDP deflator past the OBR forecast (to
// 2030/31) at 2.0% a year, the Bank of England's inflation target: an
// assumption, and every year it touches is marked projected.
var LongRunInflation = MustRate("0.02")

// DefaultSettlement is the library's named default for years after the
// published 2025/26 round, to 2034/35:
//
//   - growth: NHS England day-to-day spending +3.0% a year in real terms
//     (Spending Review 2025), plus the GDP deflator (OBR November 2025; past
//     2030/31, 2.0% a year): (1.03) x (1 + deflator growth) - 1 for every
//     programme stream;
//   - running costs held flat in cash (the 2025 cut of ICB running costs by
//     half is not modelled in detail);
//   - convergence as in 2025/26: core and PMC a fifth of the distance,
//     capped at +/-0.5 pp; specialised the 2025/26 approximation; POD none;
//   - fair-share target shares held at 2025/26;
//   - non-recurrent items of 2025/26 held flat in cash.
func DefaultSettlement(d *Data) (Settlement, error) {
	defl, err := d.Deflators.Get("gdp", "obr-2025-11")
	if err != nil {
		return Settlement{}, err
	}
	defl = defl.WithExtension(ExtendGrow(LongRunInflation))
	s := Settlement{
		Name: SettlementSR2025,
		Description: "Spending Review 2025: NHS England day-to-day +3.0% a year real on the GDP deflator (OBR November 2025, " +
			"then 2.0% a year); 2025/26 convergence; running costs flat cash; non-recurrent items held flat cash",
		Source:       "P8 (Spending Review 2025, King's Fund summary); OBR-2025-11",
		Growth:       map[Year]Rate{},
		StreamGrowth: map[Stream]map[Year]Rate{RCA: {}},
		Convergence: map[Stream]ConvergencePolicy{Core: CoreConvergence2025, PMC: PMCConvergence2025,
			Specialised: SpecialisedConvergence2025},
		NonRecurrent: HoldNonRecurrent,
	}
	for y := MustYear("2026/27"); !y.After(MustYear("2034/35")); y = y.Next() {
		infl, _, err := defl.Growth(y)
		if err != nil {
			return Settlement{}, err
		}
		s.Growth[y] = SR2025RealGrowth.Compound(infl)
		s.StreamGrowth[RCA][y] = Rate{}
	}
	return s, nil
}

// FoldedSettlement is DefaultSettlement with every core non-recurrent pot
// (elective recovery, discharge and the rest) folded into recurrent
// baselines from 2026/27: the multi-year recurrent funding the Hewitt
// Review asked for in place of in-year pots.
func FoldedSettlement(d *Data) (Settlement, error) {
	s, err := DefaultSettlement(d)
	if err != nil {
		return Settlement{}, err
	}
	s.Name = SettlementSR2025Folded
	s.Description = "as sr2025, with every core non-recurrent pot folded into recurrent baselines from 2026/27 (Hewitt Review)"
	s.Consolidations = []Consolidation{{Stream: Core, From: MustYear("2026/27")}}
	return s, nil
}
