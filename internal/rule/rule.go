// Package rule states the model's arithmetic once, for both of its
// evaluators: the exact ledger (Run), which computes in decimal.Decimal,
// rounds as NHS England's workbooks and published tables do, and splits
// totals into parts that add up; and the float evaluator of Simulate's
// draws, which needs the width of a histogram bin, not the penny.
//
// Each rule is a generic function over Num, the arithmetic it is written
// in. The ledger instantiates it with decimal.Decimal, whose methods are
// Num's. The draws call its float64 form, generated from the same source
// (rule_f64.go, by go generate; CI checks it is current): each method
// becomes its operator, DivRound becomes division and Round does nothing,
// so the float form is the rule without the ledger's rounding, at the
// speed of plain float64 code. TestFloatFormIsTheRule checks the two forms
// agree.
//
// What each evaluator keeps of its own is its number system: the ledger's
// rounding of parts to £1k and to the penny by largest remainder, and
// where it rounds to 10 places; the float evaluator's histograms and draws.
// The rules' decisions (which items fold, which growth is in cash, the
// share of each year, the grant's floors) are stated in alloc and
// prevention and read by both.
package rule

//go:generate go run ./gen

// Num is the arithmetic a rule is written in. decimal.Decimal has these
// methods; the generated float64 form replaces each by its operator.
type Num[N any] interface {
	Add(N) N
	Sub(N) N
	Mul(N) N
	// DivRound is the quotient rounded half away from zero to places
	// (in float64, the quotient).
	DivRound(N, int32) N
	// Round rounds half away from zero to places (in float64, nothing).
	Round(int32) N
	Neg() N
	Sign() int
	Cmp(N) int
}

// Compound is the rate of two rates applied in turn, (1 + r) x (1 + o) -
// 1, to places: real growth and inflation make cash growth.
func Compound[N Num[N]](r, o, one N, places int32) N {
	return one.Add(r).Mul(one.Add(o)).Sub(one).Round(places)
}

// Rebase is an amount in the prices of another year: m x the deflator's
// index of that year (to) / its index of the amount's year (from), to
// places. Real terms, and a grant held flat in real terms, are rebased.
func Rebase[N Num[N]](m, to, from N, places int32) N {
	return m.Mul(to).DivRound(from, places)
}

// Share is the prevention share in a year for a baseline share s0 under
// the year's share rule (prevention.Shift.ShareRule): add + times x s0.
// Both evaluators take it to a share's 10 places: on a small shift the
// eleventh place of a share times a budget is more than a millionth of the
// shift.
func Share[N Num[N]](s0, add, times N) N {
	return s0.Mul(times).Add(add)
}

// Policy is a convergence policy's fractions and caps
// (alloc.ConvergencePolicy) in a rule's arithmetic.
type Policy[N Num[N]] struct {
	AboveFraction, AboveCap, BelowFraction, BelowCap N
}

// Adjustment is the convergence adjustment for a distance from target dft,
// rounded to places: above target (dft > 0), -dft x AboveFraction, no
// lower than -AboveCap; below it, -dft x BelowFraction, no higher than
// BelowCap; at target, zero. NHS England's rule in its allocation
// workbooks (alloc.ConvergencePolicy).
func Adjustment[N Num[N]](dft N, p Policy[N], places int32) N {
	if dft.Sign() > 0 { // above target: reduce by the fraction of the distance, at most the cap
		c := dft.Mul(p.AboveFraction)
		if c.Cmp(p.AboveCap) > 0 {
			return p.AboveCap.Neg()
		}
		return c.Round(places).Neg()
	}
	if dft.Sign() < 0 { // below target: dft is negative, so -dft x fraction is the gain
		c := dft.Mul(p.BelowFraction).Neg()
		if c.Cmp(p.BelowCap) > 0 {
			return p.BelowCap
		}
		return c.Round(places)
	}
	var zero N
	return zero
}

// Converge is one ICB's step in a converging round: its distance from
// target dft = (base - target) / target (to places), its baseline uplifted
// by the growth factor (to upliftPlaces), its allocation before the round
// is scaled to England's quantum, uplift x (1 + the policy's adjustment)
// (to upliftPlaces), and its target grown by the factor for the next year
// (to places). The allocation is then the ICB's part of England's
// uplifted baselines in proportion to pre: the ledger's largest remainder
// to £1k, or the float evaluator's plain scaling.
func Converge[N Num[N]](base, target, factor, one N, p Policy[N], places, upliftPlaces int32) (dft, uplift, pre, grown N) {
	dft = base.Sub(target).DivRound(target, places)
	uplift = base.Mul(factor).Round(upliftPlaces)
	pre = uplift.Mul(one.Add(Adjustment(dft, p, places))).Round(upliftPlaces)
	grown = target.Mul(factor).Round(places)
	return dft, uplift, pre, grown
}

// Grow is x x factor rounded to places: a baseline uplifted by its growth
// factor (1 + growth), a non-recurrent item grown with its stream, last
// year's targets carried to this year's baselines.
func Grow[N Num[N]](x, factor N, places int32) N {
	return x.Mul(factor).Round(places)
}

// Split is an area's year under the funding rule, from its budget base b,
// its prevention spending prev (b x the year's share) and the
// counterfactual cf (b x the baseline share): the shift is prev - cf;
// within the envelope (additional false) the budget is b and treatment
// spending b - prev, falling by the shift; with additional money the
// budget is b + shift and treatment spending b - cf, unchanged.
func Split[N Num[N]](b, prev, cf N, additional bool) (budget, shift, treatment N) {
	shift = prev.Sub(cf)
	if additional {
		return b.Add(shift), shift, b.Sub(cf)
	}
	return b, shift, b.Sub(prev)
}

// QALYs are the health a year's shift buys: the QALYs it gains, shift /
// the cost of a QALY of public health spending; within the envelope
// (envelope true) the QALYs it forgoes, shift / the cost of a QALY of NHS
// spending, as treatment falls by the shift; net, gained - forgone; and
// worth, net x the value of a QALY, in the year's cash (to valuePlaces).
// The costs are in the prices of a year of index costIndex and the value
// in those of valueIndex: each is rebased to the year's prices (index).
// Other figures are to places.
func QALYs[N Num[N]](shift, phCost, nhsCost, value, index, costIndex, valueIndex N, envelope bool, places, valuePlaces int32) (gained, forgone, net, worth N) {
	ph := Rebase(phCost, index, costIndex, places)
	gained = shift.DivRound(ph, places)
	if envelope {
		forgone = shift.DivRound(Rebase(nhsCost, index, costIndex, places), places)
	}
	net = gained.Sub(forgone)
	worth = net.Mul(value).Mul(index).DivRound(valueIndex, places).Round(valuePlaces)
	return gained, forgone, net, worth
}

// Arrives reports whether a return arrives age years after the year of
// the shift that pays for it: from lag years after, for spread years.
func Arrives(age, lag, spread int) bool { return age >= lag && age < lag+spread }

// Benefits sets out[t] to the return arriving in year t from the shifts of
// years 0 to t: each shift x (1 + roi) / spread in each of the spread
// years from lag years after it (spreadN is spread as a number), to
// places; the return per pound, (1 + roi) / spread, is taken to
// perPlaces. Returns that would arrive after the last year are not
// counted.
func Benefits[N Num[N]](out, shift []N, roi, one, spreadN N, lag, spread int, perPlaces, places int32) {
	per := roi.Add(one).DivRound(spreadN, perPlaces)
	for t := range out {
		var sum N
		for j := 0; j <= t; j++ {
			if Arrives(t-j, lag, spread) {
				sum = sum.Add(shift[j])
			}
		}
		out[t] = sum.Mul(per).Round(places)
	}
}

// Restored is the cash grant in a year that restores the 2015/16 grant per
// resident in real terms: g15 x (the deflator's index of the year / its
// index of 2015/16) x (the year's residents / 2015/16's), to places.
func Restored[N Num[N]](g15, index, residents, index15, residents15 N, places int32) N {
	return g15.Mul(index).Mul(residents).DivRound(index15.Mul(residents15), places)
}

// HonourFloor meets a published floor on the grant over several years
// (amounts, one a year): where they add up to less than bound, the years a
// rule sets (ruled) are raised in proportion to themselves so that all add
// up to bound: each ruled amount x need / their sum, to places, where need
// is their sum plus the shortfall; the last ruled year takes the rest. It
// reports whether it raised them (not where the floor holds, or no ruled
// year has money to raise).
func HonourFloor[N Num[N]](amounts []N, ruled []bool, bound N, places int32) bool {
	var sum, projected N
	last := -1
	for k, a := range amounts {
		sum = sum.Add(a)
		if ruled[k] {
			projected, last = projected.Add(a), k
		}
	}
	if sum.Cmp(bound) >= 0 || projected.Sign() <= 0 {
		return false
	}
	need := projected.Add(bound.Sub(sum))
	rest := need
	for k, a := range amounts {
		if !ruled[k] {
			continue
		}
		if k == last {
			amounts[k] = rest
			break
		}
		amounts[k] = a.Mul(need).DivRound(projected, places)
		rest = rest.Sub(amounts[k])
	}
	return true
}

// ShareOut gives each part with a fixed share its share of total: out[i]
// = total x shares[i], to places, where fixed[i] (an ICB's published
// share of England's grant, prevention.ICBGrantShare). It returns the rest
// of total, which Proportional then splits over the other parts.
func ShareOut[N Num[N]](out []N, total N, shares []N, fixed []bool, places int32) (rest N) {
	rest = total
	for i := range out {
		if fixed[i] {
			out[i] = total.Mul(shares[i]).Round(places)
			rest = rest.Sub(out[i])
		}
	}
	return rest
}

// Proportional splits total over the parts not skipped (skip may be nil)
// in proportion to their weights: out[i] = total x weights[i] / the sum of
// those weights, to places. The grant goes to ICBs this way, by registered
// population, or by the shares of a year held. It reports false, and sets
// nothing, where those weights add up to zero or less. The ledger then
// rounds the parts to the penny by largest remainder, so that they add up
// to total (budget.Formatter.RoundParts).
func Proportional[N Num[N]](out []N, total N, weights []N, skip []bool, places int32) bool {
	var sum N
	for i, w := range weights {
		if skip == nil || !skip[i] {
			sum = sum.Add(w)
		}
	}
	if sum.Sign() <= 0 {
		return false
	}
	for i, w := range weights {
		if skip == nil || !skip[i] {
			out[i] = total.Mul(w).DivRound(sum, places)
		}
	}
	return true
}
