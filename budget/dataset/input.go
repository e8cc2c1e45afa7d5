package dataset

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/upstream-health/upstream/budget"
)

// ParseShareInput reads a share as people type it: a fraction ("0.05") or
// a percentage ("5%", "5 %"). Data files keep the plain fraction
// (budget.ParseShare); this is for command lines and forms.
func ParseShareInput(s string) (budget.Share, error) {
	t := strings.TrimSpace(s)
	if p, ok := strings.CutSuffix(t, "%"); ok {
		d, err := budget.ParseDecimal("share", strings.TrimSpace(p))
		if err != nil {
			return budget.Share{}, &budget.ParseError{Kind: "share", Input: s, Err: fmt.Errorf("%w: want a fraction (0.05) or a percentage (5%%)", budget.ErrSyntax)}
		}
		sh, err := budget.NewShare(d.Shift(-2))
		if err != nil {
			return budget.Share{}, &budget.ParseError{Kind: "share", Input: s, Err: fmt.Errorf("%w: a share is from 0%% to 100%%", budget.ErrRange)}
		}
		return sh, nil
	}
	sh, err := budget.ParseShare(t)
	if err != nil {
		return budget.Share{}, &budget.ParseError{Kind: "share", Input: s, Err: fmt.Errorf("%w: want a fraction from 0 to 1 (0.05) or a percentage (5%%)", budget.ErrSyntax)}
	}
	return sh, nil
}

// ParseMoneyInput reads an amount of money as people type it: pounds
// ("100000000", "£100,000,000"), or millions and billions ("£100m",
// "100m", "1.2bn", "£1.2 bn"). Data files keep plain pounds (budget.ParseMoney);
// this is for command lines and forms.
func ParseMoneyInput(s string) (budget.Money, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "£")
	t = strings.ReplaceAll(t, ",", "")
	shift := int32(0)
	for _, u := range []struct {
		suffix string
		shift  int32
	}{{"bn", 9}, {"b", 9}, {"m", 6}, {"k", 3}} {
		if p, ok := strings.CutSuffix(t, u.suffix); ok {
			t, shift = strings.TrimSpace(p), u.shift
			break
		}
	}
	d, err := decimal.NewFromString(t)
	if err != nil || t == "" || strings.ContainsAny(t, "eE") {
		return budget.Money{}, &budget.ParseError{Kind: "money", Input: s, Err: fmt.Errorf("%w: want pounds (100000000, £100,000,000) or millions and billions (£100m, 1.2bn)", budget.ErrSyntax)}
	}
	return budget.MoneyFromDecimal(d.Shift(shift)), nil
}
