// Package report writes the folder an analyst takes to their director from
// a scenario run: a workbook (results.xlsx), the tidy and summary CSV files,
// a chart (PNG and SVG) and a one-page HTML report.
//
// # Conventions
//
//   - NewArea makes the report of a run for one area (England, an ICB, or a
//     council through Options.Council): its tidy rows (the run's, the shift
//     on the low and high settlements, QALY totals), the summary a director
//     reads, the assumptions in words with their sources, every ICB in one
//     sheet, and a chart. Area.Write writes it. examples/hewitt -out calls
//     the same code, so a program that imports this package gets the same
//     bytes from the same run and options.
//   - The text the programs print is here too: Area.WriteText (hewitt's
//     tables and headlines), ComparisonText (compare's), BandsText
//     (uncertainty's), AllocationsText and ReplayText (allocations'), so
//     that a tool prints what the programs print.
//   - Comparison (scenarios against a base, examples/compare -out) and
//     Bands (a simulation's bands, examples/uncertainty -out) make the other
//     two folders, with DrawComparison, DrawFan and DrawTornado for their
//     charts. Deliverable is the general form all three fill; Write writes
//     it the same way for each.
//   - Write is safe: files are made in a temporary folder and renamed into
//     place, so a failure leaves an earlier run's files as they were; a
//     folder or deliverable that is a symbolic link is refused, never
//     followed. Check reports, before any work, a folder that already holds
//     deliverables (ErrExists).
//   - The same inputs give the same bytes: the workbook carries no clock time,
//     and charts are drawn without clocks or random state.
//   - CSV text is made safe to open in a spreadsheet (budget.SafeRecord): a
//     cell that would start a formula gets a leading apostrophe.
//   - Charts (Draw, Lines, Tornado) use gonum.org/v1/plot; the workbook uses
//     github.com/xuri/excelize/v2. Only this package imports them: a tool
//     that imports budget, prevention and scenario does not link them.
//
// # Examples
//
// ExampleNewArea (an ICB's report, written to a folder).
package report
