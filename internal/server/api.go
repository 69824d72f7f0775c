package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/store"
	"github.com/askdb/askdb/internal/trace"
)

// askRequest is the body of POST /api/ask.
type askRequest struct {
	Question       string `json:"question"`
	Source         string `json:"source,omitempty"`
	ConversationID string `json:"conversation_id,omitempty"`
	// NoCache refuses a cached answer: the model is asked again.
	NoCache bool `json:"no_cache,omitempty"`
}

// sqlRequest is the body of POST /api/sql.
type sqlRequest struct {
	SQL    string `json:"sql"`
	Source string `json:"source,omitempty"`
}

// feedbackRequest is the body of POST /api/answers/{id}/feedback.
type feedbackRequest struct {
	Vote    string `json:"vote"`
	Comment string `json:"comment,omitempty"`
}

// maxSQLBytes bounds user SQL; maxCommentRunes bounds a feedback comment.
const (
	maxSQLBytes     = 100_000
	maxCommentRunes = 2000
)

// answerResponse is an Answer as the API returns it: the pipeline's
// answer plus the chart chosen for its rows.
// answerResponse is the pipeline's Answer; it carries the chart spec and
// the conversation id itself, so the stored audit payload and the live
// response are the same document.
type answerResponse = pipeline.Answer

func (s *Server) handleAsk(w http.ResponseWriter, r *http.Request) {
	var req askRequest
	if e := decodeJSON(w, r, s.opts.MaxBodyBytes, &req); e != nil {
		writeStatusError(w, e)
		return
	}
	if e := s.checkQuestion(req.Question); e != nil {
		writeStatusError(w, e)
		return
	}
	// With no source named and several configured, the pipeline routes.
	if e := s.checkSource(req.Source); e != nil && (req.Source != "" || len(s.opts.Sources.Names()) < 2) {
		writeStatusError(w, e)
		return
	}
	run := func(ctx context.Context, obs func(trace.Step)) (*pipeline.Answer, error) {
		return s.opts.Pipeline.Ask(ctx, pipeline.Request{Question: req.Question, Source: req.Source, Observer: obs, User: UserFrom(ctx), ConversationID: req.ConversationID, NoCache: req.NoCache})
	}
	s.answer(w, r, run)
}

func (s *Server) handleSQL(w http.ResponseWriter, r *http.Request) {
	var req sqlRequest
	if e := decodeJSON(w, r, s.opts.MaxBodyBytes, &req); e != nil {
		writeStatusError(w, e)
		return
	}
	switch {
	case strings.TrimSpace(req.SQL) == "":
		writeError(w, http.StatusBadRequest, "bad_sql", `"sql" is empty: send one SELECT statement`)
		return
	case len(req.SQL) > maxSQLBytes:
		writeError(w, http.StatusBadRequest, "sql_too_long", fmt.Sprintf("the SQL is %d bytes; the limit is %d", len(req.SQL), maxSQLBytes))
		return
	}
	if e := s.checkSource(req.Source); e != nil {
		writeStatusError(w, e)
		return
	}
	run := func(ctx context.Context, obs func(trace.Step)) (*pipeline.Answer, error) {
		return s.opts.Pipeline.RunSQLFor(ctx, pipeline.SQLRequest{Source: req.Source, SQL: req.SQL, Observer: obs, User: UserFrom(ctx)})
	}
	s.answer(w, r, run)
}

func (s *Server) checkQuestion(q string) *statusError {
	if strings.TrimSpace(q) == "" {
		return &statusError{status: http.StatusBadRequest, code: "bad_question", msg: `"question" is empty: ask something about your data, e.g. "how many customers are there?"`}
	}
	if n, limit := utf8.RuneCountInString(q), s.opts.Config.MaxQuestionLength; n > limit {
		return &statusError{status: http.StatusBadRequest, code: "question_too_long", msg: fmt.Sprintf("the question has %d characters; the limit is %d", n, limit)}
	}
	return nil
}

// checkSource resolves the source up front so that an unknown name is a
// 404 before any stream starts.
func (s *Server) checkSource(name string) *statusError {
	if _, err := s.opts.Sources.Resolve(name); err != nil {
		return classify(err, nil)
	}
	return nil
}

type runFunc func(ctx context.Context, obs func(trace.Step)) (*pipeline.Answer, error)

// answer runs one question (or SQL) and writes it as JSON, or as an SSE
// stream when the client asks for text/event-stream.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, run runFunc) {
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout)
	defer cancel()
	if wantsStream(r) {
		s.stream(ctx, w, run)
		return
	}
	ans, err := run(ctx, nil)
	resp, e := s.finish(ctx, ans, err)
	if e != nil {
		writeStatusError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// finish counts an answer in the metrics and maps a pipeline error to a
// status error. The pipeline has already written the audit log.
func (s *Server) finish(ctx context.Context, ans *pipeline.Answer, err error) (*answerResponse, *statusError) {
	if ans == nil {
		return nil, classify(err, nil)
	}
	if err != nil {
		s.log.Warn("question failed", "id", ans.ID, "outcome", ans.Outcome, "err", err)
		return nil, classify(err, ans)
	}
	return ans, nil
}

func (s *Server) handleSources(w http.ResponseWriter, r *http.Request) {
	type sourceInfo struct {
		Name        string `json:"name"`
		Kind        string `json:"kind"`
		Description string `json:"description,omitempty"`
		Default     bool   `json:"default"`
	}
	def, _ := s.opts.Sources.Resolve("")
	out := struct {
		Sources []sourceInfo `json:"sources"`
	}{Sources: []sourceInfo{}}
	for _, n := range s.visibleSources(r.Context()) {
		c := s.opts.Sources.Config(n)
		out.Sources = append(out.Sources, sourceInfo{Name: n, Kind: source.DatabaseOf(c.Kind), Description: c.Description, Default: n == def})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleSchema(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if e := s.checkSource(name); e != nil {
		writeStatusError(w, e)
		return
	}
	if _, e := s.callerPolicy(r.Context(), name); e != nil {
		writeStatusError(w, e)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.opts.RequestTimeout)
	defer cancel()
	// The schema as the pipeline sees it, cached, and as the caller may see
	// it: what the policy and their access rules hide is not shown (nor,
	// for a restricted caller, sample values), the knowledge files'
	// descriptions are.
	sch, _, err := s.opts.Pipeline.CallerSchema(ctx, name)
	if err != nil {
		s.log.Error("introspect", "source", name, "err", err)
		e := classify(err, nil)
		if e.status == http.StatusInternalServerError {
			e = &statusError{status: http.StatusBadGateway, code: "source_unavailable", msg: fmt.Sprintf("could not read the schema of source %q", name)}
		}
		writeStatusError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, sch.Catalog)
}

// ownAnswer reads the stored answer id if the caller asked it. With API
// keys, another key's answer is ErrNotFound, as if it did not exist, so
// that ids cannot be confirmed either; without keys there is one user.
func (s *Server) ownAnswer(ctx context.Context, id string) (store.AnswerRecord, error) {
	rec, err := s.opts.Store.Answer(ctx, id)
	if err == nil && s.authRequired() && rec.User != UserFrom(ctx) {
		return store.AnswerRecord{}, fmt.Errorf("answer %q: %w", id, store.ErrNotFound)
	}
	return rec, err
}

func (s *Server) handleAnswer(w http.ResponseWriter, r *http.Request) {
	id, asCSV := strings.CutSuffix(r.PathValue("id"), ".csv")
	rec, err := s.ownAnswer(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "answer_not_found", fmt.Sprintf("no answer %q", id))
		return
	case err != nil:
		s.log.Error("read answer", "id", id, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not read the answer")
		return
	}
	if asCSV {
		s.writeCSV(w, rec)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if len(rec.Payload) == 0 {
		writeJSON(w, http.StatusOK, rec)
		return
	}
	_, _ = w.Write(rec.Payload)
}

func (s *Server) handleFeedback(w http.ResponseWriter, r *http.Request) {
	var req feedbackRequest
	if e := decodeJSON(w, r, s.opts.MaxBodyBytes, &req); e != nil {
		writeStatusError(w, e)
		return
	}
	if req.Vote != store.VoteUp && req.Vote != store.VoteDown {
		writeError(w, http.StatusBadRequest, "bad_vote", fmt.Sprintf(`"vote" %q: must be "up" or "down"`, req.Vote))
		return
	}
	if utf8.RuneCountInString(req.Comment) > maxCommentRunes {
		writeError(w, http.StatusBadRequest, "comment_too_long", fmt.Sprintf("the comment is longer than %d characters", maxCommentRunes))
		return
	}
	id := r.PathValue("id")
	var res pipeline.FeedbackResult
	_, err := s.ownAnswer(r.Context(), id)
	if err == nil {
		fb := store.Feedback{AnswerID: id, User: UserFrom(r.Context()), Vote: req.Vote, Comment: req.Comment, CreatedAt: s.opts.Now()}
		res, err = s.opts.Pipeline.Feedback(r.Context(), fb)
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, http.StatusNotFound, "answer_not_found", fmt.Sprintf("no answer %q", id))
	case errors.Is(err, store.ErrInvalid):
		writeError(w, http.StatusBadRequest, "bad_feedback", err.Error())
	case err != nil:
		s.log.Error("add feedback", "id", id, "err", err)
		writeError(w, http.StatusInternalServerError, "internal", "could not save the feedback")
	default:
		s.metrics.feedback(req.Vote)
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "result": res})
	}
}
