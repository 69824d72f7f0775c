// Package text is askdb's one analyser of words, shared by retrieval,
// the knowledge layer, the metrics dictionary, the question bank and the
// offline engine:
//
//   - Runs and IdentWords split identifiers and questions the way schema
//     linking reads them ("CustomerID" → customer, id; "customer_id" is one
//     run of two words);
//   - Words and Normalize split prose into lower-case words of letters and
//     digits, with no case boundaries ("Returns-Processing" → returns,
//     processing), for phrases users write and type;
//   - Stem folds plurals and a few suffixes ("orders", "ordered" → order),
//     and Singular folds plurals only, for the offline engine;
//   - IsStopword tells the words that carry no schema signal.
//
// Package text imports nothing of askdb.
package text
