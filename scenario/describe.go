package scenario

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
)

// Describe is a run's assumptions in words, each with its source: the
// reading of "1 per cent", the baseline share, the budget base, the
// funding, the allocations and their settlement, the published years, the
// footprint, the public health grant, real terms, benefits and the data.
// Key names each; scenario/report adds the council's for a council's report.
func (r *Runner) Describe(res *Result) ([]Assumption, error) {
	if r == nil || r.data == nil || res == nil || res.Detail == nil {
		return nil, fmt.Errorf("describing a run: %w: a Runner and the result of its Run are needed", budget.ErrNoData)
	}
	pl, err := r.planOf(res)
	if err != nil {
		return nil, err
	}
	in, m := pl.in, pl.m
	det := res.Detail
	sh := m.Shift
	var reading string
	switch sh.Reading {
	case prevention.Points:
		reading = fmt.Sprintf("%s pp over %s: the share reaches the baseline %s pp by %s", signed(sh.Size), sh.Span, spaced(sh.Size), sh.Span.Last())
	case prevention.PerYear:
		reading = fmt.Sprintf("%s pp a year over %s: the share reaches the baseline %s pp by %s", signed(sh.Size), sh.Span,
			spaced(sh.Size.Mul(decimal.NewFromInt(int64(sh.Span.Len())))), sh.Span.Last())
	case prevention.Relative:
		reading = fmt.Sprintf("%s%% of the share over %s: the share reaches the baseline x %s by %s", signed(sh.Size), sh.Span,
			one.Add(sh.Size.Shift(-2)), sh.Span.Last())
	case prevention.RelativePerYear:
		g := one.Add(sh.Size.Shift(-2))
		reading = fmt.Sprintf("%s%% of the share a year over %s, compounding: the share reaches the baseline x %s^%d = x %s by %s", signed(sh.Size), sh.Span,
			g, sh.Span.Len(), g.Pow(decimal.NewFromInt(int64(sh.Span.Len()))).Round(6), sh.Span.Last())
	}
	if sh.Profile.String() != prevention.Linear().String() && (sh.Reading == prevention.PerYear || sh.Reading == prevention.RelativePerYear) {
		reading += fmt.Sprintf("; along the %s profile the years between do not move by equal steps: the total is the reading's, the path the profile's", sh.Profile)
	}
	funding := "within the envelope: treatment spending falls by the shift"
	if m.Funding == prevention.Additional {
		funding = "additional money: the budget grows by the shift; treatment spending is unchanged"
	}
	benefits, benefitsSource := "none", sourceOf(m.Benefits)
	switch {
	case m.Benefits != nil:
		benefits = fmt.Sprintf("ROI %s:1, arriving over %d years after a %d-year lag", m.Benefits.ROI, m.Benefits.Spread, m.Benefits.Lag)
	case m.QALYs != nil:
		q := m.QALYs
		benefits = fmt.Sprintf("health, in QALYs: gained by the shift at £%s a QALY of public health spending, forgone in treatment at £%s a QALY of NHS spending (%s prices, brought to each year's by the deflator), valued at £%s a QALY (%s prices); no financial return is assumed",
			budget.FormatCount(q.PublicHealthCost), budget.FormatCount(q.NHSCost), q.Prices, budget.FormatCount(q.Value), q.ValuePrices)
		benefitsSource = q.Source
	}
	p := in.Projection
	s := p.Settlement()
	grant := fmt.Sprintf("as councils get it, published to %s (consolidated from 2026/27), then %s; compared with the shift. "+
		"Like for like (without the grants consolidated in 2026/27), for changes since 2015/16: %s",
		lastPublishedGrant(det), det.Model.Grant, likeForLikeText(det))
	for _, g := range det.GrantYears {
		if i := strings.Index(g.Note, "; raised from"); i >= 0 {
			grant += fmt.Sprintf(". %s: %s,%s", g.Year, budget.Formatter{Scale: budget.ScaleMillions}.Format(g.Amount), g.Note[i+1:])
		}
	}
	d := r.data
	out := []Assumption{
		{"reading", fmt.Sprintf("%s (%s), %s profile, base year %s", sh.Reading, reading, sh.Profile, sh.BaseYear), "Hewitt Review (April 2023), recommendation on prevention; readings: HSJ (points), LGA (per-year), Healthcare Leader News (relative); the LGA's words read as a rise in the share itself (relative-per-year)"},
		{"baseline share", budget.FormatShare(m.Baseline.Share, 2) + " of the budget base in " + sh.BaseYear.String() + baselineOf(m.Baseline), m.Baseline.Source},
		{"budget base", baseText(m.Base), "NHS England ICB allocations [S1, S2]"},
		{"funding", funding, ""},
		{"allocations", fmt.Sprintf("published rounds held to %s (NHS England published 2026/27 to 2028/29 in November 2025, not in a form held here; %s is as first published, without its in-year money, so it and the years grown from it are on the opening basis); then settlement %s: %s%s",
			p.LastPublished(), p.LastPublished(), s.Name, s.Description, rangeNote(alloc.SettlementName(s.Name))), s.Source},
		{"published years", p.Basis().String() + "; status restated marks a year on the next round's basis, derived one estimated onto it " +
			"(2023/24: its in-year money, above all the 2023/24 pay award, backed out of the 2025/26 round's updated 2024/25 baselines at 2024/25's published growth; COVID money once, in the baseline)",
			"NHS England ICB allocations, adjusted and updated baselines [S1, S2]"},
		footprintAssumption(res.Scenario.Footprint, len(p.ICBs()), !strings.HasPrefix(d.Vintage, "user:")),
		{"public health grant", grant + "; ICBs: " + det.GrantApportionment, "grant.csv (LAC circulars, written statements)"},
		{"2015/16 grant baseline", det.Grant2015.Derivation, "grant.csv (DH consultation, July 2015)"},
		{"real terms", m.Deflator.Basis(m.RealBase).Describe(), m.Deflator.Source()},
		{"benefits", benefits, benefitsSource},
		{"data", d.Vintage, "parameters: " + d.Parameters.File()},
	}
	return out, nil
}

// baselineOf says what a baseline share is a share of.
func baselineOf(b prevention.BaselineShare) string {
	if b.IncludesCouncil {
		return ", read as a share of total health spending, council public health included (-baseline-of total-health)"
	}
	return ", read as a share of ICB spending alone, so the grant is added to it (-baseline-of icb)"
}

func sourceOf(b *prevention.Benefits) string {
	if b == nil {
		return ""
	}
	return b.Source
}

// likeForLikeText says how the like-for-like grant is made after its last
// published figure.
func likeForLikeText(r *prevention.Result) string {
	var parts []string
	for _, g := range r.GrantYears {
		if g.LikeForLikeStatus == budget.Derived {
			parts = append(parts, fmt.Sprintf("%s %s: %s", g.Year, budget.Formatter{Scale: budget.ScaleMillions}.Format(g.LikeForLike), g.LikeForLikeNote))
		}
	}
	if len(parts) == 0 {
		return "the published like-for-like figures, then the rule"
	}
	return strings.Join(parts, "; ") + "; then the rule"
}

func lastPublishedGrant(r *prevention.Result) budget.Year {
	var y budget.Year
	for _, g := range r.GrantYears {
		if g.Status == budget.Published {
			y = g.Year
		}
	}
	return y
}

// footprintAssumption says which ICB boundaries, of n ICBs, a scenario's
// footprint is, and where they come from (shipped: the footprints of the
// embedded data, not a user's folder).
func footprintAssumption(footprint string, n int, shipped bool) Assumption {
	switch {
	case footprint == dataset.Footprint2022:
		return Assumption{"footprint", fmt.Sprintf("2022: the %d ICBs the allocation rounds to 2025/26 were published on", n), "NHS England ICB allocations [S1, S2]"}
	case shipped && (footprint == "" || footprint == dataset.Footprint2026):
		return Assumption{"footprint", fmt.Sprintf("2026: the %d ICBs from 1 April 2026, every year restated onto them (merged ICBs added; "+
			"Hertfordshire and West Essex, Suffolk and North East Essex and Frimley split by their practices' weighted and registered populations)", n),
			"written ministerial statement HCWS915; NHS ODS; NHS England allocation tool practice data [F1-F4]"}
	}
	return Assumption{"footprint", fmt.Sprintf("%s: %d ICBs, every year restated onto them", footprint, n), "footprints.csv of the data"}
}

// rangeNote names the low and high cases of a settlement that has them.
func rangeNote(name alloc.SettlementName) string {
	low, high, ok := alloc.SettlementCases(name)
	if !ok {
		return ""
	}
	return fmt.Sprintf(". Range: %s (from 2028/29 the mean real growth of 2026/27 and 2027/28, held) and %s (2028/29 back to the ICB programme's 2025/26 share of NHS England's revenue), in the CSV as %s and %s",
		low, high, MeasureShiftLow, MeasureShiftHigh)
}

// signed is a size with its sign: "+1", "-0.5".
func signed(d decimal.Decimal) string {
	if d.Sign() < 0 {
		return d.String()
	}
	return "+" + d.String()
}

// spaced is a change to the baseline: "+ 1", "- 0.5".
func spaced(d decimal.Decimal) string {
	if d.Sign() < 0 {
		return "- " + d.Neg().String()
	}
	return "+ " + d.String()
}

// baseText names a budget base's streams, and its name where it is one of
// the scenario's own.
func baseText(b prevention.Base) string {
	if b.Named() {
		return b.Describe()
	}
	return b.Name + " (a base of the scenario's own): " + b.Describe()
}
