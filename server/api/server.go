package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pamps/pamps/server/auth"
	"github.com/pamps/pamps/server/conns"
	"github.com/pamps/pamps/server/metrics"
	"github.com/pamps/pamps/server/stream"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
)

// Options configure the HTTP API.
type Options struct {
	Tokens          auth.Tokens
	MaxBodyBytes    int64
	ShutdownTimeout time.Duration
	CORSOrigins     []string
	RequestTimeout  time.Duration // 0 is 15s
	// BodyTimeout bounds reading a request's body; a body that does not
	// arrive in time is a 408. 0 is 10s.
	BodyTimeout time.Duration
	// PublicURL, when set, is where Link headers point (never the Host
	// header); empty writes them as paths.
	PublicURL string
	// Conns bound the connections per client and name the trusted proxies.
	Conns  conns.Options
	Logger *slog.Logger
	// Starting makes the server answer 503 on every API route (and
	// /readyz) until SetReady: it serves while it waits for its database.
	Starting bool
	Streams  stream.Options
	// Live is the process's live events of the store; nil makes the
	// server its own.
	Live *live.Hub
}

// Server is the HTTP API over one store, its event streams included.
type Server struct {
	store   *store.Store
	opt     Options
	log     *slog.Logger
	mux     *http.ServeMux
	routes  []route
	handler http.Handler

	ready   atomic.Bool // the database answered and its schema is current
	streams *stream.Streams
	metrics *metrics.Metrics
}

// SetReady opens the API routes of a server made Starting.
func (s *Server) SetReady() { s.ready.Store(true) }

// New builds the server and its route table.
func New(st *store.Store, opt Options) *Server {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 1 << 20
	}
	if opt.RequestTimeout <= 0 {
		opt.RequestTimeout = 15 * time.Second
	}
	if opt.BodyTimeout <= 0 {
		opt.BodyTimeout = 10 * time.Second
	}
	opt.PublicURL = strings.TrimSuffix(opt.PublicURL, "/")
	if opt.Live == nil && st != nil {
		opt.Live = live.New(st)
	}
	s := &Server{
		store:   st,
		opt:     opt,
		log:     opt.Logger,
		mux:     http.NewServeMux(),
		streams: stream.New(opt.Live, opt.Streams),
		metrics: metrics.New(st, opt.Live),
	}
	s.metrics.Add(metrics.Gauge("pamps_streams_open", "Live event streams open.", func() float64 { return float64(s.streams.Open()) }))
	s.ready.Store(!opt.Starting)
	s.routes = append(append(s.routeTable(), s.moderationRoutes()...), s.memberDataRoutes()...)
	for _, rt := range s.routes {
		s.mux.Handle(rt.pattern(), s.endpoint(rt))
	}
	s.mux.Handle("GET /docs/{file}", s.docsAssets())
	s.handler = s.middleware(http.HandlerFunc(s.dispatch))
	return s
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Serve answers on ln until ctx ends, then stops taking connections and lets
// requests in flight finish within the shutdown timeout; streams end at once.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		ConnContext:       conns.ConnContext,
	}
	hs.RegisterOnShutdown(s.streams.Close)
	return conns.ServeUntil(ctx, s.opt.ShutdownTimeout, func() error { return hs.Serve(s.opt.Conns.Listen(ln)) },
		hs.Shutdown, hs.Close, http.ErrServerClosed)
}

// Metrics are the server's series; MetricsHandler serves them.
func (s *Server) Metrics() *metrics.Metrics { return s.metrics }

// MetricsHandler serves the Prometheus series (GET /metrics on the
// metrics listener).
func (s *Server) MetricsHandler() http.Handler { return s.metrics.Handler() }

// OpenStreams is the number of event streams open now.
func (s *Server) OpenStreams() int { return s.streams.Open() }

// Live is the server's live events.
func (s *Server) Live() *live.Hub { return s.opt.Live }

// Store is the store the server answers from.
func (s *Server) Store() *store.Store { return s.store }
