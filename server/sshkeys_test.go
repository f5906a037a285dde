package server_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	gossh "golang.org/x/crypto/ssh"
)

// TestRemovingAKeyEndsItsSessions: the sessions a key opened end when it is
// removed from the account (they ran on); a password session does not.
func TestRemovingAKeyEndsItsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, key := memberWithKey(t, st, "ann")
		addr, _, _ := sshServer(t, st, nil)
		byKey, err := dialSSH(t, addr, "ann", gossh.PublicKeys(key))
		if err != nil {
			t.Fatal(err)
		}
		byKey.waitFor("@ann")
		byPassword, err := dialSSH(t, addr, "ann", password("password1"))
		if err != nil {
			t.Fatal(err)
		}
		byPassword.waitFor("@ann")
		keys, err := st.SSHKeys(ctx, ann.ID)
		if err != nil || len(keys) != 1 {
			t.Fatalf("keys: %v %v", keys, err)
		}
		if err := st.RemoveSSHKey(ctx, ann.ID, keys[0].ID); err != nil {
			t.Fatal(err)
		}
		if !byKey.ended(10 * time.Second) {
			t.Fatal("the key's session runs on after its removal")
		}
		byKey.waitFor("the key it signed in with was removed")
		if byPassword.ended(200 * time.Millisecond) {
			t.Fatal("a password session ended with the key")
		}
	})
}

// unsigning offers a public key it cannot sign with: what a client that
// only knows someone's public key can do.
type unsigning struct{ gossh.Signer }

func (u unsigning) Sign(_ io.Reader, _ []byte) (*gossh.Signature, error) {
	return nil, errors.New("no private key here")
}

// TestSSHKeyOfferNeedsTheKey: the TUI offered to add whatever public key
// the client named, held or not; it now offers only a key the client
// signed with, and then only after the password.
func TestSSHKeyOfferNeedsTheKey(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	storetest.MustUser(t, st, "ann")
	addr, _, _ := sshServer(t, st, nil)
	stranger := newSigner(t)
	x, err := dialSSH(t, addr, "ann", gossh.PublicKeys(unsigning{stranger}), password("password1"))
	if err == nil {
		x.waitFor("@ann")
		if strings.Contains(x.screen(), "Sign in with your key next time?") {
			t.Fatal("a key the client never signed with was offered")
		}
	}
	// A key the client signs with, and then the password: offered.
	mine := newSigner(t)
	x, err = dialSSH(t, addr, "ann", gossh.PublicKeys(mine), password("password1"))
	if err != nil {
		t.Fatal(err)
	}
	x.waitFor("Sign in with your key next time?")
	// A key alone, without the password, signs nobody in.
	if _, err := dialSSH(t, addr, "ann", gossh.PublicKeys(newSigner(t))); err == nil {
		t.Fatal("an unknown key alone opened a session")
	}
}

// TestAddingAKeyNeedsThePassword: a stolen access token must not plant a
// key that outlives a password change (it did, even a refreshed one). A
// key needs the password in the request, or a token from a password login
// of the last five minutes.
func TestAddingAKeyNeedsThePassword(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		a.register("ann")
		fresh, refresh := a.pair("ann", "password1")
		var pair struct {
			Access string `json:"access_token"`
		}
		a.refresh(refresh).json(t, &pair) // not fresh
		key := func() string { return authorized(newSigner(t)) }
		expect(t, "a refreshed token alone", a.do("POST", "/user/me/keys/", map[string]string{"public_key": key()}, pair.Access), 403, "")
		expect(t, "a refreshed token and a wrong password", a.do("POST", "/user/me/keys/", map[string]string{"public_key": key(), "password": "wrong-one"}, pair.Access), 400, `{"detail":"Incorrect password"}`)
		expect(t, "a refreshed token and the password", a.do("POST", "/user/me/keys/", map[string]string{"public_key": key(), "password": "password1"}, pair.Access), 201, "")
		expect(t, "a fresh token", a.do("POST", "/user/me/keys/", map[string]string{"public_key": key()}, fresh), 201, "")
		// A password login of six minutes ago proves nothing now.
		old := testTokens()
		old.Now = func() time.Time { return time.Now().Add(-6 * time.Minute) }
		u, err := a.st.UserByName(ctx, "ann")
		if err != nil {
			t.Fatal(err)
		}
		stale, err := old.Access(u, true)
		if err != nil {
			t.Fatal(err)
		}
		expect(t, "a fresh token of six minutes ago", a.do("POST", "/user/me/keys/", map[string]string{"public_key": key()}, stale), 403, "")
		if keys, _ := a.st.SSHKeys(ctx, u.ID); len(keys) != 2 {
			t.Fatalf("%d keys stored, want 2", len(keys))
		}
		// Signing out everywhere revokes tokens, not keys: the answer says so.
		r := a.do("POST", "/user/me/logout/", nil, fresh)
		if r.status != 204 || r.header.Get("SSH-Keys-Remaining") != "2" || !strings.Contains(r.header.Get("Link"), `</user/me/keys/>; rel="ssh-keys"`) {
			t.Fatalf("logout: %d %v", r.status, r.header)
		}
	})
}
