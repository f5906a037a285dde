package sshd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	wishtea "charm.land/wish/v2/bubbletea"
	"github.com/pamps/pamps/server/conns"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
	gossh "golang.org/x/crypto/ssh"
)

// Options configure the SSH server.
type Options struct {
	HostKeyPath        string        // generated (ed25519, 0600) when missing
	MaxSessions        int           // in all; 0 is no limit
	MaxSessionsPerUser int           // per member; 0 is no limit
	IdleTimeout        time.Duration // a connection with no traffic for this long is closed; 0 is none
	// LoginTimeout is how long a connection has to sign in (0 is none);
	// MaxStartups bounds the connections signing in at once, in all
	// (0 is no limit), whatever max_conns_per_client allows each client.
	LoginTimeout time.Duration
	MaxStartups  int
	// TUI makes the program's model for a signed-in member; offer is the
	// public key they connected with when it is on no account yet ("").
	// The program runs without Bubble Tea's renderer, whose cells were
	// most of a session's memory (bench/ssh.sh): the model draws itself on
	// out (tui.LineScreen).
	// close is called once the program has ended, to give the terminal back.
	TUI func(u store.User, offer string, env []string, out io.Writer) (m tea.Model, close func())
	// Conns bound the connections per client, as the HTTP server's do:
	// an SSH handshake costs the server a key exchange.
	// Live is the process's live events of the store (the HTTP API's);
	// nil makes the server its own.
	Live            *live.Hub
	Conns           conns.Options
	ShutdownTimeout time.Duration // 0 is 10s
	Logger          *slog.Logger
}

// Server is the SSH server of the TUI.
type Server struct {
	store    *store.Store
	opt      Options
	log      *slog.Logger
	srv      *ssh.Server
	sessions *conns.Slots
	open     sshOpen // the TUI sessions running, to end on shutdown
}

// Context values of an SSH connection.
type sshKey int

const (
	sshMember        sshKey = iota // sshSignIn, once signed in
	sshOffered                     // gossh.PublicKey the client offered that is on no account
	sshGuest                       // true: no key, no password: the how-to screen
	sshEnded                       // string: why the server ended the session
	sshEnd                         // func(): ends the TUI, once its program has ended
	sshPrelude                     // *preludeConn: the connection, bounded until its session opens
	sshOfferProven                 // true: the client signed with the offered key
	sshKeyElsewhere                // true: the client offered a key on another account
	sshWrongPassword               // true: a password was refused on this connection
)

// New builds the SSH server over the same store, limits and lanes as the
// HTTP API; serve it with Serve.
func New(st *store.Store, opt Options) (*Server, error) {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Live == nil {
		opt.Live = live.New(st)
	}
	s := &Server{store: st, opt: opt, log: opt.Logger,
		sessions: conns.NewSlots(opt.MaxSessions, opt.MaxSessionsPerUser, "SSH sessions", "server.ssh_max_sessions")}
	srv, err := wish.NewServer(
		wish.WithHostKeyPath(opt.HostKeyPath),
		wish.WithIdleTimeout(opt.IdleTimeout),
		s.sshBounds(opt),
		wish.WithPublicKeyAuth(s.sshPublicKey),
		wish.WithKeyboardInteractiveAuth(s.sshPassword),
		func(srv *ssh.Server) error { srv.ServerConfigCallback = s.sshConfig; return nil },
		wish.WithMiddleware(
			wishtea.MiddlewareWithProgramHandler(s.sshProgram),
			s.sshGate, // runs first: refuses what is not a TUI session
		),
	)
	s.srv = srv
	return s, err
}

// Open is the number of SSH TUI sessions open now.
func (s *Server) Open() int { return s.sessions.Open() }

// sshPublicKey signs in the member whose key this is, when the SSH user
// name names that member: a key on another account is refused (logged),
// and the client goes on to the named account's password. A key on no
// account is accepted only as a first step: once the client has signed
// with it (sshConfig's VerifiedPublicKeyCallback), the password must follow, and only then does
// the TUI offer to add the key, which the client has proved it holds.
func (s *Server) sshPublicKey(ctx ssh.Context, key ssh.PublicKey) bool {
	since := s.sshStarting(ctx)
	u, err := s.store.UserBySSHKey(ctx, key)
	switch {
	case err == nil && strings.EqualFold(u.Username, ctx.User()):
		ctx.SetValue(sshMember, sshSignIn{user: u, since: since, key: gossh.FingerprintSHA256(key)})
		return true
	case err == nil:
		s.log.Info("ssh key refused: it is another member's", "user", store.Printable(ctx.User()), "key_owner", u.Username,
			"fingerprint", gossh.FingerprintSHA256(key), "addr", ctx.RemoteAddr().String())
		ctx.SetValue(sshKeyElsewhere, true) // the password prompt says so (not whose it is)
		return false
	case errors.Is(err, store.ErrSuspended), errors.Is(err, store.ErrPending):
		s.log.Info("ssh key refused: "+err.Error(), "user", store.Printable(ctx.User()), "addr", ctx.RemoteAddr().String())
		return false
	case !errors.Is(err, store.ErrUserNotFound):
		s.log.Warn("ssh key lookup", "error", err)
		return false
	}
	ctx.SetValue(sshOffered, gossh.PublicKey(key))
	return true // the first of two steps (sshConfig)
}

// sshConfig adds what the library's options do not: the second step after
// a key on no account (sshPublicKey).
func (s *Server) sshConfig(ctx ssh.Context) *gossh.ServerConfig {
	return &gossh.ServerConfig{
		VerifiedPublicKeyCallback: func(_ gossh.ConnMetadata, key gossh.PublicKey, perms *gossh.Permissions, _ string) (*gossh.Permissions, error) {
			if in, ok := ctx.Value(sshMember).(sshSignIn); ok && in.key == gossh.FingerprintSHA256(key) {
				s.log.Info("ssh sign-in", "user", in.user.Username, "method", "key", "fingerprint", in.key, "addr", ctx.RemoteAddr().String())
				return perms, nil // a member's own key: signed in
			}
			offered, ok := ctx.Value(sshOffered).(gossh.PublicKey)
			if !ok || gossh.FingerprintSHA256(offered) != gossh.FingerprintSHA256(key) {
				return nil, errors.New("ssh: key not accepted")
			}
			ctx.SetValue(sshOfferProven, true)
			return nil, &gossh.PartialSuccessError{Next: gossh.ServerAuthCallbacks{
				KeyboardInteractiveCallback: func(_ gossh.ConnMetadata, challenge gossh.KeyboardInteractiveChallenge) (*gossh.Permissions, error) {
					if !s.sshPassword(ctx, challenge) {
						return nil, errors.New("ssh: password refused")
					}
					return perms, nil
				},
			}}
		},
	}
}

// sshGate lets only interactive sessions of a signed-in member through:
// a command (`ssh host cmd`) is refused, and a guest gets the how-to.
func (s *Server) sshGate(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		sessionOpened(sess)
		if guest, _ := sess.Context().Value(sshGuest).(bool); guest {
			wish.Println(sess, sshHowTo(sess, s.store.Registration()))
			return
		}
		if _, ok := sess.Context().Value(sshMember).(sshSignIn); !ok {
			return
		}
		if len(sess.Command()) > 0 {
			wish.Fatalln(sess, "pamps: this server runs only the TUI; connect without a command")
			return
		}
		if _, _, ok := sess.Pty(); !ok {
			wish.Fatalln(sess, "pamps: the TUI needs a terminal; connect with ssh -t")
			return
		}
		next(sess)
		if end, ok := sess.Context().Value(sshEnd).(func()); ok {
			end()
		}
		// Said once the TUI has left the screen, which would wipe it.
		if why, ok := sess.Context().Value(sshEnded).(string); ok {
			wish.Println(sess, "pamps: your session ended: "+why)
		}
	}
}

// sshProgram starts the TUI for the session's member, within the session
// limits; the session ends when the member's tokens are revoked or the
// account is deleted (an account event: no statement while idle).
func (s *Server) sshProgram(sess ssh.Session) *tea.Program {
	in := sess.Context().Value(sshMember).(sshSignIn)
	u := in.user
	release, err := s.sessions.Acquire(fmt.Sprint(u.ID))
	if err != nil {
		wish.Fatalln(sess, "pamps: "+err.Error())
		return nil
	}
	offer := ""
	proven, _ := sess.Context().Value(sshOfferProven).(bool)
	if k, ok := sess.Context().Value(sshOffered).(gossh.PublicKey); ok && proven {
		offer = strings.TrimSpace(string(gossh.MarshalAuthorizedKey(k)))
	}
	// The model's frames and the program's own queries share the session:
	// one writer, so that neither cuts into the other.
	out := &syncWriter{w: sess}
	model, closeTUI := s.opt.TUI(u, offer, sess.Environ(), out)
	// The client's terminal, size and environment: Bubble Tea reads the
	// colour profile from it, NO_COLOR included (TestSSHHonoursNoColor).
	// With no renderer, the program's frame ticker only sends its terminal
	// queries: 10 a second is soon enough, and 300 sessions' tickers at the
	// default 60 would wake the server 18,000 times a second while idle.
	pty, _, _ := sess.Pty()
	p := tea.NewProgram(model, append(wishtea.MakeOptions(sess), tea.WithOutput(out), tea.WithoutRenderer(), tea.WithFPS(10),
		tea.WithWindowSize(sshWindow(pty.Window.Width, pty.Window.Height)), tea.WithFilter(sshFilter))...)
	ctx, cancel := context.WithCancel(sess.Context())
	quit := func(why string) { // the program ends; the gate says why
		sess.Context().SetValue(sshEnded, why)
		p.Quit()
	}
	unregister := s.open.add(quit)
	var once sync.Once
	began := time.Now()
	end := func() {
		once.Do(func() {
			unregister()
			cancel()
			closeTUI()
			release()
			why, _ := sess.Context().Value(sshEnded).(string)
			if why == "" {
				why = "the member left"
			}
			s.log.Info("ssh session ended", "user", u.Username, "after", time.Since(began).Round(time.Second).String(),
				"why", why, "addr", sess.RemoteAddr().String())
		})
	}
	go func() {
		defer end()
		s.watchAccount(ctx, u.ID, in.since, in.key, quit)
	}()
	sess.Context().SetValue(sshEnd, end)
	context.AfterFunc(sess.Context(), end)
	return p
}

// Serve serves the SSH TUI on ln until ctx ends, then closes it within
// the shutdown timeout.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	limited := s.opt.Conns.ListenSSH(ln)
	shutdown := func(ctx context.Context) error {
		s.open.endAll()
		return s.srv.Shutdown(ctx)
	}
	return conns.ServeUntil(ctx, s.opt.ShutdownTimeout, func() error { return s.srv.Serve(limited) }, shutdown, s.srv.Close, ssh.ErrServerClosed)
}
