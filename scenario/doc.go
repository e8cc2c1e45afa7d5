// Package scenario names, runs and compares sets of assumptions about ICB
// budgets and the prevention shift.
//
// # Conventions
//
//   - A Scenario holds every assumption (data vintage, settlement, deflator,
//     budget base, baseline share, shift, funding, grant rule, returns,
//     discounting, horizon, and any councils' own grant allocations,
//     Councils). New scenarios are derived from a base with
//     Derive; the Catalogue holds the named ones (status quo, the three
//     readings of the Hewitt Review, the government's June 2023 response,
//     the grant restored), each with its source.
//   - Scenarios are saved as JSON with "schema": 2 (Write, Read; Load reads
//     and validates); schema 1 files are read too, and written as 2. A file
//     can name a catalogue scenario as its "base" and give only what
//     differs, and (schema 2) the "area" it is for (Runner.Place) and a
//     budget base of its own. Write then Read is the identity; Hash and Diff
//     cover every field. Unknown fields, duplicate keys and bad values are
//     *FieldError values naming the file and field; every problem is
//     reported at once.
//   - Validate reports every problem before anything runs; Diff lists the
//     fields that differ, with both values and their sources.
//   - Run and Simulate evaluate one model (Runner.Model): the settlement on
//     the scenario's own deflator, the same rules. Run keeps the ledger
//     (pennies, £1k allocations, parts adding to totals); Simulate's float
//     evaluator does not round. With every uncertain assumption fixed at
//     the scenario's value, Simulate equals Run within a millionth of each
//     figure (a differential test checks it on random scenarios).
//   - Runner.Council sees a result from one council (its part of its ICBs'
//     figures beside its own grant, with window totals and present
//     values); SimSettings.Councils draws bands for councils.
//   - Run is pure: a Result holds the prevention result (Detail) and a
//     Manifest (library version, data vintage, scenario hash, projected
//     years); its tidy rows (budget.Row) for every ICB and England, window
//     totals and Green Book present values are made when first asked for
//     (Rows, Summary, WriteRows, or a typed accessor). A Runner shares
//     allocation projections and the grant's splits by population
//     (prevention.GrantSplits) between runs and is safe for concurrent use;
//     RunAll runs scenarios in parallel and returns them in order.
//   - A Result is read by typed accessors: Value (a figure and its status),
//     Money, Series (a money measure over the result's years) and Window
//     (a Sum, PresentValue or Past of the Summary), each by area code, year,
//     Measure and budget.Basis (budget.Cash or Result.RealBasis). A figure
//     the result lacks is an error naming the area, year or measure. A
//     Comparison (Value, Window) and a Simulation (Band, WindowBand) are
//     read the same way.
//   - Runner.RunArea is the common job in one call: a catalogue scenario
//     for an ICB or a council by name (Scenario.Area, Runner.Place).
//   - Compare(a, b) gives, for every row both have, a's value, the delta a -
//     b (exactly antisymmetric) and delta_pct relative to b; window totals
//     ("<measure>_total", cash), present values ("<measure>_pv": real flows
//     from year 0, in year 0's prices, discounted to it on the Green Book
//     social time preference rate of the parameters, 3.5% a year for years
//     1-30, 3.0% for 31-75, 2.5% after) and past years ("<measure>_past":
//     the window's years before year 0 in the same prices, not discounted).
//     Year 0 is the scenario's PresentValueBase, else the parameter
//     present_value.base_year: first-projected, the first year after the
//     latest published allocations (2026/27), as the Green Book appraises
//     from the present.
//     A shift within the envelope moves money from treatment to prevention:
//     as money it is a transfer, worth nothing of itself under the Green
//     Book; its present value measures the flow. What it buys in health
//     (Scenario.QALYs, discounted at the Green Book's 1.5%), or assumed
//     returns, are what create value.
//
// # Examples
//
// ExampleRun (the headline), ExampleResult_Value (an ICB's figures by typed
// accessors), ExampleRunner_RunArea (a scenario for an ICB or a council in
// one call), ExampleRunner_Describe (the assumptions in words),
// ExampleCompare, ExampleSimulate, ExampleRunner_GoalSeek,
// ExampleRunner_Council and ExampleScenario_qalys. Package scenario/report
// writes a result's workbook, charts and page (its ExampleNewArea).
package scenario
