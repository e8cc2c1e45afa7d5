package dataset

// The embedded datasets in data/ are built from the raw reference tables in
// data/raw (checked against data/raw/manifest.csv) by internal/gendata:
//
//	go generate ./budget/dataset
//
// .ci/run fails when the committed files differ from what that builds.
//go:generate go run ../../internal/gendata
