package pipeline

import (
	"context"

	"github.com/askdb/askdb/internal/llm"
	"github.com/askdb/askdb/internal/retrieve"
	"github.com/askdb/askdb/internal/schema"
)

// SQLPromptFor builds the request a run sends to the SQL model for
// in.Question over s before any repair, for a caller whose access rules
// narrow nothing, without a run, a source or a model (askdb eval prompt
// measures what a model is given): in.Schema and
// in.Examples are filled as the run fills them (the whole schema when
// small, else the question's linked slice; the closest of bank's verified
// questions), and in.Dialect and in.Version default to the catalog's.
func SQLPromptFor(ctx context.Context, s *schema.Schema, in PromptInput, bank []BankEntry) llm.Request {
	in.Schema, _ = promptDDL(s, s.Index.Link(ctx, in.Question, retrieve.Options{}), in.Question)
	in.Examples = pickExamples(bank, in.Question, s.Literals)
	if in.Dialect == "" {
		in.Dialect = s.Catalog.Dialect
	}
	if in.Version == "" {
		in.Version = s.Catalog.Version
	}
	if in.Profile == "" {
		in.Profile = s.Catalog.Profile
	}
	return SQLPrompt(in)
}

// promptDDL is the schema shown to the model for question q linked to
// link: the whole schema when it is small (whole is then true), else the
// linked slice, with the stored values q mentions on their columns, and
// samples in the slice while it fits the retrieval budget.
func promptDDL(s *schema.Schema, link retrieve.Link, q string) (ddl string, whole bool) {
	m := s.Match(q)
	if s.Tokens <= SmallSchemaTokens {
		return s.DDLFor(m), true
	}
	return s.SliceDDLFor(s.Index.Slice(link), m, max(link.SliceTokens, retrieve.DefaultTokenBudget)), false
}
