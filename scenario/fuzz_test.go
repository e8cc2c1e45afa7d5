package scenario_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/upstream-health/upstream/scenario"
)

// FuzzReadScenario: no input makes Read panic, and every file it accepts
// writes and reads back to the same scenario.
func FuzzReadScenario(f *testing.F) {
	d, cat := data(f), catalogue(f)
	for _, s := range cat {
		var b bytes.Buffer
		_ = scenario.Write(&b, s)
		f.Add(b.String())
	}
	f.Add(`{"schema":1,"name":"x","base":"hewitt","shift":{"size":"2","profile":"custom:0.1,0.2,0.3,0.4,1"}}`)
	f.Add(`{"schema":1,"name":"x","base":"hewitt","uncertain":[{"assumption":"roi","distribution":{"kind":"triangular","a":1,"b":2,"c":3}}]}`)
	f.Add(`{"schema":1,"name":"x","base":"hewitt","benefits":{"roi":"4.1","lag":2,"spread":10,"source":"s"}}`)
	f.Add(`[1,2,3]`)
	f.Add(`{"schema":1}`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := scenario.Read(strings.NewReader(in), "fuzz.json", d.Parameters)
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := scenario.Write(&b, s); err != nil {
			t.Fatalf("cannot write an accepted scenario: %v", err)
		}
		back, err := scenario.Read(&b, "again.json", d.Parameters)
		if err != nil {
			t.Fatalf("written scenario does not read back: %v\n%s", err, b.String())
		}
		if d := scenario.Diff(s, back); len(d) > 0 {
			t.Fatalf("round trip changed %v", d)
		}
	})
}

// FuzzRunScenario: any scenario file Read accepts either fails Validate or
// Run with an error, or runs; and its simulation, with a few draws, never
// panics either.
func FuzzRunScenario(f *testing.F) {
	d := data(f)
	f.Add(`{"schema":1,"name":"x","base":"hewitt","shift":{"size":"2","profile":"custom:0.1,0.2,0.3,0.4,1"}}`)
	f.Add(`{"schema":1,"name":"x","base":"hewitt","horizon":"2034/35","funding":"additional","grant":{"rule":"restore-2015-16"}}`)
	f.Add(`{"schema":1,"name":"x","base":"hewitt","uncertain":[{"assumption":"real_growth","distribution":{"kind":"normal","a":0.03,"b":0.005}}]}`)
	f.Add(`{"schema":1,"name":"x","base":"hewitt","baseline_share":{"value":"0.99","source":"s"},"shift":{"size":"5"}}`)
	f.Add(`{"schema":1,"name":"x","base":"hewitt","grant":{"rule":"user","series":{"2026/27":"4404000000"},"source":"DHSC"}}`)
	f.Add(`{"schema":1,"name":"x","base":"hewitt","deflator":{"name":"gdp","vintage":"obr-2025-03"},"settlement":"sr2025-pots-folded"}`)
	f.Fuzz(func(t *testing.T, in string) {
		s, err := scenario.Read(strings.NewReader(in), "fuzz.json", d.Parameters)
		if err != nil {
			return
		}
		if _, err := scenario.Run(d, s); err != nil {
			return
		}
		_, _ = scenario.Simulate(d, s, &scenario.SimSettings{Draws: 3, Workers: 1})
	})
}
