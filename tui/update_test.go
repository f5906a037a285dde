package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

func TestLoginScreen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		world(t, st)
		m := newTestModel(st, "")
		drive(t, m, m.Init()())
		if m.me != nil || !strings.Contains(view(m), "sign in") {
			t.Fatalf("not on the login screen:\n%s", view(m))
		}
		typeText(t, m, "ann")
		press(t, m, "enter")
		typeText(t, m, "wrong-password")
		press(t, m, "enter")
		if m.me != nil || !strings.Contains(view(m), "Incorrect username or password") {
			t.Fatalf("a wrong password signed in:\n%s", view(m))
		}
		if strings.Contains(view(m), "wrong-password") {
			t.Fatal("the password is shown")
		}
		typeText(t, m, "password1")
		press(t, m, "enter")
		if m.me == nil || m.me.Username != "ann" {
			t.Fatalf("did not sign in:\n%s", view(m))
		}
		if !strings.Contains(view(m), "bob's first post") || strings.Contains(view(m), "cat's first post") {
			t.Fatalf("Home should show bob (followed), not cat:\n%s", view(m))
		}
	})
}

func TestTabsAndNavigation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, _, _ := world(t, st)
		for i := range 12 {
			storetest.MustPost(t, st, ann.ID, "ann post "+string(rune('a'+i)), 0)
		}
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		press(t, m, "2")
		if m.tab != tabEveryone || !strings.Contains(view(m), "ann post l") {
			t.Fatalf("2 should show Everyone, newest first:\n%s", view(m))
		}
		l := m.feeds[tabEveryone]
		if len(l.items) != 5 || l.next == "" {
			t.Fatalf("first page: %d items, next %q", len(l.items), l.next)
		}
		press(t, m, "j") // near the bottom of a page: the next one loads
		if len(l.items) != 10 || l.sel != 1 {
			t.Fatalf("after j: %d items, sel %d", len(l.items), l.sel)
		}
		drive(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
		if l.sel != 2 {
			t.Fatalf("after the wheel down: sel %d, want 2", l.sel)
		}
		drive(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelUp})
		if l.sel != 1 {
			t.Fatalf("after the wheel up: sel %d, want 1", l.sel)
		}
		press(t, m, "G")
		press(t, m, "G")
		press(t, m, "G")
		if len(l.items) != 14 || l.next != "" {
			t.Fatalf("after G: %d items, next %q (a page at a time, never the whole table)", len(l.items), l.next)
		}
		press(t, m, "g")
		if l.sel != 0 {
			t.Fatal("g did not go to the top")
		}
		press(t, m, "tab", "tab")
		if m.tab != tabLiked {
			t.Fatalf("tab: %d", m.tab)
		}
		press(t, m, "5")
		if m.tab != tabPeople || !strings.Contains(view(m), "bob") {
			t.Fatalf("People:\n%s", view(m))
		}
		press(t, m, "/")
		typeText(t, m, "ca")
		if len(m.people.users) != 1 || m.people.users[0].Username != "cat" {
			t.Fatalf("filter: %+v", m.people.users)
		}
		press(t, m, "enter", "enter")
		if len(m.stack) != 1 || !strings.Contains(view(m), "@cat") || !strings.Contains(view(m), "cat's first post") {
			t.Fatalf("profile:\n%s", view(m))
		}
		press(t, m, "esc")
		if len(m.stack) != 0 {
			t.Fatal("esc did not go back")
		}
		press(t, m, "?")
		if !strings.Contains(view(m), "delete mine") {
			t.Fatalf("full help:\n%s", view(m))
		}
		press(t, m, "x")
		if m.fullHelp {
			t.Fatal("help did not close")
		}
	})
}

func TestComposerCountsAndRefusesTooLong(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{Rules: store.Rules{BcryptCost: 4, PostMaxLength: 20}})
	world(t, st)
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	press(t, m, "n")
	typeText(t, m, "hello")
	if !strings.Contains(view(m), "5/20") {
		t.Fatalf("live count:\n%s", view(m))
	}
	typeText(t, m, " world, and more")
	if !strings.Contains(view(m), "21/20 too long") {
		t.Fatalf("over the limit:\n%s", view(m))
	}
	press(t, m, "ctrl+s")
	if !strings.Contains(view(m), "must be at most 20 characters") || len(m.stack) != 1 {
		t.Fatalf("too long was sent:\n%s", view(m))
	}
	press(t, m, "esc", "esc") // the first asks before a draft is lost
	if len(m.stack) != 0 || storetest.Count(t, st, "post") != 2 {
		t.Fatal("esc did not cancel, or something was stored")
	}
}

func TestStoreErrorsShowInStatusLine(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	world(t, st)
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	st.Close() // the database goes away
	press(t, m, "R")
	if !m.statusErr || !strings.Contains(view(m), "Something went wrong") && !strings.Contains(view(m), "unavailable") {
		t.Fatalf("no error on the status line:\n%s", view(m))
	}
	press(t, m, "2", "1") // still usable
	if m.tab != tabHome {
		t.Fatal("keys stopped working")
	}
}

func TestEditAndDeleteOnlyMine(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		world(t, st)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		press(t, m, "2", "e")
		if len(m.stack) != 0 || !strings.Contains(m.status, "only edit your own") {
			t.Fatalf("edit another's post: stack %d, status %q", len(m.stack), m.status)
		}
		press(t, m, "d")
		if len(m.stack) != 0 || !strings.Contains(m.status, "only delete your own") {
			t.Fatalf("delete another's post: %q", m.status)
		}
		press(t, m, "n")
		typeText(t, m, "mine to edit")
		press(t, m, "ctrl+s", "3", "e")
		for range len("mine to edit") {
			drive(t, m, keys("backspace"))
		}
		typeText(t, m, "edited")
		press(t, m, "ctrl+s")
		if p, _ := st.GetPost(ctx, 3, 0); p.Text != "edited" {
			t.Fatalf("edit: %q", p.Text)
		}
	})
}

// TestQuitWaitsForALike: a like is shown at once and written meanwhile; q
// pressed before the store has answered quits only once it has, so the
// like is not left half done.
func TestQuitWaitsForALike(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, _, _ := world(t, st)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		_, like := m.Update(keys("l")) // the like's command, not run yet
		if like == nil || !strings.Contains(view(m), "♥ 1 ✓") {
			t.Fatalf("no like shown at once:\n%s", view(m))
		}
		_, cmd := m.Update(keys("q"))
		for _, msg := range run(cmd) { // the status's expiry timer is dropped
			if _, ok := msg.(tea.QuitMsg); ok {
				t.Fatal("q quit with a like on its way")
			}
		}
		if m.quitting {
			t.Fatal("q quit with a like on its way")
		}
		if !strings.Contains(view(m), "Saving") {
			t.Fatalf("no word of the wait:\n%s", view(m))
		}
		_, cmd = m.Update(like())
		if cmd == nil {
			t.Fatal("the like's answer did not quit")
		}
		if _, ok := cmd().(tea.QuitMsg); !ok || !m.quitting {
			t.Fatal("the like's answer did not quit")
		}
		if p, _ := st.GetPost(ctx, 1, ann.ID); !p.Liked || p.Likes != 1 {
			t.Fatalf("the like was not stored: %+v", p)
		}
	})
}
