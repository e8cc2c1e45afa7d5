// Package scenario names, runs and compares sets of assumptions about ICB
// budgets and the prevention shift.
//
// # Conventions
//
//   - A Scenario holds every assumption (data vintage, settlement, deflator,
//     budget base, baseline share, shift, funding, grant rule, returns,
//     discounting, horizon). New scenarios are derived from a base with
//     Derive; the Catalogue holds the named ones (status quo, the three
//     readings of the Hewitt Review, the government's June 2023 response,
//     the grant restored), each with its source.
//   - Scenarios are saved as JSON with "schema": 1 (Write, Read). A file
//     can name a catalogue scenario as its "base" and give only what
//     differs. Unknown fields and bad values are *FieldError values naming
//     the field; every problem is reported at once.
//   - Validate reports every problem before anything runs; Diff lists the
//     assumptions that differ, with both values and their sources.
//   - Run is pure: a Result holds tidy rows (budget.Row) for every ICB and
//     England, window totals and Green Book present values, and a Manifest
//     (library version, data vintage, scenario hash, projected years). A
//     Runner shares allocation projections between runs and is safe for
//     concurrent use; RunAll runs scenarios in parallel and returns them in
//     order.
//   - Compare(a, b) gives, for every row both have, a's value, the delta a -
//     b (exactly antisymmetric) and delta_pct relative to b; window totals
//     ("<measure>_total", cash) and present values ("<measure>_npv", real
//     2024/25 flows discounted to 2023/24 on the Green Book schedule: 3.5% a
//     year for years 1-30, 3.0% for 31-75, 2.5% after; or the health
//     schedule 1.5%, 1.29%, 1.07%).
package scenario
