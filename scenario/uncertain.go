package scenario

import (
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Uncertain assumptions Simulate can draw.
const (
	// UncertainRealGrowth is NHS England's real growth a year after 2025/26
	// (the settlement's 3.0%), as a fraction.
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
)

// UncertainAssumptions lists the assumptions that can be uncertain, in order.
var UncertainAssumptions = []string{UncertainRealGrowth, UncertainInflation, UncertainBaselineShare, UncertainConvergence, UncertainROI, UncertainLag}

// Uncertain is an assumption drawn from a distribution in Simulate.
type Uncertain struct {
	Assumption   string       `json:"assumption"`
	Distribution Distribution `json:"distribution"`
	Source       string       `json:"source,omitempty"`
}

// Validate checks the assumption is known and its distribution valid.
func (u Uncertain) Validate() error {
	known := false
	for _, a := range UncertainAssumptions {
		known = known || a == u.Assumption
	}
	var errs []error
	if !known {
		errs = append(errs, fmt.Errorf("uncertain assumption %q: %w: want one of %v", u.Assumption, errUnknown, UncertainAssumptions))
	}
	if err := u.Distribution.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("uncertain %s: %w", u.Assumption, err))
	}
	return errors.Join(errs...)
}

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
	switch d.Kind {
	case "fixed":
	case "normal", "lognormal":
		if d.B <= 0 {
			return fmt.Errorf("%s distribution: standard deviation %v: %w: must be above 0 (use fixed for a single value)", d.Kind, d.B, errRange)
		}
	case "uniform":
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
