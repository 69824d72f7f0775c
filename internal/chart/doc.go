// Package chart chooses how to draw a query result: a line for a time
// series, bars for a category with measures, a big figure for one number,
// a scatter for two measures, or nothing. The choice is a deterministic
// rule on column types and cardinalities, so the same rows always get the
// same chart and the rule can be tested without a browser.
//
// chart imports only catalog and source (for column types); it must not
// import pipeline, server or llm.
package chart
