package pipeline

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxQuestionRunes bounds a question. Real questions are a sentence
// or two; a page of text is either a paste accident or an attack.
const DefaultMaxQuestionRunes = 2000

// Input errors. They are the user's to fix, so callers map them to 4xx.
var (
	ErrEmptyQuestion   = errors.New("the question is empty: ask something about your data, e.g. \"how many customers are there?\"")
	ErrQuestionTooLong = errors.New("the question is too long")
	ErrNotUTF8         = errors.New("the question is not valid UTF-8 text")
)

// InputError wraps an input problem with its detail.
type InputError struct {
	Err    error
	Detail string
}

func (e *InputError) Error() string {
	if e.Detail == "" {
		return e.Err.Error()
	}
	return e.Err.Error() + ": " + e.Detail
}

func (e *InputError) Unwrap() error { return e.Err }

// CleanQuestion validates a question and normalises its whitespace and
// control characters.
func CleanQuestion(q string, maxRunes int) (string, error) {
	if maxRunes <= 0 {
		maxRunes = DefaultMaxQuestionRunes
	}
	if !utf8.ValidString(q) {
		return "", &InputError{Err: ErrNotUTF8, Detail: "send the question as UTF-8"}
	}
	q = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' {
			return ' '
		}
		return r
	}, q)
	q = strings.Join(strings.Fields(q), " ")
	if q == "" {
		return "", &InputError{Err: ErrEmptyQuestion}
	}
	if n := utf8.RuneCountInString(q); n > maxRunes {
		return "", &InputError{Err: ErrQuestionTooLong, Detail: fmt.Sprintf("%d characters; the limit is %d", n, maxRunes)}
	}
	return q, nil
}

// writeRequestRE matches questions that ask askdb to change data. It is a
// courtesy, not the safety layer: a write that slips past it is still
// refused by the guard and by the read-only transaction.
var writeRequestRE = regexp.MustCompile(`(?i)^(?:please\s+|can you\s+|could you\s+|would you\s+|i want (?:you )?to\s+|go ahead and\s+|now\s+)*` +
	`(delete|remove|drop|truncate|update|insert|alter|modify|erase|wipe|purge|rename|grant|revoke|overwrite|destroy|` +
	`change|set|add|create|replace|reset|increase|decrease|raise|lower|mark|cancel|deactivate|disable)\b` +
	`(?:\s+(?:all|the|every|each|a|an|new|this|these|those|that|my|our|table|tables|rows?|records?|columns?|database|schema|views?|index)\b|\s+\w+\s+(?:to|from|where|for|as)\b|\s+\w+\s*$)`)

// destroyRE matches questions that open with a verb that only ever asks
// to destroy data: "remove duplicate customers" needs no determiner to be
// a write request, unlike "set" or "change".
var destroyRE = regexp.MustCompile(`(?i)^(?:please\s+|can you\s+|could you\s+|would you\s+|go ahead and\s+|now\s+)*(delete|remove|drop|truncate|erase|wipe|purge|destroy|deduplicate|dedupe)\b\s+\S`)

// writeRequest reports the verb when the question asks to change data.
func writeRequest(q string) (string, bool) {
	q = strings.TrimSpace(q)
	if m := destroyRE.FindStringSubmatch(q); m != nil {
		return strings.ToLower(m[1]), true
	}
	m := writeRequestRE.FindStringSubmatch(q)
	if m == nil {
		return "", false
	}
	return strings.ToLower(m[1]), true
}

func refuseWriteMessage(verb string) string {
	return fmt.Sprintf("askdb only reads data, so it will not %s anything. "+
		"It can answer questions about the data instead, such as how many rows would be affected.", verb)
}
