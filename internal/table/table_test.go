package table_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/internal/table"
)

// TestReadNamesWhereAndWhat: a good file reads in any column order with
// typed fields; each structural or field problem is a *budget.FileError
// naming the file, line, column and value.
func TestReadNamesWhereAndWhat(t *testing.T) {
	cols := []string{"year", "icb", "value"}
	rows, err := table.Read(strings.NewReader("\ufeffvalue, icb ,year\n1.5,QWE,2024/25\n"), "f.csv", cols)
	require.NoError(t, err)
	require.Len(t, rows, 1)
	y, err := rows[0].Year("year")
	require.NoError(t, err)
	assert.Equal(t, "2024/25", y.String())
	m, err := rows[0].Money("value")
	require.NoError(t, err)
	assert.Equal(t, "1.5", m.Decimal().String())
	code, err := rows[0].Code("icb")
	require.NoError(t, err)
	assert.Equal(t, "QWE", code)
	assert.Equal(t, 2, rows[0].Line())

	for _, c := range []struct {
		name, in     string
		line         int
		column, want string
		is           error
	}{
		{"empty", "", 0, "", "empty file", budget.ErrFormat},
		{"header only", "year,icb,value\n", 0, "", "header only", budget.ErrFormat},
		{"missing column", "year,icb\n2024/25,QWE\n", 1, "value", "missing column", budget.ErrFormat},
		{"unknown column", "year,icb,value,note\n", 1, "note", "unknown column", budget.ErrFormat},
		{"duplicate column", "year,icb,icb\n", 1, "icb", "duplicate column", budget.ErrFormat},
		{"unnamed column", "year,icb,value,\n", 1, "#4", "trailing comma", budget.ErrFormat},
		{"short row", "year,icb,value\n2024/25,QWE\n", 2, "", "2 fields, the header 3", budget.ErrFormat},
		{"bad year", "year,icb,value\nsoon,QWE,1\n", 2, "year", "soon", budget.ErrSyntax},
		{"bad code", "year,icb,value\n2024/25,Q-W,1\n", 2, "icb", "underscores", budget.ErrSyntax},
		{"not utf-8", "year,icb,value\n2024/25,Q\xffW,1\n", 2, "icb", "UTF-8", budget.ErrFormat},
		{"workbook", "PK\x03\x04rest", 0, "", ".xlsx", budget.ErrFormat},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows, err := table.Read(strings.NewReader(c.in), "f.csv", cols)
			if err == nil {
				for _, r := range rows {
					if _, err = r.Year("year"); err != nil {
						break
					}
					if _, err = r.Code("icb"); err != nil {
						break
					}
				}
			}
			var fe *budget.FileError
			require.True(t, errors.As(err, &fe), "%v", err)
			assert.Equal(t, "f.csv", fe.File)
			assert.Equal(t, c.line, fe.Line)
			assert.Equal(t, c.column, fe.Column)
			assert.Contains(t, err.Error(), c.want)
			assert.ErrorIs(t, err, c.is)
		})
	}
}

// TestReadIgnoringAndEachOf: informative columns are read past; a file of
// optional entries may hold no rows; Each stops at fn's first error and
// needs a function.
func TestReadIgnoringAndEachOf(t *testing.T) {
	rows, err := table.ReadIgnoring(strings.NewReader("a,note\n1,anything\n"), "f.csv", []string{"a"}, []string{"note"})
	require.NoError(t, err)
	require.Len(t, rows, 1)
	assert.Equal(t, "", rows[0].Get("note"))

	n := 0
	require.NoError(t, table.EachOf(strings.NewReader("a\n"), "f.csv", []string{"a"}, true, func(table.Row) error { n++; return nil }))
	assert.Zero(t, n)

	stop := errors.New("stop")
	err = table.Each(strings.NewReader("a\n1\n2\n"), "f.csv", []string{"a"}, func(table.Row) error { n++; return stop })
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, n)

	err = table.Each(strings.NewReader("a\n1\n"), "f.csv", []string{"a"}, nil)
	assert.ErrorIs(t, err, budget.ErrNoData)
}

// TestEachKeepsFieldStrings: Each reuses a row's slice of fields for the
// next row, but the strings a callback takes from a row stay as read.
func TestEachKeepsFieldStrings(t *testing.T) {
	var got []string
	require.NoError(t, table.Each(strings.NewReader("a,b\n1,x\n2,y\n3,z\n"), "f.csv", []string{"a", "b"}, func(rw table.Row) error {
		got = append(got, rw.Get("a")+rw.Get("b"))
		return nil
	}))
	assert.Equal(t, []string{"1x", "2y", "3z"}, got)
	rows, err := table.Read(strings.NewReader("a,b\n1,x\n2,y\n"), "f.csv", []string{"a", "b"})
	require.NoError(t, err)
	require.Len(t, rows, 2)
	assert.Equal(t, "1x", rows[0].Get("a")+rows[0].Get("b"), "Read's rows are the caller's to keep")
}

// TestLongLineStops: a line longer than MaxLineBytes (a line of commas,
// which a CSV reader would hold as millions of fields) stops reading with
// ErrTooLarge naming its line, in the header or a row; a line of exactly
// the limit is read (and refused for its fields).
func TestLongLineStops(t *testing.T) {
	commas := strings.Repeat(",", table.MaxLineBytes+1)
	for _, c := range []struct {
		in   string
		line int
	}{
		{"a\n1\n" + commas + "\n", 3},
		{commas, 1},
		{"a\r\n" + commas, 2},
	} {
		err := table.Each(strings.NewReader(c.in), "f.csv", []string{"a"}, func(table.Row) error { return nil })
		require.ErrorIs(t, err, budget.ErrTooLarge)
		var fe *budget.FileError
		require.ErrorAs(t, err, &fe)
		assert.Equal(t, "f.csv", fe.File)
		assert.Equal(t, c.line, fe.Line)
	}
	err := table.Each(strings.NewReader("a\n"+strings.Repeat("x", table.MaxLineBytes)+"\n"), "f.csv", []string{"a"}, func(table.Row) error { return nil })
	assert.NoError(t, err, "a line of exactly the limit")
}
