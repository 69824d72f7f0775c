package sample

import _ "embed" // the knowledge file

// Knowledge is the knowledge file of the sample database: descriptions,
// synonyms, domains, the metrics dictionary and verified questions. It is
// examples/sample-knowledge.yaml, built in so that the embedded default
// configuration answers "What is the headcount?" from the metric with no
// file to install.
//
//go:embed knowledge.yaml
var Knowledge []byte

// KnowledgeName names the built-in knowledge file in messages.
const KnowledgeName = "sample-knowledge.yaml (built in)"
