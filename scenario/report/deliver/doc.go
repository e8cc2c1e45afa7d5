// Package deliver draws the charts of package report and writes a
// report's folder: results.xlsx (the summary, assumptions, tidy data,
// sources and manifest, and more sheets such as every ICB), results.csv
// and summary.csv, chart.png and chart.svg, and report.html, one page, A4
// when printed, with the chart and the report's other figures inline.
//
// # Conventions
//
//   - Write is safe: files are made in a temporary folder and renamed into
//     place, so a failure leaves an earlier run's files as they were; a
//     folder or deliverable that is a symbolic link is refused, never
//     followed. Check reports, before any work, a folder that already holds
//     deliverables (ErrExists). Files lists what Write writes.
//   - The same inputs give the same bytes: the workbook carries no clock
//     time, and charts are drawn without clocks or random state.
//   - CSV text is made safe to open in a spreadsheet (budget.SafeRecord): a
//     cell that would start a formula gets a leading apostrophe.
//   - Charts (Draw, DrawTornado) use gonum.org/v1/plot. The workbook is
//     written by the module's own SpreadsheetML writer (internal/xlsx),
//     with the standard library alone: a Go program initialises every
//     package it links when it starts, and the workbook library it
//     replaces took 2 ms and 1 MB of that (7,700 allocations against
//     2,500) in every run of hewitt, compare and uncertainty, writing
//     files or not. Only this package imports the chart library and the
//     writer, so a tool that imports budget, prevention, scenario and
//     scenario/report, and the programs that write no files, load
//     neither.
//
// # Examples
//
// ExampleWrite (an ICB's report written to a folder, as examples/hewitt
// -icb essex -out DIR writes it).
package deliver
