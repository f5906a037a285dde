package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
)

// TestBlocksAndMutes walks docs/API.md §3c's rules for blocks and mutes.
func TestBlocksAndMutes(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann, bob, cat := a.register("ann"), a.register("bob"), a.register("cat")
		id := map[string]int64{}
		for n, tok := range map[string]string{"ann": ann, "bob": bob, "cat": cat} {
			var me store.Me
			a.do("GET", "/user/me/", nil, tok).json(t, &me)
			id[n] = me.ID
		}
		annPost := a.createPost(t, ann, "ann's", nil)
		expect(t, "bob follows ann", a.do("POST", fmt.Sprintf("/user/follow/%d/", id["ann"]), nil, bob), 201, "")
		expect(t, "ann follows bob", a.do("POST", fmt.Sprintf("/user/follow/%d/", id["bob"]), nil, ann), 201, "")

		block := fmt.Sprintf("/user/block/%d/", id["bob"])
		expect(t, "block yourself", a.do("POST", fmt.Sprintf("/user/block/%d/", id["ann"]), nil, ann), 400, `{"detail":"You cannot block yourself"}`)
		expect(t, "block nobody", a.do("POST", "/user/block/999999/", nil, ann), 404, `{"detail":"User not found"}`)
		expect(t, "block without a token", a.do("POST", block, nil, ""), 401, "")
		first := a.do("POST", block, nil, ann)
		expect(t, "block", first, 201, "")
		again := a.do("POST", block, nil, ann)
		expect(t, "block again", again, 200, string(first.body))
		if n := storeCount(t, a, "block"); n != 1 {
			t.Errorf("%d block rows, want 1", n)
		}
		// The follows both ways ended.
		for _, who := range []string{"ann", "bob"} {
			var u store.User
			a.do("GET", "/user/"+who+"/", nil, "").json(t, &u)
			if u.Followers != 0 || u.Following != 0 {
				t.Errorf("%s after the block: %+v", who, u)
			}
		}
		// The blocked member meets not found.
		expect(t, "bob follows ann", a.do("POST", fmt.Sprintf("/user/follow/%d/", id["ann"]), nil, bob), 404, `{"detail":"User not found"}`)
		expect(t, "bob likes ann's", a.do("POST", fmt.Sprintf("/post/%d/like/", annPost), nil, bob), 404, `{"detail":"Post not found"}`)
		r := a.do("POST", "/post/", map[string]any{"text": "hi", "parent_id": annPost}, bob)
		expect(t, "bob replies to ann", r, 404, `{"detail":"Parent post not found"}`)
		expect(t, "bob opens ann's post", a.do("GET", fmt.Sprintf("/post/%d/", annPost), nil, bob), 404, "")
		expect(t, "bob opens ann's profile", a.do("GET", "/user/ann/", nil, bob), 404, `{"detail":"User not found"}`)
		expect(t, "anyone opens ann's post", a.do("GET", fmt.Sprintf("/post/%d/", annPost), nil, ""), 200, "")
		var seen map[string]any
		a.do("GET", "/user/bob/", nil, ann).json(t, &seen)
		if seen["blocked"] != true || seen["following"] != false || seen["muted"] != false {
			t.Errorf("ann sees bob as %v", seen)
		}
		var blocks []store.User
		a.do("GET", "/user/me/blocks/", nil, ann).json(t, &blocks)
		if len(blocks) != 1 || blocks[0].Username != "bob" {
			t.Errorf("ann's blocks: %+v", blocks)
		}
		expect(t, "unblock", a.do("DELETE", block, nil, ann), 204, "")
		expect(t, "unblock again", a.do("DELETE", block, nil, ann), 204, "")
		expect(t, "bob likes ann's after", a.do("POST", fmt.Sprintf("/post/%d/like/", annPost), nil, bob), 201, "")

		// A mute: one-sided and silent, notifications by default.
		mute := fmt.Sprintf("/user/mute/%d/", id["cat"])
		r = a.do("POST", mute, nil, ann)
		expect(t, "mute", r, 201, "")
		if !strings.Contains(string(r.body), `"notifications":true`) {
			t.Errorf("a mute without a body: %s", r.body)
		}
		r = a.do("POST", mute, `{"notifications": false}`, ann)
		expect(t, "mute again, keeping notifications", r, 200, "")
		if !strings.Contains(string(r.body), `"notifications":false`) {
			t.Errorf("mute again: %s", r.body)
		}
		expect(t, "mute with a bad body", a.do("POST", mute, `{"notifications": "maybe"}`, ann), 422, "")
		expect(t, "mute yourself", a.do("POST", fmt.Sprintf("/user/mute/%d/", id["ann"]), nil, ann), 400, `{"detail":"You cannot mute yourself"}`)
		expect(t, "cat still follows ann", a.do("POST", fmt.Sprintf("/user/follow/%d/", id["ann"]), nil, cat), 201, "")
		expect(t, "cat still likes ann's", a.do("POST", fmt.Sprintf("/post/%d/like/", annPost), nil, cat), 201, "")
		var mutes []store.User
		a.do("GET", "/user/me/mutes/", nil, ann).json(t, &mutes)
		if len(mutes) != 1 || mutes[0].Username != "cat" {
			t.Errorf("ann's mutes: %+v", mutes)
		}
		expect(t, "unmute", a.do("DELETE", mute, nil, ann), 204, "")
		a.do("GET", "/user/me/mutes/", nil, ann).json(t, &mutes)
		if len(mutes) != 0 {
			t.Errorf("ann's mutes after unmute: %+v", mutes)
		}
		expect(t, "a token that does not verify on a public read", a.do("GET", "/post/", nil, "not-a-token"), 401, "")
	})
}

// storeCount counts a table's rows.
func storeCount(t *testing.T, a *api, table string) int {
	t.Helper()
	var n int
	if err := a.st.DB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
