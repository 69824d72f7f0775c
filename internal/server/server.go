package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/store"
)

// DefaultAddr is where askdb serve listens: loopback only.
const DefaultAddr = "127.0.0.1:8080"

// Defaults of Options.
const (
	DefaultRequestTimeout    = 2 * time.Minute
	DefaultShutdownTimeout   = 30 * time.Second
	DefaultHeartbeat         = 15 * time.Second
	DefaultMaxBodyBytes      = 1 << 20
	DefaultRequestsPerMinute = 60
	DefaultMaxConcurrent     = 4
)

// Pipeline answers questions and runs user SQL; *pipeline.Pipeline
// implements it.
type Pipeline interface {
	Ask(ctx context.Context, req pipeline.Request) (*pipeline.Answer, error)
	RunSQLFor(ctx context.Context, req pipeline.SQLRequest) (*pipeline.Answer, error)
	Feedback(ctx context.Context, f store.Feedback) (pipeline.FeedbackResult, error)
	// CallerSchema is a source's prepared schema as the caller on ctx may
	// see it (see pipeline.Pipeline.CallerSchema), and its DDL.
	CallerSchema(ctx context.Context, name string) (*schema.Schema, string, error)
}

// Sources lists and opens the configured sources; *source.Set implements it.
type Sources interface {
	Names() []string
	Resolve(name string) (string, error)
	Get(ctx context.Context, name string) (source.Source, error)
	Config(name string) config.Source
}

// Store is the part of the store the server needs; store.Store implements it.
type Store interface {
	Answer(ctx context.Context, id string) (store.AnswerRecord, error)
	AddFeedback(ctx context.Context, f store.Feedback) error
}

var (
	_ Pipeline = (*pipeline.Pipeline)(nil)
	_ Sources  = (*source.Set)(nil)
	_ Store    = (store.Store)(nil)
)

// Options configure a Server. Pipeline, Sources and Store are required.
type Options struct {
	Pipeline Pipeline
	Sources  Sources
	Store    Store
	Config   config.Server
	Logger   *slog.Logger

	// RequestTimeout bounds one API request, streaming included.
	RequestTimeout time.Duration
	// ShutdownTimeout bounds how long Serve drains requests in flight.
	ShutdownTimeout time.Duration
	// Heartbeat is the interval of SSE comments that keep proxies from
	// closing a quiet stream.
	Heartbeat time.Duration
	// MaxBodyBytes caps a request body.
	MaxBodyBytes int64
	Now          func() time.Time
	// Mounts are extra handlers by path prefix, such as the MCP server at
	// "/mcp"; they get the same middleware (headers, auth) as the API.
	Mounts map[string]http.Handler
}

// Server serves the API and the UI. Create it with New.
type Server struct {
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	handler http.Handler
	limits  *clientLimits
	// authFails counts wrong API keys per client address.
	authFails *authFailures
	metrics   *metrics
	keys      map[string]identity.Identity // API key → who it stands for
	oidc      *identity.Verifier           // nil without server.auth.oidc
	proxies   []netip.Prefix               // trusted reverse proxies
}

// New returns a Server.
func New(opts Options) (*Server, error) {
	if opts.Pipeline == nil || opts.Sources == nil || opts.Store == nil {
		return nil, errors.New("server: Pipeline, Sources and Store are required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.RequestTimeout = orDefault(opts.RequestTimeout, DefaultRequestTimeout)
	opts.ShutdownTimeout = orDefault(opts.ShutdownTimeout, DefaultShutdownTimeout)
	opts.Heartbeat = orDefault(opts.Heartbeat, DefaultHeartbeat)
	opts.MaxBodyBytes = orDefault(opts.MaxBodyBytes, DefaultMaxBodyBytes)
	if opts.Config.MaxQuestionLength <= 0 {
		opts.Config.MaxQuestionLength = pipeline.DefaultMaxQuestionRunes
	}
	proxies, err := parseProxies(opts.Config.TrustedProxies)
	if err != nil {
		return nil, err
	}
	s := &Server{
		proxies:   proxies,
		opts:      opts,
		log:       opts.Logger,
		mux:       http.NewServeMux(),
		limits:    newClientLimits(orDefault(opts.Config.RequestsPerMinute, DefaultRequestsPerMinute), opts.Config.Burst, orDefault(opts.Config.MaxConcurrent, DefaultMaxConcurrent), opts.Now),
		metrics:   newMetrics(),
		authFails: newAuthFailures(orDefault(opts.Config.AuthFailuresPerMinute, DefaultAuthFailuresPerMinute), maxAuthAddrs, opts.Now),
		keys:      apiKeyIdentities(opts.Config.APIKeys, opts.Config.Auth.Keys),
	}
	if o := opts.Config.Auth.OIDC; o != nil {
		s.oidc = identity.NewVerifier(*o, opts.Config.Auth.Claims, identity.Options{})
	}
	// Answers are counted where they are made, so that MCP calls mounted
	// at /mcp (and any other caller of the same pipeline) are counted too.
	if w, ok := opts.Pipeline.(interface{ OnAnswer(func(*pipeline.Answer)) }); ok {
		w.OnAnswer(s.metrics.answer)
	}
	s.routes()
	s.handler = s.observe(s.securityHeaders(s.mux))
	return s, nil
}

func orDefault[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// Handler returns the server's root handler, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.handler }

// ListenAndServe listens on Config.Addr (DefaultAddr when empty) and
// serves until ctx is cancelled; see Serve.
func (s *Server) ListenAndServe(ctx context.Context, ready func(url string)) error {
	addr := s.opts.Config.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %q: %w", addr, err)
	}
	if ready != nil {
		ready("http://" + ln.Addr().String() + "/")
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx is cancelled, then stops accepting and
// drains requests in flight for up to ShutdownTimeout. It returns nil
// after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.warnExposure(ln.Addr())
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      s.opts.RequestTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down: draining requests in flight", "timeout", s.opts.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), s.opts.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", serr)
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// warnExposure logs when the API is reachable beyond this machine with no
// API key.
func (s *Server) warnExposure(addr net.Addr) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() || s.authRequired() {
		return
	}
	s.log.Warn("listening on a non-loopback address without API keys: anyone who can reach it can query your databases; set server.api_keys", "addr", addr.String())
}
