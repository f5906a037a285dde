package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
)

// TestExportMe: GET /user/me/export/ is one JSON document with every
// section, the member's email among it, and lists longer than a page of
// the store's whole (the document schema is checked by every request).
func TestExportMe(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newCommunity(t, a)
		for i := range 520 { // past a page of the export's reads (500)
			if _, err := a.st.CreatePost(ctx, c.id["bob"], fmt.Sprintf("bob's post %d", i), nil); err != nil {
				t.Fatal(err)
			}
		}
		first := a.createPost(t, c.tok["ann"], "ann writes", nil)
		expect(t, "bob likes", a.do("POST", fmt.Sprintf("/post/%d/like/", first), nil, c.tok["bob"]), 201, "")
		expect(t, "bob follows ann", a.do("POST", fmt.Sprintf("/user/follow/%d/", c.id["ann"]), nil, c.tok["bob"]), 201, "")
		expect(t, "cat follows bob", a.do("POST", fmt.Sprintf("/user/follow/%d/", c.id["bob"]), nil, c.tok["cat"]), 201, "")
		expect(t, "bob blocks mo", a.do("POST", fmt.Sprintf("/user/block/%d/", c.id["mo"]), nil, c.tok["bob"]), 201, "")
		expect(t, "without a token", a.do("GET", "/user/me/export/", nil, ""), 401, "")
		r := a.do("GET", "/user/me/export/", nil, c.tok["bob"])
		expect(t, "export", r, 200, "")
		if !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
			t.Errorf("Content-Disposition %q", r.header.Get("Content-Disposition"))
		}
		var doc struct {
			User          store.Me             `json:"user"`
			Posts         []store.Post         `json:"posts"`
			Following     []store.User         `json:"following"`
			Followers     []store.User         `json:"followers"`
			Likes         []store.Post         `json:"likes"`
			Blocks        []store.User         `json:"blocks"`
			Mutes         []store.User         `json:"mutes"`
			Notifications []store.Notification `json:"notifications"`
		}
		if err := json.Unmarshal(r.body, &doc); err != nil {
			t.Fatalf("not one JSON document: %v", err)
		}
		if doc.User.Email != "bob@example.com" || len(doc.Posts) != 520 || doc.Posts[0].Text != "bob's post 0" ||
			len(doc.Following) != 1 || len(doc.Followers) != 1 || len(doc.Likes) != 1 || len(doc.Blocks) != 1 || doc.Mutes == nil {
			t.Fatalf("export: user %+v, %d posts, %d following, %d followers, %d likes, %d blocks, mutes %v",
				doc.User, len(doc.Posts), len(doc.Following), len(doc.Followers), len(doc.Likes), len(doc.Blocks), doc.Mutes)
		}
		if len(doc.Notifications) != 1 || doc.Notifications[0].Type != store.NotifyFollow {
			t.Fatalf("notifications %+v", doc.Notifications)
		}
	})
}

// TestDeleteMe: DELETE /user/me/ needs the password; with it the account
// and all that is theirs go, their tokens and streams end at once.
func TestDeleteMe(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newCommunity(t, a)
		post := a.createPost(t, c.tok["bob"], "bob's", nil)
		expect(t, "cat likes bob's", a.do("POST", fmt.Sprintf("/post/%d/like/", post), nil, c.tok["cat"]), 201, "")
		home := a.stream("/stream/home/", c.tok["bob"])
		home.line()
		expect(t, "no password", a.do("DELETE", "/user/me/", map[string]any{}, c.tok["bob"]), 422, "")
		expect(t, "a wrong password", a.do("DELETE", "/user/me/", map[string]any{"password": "nope"}, c.tok["bob"]), 400, `{"detail":"Incorrect password"}`)
		expect(t, "still there", a.do("GET", "/user/bob/", nil, ""), 200, "")
		expect(t, "leave", a.do("DELETE", "/user/me/", map[string]any{"password": "password1"}, c.tok["bob"]), 204, "")
		expect(t, "gone", a.do("GET", "/user/bob/", nil, ""), 404, "")
		expect(t, "the post is gone", a.do("GET", fmt.Sprintf("/post/%d/", post), nil, ""), 404, "")
		expect(t, "the token", a.do("GET", "/user/me/", nil, c.tok["bob"]), 401, "")
		if !home.ended(10 * time.Second) {
			t.Fatal("bob's stream outlived his account")
		}
		if n := storeCount(t, a, `"like"`); n != 0 {
			t.Errorf("%d likes left", n)
		}
		expect(t, "the name is free", a.do("POST", "/user/", map[string]any{"email": "bob2@example.com", "username": "bob", "password": "password1"}, ""), 201, "")
	})
}
