package server_test

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/server"
	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/server/sshd"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	"github.com/pamps/pamps/tui"
	gossh "golang.org/x/crypto/ssh"
)

// sshServer serves the real TUI over SSH on a loopback port.
func sshServer(t *testing.T, st *store.Store, tweak func(*sshd.Options), opt ...func(*httpapi.Options)) (addr, hostKey string, ssh *sshd.Server) {
	t.Helper()
	o := httpapi.Options{Tokens: testTokens()}
	for _, f := range opt {
		f(&o)
	}
	srv := server.New(st, o)
	so := sshd.Options{HostKeyPath: filepath.Join(t.TempDir(), "ssh_host_ed25519"),
		TUI: func(u store.User, offer string, _ []string, out io.Writer) (tea.Model, func()) {
			return tui.Drawn(tui.Options{Store: st, User: &u, OfferKey: offer}, out)
		}}
	if tweak != nil {
		tweak(&so)
	}
	ssh, err := srv.NewSSH(so)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ssh.Serve(ctx, ln) }()
	t.Cleanup(func() { stop(); <-done })
	return ln.Addr().String(), so.HostKeyPath, ssh
}

// TestSSHKeySignInActsAsTheKeysOwner: a key on ann's account signs ann in,
// TestSSHKeySignsInOnlyTheNamedAccount: a key on ann's account signs in
// ann, when the SSH user name is ann. Claiming to be bob with it used to
// open ann's account; now the key is refused, and bob's password signs in
// bob.
func TestSSHKeySignsInOnlyTheNamedAccount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann := storetest.MustUser(t, st, "ann")
		storetest.MustUser(t, st, "bob")
		key := newSigner(t)
		if _, err := st.AddSSHKey(ctx, ann.ID, authorized(key)); err != nil {
			t.Fatal(err)
		}
		addr, _, _ := sshServer(t, st, nil)
		if _, err := dialSSH(t, addr, "bob", gossh.PublicKeys(key)); err == nil {
			t.Fatal("ann's key signed in a session that claims to be bob")
		}
		x, err := dialSSH(t, addr, "bob", gossh.PublicKeys(key), password("password1"))
		if err != nil {
			t.Fatal(err)
		}
		x.waitFor("@bob")
		x, err = dialSSH(t, addr, "ANN", gossh.PublicKeys(key)) // names match ignoring case
		if err != nil {
			t.Fatal(err)
		}
		x.waitFor("@ann")
		x.in.Write([]byte("n"))
		x.waitFor("New post")
		x.in.Write([]byte("over ssh"))
		x.in.Write([]byte{0x13}) // ctrl+s
		eventually.True(t, 0, func() bool {
			page, _ := st.ListPosts(ctx, store.PostList{Author: "ann"})
			return len(page.Items) == 1 && page.Items[0].Text == "over ssh"
		}, "the post did not land as ann:\n%q", eventually.Lazy(x.screen))
	})
}

// TestSSHPasswordSignInOffersTheKey: a member without a key signs in with
// the password; the TUI offers to add the key the client offered, and y adds it.
func TestSSHPasswordSignInOffersTheKey(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	ann := storetest.MustUser(t, st, "ann") // password "password1"
	addr, _, _ := sshServer(t, st, nil)
	key := newSigner(t)
	x, err := dialSSH(t, addr, "ann", gossh.PublicKeys(key), password("password1"))
	if err != nil {
		t.Fatal(err)
	}
	x.waitFor("Add your key?")
	x.in.Write([]byte("y"))
	x.waitFor("Key added")
	keys, err := st.SSHKeys(ctx, ann.ID)
	if err != nil || len(keys) != 1 || keys[0].Fingerprint != gossh.FingerprintSHA256(key.PublicKey()) {
		t.Fatalf("keys: %v %+v", err, keys)
	}
	// Next time the key alone signs her in.
	y, err := dialSSH(t, addr, "ann", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	y.waitFor("@ann")
}

// TestSSHPasswordsAreLimited: wrong passwords count against the login
// limit; past it even the right one is refused.
func TestSSHPasswordsAreLimited(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	storetest.MustUser(t, st, "ann")
	addr, _, _ := sshServer(t, st.WithLimits(store.Limits{Login: store.Rate{N: 3, Per: time.Hour}}), nil)
	if _, err := dialSSH(t, addr, "ann", password("wrong")); err == nil {
		t.Fatal("a wrong password signed in")
	}
	for range 3 {
		dialSSH(t, addr, "ann", password("wrong"))
	}
	if _, err := dialSSH(t, addr, "ann", password("password1")); err == nil {
		t.Fatal("the right password went through past the limit")
	}
}

// TestSSHUnknownKeyWithoutPasswordIsToldHow: an unknown key and an empty
// password get the screen that says how to add a key, then the end.
func TestSSHUnknownKeyWithoutPasswordIsToldHow(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	storetest.MustUser(t, st, "ann")
	addr, _, _ := sshServer(t, st, nil)
	x, err := dialSSH(t, addr, "someone", gossh.PublicKeys(newSigner(t)), password(""))
	if err != nil {
		t.Fatal(err)
	}
	x.waitFor("not on any account")
	x.waitFor("POST /user/me/keys/")
	if !x.ended(10 * time.Second) {
		t.Fatal("the session stayed open")
	}
}

// TestSSHSessionEndsWhenSignedOutEverywhere: revoking the member's tokens
// ends their SSH session.
func TestSSHSessionEndsWhenSignedOutEverywhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, key := memberWithKey(t, st, "ann")
		addr, _, _ := sshServer(t, st, nil)
		x, err := dialSSH(t, addr, "ann", gossh.PublicKeys(key))
		if err != nil {
			t.Fatal(err)
		}
		x.waitFor("@ann")
		if err := st.SignOut(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		if !x.ended(10 * time.Second) {
			t.Fatalf("the session outlived the sign-out:\n%q", x.screen())
		}
		if !strings.Contains(x.screen(), "signed out everywhere") {
			t.Errorf("no reason given:\n%q", x.screen())
		}
		// Tokens are revoked, keys are not: the member is told.
		if !strings.Contains(x.screen(), "1 SSH key(s) still sign you in ("+gossh.FingerprintSHA256(key.PublicKey())+")") {
			t.Errorf("the remaining key was not named:\n%q", x.screen())
		}
	})
}

// TestSSHSessionLimitsAndCommands: a member over their session limit is
// refused with the setting's name; a command instead of the TUI is refused.
func TestSSHSessionLimitsAndCommands(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	_, key := memberWithKey(t, st, "ann")
	addr, _, srv := sshServer(t, st, func(o *sshd.Options) { o.MaxSessionsPerUser = 1 })
	x, err := dialSSH(t, addr, "ann", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	x.waitFor("@ann")
	y, err := dialSSH(t, addr, "ann", gossh.PublicKeys(key))
	if err != nil {
		t.Fatal(err)
	}
	y.waitFor("server.ssh_max_sessions_per_user = 1")
	if n := srv.Open(); n != 1 {
		t.Fatalf("%d sessions counted, want 1", n)
	}
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "ann", Auth: []gossh.AuthMethod{gossh.PublicKeys(key)}, HostKeyCallback: gossh.InsecureIgnoreHostKey()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sess, _ := c.NewSession()
	out, _ := sess.CombinedOutput("tui --as bob")
	if !strings.Contains(string(out), "runs only the TUI") {
		t.Fatalf("a command: %q", out)
	}
}

// TestSSHHostKeyIsStableAndPrivate: the generated host key is 0600 and the
// same after a restart.
func TestSSHHostKeyIsStableAndPrivate(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	path := filepath.Join(t.TempDir(), "ssh_host_ed25519")
	var seen []string
	for range 2 {
		addr, _, _ := sshServer(t, st, func(o *sshd.Options) { o.HostKeyPath = path })
		var got string
		c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "x", Auth: []gossh.AuthMethod{password("")},
			HostKeyCallback: func(_ string, _ net.Addr, k gossh.PublicKey) error { got = gossh.FingerprintSHA256(k); return nil }})
		if err == nil {
			c.Close()
		}
		seen = append(seen, got)
	}
	if seen[0] == "" || seen[0] != seen[1] {
		t.Fatalf("host keys %q", seen)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("host key file: %v %v", err, fi.Mode())
	}
}
