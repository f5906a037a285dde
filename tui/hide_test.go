package tui

import (
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestBlockAndMuteFromAProfile: b asks, y blocks, and the blocked member's
// posts leave every tab at once; m mutes and unmutes; the store agrees.
func TestBlockAndMuteFromAProfile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, bob, cat := world(t, st)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		press(t, m, "2")
		if !strings.Contains(view(m), "bob's first post") || !strings.Contains(view(m), "cat's first post") {
			t.Fatalf("Everyone before:\n%s", view(m))
		}
		drive(t, m, m.push(newProfile(m, "bob"))())
		press(t, m, "b")
		if !strings.Contains(view(m), "Block @bob?") {
			t.Fatalf("no confirm:\n%s", view(m))
		}
		press(t, m, "y")
		if r, _ := st.Relation(ctx, ann.ID, bob.ID); !r.Blocked {
			t.Fatal("not blocked in the store")
		}
		if v := view(m); !strings.Contains(v, "blocked") || strings.Contains(v, "bob's first post") {
			t.Fatalf("the profile after the block:\n%s", v)
		}
		press(t, m, "esc", "2")
		if v := view(m); strings.Contains(v, "bob's first post") || !strings.Contains(v, "cat's first post") {
			t.Fatalf("Everyone after the block:\n%s", v)
		}
		drive(t, m, m.push(newProfile(m, "cat"))())
		press(t, m, "m")
		if r, _ := st.Relation(ctx, ann.ID, cat.ID); !r.Muted {
			t.Fatal("not muted in the store")
		}
		press(t, m, "m")
		if r, _ := st.Relation(ctx, ann.ID, cat.ID); r.Muted {
			t.Fatal("still muted in the store")
		}
		if m.writing != 0 {
			t.Fatalf("writing %d", m.writing)
		}
	})
}

// TestLivePostsOfWhomIHideStayOut: the TUI's live streams read as its
// member: a post of someone muted does not arrive on Everyone, while one
// written after it by someone else does (one stream: it came in order).
func TestLivePostsOfWhomIHideStayOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, bob, cat := world(t, st)
		if _, _, err := st.Mute(ctx, ann.ID, cat.ID, true); err != nil {
			t.Fatal(err)
		}
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		press(t, m, "2")
		m.live.waitPlaced()
		storetest.MustPost(t, st, cat.ID, "cat while muted", 0)
		storetest.MustPost(t, st, bob.ID, "bob after", 0)
		untilView(t, m, "bob's post arrives", func(v string) bool { return strings.Contains(v, "bob after") })
		if v := view(m); strings.Contains(v, "cat while muted") {
			t.Fatalf("a muted member's post arrived:\n%s", v)
		}
	})
}

// TestWhomIBlockAndMute: H on the People tab lists whom I block and mute;
// enter opens the profile, where b lifts the block, and the list follows.
func TestWhomIBlockAndMute(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, bob, cat := world(t, st)
		if _, _, err := st.Block(ctx, ann.ID, bob.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.Mute(ctx, ann.ID, cat.ID, true); err != nil {
			t.Fatal(err)
		}
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		press(t, m, "5", "H")
		v := view(m)
		if !strings.Contains(v, "bob  blocked") || !strings.Contains(v, "cat  muted") {
			t.Fatalf("the list:\n%s", v)
		}
		press(t, m, "enter", "b", "esc")
		if v := view(m); strings.Contains(v, "bob") || !strings.Contains(v, "cat  muted") {
			t.Fatalf("after unblocking bob:\n%s", v)
		}
	})
}
