package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// state is what a key press may visibly change.
func state(m *Model) string {
	top := "tabs"
	if len(m.stack) > 0 {
		top = fmt.Sprintf("%T:%s", m.stack[len(m.stack)-1], m.stack[len(m.stack)-1].title())
	}
	return fmt.Sprintf("stack=%d top=%s tab=%d status=%q help=%v\n%s", len(m.stack), top, m.tab, m.status, m.fullHelp, view(m))
}

// screenSetup brings a fresh model to one screen: ann looks at her own post,
// which bob replied to, on the tab or in the screen named.
var screenSetups = map[string][]string{
	"Home tab":     {"1"},
	"Everyone tab": {"2"},
	"Mine tab":     {"3"},
	"People tab":   {"5"},
	"thread":       {"3", "enter"},
	"profile":      {"3", "enter", "enter"},
	"composer":     {"3", "r"},
	"confirm":      {"3", "d"},
}

// TestEveryHintedKeyWorks: each key a screen's footer offers does something
// visible there (r, enter, e and d did nothing in a thread or a profile),
// and a screen another one opened is left with one esc.
func TestEveryHintedKeyWorks(t *testing.T) {
	// Each press starts from a database of its own: a key may change it
	// (y deletes, l likes).
	fresh := func(t *testing.T, setup []string) *Model {
		st := storetest.SQLiteMigrated(t, store.Options{})
		ann, bob, _ := world(t, st)
		mine := storetest.MustPost(t, st, ann.ID, "ann's post", 0)
		storetest.MustPost(t, st, bob.ID, "bob's reply", mine.ID)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		for _, k := range setup {
			press(t, m, k)
		}
		return m
	}
	for name, setup := range screenSetups {
		t.Run(name, func(t *testing.T) {
			m := fresh(t, setup)
			hints := m.hints()
			if len(hints) == 0 {
				t.Fatal("no keys in the footer")
			}
			for _, h := range hints {
				k := h.Keys()[0]
				m := fresh(t, setup)
				before := state(m)
				press(t, m, k)
				if state(m) == before {
					t.Errorf("%s (%s) did nothing:\n%s", h.Help().Key, h.Help().Desc, before)
				}
			}
		})
	}
	// Each screen another opened goes with one esc, back to the one below.
	m := fresh(t, []string{"3", "enter"})
	for _, k := range []string{"enter", "enter", "r"} { // the author, their post's thread, a reply
		press(t, m, k)
	}
	if len(m.stack) != 4 {
		t.Fatalf("thread → profile → thread → composer: stack %d\n%s", len(m.stack), state(m))
	}
	for want := 3; want >= 0; want-- {
		press(t, m, "esc")
		if len(m.stack) != want {
			t.Fatalf("after esc: stack %d, want %d", len(m.stack), want)
		}
	}
}

// TestFooterAndHelpFitEighty: at 80×24 every screen's footer keeps its own
// first key and "? help · q quit" (they were cut), and ? shows every key.
func TestFooterAndHelpFitEighty(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	ann, bob, _ := world(t, st)
	mine := storetest.MustPost(t, st, ann.ID, "ann's post", 0)
	storetest.MustPost(t, st, bob.ID, "bob's reply", mine.ID)
	for name, setup := range screenSetups {
		m := newTestModel(st, "ann")
		m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
		drive(t, m, m.Init()())
		for _, k := range setup {
			press(t, m, k)
		}
		lines := strings.Split(view(m), "\n")
		footer := lines[len(lines)-1]
		tail := "? help • q quit"
		if m.typing() {
			tail = "ctrl+c quit"
		}
		if !strings.Contains(footer, tail) || !strings.Contains(footer, m.hints()[0].Help().Desc) {
			t.Errorf("%s: footer %q", name, footer)
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > 80 {
				t.Errorf("%s: a line of %d cells: %q", name, ansi.StringWidth(l), l)
			}
		}
	}
	m := newTestModel(st, "ann")
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	drive(t, m, m.Init()())
	press(t, m, "?")
	screen := view(m)
	for _, group := range m.keys.FullHelp() {
		for _, b := range group {
			if !strings.Contains(screen, b.Help().Desc) {
				t.Errorf("help lacks %q:\n%s", b.Help().Desc, screen)
			}
		}
	}
	for _, l := range strings.Split(screen, "\n") {
		if ansi.StringWidth(l) > 80 {
			t.Errorf("help line of %d cells: %q", ansi.StringWidth(l), l)
		}
	}
}

// TestStatusExpires: a status goes after statusTTL, unless another replaced it.
func TestStatusExpires(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	world(t, st)
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	m.setStatus("first", false)
	first := m.statusSeq
	_, cmd := m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	if cmd == nil {
		t.Fatal("setting a status armed no expiry")
	}
	m.setStatus("second", false)
	m.Update(statusExpired{first})
	if m.status != "second" {
		t.Fatalf("the first status's expiry cleared the second: %q", m.status)
	}
	m.Update(statusExpired{m.statusSeq})
	if m.status != "" {
		t.Fatalf("status %q stayed past its time", m.status)
	}
}

// TestComposerDraftAndErrors: typing clears the composer's error; esc on a
// draft asks first, a second esc discards, another key keeps writing.
func TestComposerDraftAndErrors(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	world(t, st)
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	press(t, m, "n")
	press(t, m, "ctrl+s") // empty: refused
	c := m.stack[0].(*composer)
	if c.err == "" || !strings.Contains(view(m), c.err) {
		t.Fatalf("no error for an empty post:\n%s", view(m))
	}
	typeText(t, m, "hi")
	if c.err != "" {
		t.Fatalf("the error stayed while typing: %q", c.err)
	}
	press(t, m, "esc")
	if len(m.stack) != 1 || !strings.Contains(view(m), "Discard this draft?") {
		t.Fatalf("esc on a draft did not ask:\n%s", view(m))
	}
	typeText(t, m, "!")
	if len(m.stack) != 1 || c.area.Value() != "hi!" || strings.Contains(view(m), "Discard this draft?") {
		t.Fatalf("a key after the question: %q\n%s", c.area.Value(), view(m))
	}
	press(t, m, "esc")
	press(t, m, "esc")
	if len(m.stack) != 0 {
		t.Fatalf("two esc kept the draft")
	}
	press(t, m, "n")
	press(t, m, "esc")
	if len(m.stack) != 0 {
		t.Fatal("esc on an empty composer asked")
	}
}

// TestPostsDeletedElsewhereLeave: a post deleted by another writer leaves
// the list it was on when its event arrives.
func TestPostsDeletedElsewhereLeave(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, bob, _ := world(t, st)
		gone := storetest.MustPost(t, st, bob.ID, "soon gone", 0)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		if !strings.Contains(view(m), "soon gone") {
			t.Fatalf("not shown first:\n%s", view(m))
		}
		if err := st.DeletePost(ctx, store.AsOperator("test"), gone.ID); err != nil {
			t.Fatal(err)
		}
		untilView(t, m, "the deleted post leaves", func(v string) bool { return !strings.Contains(v, "soon gone") })
		_ = ann
	})
}

// TestNoUsersYet: on an empty database the sign-in box says how to make a user.
func TestNoUsersYet(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	m := newTestModel(st, "")
	drive(t, m, m.Init()())
	if s := view(m); !strings.Contains(s, "No users yet") || !strings.Contains(s, "pamps adduser") || !strings.Contains(s, "pamps seed --password") {
		t.Fatalf("empty database:\n%s", s)
	}
}

// TestOneFollower: counts agree with their noun.
func TestOneFollower(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	world(t, st) // ann follows bob
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	press(t, m, "5")
	if s := view(m); !strings.Contains(s, "1 follower ·") || strings.Contains(s, "1 followers") {
		t.Fatalf("people:\n%s", s)
	}
}

// TestThreadFollowsDeletionsElsewhere: an open thread drops a reply
// deleted elsewhere when its event arrives, and says so when its post goes.
func TestThreadFollowsDeletionsElsewhere(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	ann, bob, _ := world(t, st)
	root := storetest.MustPost(t, st, ann.ID, "the root", 0)
	reply := storetest.MustPost(t, st, bob.ID, "a reply soon gone", root.ID)
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	press(t, m, "3", "enter")
	if !strings.Contains(view(m), "a reply soon gone") {
		t.Fatalf("thread:\n%s", view(m))
	}
	if err := st.DeletePost(ctx, store.AsOperator("test"), reply.ID); err != nil {
		t.Fatal(err)
	}
	untilView(t, m, "the deleted reply leaves", func(v string) bool { return !strings.Contains(v, "a reply soon gone") })
	if err := st.DeletePost(ctx, store.AsOperator("test"), root.ID); err != nil {
		t.Fatal(err)
	}
	untilView(t, m, "the thread says its post is gone", func(v string) bool { return strings.Contains(v, "This post is gone") })
}

// TestThreadOfAReplyShowsItsParent: a reply's thread shows, above it, the
// post it answers; p opens that post's thread (a reply was a dead end).
func TestThreadOfAReplyShowsItsParent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, bob, _ := world(t, st)
		question := storetest.MustPost(t, st, ann.ID, "the question", 0)
		answer := storetest.MustPost(t, st, bob.ID, "the answer", question.ID)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		for _, msg := range run(m.push(newThread(m, answer.ID))) {
			drive(t, m, msg)
		}
		v := view(m)
		want := fmt.Sprintf("↑ in reply to @ann #%d (p): the question", question.ID)
		if !strings.Contains(v, want) || !strings.Contains(v, "the answer") || strings.Index(v, want) > strings.Index(v, "the answer") {
			t.Fatalf("the reply's thread lacks its parent above it (%q):\n%s", want, v)
		}
		offered := false
		for _, h := range m.hints() {
			offered = offered || h.Help().Key == "p"
		}
		if !offered {
			t.Error("the footer does not offer p")
		}
		press(t, m, "p")
		if top := m.stack[len(m.stack)-1].title(); top != fmt.Sprintf("Thread #%d", question.ID) {
			t.Fatalf("p opened %q", top)
		}
		if v := view(m); strings.Contains(v, "in reply to") || !strings.Contains(v, "the answer") {
			t.Errorf("the parent's thread:\n%s", v)
		}
	})
}
