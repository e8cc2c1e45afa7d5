package prevention_test

import (
	"strings"
	"testing"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/prevention"
)

// FuzzReadCouncilGrant: no input makes the loader panic; what it accepts
// has no negative amount and names an ICB for every figure.
func FuzzReadCouncilGrant(f *testing.F) {
	h := "year,council_code,council_name,icb_code,value,source\n"
	f.Add(h + "2026/27,E06000001,Hartlepool,QHM,10393000,DHSC-2026\n")
	f.Add(h + "2026/27,E1,X,QAA,-1,T\n")
	f.Add(h + "2026/27,E1,X,QAA,1,T\n2026/27,E1,X,QAA,2,T\n")
	f.Fuzz(func(t *testing.T, in string) {
		cg, err := prevention.ReadCouncilGrant(strings.NewReader(in), "fuzz.csv")
		if err != nil {
			return
		}
		for _, icb := range cg.ICBCodes() {
			for _, y := range []string{"2024/25", "2025/26", "2026/27"} {
				if cg.ICB(icb, budget.MustYear(y)).Sign() < 0 {
					t.Fatalf("accepted a negative grant for %s", icb)
				}
			}
		}
	})
}
