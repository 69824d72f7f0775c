#!/usr/bin/env python3
"""antlr-lazy-init.py rewrites ANTLR 4.7.2's generated Go lexer and parser so
that their ATNs are deserialized on first use, not at program start: the
generated code builds them in package variables and init(), which cost every
askdb command ~13 ms although only the Trino guard needs them.

Usage: antlr-lazy-init.py FILE.go... (rewrites in place; gen-trino-parser.sh
runs it). It fails loudly when the generated code no longer has the shape it
expects, so a new ANTLR version cannot be half-rewritten silently."""
import re
import sys


def rewrite(src, atn, dfa, serialized, deser, ctor, prefix):
    once = prefix + "Once"
    setup = prefix + "Setup"
    e = re.escape
    pats = [
        ("var " + e(deser) + r" = antlr\.NewATNDeserializer\(nil\)\nvar " + e(atn) + " = " + e(deser)
         + r"\.DeserializeFromUInt16\(" + e(serialized) + r"\)\n",
         "// " + atn + " and " + dfa + " are built by " + setup + ", once, on first use.\n"
         "var (\n\t" + once + " sync.Once\n\t" + atn + " *antlr.ATN\n\t" + dfa + " []*antlr.DFA\n)\n"),
        ("var " + e(dfa) + r" = make\(\[\]\*antlr\.DFA, len\(" + e(atn) + r"\.DecisionToState\)\)\n\nfunc init\(\) \{\n",
         "func " + setup + "() {\n\t" + atn + " = antlr.NewATNDeserializer(nil).DeserializeFromUInt16(" + serialized + ")\n\t"
         + dfa + " = make([]*antlr.DFA, len(" + atn + ".DecisionToState))\n"),
        ("(func " + e(ctor) + r"\([^)]*\) \*\w+ \{\n)",
         "\\g<1>\t" + once + ".Do(" + setup + ")\n"),
    ]
    for pat, rep in pats:
        src, n = re.subn(pat, rep, src, count=1)
        if n != 1:
            sys.exit(f"antlr-lazy-init: pattern not found: {pat[:60]}")
    src, n = re.subn(r'^import \(\n', 'import (\n\t"sync"\n', src, count=1, flags=re.M)
    if n != 1:
        sys.exit("antlr-lazy-init: no import block")
    return src


for path in sys.argv[1:]:
    with open(path) as f:
        src = f.read()
    if "NewATNDeserializer(nil).DeserializeFromUInt16" in src:
        continue  # already rewritten
    if "func NewTrinoLexer(" in src:
        src = rewrite(src, "lexerAtn", "lexerDecisionToDFA", "serializedLexerAtn", "lexerDeserializer", "NewTrinoLexer", "lexer")
    elif "func NewTrinoParser(" in src:
        src = rewrite(src, "deserializedATN", "decisionToDFA", "parserATN", "deserializer", "NewTrinoParser", "parser")
    else:
        continue
    with open(path, "w") as f:
        f.write(src)
