// Package server puts Pamps' doors together over one store: the HTTP API
// (server/api) with its event streams (server/stream), and the TUI over
// SSH (server/sshd). They share only the store, where every rule lives,
// the bounds on connections (server/conns) and the metrics
// (server/metrics). docs/architecture.md draws the whole house; the tests
// here drive the doors together, over real listeners.
package server

import (
	"sync/atomic"

	"github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/server/metrics"
	"github.com/pamps/pamps/server/sshd"
	"github.com/pamps/pamps/store"
)

// Server is the HTTP API, which can add the SSH server beside it.
type Server struct {
	*api.Server
	opt api.Options
	ssh atomic.Pointer[sshd.Server]
}

// New builds the HTTP API over st.
func New(st *store.Store, opt api.Options) *Server {
	s := &Server{Server: api.New(st, opt), opt: opt}
	s.Metrics().Add(metrics.Gauge("pamps_ssh_sessions_open", "SSH TUI sessions open.", func() float64 {
		if ssh := s.ssh.Load(); ssh != nil {
			return float64(ssh.Open())
		}
		return 0
	}))
	return s
}

// NewSSH builds the SSH server over the same store. It takes the HTTP
// server's live events, bounds on connections per client, logger and
// shutdown timeout, and its open sessions are the metrics' (one SSH server).
func (s *Server) NewSSH(opt sshd.Options) (*sshd.Server, error) {
	opt.Conns, opt.Logger, opt.ShutdownTimeout, opt.Live = s.opt.Conns, s.opt.Logger, s.opt.ShutdownTimeout, s.Live()
	srv, err := sshd.New(s.Store(), opt)
	if err != nil {
		return nil, err
	}
	s.ssh.Store(srv)
	return srv, nil
}
