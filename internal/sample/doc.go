// Package sample generates askdb's bundled sample database: a small shop
// (customers, products, orders), a company (departments, employees) and
// its research projects. The data is a pure function of a seed and a date,
// so the same rows load into SQLite, PostgreSQL and MySQL/MariaDB and tests
// can compute expected answers in Go.
//
// sample imports only catalog and the SQLite driver; it must not import
// source, llm or pipeline.
package sample
