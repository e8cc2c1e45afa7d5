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
//   - Charts (Draw, DrawTornado) are drawn by the module's own
//     internal/chart, in SVG and PNG (on golang.org/x/image), and the
//     workbook is written by its own SpreadsheetML writer (internal/xlsx,
//     the standard library alone): a Go program initialises every
//     package it links when it starts, and the chart and workbook
//     libraries they replace (gonum.org/v1/plot,
//     github.com/xuri/excelize/v2) took 1.3 MB and 6,100 allocations of
//     that in every run of hewitt, compare and uncertainty, writing files
//     or not (2.7 ms on a quiet machine). Only this package imports the
//     two writers,
//     so a tool that imports budget, prevention, scenario and
//     scenario/report, and the programs that write no files, link
//     neither.
//   - A chart is 18 by 11 cm in Liberation Sans (metric-compatible with
//     Arial): its title at the top, its legend under the plot, never over
//     a line, each line's last value beside its last point, projected
//     years shaded; a PNG at 192 dots an inch. Text too wide is wrapped
//     (a word longer than the picture is broken), a legend of more than
//     six rows takes two columns, and a chart whose title, legend and
//     labels leave too little room for its plot (under 150 by 80 points,
//     or a tornado's assumption taller than its row) is refused with
//     budget.ErrRange, leaving any file as it was.
//
// # Examples
//
// ExampleWrite (an ICB's report written to a folder, as examples/hewitt
// -icb essex -out DIR writes it).
package deliver
