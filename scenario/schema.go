package scenario

import _ "embed"

//go:embed schema.json
var schema []byte

// Schema is the JSON Schema (draft 2020-12) of a scenario file: every
// field, its unit, its allowed values and what a file without "base" must
// give.
func Schema() []byte { return append([]byte(nil), schema...) }
