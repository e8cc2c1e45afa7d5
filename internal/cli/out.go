package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/upstream-health/upstream/scenario/report"
)

// Out is the -out and -overwrite flags the programs share.
type Out struct {
	Dir       string
	Overwrite bool
}

// OutFlags adds -out and -overwrite to fs.
func OutFlags(fs *flag.FlagSet) *Out {
	o := &Out{}
	fs.StringVar(&o.Dir, "out", "", "write the deliverables to this folder: "+strings.Join(report.Files(), ", ")+", for the -icb named or England")
	fs.BoolVar(&o.Overwrite, "overwrite", false, "with -out, replace the deliverables an earlier run left in the folder")
	return o
}

// Check reports, before any work is done, an -out that cannot take the
// deliverables (report.Check), saying which flag to give.
func (o *Out) Check() error {
	if o.Dir == "" {
		return nil
	}
	err := report.Check(o.Dir, o.Overwrite)
	if errors.Is(err, report.ErrExists) {
		return fmt.Errorf("-out %w: give -overwrite to replace them, or another folder", err)
	}
	if err != nil {
		return fmt.Errorf("-out %w", err)
	}
	return nil
}

// WriteOut writes d to the -out folder dir (report.Write), naming the
// flag in an error.
func WriteOut(dir string, d report.Deliverable) error {
	if err := report.Write(dir, d); err != nil {
		return fmt.Errorf("-out %w", err)
	}
	return nil
}
