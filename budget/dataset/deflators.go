package dataset

import (
	"fmt"
	"io"
	"sort"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/internal/table"
)

// deflatorsColumns are the columns of DeflatorsFile, in order (Columns).
func deflatorsColumns() []string {
	return []string{"year", "deflator", "vintage", "measure", "value", "status", "source"}
}

// indexBase is the year in which loaded deflators are 100 (when they cover
// it). Real-terms figures do not depend on it: they are rebased to the year
// whose prices they are in.
var indexBase = budget.MustYear("2024/25")

// Deflators holds the deflators of a deflators file, by name and vintage.
type Deflators struct {
	list []budget.Deflator
	rows [][]string // as read, for writing back
}

// ReadDeflators reads a deflators file (see ReadDeflators) and chains each
// deflator-vintage's changes into an index that is 100 in 2024/25 (or in its
// first year, if it does not cover 2024/25).
//
// Its columns, in order (Columns):
//
//	year      financial year
//	deflator  the deflator's name, such as gdp
//	vintage   the forecast or release it comes from, such as obr-2025-11
//	measure   pct_change: the per cent change on the year before
//	value     a plain number
//	status    published (outturn) or projected (forecast)
//	source    a source ID
//
// Each deflator-vintage must cover a contiguous run of years.
func ReadDeflators(r io.Reader, name string) (Deflators, error) {
	type acc struct {
		name, vintage, source string
		years                 []budget.Year
		changes               []budget.Rate
		status                []budget.Status
		lines                 []int
	}
	var order []string
	accs := map[string]*acc{}
	var out Deflators
	err := table.Each(r, name, deflatorsColumns(), func(rw table.Row) error {
		y, err := rw.Year("year")
		if err != nil {
			return err
		}
		dn, err := rw.Code("deflator")
		if err != nil {
			return err
		}
		vn, err := rw.NonEmpty("vintage")
		if err != nil {
			return err
		}
		if rw.Get("measure") != "pct_change" {
			return rw.Fail("measure", fmt.Errorf("%w: want pct_change", budget.ErrUnknown))
		}
		v, err := rw.Decimal("value")
		if err != nil {
			return err
		}
		rate, err := budget.RatePercent(v)
		if err != nil {
			return rw.Fail("value", err)
		}
		// A price index that halves or doubles in a year is not a GDP
		// deflator, and one near -100% would divide real terms by zero.
		if v.LessThanOrEqual(decimal.NewFromInt(-50)) || v.GreaterThanOrEqual(decimal.NewFromInt(100)) {
			return rw.Fail("value", fmt.Errorf("%w: a deflator's change on the year before, in per cent, from -50 to 100 (2.1 is 2.1%%)", budget.ErrRange))
		}
		st, err := rw.Status("status")
		if err != nil {
			return err
		}
		src, err := rw.NonEmpty("source")
		if err != nil {
			return err
		}
		k := dn + "|" + vn
		a := accs[k]
		if a == nil {
			a = &acc{name: dn, vintage: vn, source: src}
			accs[k] = a
			order = append(order, k)
		}
		if n := len(a.years); n > 0 {
			prev := a.years[n-1]
			switch {
			case y == prev || y.Before(prev):
				return rw.Fail("year", fmt.Errorf("%w: %s %s years must rise one at a time; %s follows %s (line %d)", budget.ErrGap, dn, vn, y, prev, a.lines[n-1]))
			case y != prev.Next():
				return rw.Fail("year", fmt.Errorf("%w: %s %s jumps from %s to %s", budget.ErrGap, dn, vn, prev, y))
			}
		}
		a.years = append(a.years, y)
		a.changes = append(a.changes, rate)
		a.status = append(a.status, st)
		a.lines = append(a.lines, rw.Line())
		out.rows = append(out.rows, []string{y.String(), dn, vn, "pct_change", budget.FormatDecimal(v, 0), st.String(), src})
		return nil
	})
	if err != nil {
		return Deflators{}, err
	}
	for _, k := range order {
		a := accs[k]
		base := indexBase
		span, err := budget.NewSpan(a.years[0], a.years[len(a.years)-1])
		if err != nil {
			return Deflators{}, err
		}
		if !span.Contains(base) {
			base = a.years[0]
		}
		d, err := budget.NewDeflatorFromChanges(a.name, a.vintage, a.years[0], a.changes, base)
		if err != nil {
			return Deflators{}, &budget.FileError{File: name, Line: a.lines[0], Err: err}
		}
		d, _ = d.WithStatus(a.status)
		d = d.WithSource(a.source)
		out.list = append(out.list, d)
	}
	return out, nil
}

// Get returns the deflator of a name and vintage, or an error wrapping
// budget.ErrUnknown that lists what there is.
func (ds Deflators) Get(name, vintage string) (budget.Deflator, error) {
	for _, d := range ds.list {
		if d.Name() == name && d.Vintage() == vintage {
			return d, nil
		}
	}
	var have []string
	for _, d := range ds.list {
		have = append(have, d.Name()+" "+d.Vintage())
	}
	sort.Strings(have)
	return budget.Deflator{}, fmt.Errorf("deflator %s %s: %w; have %v", name, vintage, budget.ErrUnknown, have)
}

// List returns the deflators in file order.
func (ds Deflators) List() []budget.Deflator { return append([]budget.Deflator(nil), ds.list...) }

// Write writes ds as a deflators file that ReadDeflators reads back unchanged.
func (ds Deflators) Write(w io.Writer) error {
	return budget.WriteTable(w, deflatorsColumns(), ds.rows)
}

// Sources lists where figures come from, by ID.
type Sources struct {
	list []budget.Source
}

// sourcesColumns are the columns of SourcesFile, in order (Columns).
func sourcesColumns() []string { return []string{"id", "title", "url", "published", "note"} }

// ReadSources reads a sources file.
//
// Its columns, in order (Columns):
// published (YYYY-MM-DD, YYYY-MM, YYYY or empty) and note.
func ReadSources(r io.Reader, name string) (Sources, error) {
	var s Sources
	seen := map[string]int{}
	err := table.Each(r, name, sourcesColumns(), func(rw table.Row) error {
		id, err := rw.NonEmpty("id")
		if err != nil {
			return err
		}
		if l, dup := seen[id]; dup {
			return rw.Fail("id", fmt.Errorf("%w: also on line %d", budget.ErrDuplicate, l))
		}
		seen[id] = rw.Line()
		title, err := rw.NonEmpty("title")
		if err != nil {
			return err
		}
		s.list = append(s.list, budget.Source{ID: id, Title: title, URL: rw.Get("url"), Published: rw.Get("published"), Note: rw.Get("note")})
		return nil
	})
	if err != nil {
		return Sources{}, err
	}
	return s, nil
}

// Get returns the source with an ID, or an error wrapping budget.ErrUnknown.
func (s Sources) Get(id string) (budget.Source, error) {
	for _, v := range s.list {
		if v.ID == id {
			return v, nil
		}
	}
	return budget.Source{}, fmt.Errorf("source %q: %w", id, budget.ErrUnknown)
}

// List returns the sources in file order.
func (s Sources) List() []budget.Source { return append([]budget.Source(nil), s.list...) }

// Write writes s as a sources file.
func (s Sources) Write(w io.Writer) error {
	rows := make([][]string, len(s.list))
	for i, v := range s.list {
		rows[i] = []string{v.ID, v.Title, v.URL, v.Published, v.Note}
	}
	return budget.WriteTable(w, sourcesColumns(), rows)
}

// EnglandTotal is a published England-level figure from NHS England's
// allocation workbooks, kept to reconcile the ICB figures against.
type EnglandTotal struct {
	Year    budget.Year
	Measure string       // the workbook's own description
	Amount  budget.Money // pounds
	Scope   string
	Source  string
	Note    string
}

// englandTotalsColumns are the columns of EnglandTotalsFile, in order (Columns).
func englandTotalsColumns() []string {
	return []string{"year", "measure", "value", "scope", "source", "note"}
}

// ReadEnglandTotals reads an England totals file.
func ReadEnglandTotals(r io.Reader, name string) ([]EnglandTotal, error) {
	var out []EnglandTotal
	type key struct {
		year           budget.Year
		measure, scope string
	}
	seen := map[key]int{}
	err := table.Each(r, name, englandTotalsColumns(), func(rw table.Row) error {
		var e EnglandTotal
		var err error
		if e.Year, err = rw.Year("year"); err != nil {
			return err
		}
		if e.Measure, err = rw.NonEmpty("measure"); err != nil {
			return err
		}
		v, err := rw.Decimal("value")
		if err != nil {
			return err
		}
		e.Amount = budget.MoneyFromDecimal(v)
		e.Scope, e.Note = rw.Get("scope"), rw.Get("note")
		if e.Source, err = rw.NonEmpty("source"); err != nil {
			return err
		}
		// A total twice would be reconciled against one of its values only.
		k := key{e.Year, e.Measure, e.Scope}
		if line, dup := seen[k]; dup {
			return rw.Fail("measure", fmt.Errorf("%w: %s %q is also on line %d", budget.ErrDuplicate, e.Year, clip.Clip(e.Measure), line))
		}
		seen[k] = rw.Line()
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WriteEnglandTotals writes totals as an England totals file.
func WriteEnglandTotals(w io.Writer, totals []EnglandTotal) error {
	rows := make([][]string, len(totals))
	for i, e := range totals {
		rows[i] = []string{e.Year.String(), e.Measure, budget.FormatDecimal(e.Amount.Decimal(), 0), e.Scope, e.Source, e.Note}
	}
	return budget.WriteTable(w, englandTotalsColumns(), rows)
}
