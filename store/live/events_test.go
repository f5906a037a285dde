package live_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
	"github.com/pamps/pamps/store/storetest"
)

var ctx = context.Background()

// next waits for a subscription's next event, failing the test after 10 s.
func next(t *testing.T, sub *live.Subscription) store.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	e, err := sub.Next(ctx)
	if err != nil {
		t.Fatalf("next event: %v", err)
	}
	return e
}

// nextNot skips post.counts events, which arrive on their own rhythm.
func nextNot(t *testing.T, sub *live.Subscription, skip store.EventKind) store.Event {
	t.Helper()
	for {
		if e := next(t, sub); e.Kind != skip {
			return e
		}
	}
}

func subscribe(t *testing.T, h *live.Hub, st store.Stream, opt live.SubscribeOptions) *live.Subscription {
	t.Helper()
	sub, err := h.Subscribe(context.Background(), st, opt)
	if err != nil {
		t.Fatalf("subscribe %+v: %v", st, err)
	}
	t.Cleanup(sub.Close)
	return sub
}

func describe(e store.Event) string {
	switch e.Kind {
	case store.EventPost, store.EventPostUpdated:
		return fmt.Sprintf("%s %d %q", e.Kind, e.PostID, e.Post.Text)
	case store.EventPostCounts:
		return fmt.Sprintf("%s %d likes=%d replies=%d", e.Kind, e.PostID, e.Likes, e.ReplyCount)
	}
	return fmt.Sprintf("%s %d", e.Kind, e.PostID)
}

// TestEventsReachEachStream: posts, replies, edits, likes and deletions
// reach the streams that carry them, in order, and no others.
func TestEventsReachEachStream(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := live.New(s)
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		cat := storetest.MustUser(t, s, "cat")
		if _, _, err := s.Follow(ctx, ann.ID, bob.ID); err != nil {
			t.Fatal(err)
		}
		first := storetest.MustPost(t, s, bob.ID, "first", 0)
		public := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: -1})
		all := subscribe(t, h, store.Stream{Kind: store.StreamPublic, Replies: true}, live.SubscribeOptions{After: -1})
		home := subscribe(t, h, store.Stream{Kind: store.StreamHome, UserID: ann.ID}, live.SubscribeOptions{After: -1})
		catOnly := subscribe(t, h, store.Stream{Kind: store.StreamUser, UserID: cat.ID}, live.SubscribeOptions{After: -1})
		thread := subscribe(t, h, store.Stream{Kind: store.StreamPost, PostID: first.ID}, live.SubscribeOptions{After: -1})

		second := storetest.MustPost(t, s, cat.ID, "second", 0)
		reply := storetest.MustPost(t, s, cat.ID, "a reply", first.ID)
		if _, err := s.UpdatePost(ctx, store.Actor{UserID: bob.ID}, first.ID, "first, edited"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Like(ctx, ann.ID, first.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePost(ctx, store.Actor{UserID: cat.ID}, second.ID); err != nil {
			t.Fatal(err)
		}

		want := map[string]struct {
			sub  *live.Subscription
			list []string
		}{
			"public": {public, []string{
				fmt.Sprintf("post %d \"second\"", second.ID),
				fmt.Sprintf("post.updated %d \"first, edited\"", first.ID),
				fmt.Sprintf("post.deleted %d", second.ID)}},
			"public with replies": {all, []string{
				fmt.Sprintf("post %d \"second\"", second.ID),
				fmt.Sprintf("post %d \"a reply\"", reply.ID),
				fmt.Sprintf("post.updated %d \"first, edited\"", first.ID),
				fmt.Sprintf("post.deleted %d", second.ID)}},
			"ann's home (follows bob)": {home, []string{
				fmt.Sprintf("post.updated %d \"first, edited\"", first.ID)}},
			"cat's posts": {catOnly, []string{
				fmt.Sprintf("post %d \"second\"", second.ID),
				fmt.Sprintf("post.deleted %d", second.ID)}},
			"the first post's thread": {thread, []string{
				fmt.Sprintf("post %d \"a reply\"", reply.ID),
				fmt.Sprintf("post.updated %d \"first, edited\"", first.ID)}},
		}
		for name, w := range want {
			var last int64
			for i, line := range w.list {
				e := nextNot(t, w.sub, store.EventPostCounts)
				if got := describe(e); got != line {
					t.Errorf("%s, event %d: %s, want %s", name, i, got, line)
				}
				if e.ID <= last {
					t.Errorf("%s: id %d after %d", name, e.ID, last)
				}
				last = e.ID
			}
		}
		// The counts of the first post (a like, a reply) reach its thread,
		// at most once a second, as they are now.
		for {
			e := next(t, thread)
			if e.Kind == store.EventPostCounts && e.PostID == first.ID && e.Likes == 1 && e.ReplyCount == 1 {
				break
			}
		}
		// A new post by bob now reaches ann's home.
		third := storetest.MustPost(t, s, bob.ID, "third", 0)
		if e := nextNot(t, home, store.EventPostCounts); e.Kind != store.EventPost || e.PostID != third.ID {
			t.Fatalf("home: %s, want bob's third post", describe(e))
		}
	})
}

// TestEventsResumeWithoutLossOrRepeat: a subscriber resuming after an event
// gets what followed, in order, once, then what happens next.
func TestEventsResumeWithoutLossOrRepeat(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := live.New(s)
		ann := storetest.MustUser(t, s, "ann")
		liveSub := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: -1})
		var ids []int64
		for i := range 5 {
			storetest.MustPost(t, s, ann.ID, fmt.Sprint("post ", i), 0)
			ids = append(ids, nextNot(t, liveSub, store.EventPostCounts).ID)
		}
		again := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: ids[1]})
		for _, want := range ids[2:] {
			if e := nextNot(t, again, store.EventPostCounts); e.ID != want || e.Kind != store.EventPost {
				t.Fatalf("replay: %s id %d, want post id %d", describe(e), e.ID, want)
			}
		}
		p := storetest.MustPost(t, s, ann.ID, "after the replay", 0)
		if e := nextNot(t, again, store.EventPostCounts); e.PostID != p.ID || e.ID <= ids[4] {
			t.Fatalf("after the replay: %s id %d", describe(e), e.ID)
		}
	})
}

// TestEventsResetPastTheWindow: a resume from before what was pruned
// starts with a reset.
func TestEventsResetPastTheWindow(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		s := storetest.Migrated(t, uri, store.Options{StreamReplay: time.Second})
		h := live.New(s)
		ann := storetest.MustUser(t, s, "ann")
		liveSub := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: -1})
		storetest.MustPost(t, s, ann.ID, "old", 0)
		old := nextNot(t, liveSub, store.EventPostCounts)
		// Pruning runs every second here; wait until "old" is gone.
		eventually.True(t, 15*time.Second, func() bool { return storetest.Count(t, s, "event") <= 0 }, "the event was never pruned")
		sub := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: old.ID - 1})
		if e := next(t, sub); e.Kind != store.EventReset {
			t.Fatalf("resume past the window: %s, want reset", describe(e))
		}
		p := storetest.MustPost(t, s, ann.ID, "new", 0)
		if e := nextNot(t, sub, store.EventPostCounts); e.PostID != p.ID {
			t.Fatalf("after reset: %s", describe(e))
		}
	})
}

// TestSlowSubscriberIsCutOff: a subscriber that does not read is ended
// when its buffer is full, and holds no more than the buffer meanwhile.
func TestSlowSubscriberIsCutOff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := live.New(s)
		ann := storetest.MustUser(t, s, "ann")
		slow := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: -1, Buffer: 3})
		reader := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: -1})
		for i := range 6 {
			storetest.MustPost(t, s, ann.ID, fmt.Sprint("post ", i), 0)
			nextNot(t, reader, store.EventPostCounts) // the hub has fanned it out
		}
		var got int
		var err error
		for err == nil {
			_, err = slow.Next(ctx)
			got++
		}
		if !errors.Is(err, live.ErrSlowSubscriber) || got-1 > 3 {
			t.Fatalf("slow subscriber: %d events then %v, want at most 3 then ErrSlowSubscriber", got-1, err)
		}
	})
}

// TestEventsFromAnotherProcess: a write through another Store on the same
// database (another process: the CLI, a second replica) reaches this one's
// subscribers: PostgreSQL's NOTIFY, SQLite's data_version.
func TestEventsFromAnotherProcess(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		here := storetest.Migrated(t, uri, store.Options{})
		h := live.New(here)
		there := storetest.Open(t, uri, store.Options{})
		ann := storetest.MustUser(t, there, "ann")
		sub := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: -1})
		p := storetest.MustPost(t, there, ann.ID, "from elsewhere", 0)
		began := time.Now()
		if e := nextNot(t, sub, store.EventPostCounts); e.PostID != p.ID {
			t.Fatalf("got %s", describe(e))
		}
		t.Logf("arrived %s after the write returned", time.Since(began).Round(time.Millisecond))
	})
}

// TestEventsCommittedOutOfOrder: a transaction that began writing first
// but commits last still reaches subscribers, after the one that
// committed first; nothing is skipped and ids still grow. PostgreSQL only:
// SQLite commits one writer at a time, so it has no such order to break.
func TestEventsCommittedOutOfOrder(t *testing.T) {
	func(t *testing.T, s *store.Store) {
		h := live.New(s)
		ann := storetest.MustUser(t, s, "ann")
		sub := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: -1})
		wrote, release := make(chan struct{}), make(chan struct{})
		slowDone := make(chan error, 1)
		go func() {
			slowDone <- s.InTx(ctx, func(ctx context.Context, tx *store.Store) error {
				if _, err := tx.CreatePost(ctx, ann.ID, "slow", nil); err != nil {
					return err
				}
				close(wrote)
				<-release
				return nil
			})
		}()
		<-wrote
		fast := storetest.MustPost(t, s, ann.ID, "fast", 0)
		// The hub has read (and held "fast" back, behind "slow") once
		// Position returns: it waits for the reads of this process's commits.
		if _, err := h.Position(ctx); err != nil {
			t.Fatal(err)
		}
		close(release)
		if err := <-slowDone; err != nil {
			t.Fatal(err)
		}
		a := nextNot(t, sub, store.EventPostCounts)
		b := nextNot(t, sub, store.EventPostCounts)
		if a.Post.Text != "slow" || b.PostID != fast.ID || b.ID <= a.ID {
			t.Fatalf("got %s (id %d) then %s (id %d), want slow then fast, ids growing", describe(a), a.ID, describe(b), b.ID)
		}
	}(t, storetest.PostgresMigrated(t, store.Options{}))
}
