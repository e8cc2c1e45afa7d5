// Command gendata builds the embedded datasets in budget/dataset/data from the raw
// reference tables in budget/dataset/data/raw, the only input it reads:
//
//	go generate ./budget/dataset    (or: go run ./internal/gendata)
//	go run ./internal/gendata -check
//
// It first checks every raw file against the SHA-256 in
// budget/dataset/data/raw/manifest.csv and refuses a file that differs or is not
// listed. It converts units exactly (£k and £m to £ by moving the decimal
// point), keeps every published digit, marks derived figures as derived,
// checks the identities it relies on (parts adding up to published totals),
// and loads what it built with the library's own loaders (every parameter's
// source must be a listed source) before writing anything. With -check it
// writes nothing and fails, naming each file, where the committed files
// differ from what the raw files build. It needs no network and reads no
// path outside the repository.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing/fstest"

	"github.com/shopspring/decimal"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

func main() {
	raw := flag.String("raw", "", "folder of raw reference tables and their manifest (default: budget/dataset/data/raw in this module)")
	to := flag.String("to", "", "folder of the embedded datasets to write or check (default: budget/dataset/data in this module)")
	check := flag.Bool("check", false, "write nothing; fail if the files in -to differ from what -raw builds")
	record := flag.String("record", "", "record the current SHA-256 of this raw file (a name listed in the manifest) in the manifest, then build")
	flag.Parse()
	if err := main1(*raw, *to, *record, *check); err != nil {
		fmt.Fprintln(os.Stderr, "gendata:", err)
		os.Exit(1)
	}
}

func main1(raw, to, record string, check bool) error {
	if raw == "" || to == "" {
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		if raw == "" {
			raw = shortPath(filepath.Join(root, "budget", "dataset", "data", "raw"))
		}
		if to == "" {
			to = shortPath(filepath.Join(root, "budget", "dataset", "data"))
		}
	}
	if record != "" {
		if check {
			return errors.New("-check writes nothing: give -record without -check")
		}
		if err := recordChecksum(raw, record); err != nil {
			return err
		}
	}
	out, err := build(raw)
	if err != nil {
		return err
	}
	if check {
		return compare(out, to)
	}
	return write(out, to)
}

// shortPath is path relative to the working directory where it can be, so
// messages name files as a reader at the command line sees them.
func shortPath(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil {
		return rel
	}
	return path
}

// moduleRoot finds the folder of this module's go.mod, from the working
// directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/upstream-health/upstream\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the upstream module: give -raw and -to")
		}
		dir = parent
	}
}

// build checks the raw files against the manifest and returns every
// embedded file it makes from them, by name.
func build(raw string) (map[string][]byte, error) {
	if err := verifyManifest(raw); err != nil {
		return nil, err
	}
	g := &gen{from: raw, out: map[string][]byte{}}
	steps := []func() error{g.sources, g.allocations, g.populations, g.footprints, g.councilCrosswalk, g.icbDirectory, g.grant, g.deflators, g.totals, g.parameters}
	for _, s := range steps {
		if err := s(); err != nil {
			return nil, err
		}
		if err := errors.Join(g.errs...); err != nil {
			return nil, err
		}
	}
	// Load what was built with the library's loaders, as Embedded will.
	fsys := fstest.MapFS{}
	for name, b := range g.out {
		fsys[name] = &fstest.MapFile{Data: b}
	}
	// The built data must load; the model's presets are checked by
	// scenario.CheckPresets in the tests, so that building the data needs
	// only the data set.
	if _, err := dataset.ReadData(fsys, dataset.EmbeddedVintage); err != nil {
		return nil, fmt.Errorf("the built data does not load (%s): %w", filepath.Join(raw, dataset.ParametersFile), err)
	}
	return g.out, nil
}

// names returns the names of the built files, sorted.
func names(out map[string][]byte) []string {
	var list []string
	for n := range out {
		list = append(list, n)
	}
	sort.Strings(list)
	return list
}

func write(out map[string][]byte, to string) error {
	for _, n := range names(out) {
		if err := os.WriteFile(filepath.Join(to, n), out[n], 0o644); err != nil {
			return err
		}
	}
	return nil
}

// compare reports every committed file that differs from what was built,
// and every CSV file in to that the build does not make.
func compare(out map[string][]byte, to string) error {
	var errs []error
	for _, n := range names(out) {
		path := filepath.Join(to, n)
		have, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: run go generate ./budget/dataset to build it", err))
			continue
		}
		if !bytes.Equal(have, out[n]) {
			errs = append(errs, fmt.Errorf("%s differs from what the raw files build (%s); run go generate ./budget/dataset and commit the result, or change the raw files instead", path, firstDifference(have, out[n])))
		}
	}
	committed, err := filepath.Glob(filepath.Join(to, "*.csv"))
	if err != nil {
		return err
	}
	for _, path := range committed {
		if _, ok := out[filepath.Base(path)]; !ok {
			errs = append(errs, fmt.Errorf("%s is not built from the raw files: remove it, or add it to the build", path))
		}
	}
	return errors.Join(errs...)
}

// firstDifference names the first line where have and want differ.
func firstDifference(have, want []byte) string {
	h, w := strings.Split(string(have), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(h) || i < len(w); i++ {
		var a, b string
		if i < len(h) {
			a = h[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			switch {
			case i >= len(w) || (b == "" && i == len(w)-1):
				return fmt.Sprintf("line %d: committed %q, where the built file has ended", i+1, clip(a))
			case i >= len(h) || (a == "" && i == len(h)-1):
				return fmt.Sprintf("line %d: the committed file has ended, built %q", i+1, clip(b))
			}
			return fmt.Sprintf("line %d: committed %q, built %q", i+1, clip(a), clip(b))
		}
	}
	return "same lines"
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}

// Manifest is the file of checksums and provenance of the raw files.
const manifestFile = "manifest.csv"

// manifestColumns are the manifest's columns: each raw file with who
// published it, what it is, where, when, under which licence, whether it is
// a primary source (the publisher's own figures, copied) or secondary
// (compiled or transcribed by someone else, or by this project), and its
// SHA-256.
func manifestColumns() []string {
	return []string{"file", "publisher", "title", "url", "published", "licence", "kind", "sha256", "note"}
}

// verifyManifest checks every raw file against the manifest: listed once,
// present, and with the SHA-256 the manifest gives. Every problem is
// reported at once, naming the file.
func verifyManifest(raw string) error {
	rows, err := readCSV(filepath.Join(raw, manifestFile))
	if err != nil {
		return err
	}
	var errs []error
	listed := map[string]bool{}
	for i, r := range rows {
		line := i + 2
		for _, c := range manifestColumns() {
			if _, ok := r[c]; !ok {
				return fmt.Errorf("%s: column %q missing", filepath.Join(raw, manifestFile), c)
			}
		}
		name := r["file"]
		if listed[name] {
			errs = append(errs, fmt.Errorf("%s:%d: %s is listed twice", filepath.Join(raw, manifestFile), line, name))
			continue
		}
		listed[name] = true
		if k := r["kind"]; k != "primary" && k != "secondary" {
			errs = append(errs, fmt.Errorf("%s:%d: kind %q: want primary or secondary", filepath.Join(raw, manifestFile), line, k))
		}
		b, err := os.ReadFile(filepath.Join(raw, name))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", filepath.Join(raw, manifestFile), line, err))
			continue
		}
		if got := sha256Hex(b); got != r["sha256"] {
			errs = append(errs, fmt.Errorf("%s: SHA-256 is %s, the manifest (line %d) says %s: the file is not the one recorded; "+
				"if the change is intended, update its row in %s (source, date) and run go run ./internal/gendata -record %s", filepath.Join(raw, name), got, line, r["sha256"], manifestFile, name))
		}
	}
	entries, err := os.ReadDir(raw)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if n := e.Name(); n != manifestFile && n != "README.md" && !listed[n] {
			errs = append(errs, fmt.Errorf("%s: not listed in %s: add it with its source and checksum, or remove it", filepath.Join(raw, n), manifestFile))
		}
	}
	return errors.Join(errs...)
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// recordChecksum writes the current SHA-256 of the raw file name into its
// manifest row: for a maintainer who has changed the file on purpose (and
// its row's source and date).
func recordChecksum(raw, name string) error {
	// A path to the file in the raw folder names it as well as its bare name.
	if dir := filepath.Dir(name); dir != "." {
		if abs1, err1 := filepath.Abs(dir); err1 == nil {
			if abs2, err2 := filepath.Abs(raw); err2 == nil && abs1 != abs2 {
				return fmt.Errorf("-record %s: the file is not in %s: give the name of a file there, such as deflators.csv", name, raw)
			}
		}
		name = filepath.Base(name)
	}
	path := filepath.Join(raw, manifestFile)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	all, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if len(all) == 0 {
		return fmt.Errorf("%s: empty file", path)
	}
	col := map[string]int{}
	for i, h := range all[0] {
		col[h] = i
	}
	fi, fok := col["file"]
	si, sok := col["sha256"]
	if !fok || !sok {
		return fmt.Errorf("%s: want columns file and sha256", path)
	}
	found := false
	for _, rec := range all[1:] {
		found = found || rec[fi] == name
	}
	if !found {
		return fmt.Errorf("%s: %s is not listed: add a row with its publisher, title, address, date, licence and kind", path, name)
	}
	b, err := os.ReadFile(filepath.Join(raw, name))
	if err != nil {
		return err
	}
	for _, rec := range all[1:] {
		if rec[fi] == name {
			rec[si] = sha256Hex(b)
		}
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	if err := w.WriteAll(all); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o644)
}

// longFile is the raw file of every ICB-level workbook cell.
const longFile = "icb_allocations_long.csv"

type gen struct {
	errs  []error             // bad cells found by num, reported when a step ends
	long  []map[string]string // the rows of longFile, read once
	from  string
	out   map[string][]byte
	icbs  map[string][2]string // code -> name, region
	order []string             // ICB codes in file order
}

func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	var out []map[string]string
	for _, rec := range all[1:] {
		m := map[string]string{}
		for i, h := range all[0] {
			m[h] = rec[i]
		}
		out = append(out, m)
	}
	return out, nil
}

// longRows reads the raw file of workbook cells once.
func (g *gen) longRows() ([]map[string]string, error) {
	if g.long == nil {
		rows, err := readCSV(filepath.Join(g.from, longFile))
		if err != nil {
			return nil, err
		}
		g.long = rows
	}
	return g.long, nil
}

// emitFile records a built data file with the columns its loader reads.
func (g *gen) emitFile(name string, rows [][]string) error {
	header, err := dataset.Columns(name)
	if err != nil {
		return err
	}
	return g.emit(name, header, rows)
}

// emit records a built CSV file.
func (g *gen) emit(name string, header []string, rows [][]string) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(header); err != nil {
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	g.out[name] = b.Bytes()
	return nil
}

// num parses a number of a raw file. One that is not a number is recorded
// as an error naming the file and the value (every such cell is reported
// at once, when the step ends), and reads as zero meanwhile.
func (g *gen) num(file, s string) decimal.Decimal {
	d, err := decimal.NewFromString(strings.TrimSpace(s))
	if err != nil {
		g.errs = append(g.errs, fmt.Errorf("%s: value %q: not a plain number", filepath.Join(g.from, file), s))
		return decimal.Zero
	}
	return d
}

// exact converts a published number to a plain decimal string, moving the
// point by shift places (3 for £k to £, 6 for £m to £).
func (g *gen) exact(file, s string, shift int32) string {
	d := g.num(file, s).Shift(shift)
	places := -d.Exponent()
	if places < 0 {
		places = 0
	}
	return d.StringFixed(places)
}

func (g *gen) sources() error {
	rows, err := readCSV(filepath.Join(g.from, "icb_sources.csv"))
	if err != nil {
		return err
	}
	var out [][]string
	for _, r := range rows {
		note := r["how_obtained"]
		if r["type_and_confidence"] != "" {
			note += " [" + r["type_and_confidence"] + "]"
		}
		out = append(out, []string{r["source_id"], r["title"], r["url"], lastModified(r["title"]), note})
	}
	// Sources of the other datasets and of the parameters.
	cites, err := readCSV(filepath.Join(g.from, "citations.csv"))
	if err != nil {
		return err
	}
	for _, r := range cites {
		out = append(out, []string{r["id"], r["title"], r["url"], r["published"], r["note"]})
	}
	fps, err := readCSV(filepath.Join(g.from, "icb_footprints_2026_sources.csv"))
	if err != nil {
		return err
	}
	for _, r := range fps {
		out = append(out, []string{r["source_id"], r["title"], r["url"], r["date"], r["what"] + " [" + r["confidence"] + "]"})
	}
	pubs, err := readCSV(filepath.Join(g.from, "published_2025_2026.csv"))
	if err != nil {
		return err
	}
	for i, r := range pubs {
		out = append(out, []string{publishedSourceID(i), r["source_title"], firstURL(r["source_url"]), r["source_date"], "further addresses: " + r["source_url"]})
	}
	grows, err := readCSV(filepath.Join(g.from, "public_health_grant_totals.csv"))
	if err != nil {
		return err
	}
	for i, r := range grows {
		out = append(out, []string{grantSourceID(i), r["source_title"], firstURL(r["source_url"]), r["source_date"], "further addresses: " + r["source_url"]})
	}
	return g.emitFile(dataset.SourcesFile, out)
}

// lastModifiedRE finds the date a workbook's title gives ("file last
// modified 2025-03-17").
var lastModifiedRE = regexp.MustCompile(`file last modified (\d{4}-\d{2}-\d{2})`)

func lastModified(title string) string {
	if m := lastModifiedRE.FindStringSubmatch(title); m != nil {
		return m[1]
	}
	return ""
}

// parameters checks the raw parameters file with the library's loader and
// writes it in the loader's canonical form.
func (g *gen) parameters() error {
	path := filepath.Join(g.from, dataset.ParametersFile)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	p, err := dataset.ReadParameters(f, path)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := p.Write(&b); err != nil {
		return err
	}
	g.out[dataset.ParametersFile] = b.Bytes()
	return nil
}

func grantSourceID(i int) string { return fmt.Sprintf("PHG-%02d", i+1) }

func firstURL(s string) string {
	if i := strings.Index(s, " ; "); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return strings.TrimSpace(s)
}

// cell maps one workbook column (sheet, header) to a tidy row.
type cell struct {
	sheet, header string
	year          string
	stream        string
	measure       string
	item          string
}

var cells = []cell{
	// Core services: 2022/23 restated baseline and the 2023/24 round [S1].
	{"ICB Core Baseline 2023-24", "2022/23 Recurrent baseline (£k)", "2022/23", "core", "recurrent", ""},
	{"ICB Core Baseline 2023-24", "2022/23 COVID (£k)", "2022/23", "core", "non_recurrent", "covid"},
	{"ICB Core Baseline 2023-24", "2022/23 Additional elective funding (ICB) (£k)", "2022/23", "core", "non_recurrent", "elective"},
	{"ICB Core Allocations 2023-24", "2022/23 Adjusted recurrent baseline (£k)", "2022/23", "core", "adjusted_baseline", ""},
	{"ICB Core Allocations 2023-24", "2022/23 Fair Shares Target (£k)", "2023/24", "core", "target", ""},
	{"ICB Core Allocations 2023-24", "2022/23 Distance from target (%)", "2023/24", "core", "dft_before", ""},
	{"ICB Core Allocations 2023-24", "2023/24 Base growth (%)", "2023/24", "core", "growth", ""},
	{"ICB Core Allocations 2023-24", "2023/24 Convergence (%)", "2023/24", "core", "convergence", ""},
	{"ICB Core Allocations 2023-24", "2023/24 Recurrent allocation (£k)", "2023/24", "core", "recurrent", ""},
	{"ICB Core Allocations 2023-24", "2023/24 Post-convergence distance from target (%)", "2023/24", "core", "dft_after", ""},
	{"ICB Core Allocations 2023-24", "2023/24 COVID (£k)", "2023/24", "core", "non_recurrent", "covid"},
	{"ICB Core Allocations 2023-24", "2023/24 Additional elective funding (£k)", "2023/24", "core", "non_recurrent", "elective"},
	{"ICB Core Allocations 2023-24", "2023/24 Additional discharge allocation (£k)", "2023/24", "core", "non_recurrent", "discharge"},
	{"ICB Core Allocations 2023-24", "2023/24 Capacity funding (£k)", "2023/24", "core", "non_recurrent", "capacity"},
	// Core 2024/25 round [S1]; the 2023/24 adjusted baseline includes 2023/24 COVID money.
	{"ICB Core Baseline 2024-25", "2023/24 Adjusted recurrent baseline (£k)", "2023/24", "core", "adjusted_baseline", ""},
	{"ICB Core Allocations 2024-25", "2023/24 Fair shares target (inc. COVID)", "2024/25", "core", "target", ""},
	{"ICB Core Allocations 2024-25", "2023/24 Distance from target inc COVID (%)", "2024/25", "core", "dft_before", ""},
	{"ICB Core Allocations 2024-25", "2024/25 Base growth (%)", "2024/25", "core", "growth", ""},
	{"ICB Core Allocations 2024-25", "2024/25 Convergence (%)", "2024/25", "core", "convergence", ""},
	{"ICB Core Allocations 2024-25", "2024/25 Recurrent allocation (£k)", "2024/25", "core", "recurrent", ""},
	{"ICB Core Allocations 2024-25", "2024/25 Post-convergence distance from target (%)", "2024/25", "core", "dft_after", ""},
	{"ICB Core Allocations 2024-25", "2024/25 Additional elective funding (£k)", "2024/25", "core", "non_recurrent", "elective"},
	{"ICB Core Allocations 2024-25", "2024/25 Additional discharge allocation (£k)", "2024/25", "core", "non_recurrent", "discharge"},
	// Core 2025/26 round [S2].
	{"ICB Core Baseline 2025-26", "2024/25 Adjusted recurrent baseline (£k)", "2024/25", "core", "adjusted_baseline", ""},
	{"ICB Core Baseline 2025-26", "2024/25 Additional elective funding (£k)", "2024/25", "core", "restated_non_recurrent", "elective"},
	{"ICB Core Allocations 2025-26", "2024/25 Fair shares target (£k)", "2025/26", "core", "target", ""},
	{"ICB Core Allocations 2025-26", "2024/25 Distance from target (%)", "2025/26", "core", "dft_before", ""},
	{"ICB Core Allocations 2025-26", "2025/26 Base growth (%)", "2025/26", "core", "growth", ""},
	{"ICB Core Allocations 2025-26", "2025/26 Convergence (%)", "2025/26", "core", "convergence", ""},
	{"ICB Core Allocations 2025-26", "2025/26 Recurrent allocation (£k)", "2025/26", "core", "recurrent", ""},
	{"ICB Core Allocations 2025-26", "2025/26 Post-convergence distance from target (%)", "2025/26", "core", "dft_after", ""},
	{"ICB Core Allocations 2025-26", "2025/26 Transfers from Service Development Fund (£k)", "2025/26", "core", "recurrent_addition", "sdf_transfer"},
	{"ICB Core Allocations 2025-26", "2025/26 Elective Recovery Funding: Core (£k)", "2025/26", "core", "non_recurrent", "elective_recovery_core"},
	{"ICB Core Allocations 2025-26", "2025/26 Elective Recovery Funding: Additional (£k)", "2025/26", "core", "non_recurrent", "elective_recovery_additional"},
	{"ICB Core Allocations 2025-26", "2025/26 Covid-19 testing (£k)", "2025/26", "core", "non_recurrent", "covid_testing"},
	{"ICB Core Allocations 2025-26", "2025/26 Central technology licence arrangement adjustment (£k)", "2025/26", "core", "non_recurrent", "technology_licence_adjustment"},
	{"ICB Core Allocations 2025-26", "2025/26 Discharge (£k)", "2025/26", "core", "non_recurrent", "discharge"},
	{"ICB Core Allocations 2025-26", "2025/26 Roll out of OCT (£k)", "2025/26", "core", "non_recurrent", "oct_roll_out"},
	{"ICB Core Allocations 2025-26", "2025/26 Charge exempt overseas visitor adjustment", "2025/26", "core", "non_recurrent", "overseas_visitor_adjustment"},
	{"ICB Core Allocations 2025-26", "2025/26 Pay: Other income support (£k)", "2025/26", "core", "non_recurrent", "pay_other_income_support"},
	{"ICB Core Allocations 2025-26", "2025/26 Corneal tissue (£k)", "2025/26", "core", "non_recurrent", "corneal_tissue"},
	// Primary medical care [S1, S2].
	{"PMC Baseline 2023-24", "2022/23 Recurrent baseline (£k)", "2022/23", "pmc", "recurrent", ""},
	{"PMC Allocations 2023-24", "2022/23 Adjusted recurrent baseline (£k)", "2022/23", "pmc", "adjusted_baseline", ""},
	{"PMC Allocations 2023-24", "2022/23 Fair Shares Target (£k)", "2023/24", "pmc", "target", ""},
	{"PMC Allocations 2023-24", "2022/23 Distance from target (%)", "2023/24", "pmc", "dft_before", ""},
	{"PMC Allocations 2023-24", "2023/24 Base growth (%)", "2023/24", "pmc", "growth", ""},
	{"PMC Allocations 2023-24", "2023/24 Convergence (%)", "2023/24", "pmc", "convergence", ""},
	{"PMC Allocations 2023-24", "2023/24 Recurrent allocation (£k)", "2023/24", "pmc", "recurrent", ""},
	{"PMC Allocations 2023-24", "2023/24 Post-convergence distance from target (%)", "2023/24", "pmc", "dft_after", ""},
	{"PMC Baseline 2024-25", "2023/24 Adjusted recurrent baseline (£k)", "2023/24", "pmc", "adjusted_baseline", ""},
	{"PMC Allocations 2024-25", "2023/24 Fair Shares Target (£k)", "2024/25", "pmc", "target", ""},
	{"PMC Allocations 2024-25", "2023/24 Distance from target (%)", "2024/25", "pmc", "dft_before", ""},
	{"PMC Allocations 2024-25", "2024/25 Base growth (%)", "2024/25", "pmc", "growth", ""},
	{"PMC Allocations 2024-25", "2024/25 Convergence (%)", "2024/25", "pmc", "convergence", ""},
	{"PMC Allocations 2024-25", "2024/25 Recurrent allocation (£k)", "2024/25", "pmc", "recurrent", ""},
	{"PMC Allocations 2024-25", "2024/25 Post-convergence distance from target (%)", "2024/25", "pmc", "dft_after", ""},
	{"PMC Baseline 2025-26", "2024/25 Adjusted recurrent baseline (£k)", "2024/25", "pmc", "adjusted_baseline", ""},
	{"PMC Allocation 2025-26", "2024/25 Fair shares target", "2025/26", "pmc", "target", ""},
	{"PMC Allocation 2025-26", "2024/25 Distance from target (%)", "2025/26", "pmc", "dft_before", ""},
	{"PMC Allocation 2025-26", "2025/26 Base growth (%)", "2025/26", "pmc", "growth", ""},
	{"PMC Allocation 2025-26", "2025/26 Convergence (%)", "2025/26", "pmc", "convergence", ""},
	{"PMC Allocation 2025-26", "2025/26 Recurrent allocation (£k)", "2025/26", "pmc", "recurrent", ""},
	{"PMC Allocation 2025-26", "2025/26 Post-convergence distance from target (%)", "2025/26", "pmc", "dft_after", ""},
	{"PMC Allocation 2025-26", "Remaining 2025/26 growth (£k)", "2025/26", "pmc", "recurrent_addition", "remaining_growth"},
	{"PMC Allocation 2025-26", "Adjustment for childhood vaccinations (£k)", "2025/26", "pmc", "recurrent_addition", "childhood_vaccinations"},
	{"PMC Allocation 2025-26", "Additional ARRS previously in SDF (£k)", "2025/26", "pmc", "recurrent_addition", "arrs_from_sdf"},
	{"PMC Allocation 2025-26", "ARRS for GPs (£k)", "2025/26", "pmc", "recurrent_addition", "arrs_for_gps"},
	// Other primary care / POD (pharmacy, optometry, dental) [S1, S2].
	{"Other Primary Care", "2022/23 Recurrent baseline £k", "2022/23", "pod", "recurrent", ""},
	{"Other Primary Care", "2023/24 Base growth %", "2023/24", "pod", "growth", ""},
	{"Other Primary Care", "2023/24 Convergence %", "2023/24", "pod", "convergence", ""},
	{"Other Primary Care", "2023/24 Recurrent allocation £k", "2023/24", "pod", "recurrent", ""},
	{"Other Primary Care", "2024/25 Base growth %", "2024/25", "pod", "growth", ""},
	{"Other Primary Care", "2024/25 Convergence %", "2024/25", "pod", "convergence", ""},
	{"Other Primary Care", "2024/25 Recurrent allocation £k", "2024/25", "pod", "recurrent", ""},
	{"POD Baseline 2025-26", "2024/25 Adjusted recurrent baseline (£k)", "2024/25", "pod", "adjusted_baseline", ""},
	{"POD Allocation 2025-26", "2025/26 Base growth (%)", "2025/26", "pod", "growth", ""},
	{"POD Allocation 2025-26", "2025/26 Recurrent allocation (£k)", "2025/26", "pod", "recurrent", ""},
	{"POD Allocation 2025-26", "Community LFD testing (£k)", "2025/26", "pod", "non_recurrent", "community_lfd_testing"},
	// Delegated specialised services, from 2025/26 [S2]. The formula runs on
	// physical health services + high-cost drugs and devices (HCDD); HCDD is
	// then taken out and delegated mental health added to give the delegated
	// allocation (England £15,872m).
	{"Specialised Allocations 2025-26", "2024/25 Physical health services + HCDD recurrent baseline (£k)", "2024/25", "specialised", "adjusted_baseline", ""},
	{"Specialised Allocations 2025-26", "2024/25 Fair shares target", "2025/26", "specialised", "target", ""},
	{"Specialised Allocations 2025-26", "2024/25 Distance from target (%)", "2025/26", "specialised", "dft_before", ""},
	{"Specialised Allocations 2025-26", "2025/26 Base growth (%)", "2025/26", "specialised", "growth", ""},
	{"Specialised Allocations 2025-26", "2025/26 Convergence (%)", "2025/26", "specialised", "convergence", ""},
	{"Specialised Allocations 2025-26", "2025/26 Physical health services + HCDD recurrent allocation (£k)", "2025/26", "specialised", "recurrent", ""},
	{"Specialised Allocations 2025-26", "2025/26 Post-convergence distance from target (%)", "2025/26", "specialised", "dft_after", ""},
	{"Specialised Allocations 2025-26", "2025/26 HCDD total (£k)", "2025/26", "specialised", "recurrent_addition", "hcdd_outside_delegation"},
	{"Specialised Allocations 2025-26", "2025/26 Delegated MH resource allocation (£k)", "2025/26", "specialised", "recurrent_addition", "delegated_mental_health"},
	{"Specialised Allocations 2025-26", "2025/26 Corneal tissue (£k)", "2025/26", "specialised", "recurrent_addition", "corneal_tissue"},
	// Running cost allowance [S1 for 2023/24 and 2024/25; S2 v1.4 for 2025/26].
	{"ICB running cost allowance", "2023/24 £k", "2023/24", "rca", "recurrent", ""},
	{"ICB running cost allowance", "2024/25 £k", "2024/25", "rca", "recurrent", ""},
	{"ICB running cost allowance", "2025/26 (£k)", "2025/26", "rca", "recurrent", ""},
}

// inYear says, per stream, where the first year of the two-year
// 2023/24-2024/25 round finds its in-year money (see dataset.InYear): its
// base (the adjusted recurrent baseline, or the recurrent allocation where
// the round gives none), the next year's first-published recurrent
// allocation [S1], and the 2025/26 round's updated recurrent baseline for
// that year, before the next year's own in-year additions [S2].
var inYear = []struct {
	year, stream         string
	base, first, updated [2]string
}{
	{"2023/24", "core",
		[2]string{"ICB Core Baseline 2024-25", "2023/24 Adjusted recurrent baseline (£k)"},
		[2]string{"ICB Core Allocations 2024-25", "2024/25 Recurrent allocation (£k)"},
		[2]string{"ICB Core Baseline 2025-26", "2024/25 Recurrent baseline - updated (£k)"}},
	{"2023/24", "pmc",
		[2]string{"PMC Baseline 2024-25", "2023/24 Adjusted recurrent baseline (£k)"},
		[2]string{"PMC Allocations 2024-25", "2024/25 Recurrent allocation (£k)"},
		[2]string{"PMC Baseline 2025-26", "2024/25 Recurrent baseline - published (£k)"}},
	{"2023/24", "pod",
		[2]string{"Other Primary Care", "2023/24 Recurrent allocation £k"},
		[2]string{"Other Primary Care", "2024/25 Recurrent allocation £k"},
		[2]string{"POD Baseline 2025-26", "2024/25 Recurrent baseline (£k)"}},
}

// negated items are published as positive amounts that the allocation
// takes away: high-cost drugs and devices sit in the specialised formula
// base but outside the delegated allocation.
var negated = map[string]bool{"hcdd_outside_delegation": true}

// totals are the workbook totals each stream's parts must add up to (to £0.5k).
var totalChecks = []struct {
	sheet, header, year, stream string
	negateItems                 []string
}{
	{"ICB Core Allocations 2023-24", "2023/24 Combined allocation (inc. COVID, additional elective, discharge, and capacity) (£k)", "2023/24", "core", nil},
	{"ICB Core Allocations 2024-25", "2024/25 Combined allocation (inc. COVID, additional elective and discharge) (£k)", "2024/25", "core", nil},
	{"ICB Core Allocations 2025-26", "2025/26 Total allocation (£k)", "2025/26", "core", nil},
	{"PMC Allocation 2025-26", "Revised recurrent allocation (£k)", "2025/26", "pmc", nil},
	{"POD Allocation 2025-26", "2025/26 Total allocation (£k)", "2025/26", "pod", nil},
	{"Specialised Allocations 2025-26", "2025/26 Physical health services + MH resource allocation (£k)", "2025/26", "specialised", nil},
}

func (g *gen) allocations() error {
	wide, err := readCSV(filepath.Join(g.from, "icb_allocations.csv"))
	if err != nil {
		return err
	}
	g.icbs = map[string][2]string{}
	for _, r := range wide {
		g.icbs[r["icb_ods_code"]] = [2]string{r["icb_name"], r["nhs_region"]}
		g.order = append(g.order, r["icb_ods_code"])
	}
	long, err := g.longRows()
	if err != nil {
		return err
	}
	type key struct{ sheet, header, icb string }
	vals := map[key]map[string]string{}
	for _, r := range long {
		vals[key{r["sheet"], r["column_header"], r["icb_ods_code"]}] = r
	}
	var rows [][]string
	sums := map[[3]string]decimal.Decimal{} // icb, year, stream -> recurrent + additions + non-recurrent (£k)
	for _, c := range cells {
		for _, icb := range g.order {
			r, ok := vals[key{c.sheet, c.header, icb}]
			if !ok {
				return fmt.Errorf("no cell %q / %q for %s", c.sheet, c.header, icb)
			}
			unit, value := "GBP", ""
			switch r["unit"] {
			case "GBP_thousands":
				v := g.num(longFile, r["value"])
				if negated[c.item] {
					v = v.Neg()
				}
				value = g.exact(longFile, v.String(), 3)
				if c.measure == "recurrent" || c.measure == "recurrent_addition" || c.measure == "non_recurrent" {
					k := [3]string{icb, c.year, c.stream}
					sums[k] = sums[k].Add(v)
				}
			case "fraction":
				unit, value = "fraction", g.exact(longFile, r["value"], 0)
			default:
				return fmt.Errorf("unexpected unit %q", r["unit"])
			}
			nm := g.icbs[icb]
			rows = append(rows, []string{c.year, icb, nm[0], nm[1], c.stream, c.measure, c.item, value, unit, "published", r["source_id"]})
		}
	}
	for _, t := range totalChecks {
		for _, icb := range g.order {
			r := vals[key{t.sheet, t.header, icb}]
			want := g.num(longFile, r["value"])
			got := sums[[3]string{icb, t.year, t.stream}]
			if got.Sub(want).Abs().GreaterThan(decimal.New(5, -1)) {
				return fmt.Errorf("%s %s %s: parts add to %s £k, workbook total %s £k", icb, t.year, t.stream, got, want)
			}
		}
	}
	// 2023/24's in-year recurrent money (dataset.InYear), backed out of the
	// 2025/26 round's updated 2024/25 baseline at 2024/25's published
	// growth: base x (updated 2024/25 baseline / first-published 2024/25
	// recurrent allocation - 1), in pounds to the penny.
	for _, iy := range inYear {
		for _, icb := range g.order {
			get := func(sheet, header string) (decimal.Decimal, error) {
				r, ok := vals[key{sheet, header, icb}]
				if !ok {
					return decimal.Zero, fmt.Errorf("no cell %q / %q for %s", sheet, header, icb)
				}
				return g.num(longFile, r["value"]), nil
			}
			base, err := get(iy.base[0], iy.base[1])
			if err != nil {
				return err
			}
			first, err := get(iy.first[0], iy.first[1])
			if err != nil {
				return err
			}
			updated, err := get(iy.updated[0], iy.updated[1])
			if err != nil {
				return err
			}
			if first.Sign() <= 0 {
				return fmt.Errorf("%s: %s's %s / %s is %s: cannot back out in-year money", filepath.Join(g.from, longFile), icb, iy.first[0], iy.first[1], first)
			}
			v := base.Mul(updated).DivRound(first, 12).Sub(base).Shift(3).Round(2)
			nm := g.icbs[icb]
			rows = append(rows, []string{iy.year, icb, nm[0], nm[1], iy.stream, "in_year", "", v.StringFixed(2), "GBP", "derived", "S2"})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
	header := []string{"year", "icb_code", "icb_name", "region", "stream", "measure", "item", "value", "unit", "status", "source"}
	return g.emit(dataset.AllocationsFile, header, rows)
}

func (g *gen) populations() error {
	long, err := g.longRows()
	if err != nil {
		return err
	}
	var rows [][]string
	measure := func(h string) string {
		switch {
		case strings.HasPrefix(h, "projected GP registered population"):
			return "registered"
		case strings.HasPrefix(h, "core services weighted population"):
			return "weighted_core"
		case strings.HasPrefix(h, "primary medical care weighted population"):
			return "weighted_pmc"
		}
		return ""
	}
	type k2 struct{ icb, col string }
	cell := map[k2]string{}
	for _, r := range long {
		cell[k2{r["icb_ods_code"], r["sheet"] + "|" + r["column_header"]}] = r["value"]
		if r["sheet"] != "AIF practice file" {
			continue
		}
		m := measure(r["column_header"])
		if m == "" {
			continue // Oct 2021 registrations: superseded by the projected 2022/23 population
		}
		src := "S3"
		if r["allocation_round"] == "2022/23" {
			src = "S4"
		}
		nm := g.icbs[r["icb_ods_code"]]
		rows = append(rows, []string{r["allocation_round"], r["icb_ods_code"], nm[0], m, g.exact(longFile, r["value"], 0), "published", src})
	}
	// 2025/26 registered population, backed out of the published core
	// recurrent allocation and its published £ per head (to whole persons).
	for _, icb := range g.order {
		rec := g.num(longFile, cell[k2{icb, "ICB Core Allocations 2025-26|2025/26 Recurrent allocation (£k)"}]).Shift(3)
		ph := g.num(longFile, cell[k2{icb, "ICB Core Allocations 2025-26|2025/26 Recurrent allocation £/head"}])
		if ph.Sign() <= 0 {
			return fmt.Errorf("%s: %s's 2025/26 core allocation per head is %s: cannot derive its population", filepath.Join(g.from, longFile), icb, ph)
		}
		pop := rec.DivRound(ph, 0)
		nm := g.icbs[icb]
		rows = append(rows, []string{"2025/26", icb, nm[0], "registered", pop.String(), "derived", "S2"})
	}
	pops, err := readCSV(filepath.Join(g.from, "england_population.csv"))
	if err != nil {
		return err
	}
	// Years after the latest estimate grow it with the projection's
	// year-on-year growth, so that the estimate and the projection meet
	// without a jump (the 2022-based projection is 0.3m above the mid-2025
	// estimate for 2025 and the gap would appear as a year's growth).
	latest, latestYear := decimal.Zero, ""
	proj := map[string]decimal.Decimal{}
	for _, r := range pops {
		superseded := strings.HasPrefix(r["note"], "SUPERSEDED")
		switch {
		case r["kind"] == "estimate" && !superseded && r["year"] > latestYear:
			latest, latestYear = g.num("england_population.csv", r["value_persons"]), r["year"]
		case r["kind"] == "projection":
			proj[r["year"]] = g.num("england_population.csv", r["value_persons"])
		}
	}
	if proj[latestYear].Sign() <= 0 {
		return fmt.Errorf("%s: no projection for %s, the year of the latest estimate: the projection cannot be chained onto it", filepath.Join(g.from, "england_population.csv"), latestYear)
	}
	for _, r := range pops {
		// Mid-year N is the population of financial year N/N+1 (mid-2015 for 2015/16).
		y := r["year"]
		fy := fmt.Sprintf("%s/%02d", y, (g.num("england_population.csv", y).IntPart()+1)%100)
		superseded := strings.HasPrefix(r["note"], "SUPERSEDED")
		only := strings.Contains(r["note"], "ONLY value found")
		switch {
		case r["kind"] == "estimate" && (!superseded || only):
			src := "ONS-MYE"
			if only {
				src = "ONS-MYE-2011"
			}
			rows = append(rows, []string{fy, "ENG", "England", "resident", r["value_persons"], "published", src})
		case r["kind"] == "projection" && y > latestYear:
			v := latest.Mul(g.num("england_population.csv", r["value_persons"])).DivRound(proj[latestYear], 0)
			rows = append(rows, []string{fy, "ENG", "England", "resident", v.String(), "projected", "ONS-NPP-2022"})
		case r["kind"] == "gp_registered":
			rows = append(rows, []string{fy, "ENG", "England", "registered", r["value_persons"], "published", "NHSD-GPREG-2025-10"})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
	return g.emit(dataset.PopulationsFile, []string{"year", "area_code", "area_name", "measure", "value", "status", "source"}, rows)
}

func (g *gen) grant() error {
	rows, err := readCSV(filepath.Join(g.from, "public_health_grant_totals.csv"))
	if err != nil {
		return err
	}
	var out, bench [][]string
	for i, r := range rows {
		src := grantSourceID(i)
		if r["unit"] != "GBP_m" {
			bench = append(bench, []string{r["financial_year"], r["measure"], r["value"], r["unit"], r["price_basis"], r["status"], src})
			continue
		}
		if strings.TrimSpace(r["value"]) == "" {
			continue // not found in any source: left out, never guessed (see README)
		}
		if strings.Contains(r["price_basis"], "real") || strings.HasPrefix(r["measure"], "real_terms") || strings.HasPrefix(r["measure"], "allocation_change") || strings.HasPrefix(r["measure"], "cash_cut") {
			bench = append(bench, []string{r["financial_year"], r["measure"], r["value"], r["unit"], r["price_basis"], r["status"], src})
			continue
		}
		measure, vintage := grantMeasure(r["measure"]), grantVintage(r["status"])
		lfl := "true"
		if strings.Contains(r["measure"], "consolidated") || strings.HasPrefix(r["financial_year"], "2026/27") {
			lfl = "false"
		}
		note := r["status"]
		if r["scope_notes"] != "" {
			note += ". " + r["scope_notes"]
		}
		out = append(out, []string{r["financial_year"], measure, vintage, g.exact("public_health_grant_totals.csv", r["value"], 6), lfl, note, src})
	}
	// The grants consolidated into the public health grant from 2026/27,
	// at their latest amounts outside it (2025/26), from the figures
	// published since the 2025/26 round.
	pub, err := readCSV(filepath.Join(g.from, "published_2025_2026.csv"))
	if err != nil {
		return err
	}
	latest := map[string]map[string]string{}
	var names []string
	for i, r := range pub {
		name, ok := consolidatedGrant(r["measure"])
		if !ok {
			continue
		}
		if _, seen := latest[name]; !seen {
			names = append(names, name)
		}
		if prev, seen := latest[name]; !seen || r["financial_year"] > prev["financial_year"] {
			r["source_id"] = publishedSourceID(i)
			latest[name] = r
		}
	}
	for _, name := range names {
		r := latest[name]
		out = append(out, []string{"2026/27", name, "reported", g.exact("published_2025_2026.csv", r["value"], 6), "false",
			fmt.Sprintf("consolidated into the public health grant from 2026/27; its %s amount outside the grant: %s", r["financial_year"], r["note"]), r["source_id"]})
	}
	if err := g.emit(dataset.GrantFile, []string{"year", "measure", "vintage", "value", "like_for_like", "note", "source"}, out); err != nil {
		return err
	}
	return g.emit("grant_benchmarks.csv", []string{"period", "measure", "value", "unit", "basis", "note", "source"}, bench)
}

// grantMeasure names each grant figure in the embedded vocabulary: "total"
// for the grant allocation of a year (whatever its vintage), "total_multi_year"
// for a total over several years, and the component names otherwise.
func grantMeasure(m string) string {
	switch {
	case strings.HasPrefix(m, "three_year_total"):
		return "total_multi_year"
	case strings.HasPrefix(m, "total_phg_allocation"), m == "total_phg_incl_0to5_before_in_year_cut", m == "baseline_used_in_2017_18_circular":
		return "total"
	case m == "core_phg_allocation_excl_0to5":
		return "core_excl_0to5"
	case m == "transfer_0to5_children_services_part_year":
		return "transfer_0to5_part_year"
	}
	return m
}

// grantVintage reduces the reference file's status text to one word.
func grantVintage(status string) string {
	s := strings.ToLower(status)
	for _, v := range []struct{ in, out string }{{"indicative", "indicative"}, {"revised", "revised"}, {"confirmed", "confirmed"},
		{"baseline", "restated"}, {"lower bound", "lower_bound"}, {"reported", "reported"}} {
		if strings.Contains(s, v.in) {
			return v.out
		}
	}
	return "announced"
}

func (g *gen) deflators() error {
	rows, err := readCSV(filepath.Join(g.from, "deflators.csv"))
	if err != nil {
		return err
	}
	var out [][]string
	for _, v := range []struct{ col, vintage, src, label string }{
		{"obr_gdp_deflator_pct_change_efo_nov2025", "obr-2025-11", "OBR-2025-11", "Nov 2025 EFO:"},
		{"obr_gdp_deflator_pct_change_efo_mar2025", "obr-2025-03", "OBR-2025-03", "Mar 2025 EFO:"},
	} {
		for _, r := range rows {
			if strings.TrimSpace(r[v.col]) == "" {
				continue
			}
			status := deflatorStatus(r["forecast_or_outturn_note"], v.label)
			fy := strings.Replace(r["financial_year"], "-", "/", 1)
			g.num("deflators.csv", r[v.col]) // a bad cell is named with the raw file
			out = append(out, []string{fy, "gdp", v.vintage, "pct_change", r[v.col], status, v.src})
		}
	}
	return g.emit(dataset.DeflatorsFile, []string{"year", "deflator", "vintage", "measure", "value", "status", "source"}, out)
}

// deflatorStatus reads whether a year is outturn (published) or forecast
// (projected) in one vintage. The note is either one word for both vintages
// ("outturn in both OBR vintages", "OBR forecast") or one clause a vintage
// ("Mar 2025 EFO: forecast/estimate; Nov 2025 EFO: outturn-...").
func deflatorStatus(note, label string) string {
	for _, clause := range strings.Split(note, ";") {
		if c := strings.TrimSpace(clause); strings.HasPrefix(c, label) {
			note = c
		}
	}
	if strings.Contains(note, "outturn") {
		return "published"
	}
	return "projected"
}

func (g *gen) totals() error {
	rows, err := readCSV(filepath.Join(g.from, "national_totals.csv"))
	if err != nil {
		return err
	}
	var out [][]string
	for _, r := range rows {
		if r["unit"] != "GBP_millions" || (r["source_id"] != "S1" && r["source_id"] != "S2") {
			continue
		}
		out = append(out, []string{r["financial_year"], r["measure"], g.exact("national_totals.csv", r["value"], 6), r["scope"], r["source_id"], r["note"]})
	}
	return g.emit(dataset.EnglandTotalsFile, []string{"year", "measure", "value", "scope", "source", "note"}, out)
}

// footprintYears are the allocation years a footprint restates, and the
// practice file whose populations split an ICB in each: the 2023/24 tool
// for 2022/23 and 2023/24, the 2024/25 tool for 2024/25 and 2025/26 (the
// latest practice-level populations published).
var footprintYears = []struct{ year, file string }{
	{"2022/23", "gp_practice_populations_2023_24.csv"},
	{"2023/24", "gp_practice_populations_2023_24.csv"},
	{"2024/25", "gp_practice_populations_2024_25.csv"},
	{"2025/26", "gp_practice_populations_2024_25.csv"},
}

// footprintWeights are the practice file's columns each weight adds up:
// registered population, core services and primary medical care weighted
// populations.
var footprintWeights = []struct{ weight, column string }{
	{"registered", "pop 2022/23"},
	{"core", "Final WP"},
	{"pmc", "Final PMC WP"},
}

// footprints builds footprints.csv from icb_footprints_2026.csv: each old
// ICB, or part of one, with the new ICB it joins and, for every year and
// weight, its share of the old ICB. A whole ICB's share is 1; a part's is
// the sum over its practices (by sub-ICB location, or by district for
// Frimley) over the old ICB's, to 10 places, the last part taking the rest
// so that the parts of an ICB add up to exactly 1.
func (g *gen) footprints() error {
	const file = "icb_footprints_2026.csv"
	rows, err := readCSV(filepath.Join(g.from, file))
	if err != nil {
		return err
	}
	type practices []map[string]string
	byFile := map[string]practices{}
	for _, fy := range footprintYears {
		if _, ok := byFile[fy.file]; ok {
			continue
		}
		ps, err := readCSV(filepath.Join(g.from, fy.file))
		if err != nil {
			return err
		}
		byFile[fy.file] = ps
	}
	// inPart reports whether a practice is in a footprint row's part.
	inPart := func(r, p map[string]string) (bool, error) {
		if p["ICS22"] != r["old_icb_ods"] {
			return false, nil
		}
		codes := strings.Split(r["part_codes"], ";")
		switch r["part"] {
		case "whole":
			return true, nil
		case "sub-ICB locations":
			return slices.Contains(codes, p["CCG21"]), nil
		case "practices by local authority district":
			return slices.Contains(codes, p["LTLA21"]), nil
		}
		return false, fmt.Errorf("%s: part %q of %s: want whole, sub-ICB locations or practices by local authority district", filepath.Join(g.from, file), r["part"], r["old_icb_ods"])
	}
	// The parts of each old ICB, in file order.
	var olds []string
	parts := map[string][]map[string]string{}
	for _, r := range rows {
		if _, ok := g.icbs[r["old_icb_ods"]]; !ok {
			return fmt.Errorf("%s: old_icb_ods %q: not one of the 42 ICBs of the allocations", filepath.Join(g.from, file), r["old_icb_ods"])
		}
		if parts[r["old_icb_ods"]] == nil {
			olds = append(olds, r["old_icb_ods"])
		}
		parts[r["old_icb_ods"]] = append(parts[r["old_icb_ods"]], r)
	}
	var out [][]string
	for _, old := range olds {
		ps := parts[old]
		// shares[k] are part k's shares, by year then weight.
		shares := make([][]decimal.Decimal, len(ps))
		for _, fy := range footprintYears {
			for _, w := range footprintWeights {
				sums := make([]decimal.Decimal, len(ps))
				var total decimal.Decimal
				for _, p := range byFile[fy.file] {
					if p["ICS22"] != old {
						continue
					}
					v := g.num(fy.file, p[w.column])
					total = total.Add(v)
					found := -1
					for k, r := range ps {
						in, err := inPart(r, p)
						if err != nil {
							return err
						}
						if in {
							if found >= 0 {
								return fmt.Errorf("%s: practice %s of %s is in two parts (%s and %s)", filepath.Join(g.from, file), p["Practice_Code"], old, ps[found]["part_codes"], r["part_codes"])
							}
							found = k
						}
					}
					if found < 0 {
						return fmt.Errorf("%s: practice %s of %s (sub-ICB %s, district %s) is in no part: the parts would lose its money", filepath.Join(g.from, file), p["Practice_Code"], old, p["CCG21"], p["LTLA21"])
					}
					sums[found] = sums[found].Add(v)
				}
				if total.Sign() <= 0 {
					return fmt.Errorf("%s: %s has no %s population in %s", filepath.Join(g.from, file), old, w.weight, fy.file)
				}
				rest := decimal.NewFromInt(1)
				for k := range ps {
					share := sums[k].DivRound(total, budget.WorkingScale)
					if k == len(ps)-1 {
						share = rest
					}
					rest = rest.Sub(share)
					shares[k] = append(shares[k], share)
				}
			}
		}
		for k, r := range ps {
			src := strings.Split(r["source_ids"], ";")[0]
			if r["part"] != "whole" {
				src = "F4"
			}
			j := 0
			for _, fy := range footprintYears {
				for _, w := range footprintWeights {
					out = append(out, []string{"2026", old, r["new_icb_ods"], r["new_icb_ons_provisional"], r["new_icb_name"], g.icbs[old][1],
						r["part"] + partCodes(r["part_codes"]), fy.year, w.weight, shares[k][j].String(), src})
					j++
				}
			}
		}
	}
	return g.emitFile(dataset.FootprintsFile, out)
}

func partCodes(s string) string {
	if s == "" {
		return ""
	}
	return ": " + strings.ReplaceAll(s, ";", ", ")
}

// consolidatedGrant names a grant of published_2025_2026.csv that the
// public health grant consolidates from 2026/27 ("consolidated_" and a
// short name), or reports false.
func consolidatedGrant(measure string) (string, bool) {
	switch {
	case strings.HasPrefix(measure, "Local stop smoking services and support grant"):
		return "consolidated_stop_smoking", true
	case strings.HasPrefix(measure, "Drug and Alcohol Treatment and Recovery Improvement Grant"):
		return "consolidated_drug_alcohol_recovery", true
	}
	return "", false
}

// publishedSourceID is the source ID of row i of published_2025_2026.csv.
func publishedSourceID(i int) string { return fmt.Sprintf("PUB-%02d", i+1) }

// councilCrosswalk builds council_icb.csv: each upper-tier council's
// GP-registered population (2024/25 allocation tool) by the ICB of its
// residents' practices, on the 2022 footprint (the practice's ICB) and on
// each footprint of icb_footprints_2026.csv (the part the practice falls
// in), with each ICB's share of the council to 10 places, the last part
// taking the rest. Practices are placed in councils by their district
// (district_to_council_2024.csv, the 2023 councils applied): by practice
// location, not residence.
func (g *gen) councilCrosswalk() error {
	const pfile = "gp_practice_populations_2024_25.csv"
	dist, err := readCSV(filepath.Join(g.from, "district_to_council_2024.csv"))
	if err != nil {
		return err
	}
	council := map[string][2]string{}
	for _, r := range dist {
		council[r["lad21_code"]] = [2]string{r["council_code"], r["council_name"]}
	}
	ps, err := readCSV(filepath.Join(g.from, pfile))
	if err != nil {
		return err
	}
	fps, err := readCSV(filepath.Join(g.from, "icb_footprints_2026.csv"))
	if err != nil {
		return err
	}
	// newICB places a practice on the 2026 footprint.
	newICB := func(p map[string]string) string {
		for _, r := range fps {
			if r["old_icb_ods"] != p["ICS22"] {
				continue
			}
			codes := strings.Split(r["part_codes"], ";")
			if r["part"] == "whole" || slices.Contains(codes, p["CCG21"]) || slices.Contains(codes, p["LTLA21"]) {
				return r["new_icb_ods"]
			}
		}
		return p["ICS22"]
	}
	type key struct{ footprint, council, icb string }
	pop := map[key]decimal.Decimal{}
	total := map[string]decimal.Decimal{}
	var order []key
	for _, p := range ps {
		c, ok := council[p["LAD21"]]
		if !ok {
			return fmt.Errorf("%s: practice %s is in district %s, which district_to_council_2024.csv does not place in a council", filepath.Join(g.from, pfile), p["Practice_Code"], p["LAD21"])
		}
		v := g.num(pfile, p["pop 2022/23"])
		total[c[0]] = total[c[0]].Add(v)
		for _, k := range []key{{"2022", c[0], p["ICS22"]}, {"2026", c[0], newICB(p)}} {
			if _, seen := pop[k]; !seen {
				order = append(order, k)
			}
			pop[k] = pop[k].Add(v)
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if a.footprint != b.footprint {
			return a.footprint < b.footprint
		}
		if a.council != b.council {
			return a.council < b.council
		}
		return a.icb < b.icb
	})
	names := map[string]string{}
	for _, c := range council {
		names[c[0]] = c[1]
	}
	var out [][]string
	rest := map[string]decimal.Decimal{}
	for i, k := range order {
		gk := k.footprint + "|" + k.council
		if _, ok := rest[gk]; !ok {
			rest[gk] = decimal.NewFromInt(1)
		}
		share := pop[k].DivRound(total[k.council], budget.WorkingScale)
		if i == len(order)-1 || order[i+1].footprint != k.footprint || order[i+1].council != k.council {
			share = rest[gk] // the last part takes the rest
		}
		rest[gk] = rest[gk].Sub(share)
		out = append(out, []string{k.footprint, k.council, names[k.council], k.icb, pop[k].Round(0).String(), share.String(), "F4"})
	}
	return g.emitFile(dataset.CouncilCrosswalkFile, out)
}

// icbDirectory builds icbs.csv: every ICB of the 2022 footprint (ODS and
// ONS codes, name, region, from icb_allocations.csv) and of the 2026 one
// (the new bodies from icb_footprints_2026.csv, the others as in 2022).
func (g *gen) icbDirectory() error {
	rows, err := readCSV(filepath.Join(g.from, "icb_allocations.csv"))
	if err != nil {
		return err
	}
	fps, err := readCSV(filepath.Join(g.from, "icb_footprints_2026.csv"))
	if err != nil {
		return err
	}
	var out [][]string
	moved := map[string]bool{}
	for _, r := range fps {
		moved[r["old_icb_ods"]] = true
	}
	region := map[string]string{}
	for _, r := range rows {
		region[r["icb_ods_code"]] = r["nhs_region"]
		out = append(out, []string{"2022", r["icb_ods_code"], r["icb_ons_code"], r["icb_name"], r["nhs_region"]})
	}
	seen := map[string]bool{}
	var later [][]string
	for _, r := range rows {
		if !moved[r["icb_ods_code"]] {
			later = append(later, []string{"2026", r["icb_ods_code"], r["icb_ons_code"], r["icb_name"], r["nhs_region"]})
		}
	}
	for _, r := range fps {
		if seen[r["new_icb_ods"]] {
			continue
		}
		seen[r["new_icb_ods"]] = true
		later = append(later, []string{"2026", r["new_icb_ods"], r["new_icb_ons_provisional"], r["new_icb_name"], region[r["old_icb_ods"]]})
	}
	sort.Slice(later, func(i, j int) bool { return later[i][1] < later[j][1] })
	sort.Slice(out, func(i, j int) bool { return out[i][1] < out[j][1] })
	return g.emitFile(dataset.ICBDirectoryFile, append(out, later...))
}
