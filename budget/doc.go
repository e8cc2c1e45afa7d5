// Package budget holds the value types and data of NHS England integrated
// care board (ICB) budgets: financial years, exact money, shares and rates,
// series on a stated price basis, deflators, and the published allocations,
// public health grant, populations and deflators the library ships with.
//
// # Conventions
//
//   - A Year is a UK government financial year, 1 April to 31 March, written
//     "2024/25". Spans of years are inclusive.
//   - Money is exact pounds sterling on github.com/shopspring/decimal; there is
//     no float64 constructor. Intermediate results keep WorkingScale (10)
//     decimal places; each result's documentation says where figures are
//     rounded (NHS England rounds recurrent allocations to the nearest £1k).
//     Money is shown to people only through a Formatter.
//   - Shares (fractions in [0, 1]), rates (growth, > -1) and ratios are
//     distinct types. A change to a share says whether it is in percentage
//     points or relative (ShareChange): the zero change is invalid.
//   - A Series carries its price basis: cash, or real terms at a base year's
//     prices on a named deflator and vintage. Mixing bases is an error.
//   - Every figure carries a Status (published, restated, derived,
//     projected) and a source ID resolvable to a Source (title, URL,
//     publication date).
//   - Allocations are compared like for like: a Projection shows each
//     published year on its latest restated basis with the money moved into
//     ICB allocations named (AllocationBasis, ScopeChanges; AsPublished for
//     reconciling with NHS England's tables), and OnFootprint restates
//     them onto the ICBs of April 2026 with England's totals unchanged. An
//     Engine restates each footprint and basis of one data set once and
//     keeps them, keyed by footprint name and basis.
//   - Loaders take an io.Reader and a name for errors, and never touch the
//     file system. Bad input is a *FileError (file, line, column, value) or a
//     *ParseError wrapping one of the sentinel errors (ErrSyntax, ErrRange,
//     ErrNegative, ErrUnknown, ErrDuplicate, ErrNoData, ErrGap, ErrFormat ...),
//     never a panic and never a silent default.
//   - Nothing in the package is mutable global state: it exports no
//     variables but sentinel errors, and Embedded returns an independent Data
//     each call (the files are read once).
//   - Every modelling assumption the library ships with is a Parameter of
//     the data's parameters file, with its source; the presets
//     (DefaultSettlement, NamedSettlement, Parameters.ConvergencePolicy) are
//     built from it. A user's figures are checked against the published ones
//     with Reconcile (a factor of 1,000 is named).
//
// # Data
//
// Embedded returns the figures shipped in the data folder (see its
// README.md): all 42 ICBs' allocations 2022/23-2025/26 by stream and item
// from NHS England's workbooks (with the footprints of 1 April 2026 that
// restate them onto 36), fair-share targets, distances from target,
// growth and convergence; GP-registered and weighted populations; the local
// authority public health grant with every published vintage; the ONS
// resident population of England; and the OBR GDP deflator from two
// forecast vintages; and the modelling parameters. Each dataset has a Read
// and a Write function for the same tidy CSV format, and ReadData reads a
// whole folder, so a user can export, edit and load their own. The files
// are built from the raw published tables in data/raw by go generate.
package budget
