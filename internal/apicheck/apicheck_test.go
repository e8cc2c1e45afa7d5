// Package apicheck holds tests of the library's public surface.
package apicheck

import (
	"go/ast"
	"go/parser"
	"go/token"
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
	for _, dir := range []string{"budget", "budget/dataset", "budget/alloc", "prevention", "scenario", "scenario/report"} {
		files, err := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			fset := token.NewFileSet()
			af, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
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
		}
	}
}

// TestModelLinksNoWorkbookOrCharts: a tool that imports budget, prevention
// and scenario does not link the workbook or chart libraries; only
// scenario/report does.
func TestModelLinksNoWorkbookOrCharts(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	const mod = "github.com/upstream-health/upstream/"
	out, err := exec.Command(goTool, "list", "-deps", mod+"budget/...", mod+"prevention", mod+"scenario").CombinedOutput()
	require.NoError(t, err, "%s", out)
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/xuri/excelize") || strings.HasPrefix(dep, "gonum.org/v1/plot") || strings.HasPrefix(dep, mod+"scenario/report") {
			t.Errorf("the model links %s", dep)
		}
	}
	out, err = exec.Command(goTool, "list", "-deps", mod+"scenario/report").CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, strings.Fields(string(out)), "github.com/xuri/excelize/v2", "the check would see the workbook library")
}
