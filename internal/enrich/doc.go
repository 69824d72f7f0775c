// Package enrich computes a catalog snapshot with data statistics (row
// counts, null rates, minimum and maximum of numbers and dates, and the
// most frequent values of low-cardinality columns) and keeps it in the
// store, so that retrieval and prompts can spell filter values the way the
// data does without touching the database on every question.
//
// Every statistic comes from bounded queries sent through the source's
// read-only Query path: a table is sampled with a LIMIT-bounded subquery,
// so a huge table costs a bounded amount. Statistics of a table larger
// than the sample describe its first rows, not all of them (TableStats.Sampled).
package enrich
