package tui

import (
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestLikeTogglesAreWrittenInOrder: a like and an unlike pressed before the
// first is written are not written at once (they could commit in either
// order); the unlike follows the like, and the store ends unliked.
func TestLikeTogglesAreWrittenInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, _, _ := world(t, st)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		id := m.feeds[tabHome].items[0].ID
		_, like := m.Update(keys("l"))
		_, unlike := m.Update(keys("l"))
		if like == nil || unlike != nil {
			t.Fatalf("want one write on its way, got like %v, unlike %v", like != nil, unlike != nil)
		}
		if !strings.Contains(view(m), "♥ 0  ↩") {
			t.Fatalf("the unlike is not shown at once:\n%s", view(m))
		}
		_, next := m.Update(like())
		if next == nil {
			t.Fatal("the like's answer did not write the unlike")
		}
		if !strings.Contains(view(m), "♥ 0  ↩") {
			t.Fatalf("the like's answer undid the unlike shown:\n%s", view(m))
		}
		if p, _ := st.GetPost(ctx, id, ann.ID); !p.Liked {
			t.Fatalf("the like was not written first: %+v", p)
		}
		drive(t, m, next())
		if p, _ := st.GetPost(ctx, id, ann.ID); p.Liked || p.Likes != 0 {
			t.Fatalf("store after the unlike: %+v", p)
		}
		if m.writing != 0 || !strings.Contains(view(m), "♥ 0  ↩") {
			t.Fatalf("writing %d, screen:\n%s", m.writing, view(m))
		}
	})
}

// TestStaleCountsDoNotUndoALike: a counts event read before this session's
// like committed, arriving after it was shown, is not applied as it is:
// the post is read again.
func TestStaleCountsDoNotUndoALike(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, bob, _ := world(t, st)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		id := m.feeds[tabHome].items[0].ID
		press(t, m, "l")
		if !strings.Contains(view(m), "♥ 1 ✓") {
			t.Fatalf("no like:\n%s", view(m))
		}
		stale := store.Event{Kind: store.EventPostCounts, PostID: id, AuthorID: bob.ID, Likes: 0}
		m.live.mu.Lock()
		m.live.queue = append(m.live.queue, liveEvent{e: stale})
		m.live.mu.Unlock()
		drive(t, m, eventsReady{})
		if !strings.Contains(view(m), "♥ 1 ✓") {
			t.Fatalf("a stale count undid the like:\n%s", view(m))
		}
	})
}

// TestFollowTogglesAreWrittenInOrder: f pressed twice before the first
// answer follows, then unfollows, rather than follow twice.
func TestFollowTogglesAreWrittenInOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, _, cat := world(t, st)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		follow := m.toggleFollow(cat.ID, "cat")
		if again := m.toggleFollow(cat.ID, "cat"); follow == nil || again != nil {
			t.Fatalf("want one write on its way, got follow %v, again %v", follow != nil, again != nil)
		}
		drive(t, m, follow())
		if ok, _ := st.IsFollowing(ctx, ann.ID, cat.ID); ok || m.writing != 0 {
			t.Fatalf("following %v, writing %d: the second press was lost", ok, m.writing)
		}
		if !strings.Contains(view(m), "You no longer follow cat") {
			t.Fatalf("status:\n%s", view(m))
		}
	})
}
