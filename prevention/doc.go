// Package prevention models a shift of ICS budgets towards prevention: the
// Hewitt Review's recommendation (April 2023) that "the share of total NHS
// budgets at ICS level going towards prevention should be increased by at
// least 1 per cent over the next five years", set against the local
// authority public health grant.
//
// # Conventions
//
//   - A Model names every assumption: the budget base (which streams count),
//     the baseline share s0 with its source (no official figure exists), the
//     Shift (size, Reading, span, phasing Profile), the Funding mode, the
//     grant rule, the deflator and base year for real terms, and optional
//     Benefits. DefaultModel fills them; Validate reports every problem at
//     once.
//   - "1 per cent" has four readings, always named: Points (+1 pp by the
//     end), PerYear (+1 pp a year), Relative (the share x 1.01) and
//     RelativePerYear (the share x 1.01 each year, compounding). NewShift
//     takes the size typed, PercentagePoints for the first two and PerCent
//     for the relative ones, and refuses the other unit; ParseTarget reads
//     a goal for GoalSeek.
//   - Run works per ICB and year: prevention = budget x share and
//     counterfactual = budget x s0, each rounded to the penny (halves away
//     from zero); shift = prevention - counterfactual; treatment = budget -
//     prevention, so prevention + treatment = budget exactly. England is the
//     sum of the ICBs in every measure and basis.
//   - The public health grant uses the latest published like-for-like
//     figure of each year and a stated rule after (flat in real terms by
//     default); it reaches ICBs only by an explicit method: the share of
//     GP-registered population, or a user's council allocations.
//   - A council's allocations (CouncilAllocations, CouncilAllocationsOf)
//     give its ICBs' grants in the years they have; in later years each
//     ICB's share of England's grant is held, in earlier ones apportioned,
//     each said (Result.GrantMethod, the *_share_held and *_mixed rows).
//   - Result.Council is a council's view: its part of its ICBs' figures by
//     the share of their GP-registered patients (AttributionMethod), beside
//     its own grant (from the council file, its share held, or apportioned,
//     CouncilGrantSource).
//   - Per-head figures say their population: GP-registered (ICBs, councils
//     and England) or ONS resident (the grant, England).
//   - Results are tidy budget.Row values in cash and real terms, with a
//     status (published, derived, projected) on every figure.
//
// The package is deterministic and uses exact decimals; it does no I/O of
// its own beyond the io.Readers of ReadCouncilGrant, ReadCouncilAmounts and
// CouncilAllocations.
//
// # Examples
//
// ExampleRun (the model run directly), ExampleShift_ShareIn (the four
// readings of "1 per cent") and ExampleNewShift (a shift from a typed size).
package prevention
