// Package apicheck holds tests of the library's public surface.
package apicheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoExportedVariables: the library packages export no variables but
// sentinel errors. A caller could assign an exported variable and change
// every later result in the process; presets are functions or constants.
func TestNoExportedVariables(t *testing.T) {
	for _, dir := range []string{"budget", "budget/dataset", "budget/alloc", "prevention", "scenario"} {
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
