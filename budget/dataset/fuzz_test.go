package dataset_test

import (
	"testing"

	"github.com/upstream-health/upstream/budget/dataset"
)

func FuzzReadAllocations(f *testing.F) {
	f.Add(allocHeader + "2024/25,QAA,NHS Test ICB,North,core,recurrent,,100,GBP,published,S1\n")
	f.Add(allocHeader + "2024/25,QAA,NHS Test ICB,North,core,non_recurrent,covid,-1.5,GBP,published,S1\n")
	f.Add(allocHeader + "2024/25,QAA,N,R,core,growth,,0.03,fraction,derived,S1\n2024/25,QAA,N,R,core,growth,,0.03,fraction,derived,S1\n")
	f.Add("year\n")
	f.Fuzz(func(t *testing.T, in string) { roundTrip(t, in, dataset.ReadAllocations, (*dataset.Allocations).Write) })
}

func FuzzReadGrant(f *testing.F) {
	h := "year,measure,vintage,value,like_for_like,note,source\n"
	f.Add(h + "2024/25,total,confirmed,3603000000,true,\"a, note\",PHG-19\n")
	f.Add(h + "2026/27-2028/29,total_multi_year,lower_bound,13400000000,false,,X\n")
	f.Fuzz(func(t *testing.T, in string) { roundTrip(t, in, dataset.ReadGrant, dataset.Grant.Write) })
}
