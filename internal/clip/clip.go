// Package clip shortens what a caller gave, to quote it in a message: a
// value of 10,000 digits or a 1 MB name is shown by its start, not echoed.
package clip

import "unicode/utf8"

// Max is the most bytes of a value a message quotes.
const Max = 60

// Clip is s, or its first Max bytes (whole characters) and "..." if longer.
func Clip(s string) string {
	if len(s) <= Max {
		return s
	}
	cut := Max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}
