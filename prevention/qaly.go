package prevention

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/internal/rule"
)

// QALYs values the shift in health: the quality-adjusted life years that
// prevention spending above the counterfactual gains, at the marginal cost
// of a QALY from public health spending, and those that the treatment
// spending given up forgoes, at the marginal cost of a QALY from NHS
// spending (none with additional funding), each cost brought from its
// price year to the year's prices on the model's deflator; their net,
// valued at the Green Book's value of a QALY.
//
// The marginal costs are Martin, Lomas and Claxton's (BMJ Open 2020,
// e036411): about £3,800 a QALY from the local authority public health
// grant and about £13,500 from NHS spending, 2013/14. Applying the public
// health grant's marginal cost to NHS prevention spending assumes the NHS's
// extra prevention buys health as council public health does at the
// margin: the paper measured the grant, not NHS prevention, and what the
// shift would buy depends on what it is spent on. Within the envelope the
// shift is a transfer, so its net QALYs, and their value, are what a
// Green Book appraisal would set against zero.
type QALYs struct {
	Name string
	// PublicHealthCost and NHSCost are pounds a QALY, in Prices' prices.
	PublicHealthCost decimal.Decimal
	NHSCost          decimal.Decimal
	Prices           budget.Year
	// Value is pounds a QALY, in ValuePrices' prices.
	Value       decimal.Decimal
	ValuePrices budget.Year
	Source      string
}

// QALYsMartin2020 names the preset of the shipped parameters (qaly.*).
const QALYsMartin2020 = "martin-2020"

// Measures of QALYs (Result.Rows with Model.QALYs).
const (
	MeasureQALYsGained  budget.Measure = "qalys_gained"    // prevention spend above the counterfactual / public health cost per QALY
	MeasureQALYsForgone budget.Measure = "qalys_forgone"   // treatment spend given up / NHS cost per QALY
	MeasureQALYsNet     budget.Measure = "qalys_net"       // gained - forgone
	MeasureQALYValue    budget.Measure = "qalys_net_value" // net x the value of a QALY, pounds
)

// QALYRange is a cost per QALY's published range: the lowest, central and
// highest estimates, pounds in one price year.
type QALYRange struct {
	Low, Central, High decimal.Decimal
	Prices             budget.Year
	Source             string
}

// QALYsPreset returns the QALY valuation of the parameters qaly.*: the
// central costs per QALY, their price year, and the value of a QALY.
func QALYsPreset(p dataset.Parameters) (QALYs, error) {
	ph, err1 := QALYCostRange(p, "public_health")
	nhs, err2 := QALYCostRange(p, "nhs")
	valueM, err3 := p.Money("qaly.value")
	value := valueM.Decimal()
	var vp budget.Year
	var err4 error
	if v, err := p.Get("qaly.value"); err == nil {
		if vp, err4 = budget.ParseYear(v.Period); err4 != nil {
			err4 = p.Fail("qaly.value", fmt.Errorf("%w: give the price year of the value in period", err4))
		}
	}
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return QALYs{}, fmt.Errorf("QALYs: %w", err)
	}
	if ph.Prices != nhs.Prices {
		return QALYs{}, p.Fail("qaly.nhs.cost_per_qaly", fmt.Errorf("%w: the costs per QALY are in %s and %s prices: give them in one year's", ErrRange, ph.Prices, nhs.Prices))
	}
	q := QALYs{Name: QALYsMartin2020, PublicHealthCost: ph.Central, NHSCost: nhs.Central, Prices: ph.Prices, Value: value, ValuePrices: vp,
		Source: fmt.Sprintf("public health: %s; NHS: %s; value: %s", ph.Source, nhs.Source, p.Cite("qaly.value"))}
	if err := q.Validate(); err != nil {
		return QALYs{}, p.Fail("qaly.value", err)
	}
	return q, nil
}

// QALYCostRange reads a cost per QALY's range, qaly.WHICH.cost_per_qaly
// with .low and .high (which: public_health or nhs), all in one price
// year (period). A cost of zero or less, one under £100 (£k for pounds?),
// or a range that does not contain its centre, is an error naming the
// parameter.
func QALYCostRange(p dataset.Parameters, which string) (QALYRange, error) {
	id := "qaly." + which + ".cost_per_qaly"
	var r QALYRange
	var errs []error
	for _, c := range []struct {
		id string
		v  *decimal.Decimal
	}{{id, &r.Central}, {id + ".low", &r.Low}, {id + ".high", &r.High}} {
		m, err := p.Money(c.id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		v := m.Decimal()
		if err := checkCostPerQALY(v); err != nil {
			errs = append(errs, p.Fail(c.id, err))
			continue
		}
		*c.v = v
		pv, _ := p.Get(c.id)
		y, err := budget.ParseYear(pv.Period)
		if err != nil {
			errs = append(errs, p.Fail(c.id, fmt.Errorf("%w: give the price year of the cost in period", err)))
			continue
		}
		if r.Prices.IsZero() {
			r.Prices = y
		} else if y != r.Prices {
			errs = append(errs, p.Fail(c.id, fmt.Errorf("%w: in %s prices, the central cost in %s: give the range in one year's prices", ErrRange, y, r.Prices)))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return QALYRange{}, err
	}
	if r.Low.GreaterThan(r.Central) || r.High.LessThan(r.Central) {
		return QALYRange{}, p.Fail(id, fmt.Errorf("%w: the range %s to %s does not contain the central cost %s", ErrRange, r.Low, r.High, r.Central))
	}
	r.Source = p.Cite(id) + "; range " + p.Cite(id+".low") + " to " + p.Cite(id+".high")
	return r, nil
}

// checkCostPerQALY refuses a cost per QALY that is not positive, or is
// under £100 (a figure in £k), or over £1m (in pence).
func checkCostPerQALY(v decimal.Decimal) error {
	switch {
	case v.Sign() <= 0:
		return fmt.Errorf("%w: a cost per QALY of %s: it must be more than zero", ErrRange, v)
	case v.LessThan(decimal.NewFromInt(100)):
		return fmt.Errorf("%w: a cost per QALY of £%s: give it in pounds (£3,800, not 3.8 for £k)", ErrRange, v)
	case v.GreaterThan(decimal.NewFromInt(1_000_000)):
		return fmt.Errorf("%w: a cost per QALY of £%s: over £1m; give it in pounds", ErrRange, v)
	}
	return nil
}

// Validate checks the costs and the value: more than zero, in pounds (a
// value of a QALY under £1,000 is £k), with price years.
func (q QALYs) Validate() error {
	var errs []error
	for _, c := range []struct {
		name string
		v    decimal.Decimal
	}{{"public health cost per QALY", q.PublicHealthCost}, {"NHS cost per QALY", q.NHSCost}} {
		if err := checkCostPerQALY(c.v); err != nil {
			errs = append(errs, fmt.Errorf("QALYs: %s: %w", c.name, err))
		}
	}
	switch {
	case q.Value.Sign() <= 0:
		errs = append(errs, fmt.Errorf("QALYs: value of a QALY %s: %w: it must be more than zero", q.Value, ErrRange))
	case q.Value.LessThan(decimal.NewFromInt(1000)):
		errs = append(errs, fmt.Errorf("QALYs: value of a QALY £%s: %w: give it in pounds (£70,000, not 70 for £k)", q.Value, ErrRange))
	}
	if q.Prices.IsZero() || q.ValuePrices.IsZero() {
		errs = append(errs, fmt.Errorf("QALYs: %w: the costs' and the value's price years", ErrNoData))
	}
	return errors.Join(errs...)
}

// qalys returns the QALYs an area gains, forgoes and nets in year y from
// its shift, and their value in cash: the costs and the value brought to
// y's prices by the model's deflator.
func (r *Result) qalys(v Values, y budget.Year) (gained, forgone, net decimal.Decimal, value budget.Money, err error) {
	q := r.Model.QALYs
	iy, _, err := r.Model.Deflator.Index(y)
	if err != nil {
		return decimal.Zero, decimal.Zero, decimal.Zero, budget.Money{}, err
	}
	ip, _, err := r.Model.Deflator.Index(q.Prices)
	if err != nil {
		return decimal.Zero, decimal.Zero, decimal.Zero, budget.Money{}, fmt.Errorf("QALYs: the costs' prices, %s: %w", q.Prices, err)
	}
	iv, _, err := r.Model.Deflator.Index(q.ValuePrices)
	if err != nil {
		return decimal.Zero, decimal.Zero, decimal.Zero, budget.Money{}, fmt.Errorf("QALYs: the value's prices, %s: %w", q.ValuePrices, err)
	}
	gained, forgone, net, worth := rule.QALYs(v.Shift.Decimal(), q.PublicHealthCost, q.NHSCost, q.Value, iy, ip, iv,
		r.Model.Funding == WithinEnvelope, budget.WorkingScale, 2)
	return gained, forgone, net, budget.MoneyFromDecimal(worth), nil
}

// QALYs returns an area's QALYs gained, forgone and net in year y, and
// the net's value in cash, with Model.QALYs set; ok is false without it.
func (r *Result) QALYs(area string, y budget.Year) (gained, forgone, net decimal.Decimal, value budget.Money, ok bool, err error) {
	if r == nil || r.Model.QALYs == nil {
		return decimal.Zero, decimal.Zero, decimal.Zero, budget.Money{}, false, nil
	}
	v, err := r.Values(area, y)
	if err != nil {
		return decimal.Zero, decimal.Zero, decimal.Zero, budget.Money{}, false, err
	}
	gained, forgone, net, value, err = r.qalys(v, y)
	return gained, forgone, net, value, err == nil, err
}
