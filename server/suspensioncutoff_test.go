package server_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	gossh "golang.org/x/crypto/ssh"
)

// cutOffWithin bounds the wait for a suspension (or a departure) to end a
// member's streams and sessions. It is a bound for a busy machine, not the
// figure: on PostgreSQL an event waits for every older transaction of the
// cluster, which the whole suite shares (sseclient_test.go's lineWait). The
// tests log what they measured (2–55 ms here; bench/RESULTS.md).
const cutOffWithin = lineWait

// TestSuspensionEndsStreamsAtOnce: the suspended member's signed streams
// (home, and a public one read with their token) end; someone else's
// signed stream does not, and neither does the removal of the member's
// SSH key end theirs (it ends only the sessions the key opened).
func TestSuspensionEndsStreamsAtOnce(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newCommunity(t, a)
		key, err := a.st.AddSSHKey(ctx, c.id["bob"], authorized(newSigner(t)))
		if err != nil {
			t.Fatal(err)
		}
		home := a.stream("/stream/home/", c.tok["bob"])
		public := a.stream("/stream/public/", c.tok["bob"])
		others := a.stream("/stream/public/", c.tok["cat"])
		for _, s := range []*sse{home, public, others} {
			s.line()
		}
		// A post after the key's removal reaches bob's public stream: one
		// stream's events come in order, so it outlived the removal.
		if err := a.st.RemoveSSHKey(ctx, c.id["bob"], key.ID); err != nil {
			t.Fatal(err)
		}
		a.createPost(t, c.tok["ann"], "after the key went", nil)
		if e := public.next(); e.name != "post" || !strings.Contains(e.data, "after the key went") {
			t.Fatalf("bob's stream after his key's removal: %+v", e)
		}
		start := time.Now()
		expect(t, "suspend bob", a.do("POST", c.user("bob", "suspend"), map[string]any{"reason": "spam"}, c.tok["mo"]), 200, "")
		for name, s := range map[string]*sse{"home": home, "public": public} {
			if !s.ended(cutOffWithin) {
				t.Fatalf("bob's %s stream outlived his suspension by %v", name, cutOffWithin)
			}
		}
		t.Logf("%s: both streams ended %v after the suspension", a.st.Dialect(), time.Since(start).Round(time.Millisecond))
		// And cat's carries what follows the suspension: it outlived it.
		a.createPost(t, c.tok["ann"], "after the suspension", nil)
		for _, want := range []string{"after the key went", "after the suspension"} {
			if e := others.next(); e.name != "post" || !strings.Contains(e.data, want) {
				t.Fatalf("cat's stream: %+v, want the post %q", e, want)
			}
		}
	})
}

// TestSuspensionEndsSSHSessions: a suspension ends the member's SSH session
// at once, saying why, and their key no longer signs them in.
func TestSuspensionEndsSSHSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		bob, key := memberWithKey(t, st, "bob")
		addr, _, _ := sshServer(t, st, nil)
		x, err := dialSSH(t, addr, "bob", gossh.PublicKeys(key))
		if err != nil {
			t.Fatal(err)
		}
		x.waitFor("@bob")
		start := time.Now()
		if _, err := st.Suspend(ctx, store.AsOperator("test"), bob.ID, "spam"); err != nil {
			t.Fatal(err)
		}
		if !x.ended(cutOffWithin) {
			t.Fatalf("the session outlived the suspension:\n%q", x.screen())
		}
		t.Logf("%s: the session ended %v after the suspension", st.Dialect(), time.Since(start).Round(time.Millisecond))
		if !strings.Contains(x.screen(), "suspended") {
			t.Errorf("no reason given:\n%q", x.screen())
		}
		if _, err := signInSSH(t, addr, "bob", gossh.PublicKeys(key)); err == nil {
			t.Fatal("a suspended member's key signed in")
		}
		if _, err := signInSSH(t, addr, "bob", password("password1")); err == nil {
			t.Fatal("a suspended member's password signed in")
		}
	})
}

// TestRegistrationModesOverTheAPI: closed, approval and invite, as a client
// sees them (the operator's adduser is the CLI's: cmd/pamps).
func TestRegistrationModesOverTheAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, base *store.Store) {
		c := newCommunity(t, newAPI(t, base))
		signUp := func(a *api, name string, extra map[string]any) response {
			body := map[string]any{"email": name + "@example.com", "username": name, "password": "password1"}
			for k, v := range extra {
				body[k] = v
			}
			return a.do("POST", "/user/", body, "")
		}
		closed := newAPI(t, base.WithRegistration(store.RegistrationClosed))
		expect(t, "closed", signUp(closed, "eve", nil), 403, `{"detail":"Registration is closed"}`)

		approval := newAPI(t, base.WithRegistration(store.RegistrationApproval))
		expect(t, "approval", signUp(approval, "eve", nil), 201, "")
		r := approval.do("POST", "/token", "username=eve&password=password1", "", "Content-Type", "application/x-www-form-urlencoded")
		expect(t, "pending sign-in", r, 403, `{"detail":"Account pending approval"}`)
		var pending []store.Account
		approval.do("GET", "/admin/users/?status=pending", nil, c.tok["mo"]).json(t, &pending)
		if len(pending) != 1 || pending[0].Username != "eve" || pending[0].Status != store.StatusPending {
			t.Fatalf("pending %+v", pending)
		}
		var ns []store.Notification
		approval.do("GET", "/notifications/?types=signup", nil, c.tok["mo"]).json(t, &ns)
		if len(ns) != 1 || ns[0].Actor.Username != "eve" {
			t.Fatalf("signup notifications %+v", ns)
		}
		expect(t, "approve", approval.do("POST", fmt.Sprintf("/admin/users/%d/approve/", pending[0].ID), nil, c.tok["mo"]), 200, "")
		approval.login("eve", "password1")

		invite := newAPI(t, base.WithRegistration(store.RegistrationInvite))
		expect(t, "no code", signUp(invite, "fay", nil), 422, "")
		expect(t, "a bad code", signUp(invite, "fay", map[string]any{"invite": "nope"}), 422, "")
		expect(t, "a bad invite", invite.do("POST", "/admin/invites/", map[string]any{"uses": 0}, c.tok["mo"]), 422, "")
		r = invite.do("POST", "/admin/invites/", map[string]any{"uses": 1, "expires_in": 3600}, c.tok["mo"])
		expect(t, "make an invite", r, 201, "")
		var inv store.Invite
		r.json(t, &inv)
		expect(t, "with the code", signUp(invite, "fay", map[string]any{"invite": inv.Code}), 201, "")
		expect(t, "the code again", signUp(invite, "gus", map[string]any{"invite": inv.Code}), 422, "")
		r = invite.do("POST", "/admin/invites/", nil, c.tok["mo"])
		r.json(t, &inv)
		expect(t, "mo revokes", invite.do("DELETE", "/admin/invites/"+inv.Code+"/", nil, c.tok["mo"]), 403, "")
		expect(t, "ann revokes", invite.do("DELETE", "/admin/invites/"+inv.Code+"/", nil, c.tok["ann"]), 204, "")
		expect(t, "a revoked code", signUp(invite, "gus", map[string]any{"invite": inv.Code}), 422, "")
		expect(t, "revoke nothing", invite.do("DELETE", "/admin/invites/nothing/", nil, c.tok["ann"]), 404, `{"detail":"Invite not found"}`)
	})
}

// TestLeavingEndsSSHSessions: a member who leaves (DELETE /user/me/, the
// store's DeleteAccount) has their SSH session ended at once, told why.
func TestLeavingEndsSSHSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		bob, key := memberWithKey(t, st, "bob")
		addr, _, _ := sshServer(t, st, nil)
		x, err := dialSSH(t, addr, "bob", gossh.PublicKeys(key))
		if err != nil {
			t.Fatal(err)
		}
		x.waitFor("@bob")
		if err := st.DeleteAccount(ctx, bob.ID, "wrong"); !errors.Is(err, store.ErrIncorrectPassword) {
			t.Fatalf("a wrong password: %v", err)
		}
		if err := st.DeleteAccount(ctx, bob.ID, "password1"); err != nil {
			t.Fatal(err)
		}
		if !x.ended(cutOffWithin) {
			t.Fatalf("the session outlived the account:\n%q", x.screen())
		}
		if !strings.Contains(x.screen(), "the account was deleted") {
			t.Errorf("no reason given:\n%q", x.screen())
		}
	})
}
