// Package plugins links every source kind and model provider into the
// binary. Each imported package registers itself from init; add a new
// kind here and nowhere else.
package plugins

import (
	_ "github.com/askdb/askdb/internal/llm/anthropic"   // model kind "anthropic"
	_ "github.com/askdb/askdb/internal/llm/bedrock"     // model kind "bedrock"
	_ "github.com/askdb/askdb/internal/llm/openai"      // model kind "openai"
	_ "github.com/askdb/askdb/internal/llm/sagemaker"   // model kind "sagemaker"
	_ "github.com/askdb/askdb/internal/source/athena"   // source kind "athena" (Amazon Athena, catalog from Glue)
	_ "github.com/askdb/askdb/internal/source/aurora"   // source kind "aurora" (Aurora MySQL or PostgreSQL through the RDS Data API)
	_ "github.com/askdb/askdb/internal/source/duckdb"   // source kind "duckdb" (CSV and Parquet files; the engine links only with -tags duckdb)
	_ "github.com/askdb/askdb/internal/source/glue"     // catalog kind "glue" (catalog: on any source)
	_ "github.com/askdb/askdb/internal/source/mysql"    // source kind "mysql" (MySQL, MariaDB, Aurora MySQL)
	_ "github.com/askdb/askdb/internal/source/postgres" // source kind "postgres" (PostgreSQL, Aurora, Redshift)
	_ "github.com/askdb/askdb/internal/source/redshift" // source kind "redshift" (wire protocol or the Redshift Data API)
	_ "github.com/askdb/askdb/internal/source/sqlite"   // source kind "sqlite"
	_ "github.com/askdb/askdb/internal/source/trino"    // source kind "trino" (Trino, Starburst)
)
