package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
)

// TestSearch walks docs/API.md §3c's search: matching, from=, paging with
// the query kept, and the refusals (422) of a query out of bounds.
func TestSearch(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann, bob := a.register("ann"), a.register("bob")
		for i := range 3 {
			a.createPost(t, ann, fmt.Sprintf("good morning coffee %d", i), nil)
		}
		a.createPost(t, bob, "Good MORNING tea", nil)
		a.createPost(t, bob, "café au lait", nil)

		var posts []store.Post
		a.do("GET", "/search/posts/?q="+url.QueryEscape(`"good morning" -tea`), nil, "").json(t, &posts)
		if len(posts) != 3 || posts[0].Text != "good morning coffee 2" {
			t.Fatalf("phrase minus tea: %+v", posts)
		}
		a.do("GET", "/search/posts/?q=morning&from=bob", nil, "").json(t, &posts)
		if len(posts) != 1 || posts[0].Username != "bob" {
			t.Fatalf("from bob: %+v", posts)
		}
		a.do("GET", "/search/posts/?q="+url.QueryEscape("café"), nil, ann).json(t, &posts)
		if len(posts) != 1 {
			t.Fatalf("café: %+v", posts)
		}
		r := a.do("GET", "/search/posts/?q=coffee&limit=2", nil, "")
		r.json(t, &posts)
		link := r.header.Get("Link")
		if len(posts) != 2 || !strings.Contains(link, "q=coffee") || !strings.Contains(link, "cursor=") {
			t.Fatalf("page one: %d %q", len(posts), link)
		}
		next := link[strings.Index(link, "<")+1 : strings.Index(link, ">")]
		a.do("GET", next, nil, "").json(t, &posts)
		if len(posts) != 1 || posts[0].Text != "good morning coffee 0" {
			t.Fatalf("page two: %+v", posts)
		}
		var users []store.User
		a.do("GET", "/search/users/?q=AN", nil, "").json(t, &users)
		if len(users) != 1 || users[0].Username != "ann" {
			t.Fatalf("users: %+v", users)
		}
		for _, bad := range []string{"", "?q=", "?q=" + strings.Repeat("x", store.MaxSearchLen+1), "?q=%20%20", "?q=x&limit=0", "?q=x&cursor=abc"} {
			expect(t, "posts "+bad, a.do("GET", "/search/posts/"+bad, nil, ""), 422, "")
			expect(t, "users "+bad, a.do("GET", "/search/users/"+bad, nil, ""), 422, "")
		}
		// A query is never an error for its syntax.
		for _, odd := range []string{`"`, `-`, `a & | ! ( ) : *`, `'; DROP TABLE post; --`, `NEAR(a b)`, `"a" NOT`} {
			expect(t, odd, a.do("GET", "/search/posts/?q="+url.QueryEscape(odd), nil, ""), 200, "")
		}
		expect(t, "a bad token", a.do("GET", "/search/posts/?q=x", nil, "nope"), 401, "")
	})
}
