package live_test

import (
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
	"github.com/pamps/pamps/store/storetest"
)

// TestReplayShowsWhatAReadShowsNow: a resume with Last-Event-ID served the
// outbox's copies for the replay window: the text of a post deleted since,
// the text from before an edit, the posts of a deleted account, to anyone.
// A replay now shows each post as a fresh read would, and nothing of what
// is gone.
func TestReplayShowsWhatAReadShowsNow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := live.New(s)
		ann := storetest.MustUser(t, s, "ann")
		cat := storetest.MustUser(t, s, "cat")
		mark := storetest.MustPost(t, s, ann.ID, "before the resume point", 0)
		edited := storetest.MustPost(t, s, ann.ID, "the secret first draft", 0)
		deleted := storetest.MustPost(t, s, ann.ID, "posted in anger", 0)
		storetest.MustPost(t, s, cat.ID, "cat's post", 0)
		last := storetest.MustPost(t, s, ann.ID, "the last", 0)
		if _, err := s.UpdatePost(ctx, store.AsUser(ann.ID), edited.ID, "the public text"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePost(ctx, store.AsUser(ann.ID), deleted.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteUser(ctx, cat.ID); err != nil {
			t.Fatal(err)
		}
		// Where a client saw the first post: its event's position.
		liveSub := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: 0})
		var from int64
		for from == 0 {
			if e := nextNot(t, liveSub, store.EventPostCounts); e.Kind == store.EventPost && e.PostID == mark.ID {
				from = e.ID
			}
		}
		sub := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: from})
		for {
			e := nextNot(t, sub, store.EventPostCounts)
			if e.Post != nil {
				switch {
				case e.Post.Text == "the secret first draft", e.Post.Text == "posted in anger", e.Post.Text == "cat's post":
					t.Fatalf("the replay served %s %q", e.Kind, e.Post.Text)
				case e.PostID == edited.ID && e.Post.Text != "the public text":
					t.Fatalf("the edited post replayed as %q", e.Post.Text)
				}
			}
			if e.Kind == store.EventPost && e.PostID == last.ID {
				break
			}
		}
	})
}
