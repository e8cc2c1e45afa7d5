package scenario_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/upstream-health/upstream/scenario"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(scenario.Schema()))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource("schema.json", doc))
	s, err := c.Compile("schema.json")
	require.NoError(t, err)
	return s
}

// TestSchemaValidatesTheCatalogue: every catalogue scenario, as written to
// a file, is valid against the published schema, and so is a short file
// built on a base; a file the library refuses is refused by the schema too.
func TestSchemaValidatesTheCatalogue(t *testing.T) {
	s := compileSchema(t)
	for _, sc := range catalogue(t) {
		var b bytes.Buffer
		require.NoError(t, scenario.Write(&b, sc))
		doc, err := jsonschema.UnmarshalJSON(&b)
		require.NoError(t, err)
		assert.NoError(t, s.Validate(doc), sc.Name)
	}
	for file, valid := range map[string]bool{
		`{"schema": 1, "name": "hewitt-2pp", "base": "hewitt", "shift": {"size": "2"}, "funding": "additional"}`:             true,
		`{"schema": 1, "name": "x", "base": "hewitt", "allocation_basis": {"vintage": "as-published"}, "footprint": "2022"}`: true,
		`{"schema": 1, "name": "x", "base": "hewitt", "colour": "red"}`:                                                      false,
		`{"schema": 1, "name": "x", "base": "hewitt", "shift": {"reading": "double"}}`:                                       false,
		`{"schema": 1, "name": "x", "base": "hewitt", "baseline_share": {"value": "5", "source": "x"}}`:                      false,
		`{"schema": 1, "name": "x", "base": "hewitt", "discounting": "green-book-health"}`:                                   false,
		`{"schema": 3, "name": "x"}`:                                                                              false,
		`{"schema": 2, "name": "x", "base": "hewitt", "area": "manchester"}`:                                      true,
		`{"schema": 1, "name": "x", "base": "hewitt", "area": "manchester"}`:                                      false,
		`{"schema": 2, "name": "x", "base": "hewitt", "budget_base": {"name": "core-only", "streams": ["core"]}}`: true,
		`{"schema": 1, "name": "x", "base": "hewitt", "budget_base": {"name": "core-only", "streams": ["core"]}}`: false,
		`{"schema": 2, "name": "x", "base": "hewitt", "budget_base": {"name": "programme", "streams": ["core"]}}`: false,
		`{"schema": 2, "name": "x", "base": "hewitt", "budget_base": {"name": "c", "streams": ["core", "core"]}}`: false,
	} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(file)))
		require.NoError(t, err)
		if valid {
			assert.NoError(t, s.Validate(doc), file)
		} else {
			assert.Error(t, s.Validate(doc), file)
		}
	}
}

// TestSchemaNamesTheCatalogue: the schema's "base" names every catalogue
// scenario, as Read takes them.
func TestSchemaNamesTheCatalogue(t *testing.T) {
	var doc struct {
		Properties struct {
			Base struct {
				Enum []string `json:"enum"`
			} `json:"base"`
		} `json:"properties"`
	}
	require.NoError(t, json.Unmarshal(scenario.Schema(), &doc))
	assert.ElementsMatch(t, scenario.CatalogueNames(), doc.Properties.Base.Enum)
}
