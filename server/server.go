package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/pamps/pamps/store"
)

// Options configure a Server; cmd fills them from the configuration.
type Options struct {
	Tokens          Tokens
	MaxBodyBytes    int64
	ShutdownTimeout time.Duration
	CORSOrigins     []string
	LoginLimit      int           // failed logins allowed per window, per client and per username; 0 disables
	LoginWindow     time.Duration // the window of LoginLimit
	RequestTimeout  time.Duration // 0 is 15s
	Logger          *slog.Logger
	// HashWorkers bounds concurrent bcrypt work; 0 is the number of CPUs.
	HashWorkers int
}

// Server is the HTTP API over one store.
type Server struct {
	store   *store.Store
	opt     Options
	log     *slog.Logger
	mux     *http.ServeMux
	routes  []route
	limiter *loginLimiter
	hashers chan struct{} // a slot per CPU for bcrypt work
	handler http.Handler
}

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
	if opt.HashWorkers <= 0 {
		opt.HashWorkers = runtime.NumCPU()
	}
	s := &Server{
		store:   st,
		opt:     opt,
		log:     opt.Logger,
		mux:     http.NewServeMux(),
		limiter: newLoginLimiter(opt.LoginLimit, opt.LoginWindow),
		hashers: make(chan struct{}, opt.HashWorkers),
	}
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
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
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
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		hs.Close()
		return errors.New("shutdown timed out; remaining connections were closed")
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return err
}

// withHasher runs fn holding one of the bcrypt slots, so a flood of logins
// queues here instead of starving every other request of CPU.
func (s *Server) withHasher(ctx context.Context, fn func() error) error {
	select {
	case s.hashers <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hashers }()
	return fn()
}
