package dataset

import (
	"fmt"
	"io"
	"iter"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/internal/enum"
	"github.com/upstream-health/upstream/internal/table"
)

// GrantVintage says how final a published public health grant figure is.
// Later vintages supersede earlier ones for the same year and measure.
type GrantVintage int

const (
	Indicative       GrantVintage = iota + 1 // published ahead as an indication
	Announced                                // announced with the year's allocations
	Confirmed                                // confirmed in the year's circular
	Revised                                  // revised in year (pay awards)
	RestatedBaseline                         // restated later as a baseline
	LowerBound                               // a stated minimum ("more than")
	Reported                                 // reported by a third party
)

var vintageNames = enum.NewNames[GrantVintage]("grant vintage", Indicative, "indicative", Announced, "announced", Confirmed, "confirmed",
	Revised, "revised", RestatedBaseline, "restated", LowerBound, "lower_bound", Reported, "reported")

// String is the vintage's name in data files.
func (v GrantVintage) String() string { return vintageNames.Name(v) }

// parseGrantVintage reads a vintage name as String writes it.
func parseGrantVintage(s string) (GrantVintage, error) { return vintageNames.Parse(s) }

// GrantFigure is one published figure for the local authority public health
// grant in England: the grant total of a year ("total"), a total over
// several years ("total_multi_year"), or a named component. LikeForLike is
// false where the scope changed (the 2026/27 consolidation of other grants).
type GrantFigure struct {
	Span        budget.Span
	Measure     string
	Vintage     GrantVintage
	Amount      budget.Money // cash, pounds
	LikeForLike bool
	Note        string
	Source      string
}

// grantColumns are the columns of GrantFile, in order (Columns).
func grantColumns() []string {
	return []string{"year", "measure", "vintage", "value", "like_for_like", "note", "source"}
}

// Grant is the public health grant's published figures, every vintage kept.
type Grant struct {
	figures []GrantFigure
}

// ReadGrant reads a grant file (see ReadGrant); name is used in errors.
// A total must be a single year and not negative; the same
// year-measure-vintage twice is an error wrapping budget.ErrDuplicate.
//
// Its columns, in order (Columns):
//
//	year           a financial year ("2024/25") or a span ("2026/27-2028/29")
//	measure        "total", "total_multi_year" or a component name
//	vintage        indicative, announced, confirmed, revised, restated, lower_bound or reported
//	value          pounds, cash (a plain number)
//	like_for_like  true or false: comparable in scope with earlier years
//	note           free text: status as published and scope notes
//	source         a source ID
func ReadGrant(r io.Reader, name string) (Grant, error) {
	var g Grant
	seen := map[string]int{}
	err := table.Each(r, name, grantColumns(), func(rw table.Row) error {
		var f GrantFigure
		var err error
		if f.Span, err = rw.Span("year"); err != nil {
			return err
		}
		if f.Measure, err = rw.Code("measure"); err != nil {
			return err
		}
		if f.Vintage, err = parseGrantVintage(rw.Get("vintage")); err != nil {
			return rw.Fail("vintage", err)
		}
		v, err := rw.Decimal("value")
		if err != nil {
			return err
		}
		f.Amount = budget.MoneyFromDecimal(v)
		if f.Measure == "total" || f.Measure == "total_multi_year" {
			if v.IsNegative() {
				return rw.Fail("value", fmt.Errorf("%w: a grant total cannot be negative", budget.ErrNegative))
			}
			if (f.Measure == "total") != (f.Span.Len() == 1) {
				return rw.Fail("year", fmt.Errorf("%w: total is for one year, total_multi_year for several", budget.ErrRange))
			}
		}
		if f.LikeForLike, err = rw.Bool("like_for_like"); err != nil {
			return err
		}
		f.Note = rw.Get("note")
		if f.Source, err = rw.NonEmpty("source"); err != nil {
			return err
		}
		key := f.Span.String() + "|" + f.Measure + "|" + f.Vintage.String()
		if line, dup := seen[key]; dup {
			return rw.Fail("vintage", fmt.Errorf("%w: %s %s %s is also on line %d", budget.ErrDuplicate, f.Span, f.Measure, f.Vintage, line))
		}
		seen[key] = rw.Line()
		g.figures = append(g.figures, f)
		return nil
	})
	if err != nil {
		return Grant{}, err
	}
	return g, nil
}

// Figures returns every figure, in file order.
func (g Grant) Figures() []GrantFigure { return append([]GrantFigure(nil), g.figures...) }

// All yields the figures in file order, as Figures gives them, without
// copying the set: for a pass over every figure.
func (g Grant) All() iter.Seq[GrantFigure] {
	return func(yield func(GrantFigure) bool) {
		for i := range g.figures {
			if !yield(g.figures[i]) {
				return
			}
		}
	}
}

// Total returns the latest published grant total for year y: of its
// "total" figures, the one of the latest vintage (restated over revised
// over confirmed over announced over indicative). An error wraps budget.ErrNoData
// when the year has no total.
func (g Grant) Total(y budget.Year) (GrantFigure, error) {
	var best GrantFigure
	found := false
	for _, f := range g.figures {
		if f.Measure != "total" || f.Span.First() != y || f.Vintage > RestatedBaseline {
			continue
		}
		if !found || f.Vintage > best.Vintage {
			best, found = f, true
		}
	}
	if !found {
		return GrantFigure{}, fmt.Errorf("public health grant: no published total for %s: %w", y, budget.ErrNoData)
	}
	return best, nil
}

// Component returns the latest figure of a named measure for year y.
func (g Grant) Component(y budget.Year, measure string) (GrantFigure, error) {
	var best GrantFigure
	found := false
	for _, f := range g.figures {
		if f.Measure == measure && f.Span.First() == y && f.Span.Len() == 1 && (!found || f.Vintage > best.Vintage) {
			best, found = f, true
		}
	}
	if !found {
		return GrantFigure{}, fmt.Errorf("public health grant: no %s for %s: %w", measure, y, budget.ErrNoData)
	}
	return best, nil
}

// Years lists the years that have a total, in order.
func (g Grant) Years() []budget.Year {
	var out []budget.Year
	for _, f := range g.figures {
		if f.Measure == "total" && (len(out) == 0 || out[len(out)-1] != f.Span.First()) {
			out = append(out, f.Span.First())
		}
	}
	return out
}

// Write writes g as a grant file that ReadGrant reads back unchanged.
func (g Grant) Write(w io.Writer) error {
	rows := make([][]string, len(g.figures))
	for i, f := range g.figures {
		rows[i] = []string{f.Span.String(), f.Measure, f.Vintage.String(), budget.FormatDecimal(f.Amount.Decimal(), 0),
			fmt.Sprint(f.LikeForLike), f.Note, f.Source}
	}
	return budget.WriteTable(w, grantColumns(), rows)
}
