package catalog

import "strings"

// NormalizeType maps an engine's type name onto a normalised Type. The
// rules cover PostgreSQL, MySQL/MariaDB, SQLite and DuckDB spellings; an
// unknown name falls back to SQLite's affinity rules, then to TypeOther.
func NormalizeType(dbType string) Type {
	t := strings.ToLower(strings.TrimSpace(dbType))
	if i := strings.IndexByte(t, '('); i >= 0 {
		rest := ""
		if j := strings.IndexByte(t, ')'); j > i {
			rest = " " + strings.TrimSpace(t[j+1:])
		}
		t = strings.TrimSpace(strings.TrimSpace(t[:i]) + rest)
	}
	t = strings.TrimSuffix(t, " unsigned")
	t = strings.TrimSuffix(t, " zerofill")
	if strings.HasSuffix(t, "[]") || strings.HasPrefix(t, "_") {
		return TypeOther // arrays
	}
	switch t {
	case "", "interval":
		return TypeOther
	case "bool", "boolean":
		return TypeBoolean
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "int2", "int4", "int8",
		"serial", "bigserial", "smallserial", "hugeint", "ubigint", "uinteger", "usmallint", "utinyint", "year":
		return TypeInteger
	case "numeric", "decimal", "money", "dec", "fixed":
		return TypeDecimal
	case "real", "float", "double", "double precision", "float4", "float8":
		return TypeFloat
	case "date":
		return TypeDate
	case "time", "time without time zone", "time with time zone", "timetz":
		return TypeTime
	case "timestamp", "datetime", "timestamptz", "timestamp without time zone",
		"timestamp with time zone", "timestamp_ns", "timestamp_ms", "timestamp_s":
		return TypeTimestamp
	case "bytea", "blob", "binary", "varbinary", "tinyblob", "mediumblob", "longblob":
		return TypeBytes
	case "json", "jsonb":
		return TypeJSON
	case "uuid":
		return TypeUUID
	case "text", "varchar", "char", "character", "character varying", "nvarchar", "nchar",
		"tinytext", "mediumtext", "longtext", "string", "citext", "name", "enum", "set", "clob", "bpchar":
		return TypeText
	}
	// SQLite's affinity rules (https://sqlite.org/datatype3.html §3.1).
	switch {
	case strings.Contains(t, "int"):
		return TypeInteger
	case strings.Contains(t, "char"), strings.Contains(t, "clob"), strings.Contains(t, "text"):
		return TypeText
	case strings.Contains(t, "blob"):
		return TypeBytes
	case strings.Contains(t, "real"), strings.Contains(t, "floa"), strings.Contains(t, "doub"):
		return TypeFloat
	case strings.Contains(t, "timestamp"):
		return TypeTimestamp
	}
	return TypeOther
}
