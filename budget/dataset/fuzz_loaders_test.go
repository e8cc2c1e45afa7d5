package dataset_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/upstream-health/upstream/budget/dataset"
)

// roundTrip is the property every loader keeps: no input makes it panic,
// and whatever it accepts, its writer writes and it reads back to the same
// bytes.
func roundTrip[T any](t *testing.T, in string, read func(io.Reader, string) (T, error), write func(T, io.Writer) error) {
	v, err := read(strings.NewReader(in), "fuzz.csv")
	if err != nil {
		return
	}
	var a bytes.Buffer
	if err := write(v, &a); err != nil {
		t.Fatalf("cannot write what was read: %v", err)
	}
	again, err := read(bytes.NewReader(a.Bytes()), "again.csv")
	if err != nil {
		t.Fatalf("written file does not read back: %v\n%s", err, a.String())
	}
	var b bytes.Buffer
	if err := write(again, &b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatalf("round trip changed the file:\n%s\n%s", a.String(), b.String())
	}
}

func FuzzReadPopulations(f *testing.F) {
	h := "year,area_code,area_name,measure,value,status,source\n"
	f.Add(h + "2024/25,ENG,England,resident,57106398,published,ONS-MYE\n")
	f.Add(h + "2024/25,QE1,NHS Lancashire,registered,1820286.0,published,S3\n2025/26,QE1,NHS Lancashire,registered,1830000,derived,S2\n")
	f.Add(h + "2024/25,ENG,England,weighted_core,-1,published,X\n")
	f.Fuzz(func(t *testing.T, in string) { roundTrip(t, in, dataset.ReadPopulations, dataset.Populations.Write) })
}

func FuzzReadDeflators(f *testing.F) {
	h := "year,deflator,vintage,measure,value,status,source\n"
	f.Add(h + "2023/24,gdp,obr-2025-11,pct_change,7.2,published,OBR\n2024/25,gdp,obr-2025-11,pct_change,4.1,published,OBR\n")
	f.Add(h + "2024/25,gdp,x,pct_change,1,published,S\n2025/26,gdp,x,pct_change,-99.9999999999999,published,S\n")
	f.Add(h + "2024/25,gdp,x,index,100,published,S\n")
	f.Fuzz(func(t *testing.T, in string) { roundTrip(t, in, dataset.ReadDeflators, dataset.Deflators.Write) })
}

func FuzzReadEnglandTotals(f *testing.F) {
	h := "year,measure,value,scope,source,note\n"
	f.Add(h + "2022/23,ICB core services adjusted recurrent baseline,96786375000,England total of 42 ICBs,S1,\"a, note\"\n")
	f.Fuzz(func(t *testing.T, in string) {
		roundTrip(t, in, dataset.ReadEnglandTotals, func(v []dataset.EnglandTotal, w io.Writer) error { return dataset.WriteEnglandTotals(w, v) })
	})
}

func FuzzReadSources(f *testing.F) {
	h := "id,title,url,published,note\n"
	f.Add(h + "S1,\"NHS England: allocations, 2025/26\",https://www.england.nhs.uk/,2025-03-17,x\n")
	f.Add(h + "A,t,,,\nA,t,,,\n")
	f.Fuzz(func(t *testing.T, in string) { roundTrip(t, in, dataset.ReadSources, dataset.Sources.Write) })
}
