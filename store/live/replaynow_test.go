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
		mark := storetest.MustPost(t, s, ann.ID, "before the resume point", 0)
		edited, last := writeThenChange(t, s, ann)
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

// TestEventsHeldBackAtTheStartShowWhatAReadShowsNow: on PostgreSQL a hub
// starts below any transaction still open in the cluster, and the events
// written before it started reached subscribers when that transaction
// ended, with the outbox's copies: the text of a post deleted since, of
// an account deleted since (a CI run failed on it, another test's
// transaction open at the time). They are read as they are now.
func TestEventsHeldBackAtTheStartShowWhatAReadShowsNow(t *testing.T) {
	s := storetest.PostgresMigrated(t, store.Options{})
	// A transaction that holds an id, open across the writes and the
	// hub's start: every event after it is held back until it ends.
	other, err := s.DB().DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(ctx, "SELECT pg_current_xact_id()"); err != nil {
		t.Fatal(err)
	}
	ann := storetest.MustUser(t, s, "ann")
	_, last := writeThenChange(t, s, ann)
	h := live.New(s)
	sub := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: 0})
	// Written after the start, while events are still held back: it goes
	// out as it happened, the post then its deletion.
	brief := storetest.MustPost(t, s, ann.ID, "written after the start", 0)
	if err := s.DeletePost(ctx, store.AsUser(ann.ID), brief.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	var sawLast, sawBrief bool
	for {
		e := nextNot(t, sub, store.EventPostCounts)
		if e.Post != nil {
			switch e.Post.Text {
			case "the secret first draft", "posted in anger", "cat's post":
				t.Fatalf("a subscriber got %s %q, gone or edited since", e.Kind, e.Post.Text)
			}
		}
		sawLast = sawLast || (e.Kind == store.EventPost && e.PostID == last.ID)
		if e.Kind == store.EventPost && e.PostID == brief.ID {
			sawBrief = true
		}
		if e.Kind == store.EventPostDeleted && e.PostID == brief.ID {
			if !sawLast || !sawBrief {
				t.Fatalf("the deletion of a post written after the start came without it (last %v, post %v)", sawLast, sawBrief)
			}
			return
		}
	}
}

// writeThenChange writes the posts both tests replay, then changes them:
// a draft edited, a post deleted, an account deleted with its post.
// Anything that shows "the secret first draft", "posted in anger" or
// "cat's post" afterwards shows what is gone.
func writeThenChange(t *testing.T, s *store.Store, ann store.User) (edited, last store.Post) {
	t.Helper()
	cat := storetest.MustUser(t, s, "cat")
	edited = storetest.MustPost(t, s, ann.ID, "the secret first draft", 0)
	deleted := storetest.MustPost(t, s, ann.ID, "posted in anger", 0)
	storetest.MustPost(t, s, cat.ID, "cat's post", 0)
	last = storetest.MustPost(t, s, ann.ID, "the last", 0)
	if _, err := s.UpdatePost(ctx, store.AsUser(ann.ID), edited.ID, "the public text"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeletePost(ctx, store.AsUser(ann.ID), deleted.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, cat.ID); err != nil {
		t.Fatal(err)
	}
	return edited, last
}
