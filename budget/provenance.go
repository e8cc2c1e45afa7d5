package budget

import "fmt"

// Status says where a figure comes from.
type Status int

const (
	// Published: as printed in the cited source (converted in unit only,
	// such as £k to £).
	Published Status = iota + 1
	// Restated: a published figure as restated by a later publication (a
	// year's allocation as the next allocation round restates it).
	Restated
	// Derived: computed from published figures by a stated rule (a sum of
	// published parts, a population backed out of a published £ per head).
	Derived
	// Projected: a year beyond the published data, made under a named assumption.
	Projected
	// Assumed: a modelling assumption with no published figure behind it
	// (a parameter's status; written "assumption").
	Assumed
)

// String is "published", "restated", "derived", "projected" or "assumption".
func (s Status) String() string {
	switch s {
	case Published:
		return "published"
	case Restated:
		return "restated"
	case Derived:
		return "derived"
	case Projected:
		return "projected"
	case Assumed:
		return "assumption"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// ParseStatus reads "published", "restated", "derived", "projected" or "assumption".
func ParseStatus(s string) (Status, error) {
	switch s {
	case "published":
		return Published, nil
	case "restated":
		return Restated, nil
	case "derived":
		return Derived, nil
	case "projected":
		return Projected, nil
	case "assumption":
		return Assumed, nil
	}
	return 0, &ParseError{Kind: "status", Input: s,
		Err: fmt.Errorf("%w: want published, restated, derived, projected or assumption", ErrUnknown)}
}

// MarshalText writes the status as String does.
func (s Status) MarshalText() ([]byte, error) {
	if s < Published || s > Assumed {
		return nil, fmt.Errorf("status %d: %w: not one of the named values", int(s), ErrRange)
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads the status as ParseStatus does.
func (s *Status) UnmarshalText(b []byte) error {
	v, err := ParseStatus(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Worst returns the weakest of two statuses: a figure computed from a
// projected input is projected; from a derived one, at least derived.
func (s Status) Worst(o Status) Status {
	if o > s {
		return o
	}
	return s
}

// Summed is the status of a sum of several figures whose weakest status is
// s: a sum of published figures is not itself a published figure (derived);
// a sum of restated ones is restated, of derived ones derived.
func (s Status) Summed() Status {
	if s == Published {
		return Derived
	}
	return s
}

// Source is where a figure was published.
type Source struct {
	ID        string `json:"id"`                  // short key used in data files, such as "S1"
	Title     string `json:"title"`               // the publication's title
	URL       string `json:"url,omitempty"`       // where it can be read
	Published string `json:"published,omitempty"` // publication date, YYYY-MM-DD or YYYY-MM or YYYY
	Note      string `json:"note,omitempty"`      // how the figures were obtained, caveats
}

// String is "S1: title (published)".
func (s Source) String() string {
	out := s.ID + ": " + s.Title
	if s.Published != "" {
		out += " (" + s.Published + ")"
	}
	return out
}
