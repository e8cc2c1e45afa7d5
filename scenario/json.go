package scenario

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/alloc"
	"github.com/upstream-health/upstream/budget/dataset"
	"github.com/upstream-health/upstream/prevention"
)

// SchemaVersion is the version of the scenario file format Write writes.
// Read reads it and schema 1, the format before it, so that a schema 1
// file is migrated by reading it and writing it again. Schema 2 adds
// "area" (the ICB or council the scenario is for) and budget bases of
// one's own ({"name": ..., "streams": [...]}, beside the named ones).
const SchemaVersion = 2

// FieldError locates a problem in a scenario file: the file and the field
// path ("shift.reading"). It unwraps to the reason, which wraps one of the
// sentinels of package budget.
type FieldError struct {
	File  string
	Field string
	Err   error
}

func (e *FieldError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("field %q: %v", e.Field, e.Err)
	}
	return fmt.Sprintf("%s: field %q: %v", e.File, e.Field, e.Err)
}

// Unwrap returns the reason.
func (e *FieldError) Unwrap() error { return e.Err }

type fileDeflator struct {
	Name    string `json:"name"`
	Vintage string `json:"vintage"`
}

type fileBaseline struct {
	Name            string            `json:"name,omitempty"`
	Value           string            `json:"value"`
	Source          string            `json:"source"`
	PerICB          map[string]string `json:"per_icb,omitempty"`
	IncludesCouncil bool              `json:"includes_council_spending,omitempty"`
}

type fileShift struct {
	Size     string `json:"size"`
	Reading  string `json:"reading"`
	BaseYear string `json:"base_year"`
	Span     string `json:"span"`
	Profile  string `json:"profile"`
}

type fileGrant struct {
	Rule      string            `json:"rule"`
	Rate      string            `json:"rate,omitempty"`
	Series    map[string]string `json:"series,omitempty"` // user: year -> pounds, cash
	Source    string            `json:"source,omitempty"`
	Grant2015 string            `json:"grant_2015_16,omitempty"`
}

type fileBenefits struct {
	Name   string `json:"name,omitempty"`
	ROI    string `json:"roi"`
	Lag    *int   `json:"lag"`
	Spread *int   `json:"spread"`
	Source string `json:"source"`
}

type fileQALYs struct {
	Name             string `json:"name,omitempty"`
	PublicHealthCost string `json:"public_health_cost_per_qaly"`
	NHSCost          string `json:"nhs_cost_per_qaly"`
	Prices           string `json:"prices"`
	Value            string `json:"value_of_qaly"`
	ValuePrices      string `json:"value_prices"`
	Source           string `json:"source"`
}

type fileCouncils struct {
	Source       string              `json:"source"`
	Coverage     string              `json:"coverage"`
	Unreconciled bool                `json:"unreconciled,omitempty"`
	Allocations  []fileCouncilAmount `json:"allocations"`
}

type fileCouncilAmount struct {
	Year   string `json:"year"`
	Code   string `json:"council_code"`
	Name   string `json:"council_name"`
	Amount string `json:"amount"`
}

// fileScenario is the JSON form of a scenario: decimals as strings, so no
// figure passes through a float.
type fileScenario struct {
	Schema      int           `json:"schema,omitempty"` // omitted only for Hash
	Name        string        `json:"name"`
	Description string        `json:"description,omitempty"`
	Source      string        `json:"source,omitempty"`
	Base        string        `json:"base,omitempty"`
	Data        string        `json:"data"`
	Settlement  string        `json:"settlement"`
	Basis       *fileBasis    `json:"allocation_basis,omitempty"`
	Footprint   string        `json:"footprint,omitempty"`
	Deflator    fileDeflator  `json:"deflator"`
	BudgetBase  fileBase      `json:"budget_base"`
	Baseline    fileBaseline  `json:"baseline_share"`
	Shift       fileShift     `json:"shift"`
	Funding     string        `json:"funding"`
	Grant       fileGrant     `json:"grant"`
	Benefits    *fileBenefits `json:"benefits"`
	Discounting string        `json:"discounting"`
	PVBase      string        `json:"present_value_base,omitempty"`
	Horizon     string        `json:"horizon"`
	Uncertain   []Uncertain   `json:"uncertain"`
	Councils    *fileCouncils `json:"councils,omitempty"`
	QALYs       *fileQALYs    `json:"qalys,omitempty"`
	Area        string        `json:"area,omitempty"`
}

// fileBase is a budget base in a file: the name of one of
// prevention.Bases, or (schema 2) a base of one's own as its name and
// streams.
type fileBase prevention.Base

func (b fileBase) MarshalJSON() ([]byte, error) {
	if prevention.Base(b).Named() {
		return json.Marshal(b.Name)
	}
	return json.Marshal(struct {
		Name    string           `json:"name"`
		Streams []dataset.Stream `json:"streams"`
	}{b.Name, b.Streams})
}

func (s Scenario) file() fileScenario {
	f := fileScenario{Schema: SchemaVersion, Name: s.Name, Description: s.Description, Source: s.Source, Base: s.Base,
		Data: s.Data, Settlement: s.Settlement.String(), Basis: basisFile(s.AllocationBasis), Footprint: s.Footprint, Deflator: fileDeflator{s.Deflator.Name, s.Deflator.Vintage},
		BudgetBase: fileBase(s.BudgetBase), Area: s.Area, Funding: s.Funding.String(), Discounting: s.Discount.String(), Horizon: s.Horizon.String(),
		Baseline: fileBaseline{Name: s.Baseline.Name, Value: s.Baseline.Share.String(), Source: s.Baseline.Source, IncludesCouncil: s.Baseline.IncludesCouncil},
		Shift: fileShift{Size: s.Shift.Size.String(), Reading: s.Shift.Reading.String(), BaseYear: s.Shift.BaseYear.String(),
			Span: s.Shift.Span.String(), Profile: s.Shift.Profile.String()},
		Uncertain: s.Uncertain}
	if !s.PresentValueBase.IsZero() {
		f.PVBase = s.PresentValueBase.String()
	}
	if len(s.Baseline.PerICB) > 0 {
		f.Baseline.PerICB = map[string]string{}
		for k, v := range s.Baseline.PerICB {
			f.Baseline.PerICB[k] = v.String()
		}
	}
	rule, _ := s.Grant.Kind.MarshalText()
	f.Grant = fileGrant{Rule: string(rule), Source: s.Grant.Source}
	if s.Grant.Kind == prevention.GrowCash || !s.Grant.Rate.Decimal().IsZero() {
		f.Grant.Rate = s.Grant.Rate.String()
	}
	if len(s.Grant.Series) > 0 {
		f.Grant.Series = map[string]string{}
		for y, m := range s.Grant.Series {
			f.Grant.Series[y.String()] = m.String()
		}
	}
	if s.Grant2015 != nil {
		f.Grant.Grant2015 = s.Grant2015.String()
	}
	if q := s.QALYs; q != nil {
		f.QALYs = &fileQALYs{Name: q.Name, PublicHealthCost: q.PublicHealthCost.String(), NHSCost: q.NHSCost.String(), Prices: q.Prices.String(),
			Value: q.Value.String(), ValuePrices: q.ValuePrices.String(), Source: q.Source}
	}
	if c := s.Councils; c != nil {
		coverage := c.Coverage
		if coverage == "" {
			coverage = CouncilsAll
		}
		f.Councils = &fileCouncils{Source: c.Source, Coverage: coverage, Unreconciled: c.Unreconciled}
		for _, a := range c.Allocations {
			f.Councils.Allocations = append(f.Councils.Allocations, fileCouncilAmount{a.Year.String(), a.Code, a.Name, a.Amount.Decimal().StringFixed(2)})
		}
	}
	if s.Benefits != nil {
		lag, spread := s.Benefits.Lag, s.Benefits.Spread
		f.Benefits = &fileBenefits{Name: s.Benefits.Name, ROI: s.Benefits.ROI.String(), Lag: &lag, Spread: &spread, Source: s.Benefits.Source}
	}
	return f
}

// MarshalJSON writes the scenario in the file format (SchemaVersion).
func (s Scenario) MarshalJSON() ([]byte, error) { return json.Marshal(s.file()) }

// Write writes the scenario as an indented JSON file.
func Write(w io.Writer, s Scenario) error {
	if w == nil {
		return fmt.Errorf("writing scenario %q: %w: no writer (nil)", s.Name, budget.ErrFormat)
	}
	b, err := json.MarshalIndent(s.file(), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Hash is a short fingerprint of every assumption: the first 16 hex
// digits of the SHA-256 of the scenario's JSON. Equal scenarios have equal
// hashes on any machine.
func (s Scenario) Hash() string {
	f := s.file()
	f.Schema = 0 // the format's version is not an assumption
	b, _ := json.Marshal(f)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// MaxScenarioBytes is the most Read reads of a scenario file: 1 MiB, far
// more than a scenario needs. Past it Read stops and returns an error
// wrapping budget.ErrTooLarge.
const MaxScenarioBytes = 1 << 20

// Read reads a scenario file. A file either gives every field, or names a
// catalogue scenario as "base" and gives only the fields that differ.
// "schema" must be 1 or 2 (SchemaVersion). Every problem is reported at once, each a
// *FieldError naming the field: an unknown field (budget.ErrUnknown), a
// missing one, or a bad value. A "base" names a scenario of the catalogue
// built on the parameters p.
func Read(r io.Reader, file string, params dataset.Parameters) (Scenario, error) {
	if r == nil {
		return Scenario{}, &FieldError{File: file, Field: "(file)", Err: fmt.Errorf("%w: no reader (nil)", budget.ErrFormat)}
	}
	data, err := io.ReadAll(budget.LimitReader(r, file, MaxScenarioBytes))
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte-order mark written by some editors
	if err != nil {
		return Scenario{}, err // a *budget.FileError naming the file
	}
	if !utf8.Valid(data) {
		// encoding/json would read the bad bytes as U+FFFD, silently.
		line := 1 + bytes.Count(data[:firstInvalid(data)], []byte("\n"))
		return Scenario{}, &FieldError{File: file, Field: "(file)", Err: fmt.Errorf("%w: line %d is not UTF-8 text (save the file as UTF-8)", budget.ErrSyntax, line)}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return Scenario{}, syntaxError(file, data, err)
	}
	if top == nil {
		return Scenario{}, &FieldError{File: file, Field: "(file)", Err: fmt.Errorf("%w: want a JSON object", budget.ErrFormat)}
	}
	if err := duplicateKeys(file, data); err != nil {
		return Scenario{}, err
	}
	p := &parser{file: file, top: top}
	if p.need("schema") && p.decode("schema", &p.schema) && (p.schema < 1 || p.schema > SchemaVersion) {
		p.fail("schema", fmt.Errorf("%w: %d; this library reads schemas 1 and %d", budget.ErrRange, p.schema, SchemaVersion))
	}
	known := map[string]bool{}
	fields := []string{"schema", "name", "description", "source", "base", "data", "settlement", "allocation_basis", "footprint", "deflator", "budget_base",
		"baseline_share", "shift", "funding", "grant", "benefits", "discounting", "present_value_base", "horizon", "uncertain", "councils", "qalys", "area"}
	for _, k := range fields {
		known[k] = true
	}
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !known[k] {
			p.fail(k, fmt.Errorf("%w: not a scenario field; the fields are %s (go run ./examples/compare -schema prints them with their units)", budget.ErrUnknown, strings.Join(fields, ", ")))
		}
	}
	// A null inside an object or list would read as zero or an empty
	// string (a share of "", a ratio of ""): name it, and stop there.
	nulls := false
	for _, k := range keys {
		if raw := bytes.TrimSpace(top[k]); known[k] && k != "uncertain" && len(raw) > 0 && (raw[0] == '{' || raw[0] == '[') {
			for _, f := range nullPaths(top[k], k) {
				p.fail(f, fmt.Errorf("%w: null; give a value or leave the field out", budget.ErrSyntax))
				nulls = true
			}
		}
	}
	if nulls {
		return Scenario{}, joinCapped(p.errs)
	}
	var s Scenario
	var baseName string
	if _, ok := top["base"]; ok && p.decode("base", &baseName) {
		b, err := Find(params, baseName)
		if err != nil {
			p.fail("base", err)
		} else {
			s = Derive(b, "", "", "", nil)
		}
	}
	p.partial = baseName != ""
	s.given = map[string]bool{}
	for _, k := range keys {
		s.given[k] = known[k]
	}
	p.str("name", &s.Name, true)
	p.str("description", &s.Description, false)
	p.str("source", &s.Source, false)
	p.str("data", &s.Data, false)
	var settlement string
	if p.str("settlement", &settlement, !p.partial) {
		if n, err := alloc.ParseSettlement(settlement); err != nil {
			p.fail("settlement", err)
		} else {
			s.Settlement = n
		}
	}
	p.basis(&s)
	if p.str("footprint", &s.Footprint, false) && s.Footprint == "" {
		p.fail("footprint", fmt.Errorf("%w: empty; give a footprint (2026, 2022) or leave the field out", budget.ErrSyntax))
	}
	var fd fileDeflator
	if p.object("deflator", &fd) {
		s.Deflator = DeflatorRef(fd)
	}
	p.budgetBase(&s)
	if p.str("area", &s.Area, false) {
		switch {
		case p.schema < 2:
			p.fail("area", fmt.Errorf("%w: a field of schema 2; give \"schema\": 2", budget.ErrUnknown))
		case strings.TrimSpace(s.Area) == "":
			p.fail("area", fmt.Errorf("%w: empty; give an ICB or a council, or leave the field out for England", budget.ErrSyntax))
		}
	}
	p.baseline(&s)
	p.shift(&s)
	var funding string
	if p.str("funding", &funding, !p.partial) {
		if f, err := prevention.ParseFunding(funding); err != nil {
			p.fail("funding", err)
		} else {
			s.Funding = f
		}
	}
	p.grant(&s)
	p.benefits(&s)
	var disc string
	if p.str("discounting", &disc, !p.partial) {
		if d, err := ParseDiscount(disc); err != nil {
			p.fail("discounting", err)
		} else {
			s.Discount = d
		}
	}
	var pvBase string
	if p.str("present_value_base", &pvBase, false) {
		if y, err := budget.ParseYear(pvBase); err != nil {
			p.fail("present_value_base", err)
		} else {
			s.PresentValueBase = y
		}
	}
	var horizon string
	if p.str("horizon", &horizon, !p.partial) {
		if y, err := budget.ParseYear(horizon); err != nil {
			p.fail("horizon", err)
		} else {
			s.Horizon = y
		}
	}
	if _, ok := top["uncertain"]; ok {
		// Element by element, so that a problem names its index.
		var raws []json.RawMessage
		if p.object("uncertain", &raws) && raws != nil {
			us := make([]Uncertain, 0, len(raws))
			for i, raw := range raws {
				field := fmt.Sprintf("uncertain[%d]", i)
				if nulls := nullPaths(raw, field); len(nulls) > 0 {
					// encoding/json reads null as zero: 0% growth, not none.
					for _, f := range nulls {
						p.fail(f, fmt.Errorf("%w: null; give a value or leave the field out", budget.ErrSyntax))
					}
					continue
				}
				var u Uncertain
				if !p.decodeRaw(field, raw, &u) {
					continue
				}
				if err := u.Validate(); err != nil {
					p.fail(field, err)
				}
				us = append(us, u)
			}
			s.Uncertain = us
		}
	}
	p.councils(&s)
	p.qalys(&s)
	if baseName != "" {
		s.Base = baseName
	}
	if err := joinCapped(p.errs); err != nil {
		return Scenario{}, err
	}
	return s, nil
}

// firstInvalid is the offset of the first byte of b that is not UTF-8.
func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// maxListed is how many problems an error lists before giving a count.
const maxListed = 12

// joinCapped joins errs, the first maxListed of them and a count of the
// rest, so that a file with a hundred thousand bad entries gets a short
// message.
func joinCapped(errs []error) error {
	if len(errs) <= maxListed {
		return errors.Join(errs...)
	}
	kept := append(append([]error(nil), errs[:maxListed]...), fmt.Errorf("and %d more problems", len(errs)-maxListed))
	return errors.Join(kept...)
}

// syntaxError names the line and column of a JSON syntax error.
// duplicateKeys reports, all at once, every key that appears twice in one
// JSON object of data (encoding/json would keep the last silently), each
// as a *FieldError naming the field path.
func duplicateKeys(file string, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // numbers are checked where they are read, naming the field
	var errs []error
	var walk func(path string) error
	walk = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				key, _ := kt.(string)
				field := key
				if path != "" {
					field = path + "." + key
				}
				// Field names are lower case, matched exactly (encoding/json
				// would match "VALUE" to "value" and keep the last); the keys
				// of maps (ICB codes, years) keep their case.
				isMap := strings.HasSuffix(path, "per_icb") || strings.HasSuffix(path, "series")
				fold := key
				if !isMap {
					fold = strings.ToLower(key)
					if fold != key {
						errs = append(errs, &FieldError{File: file, Field: field, Err: fmt.Errorf("%w: field names are lower case (%q)", budget.ErrUnknown, fold)})
					}
				}
				if seen[fold] {
					errs = append(errs, &FieldError{File: file, Field: field, Err: fmt.Errorf("%w: the key appears twice in one object", budget.ErrDuplicate)})
				}
				seen[fold] = true
				if err := walk(field); err != nil {
					return err
				}
			}
			_, err = dec.Token() // }
			return err
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := walk(fmt.Sprintf("%s[%d]", path, i)); err != nil {
					return err
				}
			}
			_, err = dec.Token() // ]
			return err
		}
		return nil
	}
	if err := walk(""); err != nil {
		return syntaxError(file, data, err)
	}
	return errors.Join(errs...)
}

// jsonKind names a Go type as the JSON a file should hold there.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string (in quotes)"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint64:
		return "a whole number"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list [...]"
	case reflect.Map, reflect.Struct, reflect.Pointer:
		return "an object {...}"
	case reflect.Bool:
		return "true or false"
	}
	return "another kind of value"
}

func syntaxError(file string, data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:se.Offset], []byte("\n"))
		col := int(se.Offset) - bytes.LastIndexByte(data[:se.Offset], '\n') - 1
		return &FieldError{File: file, Field: fmt.Sprintf("(line %d, column %d)", line, col), Err: fmt.Errorf("%w: %v", budget.ErrSyntax, err)}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return &FieldError{File: file, Field: "(file)", Err: fmt.Errorf("%w: a JSON %s; a scenario file is one object {...} of fields", budget.ErrFormat, te.Value)}
	}
	return &FieldError{File: file, Field: "(file)", Err: fmt.Errorf("%w: %v", budget.ErrFormat, err)}
}

type parser struct {
	file    string
	top     map[string]json.RawMessage
	partial bool
	schema  int // the file's "schema"
	errs    []error
}

// budgetBase reads budget_base: a named base, or (schema 2) a base of
// one's own, {"name": ..., "streams": [...]}.
func (p *parser) budgetBase(s *Scenario) {
	raw, ok := p.top["budget_base"]
	if !ok {
		if !p.partial {
			p.need("budget_base")
		}
		return
	}
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' {
		if p.schema < 2 {
			p.fail("budget_base", fmt.Errorf("%w: a base of your own (an object) needs schema 2; give \"schema\": 2, or a named base", budget.ErrSyntax))
			return
		}
		var own struct {
			Name    string   `json:"name"`
			Streams []string `json:"streams"`
		}
		if !p.decode("budget_base", &own) {
			return
		}
		b := prevention.Base{Name: own.Name}
		bad := false
		for i, st := range own.Streams {
			x, err := dataset.ParseStream(st)
			if err != nil {
				p.fail(fmt.Sprintf("budget_base.streams[%d]", i), err)
				bad = true
				continue
			}
			b.Streams = append(b.Streams, x)
		}
		if bad {
			return
		}
		if err := b.Validate(); err != nil {
			p.fail("budget_base", err)
			return
		}
		s.BudgetBase = b
		return
	}
	var name string
	if p.str("budget_base", &name, true) {
		if b, err := prevention.ParseBase(name); err != nil {
			p.fail("budget_base", err)
		} else {
			s.BudgetBase = b
		}
	}
}

func (p *parser) fail(field string, err error) {
	p.errs = append(p.errs, &FieldError{File: p.file, Field: field, Err: err})
}

func (p *parser) need(field string) bool {
	if _, ok := p.top[field]; !ok {
		p.fail(field, fmt.Errorf("%w: missing", budget.ErrNoData))
		return false
	}
	return true
}

// decode reads a top-level field strictly (no unknown nested fields).
func (p *parser) decode(field string, v any) bool {
	return p.decodeRaw(field, p.top[field], v)
}

func (p *parser) decodeRaw(field string, raw json.RawMessage, v any) bool {
	// null is "none" only where the schema says so (benefits, uncertain);
	// elsewhere it would silently read as zero or as the base's value.
	if string(bytes.TrimSpace(raw)) == "null" && field != "benefits" && field != "uncertain" {
		p.fail(field, fmt.Errorf("%w: null; give a value or leave the field out", budget.ErrSyntax))
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			name := field
			if te.Field != "" {
				name = field + "." + te.Field
			}
			kind := jsonKind(te.Type)
			switch num := strings.TrimPrefix(te.Value, "number "); {
			case num != te.Value && kind == "a number":
				p.fail(name, fmt.Errorf("%w: %s is too large for a number", budget.ErrRange, num))
			case num != te.Value && kind == "a whole number" && strings.ContainsAny(num, ".eE"):
				p.fail(name, fmt.Errorf("%w: %s where a whole number belongs", budget.ErrSyntax, num))
			case num != te.Value && kind == "a whole number":
				p.fail(name, fmt.Errorf("%w: %s is too large", budget.ErrRange, num))
			default:
				p.fail(name, fmt.Errorf("%w: a JSON %s where %s belongs", budget.ErrSyntax, te.Value, kind))
			}
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			p.fail(field+"."+strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`), fmt.Errorf("%w: not a field of %s", budget.ErrUnknown, field))
		default:
			p.fail(field, fmt.Errorf("%w: %v", budget.ErrSyntax, err))
		}
		return false
	}
	return true
}

// str reads a string field; required fields must be present.
func (p *parser) str(field string, v *string, required bool) bool {
	raw, ok := p.top[field]
	if !ok {
		if required {
			p.need(field)
		}
		return false
	}
	if string(bytes.TrimSpace(raw)) == "null" {
		p.fail(field, fmt.Errorf("%w: null; give a value or leave the field out", budget.ErrSyntax))
		return false
	}
	return p.decode(field, v)
}

// object reads an object field, required unless the file has a base.
func (p *parser) object(field string, v any) bool {
	if _, ok := p.top[field]; !ok {
		if !p.partial && field != "uncertain" && field != "benefits" {
			p.need(field)
		}
		return false
	}
	return p.decode(field, v)
}

// fileBasis is a scenario file's allocation_basis: {"vintage": "restated"
// or "as-published", "scope": "held", "include" or "strip"}; either may be left
// out for the default.
type fileBasis struct {
	Vintage string `json:"vintage,omitempty"`
	Scope   string `json:"scope,omitempty"`
}

// fileBasis is written by Scenario.file and read by parser.basis.

func basisFile(b alloc.AllocationBasis) *fileBasis {
	if b == (alloc.AllocationBasis{}) {
		return nil
	}
	f := &fileBasis{}
	if b.Vintage != 0 {
		f.Vintage = b.Vintage.String()
	}
	if b.Scope != 0 {
		f.Scope = b.Scope.String()
	}
	return f
}

// basis reads allocation_basis, which is optional: a file without it keeps
// its base's basis, or the default. Within it, vintage and scope are each
// optional too; null or an empty name is an error, not the default.
func (p *parser) basis(s *Scenario) {
	raw, ok := p.top["allocation_basis"]
	if !ok {
		return
	}
	if string(bytes.TrimSpace(raw)) == "null" {
		p.fail("allocation_basis", fmt.Errorf("%w: null; give {\"vintage\": ..., \"scope\": ...} or leave the field out", budget.ErrSyntax))
		return
	}
	var fields map[string]json.RawMessage
	if !p.decodeRaw("allocation_basis", raw, &fields) {
		return
	}
	for _, k := range sortedKeys(fields) {
		field := "allocation_basis." + k
		var name string
		switch {
		case k != "vintage" && k != "scope":
			p.fail(field, fmt.Errorf("%w: not a field of allocation_basis (vintage, scope)", budget.ErrUnknown))
			continue
		case string(bytes.TrimSpace(fields[k])) == "null":
			p.fail(field, fmt.Errorf("%w: null; give a value or leave the field out", budget.ErrSyntax))
			continue
		case !p.decodeRaw(field, fields[k], &name):
			continue
		}
		var err error
		if k == "vintage" {
			s.AllocationBasis.Vintage, err = alloc.ParseVintage(name)
		} else {
			s.AllocationBasis.Scope, err = alloc.ParseScopeRule(name)
		}
		if err != nil {
			p.fail(field, err)
		}
	}
}

// sortedKeys are a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (p *parser) baseline(s *Scenario) {
	var fb fileBaseline
	if !p.object("baseline_share", &fb) {
		return
	}
	sh, err := budget.ParseShare(fb.Value)
	if err != nil {
		p.fail("baseline_share.value", err)
	}
	if strings.TrimSpace(fb.Source) == "" {
		p.fail("baseline_share.source", fmt.Errorf("%w: say where the baseline share comes from", budget.ErrRange))
	}
	name := fb.Name
	if name == "" {
		name = "file"
	}
	b := prevention.BaselineShare{Name: name, Share: sh, Source: fb.Source, IncludesCouncil: fb.IncludesCouncil}
	if len(fb.PerICB) > 0 {
		b.PerICB = map[string]budget.Share{}
		codes := make([]string, 0, len(fb.PerICB))
		for c := range fb.PerICB {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			v, err := budget.ParseShare(fb.PerICB[c])
			if err != nil {
				p.fail("baseline_share.per_icb."+c, err)
				continue
			}
			b.PerICB[c] = v
		}
	}
	s.Baseline = b
}

func (p *parser) shift(s *Scenario) {
	raw, ok := p.top["shift"]
	if !ok {
		if !p.partial {
			p.need("shift")
		}
		return
	}
	// A partial shift changes only the parts it names.
	var parts map[string]json.RawMessage
	if !p.decodeRaw("shift", raw, &parts) {
		return
	}
	cur := s.Shift
	fields := map[string]func(string) error{
		"size": func(v string) error {
			r, err := budget.ParseRatio(v)
			cur.Size = r.Decimal()
			return err
		},
		"reading":   func(v string) (err error) { cur.Reading, err = prevention.ParseReading(v); return },
		"base_year": func(v string) (err error) { cur.BaseYear, err = budget.ParseYear(v); return },
		"span":      func(v string) (err error) { cur.Span, err = budget.ParseSpan(v); return },
		"profile":   func(v string) (err error) { cur.Profile, err = prevention.ParseProfile(v); return },
	}
	names := make([]string, 0, len(parts))
	for k := range parts {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		set, ok := fields[k]
		if !ok {
			p.fail("shift."+k, fmt.Errorf("%w: not a field of shift", budget.ErrUnknown))
			continue
		}
		var v string
		if !p.decodeRaw("shift."+k, parts[k], &v) {
			continue
		}
		if err := set(v); err != nil {
			p.fail("shift."+k, err)
		}
	}
	if !p.partial {
		for _, k := range []string{"size", "reading", "base_year", "span", "profile"} {
			if _, ok := parts[k]; !ok {
				p.fail("shift."+k, fmt.Errorf("%w: missing", budget.ErrNoData))
			}
		}
	}
	s.Shift = cur
}

func (p *parser) grant(s *Scenario) {
	var fg fileGrant
	if !p.object("grant", &fg) {
		return
	}
	var kind prevention.GrantRuleKind
	if err := kind.UnmarshalText([]byte(fg.Rule)); err != nil {
		p.fail("grant.rule", err)
	}
	g := prevention.GrantRule{Kind: kind}
	if fg.Rate != "" {
		r, err := budget.ParseRate(fg.Rate)
		if err != nil {
			p.fail("grant.rate", err)
		}
		g.Rate = r
	} else if kind == prevention.GrowCash {
		p.fail("grant.rate", fmt.Errorf("%w: the grow rule needs a rate", budget.ErrNoData))
	}
	g.Source = fg.Source
	if len(fg.Series) > 0 {
		g.Series = map[budget.Year]budget.Money{}
		years := make([]string, 0, len(fg.Series))
		for y := range fg.Series {
			years = append(years, y)
		}
		sort.Strings(years)
		for _, ys := range years {
			y, err := budget.ParseYear(ys)
			if err != nil {
				p.fail("grant.series."+ys, err)
				continue
			}
			m, err := budget.ParseMoney(fg.Series[ys])
			if err != nil {
				p.fail("grant.series."+ys, err)
				continue
			}
			g.Series[y] = m
		}
	}
	if err := g.Validate(); err != nil && len(p.errs) == 0 {
		p.fail("grant", err)
	}
	s.Grant = g
	s.Grant2015 = nil
	if fg.Grant2015 != "" {
		m, err := budget.ParseMoney(fg.Grant2015)
		if err != nil {
			p.fail("grant.grant_2015_16", err)
		}
		s.Grant2015 = &m
	}
}

func (p *parser) benefits(s *Scenario) {
	raw, ok := p.top["benefits"]
	if !ok {
		return
	}
	if string(bytes.TrimSpace(raw)) == "null" {
		s.Benefits = nil
		return
	}
	var fb fileBenefits
	if !p.decode("benefits", &fb) {
		return
	}
	roi, err := budget.ParseRatio(fb.ROI)
	if err != nil {
		p.fail("benefits.roi", err)
		return
	}
	name := fb.Name
	if name == "" {
		name = "file"
	}
	for _, f := range []struct {
		name string
		v    *int
	}{{"benefits.lag", fb.Lag}, {"benefits.spread", fb.Spread}} {
		if f.v == nil {
			p.fail(f.name, fmt.Errorf("%w: give it in years (returns are assumed to arrive after a lag and over a spread)", budget.ErrNoData))
			return
		}
	}
	if strings.TrimSpace(fb.Source) == "" {
		p.fail("benefits.source", fmt.Errorf("%w: say where the return on investment comes from", budget.ErrNoData))
	}
	b := prevention.Benefits{Name: name, ROI: roi.Decimal(), Lag: *fb.Lag, Spread: *fb.Spread, Source: fb.Source}
	if err := b.Validate(); err != nil {
		p.fail("benefits", err)
	}
	s.Benefits = &b
}

// nullPaths lists the paths of the null values inside a JSON object, such
// as uncertain[0].distribution.a, in document order.
func nullPaths(raw json.RawMessage, path string) []string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil // decodeRaw reports it
	}
	var out []string
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch x := v.(type) {
		case nil:
			out = append(out, path)
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k], path+"."+k)
			}
		case []any:
			for i, e := range x {
				walk(e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(v, path)
	return out
}

// councils reads "councils": the allocations, each checked as a council
// allocations file's row is, a problem naming its index.
func (p *parser) councils(s *Scenario) {
	if _, ok := p.top["councils"]; !ok {
		return
	}
	var fc fileCouncils
	if !p.object("councils", &fc) {
		return
	}
	c := &Councils{Source: fc.Source, Coverage: fc.Coverage, Unreconciled: fc.Unreconciled}
	if fc.Coverage == "" {
		p.fail("councils.coverage", fmt.Errorf("%w: give all, subset or partial", budget.ErrNoData))
	} else if _, err := c.options(); err != nil {
		p.fail("councils.coverage", err)
	}
	if strings.TrimSpace(fc.Source) == "" {
		p.fail("councils.source", fmt.Errorf("%w: say where the allocations come from (DHSC's circular, Annex E)", budget.ErrNoData))
	}
	if len(fc.Allocations) == 0 {
		p.fail("councils.allocations", fmt.Errorf("%w: give each council's allocation (year, council_code, council_name, amount in pounds)", budget.ErrNoData))
	}
	for i, a := range fc.Allocations {
		field := fmt.Sprintf("councils.allocations[%d]", i)
		y, err := budget.ParseYear(a.Year)
		if err != nil {
			p.fail(field+".year", err)
			continue
		}
		if strings.TrimSpace(a.Code) == "" || strings.TrimSpace(a.Name) == "" {
			p.fail(field, fmt.Errorf("%w: give council_code and council_name", budget.ErrNoData))
			continue
		}
		m, err := budget.ParseMoney(a.Amount)
		if err != nil {
			p.fail(field+".amount", fmt.Errorf("%w (pounds, such as 116180000.00)", err))
			continue
		}
		c.Allocations = append(c.Allocations, prevention.CouncilAmount{Year: y, Code: strings.TrimSpace(a.Code), Name: strings.TrimSpace(a.Name), Amount: m,
			Where: fmt.Sprintf("%s: field %q", p.file, field)})
	}
	s.Councils = c
}

// qalys reads "qalys": the costs per QALY, their price year, the value of a
// QALY and its price year, each checked (prevention.QALYs.Validate).
func (p *parser) qalys(s *Scenario) {
	if _, ok := p.top["qalys"]; !ok {
		return
	}
	var fq fileQALYs
	if !p.object("qalys", &fq) {
		return
	}
	q := &prevention.QALYs{Name: fq.Name, Source: fq.Source}
	ok := true
	for _, f := range []struct {
		field string
		text  string
		v     *decimal.Decimal
	}{{"qalys.public_health_cost_per_qaly", fq.PublicHealthCost, &q.PublicHealthCost}, {"qalys.nhs_cost_per_qaly", fq.NHSCost, &q.NHSCost},
		{"qalys.value_of_qaly", fq.Value, &q.Value}} {
		v, err := decimal.NewFromString(strings.TrimSpace(f.text))
		if err != nil {
			p.fail(f.field, fmt.Errorf("%w: %q: pounds, such as \"3800\"", budget.ErrSyntax, f.text))
			ok = false
			continue
		}
		*f.v = v
	}
	for _, f := range []struct {
		field, text string
		y           *budget.Year
	}{{"qalys.prices", fq.Prices, &q.Prices}, {"qalys.value_prices", fq.ValuePrices, &q.ValuePrices}} {
		y, err := budget.ParseYear(f.text)
		if err != nil {
			p.fail(f.field, err)
			ok = false
			continue
		}
		*f.y = y
	}
	if strings.TrimSpace(fq.Source) == "" {
		p.fail("qalys.source", fmt.Errorf("%w: say where the costs and the value come from", budget.ErrNoData))
		ok = false
	}
	if ok {
		if err := q.Validate(); err != nil {
			p.fail("qalys", err)
		}
	}
	s.QALYs = q
}
