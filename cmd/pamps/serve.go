package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/server"
	"github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/server/conns"
	"github.com/pamps/pamps/server/stream"
	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

func newServeCmd(a *App) *cobra.Command {
	var host, pprofAddr string
	var port int
	cmd := &cobra.Command{
		Use:     "serve [--host H] [--port P]",
		Short:   "Serve the HTTP JSON API (see /docs)",
		GroupID: groupRun,
		Long: `Serve the HTTP JSON API of the original Pamps on server.host:server.port.
With db.auto_migrate on (the default outside production) the schema is
migrated first; otherwise an out-of-date schema is refused. SIGINT or SIGTERM
stops taking connections and lets requests in flight finish within
server.shutdown_timeout.

With server.ssh_port set, the TUI is served over SSH on server.host at that
port (host key: server.ssh_host_key); with server.metrics_addr set (such as
127.0.0.1:9090), Prometheus' /metrics is served there. pamps config show
lists every server.* setting.`,
		Example: `  pamps serve
  pamps serve --host 0.0.0.0 --port 8080
  PAMPS_ENV=production PAMPS_SECURITY__SECRET_KEY=... pamps serve`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			if cmd.Flags().Changed("host") {
				cfg.Server.Host = host
			}
			if cmd.Flags().Changed("port") {
				cfg.Server.Port = port
			}
			if err := cfg.CheckSecret(); err != nil {
				return err
			}
			// A weak secret lets anyone forge tokens: never serve one
			// beyond this machine (docs/API.md §2; issue: forgeable tokens).
			if weak := cfg.WeakSecret(); weak != "" {
				if !loopbackHost(cfg.Server.Host) {
					return fail("refusing to listen on %q with security.secret_key set to %s: anyone could forge tokens; %s",
						cfg.Server.Host, weak, config.SecretAdvice)
				}
				if !a.flags.quiet {
					fmt.Fprintf(a.Err, "Warning: security.secret_key is %s: accepted on loopback only\n", weak)
				}
			}
			a.replicas = true
			a.mayCreate()
			st, err := a.OpenStore(ctx)
			if err != nil {
				return err
			}
			// Ready at once when the database answers; when it cannot be
			// reached (a container started beside it), serve anyway and
			// wait for it (waitForDatabase).
			waiting := false
			if err := a.ensureSchema(ctx, st); errors.Is(err, store.ErrUnavailable) {
				waiting = true
			} else if err != nil {
				return err
			}
			// A login flood keeps one P per core hashing for a quarter second
			// at a time; one P more leaves other requests a place to run, and
			// the kernel shares the cores: reads during a flood stay fast, and
			// logins per second do not change (the commit has the figures).
			if a.Getenv("GOMAXPROCS") == "" { // the App's environment, as every setting
				runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + 1)
			}
			logs := newLogBuffer(a.Err, 100*time.Millisecond)
			defer logs.Close()
			logger := slog.New(slog.NewJSONHandler(logs, nil))
			proxies, err := cfg.TrustedProxyPrefixes() // validated with the config
			if err != nil {
				return err
			}
			srv := server.New(st, api.Options{
				Tokens:          tokens(cfg),
				MaxBodyBytes:    cfg.Server.MaxBodyBytes,
				ShutdownTimeout: cfg.Server.ShutdownTimeout,
				CORSOrigins:     cfg.Server.CORSOrigins,
				PublicURL:       cfg.Server.PublicURL,
				Conns:           conns.Options{MaxPerClient: cfg.Server.MaxConnsPerClient, TrustedProxies: proxies},
				Streams: stream.Options{Buffer: cfg.Server.StreamBuffer,
					Max: cfg.Server.MaxStreams, MaxPerUser: cfg.Server.MaxStreamsPerUser},
				Logger:   logger,
				Starting: waiting,
				Live:     a.events(),
			})
			if pprofAddr != "" {
				closePprof, err := servePprof(pprofAddr)
				if err != nil {
					return err
				}
				defer closePprof()
			}
			addr := net.JoinHostPort(cfg.Server.Host, strconv.Itoa(cfg.Server.Port))
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fail("cannot listen on %s: %v", addr, err)
			}
			// The database may not be up yet (a container started with
			// it): serve meanwhile, /readyz 503, and try again with backoff.
			serveCtx, stop := context.WithCancel(ctx)
			defer stop()
			if !waiting { // else once the database is there
				go pruneNotifications(serveCtx, st, logger)
			}
			sshDone, err := a.startSSH(serveCtx, cfg, st, srv, logger)
			if err != nil {
				return err
			}
			if cfg.Server.MetricsAddr != "" {
				metricsAt, closeMetrics, err := serveMetrics(cfg.Server.MetricsAddr, srv.MetricsHandler())
				if err != nil {
					return err
				}
				defer closeMetrics()
				logger.Info("serving metrics", "addr", "http://"+metricsAt+"/metrics")
				if !a.flags.quiet {
					fmt.Fprintf(a.Err, "pamps serving metrics on http://%s/metrics\n", metricsAt)
				}
			}
			logger.Info("serving", "addr", "http://"+ln.Addr().String(), "database", redactedDatabase(cfg), "pool", st.PoolSize(), "env", cfg.Env,
				"read_replicas", len(cfg.DB.ReadURIs))
			logs.Flush()
			if !a.flags.quiet {
				fmt.Fprintf(a.Err, "pamps serving on http://%s (docs at /docs)\n", ln.Addr())
			}

			fatal := make(chan error, 1)
			if waiting {
				go func() {
					if err := a.waitForDatabase(serveCtx, st, logger); err != nil {
						fatal <- err
						stop()
						return
					}
					srv.SetReady()
					pruneNotifications(serveCtx, st, logger)
				}()
			}
			began := time.Now()
			err = srv.Serve(serveCtx, ln)
			stop() // the SSH server drains and stops with the HTTP one
			if serr := <-sshDone; err == nil {
				err = serr
			}
			select {
			case ferr := <-fatal:
				return ferr
			default:
			}
			logger.Info("stopped", "after", time.Since(began).Round(time.Millisecond).String())
			return err
		},
	}
	cmd.Flags().StringVar(&host, "host", "", "address to listen on (default server.host)")
	cmd.Flags().IntVar(&port, "port", 0, "port to listen on (default server.port)")
	cmd.Flags().StringVar(&pprofAddr, "pprof", "", "also serve Go's profiler (net/http/pprof) on this address, e.g. 127.0.0.1:6060")
	return cmd
}

// waitForDatabase makes the database ready for serving (migrated when
// db.auto_migrate is on, else checked current), trying again while it cannot
// be reached: every 0.5 s at first, doubling to every 10 s, each try logged.
// Anything else (a stale schema, a failed migration) is returned.
func (a *App) waitForDatabase(ctx context.Context, st *store.Store, logger *slog.Logger) error {
	wait := 500 * time.Millisecond
	for try := 1; ; try++ {
		err := a.ensureSchema(ctx, st)
		if err == nil {
			if try > 1 {
				logger.Info("database reachable", "tries", try)
			}
			return nil
		}
		if !errors.Is(err, store.ErrUnavailable) {
			return err
		}
		logger.Warn("database not reachable; trying again", "try", try, "in", wait.String(), "error", rootCause(err))
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return nil
		}
		wait = min(2*wait, 10*time.Second)
	}
}

// rate turns a configured rate limit into the store's.
func rate(r config.RateLimit) store.Rate { return store.Rate{N: r.Attempts, Per: r.Window} }

// loopbackHost reports whether host names only this machine: a loopback
// address or "localhost". An empty host, 0.0.0.0 or :: listen everywhere.
func loopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// servePprof exposes the profiler on its own listener, never on the API's,
// until the returned func closes it (when serve ends).
func servePprof(addr string) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fail("cannot listen on %s for --pprof: %v", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	return func() { _ = hs.Close() }, nil
}

// serveMetrics serves Prometheus' /metrics on its own listener, at the
// address it says (a port 0 chosen), until the returned func closes it.
func serveMetrics(addr string, h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fail("cannot listen on %s for server.metrics_addr: %v", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	go hs.Serve(ln)
	return ln.Addr().String(), func() { hs.Close() }, nil
}
