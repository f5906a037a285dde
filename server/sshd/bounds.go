package sshd

import (
	"errors"
	"net"
	"sync"
	"sync/atomic"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	gossh "golang.org/x/crypto/ssh"
)

// What an SSH client may send before its TUI starts is bounded here, as
// the library bounds neither: it keeps every "env" request of a session (a
// client may send any number, each up to a packet long) and serves every
// session channel a connection opens. A connection gets one session, and
// sshPreludeBytes to reach its shell (a key exchange, a sign-in, a pty and
// a few variables take a few KB); past it, the connection is closed. Once
// the TUI runs, its input is keys, and further env requests are refused.
const sshPreludeBytes = 256 << 10

var errSSHPrelude = errors.New("ssh: too much sent before the session started")

// preludeConn counts what a connection reads until its session opens.
type preludeConn struct {
	net.Conn
	left     atomic.Int64
	open     atomic.Bool
	sessions atomic.Int32
	// starting is given back once, when the session opens or the
	// connection closes: connections not signed in yet are bounded in all.
	starting func()
	once     sync.Once
}

func (c *preludeConn) started() {
	c.once.Do(func() {
		if c.starting != nil {
			c.starting()
		}
	})
}

func (c *preludeConn) Close() error {
	c.started()
	return c.Conn.Close()
}

func (c *preludeConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if !c.open.Load() && c.left.Add(-int64(n)) < 0 {
		c.Conn.Close()
		return 0, errSSHPrelude
	}
	return n, err
}

// sshBounds is the ssh.Server option that installs them, with the time a
// connection has to sign in (as OpenSSH's LoginGraceTime) and how many
// connections may be signing in at once, in all (as its MaxStartups):
// past it a new connection is closed at once, whoever it is from.
func (s *Server) sshBounds(opt Options) ssh.Option {
	var starting atomic.Int64
	return func(srv *ssh.Server) error {
		srv.HandshakeTimeout = opt.LoginTimeout
		srv.ConnCallback = func(ctx ssh.Context, conn net.Conn) net.Conn {
			if opt.MaxStartups > 0 && starting.Add(1) > int64(opt.MaxStartups) {
				starting.Add(-1)
				s.log.Warn("ssh connection refused: too many signing in at once", "addr", conn.RemoteAddr().String(), "server.ssh_max_startups", opt.MaxStartups)
				return nil
			}
			c := &preludeConn{Conn: conn}
			if opt.MaxStartups > 0 {
				c.starting = func() { starting.Add(-1) }
			}
			c.left.Store(sshPreludeBytes)
			ctx.SetValue(sshPrelude, c)
			return c
		}
		return sshChannels(srv)
	}
}

func sshChannels(srv *ssh.Server) error {
	srv.ChannelHandlers = map[string]ssh.ChannelHandler{
		"session": func(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
			if c, ok := ctx.Value(sshPrelude).(*preludeConn); ok && c.sessions.Add(1) > 1 {
				_ = ch.Reject(gossh.ResourceShortage, "one session per connection")
				return
			}
			ssh.DefaultSessionHandler(srv, conn, ch, ctx)
		},
	}
	return nil
}

// sessionOpened lifts the prelude's bound: the session's handler runs.
func sessionOpened(sess ssh.Session) {
	if c, ok := sess.Context().Value(sshPrelude).(*preludeConn); ok {
		c.open.Store(true)
		c.started()
	}
}

// The largest terminal the TUI is drawn for: a pty request or a window
// change says any size up to 2^32 a side. Bubble Tea drops a size over
// 4096 a side or a million cells, which left such a session blank; drawn
// bounded, it works, and costs what a large real terminal does.
const (
	sshMaxCols = 1000
	sshMaxRows = 500
)

func sshWindow(cols, rows int) (int, int) { return min(cols, sshMaxCols), min(rows, sshMaxRows) }

// sshFilter bounds every window change the program takes. It stands for
// wish's filter too (an option replaces the filter before it), which keeps
// a client's suspend key from stopping the server's program.
func sshFilter(_ tea.Model, msg tea.Msg) tea.Msg {
	switch m := msg.(type) {
	case tea.SuspendMsg:
		return tea.ResumeMsg{}
	case tea.WindowSizeMsg:
		m.Width, m.Height = sshWindow(m.Width, m.Height)
		return m
	}
	return msg
}
