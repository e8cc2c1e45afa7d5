// Package cli holds what the example programs share: the -format flag, one
// way to report errors, and table writing.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"text/tabwriter"
)

// ErrUsage marks an error in the command line (an unknown flag or value).
var ErrUsage = errors.New("usage")

// Format is an output format: table, csv or json.
type Format string

// The output formats every example takes.
const (
	Table Format = "table"
	CSV   Format = "csv"
	JSON  Format = "json"
)

// Choice is a flag value that must be one of a fixed list; an invalid value
// is an error that lists the valid ones.
type Choice struct {
	Value string
	Valid []string
}

// String returns the value.
func (c *Choice) String() string { return c.Value }

// Set checks v against the valid values.
func (c *Choice) Set(v string) error {
	for _, ok := range c.Valid {
		if v == ok {
			c.Value = v
			return nil
		}
	}
	return fmt.Errorf("%q is not one of %s", v, strings.Join(c.Valid, ", "))
}

// FormatFlag registers -format on fs with the default table.
func FormatFlag(fs *Flags) *Choice {
	c := &Choice{Value: string(Table), Valid: []string{string(Table), string(CSV), string(JSON)}}
	fs.Var(c, "format", "output format: table, csv or json")
	return c
}

// Flags is a flag set that returns errors instead of exiting or printing
// them (so a program reports each error once, on one line), and prints its
// usage to stderr only when asked with -h.
type Flags struct {
	*flag.FlagSet
	stderr     io.Writer
	deprecated map[string]string // old name -> new name
}

// Deprecated registers old as another name of the flag now called name
// (registered before), for the commands people already wrote: it sets the
// same value, is listed with -h as deprecated, and Parse says on stderr
// to use the new name. Giving both is a usage error.
func (fs *Flags) Deprecated(old, name string) {
	f := fs.Lookup(name)
	if f == nil {
		return // no such flag: the programs' tests give every old name
	}
	fs.Var(f.Value, old, "deprecated: the old name of -"+name)
	fs.Lookup(old).DefValue = "" // its default is the new flag's
	if fs.deprecated == nil {
		fs.deprecated = map[string]string{}
	}
	fs.deprecated[old] = name
}

// NewFlagSet returns the flag set of a program.
func NewFlagSet(name string, stderr io.Writer) *Flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &Flags{FlagSet: fs, stderr: stderr}
}

// Parse parses args, wrapping errors in ErrUsage. -h and -help print the
// usage and return flag.ErrHelp.
func Parse(fs *Flags, args []string) error {
	if err := fs.FlagSet.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(fs.stderr, "Usage of %s:\n", fs.Name())
			fs.SetOutput(fs.stderr)
			fs.PrintDefaults()
			return err
		}
		// "invalid value "-1" for flag -seed: parse error": say what the
		// flag wants.
		if _, rest, ok := strings.Cut(err.Error(), " for flag -"); ok {
			name, _, _ := strings.Cut(rest, ":")
			// A choice's own message lists what it takes.
			if f := fs.Lookup(name); f != nil {
				if _, choice := f.Value.(*Choice); !choice {
					return fmt.Errorf("%w: %v; -%s wants %s", ErrUsage, err, name, wants(f))
				}
			}
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", ErrUsage, fs.Arg(0))
	}
	for old, name := range fs.deprecated {
		if !Given(fs, old) {
			continue
		}
		if Given(fs, name) {
			return fmt.Errorf("%w: -%s and -%s: they are one flag (-%s is its old name); give -%s", ErrUsage, old, name, old, name)
		}
		fmt.Fprintf(fs.stderr, "%s: -%s is now -%s; the old name will go\n", fs.Name(), old, name)
		if err := fs.FlagSet.Set(name, fs.Lookup(old).Value.String()); err != nil { // Given(name) from here on
			return fmt.Errorf("%w: -%s: %v", ErrUsage, old, err)
		}
	}
	// A flag given with an empty value ("-icb ''", often an unset shell
	// variable) is a mistake, not a request for the default.
	var empty []string
	fs.Visit(func(f *flag.Flag) {
		if strings.TrimSpace(f.Value.String()) == "" {
			empty = append(empty, "-"+f.Name)
		}
	})
	if len(empty) > 0 {
		return fmt.Errorf("%w: %s: given with no value; give one, or leave the flag out for its default", ErrUsage, strings.Join(empty, ", "))
	}
	return nil
}

// wants says what a flag takes: its kind of value and its usage.
func wants(f *flag.Flag) string {
	kind := "a value"
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case bool:
			kind = "true or false"
		case uint, uint64:
			kind = "a whole number from 0"
		case int, int64:
			kind = "a whole number"
		case float64:
			kind = "a number"
		}
	}
	return kind + " (" + f.Usage + ")"
}

// Main runs a program's run function and returns the exit code: 0 on
// success (and for -help), 2 for a usage error, 1 otherwise. Errors are
// printed on one line to stderr, prefixed by the program's name. It sets
// the collector for a short batch run first (batchGC).
func Main(name string, run func(args []string, stdout, stderr io.Writer) error, args []string, stdout, stderr io.Writer) int {
	batchGC()
	err := run(args, stdout, stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, ErrUsage):
		fmt.Fprintf(stderr, "%s: %s\n", name, oneLine(err))
		return 2
	}
	fmt.Fprintf(stderr, "%s: %s\n", name, oneLine(err))
	return 1
}

// batchGC lets the heap grow to five times what is live before the
// collector runs (GOGC=400), unless GOGC is set in the environment, which
// then rules. The programs are short batch runs whose live heap is some
// tens of MiB, and at Go's default (100) collection took a fifth to a
// quarter of their CPU; this costs about 5 MiB of peak memory (compare:
// 29 to 35 MiB). The heap is still collected, so memory stays flat in the
// number of draws.
func batchGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
}

// oneLine joins the lines of an error (errors.Join puts each on its own) with "; ".
func oneLine(err error) string {
	return strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
}

// TableWriter returns a tabwriter for aligned columns, right-aligning numbers.
func TableWriter(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
}

// LeftTable returns a tabwriter with left-aligned columns.
func LeftTable(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// WriteJSON writes v as indented JSON with a final newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Given reports whether the command line gave the flag (so that a flag
// that conflicts with another input can be refused rather than ignored).
func Given(fs *Flags, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
