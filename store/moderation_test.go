package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	"github.com/pamps/pamps/store/storetest/eventually"
)

// staffOf makes ann an admin, mo a moderator and bob and cat members.
func staffOf(t *testing.T, s *store.Store) (ann, mo, bob, cat store.User) {
	t.Helper()
	ann, mo, bob, cat = storetest.MustUser(t, s, "ann"), storetest.MustUser(t, s, "mo"), storetest.MustUser(t, s, "bob"), storetest.MustUser(t, s, "cat")
	op := store.AsOperator("root")
	if _, err := s.SetRole(ctx, op, ann.ID, store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRole(ctx, op, mo.ID, store.RoleModerator); err != nil {
		t.Fatal(err)
	}
	return
}

// auditActions is the audit log's actions, newest first.
func auditActions(t *testing.T, s *store.Store) []string {
	t.Helper()
	page, err := s.AuditLog(ctx, store.AsOperator("root"), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range page.Items {
		out = append(out, e.Actor+" "+e.Action+" "+e.Target)
	}
	return out
}

// TestWhoMayModerateWhom: every rule of roles, once, on both databases:
// each refusal changes nothing and writes no audit row.
func TestWhoMayModerateWhom(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann, mo, bob, cat := staffOf(t, s)
		before := len(auditActions(t, s))
		refused := []struct {
			name string
			err  error
			do   func() error
		}{
			{"a member suspends", store.ErrNotAllowed, func() error { _, err := s.Suspend(ctx, store.AsUser(bob.ID), cat.ID, "spam"); return err }},
			{"a moderator suspends an admin", store.ErrNotAllowed, func() error { _, err := s.Suspend(ctx, store.AsUser(mo.ID), ann.ID, "spam"); return err }},
			{"an admin suspends themselves", store.ErrSelfModeration, func() error { _, err := s.Suspend(ctx, store.AsUser(ann.ID), ann.ID, "x"); return err }},
			{"a suspension without a reason", store.ErrInvalid, func() error { _, err := s.Suspend(ctx, store.AsUser(mo.ID), bob.ID, "  "); return err }},
			{"a moderator sets a role", store.ErrNotAllowed, func() error { _, err := s.SetRole(ctx, store.AsUser(mo.ID), bob.ID, store.RoleModerator); return err }},
			{"a member sets their own role", store.ErrNotAllowed, func() error { _, err := s.SetRole(ctx, store.AsUser(bob.ID), bob.ID, store.RoleAdmin); return err }},
			{"the last admin demoted by the operator", store.ErrLastAdmin, func() error {
				_, err := s.SetRole(ctx, store.AsOperator("root"), ann.ID, store.RoleMember)
				return err
			}},
			{"the last admin demotes themselves", store.ErrLastAdmin, func() error { _, err := s.SetRole(ctx, store.AsUser(ann.ID), ann.ID, store.RoleModerator); return err }},
			{"the last admin suspended by the operator", store.ErrLastAdmin, func() error { _, err := s.Suspend(ctx, store.AsOperator("root"), ann.ID, "x"); return err }},
			{"a member approves", store.ErrNotAllowed, func() error { _, err := s.Approve(ctx, store.AsUser(cat.ID), bob.ID); return err }},
			{"a member reads the audit log", store.ErrNotAllowed, func() error { _, err := s.AuditLog(ctx, store.AsUser(bob.ID), "", 0); return err }},
			{"a moderator revokes an invite", store.ErrNotAllowed, func() error { return s.RevokeInvite(ctx, store.AsUser(mo.ID), "x") }},
			{"an unknown role", store.ErrInvalid, func() error { _, err := s.SetRole(ctx, store.AsUser(ann.ID), bob.ID, "owner"); return err }},
		}
		for _, c := range refused {
			if err := c.do(); !errors.Is(err, c.err) {
				t.Errorf("%s: %v, want %v", c.name, err, c.err)
			}
		}
		if got := len(auditActions(t, s)); got != before {
			t.Fatalf("refusals wrote %d audit rows", got-before)
		}
		if u, _ := s.UserByID(ctx, ann.ID); u.Role != store.RoleAdmin || u.Status != store.StatusActive {
			t.Fatalf("ann is %s, %s", u.Role, u.Status)
		}
		// What each may do.
		if _, err := s.Suspend(ctx, store.AsUser(mo.ID), bob.ID, "spam"); err != nil {
			t.Fatalf("a moderator suspends a member: %v", err)
		}
		if _, err := s.Suspend(ctx, store.AsUser(ann.ID), mo.ID, "rogue"); err != nil {
			t.Fatalf("an admin suspends a moderator: %v", err)
		}
		if _, err := s.SetRole(ctx, store.AsUser(ann.ID), cat.ID, store.RoleAdmin); err != nil {
			t.Fatalf("an admin makes an admin: %v", err)
		}
		if _, err := s.SetRole(ctx, store.AsUser(ann.ID), ann.ID, store.RoleMember); err != nil {
			t.Fatalf("an admin steps down, another staying: %v", err)
		}
		want := []string{"ann role ann", "ann role cat", "ann suspend mo", "mo suspend bob"}
		got := auditActions(t, s)[:4]
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("audit log %q, want %q first", got, want)
			}
		}
	})
}

// TestSuspensionWithholdsAndUnsuspensionRestores: a suspended member cannot
// sign in or use a token, and their posts, replies, likes and profile are
// absent for everyone but moderators, with counts unchanged; lifting it
// brings everything back.
func TestSuspensionWithholdsAndUnsuspensionRestores(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, mo, bob, cat := staffOf(t, s)
		root := storetest.MustPost(t, s, cat.ID, "cat's post", 0)
		bobs := storetest.MustPost(t, s, bob.ID, "bob's post", 0)
		storetest.MustPost(t, s, bob.ID, "bob's reply", root.ID)
		if _, _, err := s.Like(ctx, bob.ID, root.ID); err != nil {
			t.Fatal(err)
		}
		cred := store.Credential{UserID: bob.ID, Username: "bob", IssuedAt: 1}
		if _, err := s.Suspend(ctx, store.AsUser(mo.ID), bob.ID, "spam"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Login(ctx, "test", "bob", "password1"); !errors.Is(err, store.ErrSuspended) {
			t.Fatalf("login: %v", err)
		}
		if _, err := s.Login(ctx, "test", "bob", "wrong"); errors.Is(err, store.ErrSuspended) {
			t.Fatal("a wrong password learns the account is suspended")
		}
		if _, err := s.UserByCredential(ctx, cred); !errors.Is(err, store.ErrUnauthorized) {
			t.Fatalf("a token from before: %v", err)
		}
		late := store.Credential{UserID: bob.ID, Username: "bob", IssuedAt: 1 << 50}
		if _, err := s.UserByCredential(ctx, late); !errors.Is(err, store.ErrSuspended) {
			t.Fatalf("a token issued after: %v", err)
		}
		if _, err := s.CreatePostAs(ctx, late, "still here", nil); err == nil {
			t.Fatal("a suspended member posted")
		}
		// What the CLI and the TUI write for a member by id: refused too.
		byID := map[string]func() error{
			"post":   func() error { _, err := s.CreatePost(ctx, bob.ID, "as the operator", nil); return err },
			"like":   func() error { _, _, err := s.Like(ctx, bob.ID, root.ID); return err },
			"follow": func() error { _, _, err := s.Follow(ctx, bob.ID, cat.ID); return err },
			"block":  func() error { _, _, err := s.Block(ctx, bob.ID, cat.ID); return err },
			"mute":   func() error { _, _, err := s.Mute(ctx, bob.ID, cat.ID, true); return err },
			"report": func() error {
				_, err := s.CreateReport(ctx, bob.ID, store.NewReport{UserID: &cat.ID, Reason: "spam"})
				return err
			},
		}
		for name, write := range byID {
			if err := write(); !errors.Is(err, store.ErrSuspended) {
				t.Errorf("a suspended member's %s by id: %v", name, err)
			}
		}
		seen := func(viewer int64) (posts, replies int, profile, liker bool) {
			page, err := s.ListPosts(ctx, store.PostList{Viewer: viewer})
			if err != nil {
				t.Fatal(err)
			}
			posts = len(page.Items)
			d, err := s.PostDetail(ctx, root.ID, viewer)
			if err != nil {
				t.Fatal(err)
			}
			replies = len(d.Replies)
			_, err = s.Profile(ctx, "bob", viewer)
			profile = err == nil
			_, err = s.UserSeenBy(ctx, "bob", viewer) // whose likes and followers one may list
			liker = err == nil
			if d.Likes != 1 || d.ReplyCount != 1 {
				t.Fatalf("counts recomputed: %d likes, %d replies", d.Likes, d.ReplyCount)
			}
			return
		}
		for name, v := range map[string]int64{"anyone": 0, "a member": cat.ID} {
			if p, r, prof, l := seen(v); p != 1 || r != 0 || prof || l {
				t.Errorf("%s sees %d posts, %d replies, profile %v, liker %v", name, p, r, prof, l)
			}
			if _, err := s.GetPost(ctx, bobs.ID, v); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%s opens bob's post: %v", name, err)
			}
		}
		for name, v := range map[string]int64{"a moderator": mo.ID, "the operator": store.OperatorView} {
			if p, r, prof, l := seen(v); p != 2 || r != 1 || !prof || !l {
				t.Errorf("%s sees %d posts, %d replies, profile %v, liker %v", name, p, r, prof, l)
			}
		}
		if _, err := s.Unsuspend(ctx, store.AsUser(mo.ID), bob.ID, "appeal heard"); err != nil {
			t.Fatal(err)
		}
		if p, r, prof, l := seen(cat.ID); p != 2 || r != 1 || !prof || !l {
			t.Errorf("after unsuspension cat sees %d posts, %d replies, profile %v, liker %v", p, r, prof, l)
		}
		if _, err := s.Login(ctx, "test", "bob", "password1"); err != nil {
			t.Fatalf("login after: %v", err)
		}
		if _, err := s.UserByCredential(ctx, cred); !errors.Is(err, store.ErrUnauthorized) {
			t.Fatalf("a token from before the suspension holds again: %v", err)
		}
	})
}

// TestASuspensionElsewhereReachesReadsSoon: a suspension made by another
// process (another Store on the same database: a replica, the CLI) hides
// the member from this one's reads within the standing cache's life, and
// the suspension's lifting shows them again.
func TestASuspensionElsewhereReachesReadsSoon(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		here := storetest.Migrated(t, uri, store.Options{})
		elsewhere := storetest.Open(t, uri, store.Options{})
		bob := storetest.MustUser(t, here, "bob")
		storetest.MustPost(t, here, bob.ID, "bob's post", 0)
		listed := func() bool {
			page, err := here.ListPosts(ctx, store.PostList{})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Items) == 1
		}
		if !listed() { // the cache is read now, bob active
			t.Fatal("bob's post is not listed")
		}
		start := time.Now()
		if _, err := elsewhere.Suspend(ctx, store.AsOperator("test"), bob.ID, "spam"); err != nil {
			t.Fatal(err)
		}
		eventually.True(t, 0, func() bool { return !listed() }, "a suspension elsewhere never reached this store's reads")
		t.Logf("hidden here %v after the suspension elsewhere", time.Since(start).Round(time.Millisecond))
		if _, err := elsewhere.Unsuspend(ctx, store.AsOperator("test"), bob.ID, ""); err != nil {
			t.Fatal(err)
		}
		eventually.True(t, 0, listed, "the lifting elsewhere never reached this store's reads")
	})
}
