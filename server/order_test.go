package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
)

// TestPostListsTakeOrderDesc: GET /post/ and /post/user/{u}/ give the
// newest posts on the first page with order=desc, and their next links
// walk every post once, newest first; asc (the default) is unchanged; any
// other order is a 422 naming it.
func TestPostListsTakeOrderDesc(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann := a.register("ann")
		for i := range 7 {
			a.do("POST", "/post/", map[string]any{"text": fmt.Sprintf("post %d", i)}, ann)
		}
		a.do("POST", "/post/", map[string]any{"text": "a reply", "parent_id": 1}, ann)
		for path, want := range map[string][]int64{
			"/post/?order=desc&limit=3":                            {7, 6, 5, 4, 3, 2, 1},
			"/post/?order=DESC&limit=100":                          {7, 6, 5, 4, 3, 2, 1},
			"/post/?limit=3":                                       {1, 2, 3, 4, 5, 6, 7},
			"/post/?order=asc&limit=3":                             {1, 2, 3, 4, 5, 6, 7},
			"/post/user/ann/?order=desc&limit=2":                   {7, 6, 5, 4, 3, 2, 1},
			"/post/user/ann/?order=desc&include_replies=1&limit=2": {8, 7, 6, 5, 4, 3, 2, 1},
		} {
			if got := a.walk(path); !slices.Equal(got, want) {
				t.Errorf("%s walked %v, want %v", path, got, want)
			}
		}
		r := a.do("GET", "/post/?order=desc&limit=2", nil, "")
		var first []store.Post
		r.json(t, &first)
		if len(first) != 2 || first[0].Text != "post 6" {
			t.Errorf("the first page newest first: %+v", first)
		}
		expect(t, "a bad order", a.do("GET", "/post/?order=newest", nil, ""), 422, "")
		if r := a.do("GET", "/post/user/ann/?order=up", nil, ""); r.status != 422 || !strings.Contains(string(r.body), `"order"`) {
			t.Errorf("a bad order on a user's posts: %d %s", r.status, r.body)
		}
	})
}
