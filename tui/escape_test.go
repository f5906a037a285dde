package tui

import (
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestStoredControlCharactersAreShownEscaped: a post, a bio or a name from
// an adopted database cannot drive the terminal from the TUI: the screen
// holds no escape sequence but the TUI's own styles.
func TestStoredControlCharactersAreShownEscaped(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	ann, _, _ := world(t, st)
	const hostile = "hi \x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u009b31m \u202eevil"
	storetest.MustPost(t, st, ann.ID, "placeholder", 0)
	for _, q := range []string{`UPDATE post SET text = ?`, `UPDATE "user" SET bio = ?`} {
		if _, err := st.DB().Exec(q, hostile); err != nil {
			t.Fatal(err)
		}
	}
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	for _, tab := range []string{"2", "3", "5"} {
		press(t, m, tab)
		screen := m.draw()
		for _, bad := range []string{"\x1b]", "\x07", "\u009b", "\u202e", "\x1b[2J"} {
			if strings.Contains(screen, bad) {
				t.Errorf("tab %s shows %q raw", tab, bad)
			}
		}
		if tab != "5" && !strings.Contains(view(m), `\x1b]52;c;`) {
			t.Errorf("tab %s does not show the text escaped:\n%s", tab, view(m))
		}
	}
}

// TestStoredNamesInTitlesAndStatusAreEscaped: a name from an adopted
// database reaches the profile's title and the status line ("You now follow
// ...") escaped too, not only the posts' text.
func TestStoredNamesInTitlesAndStatusAreEscaped(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	_, bob, _ := world(t, st)
	if _, err := st.DB().Exec(`UPDATE "user" SET username = ? WHERE id = ?`, "bo\x1b]0;owned\x07b", bob.ID); err != nil {
		t.Fatal(err)
	}
	m := newTestModel(st, "ann")
	drive(t, m, m.Init()())
	press(t, m, "1", "enter", "enter") // Home: bob's post, its thread, its author
	if _, ok := m.stack[len(m.stack)-1].(*profile); !ok {
		t.Fatalf("not on bob's profile:\n%s", view(m))
	}
	press(t, m, "f")
	screen := m.draw()
	for _, bad := range []string{"\x1b]0;", "\x07"} {
		if strings.Contains(screen, bad) {
			t.Errorf("the screen shows %q raw", bad)
		}
	}
	if !strings.Contains(view(m), `@bo\x1b]0;owned\x07b`) {
		t.Errorf("the title does not show the name escaped:\n%s", view(m))
	}
}
