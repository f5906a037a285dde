package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"

	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/server"
	"github.com/pamps/pamps/server/sshd"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/tui"
)

// startSSH serves the TUI over SSH when server.ssh_port is set, until ctx
// ends; done then says how it stopped (at once when SSH is off).
func (a *App) startSSH(ctx context.Context, cfg *config.Config, st *store.Store, srv *server.Server, logger *slog.Logger) (done chan error, err error) {
	done = make(chan error, 1)
	if cfg.Server.SSHPort == 0 {
		done <- nil
		return done, nil
	}
	keyPath := cfg.SSHHostKeyPath()
	if err := os.MkdirAll(filepath.Dir(keyPath), 0o700); err != nil {
		return nil, fail("cannot create the folder of the SSH host key: %v", err)
	}
	sshSrv, err := srv.NewSSH(sshd.Options{
		HostKeyPath:        keyPath,
		MaxSessions:        cfg.Server.SSHMaxSessions,
		MaxSessionsPerUser: cfg.Server.SSHMaxSessionsPerUser,
		IdleTimeout:        cfg.Server.SSHIdleTimeout,
		LoginTimeout:       cfg.Server.SSHLoginTimeout,
		MaxStartups:        cfg.Server.SSHMaxStartups,
		TUI: func(u store.User, offer string, env []string, out io.Writer) (tea.Model, func()) {
			dark := tui.DarkFromEnv(func(k string) string { return getenv(env, k) }) // the client's
			return tui.Drawn(tui.Options{Store: st, Live: a.events(), User: &u, OfferKey: offer, Dark: dark}, out)
		},
	})
	if err != nil {
		return nil, fail("cannot set up the SSH server (host key %s): %v", keyPath, err)
	}
	addr := net.JoinHostPort(cfg.Server.Host, strconv.Itoa(cfg.Server.SSHPort))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fail("cannot listen on %s for SSH: %v", addr, err)
	}
	logger.Info("serving ssh", "addr", ln.Addr().String(), "host_key", keyPath)
	if !a.flags.quiet {
		fmt.Fprintf(a.Err, "pamps serving the TUI over SSH on %s (ssh -p %d %s)\n", ln.Addr(), cfg.Server.SSHPort, cfg.Server.Host)
	}
	go func() { done <- sshSrv.Serve(ctx, ln) }()
	return done, nil
}
