package budget_test

import (
	"fmt"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

func ExampleParseYear() {
	y, err := budget.ParseYear("2024-25")
	fmt.Println(y, err)
	fmt.Println(y.Next(), y.Add(4))
	_, err = budget.ParseYear("2024/26")
	fmt.Println(err)
	// Output:
	// 2024/25 <nil>
	// 2025/26 2028/29
	// parsing year "2024/26": value out of range: 26 does not follow 2024
}

func ExampleFormatter() {
	// NHS England's 2025/26 core services allocation for England:
	// £124,345,779k [S2, ICB allocations 2025/26 workbook].
	m := budget.Thousands(124_345_779)
	fmt.Println(budget.Formatter{Scale: budget.ScaleBillions, Places: 1}.Format(m))
	fmt.Println(budget.Formatter{Scale: budget.ScaleMillions}.Format(m))
	fmt.Println(budget.Formatter{Places: 2, NoSymbol: true}.Format(m))
	// Output:
	// £124.3bn
	// £124,346m
	// 124,345,779,000.00
}

func ExampleFormatter_RoundParts() {
	// Parts rounded one by one would add to £9m; rounded together they add to
	// the rounded total, as published tables do.
	parts := []budget.Money{budget.MustMoney("3333333.34"), budget.MustMoney("3333333.33"), budget.MustMoney("3333333.33")}
	f := budget.Formatter{Scale: budget.ScaleMillions}
	for _, p := range f.RoundParts(parts) {
		fmt.Println(f.Format(p))
	}
	// Output:
	// £4m
	// £3m
	// £3m
}

func ExampleDeflator_Real() {
	d, _ := dataset.Embedded()
	gdp, _ := d.Deflators.Get("gdp", "obr-2025-11")
	// The 2025/26 public health grant, £3,858m cash (LAC(DHSC)(2025)2), in
	// 2024/25 prices on the OBR November 2025 GDP deflator.
	cash := budget.Pounds(3_858_000_000)
	real, _ := gdp.Real(cash, budget.MustYear("2025/26"), budget.MustYear("2024/25"))
	fmt.Println(budget.Formatter{Scale: budget.ScaleMillions, Places: 1}.Format(real))
	// Output:
	// £3,747.7m
}

func ExampleSeries_Add() {
	y := budget.MustYear("2024/25")
	cash, _ := budget.NewSeries(y, []budget.Money{budget.Pounds(100), budget.Pounds(110)}, budget.Cash())
	d, _ := dataset.Embedded()
	gdp, _ := d.Deflators.Get("gdp", "obr-2025-11")
	real, _ := gdp.ToReal(cash, y)
	_, err := cash.Add(real)
	fmt.Println(err)
	// Output:
	// combining cash with real terms, 2024/25 prices, gdp (obr-2025-11): price bases differ
}
