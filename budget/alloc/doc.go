// Package alloc is the allocations engine: it restates ICB allocations like
// for like and projects them under a settlement. A Projection shows each
// published year on its latest restated basis, with the money moved into
// ICB allocations named (AllocationBasis, ScopeChanges; AsPublished for
// reconciling with NHS England's tables), and rolls every stream of every
// ICB forward to a horizon under a Settlement: growth, convergence
// towards fair-share targets inside England's total (ConvergencePolicy),
// non-recurrent items held, dropped or grown, pots folded into baselines,
// and registered populations grown with England's. ReplayRound recomputes
// a published round from its inputs. OnFootprint restates allocations and
// populations onto the ICBs of April 2026 with England's totals unchanged.
//
// # Conventions
//
//   - The engine reads package dataset's data and computes in package
//     budget's values: exact money, recurrent allocations rounded to £1k as
//     NHS England rounds them, with parts rounded by largest remainder so
//     that they add up to their totals; every figure keeps its Status
//     (published, restated, derived, projected).
//   - An Engine holds one data set and keeps what it restates (each
//     footprint's data, each basis's published cells), keyed by footprint
//     name and basis, for any number of projections; the functions
//     OnFootprint, Project and ProjectOn compute afresh.
//   - A Projection is immutable and safe for concurrent use. It keeps, once
//     made, each ICB-year's sums over a set of streams (Total, Moved), so
//     that many runs on one projection add them once; a stream named twice
//     is an error, not counted twice. Each projected year grows from the
//     years before it alone, so Projection.To cuts a projection to an
//     earlier horizon with the figures projecting to it gives.
//   - Settlements and convergence policies are built from the data's
//     parameters (DefaultSettlement, NamedSettlement, ConvergencePolicyNamed,
//     ObservedPolicy), so every assumption has a source.
//   - Bad input is an error wrapping a sentinel of package budget, never a
//     panic.
//
// # Examples
//
// ExampleProject (England's programme budget to 2028/29) and ExampleEngine
// (the 2026 footprint, restated once, under two settlements).
package alloc
