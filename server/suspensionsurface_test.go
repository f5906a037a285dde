package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
)

// TestEveryReadHidesASuspendedMember: the surface table of docs/API.md §3d,
// on the routes the document lists (readRoutes). Dan is suspended: every
// read that showed him to eve, and to anyone, no longer does; a moderator
// still reads what they read before; lifting the suspension gives eve back
// every read as it was.
func TestEveryReadHidesASuspendedMember(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newHidingCast(t, a)
		mo := a.register("mo")
		var me store.Me
		a.do("GET", "/user/me/", nil, mo).json(t, &me)
		if _, err := a.st.SetRole(ctx, store.AsOperator("test"), me.ID, store.RoleModerator); err != nil {
			t.Fatal(err)
		}
		expect(t, "mo follows dan", a.do("POST", fmt.Sprintf("/user/follow/%d/", c.id["dan"]), nil, mo), 201, "")
		expect(t, "dan follows mo", a.do("POST", fmt.Sprintf("/user/follow/%d/", me.ID), nil, c.tok["dan"]), 201, "")
		lists, _ := readRoutes(t, a)
		readers := map[string]string{"eve": c.tok["eve"], "anyone": "", "mo": mo}
		// seen[reader][path]: the read shows dan.
		look := func() map[string]map[string]bool {
			seen := map[string]map[string]bool{}
			for who, tok := range readers {
				seen[who] = map[string]bool{}
				for _, route := range lists {
					for _, path := range c.fills(t, route, "dan") {
						r := a.do("GET", path, nil, tok)
						seen[who][path] = r.status == 200 && shows(t, r.body, "dan")
					}
				}
			}
			return seen
		}
		before := look()
		for _, route := range lists {
			shown := false
			for _, path := range c.fills(t, route, "dan") {
				shown = shown || before["eve"][path] || before["anyone"][path] || before["mo"][path]
			}
			if !shown {
				t.Errorf("GET %s never showed dan before his suspension: the table does not exercise it", route)
			}
		}
		expect(t, "suspend dan", a.do("POST", fmt.Sprintf("/admin/users/%d/suspend/", c.id["dan"]), map[string]any{"reason": "spam"}, mo), 200, "")
		during := look()
		for path, was := range before["mo"] {
			if was && !during["mo"][path] && !strings.HasPrefix(path, "/user/timeline/") {
				t.Errorf("GET %s: the moderator no longer sees dan", path)
			}
		}
		for _, who := range []string{"eve", "anyone"} {
			for path, shows := range during[who] {
				if shows {
					t.Errorf("GET %s as %s shows suspended dan", path, who)
				}
			}
		}
		expect(t, "lift it", a.do("DELETE", fmt.Sprintf("/admin/users/%d/suspend/", c.id["dan"]), nil, mo), 200, "")
		after := look()
		for _, who := range []string{"eve", "anyone", "mo"} {
			for path, was := range before[who] {
				if was != after[who][path] {
					t.Errorf("GET %s as %s: before %v, after the suspension was lifted %v", path, who, was, after[who][path])
				}
			}
		}
	})
}
