// Package route picks the source a question is about when the question
// names none. It keeps one lexical index over every configured source
// (the source's description and domains, table and column names,
// comments, knowledge descriptions and synonyms, and stored sample
// values), weights each word by how few sources hold it, and ranks the
// sources with the matching tables as evidence. It then decides: a clear
// winner, a close call to put to the user, or no match. A fast model, when
// one is given, may break a tie with only the top candidates and their
// matching tables as context; the default source breaks what is left.
//
// The index is built once and refreshed per source when that source's
// fingerprint changes (Sync); a question only reads it.
//
// route reads catalogs, retrieval's text analysis and the llm interface;
// it must not import source drivers, pipeline or anything above them.
package route
