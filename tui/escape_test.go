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
	st := storetest.Migrated(t, storetest.SQLiteURI(t), store.Options{})
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
