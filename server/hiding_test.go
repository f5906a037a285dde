package server_test

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
)

// The surface table of docs/API.md §3c: what a member hides is absent from
// every read the API makes for them. The routes come from the served
// OpenAPI document, which the route table writes: a new read of posts or
// users fails here until it hides what it must (or is named below).

// hidingCast is the people of the table: ann blocked bob, cat muted dan,
// eve is the bystander everyone's content meets.
type hidingCast struct {
	tok  map[string]string
	id   map[string]int64
	post map[string]int64 // each one's top-level post
	root int64            // eve's post, which everyone replies to
}

// hidingPairs are (viewer, hidden) pairs: whom each viewer must not see.
var hidingPairs = []struct {
	viewer, hidden string
	people         bool // a block hides people too; a mute only posts
}{
	{"ann", "bob", true}, {"bob", "ann", true}, {"cat", "dan", false},
}

// notHiding are the reads that list whom the caller hides, by design.
var notHiding = map[string]string{
	"/user/me/blocks/": "lists whom I blocked",
	"/user/me/mutes/":  "lists whom I muted",
	"/user/me/":        "is the caller themself",
}

func newHidingCast(t *testing.T, a *api) hidingCast {
	c := hidingCast{tok: map[string]string{}, id: map[string]int64{}, post: map[string]int64{}}
	for _, n := range []string{"ann", "bob", "cat", "dan", "eve"} {
		c.tok[n] = a.register(n)
		var me store.Me
		a.do("GET", "/user/me/", nil, c.tok[n]).json(t, &me)
		c.id[n] = me.ID
	}
	c.root = a.createPost(t, c.tok["eve"], "eve's root", nil)
	for _, n := range []string{"ann", "bob", "cat", "dan"} {
		c.post[n] = a.createPost(t, c.tok[n], n+" writes", nil)
		a.createPost(t, c.tok[n], n+" replies to eve", &c.root)
		expect(t, "like", a.do("POST", fmt.Sprintf("/post/%d/like/", c.post[n]), nil, c.tok["eve"]), 201, "")
	}
	// Everyone follows everyone, and eve likes every post: each list has
	// the hidden member in it before the blocks and mutes.
	for n := range c.id {
		for m := range c.id {
			if m != n {
				expect(t, "follow", a.do("POST", fmt.Sprintf("/user/follow/%d/", c.id[n]), nil, c.tok[m]), 201, "")
			}
		}
	}
	expect(t, "block", a.do("POST", fmt.Sprintf("/user/block/%d/", c.id["bob"]), nil, c.tok["ann"]), 201, "")
	expect(t, "mute", a.do("POST", fmt.Sprintf("/user/mute/%d/", c.id["dan"]), nil, c.tok["cat"]), 201, "")
	return c
}

func (a *api) createPost(t *testing.T, tok, text string, parent *int64) int64 {
	t.Helper()
	r := a.do("POST", "/post/", map[string]any{"text": text, "parent_id": parent}, tok)
	expect(t, "post", r, 201, "")
	var p store.Post
	r.json(t, &p)
	return p.ID
}

// readRoutes are the document's GET routes that answer posts, users or
// notifications (their actors: everyone follows everyone before the blocks
// and mutes, so every hidden member notified every viewer).
func readRoutes(t *testing.T, a *api) (lists, streams []string) {
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
	}
	a.do("GET", "/openapi.json", nil, "").json(t, &doc)
	for path, ops := range doc.Paths {
		get, ok := ops["get"]
		if !ok || notHiding[path] != "" {
			continue
		}
		ok200 := string(get.Responses["200"])
		switch {
		case strings.Contains(ok200, "text/event-stream"):
			streams = append(streams, path)
		case strings.Contains(ok200, "#/components/schemas/Post") || strings.Contains(ok200, "#/components/schemas/User") ||
			strings.Contains(ok200, "#/components/schemas/Notification"):
			lists = append(lists, path)
		}
	}
	sort.Strings(lists)
	sort.Strings(streams)
	return lists, streams
}

// fills are the ways a route's path is filled in for a pair: the hidden
// member's own things, and the bystander's, which hold theirs.
func (c hidingCast) fills(t *testing.T, path, hidden string) []string {
	names := []string{hidden, "eve"}
	posts := []int64{c.post[hidden], c.root}
	var out []string
	for i := range names {
		p := strings.ReplaceAll(path, "{username}", names[i])
		p = strings.ReplaceAll(p, "{post_id}", fmt.Sprint(posts[i]))
		switch p {
		case "/search/posts/":
			p += "?q=writes" // every member's post says it
		case "/search/users/":
			p += "?q=" + names[i]
		}
		if strings.Contains(p, "{") {
			t.Fatalf("%s: the table does not know how to fill %s: teach it (hiding_test.go)", path, p)
		}
		out = append(out, p)
	}
	return out
}

// shows reports whether a JSON body names user (as a post's author or as
// a user).
func shows(t *testing.T, body []byte, user string) bool {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("not JSON: %q", body)
	}
	var walk func(v any) bool
	walk = func(v any) bool {
		switch v := v.(type) {
		case map[string]any:
			if v["username"] == user {
				return true
			}
			for _, x := range v {
				if walk(x) {
					return true
				}
			}
		case []any:
			for _, x := range v {
				if walk(x) {
					return true
				}
			}
		}
		return false
	}
	return walk(v)
}

func TestEveryReadHidesWhatTheViewerHides(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newHidingCast(t, a)
		lists, _ := readRoutes(t, a)
		if len(lists) < 10 {
			t.Fatalf("only %d read routes found in the document: %v", len(lists), lists)
		}
		for _, route := range lists {
			exercised := false
			for _, pair := range hidingPairs {
				for _, path := range c.fills(t, route, pair.hidden) {
					if (strings.Contains(path, "/user/") && !strings.HasPrefix(path, "/user/timeline/") || strings.HasPrefix(path, "/search/users/")) &&
						!pair.people && !strings.HasPrefix(path, "/post/") {
						// A mute hides posts, not people: lists of users
						// and profiles still show the muted member.
						continue
					}
					// The bystander sees the hidden member here: the route
					// and its filling reach them.
					if r := a.do("GET", path, nil, c.tok["eve"]); r.status == 200 && shows(t, r.body, pair.hidden) {
						exercised = true
					}
					r := a.do("GET", path, nil, c.tok[pair.viewer])
					if route == "/user/{username}/" && path == "/user/"+pair.hidden+"/" && pair.viewer == "ann" {
						// The blocker opens whom they blocked, to undo it.
						if r.status != 200 || !strings.Contains(string(r.body), `"blocked":true`) {
							t.Errorf("ann opens bob's profile: %d %s", r.status, r.body)
						}
						continue
					}
					if route == "/post/{post_id}/" && path == fmt.Sprintf("/post/%d/", c.post[pair.hidden]) && !pair.people {
						// A muted member's post opened by its id (a link, a
						// notification) is shown: a mute hides lists.
						expect(t, "a muted member's post opened", r, 200, "")
						continue
					}
					if r.status == 200 && shows(t, r.body, pair.hidden) {
						t.Errorf("GET %s as %s shows %s: %s", path, pair.viewer, pair.hidden, r.body)
					}
				}
			}
			if !exercised {
				t.Errorf("GET %s never showed a hidden member to the bystander: the table does not exercise it", route)
			}
		}
	})
}

// TestEveryStreamHidesWhatTheViewerHides opens every stream of the document
// as a viewer, has the hidden member write, lifts the block or mute, and
// has them write again: the first of theirs the stream carries must be the
// second. One stream's events come in order, so the first was passed over.
func TestEveryStreamHidesWhatTheViewerHides(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newHidingCast(t, a)
		_, streams := readRoutes(t, a)
		if len(streams) < 4 {
			t.Fatalf("only %d streams found in the document: %v", len(streams), streams)
		}
		relation := map[string]string{"bob": "block", "ann": "block", "dan": "mute"}
		owner := map[string]string{"bob": "ann", "ann": "ann", "dan": "cat"} // who made it
		done := map[string]bool{}
		for _, route := range streams {
			for _, pair := range hidingPairs {
				for _, path := range c.fills(t, route, pair.hidden) {
					if pair.viewer == "bob" && path != route {
						continue // ann's things are not found for bob (TestBlockedMemberMeetsNotFound)
					}
					if path == fmt.Sprintf("/stream/post/%d/", c.post[pair.hidden]) {
						// Their own post's stream: its replies are not theirs.
						// Across a block it is not found, as the post is.
						if pair.people {
							expect(t, path+" across a block", a.do("GET", path, nil, c.tok[pair.viewer]), 404, "")
						}
						continue
					}
					if path == "/stream/user/eve/" || (path == route && done[path+pair.viewer]) {
						continue // eve's stream carries only eve's; a path without parameters once
					}
					done[path+pair.viewer] = true
					if route == "/stream/home/" && pair.people {
						// A block ends the follows both ways, and a home
						// stream carries whom its reader followed when it
						// opened: no marker could come (the mute's pair
						// tests the home stream's filter).
						continue
					}
					other := map[string]string{"ann": "bob", "bob": "ann", "cat": "dan"}[owner[pair.hidden]]
					rel := fmt.Sprintf("/user/%s/%d/", relation[pair.hidden], c.id[other])
					s := a.stream(path+"?include_replies=true", c.tok[pair.viewer])
					a.createPost(t, c.tok[pair.hidden], "hidden while "+relation[pair.hidden]+"ed", nil)
					a.createPost(t, c.tok[pair.hidden], "hidden reply", &c.root)
					expect(t, "lift", a.do("DELETE", rel, nil, c.tok[owner[pair.hidden]]), 204, "")
					a.do("POST", fmt.Sprintf("/user/follow/%d/", c.id[pair.hidden]), nil, c.tok[pair.viewer])
					a.createPost(t, c.tok[pair.hidden], "seen after", &c.root)
					a.createPost(t, c.tok[pair.hidden], "seen after", nil)
					for {
						e := s.next()
						if e.name != "post" || !strings.Contains(e.data, `"username":"`+pair.hidden+`"`) {
							continue
						}
						if !strings.Contains(e.data, "seen after") {
							t.Errorf("%s as %s carried %s's %s", path, pair.viewer, pair.hidden, e.data)
						}
						break
					}
					s.cancel()
					// The relation again, for the next route.
					expect(t, "again", a.do("POST", rel, nil, c.tok[owner[pair.hidden]]), 201, "")
				}
			}
		}
	})
}
