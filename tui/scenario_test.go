package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// program runs the TUI in Bubble Tea's real runtime on a virtual terminal.
type program struct {
	t  *testing.T
	tm *teatest.TestModel
}

// snapshot asks the running program for its screen as text.
type snapshot chan string

// probe is the TUI plus one message, snapshot, answered inside the
// program's loop: reading the model from the test's goroutine would race
// with it, and Bubble Tea v2 writes only the cells that changed, so the
// terminal's byte stream does not hold the screen's text in one piece.
type probe struct{ *Model }

func (p probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s, ok := msg.(snapshot); ok {
		s <- view(p.Model)
		return p, nil
	}
	_, cmd := p.Model.Update(msg)
	return p, cmd
}

func startProgram(t *testing.T, st *store.Store, as string) *program {
	m := New(Options{Store: st, As: as, PageSize: 10})
	tm := teatest.NewTestModel(t, probe{m}, teatest.WithInitialTermSize(100, 40))
	t.Cleanup(func() { tm.Quit() })
	return &program{t: t, tm: tm}
}

// waitFor waits until the screen shows s.
func (p *program) waitFor(s string) {
	p.t.Helper()
	last := ""
	eventually.True(p.t, 0, func() bool {
		ch := make(snapshot, 1)
		p.tm.Send(ch)
		select {
		case last = <-ch:
		case <-time.After(time.Second):
		}
		return strings.Contains(last, s)
	}, "the screen never showed %q; last:\n%s", s, eventually.Lazy(func() string { return last }))
}

func (p *program) key(k string) { p.tm.Send(keys(k)) }

func (p *program) typ(s string) { p.tm.Type(s) }

func (p *program) model() *Model {
	p.tm.Quit()
	return p.tm.FinalModel(p.t, teatest.WithFinalTimeout(5*time.Second)).(probe).Model
}

func TestScenarioLoginPostReachesMineAndFollowersHome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, bob, _ := world(t, st)
		if _, _, err := st.Follow(ctx, bob.ID, ann.ID); err != nil {
			t.Fatal(err)
		}
		p := startProgram(t, st, "")
		p.waitFor("sign in")
		p.typ("ann")
		p.key("enter")
		p.typ("password1")
		p.key("enter")
		p.waitFor("Signed in as ann")
		p.typ("n")
		p.waitFor("New post")
		p.typ("a post from the scenario")
		p.key("ctrl+s")
		p.waitFor("Posted")
		p.typ("3")
		p.waitFor("a post from the scenario")
		m := p.model()
		if got := m.feeds[tabMine].items; len(got) == 0 || got[0].Text != "a post from the scenario" {
			t.Fatalf("not first in Mine: %+v", got)
		}
		// bob follows ann: it is first in bob's Home
		q := startProgram(t, st, "bob")
		q.waitFor("a post from the scenario")
		if home := q.model().feeds[tabHome].items; home[0].Text != "a post from the scenario" {
			t.Fatalf("bob's Home: %+v", home)
		}
	})
}

func TestScenarioLikeTogglesCountAndStore(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, _, _ := world(t, st)
		p := startProgram(t, st, "ann")
		p.waitFor("bob's first post")
		p.typ("l")
		p.waitFor("♥ 1 ✓")
		var liked store.Post
		eventually.Poll(5*time.Second, func() bool { liked, _ = st.GetPost(ctx, 1, ann.ID); return liked.Liked })
		if !liked.Liked || liked.Likes != 1 {
			t.Fatalf("store after like: %+v", liked)
		}
		p.typ("l")
		p.waitFor("♥ 0  ↩") // shown at once, written meanwhile
		p.typ("q")          // waits for the write, then quits
		m := p.tm.FinalModel(p.t, teatest.WithFinalTimeout(5*time.Second)).(probe).Model
		if m.feeds[tabHome].items[0].Likes != 0 {
			t.Fatal("count did not go back")
		}
		if got, _ := st.GetPost(ctx, 1, ann.ID); got.Liked || got.Likes != 0 {
			t.Fatalf("store after unlike: %+v", got)
		}
	})
}

func TestScenarioFollowFromProfileChangesHome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		world(t, st)
		p := startProgram(t, st, "ann")
		p.waitFor("bob's first post")
		p.typ("5")
		p.waitFor("cat")
		p.typ("/")
		p.typ("cat")
		p.waitFor("0 followers · 0 following") // cat's row, the filter's answer
		p.key("enter")
		p.key("enter")
		p.waitFor("not following")
		p.typ("f")
		p.waitFor("You now follow cat")
		p.key("esc")
		p.typ("1")
		p.waitFor("cat's first post")
		m := p.model()
		found := false
		for _, it := range m.feeds[tabHome].items {
			found = found || it.Text == "cat's first post"
		}
		if !found {
			t.Fatal("Home does not show cat after following")
		}
	})
}

func TestScenarioDeleteMyPost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, _, _ := world(t, st)
		storetest.MustPost(t, st, ann.ID, "a post to delete", 0)
		p := startProgram(t, st, "ann")
		p.waitFor("Signed in as ann")
		p.typ("3")
		p.waitFor("a post to delete")
		p.typ("d")
		p.waitFor("will be deleted")
		p.typ("y")
		p.waitFor("Deleted")
		m := p.model()
		if len(m.feeds[tabMine].items) != 0 {
			t.Fatalf("still in Mine: %+v", m.feeds[tabMine].items)
		}
		if _, err := st.GetPost(ctx, 3, 0); err == nil {
			t.Fatal("still in the store")
		}
	})
}

func TestScenarioLivePostFromAnotherWriter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, bob, _ := world(t, st)
		p := startProgram(t, st, "ann")
		p.waitFor("Signed in as ann")
		p.typ("2")
		p.waitFor("cat's first post")                                   // read after the streams' start: no pause needed
		storetest.MustPost(t, st, bob.ID, "written elsewhere, live", 0) // as the CLI or the API would
		began := time.Now()
		p.waitFor("written elsewhere, live")
		t.Logf("shown %s after it was written", time.Since(began).Round(time.Millisecond))
		m := p.model()
		if m.feeds[tabEveryone].items[0].Text != "written elsewhere, live" {
			t.Fatalf("not at the top: %+v", m.feeds[tabEveryone].items[0])
		}
	})
}
