package budget

import (
	"fmt"
	"strings"
)

// names maps the values of an enumerated type to the names data files and
// flags use, in presentation order.
type names[T ~int] struct {
	kind   string // what the values are, for errors: "stream"
	values []T
	text   []string
}

func newNames[T ~int](kind string, pairs ...any) names[T] {
	n := names[T]{kind: kind}
	for i := 0; i < len(pairs); i += 2 {
		n.values = append(n.values, pairs[i].(T))
		n.text = append(n.text, pairs[i+1].(string))
	}
	return n
}

// name is v's name, or "kind(n)" for a value that has none.
func (n names[T]) name(v T) string {
	for i, x := range n.values {
		if x == v {
			return n.text[i]
		}
	}
	return fmt.Sprintf("%s(%d)", n.kind, int(v))
}

// valid reports whether v has a name.
func (n names[T]) valid(v T) bool {
	for _, x := range n.values {
		if x == v {
			return true
		}
	}
	return false
}

// parse reads a name; an unknown one is a *ParseError wrapping ErrUnknown
// that lists the valid names.
func (n names[T]) parse(s string) (T, error) {
	for i, t := range n.text {
		if t == s {
			return n.values[i], nil
		}
	}
	return 0, &ParseError{Kind: n.kind, Input: s, Err: fmt.Errorf("%w: want %s", ErrUnknown, n.list())}
}

func (n names[T]) list() string {
	if len(n.text) == 1 {
		return n.text[0]
	}
	return strings.Join(n.text[:len(n.text)-1], ", ") + " or " + n.text[len(n.text)-1]
}

// marshal writes v's name, or an error wrapping ErrRange for a value that
// has none (so that an invalid value is not written to a file as "kind(n)").
func (n names[T]) marshal(v T) ([]byte, error) {
	if !n.valid(v) {
		return nil, fmt.Errorf("%s %d: %w: not one of the named values", n.kind, int(v), ErrRange)
	}
	return []byte(n.name(v)), nil
}
