package tui

import (
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestSearchFromAnyTab: / opens the search, enter finds the posts as the
// member sees them (not whom they muted), with the words highlighted;
// / searches again, esc goes back.
func TestSearchFromAnyTab(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, _, cat := world(t, st)
		if _, _, err := st.Mute(ctx, ann.ID, cat.ID, true); err != nil {
			t.Fatal(err)
		}
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		press(t, m, "2", "/")
		typeText(t, m, "FIRST post")
		press(t, m, "enter")
		v := view(m)
		if !strings.Contains(v, "bob's first post") || strings.Contains(v, "cat's first post") {
			t.Fatalf("the results:\n%s", v)
		}
		if drawn := m.draw(); !strings.Contains(drawn, m.styles.Match.Render("first")) {
			t.Fatal("the word found is not highlighted")
		}
		press(t, m, "/")
		typeText(t, m, " -bob")
		press(t, m, "enter")
		if v := view(m); strings.Contains(v, "bob's first post") || !strings.Contains(v, "Nothing found") {
			t.Fatalf("first post -bob:\n%s", v)
		}
		press(t, m, "esc")
		if v := view(m); !strings.Contains(v, "2 Everyone") || strings.Contains(v, "Search") {
			t.Fatalf("esc did not go back:\n%s", v)
		}
	})
}
