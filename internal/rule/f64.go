package rule

// sign is x.Sign() for a float64: 1, -1, or 0 (for zero and NaN).
func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// cmp is x.Cmp(y) for float64s: 1 if x > y, -1 if x < y, else 0 (also
// where either is NaN).
func cmp(x, y float64) int {
	switch {
	case x > y:
		return 1
	case x < y:
		return -1
	}
	return 0
}
