package tui

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

var ctx = context.Background()

// asciiRenderer renders without colour, so views compare as plain text.
func asciiRenderer() *lipgloss.Renderer {
	r := lipgloss.NewRenderer(nil)
	r.SetColorProfile(termenv.Ascii)
	return r
}

// newTestModel makes a model on st, 100×40, polling never on its own.
func newTestModel(st *store.Store, as string) *Model {
	m := New(Options{Store: st, As: as, Renderer: asciiRenderer(), NoColor: true, Poll: time.Hour, PageSize: 5})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	return m
}

// drive feeds msg to the model and runs the commands it returns, feeding
// their messages back, as the Bubble Tea runtime would. Commands that do not
// answer quickly (timers) are dropped.
func drive(t *testing.T, m *Model, msg tea.Msg) {
	t.Helper()
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 200 {
			t.Fatal("the model keeps producing messages")
		}
		msg := queue[0]
		queue = queue[1:]
		if t := reflect.TypeOf(msg); t != nil && strings.HasSuffix(t.PkgPath(), "bubbles/cursor") {
			continue // cursor blinks schedule themselves forever
		}
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				queue = append(queue, run(c)...)
			}
			continue
		}
		_, cmd := m.Update(msg)
		queue = append(queue, run(cmd)...)
	}
}

func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		if msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	case <-time.After(100 * time.Millisecond): // store calls answer well within this; timers do not
		return nil
	}
}

func keys(s string) tea.KeyMsg {
	switch s {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func press(t *testing.T, m *Model, ks ...string) {
	t.Helper()
	for _, k := range ks {
		drive(t, m, keys(k))
	}
}

func typeText(t *testing.T, m *Model, s string) {
	t.Helper()
	for _, r := range s {
		drive(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

// world is a small network: ann follows bob; bob and cat have posts.
func world(t *testing.T, st *store.Store) (ann, bob, cat store.User) {
	ann = storetest.MustUser(t, st, "ann")
	bob = storetest.MustUser(t, st, "bob")
	cat = storetest.MustUser(t, st, "cat")
	storetest.MustPost(t, st, bob.ID, "bob's first post", 0)
	storetest.MustPost(t, st, cat.ID, "cat's first post", 0)
	if _, _, err := st.Follow(ctx, ann.ID, bob.ID); err != nil {
		t.Fatal(err)
	}
	return
}

func keysBackspace() tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyBackspace} }
