package duckdb

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/askdb/askdb/internal/source"
)

// This file is the source's own guard, the second layer behind sqlguard
// (see the sqlguard package's design note on DuckDB): DuckDB's parser, the
// one that will run the query, serializes the statement with
// json_serialize_sql, and the tree must be one SELECT over allowed
// functions. It fails closed: a node, expression class or table reference
// it does not know is refused.

// queryNodes are the query node types a SELECT may contain.
var queryNodes = map[string]bool{
	"SELECT_NODE": true, "SET_OPERATION_NODE": true, "RECURSIVE_CTE_NODE": true, "CTE_NODE": true,
}

// tableRefs are the FROM-clause entries a SELECT may read. SHOW_REF
// (DESCRIBE, SUMMARIZE) and anything newer are refused; PIVOT never gets
// here, since json_serialize_sql cannot serialize it.
var tableRefs = map[string]bool{
	"BASE_TABLE": true, "JOIN": true, "SUBQUERY": true, "TABLE_FUNCTION": true,
	"EXPRESSION_LIST": true, "EMPTY": true,
}

// exprClasses are every class of parsed expression DuckDB has; FUNCTION
// and WINDOW are further checked by name.
var exprClasses = map[string]bool{
	"CASE": true, "CAST": true, "COLUMN_REF": true, "COMPARISON": true, "CONJUNCTION": true,
	"CONSTANT": true, "DEFAULT": true, "FUNCTION": true, "OPERATOR": true, "STAR": true,
	"SUBQUERY": true, "WINDOW": true, "PARAMETER": true, "COLLATE": true, "LAMBDA": true,
	"POSITIONAL_REFERENCE": true, "BETWEEN": true, "LAMBDA_REF": true,
}

// otherTypes are the remaining "type" values of the serialized tree: sort
// orders. Modifiers (…_MODIFIER) and type details (…_TYPE_INFO) are
// recognised by suffix.
var otherTypes = map[string]bool{"ASCENDING": true, "DESCENDING": true, "ORDER_DEFAULT": true, "INVALID": true}

// syntaxFunctions are the names DuckDB's parser itself writes for syntax
// (count(*), list comprehensions, [i] and [a:b], struct.field): they are
// pure and not on sqlguard's list, which sees the PostgreSQL spelling.
var syntaxFunctions = map[string]bool{
	"count_star": true, "list_apply": true, "list_filter": true, "array_extract": true,
	"array_slice": true, "struct_extract": true, "list_extract": true,
}

// refusal is a query the check will not run; it wraps ErrReadOnly (not a
// SELECT) or ErrNotAllowed.
func refusal(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w (duckdb: %s)", sentinel, fmt.Sprintf(format, args...))
}

// parseError is DuckDB's parser rejecting the text; its message is kept
// verbatim for the repair loop.
type parseError struct{ msg string }

func (e *parseError) Error() string { return e.msg }

// serialized is the envelope json_serialize_sql returns.
type serialized struct {
	Error        bool              `json:"error"`
	ErrorType    string            `json:"error_type"`
	ErrorMessage string            `json:"error_message"`
	Statements   []json.RawMessage `json:"statements"`
}

// checkSerialized accepts the output of json_serialize_sql only for exactly
// one SELECT whose every function is allowed (by allowed, or as syntax).
func checkSerialized(doc string, allowed func(name string) bool) error {
	var env serialized
	if err := json.Unmarshal([]byte(doc), &env); err != nil {
		return fmt.Errorf("read json_serialize_sql output: %w", err)
	}
	switch {
	case env.Error && env.ErrorType == "not implemented":
		// "Only SELECT statements can be serialized to json!"
		return refusal(source.ErrReadOnly, "the statement is not a SELECT: %s", env.ErrorMessage)
	case env.Error:
		return &parseError{msg: env.ErrorMessage}
	case len(env.Statements) != 1:
		return refusal(source.ErrNotAllowed, "%d statements; askdb runs exactly one", len(env.Statements))
	}
	dec := json.NewDecoder(bytes.NewReader(env.Statements[0]))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return fmt.Errorf("read json_serialize_sql output: %w", err)
	}
	w := walker{allowed: allowed}
	return w.walk(tree)
}

type walker struct{ allowed func(string) bool }

func (w walker) walk(v any) error {
	switch x := v.(type) {
	case map[string]any:
		if err := w.object(x); err != nil {
			return err
		}
		for _, child := range x {
			if err := w.walk(child); err != nil {
				return err
			}
		}
	case []any:
		for _, child := range x {
			if err := w.walk(child); err != nil {
				return err
			}
		}
	}
	return nil
}

// object checks one node of the tree by its "class" (expressions) or its
// "type" (query nodes, table references, modifiers).
func (w walker) object(o map[string]any) error {
	if class, ok := o["class"].(string); ok {
		if !exprClasses[class] {
			return refusal(source.ErrNotAllowed, "expression of class %s", class)
		}
		if class == "FUNCTION" || class == "WINDOW" {
			return w.function(o)
		}
		return nil
	}
	typ, ok := o["type"].(string)
	switch {
	case !ok, otherTypes[typ], strings.HasSuffix(typ, "_MODIFIER"), strings.HasSuffix(typ, "_TYPE_INFO"):
		return nil
	case strings.HasSuffix(typ, "_NODE"):
		if !queryNodes[typ] {
			return refusal(source.ErrReadOnly, "a %s is not part of a SELECT", typ)
		}
		return nil
	case typ == "BASE_TABLE":
		return baseTable(o)
	case tableRefs[typ]:
		return nil
	}
	return refusal(source.ErrNotAllowed, "%s in the query", typ)
}

// baseTable refuses a table name that DuckDB would read as a file or URL
// (a replacement scan: FROM 'data.csv').
func baseTable(o map[string]any) error {
	name, _ := o["table_name"].(string)
	if strings.ContainsAny(name, `/\:*?~.`) {
		return refusal(source.ErrNotAllowed, "table name %q looks like a file path or URL; query a table instead", name)
	}
	// DuckDB binds an unknown table name to a table function of that name
	// with no arguments (FROM pragma_database_list), and keeps its own
	// catalog views in the "system" catalog.
	lower := strings.ToLower(name)
	catalogName, _ := o["catalog_name"].(string)
	if strings.HasPrefix(lower, "pragma_") || strings.HasPrefix(lower, "duckdb_") || strings.EqualFold(catalogName, "system") {
		return refusal(source.ErrNotAllowed, "table %q is part of DuckDB's system catalog; query the data's own tables instead", name)
	}
	return nil
}

// function checks a function call by name. Schema qualifiers DuckDB puts
// on its own functions are fine; a catalog or any other schema is not.
func (w walker) function(o map[string]any) error {
	name, _ := o["function_name"].(string)
	schema, _ := o["schema"].(string)
	catalog, _ := o["catalog"].(string)
	if catalog != "" || (schema != "" && schema != "main" && schema != "pg_catalog") {
		return refusal(source.ErrNotAllowed, "function %q is qualified with %q; call built-in functions unqualified", name, strings.Trim(catalog+"."+schema, "."))
	}
	lower := strings.ToLower(name)
	if isOperator, _ := o["is_operator"].(bool); isOperator && symbolic(name) {
		return nil
	}
	if syntaxFunctions[lower] || w.allowed(lower) {
		return nil
	}
	return refusal(source.ErrNotAllowed, "function %q is not on the allowlist", name)
}

// symbolic reports a name made only of operator characters (+, ||, ~~, ->>).
func symbolic(name string) bool {
	return name != "" && strings.Trim(name, "+-*/%^<>=!~|&@#?:") == ""
}
