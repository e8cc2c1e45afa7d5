// Package report makes what an analyst takes to their director from a
// scenario run, as data and text: the summary, the tidy rows, the
// assumptions with their sources, every ICB in one sheet, and the charts.
// Package deliver draws the charts and writes the folder (a workbook,
// results.xlsx; the tidy and summary CSV files; a chart, PNG and SVG; and
// a one-page HTML report).
//
// # Conventions
//
//   - NewArea makes the report of a run for one area (England, an ICB, or a
//     council through Options.Council): its tidy rows (the run's, the shift
//     on the low and high settlements, QALY totals), the summary a director
//     reads, the assumptions in words with their sources, every ICB in one
//     sheet, and a chart. Area.Deliverable is all of it, for deliver.Write.
//     examples/hewitt -out calls the same code, so a program that imports
//     these packages gets the same bytes from the same run and options.
//   - The text the programs print is here too: Area.WriteText (hewitt's
//     tables and headlines), ComparisonText (compare's), BandsText
//     (uncertainty's), AllocationsText and ReplayText (allocations'), so
//     that a tool prints what the programs print.
//   - Comparison (scenarios against a base, examples/compare -out) and
//     Bands (a simulation's bands, examples/uncertainty -out) make the other
//     two deliverables. Deliverable is the general form all three fill.
//   - A chart is data: a line chart by year (Chart: Area.Chart,
//     ComparisonChart, FanChart) or a tornado (Tornado: TornadoChart), with
//     the figures it shows, its title, labels and sources; deliver.Draw and
//     deliver.DrawTornado draw them. Building a deliverable reports what is
//     missing before any file is written.
//   - This package links neither the workbook writer nor the chart
//     library, so a tool that prints a report's text or reads its figures,
//     and the programs that write no files, do not load them; only package
//     deliver does.
//
// # Examples
//
// ExampleNewArea (an ICB's report: its headline and chart, as data).
package report
