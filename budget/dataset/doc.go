// Package dataset is the data the library ships and reads: ICB allocations
// by year, stream, measure and item (Allocations), GP-registered and
// weighted populations and England's resident population (Populations),
// the local authority public health grant with every published vintage
// (Grant), the OBR GDP deflator (Deflators), NHS England's revenue totals,
// the footprints that restate the 42 ICBs of 2022 onto the 36 of April
// 2026 (Footprints), the ICB directory and council crosswalk, published
// benchmarks, the modelling parameters with their sources (Parameters),
// and the sources themselves. The values it holds are package budget's.
//
// # Conventions
//
//   - Each data file of DataFiles has a Read and a Write function for the
//     same tidy CSV format (its Columns function lists them), so a user can
//     export, edit and load their own (the ICB directory, the council
//     crosswalk and the benchmarks are read only); ReadData reads a whole
//     folder (DataFiles), and Embedded the data shipped in the data folder (see its README.md),
//     built from the raw published tables in data/raw by go generate.
//   - Loaders take an io.Reader and a name for errors, and never touch the
//     file system. Every problem is a *budget.FileError naming the file,
//     line, column and value, wrapping a sentinel error of package budget;
//     every problem of a file is reported at once where they can be.
//   - A user's figures are checked against the published ones
//     (Allocations.Reconcile, Deflators.Reconcile ...): figures that do not
//     add up, or are off by a factor of 1,000, are an error unless the user
//     says otherwise.
//   - Every modelling assumption the library ships with is a Parameter,
//     with its source, unit, period and status; CheckKnown refuses an ID the
//     library does not read.
//   - Datasets are immutable values: Embedded returns an independent Data
//     each call (the files are read once), and the package exports no
//     variables but sentinel errors.
//
// # Examples
//
// ExampleReadData (a data folder of your own), ExampleReadAllocations and
// ExampleCouncilCrosswalk_FindCouncil.
package dataset
