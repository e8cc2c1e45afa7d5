// Package apicheck holds tests of the library's public surface.
package apicheck

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoExportedVariables: the library packages export no variables but
// sentinel errors. A caller could assign an exported variable and change
// every later result in the process; presets are functions or constants.
func TestNoExportedVariables(t *testing.T) {
	eachLibraryFile(t, []string{"budget", "budget/dataset", "budget/alloc", "prevention", "scenario", "scenario/report"}, func(fset *token.FileSet, _ string, af *ast.File) {
		for _, decl := range af.Decls {
			g, ok := decl.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					if name.IsExported() && !strings.HasPrefix(name.Name, "Err") {
						t.Errorf("%s: exported variable %s: make it a function or a constant", fset.Position(name.Pos()), name.Name)
					}
				}
			}
		}
	})
}

// eachLibraryFile parses each Go file of dirs (from the module's root)
// but tests, and gives it to f with its path.
func eachLibraryFile(t *testing.T, dirs []string, f func(fset *token.FileSet, path string, af *ast.File)) {
	t.Helper()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			af, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			f(fset, filepath.ToSlash(path), af)
		}
	}
}

// TestModelLinksNoWorkbookOrCharts: no package of the library, and no
// program, links a workbook or chart library: workbooks are written by
// internal/xlsx with the standard library, charts by internal/chart, and
// excelize only reads workbooks back in tests (and internal/clitest,
// their helper). A tool that imports budget, prevention, scenario or
// scenario/report links neither writer, nor do the programs that write
// no files; only scenario/report/deliver does.
func TestModelLinksNoWorkbookOrCharts(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	const mod = "github.com/upstream-health/upstream/"
	deps := func(pkgs ...string) []string {
		t.Helper()
		out, err := exec.Command(goTool, append([]string{"list", "-deps"}, pkgs...)...).CombinedOutput()
		require.NoError(t, err, "%s", out)
		return strings.Fields(string(out))
	}
	for _, dep := range deps(mod+"budget/...", mod+"prevention/...", mod+"scenario/...", mod+"examples/...") {
		if strings.HasPrefix(dep, "github.com/xuri/excelize") || strings.HasPrefix(dep, "gonum.org/v1/plot") {
			t.Errorf("the library or a program links %s", dep)
		}
	}
	linksNone := func(what string, pkgs ...string) {
		t.Helper()
		for _, dep := range deps(pkgs...) {
			for _, drawing := range []string{mod + "internal/chart", mod + "internal/xlsx", mod + "scenario/report/deliver"} {
				if dep == drawing {
					t.Errorf("%s links %s", what, dep)
				}
			}
		}
	}
	linksNone("the model", mod+"budget/...", mod+"prevention", mod+"scenario")
	// The reports and their text are data: only deliver draws and writes
	// them. The programs that write no files (data, allocations) link
	// neither the chart nor the workbook writer.
	linksNone("scenario/report", mod+"scenario/report")
	linksNone("the programs that write no files", mod+"examples/data", mod+"examples/allocations")
	d := deps(mod + "scenario/report/deliver")
	assert.Contains(t, d, mod+"internal/xlsx", "the check would see the workbook writer")
	assert.Contains(t, d, mod+"internal/chart", "and the chart writer")
	assert.Contains(t, deps("-test", mod+"internal/xlsx"), "github.com/xuri/excelize/v2", "and the workbook reader of the tests")
}

// TestGoQuickStart builds and runs the README's Go quick start as a module
// of its own, importing the library through a replace directive, and
// checks what it prints and writes.
func TestGoQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program outside the module")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	text := string(readme)
	_, after, ok := strings.Cut(text, "## Go quick start\n")
	require.True(t, ok, "the README has a Go quick start")
	_, after, ok = strings.Cut(after, "```go\n")
	require.True(t, ok, "with a Go program")
	prog, after, ok := strings.Cut(after, "```\n")
	require.True(t, ok)
	_, after, ok = strings.Cut(after, "It prints\n\n```\n")
	require.True(t, ok, "and what it prints")
	want, _, ok := strings.Cut(after, "```\n")
	require.True(t, ok)

	dir := t.TempDir()
	mod := "module quickstart\n\ngo 1.24.0\n\nrequire github.com/upstream-health/upstream v0.0.0\n\nreplace github.com/upstream-health/upstream => " + root + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(prog), 0o644))
	cmd := exec.Command(goTool, "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "%s", stderr.String())
	assert.Equal(t, want, stdout.String(), "the README says what it prints")
	for _, f := range []string{"results.xlsx", "results.csv", "summary.csv", "chart.png", "chart.svg", "report.html"} {
		st, err := os.Stat(filepath.Join(dir, "gm", f))
		require.NoError(t, err, f)
		assert.Positive(t, st.Size(), f)
	}
}

// TestBudgetRoomsStaySmall: each of budget's three packages (values, the
// data set, the allocations engine) keeps its top-level exported names
// (types, functions, constants, variables; methods not counted) to about a
// hundred, so each can be read whole from its doc.go and go doc.
func TestBudgetRoomsStaySmall(t *testing.T) {
	const most = 110
	for _, dir := range []string{"budget", "budget/dataset", "budget/alloc"} {
		n := 0
		eachLibraryFile(t, []string{dir}, func(_ *token.FileSet, _ string, af *ast.File) {
			for _, decl := range af.Decls {
				switch d := decl.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil && d.Name.IsExported() {
						n++
					}
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch s := spec.(type) {
						case *ast.TypeSpec:
							if s.Name.IsExported() {
								n++
							}
						case *ast.ValueSpec:
							for _, name := range s.Names {
								if name.IsExported() {
									n++
								}
							}
						}
					}
				}
			}
		})
		t.Logf("%s: %d top-level exported names", dir, n)
		assert.LessOrEqual(t, n, most, "%s: %d top-level exported names; split it or unexport what callers do not need", dir, n)
	}
}

// TestBasisLabelsWrittenOnce: the basis column's labels other than a
// real-terms basis's are budget.BasisCash and budget.BasisNone, written
// once in budget/tidy.go. Any other "cash" in the library's code, or a
// "none" given as a basis (a Basis or basis field, or compared with one),
// is a second definition of the label.
func TestBasisLabelsWrittenOnce(t *testing.T) {
	dirs := []string{"budget", "budget/dataset", "budget/alloc", "prevention", "scenario", "scenario/report", "scenario/report/deliver"}
	isBasis := func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name == "Basis" || x.Name == "basis"
		case *ast.SelectorExpr:
			return x.Sel.Name == "Basis" || x.Sel.Name == "basis"
		}
		return false
	}
	isLit := func(e ast.Expr, v string) bool {
		l, ok := e.(*ast.BasicLit)
		return ok && l.Kind == token.STRING && l.Value == `"`+v+`"`
	}
	found := 0
	eachLibraryFile(t, dirs, func(fset *token.FileSet, path string, af *ast.File) {
		ast.Inspect(af, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BasicLit:
				if isLit(x, "cash") {
					if path == "../../budget/tidy.go" {
						found++
					} else {
						t.Errorf("%s: %s: use budget.BasisCash", fset.Position(x.Pos()), x.Value)
					}
				}
			case *ast.KeyValueExpr:
				if isBasis(x.Key) && isLit(x.Value, "none") {
					t.Errorf("%s: a basis of \"none\": use budget.BasisNone", fset.Position(x.Pos()))
				}
			case *ast.BinaryExpr:
				if (isBasis(x.X) && isLit(x.Y, "none")) || (isBasis(x.Y) && isLit(x.X, "none")) {
					t.Errorf("%s: a basis compared with \"none\": use budget.BasisNone", fset.Position(x.Pos()))
				}
			}
			return true
		})
	})
	assert.Equal(t, 1, found, `budget/tidy.go defines BasisCash as "cash" once`)
}
