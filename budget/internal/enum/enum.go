package enum

import (
	"fmt"
	"strings"

	"github.com/upstream-health/upstream/budget"
)

// Names maps the values of an enumerated type to the names data files and
// flags use, in presentation order.
type Names[T ~int] struct {
	kind   string // what the values are, for errors: "stream"
	values []T
	text   []string
}

func NewNames[T ~int](kind string, pairs ...any) Names[T] {
	n := Names[T]{kind: kind}
	for i := 0; i < len(pairs); i += 2 {
		n.values = append(n.values, pairs[i].(T))
		n.text = append(n.text, pairs[i+1].(string))
	}
	return n
}

// Name is v's name, or "kind(n)" for a value that has none.
func (n Names[T]) Name(v T) string {
	for i, x := range n.values {
		if x == v {
			return n.text[i]
		}
	}
	return fmt.Sprintf("%s(%d)", n.kind, int(v))
}

// Valid reports whether v has a name.
func (n Names[T]) Valid(v T) bool {
	for _, x := range n.values {
		if x == v {
			return true
		}
	}
	return false
}

// Parse reads a name; an unknown one is a *ParseError wrapping ErrUnknown
// that lists the valid names.
func (n Names[T]) Parse(s string) (T, error) {
	for i, t := range n.text {
		if t == s {
			return n.values[i], nil
		}
	}
	return 0, &budget.ParseError{Kind: n.kind, Input: s, Err: fmt.Errorf("%w: want %s", budget.ErrUnknown, n.List())}
}

func (n Names[T]) List() string {
	if len(n.text) == 1 {
		return n.text[0]
	}
	return strings.Join(n.text[:len(n.text)-1], ", ") + " or " + n.text[len(n.text)-1]
}

// Marshal writes v's name, or an error wrapping ErrRange for a value that
// has none (so that an invalid value is not written to a file as "kind(n)").
func (n Names[T]) Marshal(v T) ([]byte, error) {
	if !n.Valid(v) {
		return nil, fmt.Errorf("%s %d: %w: not one of the named values", n.kind, int(v), budget.ErrRange)
	}
	return []byte(n.Name(v)), nil
}
