package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestHomeShowsMyOwnPosts: a post written on Home appears there, live and
// after a reload, as the home stream carries one's own posts.
func TestHomeShowsMyOwnPosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, _, _ := world(t, st)
		storetest.MustPost(t, st, ann.ID, "an older post of mine", 0)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		press(t, m, "1")
		if v := view(m); !strings.Contains(v, "an older post of mine") || !strings.Contains(v, "bob's first post") {
			t.Fatalf("Home lacks my post or bob's:\n%s", v)
		}
		press(t, m, "n")
		typeText(t, m, "written on Home")
		press(t, m, "ctrl+s")
		untilView(t, m, "my new post on Home", func(v string) bool { return strings.Contains(v, "written on Home") })
		press(t, m, "R")
		if v := view(m); !strings.Contains(v, "written on Home") {
			t.Fatalf("after a reload, Home lacks my post:\n%s", v)
		}
	})
}

// TestFooterOffersOnlyWhatWorks: an empty list offers no post's keys; my
// own post offers no follow, someone else's no edit or delete.
func TestFooterOffersOnlyWhatWorks(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	storetest.MustUser(t, st, "ann")
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	press(t, m, "4") // Liked: empty
	for _, h := range m.hints() {
		if d := h.Help().Desc; d == "thread" || d == "reply" || d == "like" || d == "follow" {
			t.Errorf("an empty list offers %q", d)
		}
	}
	press(t, m, "5") // People: only ann, herself
	for _, h := range m.hints() {
		if h.Help().Desc == "follow" {
			t.Error("People offers to follow myself")
		}
	}
}

// TestStatusLeavesWithItsScreen: a status said on one screen is gone once
// a key moves to another.
func TestStatusLeavesWithItsScreen(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	world(t, st)
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	press(t, m, "2")
	m.setStatus("said on Everyone", false)
	press(t, m, "j") // the same screen: it stays
	if m.status != "said on Everyone" {
		t.Fatalf("a key on the same screen cleared the status: %q", m.status)
	}
	press(t, m, "3")
	if strings.Contains(view(m), "said on Everyone") {
		t.Fatal("the status followed to another tab")
	}
}

// TestNarrowAndWideTerminals: at 60 columns the header keeps @name; on a
// wide terminal a post's text wraps at a readable measure.
func TestNarrowAndWideTerminals(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	ann, _, _ := world(t, st)
	storetest.MustPost(t, st, ann.ID, strings.Repeat("word ", 50), 0)
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	drive(t, m, tea.WindowSizeMsg{Width: 60, Height: 24})
	header, _, _ := strings.Cut(strings.TrimLeft(view(m), "\n"), "\n")
	if !strings.Contains(header, "@ann") || !strings.Contains(header, "1 Home") {
		t.Errorf("the header at 60 columns: %q", header)
	}
	drive(t, m, tea.WindowSizeMsg{Width: 220, Height: 40})
	press(t, m, "3")
	for _, line := range strings.Split(view(m), "\n") {
		if strings.Contains(line, "word word") && len(strings.TrimSpace(strings.Trim(line, "│ "))) > readableWidth {
			t.Fatalf("a line of text %d wide on a 220-column terminal: %q", len(strings.TrimSpace(line)), line)
		}
	}
}

// TestKeyOfferPastItsWindowSaysWhatToDo: the offer to add the SSH key
// rests on the password sign-in, for 5 minutes; past them the status line
// said the API's words (send "password"); it says to connect again.
func TestKeyOfferPastItsWindowSaysWhatToDo(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	ann := storetest.MustUser(t, st, "ann")
	offer := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAusgJ61e68XCQzaR55Jej9J9RFbH4hK8s73PeZ6/Q+v ann@laptop"
	m := New(Options{Store: st, User: &ann, OfferKey: offer})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	drive(t, m, m.Init()())
	if !strings.Contains(view(m), "Sign in with your key next time?") {
		t.Fatalf("no offer:\n%s", view(m))
	}
	m.cred.IssuedAt = time.Now().Add(-6 * time.Minute).UnixMilli()
	press(t, m, "y")
	if !strings.Contains(m.status, "connect again with your password") || strings.Contains(m.status, `"password"`) {
		t.Errorf("status %q", m.status)
	}
	if keys, _ := st.SSHKeys(ctx, ann.ID); len(keys) != 0 {
		t.Error("the key was added past the window")
	}
}
