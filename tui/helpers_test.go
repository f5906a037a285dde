package tui

import (
	"context"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

var ctx = context.Background()

// view is the screen as text, without the styles' escape sequences.
func view(m *Model) string { return ansi.Strip(m.draw()) }

// newTestModel makes a model on st, 100×40.
func newTestModel(st *store.Store, as string) *Model {
	m := New(Options{Store: st, As: as, PageSize: 5})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 40})
	return m
}

// untilView applies the live events as they arrive until the screen
// satisfies ok, failing after 10 s: nothing polls, so what changes the
// screen is the events alone.
func untilView(t *testing.T, m *Model, what string, ok func(string) bool) {
	t.Helper()
	eventually.True(t, 0, func() bool {
		drive(t, m, eventsReady{})
		return ok(view(m))
	}, "%s: never:\n%s", what, eventually.Lazy(func() string { return view(m) }))
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

// waiting are the commands that wait on time or on the live events, by
// their function's name: drive drops them (untilView feeds the events).
// Every other command is a store call, whose answer drive waits for, however
// slow the machine: dropping a slow one lost answers on a busy machine.
var waiting = []string{
	"charm.land/bubbletea/v2.Tick.",
	"charm.land/bubbles/v2/cursor.",
	".(*live).wait.",
}

func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	name := runtime.FuncForPC(reflect.ValueOf(cmd).Pointer()).Name()
	for _, w := range waiting {
		if strings.Contains(name, w) {
			return nil
		}
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		if msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	case <-time.After(time.Minute):
		panic("a command of the TUI's did not answer in a minute: " + name)
	}
}

// keys is one key press as the terminal reports it: a named key, ctrl+s, or
// text (several characters at once, as a paste).
func keys(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "ctrl+s":
		return tea.KeyPressMsg{Code: 's', Mod: tea.ModCtrl}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	}
	r := []rune(s)
	return tea.KeyPressMsg{Code: r[0], Text: s}
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
		drive(t, m, keys(string(r)))
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
