package prevention

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/rule"
)

// Benefits is an explicit assumption about the return on the prevention
// shift: each year's shift returns (1 + ROI) pounds per pound, arriving in
// equal parts over Spread years, starting Lag years after the year it is
// spent. ROI is net of the cost, as Masters et al. (2017) define it
// ((benefit - cost) / cost). Published ROIs count wider societal returns,
// not only cash the NHS can take back out of treatment budgets, and the
// lag and spread of the presets are this library's illustrative
// assumptions, not published figures. None are applied by default.
type Benefits struct {
	Name   string          `json:"name"`
	ROI    decimal.Decimal `json:"roi"`
	Lag    int             `json:"lag"`
	Spread int             `json:"spread"`
	Source string          `json:"source"`
}

// Names of the benefit presets in the shipped parameters, from Masters R,
// Anwar E, Collins B, Cookson R, Capewell S. Return on investment of public
// health interventions: a systematic review. J Epidemiol Community Health
// 2017;71(8):827-834 (52 studies).
const (
	// MastersAll is the median ROI of all public health interventions, 14.3:1.
	MastersAll = "masters-2017-all"
	// MastersLocal is the median ROI of local public health interventions, 4.1:1.
	MastersLocal = "masters-2017-local"
)

// BenefitsPreset returns the preset named name from the parameters
// benefits.NAME.roi, .lag and .spread, with their sources.
func BenefitsPreset(p dataset.Parameters, name string) (Benefits, error) {
	prefix := "benefits." + name + "."
	if len(p.WithPrefix(prefix)) == 0 {
		return Benefits{}, fmt.Errorf("benefits %q: %w: want none, %s or roi:R,lag:L,spread:S", name, ErrUnknown, strings.Join(BenefitsPresets(p), ", "))
	}
	roi, err1 := p.Decimal(prefix + "roi")
	lag, err2 := p.Years(prefix + "lag")
	spread, err3 := p.Years(prefix + "spread")
	if err := errors.Join(err1, err2, err3); err != nil {
		return Benefits{}, fmt.Errorf("benefits %q: %w", name, err)
	}
	pl, _ := p.Get(prefix + "lag")
	b := Benefits{Name: name, ROI: roi, Lag: lag, Spread: spread,
		Source: fmt.Sprintf("%s; lag %d and spread %d years assumed [%s]", p.Cite(prefix+"roi"), lag, spread, pl.Source)}
	// Each value checked at its own line.
	for _, c := range []struct {
		id string
		b  Benefits
	}{{prefix + "roi", Benefits{ROI: roi, Spread: 1}}, {prefix + "lag", Benefits{Lag: lag, Spread: 1}}, {prefix + "spread", Benefits{Spread: spread}}} {
		if err := c.b.Validate(); err != nil {
			return Benefits{}, p.Fail(c.id, err)
		}
	}
	return b, nil
}

// BenefitsPresets lists the names of the benefit presets in the parameters, in file order.
func BenefitsPresets(p dataset.Parameters) []string {
	return presetNames(p, "benefits.")
}

// presetNames lists the distinct second parts of the IDs under prefix
// ("benefits.NAME.roi" gives NAME), in file order.
func presetNames(p dataset.Parameters, prefix string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range p.WithPrefix(prefix) {
		name, _, _ := strings.Cut(strings.TrimPrefix(v.ID, prefix), ".")
		if !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out
}

// ParseBenefits reads "none", the name of a preset in p, or "roi:4.1,lag:2,spread:10".
func ParseBenefits(p dataset.Parameters, s string) (*Benefits, error) {
	switch s {
	case "none", "":
		return nil, nil
	}
	if !strings.Contains(s, ":") {
		b, err := BenefitsPreset(p, s)
		if err != nil {
			return nil, err
		}
		return &b, nil
	}
	b := Benefits{Name: "user", Source: "user assumption: " + s}
	given := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, ":")
		if !ok {
			return nil, fmt.Errorf("benefits %q: %w: want none, %s or roi:R,lag:L,spread:S", s, ErrUnknown, strings.Join(BenefitsPresets(p), ", "))
		}
		switch k {
		case "roi":
			r, err := budget.ParseRatio(v)
			if err != nil {
				return nil, fmt.Errorf("benefits roi: %w", err)
			}
			b.ROI = r.Decimal()
		case "lag", "spread":
			var n int
			if _, err := fmt.Sscanf(v, "%d", &n); err != nil || fmt.Sprint(n) != v {
				return nil, fmt.Errorf("benefits %s %q: %w: want a whole number of years", k, v, budget.ErrSyntax)
			}
			if k == "lag" {
				b.Lag = n
			} else {
				b.Spread = n
			}
		default:
			return nil, fmt.Errorf("benefits %q: %w: unknown part %q", s, ErrUnknown, k)
		}
		given[k] = true
	}
	var missing []string
	for _, k := range []string{"roi", "lag", "spread"} {
		if !given[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("benefits %q: %w: %s not given; want roi:R,lag:L,spread:S (roi:4.1,lag:5,spread:10)", s, ErrNoData, strings.Join(missing, " and "))
	}
	return &b, b.Validate()
}

// Validate reports every problem at once.
func (b Benefits) Validate() error {
	var errs []error
	if b.ROI.LessThan(decimal.NewFromInt(-1)) || b.ROI.GreaterThan(decimal.NewFromInt(100)) {
		errs = append(errs, fmt.Errorf("benefits: roi %s: %w: want -1 (all the spend lost) to 100 (£100 back a pound; the highest median in Masters et al. 2017 is 27.2)", b.ROI, ErrRange))
	}
	if b.Lag < 0 || b.Lag > 50 {
		errs = append(errs, fmt.Errorf("benefits: lag %d: %w: want 0 to 50 years", b.Lag, ErrRange))
	}
	if b.Spread < 1 || b.Spread > 50 {
		errs = append(errs, fmt.Errorf("benefits: spread %d: %w: want 1 to 50 years", b.Spread, ErrRange))
	}
	return errors.Join(errs...)
}

// applyBenefits fills each area-year's benefit: the returns of the shifts
// of earlier years (within the result's years) arriving in it
// (rule.Benefits). Returns that would arrive after the last year are not
// counted.
func (r *Result) applyBenefits() {
	b := r.Model.Benefits
	ny := r.years.Len()
	shift, out := make([]decimal.Decimal, ny), make([]decimal.Decimal, ny)
	for a := range r.areas {
		for t := range ny {
			shift[t] = r.values[a*ny+t].Shift.Decimal()
		}
		rule.Benefits(out, shift, b.ROI, one, decimal.NewFromInt(int64(b.Spread)), b.Lag, b.Spread, budget.WorkingScale, 2)
		for t := range ny {
			r.values[a*ny+t].Benefit = budget.MoneyFromDecimal(out[t])
		}
	}
}

// Payback is the first year in which an area's cumulative benefit reaches
// its cumulative shift; ok is false if it does not within the years, or
// without Benefits.
func (r *Result) Payback(area string) (budget.Year, bool) {
	if r == nil {
		return budget.Year{}, false
	}
	if r.Model.Benefits == nil {
		return budget.Year{}, false
	}
	i, err := r.areaIndex(area)
	if err != nil {
		return budget.Year{}, false
	}
	var cum budget.Money
	started := false
	for yi, y := range r.years.Years() {
		v := r.values[i*r.years.Len()+yi]
		cum = cum.Add(v.Benefit).Sub(v.Shift)
		started = started || v.Shift.Sign() != 0
		if started && cum.Sign() >= 0 && v.Benefit.Sign() > 0 {
			return y, true
		}
	}
	return budget.Year{}, false
}
