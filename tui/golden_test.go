package tui

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestGoldenViews compares whole screens at 80×24, without colour, with
// testdata/*.golden (go test ./tui -run Golden -update rewrites them).
func TestGoldenViews(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	ann, bob, _ := world(t, st)
	storetest.MustPost(t, st, ann.ID, "a reply to bob, long enough to wrap around the edge of an eighty column terminal window", 1)
	st.UpdateUser(ctx, bob.ID, store.UserPatch{Bio: ptr("Writes about birds."), Avatar: ptr("https://example.com/bob.png")})

	screens := []struct {
		name string
		as   string
		keys []string
	}{
		{"login", "", nil},
		{"home", "ann", nil},
		{"everyone", "ann", []string{"2"}},
		{"thread", "ann", []string{"enter"}},
		{"profile", "ann", []string{"5", "/", "b", "o", "enter", "enter"}},
		{"compose", "ann", []string{"r", "h", "i"}},
		{"confirm", "ann", []string{"3", "d"}},
		{"help", "ann", []string{"?"}},
	}
	for _, s := range screens {
		t.Run(s.name, func(t *testing.T) {
			m := New(Options{Store: st, As: s.as, PageSize: 10})
			drive(t, m, tea.WindowSizeMsg{Width: 80, Height: 24})
			if init := m.login.init(m); s.as != "" {
				drive(t, m, init())
			}
			press(t, m, s.keys...)
			golden.RequireEqual(t, []byte(view(m)))
		})
	}
	t.Run("too small", func(t *testing.T) {
		m := newTestModel(st, "ann")
		drive(t, m, tea.WindowSizeMsg{Width: 59, Height: 19})
		golden.RequireEqual(t, []byte(view(m)))
	})
}

func ptr[T any](v T) *T { return &v }
