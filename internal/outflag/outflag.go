// Package outflag is the -out and -overwrite flags of the programs that
// write deliverables (hewitt, compare, uncertainty), apart from package cli
// so that a program that writes none (data, allocations) does not link the
// workbook and chart libraries package deliver needs.
package outflag

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/upstream-health/upstream/scenario/report"
	"github.com/upstream-health/upstream/scenario/report/deliver"
)

// Out is the -out and -overwrite flags the programs share.
type Out struct {
	Dir       string
	Overwrite bool
}

// Flags adds -out and -overwrite to fs.
func Flags(fs *flag.FlagSet) *Out {
	o := &Out{}
	fs.StringVar(&o.Dir, "out", "", "write the deliverables to this folder: "+strings.Join(deliver.Files(), ", ")+", for the -icb named or England")
	fs.BoolVar(&o.Overwrite, "overwrite", false, "with -out, replace the deliverables an earlier run left in the folder")
	return o
}

// Check reports, before any work is done, an -out that cannot take the
// deliverables (deliver.Check), saying which flag to give.
func (o *Out) Check() error {
	if o.Dir == "" {
		return nil
	}
	err := deliver.Check(o.Dir, o.Overwrite)
	if errors.Is(err, deliver.ErrExists) {
		return fmt.Errorf("-out %w: give -overwrite to replace them, or another folder", err)
	}
	if err != nil {
		return fmt.Errorf("-out %w", err)
	}
	return nil
}

// Write writes d to the -out folder dir (deliver.Write), naming the flag
// in an error.
func Write(dir string, d report.Deliverable) error {
	if err := deliver.Write(dir, d); err != nil {
		return fmt.Errorf("-out %w", err)
	}
	return nil
}
