package budget

import (
	"encoding/csv"
	"fmt"
	"io"
)

// WriteTable writes a header and rows as CSV, the form the loaders read.
func WriteTable(w io.Writer, header []string, rows [][]string) error {
	if w == nil {
		return fmt.Errorf("writing a table: %w: no writer (nil)", ErrFormat)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return cw.Error()
}
