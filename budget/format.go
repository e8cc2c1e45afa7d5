package budget

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/internal/dec"
)

// Scale is the scale money is shown in: pounds, thousands, millions or billions.
type Scale int

const (
	ScalePounds    Scale = iota // £1,234
	ScaleThousands              // £1.2k
	ScaleMillions               // £1.2m
	ScaleBillions               // £1.2bn
)

func (u Scale) valid() bool { return u >= ScalePounds && u <= ScaleBillions }

// exp is the unit's power of ten; an unknown unit counts as pounds (and
// Format marks it, as fmt marks a bad verb).
func (u Scale) exp() int32 {
	if !u.valid() {
		return 0
	}
	return [...]int32{0, 3, 6, 9}[u]
}

func (u Scale) suffix() string {
	if !u.valid() {
		return fmt.Sprintf("%%!scale(%d)", int(u))
	}
	return [...]string{"", "k", "m", "bn"}[u]
}

// Rounding is how a Formatter rounds to its decimal places.
type Rounding int

const (
	HalfUp   Rounding = iota // halves away from zero: 2.5 -> 3, -2.5 -> -3 (the default)
	HalfEven                 // halves to the even neighbour (banker's): 2.5 -> 2, 3.5 -> 4
	Down                     // towards zero (truncate)
	Floor                    // towards minus infinity
	Ceiling                  // towards plus infinity
)

func (r Rounding) apply(d decimal.Decimal, places int32) decimal.Decimal {
	switch r {
	case HalfEven:
		return d.RoundBank(places)
	case Down:
		return d.RoundDown(places)
	case Floor:
		return d.RoundFloor(places)
	case Ceiling:
		return d.RoundCeil(places)
	}
	return d.Round(places)
}

// Formatter presents money for people. The zero Formatter writes whole
// pounds with a "£" sign and thousands separators, rounding halves away from
// zero: £1,234,568. Presentation never changes the amounts a model holds.
type Formatter struct {
	Scale      Scale    // default ScalePounds
	Places     int32    // decimal places shown in Scale; default 0; negative values count as 0
	Rounding   Rounding // default HalfUp
	NoSymbol   bool     // omit the "£"; default false (shown)
	NoGrouping bool     // omit thousands separators; default false (shown)
}

// Validate reports a Formatter whose Scale or Rounding is not one of the
// named constants (wrapping ErrRange). Format still writes such a value, in
// pounds, marked "%!scale(N)" as fmt marks a bad verb, rather than panic.
func (f Formatter) Validate() error {
	var errs []string
	if !f.Scale.valid() {
		errs = append(errs, fmt.Sprintf("scale %d: want ScalePounds, ScaleThousands, ScaleMillions or ScaleBillions", int(f.Scale)))
	}
	if f.Places > maxPlaces {
		errs = append(errs, fmt.Sprintf("places %d: want at most %d (more are shown as %d)", f.Places, maxPlaces, maxPlaces))
	}
	if f.Rounding < HalfUp || f.Rounding > Ceiling {
		errs = append(errs, fmt.Sprintf("rounding %d: want HalfUp, HalfEven, Down, Floor or Ceiling", int(f.Rounding)))
	}
	if len(errs) > 0 {
		return fmt.Errorf("formatter: %w: %s", ErrRange, strings.Join(errs, "; "))
	}
	return nil
}

// maxPlaces bounds decimal places in presentation: more than any amount has.
const maxPlaces = 30

func (f Formatter) places() int32 {
	return clampPlaces(f.Places, 0)
}

// clampPlaces keeps places within [lo, maxPlaces], so that a wild value
// cannot make formatting run for ever.
func clampPlaces(p, lo int32) int32 {
	switch {
	case p < lo:
		return lo
	case p > maxPlaces:
		return maxPlaces
	}
	return p
}

// Round returns m rounded as f would show it, in pounds (so £1,234,567 with
// ScaleMillions and 1 place is £1,200,000).
func (f Formatter) Round(m Money) Money {
	e := f.Scale.exp()
	return MoneyFromDecimal(f.Rounding.apply(m.Decimal().Shift(-e), f.places()).Shift(e))
}

// Format writes m in f's unit, places and rounding: "£1,234.6m", "-£0.3bn".
func (f Formatter) Format(m Money) string {
	v := f.Rounding.apply(m.Decimal().Shift(-f.Scale.exp()), f.places())
	return f.write(v)
}

func (f Formatter) write(v decimal.Decimal) string {
	neg := v.IsNegative()
	s := v.Abs().StringFixed(f.places())
	if !f.NoGrouping {
		s = group(s)
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	if !f.NoSymbol {
		b.WriteString("£")
	}
	b.WriteString(s)
	b.WriteString(f.Scale.suffix())
	return b.String()
}

// group inserts commas every three digits of the integer part of an unsigned number.
func group(s string) string {
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return s
	}
	var b strings.Builder
	lead := len(intPart) % 3
	if lead > 0 {
		b.WriteString(intPart[:lead])
	}
	for i := lead; i < len(intPart); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	return b.String() + frac
}

// RoundParts rounds each part to f's unit and places so that the rounded
// parts add up exactly to the rounded total of the unrounded parts, the way
// published tables are made to reconcile (the largest remainder method).
// Each part is first rounded towards minus infinity; the units still needed
// to reach the rounded total go one each to the parts with the largest
// remainders, ties to the earlier part. The results are in pounds, like
// Formatter.Round; f.Rounding applies to the total only.
func (f Formatter) RoundParts(parts []Money) []Money {
	e := f.Scale.exp() - f.places() // the rounding step is 10^e pounds
	var total, floorSum dec.D
	out := make([]Money, len(parts)) // the floors, in steps, until the end
	rems := make([]dec.D, len(parts))
	order := make([]int32, len(parts))
	for i, p := range parts {
		pd := dec.D(p)
		total = total.Add(pd)
		scaled := pd.Shift(-e)
		fl := scaled.Floor()
		out[i] = Money(fl)
		rems[i] = scaled.Sub(fl)
		order[i] = int32(i)
		floorSum = floorSum.Add(fl)
	}
	var target dec.D
	if f.Rounding == HalfUp {
		target = total.Shift(-e).Round(0)
	} else {
		target = dec.From(f.Rounding.apply(total.Shift(-e).Decimal(), 0))
	}
	need, _ := target.Sub(floorSum).Int64() // 0 <= need <= len(parts) for HalfUp
	// Largest remainder first; of equal remainders, the earlier part first.
	// Sorting the indices moves no decimals.
	slices.SortFunc(order, func(a, b int32) int {
		if c := rems[b].Cmp(rems[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for k, i := range order {
		v := dec.D(out[i])
		if int64(k) < need {
			v = v.Add(oneDec)
		}
		out[i] = Money(v.Shift(e))
	}
	return out
}

// FormatShare writes a share as a percentage with the given places: "5.20%".
func FormatShare(s Share, places int32) string {
	return s.d.Shift(2).StringFixed(clampPlaces(places, 0)) + "%"
}

// FormatPercent writes a fraction as a signed percentage: "+4.37%", "-0.50%".
func FormatPercent(d decimal.Decimal, places int32) string {
	s := d.Shift(2).StringFixed(clampPlaces(places, 0))
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	return s + "%"
}

var _ fmt.Stringer = Scale(0)

// String is "pounds", "thousands", "millions" or "billions".
func (u Scale) String() string {
	if !u.valid() {
		return fmt.Sprintf("Scale(%d)", int(u))
	}
	return [...]string{"pounds", "thousands", "millions", "billions"}[u]
}

// FormatCount writes a count (QALYs, people) to the nearest whole one,
// with thousands separators: 200846.88 is "200,847".
func FormatCount(v decimal.Decimal) string {
	return Formatter{NoSymbol: true}.Format(MoneyFromDecimal(v.Round(0)))
}

// FormatAbout writes a count for a sentence, to three significant
// figures: 200,847 is "201,000"; below 1,000 whole.
func FormatAbout(v decimal.Decimal) string {
	digits := len(v.Truncate(0).Abs().String())
	if digits <= 3 {
		return FormatCount(v)
	}
	return FormatCount(v.Shift(int32(3 - digits)).Round(0).Shift(int32(digits - 3)))
}
