package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestNotificationsTab: the header's badge counts the unread notifications
// and grows live; i opens the tab, grouped as the API groups them, which
// marks them read; enter opens the post, or the follower's profile.
func TestNotificationsTab(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, bob, cat := world(t, st)
		mine := storetest.MustPost(t, st, ann.ID, "ann's post", 0)
		for _, u := range []store.User{bob, cat} {
			if _, _, err := st.Like(ctx, u.ID, mine.ID); err != nil {
				t.Fatal(err)
			}
		}
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		if v := view(m); !strings.Contains(v, "6 Notifications (2)") {
			t.Fatalf("no badge of 2:\n%s", v)
		}
		m.live.waitPlaced()
		mustFollowT(t, st, cat.ID, ann.ID)
		untilView(t, m, "the badge grows live", func(v string) bool { return strings.Contains(v, "Notifications (3)") })

		press(t, m, "i")
		v := view(m)
		if !strings.Contains(v, "● cat followed you") || !strings.Contains(v, "● cat and bob liked your post: ann's post") {
			t.Fatalf("the tab:\n%s", v)
		}
		if n, _ := st.UnreadNotifications(ctx, ann.ID); n != 0 || strings.Contains(v, "Notifications (") {
			t.Fatalf("opening the tab left %d unread:\n%s", n, v)
		}
		press(t, m, "enter")
		if v := view(m); !strings.Contains(v, "@cat") {
			t.Fatalf("enter on a follow opens the follower:\n%s", v)
		}
		press(t, m, "esc", "j", "enter")
		if v := view(m); !strings.Contains(v, "ann's post") || !strings.Contains(v, "Thread") {
			t.Fatalf("enter on the likes opens the post:\n%s", v)
		}
		// On the tab, a new one shows at once, read.
		press(t, m, "esc")
		storetest.MustPost(t, st, bob.ID, "hey @ann", 0)
		untilView(t, m, "the mention arrives on the tab", func(v string) bool { return strings.Contains(v, "bob mentioned you: hey @ann") })
		if n, _ := st.UnreadNotifications(ctx, ann.ID); n != 0 {
			t.Fatalf("%d unread on the open tab", n)
		}
	})
}

// TestMentionsAreHighlighted: a post's @names are drawn in their own
// colour, the rest of the text as before.
func TestMentionsAreHighlighted(t *testing.T) {
	m := New(Options{})
	plain := highlight(m.styles, "no names, mail a@b.org", nil)
	if plain != "no names, mail a@b.org" {
		t.Fatalf("changed a text without mentions: %q", plain)
	}
	got := highlight(m.styles, "hi @ann and @bob.", nil)
	if ansi.Strip(got) == got || ansi.Strip(got) != "hi @ann and @bob." || !strings.Contains(got, m.styles.Mention.Render("@ann")) ||
		!strings.Contains(got, m.styles.Mention.Render("@bob")) {
		t.Fatalf("%q", got)
	}
}

func mustFollowT(t *testing.T, st *store.Store, from, to int64) {
	t.Helper()
	if _, _, err := st.Follow(ctx, from, to); err != nil {
		t.Fatal(err)
	}
}
