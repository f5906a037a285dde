package server_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
)

// TestNotifications walks docs/API.md §3c's notifications: what notifies,
// the lists, the count, marking read, the filters and their refusals, and
// the live event on the home stream.
func TestNotifications(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann, bob, cat := a.register("ann"), a.register("bob"), a.register("cat")
		id := map[string]int64{}
		for n, tok := range map[string]string{"ann": ann, "bob": bob, "cat": cat} {
			var me store.Me
			a.do("GET", "/user/me/", nil, tok).json(t, &me)
			id[n] = me.ID
		}
		home := a.stream("/stream/home/", ann)
		post := a.createPost(t, ann, "hello", nil)
		if e := home.next(); e.name != "post" {
			t.Fatalf("ann's own post first: %+v", e)
		}
		for _, tok := range []string{bob, cat} {
			expect(t, "like", a.do("POST", fmt.Sprintf("/post/%d/like/", post), nil, tok), 201, "")
		}
		// The like arrives live, as the list will show it.
		e := home.next("post.counts")
		var live store.Notification
		if err := json.Unmarshal([]byte(e.data), &live); e.name != "notification" || err != nil || live.Type != store.NotifyLike ||
			live.Actor.Username != "bob" || live.Post == nil || live.Post.ID != post || live.Read {
			t.Fatalf("live: %+v %v %+v", e, err, live)
		}
		expect(t, "follow", a.do("POST", fmt.Sprintf("/user/follow/%d/", id["ann"]), nil, bob), 201, "")
		reply := a.createPost(t, cat, "@ann @bob look", &post)

		var list []store.Notification
		a.do("GET", "/notifications/", nil, ann).json(t, &list)
		if kinds(list) != "reply:cat follow:bob like:cat like:bob" || list[0].Post.ID != reply || list[1].Post != nil {
			t.Fatalf("ann's list: %s", kinds(list))
		}
		a.do("GET", "/notifications/", nil, bob).json(t, &list)
		if kinds(list) != "mention:cat" {
			t.Fatalf("bob's list: %s", kinds(list))
		}
		var groups []store.NotificationGroup
		a.do("GET", "/notifications/grouped/", nil, ann).json(t, &groups)
		if len(groups) != 3 || groups[2].Key != fmt.Sprintf("like:%d", post) || groups[2].Count != 2 ||
			names(groups[2].Actors) != "[cat bob]" || groups[1].Key != "follow" {
			t.Fatalf("ann's groups: %+v", groups)
		}
		// Paged: the Link leads on, with the filter kept.
		r := a.do("GET", "/notifications/?types=like,follow&limit=2", nil, ann)
		r.json(t, &list)
		if kinds(list) != "follow:bob like:cat" || !strings.Contains(r.header.Get("Link"), "types=like%2Cfollow") {
			t.Fatalf("types, first page: %s %s", kinds(list), r.header.Get("Link"))
		}

		expect(t, "unread", a.do("GET", "/notifications/unread/", nil, ann), 200, `{"count":4}`)
		a.do("GET", "/notifications/", nil, ann).json(t, &list)
		expect(t, "read up to the follow", a.do("POST", "/notifications/read/", map[string]any{"up_to": list[1].ID}, ann), 204, "")
		expect(t, "unread after", a.do("GET", "/notifications/unread/", nil, ann), 200, `{"count":1}`)
		a.do("GET", "/notifications/?unread=true", nil, ann).json(t, &list)
		if kinds(list) != "reply:cat" {
			t.Fatalf("unread: %s", kinds(list))
		}
		expect(t, "read all", a.do("POST", "/notifications/read/", nil, ann), 204, "")
		expect(t, "none unread", a.do("GET", "/notifications/unread/", nil, ann), 200, `{"count":0}`)
		// Deleting the reply takes its notifications along.
		expect(t, "delete the reply", a.do("DELETE", fmt.Sprintf("/post/%d/", reply), nil, cat), 204, "")
		a.do("GET", "/notifications/", nil, bob).json(t, &list)
		if len(list) != 0 {
			t.Fatalf("bob's mention outlived its post: %s", kinds(list))
		}

		for _, bad := range []string{"types=like,poke", "types=", "unread=perhaps", "limit=0", "cursor=x"} {
			expect(t, bad, a.do("GET", "/notifications/?"+bad, nil, ann), 422, "")
			expect(t, bad, a.do("GET", "/notifications/grouped/?"+bad, nil, ann), 422, "")
		}
		for _, bad := range []string{`{"up_to":0}`, `{"up_to":"x"}`, `[1]`, `{"up_to":1`} {
			expect(t, bad, a.do("POST", "/notifications/read/", bad, ann), 422, "")
		}
		for _, path := range []string{"/notifications/", "/notifications/grouped/", "/notifications/unread/"} {
			expect(t, path+" without a token", a.do("GET", path, nil, ""), 401, "")
		}
		expect(t, "read without a token", a.do("POST", "/notifications/read/", nil, ""), 401, "")
	})
}

func kinds(ns []store.Notification) string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("%s:%s", n.Type, n.Actor.Username))
	}
	return strings.Join(out, " ")
}

func names(users []store.User) string {
	var out []string
	for _, u := range users {
		out = append(out, u.Username)
	}
	return fmt.Sprint(out)
}
