package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// The TUI's part of the surface table (docs/API.md §3c): every tab (all of
// tabNames: a new tab is in the table at once) and the screens that list
// posts — a thread, a search — show none of whom the member hides, while
// the bystander sees them there.
func TestEveryTUIViewHidesWhatTheViewerHides(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		id := map[string]int64{}
		names := []string{"ann", "bob", "cat", "dan", "eve"}
		for _, n := range names {
			id[n] = storetest.MustUser(t, st, n).ID
		}
		root := storetest.MustPost(t, st, id["eve"], "eve's root", 0)
		posts := map[string]int64{}
		for _, n := range names[:4] {
			posts[n] = storetest.MustPost(t, st, id[n], n+" writes", 0).ID
			storetest.MustPost(t, st, id[n], n+" replies to eve", root.ID)
		}
		// eve's followers in this order: her grouped follows name the
		// newest three, bob and dan among them.
		for _, n := range []string{"ann", "cat", "bob", "dan"} {
			for _, m := range names {
				if n != m {
					mustFollowT(t, st, id[n], id[m])
				}
			}
		}
		mustFollowT(t, st, id["eve"], id["ann"])
		mustFollowT(t, st, id["eve"], id["bob"])
		mustFollowT(t, st, id["eve"], id["cat"])
		mustFollowT(t, st, id["eve"], id["dan"])
		for _, n := range names[:4] {
			if _, _, err := st.Like(ctx, id["eve"], posts[n]); err != nil {
				t.Fatal(err)
			}
		}
		for _, l := range [][2]string{{"ann", "bob"}, {"cat", "dan"}} {
			if _, _, err := st.Like(ctx, id[l[0]], posts[l[1]]); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := st.Block(ctx, id["ann"], id["bob"]); err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.Mute(ctx, id["cat"], id["dan"], true); err != nil {
			t.Fatal(err)
		}
		type surface struct {
			name   string
			open   func(m *Model)
			people bool // a mute hides posts, not people
			mine   bool // only the member's own: nobody else's shows to anyone
		}
		var surfaces []surface
		for i, name := range tabNames {
			surfaces = append(surfaces, surface{name: name, open: func(m *Model) { press(t, m, fmt.Sprint(i+1)) },
				people: i == tabPeople, mine: i == tabMine})
		}
		surfaces = append(surfaces,
			surface{name: "thread", open: func(m *Model) { drive(t, m, m.push(newThread(m, root.ID))()) }},
			surface{name: "search", open: func(m *Model) { press(t, m, "1", "/"); typeText(t, m, "writes"); press(t, m, "enter") }})
		look := func(who string, s surface) string {
			m := newTestModel(st, who)
			m.Update(tea.WindowSizeMsg{Width: 160, Height: 80})
			drive(t, m, m.Init()())
			s.open(m)
			return view(m)
		}
		for _, s := range surfaces {
			exercised := false
			for _, pair := range [][2]string{{"ann", "bob"}, {"bob", "ann"}, {"cat", "dan"}} {
				if s.people && pair[0] == "cat" {
					continue
				}
				if strings.Contains(look("eve", s), pair[1]) {
					exercised = true
				}
				if v := look(pair[0], s); strings.Contains(v, pair[1]) {
					t.Errorf("%s as %s shows %s:\n%s", s.name, pair[0], pair[1], v)
				}
			}
			if !exercised && !s.mine {
				t.Errorf("%s never showed a hidden member to the bystander: the table does not exercise it", s.name)
			}
		}
		// A suspension (docs/API.md §3d): dan leaves every view of eve's
		// that showed him.
		shown := map[string]bool{}
		for _, s := range surfaces {
			shown[s.name] = strings.Contains(look("eve", s), "dan")
		}
		if _, err := st.Suspend(ctx, store.AsOperator("test"), id["dan"], "spam"); err != nil {
			t.Fatal(err)
		}
		for _, s := range surfaces {
			if !shown[s.name] && !s.mine {
				t.Errorf("%s never showed dan to eve: the table does not exercise the suspension", s.name)
			}
			if v := look("eve", s); strings.Contains(v, "dan") {
				t.Errorf("%s as eve shows suspended dan:\n%s", s.name, v)
			}
		}
	})
}
