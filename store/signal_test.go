package store_test

import (
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestEveryEventedWriteSignals: each write that records a live event
// signals the process's watchers (and, on PostgreSQL, other processes) by
// itself once committed, with no call written by hand; reads and writes
// refused before they change anything do not. A missed signal left a
// subscriber waiting for the hub's 10-second safety tick.
func TestEveryEventedWriteSignals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var n atomic.Int64
		stop := s.Outbox().OnChange(func() { n.Add(1) })
		defer stop()
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		var post store.Post
		writes := []struct {
			name    string
			signals bool
			refused bool // the write is refused: an error is its answer
			do      func() error
		}{
			{"a post", true, false, func() (err error) { post, err = s.CreatePost(ctx, ann.ID, "hello", nil); return err }},
			{"a reply", true, false, func() error { _, err := s.CreatePost(ctx, bob.ID, "hi", &post.ID); return err }},
			{"an edit", true, false, func() error { _, err := s.UpdatePost(ctx, store.AsUser(ann.ID), post.ID, "hello again"); return err }},
			{"an edit refused", false, true, func() error { _, err := s.UpdatePost(ctx, store.AsUser(bob.ID), post.ID, "mine now"); return err }},
			{"a like", true, false, func() error { _, _, err := s.Like(ctx, bob.ID, post.ID); return err }},
			{"an unlike", true, false, func() error { _, err := s.Unlike(ctx, bob.ID, post.ID); return err }},
			{"a read", false, false, func() error { _, err := s.ListPosts(ctx, store.PostList{Limit: 10}); return err }},
			{"a follow (its notification is an event)", true, false, func() error { _, _, err := s.Follow(ctx, bob.ID, ann.ID); return err }},
			{"a block", true, false, func() error { _, _, err := s.Block(ctx, ann.ID, bob.ID); return err }},
			{"an unblock", true, false, func() error { return s.Unblock(ctx, ann.ID, bob.ID) }},
			{"a mute", true, false, func() error { _, _, err := s.Mute(ctx, ann.ID, bob.ID, true); return err }},
			{"an unmute", true, false, func() error { return s.Unmute(ctx, ann.ID, bob.ID) }},
			{"a block refused", false, true, func() error { _, _, err := s.Block(ctx, ann.ID, ann.ID); return err }},
			{"a key added", false, false, func() error { _, err := s.AddSSHKey(ctx, ann.ID, testKey); return err }},
			{"a key removed", true, false, func() error { _, err := s.RemoveSSHKeys(ctx, ann.ID); return err }},
			{"a sign-out", true, false, func() error { return s.SignOut(ctx, ann.ID) }},
			{"a prepared statement's write", true, false, func() error {
				q := `UPDATE post SET text = 'prepared' WHERE id = ?`
				if s.Dialect() == store.Postgres {
					q = strings.Replace(q, "?", "$1", 1)
				}
				stmt, err := s.DB().DB.PrepareContext(ctx, q)
				if err != nil {
					return err
				}
				defer stmt.Close()
				_, err = stmt.ExecContext(ctx, post.ID)
				return err
			}},
			{"a deletion", true, false, func() error { return s.DeletePost(ctx, store.AsUser(ann.ID), post.ID) }},
			{"an account deleted", true, false, func() error { return s.DeleteUser(ctx, bob.ID) }},
		}
		for _, w := range writes {
			before := n.Load()
			if err := w.do(); (err != nil) != w.refused {
				t.Fatalf("%s: %v", w.name, err)
			}
			if got := n.Load() > before; got != w.signals {
				t.Errorf("%s: signalled %v, want %v", w.name, got, w.signals)
			}
		}
	})
}

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAusgJ61e68XCQzaR55Jej9J9RFbH4hK8s73PeZ6/Q+v ann@laptop"
