package dataset

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/clip"
	"github.com/upstream-health/upstream/internal/table"
)

// ICBDirectoryFile is the embedded list of ICBs on each footprint.
const ICBDirectoryFile = "icbs.csv"

// iCBDirectoryColumns are the columns of ICBDirectoryFile, in order (Columns).
func iCBDirectoryColumns() []string {
	return []string{"footprint", "icb_code", "icb_ons", "icb_name", "region"}
}

// ICBEntry is one ICB of a footprint.
type ICBEntry struct {
	Footprint string `json:"footprint"`
	Code      string `json:"code"`
	ONS       string `json:"ons_code"`
	Name      string `json:"name"`
	Region    string `json:"region"`
}

// ICBDirectory lists the ICBs of each footprint, to find one by code or name.
type ICBDirectory struct{ list []ICBEntry }

// ErrAmbiguous is wrapped by a search that matches more than one ICB.
var ErrAmbiguous = errors.New("ambiguous")

// EmbeddedICBDirectory is the list of ICBs shipped with the library.
func EmbeddedICBDirectory() (ICBDirectory, error) {
	f, err := EmbeddedFiles().Open(ICBDirectoryFile)
	if err != nil {
		return ICBDirectory{}, fmt.Errorf("embedded ICB list: %w", err)
	}
	defer f.Close()
	return ReadICBDirectory(f, ICBDirectoryFile)
}

// ReadICBDirectory reads a list of ICBs in the columns of
// ICBDirectoryColumns (as examples/data -export writes icbs.csv); a
// missing code or name is a *budget.FileError naming the line.
//
// Its columns, in order (Columns):
// code, the ONS code (provisional for the ICBs of 2026), name and region.
func ReadICBDirectory(r io.Reader, name string) (ICBDirectory, error) {
	var d ICBDirectory
	err := table.Each(r, name, iCBDirectoryColumns(), func(rw table.Row) error {
		var e ICBEntry
		var err error
		if e.Footprint, err = rw.NonEmpty("footprint"); err != nil {
			return err
		}
		if e.Code, err = rw.Code("icb_code"); err != nil {
			return err
		}
		if e.Name, err = rw.NonEmpty("icb_name"); err != nil {
			return err
		}
		e.ONS, e.Region = rw.Get("icb_ons"), rw.Get("region")
		d.list = append(d.list, e)
		return nil
	})
	if err != nil {
		return ICBDirectory{}, err
	}
	return d, nil
}

// List is the ICBs of a footprint, by code.
func (d ICBDirectory) List(footprint string) []ICBEntry {
	var out []ICBEntry
	for _, e := range d.list {
		if e.Footprint == footprint {
			out = append(out, e)
		}
	}
	return out
}

// For is d with the ICBs of fd's footprint where d does not list that
// footprint (one of a user's folder): fd's ICBs, with the ONS code the
// footprint gives a new ICB, or an unchanged one had on the 2022
// footprint. d itself is not changed.
func (d ICBDirectory) For(fd *Data) ICBDirectory {
	name := fd.FootprintName()
	if fd == nil || fd.Allocations == nil || len(d.List(name)) > 0 {
		return d
	}
	ons := map[string]string{}
	for _, e := range d.List(Footprint2022) {
		ons[e.Code] = e.ONS
	}
	if fp, err := fd.Footprints.Get(name); err == nil {
		for _, p := range fp.Parts {
			ons[p.To.Code] = p.ONS
		}
	}
	out := ICBDirectory{list: slices.Clone(d.list)}
	for _, icb := range fd.Allocations.ICBs() {
		out.list = append(out.list, ICBEntry{Footprint: name, Code: icb.Code, ONS: ons[icb.Code], Name: icb.Name, Region: icb.Region})
	}
	return out
}

// simplify is a name or query in lower case without "NHS", "ICB" and
// "integrated care board", for matching.
func simplify(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "integrated care board", " ")
	var words []string
	for _, w := range strings.Fields(s) {
		if w != "nhs" && w != "icb" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// Elsewhere finds the ICB query names on a footprint of fps other than
// footprint (for an ICB asked for on the wrong one): the ICB, the
// footprint it is on, and the ICBs of footprint its area is now part of
// (none where footprint was not restated from it). ok is false when no
// other footprint has such an ICB.
func (d ICBDirectory) Elsewhere(fps Footprints, footprint, query string) (e ICBEntry, other string, now []ICB, ok bool) {
	for _, name := range fps.Names() {
		if name == footprint {
			continue
		}
		o, err := d.Find(name, query)
		if err != nil {
			continue
		}
		if fp, err := fps.Get(footprint); err == nil {
			for _, p := range fp.Parts {
				if p.From == o.Code && !slices.Contains(now, p.To) {
					now = append(now, p.To)
				}
			}
		}
		return o, name, now, true
	}
	return ICBEntry{}, "", nil, false
}

// Find returns the ICB of a footprint that query names: its ODS or ONS
// code (any case), or a unique part of its name (any case, "NHS" and "ICB"
// optional: "greater manchester", "essex"). A query matching several is an
// error wrapping ErrAmbiguous that lists them; one matching none wraps
// budget.ErrUnknown and suggests the closest names.
func (d ICBDirectory) Find(footprint, query string) (ICBEntry, error) {
	list := d.List(footprint)
	q := strings.TrimSpace(query)
	if len(q) > 100 {
		// No ICB's name is this long: say so without echoing it, or
		// measuring its distance from every name.
		return ICBEntry{}, fmt.Errorf("ICB %q: %w: %d characters; no ICB's code or name is so long", clip.Clip(q), budget.ErrUnknown, len(q))
	}
	for _, e := range list {
		if strings.EqualFold(e.Code, q) || (e.ONS != "" && strings.EqualFold(e.ONS, q)) {
			return e, nil
		}
	}
	sq := simplify(q)
	if sq == "" && q != "" {
		return ICBEntry{}, fmt.Errorf("ICB %q: %w: every one of the %d ICBs of footprint %s is \"NHS ... ICB\"; give its place (\"greater manchester\") or code (-list-icbs lists them)",
			query, ErrAmbiguous, len(list), footprint)
	}
	var matches []ICBEntry
	for _, e := range list {
		if sq != "" && strings.Contains(simplify(e.Name), sq) {
			if simplify(e.Name) == sq {
				return e, nil // an exact name beats the names that contain it
			}
			matches = append(matches, e)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return ICBEntry{}, fmt.Errorf("ICB %q: %w: no ICB of footprint %s has that code or name; the closest: %s", query, budget.ErrUnknown, footprint, strings.Join(closest(list, sq, 3), "; "))
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = m.Code + " " + m.Name
	}
	return ICBEntry{}, fmt.Errorf("ICB %q: %w: it matches %d ICBs of footprint %s: %s", query, ErrAmbiguous, len(matches), footprint, strings.Join(names, "; "))
}

// closest are the n ICBs whose names share the most words with q, then
// the fewest edits from it.
func closest(list []ICBEntry, q string, n int) []string {
	named := make([][2]string, len(list))
	for i, e := range list {
		named[i] = [2]string{e.Code, e.Name}
	}
	return closestNamed(named, q, n)
}

// closestNamed are the n of named (code, name) whose simplified names
// share the most words with q, then the fewest edits from it, as "code name".
func closestNamed(named [][2]string, q string, n int) []string {
	type scored struct {
		code, name string
		common     int
		dist       int
	}
	words := strings.Fields(q)
	var all []scored
	for _, e := range named {
		name := simplify(e[1])
		common := 0
		for _, w := range words {
			if strings.Contains(name, w) {
				common++
			}
		}
		// The fewest edits from the name, or from the start of any of its
		// words as long as q: "bristl" is one edit from "bristol, city of".
		dist := editDistance(q, name)
		for i := 0; i < len(name); i++ {
			if i > 0 && name[i-1] != ' ' {
				continue
			}
			end := min(len(name), i+len(q))
			dist = min(dist, editDistance(q, name[i:end])+1)
		}
		all = append(all, scored{e[0], e[1], common, dist})
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].common != all[j].common {
			return all[i].common > all[j].common
		}
		return all[i].dist < all[j].dist
	})
	var out []string
	for i := 0; i < n && i < len(all); i++ {
		out = append(out, all[i].code+" "+all[i].name)
	}
	return out
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
