package server_test

import (
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	gossh "golang.org/x/crypto/ssh"
)

// TestSSHSignOutBeforeTheSessionOpensEndsIt: a sign-out everywhere after
// the member authenticated, but before their session opened, ends the
// session (it was watched only from the session's start, so it lived on).
func TestSSHSignOutBeforeTheSessionOpensEndsIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, key := memberWithKey(t, st, "ann")
		addr, _, _ := sshServer(t, st, nil)
		c, err := signInSSH(t, addr, "ann", gossh.PublicKeys(key))
		if err != nil {
			t.Fatal(err)
		}
		signedIn := time.Now().UnixMilli() // the sign-out is later than the sign-in, to the millisecond
		eventually.True(t, 0, func() bool { return time.Now().UnixMilli() > signedIn }, "the clock stopped")
		if err := st.SignOut(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		x, err := openTerminal(c, t, nil, 30, 100)
		if err != nil {
			t.Fatal(err)
		}
		if !x.ended(10 * time.Second) {
			t.Fatalf("the session outlived a sign-out after its sign-in:\n%q", x.screen())
		}
	})
}
