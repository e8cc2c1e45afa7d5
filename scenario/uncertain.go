package scenario

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
)

// Uncertain assumptions Simulate can draw.
const (
	// UncertainRealGrowth is NHS England's real growth a year from 2028/29
	// (the central settlement's +3.03%, the low case's +0.69%; 2026/27 and
	// 2027/28 are their published cash growth), as a fraction.
	UncertainRealGrowth = "real_growth"
	// UncertainInflation is GDP deflator growth a year after 2025/26,
	// as a fraction, replacing the OBR forecast.
	UncertainInflation = "inflation"
	// UncertainBaselineShare is the baseline prevention share s0.
	UncertainBaselineShare = "baseline_share"
	// UncertainConvergence is the fraction of the distance from target
	// closed a year after 2025/26 (0.2 in the 2025/26 policy).
	UncertainConvergence = "convergence"
	// UncertainROI is the return on investment per pound of shift.
	UncertainROI = "roi"
	// UncertainLag is the lag in years before returns start (rounded to whole years).
	UncertainLag = "lag"
	// UncertainQALYCostPublicHealth is the marginal cost of a QALY from
	// public health spending, pounds in the QALYs' price year.
	UncertainQALYCostPublicHealth = "qaly_cost_public_health"
	// UncertainQALYCostNHS is the marginal cost of a QALY from NHS
	// spending, pounds in the QALYs' price year.
	UncertainQALYCostNHS = "qaly_cost_nhs"
)

// UncertainLabel is an uncertain assumption in words, for charts:
// "real growth a year", "baseline share".
func UncertainLabel(assumption string) string {
	switch assumption {
	case UncertainRealGrowth:
		return "real growth a year"
	case UncertainInflation:
		return "inflation a year"
	case UncertainBaselineShare:
		return "baseline share"
	case UncertainConvergence:
		return "convergence pace"
	case UncertainROI:
		return "return on investment"
	case UncertainLag:
		return "lag before returns"
	case UncertainQALYCostPublicHealth:
		return "public health cost per QALY"
	case UncertainQALYCostNHS:
		return "NHS cost per QALY"
	}
	return assumption
}

// FormatUncertainValue writes a value of an uncertain assumption in its
// unit: fractions as per cents (0.0133 is "1.33%"), a return as a ratio
// ("4.1:1"), a lag in years.
func FormatUncertainValue(assumption string, v float64) string {
	switch assumption {
	case UncertainROI:
		return strconv.FormatFloat(v, 'f', 2, 64) + ":1"
	case UncertainLag:
		return strconv.FormatFloat(v, 'f', 1, 64) + " years"
	case UncertainQALYCostPublicHealth, UncertainQALYCostNHS:
		return budget.Formatter{}.Format(budget.MoneyFromDecimal(decimal.NewFromFloat(v).Round(0)))
	}
	return strconv.FormatFloat(v*100, 'f', 2, 64) + "%"
}

// UncertainAssumptions lists the assumptions that can be uncertain, in order.
func UncertainAssumptions() []string {
	return []string{UncertainRealGrowth, UncertainInflation, UncertainBaselineShare, UncertainConvergence, UncertainROI, UncertainLag,
		UncertainQALYCostPublicHealth, UncertainQALYCostNHS}
}

// Uncertain is an assumption drawn from a distribution in Simulate.
type Uncertain struct {
	Assumption   string       `json:"assumption"`
	Distribution Distribution `json:"distribution"`
	Source       string       `json:"source,omitempty"`
}

// Validate checks the assumption is known and its distribution valid.
func (u Uncertain) Validate() error {
	known := false
	for _, a := range UncertainAssumptions() {
		known = known || a == u.Assumption
	}
	var errs []error
	if !known {
		errs = append(errs, fmt.Errorf("uncertain assumption %q: %w: want one of %v", u.Assumption, errUnknown, UncertainAssumptions()))
	}
	if err := u.Distribution.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("uncertain %s: %w", u.Assumption, err))
	} else if known {
		dom := domainOf(u.Assumption)
		lo, hi := u.Distribution.Support()
		if !dom.contains(lo) || !dom.contains(hi) {
			errs = append(errs, fmt.Errorf("uncertain %s: %s draws from %s to %s: %w: want %s (%s)",
				u.Assumption, u.Distribution, fmtFloat(lo), fmtFloat(hi), errRange, dom, dom.note))
		}
	}
	return errors.Join(errs...)
}

// domain is the values an uncertain assumption may take: what Read and Run
// accept for it, so that no draw uses a value a scenario could not hold.
type domain struct {
	lo, hi float64
	hiOpen bool // hi itself is outside
	note   string
}

func (d domain) contains(v float64) bool {
	if math.IsNaN(v) || v < d.lo || v > d.hi {
		return false
	}
	return !(d.hiOpen && v == d.hi)
}

func (d domain) String() string {
	end := "]"
	if d.hiOpen {
		end = ")"
	}
	return "[" + fmtFloat(d.lo) + ", " + fmtFloat(d.hi) + end
}

// domainOf is the domain of a known uncertain assumption.
func domainOf(assumption string) domain {
	switch assumption {
	case UncertainRealGrowth, UncertainInflation:
		return domain{lo: -0.2, hi: 0.2, note: "a fraction a year: 0.03 is 3%"}
	case UncertainBaselineShare:
		return domain{lo: 0, hi: 1, hiOpen: true, note: "a share: 0.05 is 5%"}
	case UncertainConvergence:
		return domain{lo: 0, hi: 1, note: "the fraction of the distance from target closed in a year"}
	case UncertainROI:
		return domain{lo: -1, hi: 100, note: "pounds returned per pound, net: 4.1 is 4.1:1"}
	case UncertainLag:
		return domain{lo: 0, hi: 50, note: "years"}
	case UncertainQALYCostPublicHealth, UncertainQALYCostNHS:
		return domain{lo: 100, hi: 1_000_000, note: "pounds a QALY: 3800, not 3.8 for £k"}
	}
	return domain{lo: math.Inf(-1), hi: math.Inf(1)}
}

// tail is the probability in each tail that Support leaves out of an
// unbounded distribution: 1e-12, about 7 standard deviations.
const tail = 1e-12

// Support is the range the distribution draws from: exactly for fixed,
// uniform and triangular; for normal and lognormal, the range outside
// which a draw falls with probability 2e-12 (about 7 standard deviations
// either side). Simulate refuses a draw outside the assumption's domain.
func (d Distribution) Support() (lo, hi float64) {
	switch d.Kind {
	case "uniform":
		return d.A, d.B
	case "triangular":
		return d.A, d.C
	case "normal", "lognormal":
		return quantile(d, tail), quantile(d, 1-tail)
	}
	return d.A, d.A
}

func fmtFloat(v float64) string { return strconv.FormatFloat(v, 'g', 6, 64) }

// Distribution is a probability distribution over an assumption's value.
// Parameters by kind:
//
//	fixed       A = the value
//	normal      A = mean, B = standard deviation (> 0)
//	lognormal   A = mu, B = sigma of the logarithm (> 0); draws are exp(N(mu, sigma))
//	uniform     A = min, B = max (min < max)
//	triangular  A = min, B = mode, C = max (min <= mode <= max, min < max)
type Distribution struct {
	Kind string  `json:"kind"`
	A    float64 `json:"a"`
	B    float64 `json:"b,omitempty"`
	C    float64 `json:"c,omitempty"`
}

// Fixed is a degenerate distribution at v.
func Fixed(v float64) Distribution { return Distribution{Kind: "fixed", A: v} }

// Normal is a normal distribution.
func Normal(mean, sd float64) Distribution { return Distribution{Kind: "normal", A: mean, B: sd} }

// LogNormal is exp of a normal distribution with mean mu and sd sigma.
func LogNormal(mu, sigma float64) Distribution {
	return Distribution{Kind: "lognormal", A: mu, B: sigma}
}

// Uniform is a uniform distribution on [min, max].
func Uniform(min, max float64) Distribution { return Distribution{Kind: "uniform", A: min, B: max} }

// Triangular is a triangular distribution on [min, max] with a mode.
func Triangular(min, mode, max float64) Distribution {
	return Distribution{Kind: "triangular", A: min, B: mode, C: max}
}

// Validate checks the kind and the parameters.
func (d Distribution) Validate() error {
	for _, v := range []float64{d.A, d.B, d.C} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("distribution %s: %w: parameters must be finite", d.Kind, errRange)
		}
	}
	extra := func(names string, vs ...float64) error {
		for _, v := range vs {
			if v != 0 {
				return fmt.Errorf("%s distribution: %w: takes only %s", d.Kind, errRange, names)
			}
		}
		return nil
	}
	switch d.Kind {
	case "fixed":
		if err := extra("a (the value)", d.B, d.C); err != nil {
			return err
		}
	case "normal", "lognormal":
		if err := extra("a and b", d.C); err != nil {
			return err
		}
		if d.B <= 0 {
			return fmt.Errorf("%s distribution: standard deviation %v: %w: must be above 0 (use fixed for a single value)", d.Kind, d.B, errRange)
		}
	case "uniform":
		if err := extra("a and b (min and max)", d.C); err != nil {
			return err
		}
		if !(d.A < d.B) {
			return fmt.Errorf("uniform distribution: min %v, max %v: %w: min must be below max", d.A, d.B, errRange)
		}
	case "triangular":
		if !(d.A <= d.B && d.B <= d.C && d.A < d.C) {
			return fmt.Errorf("triangular distribution %v, %v, %v: %w: want min <= mode <= max and min < max", d.A, d.B, d.C, errRange)
		}
	default:
		return fmt.Errorf("distribution %q: %w: want fixed, normal, lognormal, uniform or triangular", d.Kind, errUnknown)
	}
	return nil
}

// Degenerate reports whether the distribution has a single value.
func (d Distribution) Degenerate() bool { return d.Kind == "fixed" }

// Central is the value used when the assumption is not drawn: the fixed
// value, the mean of a normal, the median of a lognormal, the midpoint of
// a uniform, the mode of a triangular distribution.
func (d Distribution) Central() float64 {
	switch d.Kind {
	case "normal":
		return d.A
	case "lognormal":
		return math.Exp(d.A)
	case "uniform":
		return (d.A + d.B) / 2
	case "triangular":
		return d.B
	}
	return d.A
}

// String writes "normal(0.03, 0.005)" and the like.
func (d Distribution) String() string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	switch d.Kind {
	case "fixed":
		return "fixed(" + f(d.A) + ")"
	case "triangular":
		return "triangular(" + f(d.A) + ", " + f(d.B) + ", " + f(d.C) + ")"
	}
	return d.Kind + "(" + f(d.A) + ", " + f(d.B) + ")"
}

// DefaultUncertainty is the uncertainty a simulation uses when a scenario
// declares none, built from the parameters uncertain.NAME.distribution,
// .a, .b and .c (the shipped ones: real growth triangular(0.0069,
// 0.030262, 0.079423), from the low case's +0.69% through the central
// +3.03% to the high case's 2028/29; inflation normal(0.02, 0.005);
// baseline share triangular(0.03, 0.05, 0.07); convergence uniform(0.1,
// 0.3)), each citing its parameters.
func DefaultUncertainty(p dataset.Parameters) ([]Uncertain, error) {
	var out []Uncertain
	var errs []error
	for _, a := range UncertainAssumptions() {
		prefix := "uncertain." + a + "."
		if len(p.WithPrefix(prefix)) == 0 {
			continue
		}
		kind, err := p.Name(prefix + "distribution")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		d := Distribution{Kind: kind}
		source := p.Cite(prefix + "distribution")
		// The parameters each kind takes: a missing one is an error, not 0.
		takes := map[string]int{"fixed": 1, "normal": 2, "lognormal": 2, "uniform": 2, "triangular": 3}[kind]
		for k, f := range []struct {
			key string
			v   *float64
		}{{"a", &d.A}, {"b", &d.B}, {"c", &d.C}} {
			if _, err := p.Get(prefix + f.key); err != nil {
				if k < takes {
					errs = append(errs, p.Fail(prefix+"distribution", fmt.Errorf("%w: a %s distribution takes %s, and there is no parameter %s", budget.ErrNoData, kind, []string{"a", "a and b", "a, b and c"}[takes-1], prefix+f.key)))
				}
				continue // a parameter the distribution does not take
			}
			v, err := p.Decimal(prefix + f.key)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			*f.v, _ = v.Float64()
			if pv, err := p.Get(prefix + f.key); err == nil {
				source += "; " + pv.Note + " [" + pv.Source + "]"
			}
		}
		u := Uncertain{Assumption: a, Distribution: d, Source: source}
		if err := u.Validate(); err != nil {
			errs = append(errs, p.Fail(prefix+"distribution", err))
			continue
		}
		out = append(out, u)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// DefaultUncertaintyFor is DefaultUncertainty centred on scenario s's own
// values where it sets them: the baseline share on s's, real growth on
// its settlement's (settlement.NAME.real_growth), so that a scenario's own
// 4% share is not replaced by a draw around 5%. A triangular
// distribution keeps its range (widened to take the value) with its mode
// moved; a normal its spread with its mean moved; a uniform its width,
// moved. Each moved distribution's source says so.
func DefaultUncertaintyFor(p dataset.Parameters, s Scenario) ([]Uncertain, error) {
	us, err := DefaultUncertainty(p)
	if err != nil {
		return nil, err
	}
	if s.QALYs != nil {
		// The costs per QALY over their published ranges, most likely the
		// central estimates (prevention.QALYCostRange).
		for _, c := range []struct{ which, assumption string }{{"public_health", UncertainQALYCostPublicHealth}, {"nhs", UncertainQALYCostNHS}} {
			r, err := prevention.QALYCostRange(p, c.which)
			if err != nil {
				return nil, err
			}
			if r.Prices != s.QALYs.Prices {
				continue // the scenario's costs are in another year's prices: its own, not drawn
			}
			us = append(us, Uncertain{Assumption: c.assumption,
				Distribution: Triangular(r.Low.InexactFloat64(), r.Central.InexactFloat64(), r.High.InexactFloat64()),
				Source:       "the published range of the marginal cost of a QALY, " + r.Prices.String() + " prices: " + r.Source})
		}
	}
	own := map[string]float64{}
	where := map[string]string{}
	if v := s.Baseline.Share.Decimal().InexactFloat64(); v > 0 {
		own[UncertainBaselineShare], where[UncertainBaselineShare] = v, "the scenario's baseline share ("+s.Baseline.Name+")"
	}
	if v, err := p.Decimal("settlement." + s.Settlement.String() + ".real_growth"); err == nil {
		own[UncertainRealGrowth], where[UncertainRealGrowth] = v.InexactFloat64(), "the real growth of its settlement, "+s.Settlement.String()
	}
	for i, u := range us {
		v, ok := own[u.Assumption]
		if !ok || math.Abs(u.Distribution.Central()-v) < 1e-9 {
			continue
		}
		d := u.Distribution
		switch d.Kind {
		case "triangular":
			d.A, d.B, d.C = math.Min(d.A, v), v, math.Max(d.C, v)
		case "normal":
			d.A = v
		case "uniform":
			half := (d.B - d.A) / 2
			d.A, d.B = v-half, v+half
		default:
			continue
		}
		if d.Validate() != nil {
			continue // left as the parameters give it
		}
		us[i].Distribution = d
		us[i].Source += fmt.Sprintf("; centred on %s, %s, not the default's %s", where[u.Assumption],
			strconv.FormatFloat(v, 'f', -1, 64), strconv.FormatFloat(u.Distribution.Central(), 'f', -1, 64))
	}
	return us, nil
}

// CheckPresets builds every preset the library makes from the data's
// parameters (the named settlements, the default model, the baseline
// shares, the returns, the QALYs, both discounting schedules, the
// catalogue and its scenarios, the default uncertainty), and reports every
// one that does not build at once: a parameters file of a user's own that
// the library would refuse at run time is refused before anything runs.
func CheckPresets(d *dataset.Data) error {
	if d == nil {
		return fmt.Errorf("checking the presets: %w: a nil data set", budget.ErrNoData)
	}
	var errs []error
	for _, name := range alloc.Settlements() {
		if _, err := alloc.NamedSettlement(d, name, ""); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := prevention.DefaultModel(d); err != nil {
		errs = append(errs, err)
	}
	for _, n := range prevention.BaselineSharePresets(d.Parameters) {
		if _, err := prevention.BaselineSharePreset(d.Parameters, n); err != nil {
			errs = append(errs, err)
		}
	}
	for _, n := range prevention.BenefitsPresets(d.Parameters) {
		if _, err := prevention.BenefitsPreset(d.Parameters, n); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := prevention.QALYsPreset(d.Parameters); err != nil {
		errs = append(errs, err)
	}
	for _, disc := range []Discount{GreenBook, GreenBookHealth} {
		if _, err := disc.Schedule(d.Parameters); err != nil {
			errs = append(errs, err)
		}
	}
	cat, err := Catalogue(d.Parameters)
	if err != nil {
		errs = append(errs, err)
	}
	r := NewRunner(d)
	for _, s := range cat {
		if err := r.Validate(s); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := DefaultUncertainty(d.Parameters); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
