package trinoparser

import (
	"testing"

	"github.com/antlr/antlr4/runtime/Go/antlr"
)

// TestATNsBuiltOnFirstUse: importing the parser costs nothing at program
// start (scripts/antlr-lazy-init.py); the ATNs are built by the first
// lexer and parser, and they parse.
func TestATNsBuiltOnFirstUse(t *testing.T) {
	if lexerAtn != nil || deserializedATN != nil {
		t.Fatal("the ATNs were deserialized at init; rerun scripts/antlr-lazy-init.py")
	}
	p := NewTrinoParser(antlr.NewCommonTokenStream(NewTrinoLexer(antlr.NewInputStream("SELECT 1")), antlr.TokenDefaultChannel))
	if lexerAtn == nil || deserializedATN == nil || p == nil {
		t.Fatal("the ATNs were not built by the first lexer and parser")
	}
}
