package server_test

import (
	"context"
	"net"
	"path/filepath"
	"testing"
	"time"

	"io"

	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/server"
	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/server/sshd"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	"github.com/pamps/pamps/tui"
	gossh "golang.org/x/crypto/ssh"
)

// TestSSHSessionsEndOnShutdown: stopping the server tells each open TUI
// session why and ends it, so that the drain finishes instead of waiting
// out server.shutdown_timeout for sessions that never end on their own.
func TestSSHSessionsEndOnShutdown(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	_, key := memberWithKey(t, st, "ann")
	srv := server.New(st, httpapi.Options{Tokens: testTokens(), ShutdownTimeout: time.Minute})
	s, err := srv.NewSSH(sshd.Options{HostKeyPath: filepath.Join(t.TempDir(), "host_key"),
		TUI: func(u store.User, offer string, _ []string, out io.Writer) (tea.Model, func()) {
			return tui.Drawn(tui.Options{Store: st, User: &u, OfferKey: offer}, out)
		}})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	running, stop := context.WithCancel(context.Background())
	defer stop()
	served := make(chan error, 1)
	go func() { served <- s.Serve(running, ln) }()
	x, err := dialSSH(t, ln.Addr().String(), "ann", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	x.waitFor("@ann")
	stop()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve: %v, want a drain that finished", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the drain waited on an open session (the timeout is a minute)")
	}
	x.waitFor("the server is restarting")
	select {
	case <-x.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the session did not end")
	}
}
