// Package budget holds the values of NHS England integrated care board
// (ICB) budgets: financial years, exact money, shares, rates and ratios,
// series on a stated price basis, deflators, provenance, formatting, tidy
// rows, and the errors every part of the library reports. The data the
// library ships and its loaders are in budget/dataset; the allocations
// engine (settlements, convergence, projection, replay, restatement onto
// other bases and footprints) is in budget/alloc.
//
// # Conventions
//
//   - A Year is a UK government financial year, 1 April to 31 March, written
//     "2024/25". Spans of years are inclusive.
//   - Money is exact pounds sterling: github.com/shopspring/decimal's
//     numbers, rounding and scales (Money.Decimal gives one), held in 128
//     bits (internal/dec) so that arithmetic on money does not allocate,
//     and as a decimal.Decimal beyond that; there is no float64
//     constructor. Intermediate results keep WorkingScale (10)
//     decimal places; each result's documentation says where figures are
//     rounded (NHS England rounds recurrent allocations to the nearest £1k).
//     Money is shown to people only through a Formatter. A Population
//     (people, fractional where projected) is held the same way.
//   - Shares (fractions in [0, 1]), rates (growth, > -1) and ratios are
//     distinct types. How a share changes ("1 per cent" in points or
//     relative, and two more readings) is the prevention package's Shift,
//     stated there once.
//   - A Series carries its price basis: cash, or real terms at a base year's
//     prices on a named deflator and vintage. Mixing bases is an error.
//   - Every figure carries a Status (published, restated, derived,
//     projected; a parameter's is assumed) and a source ID resolvable to a
//     Source (title, URL, publication date).
//   - Bad input is a *FileError (file, line, column, value) or a *ParseError
//     wrapping one of the sentinel errors (ErrSyntax, ErrRange, ErrNegative,
//     ErrUnknown, ErrDuplicate, ErrNoData, ErrGap, ErrFormat ...), never a
//     panic and never a silent default. LimitReader bounds any input
//     (MaxFileBytes); WriteTable writes the CSV tables the data files are.
//   - Tidy results are Rows (RowColumns; WriteRows), written with
//     spreadsheet formula injection defused (SafeCell). A row's unit, and a
//     parameter's in budget/dataset, is a Unit (GBP, share, fraction,
//     years, name ...).
//   - Nothing in the package is mutable global state: it exports no
//     variables but sentinel errors.
//
// # Examples
//
// ExampleParseYear, ExampleFormatter and ExampleFormatter_RoundParts (money
// for a reader, parts that add up), ExampleDeflator_Real and ExampleSeries_Add.
package budget
