// Package glue reads table definitions from the AWS Glue Data Catalog
// (GetDatabases, GetTables, with pagination) into a catalog.Catalog's
// tables: columns and their types, partition keys as columns, comments,
// and table parameters where they help a reader. It registers the catalog
// kind "glue", which any source may name to take its table definitions
// from Glue instead of introspection:
//
//	catalog: {kind: glue, database: legal, region: eu-west-1}
//
// The athena source kind reads its catalog through it too, and shares its
// AWS configuration loading and error classification. It must not import
// llm or pipeline.
package glue
