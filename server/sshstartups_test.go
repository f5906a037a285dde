package server_test

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/pamps/pamps/server/sshd"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// banner reads the start of the SSH server's version line, or fails.
func banner(c net.Conn) error {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	b := make([]byte, 4)
	_, err := io.ReadFull(c, b)
	return err
}

// closedByServer waits (at most 10 s) for the server to close c.
func closedByServer(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	b := make([]byte, 4096)
	for {
		if _, err := c.Read(b); err != nil {
			if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Fatal("a connection that never signed in was still open after 10 s")
			}
			return
		}
	}
}

// TestSSHSignInIsBoundedInTimeAndCount: connections that never sign in
// were held for the idle timeout (30 minutes) with no bound in all. Now
// each has server.ssh_login_timeout to sign in, and past
// server.ssh_max_startups connections signing in at once a new one is
// closed at once, whatever the per-client bound allows; a session that
// has opened no longer counts.
func TestSSHSignInIsBoundedInTimeAndCount(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	storetest.MustUser(t, st, "ann")
	addr, _, _ := sshServer(t, st, func(o *sshd.Options) {
		o.MaxStartups, o.LoginTimeout, o.IdleTimeout = 2, time.Second, time.Hour
	})
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	// A member signed in, with a session open, takes no place.
	x, err := dialSSH(t, addr, "ann", password("password1"))
	if err != nil {
		t.Fatal(err)
	}
	x.waitFor("@ann")
	held := []net.Conn{dial(), dial()}
	for _, c := range held {
		if err := banner(c); err != nil {
			t.Fatalf("a connection within ssh_max_startups got no banner: %v", err)
		}
	}
	if err := banner(dial()); err == nil {
		t.Fatal("a third connection signing in at once got the SSH banner")
	}
	for _, c := range held {
		closedByServer(t, c) // ssh_login_timeout
	}
	if err := banner(dial()); err != nil {
		t.Fatalf("the places were not given back: %v", err)
	}
	if x.ended(0) {
		t.Fatal("the signed-in session was ended by the login timeout")
	}
}
