package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pamps/pamps/store"
)

// Options configure a Server; cmd fills them from the configuration.
type Options struct {
	Tokens          Tokens
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
	// MaxConnsPerClient bounds the connections one client address holds
	// at once (Serve); 0 is no limit. A trusted proxy is not bounded: it
	// carries many clients.
	MaxConnsPerClient int
	// TrustedProxies are the proxies whose Forwarded and X-Forwarded-For
	// headers name the client (the rightmost address not among them);
	// from any other peer the headers are ignored.
	TrustedProxies []netip.Prefix
	Logger         *slog.Logger
	// Starting makes the server answer 503 on every API route (and
	// /readyz) until SetReady: it serves while it waits for its database.
	Starting bool
	// StreamBuffer is how many events may wait for a slow stream client
	// before it is disconnected; 0 is 1024.
	StreamBuffer int
	// MaxStreams and MaxStreamsPerUser bound open streams in total and
	// per user (anonymous streams: per client address); 0 is no limit.
	MaxStreams, MaxStreamsPerUser int
	// StreamPing is how often an idle stream gets a comment; 0 is 15s.
	StreamPing time.Duration
	// StreamWriteTimeout bounds each write to a stream's client, which is
	// disconnected when it stops reading; 0 is 10s.
	StreamWriteTimeout time.Duration
}

// Server is the HTTP API over one store.
type Server struct {
	store   *store.Store
	opt     Options
	log     *slog.Logger
	mux     *http.ServeMux
	routes  []route
	handler http.Handler

	ready        atomic.Bool // the database answered and its schema is current
	streams      *streamLimits
	sshSessions  *streamLimits // set by NewSSH
	sshOpen      sshOpen       // the TUI sessions running, to end on shutdown
	metrics      *metrics
	streamerOnce sync.Once
	writers      *streamer
	// draining ends when Serve begins its shutdown: streams close then.
	draining context.Context
	drain    context.CancelFunc
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
	if opt.StreamWriteTimeout <= 0 {
		opt.StreamWriteTimeout = 10 * time.Second
	}
	if opt.StreamPing <= 0 {
		opt.StreamPing = 15 * time.Second
	}
	opt.PublicURL = strings.TrimSuffix(opt.PublicURL, "/")
	s := &Server{
		store:   st,
		opt:     opt,
		log:     opt.Logger,
		mux:     http.NewServeMux(),
		streams: newStreamLimits(opt.MaxStreams, opt.MaxStreamsPerUser),
	}
	s.draining, s.drain = context.WithCancel(context.Background())
	s.metrics = newMetrics(s)
	s.ready.Store(!opt.Starting)
	s.routes = s.routeTable()
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
// requests in flight finish within the shutdown timeout.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		ConnContext:       connContext,
	}
	hs.RegisterOnShutdown(s.drain)
	return s.serveUntil(ctx, func() error { return hs.Serve(newClientListener(ln, s.opt.MaxConnsPerClient, s.trusted)) },
		hs.Shutdown, hs.Close, http.ErrServerClosed)
}

// serveUntil runs serve until it fails or ctx ends; then shutdown drains
// within Options.ShutdownTimeout (0 is 10s), and closeNow ends what is left
// after it. closed is what serve returns once shut down. HTTP and SSH stop
// alike.
func (s *Server) serveUntil(ctx context.Context, serve func() error, shutdown func(context.Context) error, closeNow func() error, closed error) error {
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	timeout := s.opt.ShutdownTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := shutdown(sctx); err != nil {
		closeNow()
		<-errc
		return errors.New("shutdown timed out; remaining connections were closed")
	}
	if err := <-errc; err != nil && !errors.Is(err, closed) {
		return err
	}
	return nil
}

// streamer starts the streams' writers on first use.
func (s *Server) streamer() *streamer {
	s.streamerOnce.Do(func() { s.writers = newStreamer(s) })
	return s.writers
}
