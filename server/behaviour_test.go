package server_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

var nextLink = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// walk follows Link rel="next" from path and returns the ids seen.
func (a *api) walk(path string) []int64 {
	a.t.Helper()
	var ids []int64
	for path != "" {
		r := a.do("GET", path, nil, "")
		if r.status != 200 {
			a.t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		var items []struct{ ID int64 }
		r.json(a.t, &items)
		for _, it := range items {
			ids = append(ids, it.ID)
		}
		path = ""
		if l := r.header.Get("Link"); l != "" {
			m := nextLink.FindStringSubmatch(l)
			if m == nil {
				a.t.Fatalf("bad Link header %q", l)
			}
			// A path, never built on the Host header (docs/API.md §1).
			u, err := url.Parse(m[1])
			if err != nil || u.Host != "" || !strings.HasPrefix(m[1], "/") {
				a.t.Fatalf("Link is not a path: %q", m[1])
			}
			path = u.RequestURI()
		}
	}
	return ids
}

func TestPaginationWalksEveryPostOnceWhileWriting(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		tok := a.register("ann")
		for i := range 25 {
			a.do("POST", "/post/", map[string]any{"text": fmt.Sprintf("post %d", i)}, tok)
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { // a writer posting all through the walk
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				a.do("POST", "/post/", map[string]any{"text": fmt.Sprintf("meanwhile %d", i)}, tok)
			}
		}()
		ids := a.walk("/post/?limit=4")
		close(stop)
		wg.Wait()
		seen := map[int64]bool{}
		for i, id := range ids {
			if seen[id] {
				t.Fatalf("post %d seen twice", id)
			}
			seen[id] = true
			if i > 0 && id <= ids[i-1] {
				t.Fatalf("out of order: %v", ids)
			}
		}
		for id := int64(1); id <= 25; id++ {
			if !seen[id] {
				t.Fatalf("post %d never seen", id)
			}
		}
		if r := a.do("GET", "/post/?limit=1000", nil, ""); r.header.Get("Link") != "" {
			t.Errorf("a last page has a Link header: %s", r.header.Get("Link"))
		}
	})
}

func TestEveryListPaginates(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann := a.register("ann")
		for i := range 5 {
			name := fmt.Sprintf("u%d", i)
			tok := a.register(name)
			a.do("POST", "/user/follow/1/", nil, tok)
			a.do("POST", fmt.Sprintf("/user/follow/%d/", i+2), nil, ann)
			a.do("POST", "/post/", map[string]any{"text": "hi " + name}, tok)
		}
		for i := range 5 {
			a.do("POST", "/post/", map[string]any{"text": fmt.Sprintf("ann %d", i)}, ann)
		}
		for id := 1; id <= 5; id++ {
			a.do("POST", fmt.Sprintf("/post/%d/like/", id), nil, ann)
		}
		for path, want := range map[string]int{
			"/user/?limit=2": 6, "/user/ann/followers/?limit=2": 5, "/user/ann/following/?limit=2": 5,
			"/post/?limit=3": 10, "/post/user/ann/?limit=2": 5, "/post/likes/ann/?limit=2": 5,
		} {
			ids := a.walk(path)
			seen := map[int64]bool{}
			for _, id := range ids {
				seen[id] = true
			}
			if len(ids) != want || len(seen) != want {
				t.Errorf("%s: walked %v, want %d distinct", path, ids, want)
			}
		}
		// the timeline needs auth: walk it by hand
		var got int
		path := "/user/timeline/?limit=2"
		for path != "" {
			r := a.do("GET", path, nil, ann)
			var items []any
			r.json(t, &items)
			got += len(items)
			path = ""
			if m := nextLink.FindStringSubmatch(r.header.Get("Link")); m != nil {
				u, _ := url.Parse(m[1])
				path = u.RequestURI()
			}
		}
		if got != 5 {
			t.Errorf("timeline walk saw %d posts, want 5", got)
		}
		expect(t, "bad cursor", a.do("GET", "/post/?cursor=zzz", nil, ""), 422, "")
	})
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel() // it mostly waits (a window, a token's life, a cluster): others run meanwhile
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st.WithLimits(store.Limits{Login: store.Rate{N: 3, Per: 2 * time.Second}}))
	storetest.MustUser(t, st, "ann") // not a.register, whose login would be an attempt
	bad := url.Values{"username": {"ann"}, "password": {"wrong-password"}}
	for i := range 3 {
		if r := a.do("POST", "/token", bad, ""); r.status != 401 {
			t.Fatalf("failure %d: %d", i, r.status)
		}
	}
	r := a.do("POST", "/token", bad, "")
	expect(t, "over the limit", r, 429, `{"detail":"Too many login attempts"}`)
	wait, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || wait < 1 || wait > 4 {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	// even the right password waits: the limit is what stops guessing
	expect(t, "right password while limited", a.do("POST", "/token", url.Values{"username": {"ANN"}, "password": {"password1"}}, ""), 429, "")
	time.Sleep(time.Duration(wait) * time.Second) // what the answer asks: not a guess
	expect(t, "after Retry-After", a.do("POST", "/token", url.Values{"username": {"ann"}, "password": {"password1"}}, ""), 200, "")
}

func TestCORS(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st, func(o *httpapi.Options) { o.CORSOrigins = []string{"https://app.example.com"} })
	r := a.do("OPTIONS", "/post/", nil, "", "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST")
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Fatalf("preflight: %d %v", r.status, r.header)
	}
	r = a.do("GET", "/post/", nil, "", "Origin", "https://evil.example.com")
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("other origin got CORS headers: %v", r.header)
	}
	r = a.do("OPTIONS", "/post/", nil, "", "Origin", "https://evil.example.com", "Access-Control-Request-Method", "POST")
	if r.header.Get("Access-Control-Allow-Origin") != "" || r.status == 204 {
		t.Fatalf("preflight from another origin: %d %v", r.status, r.header)
	}
}

func TestReadyz(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		st := storetest.Open(t, uri, store.Options{})
		a := newAPI(t, st)
		expect(t, "stale schema", a.do("GET", "/readyz", nil, ""), 503, "")
		expect(t, "healthz anyway", a.do("GET", "/healthz", nil, ""), 200, `{"status":"ok"}`)
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		expect(t, "current schema", a.do("GET", "/readyz", nil, ""), 200, `{"status":"ok"}`)
	})
	down := storetest.Open(t, "postgres://nobody@127.0.0.1:1/none?connect_timeout=1", store.Options{})
	a := newAPI(t, down)
	expect(t, "database unreachable", a.do("GET", "/readyz", nil, ""), 503, "")
	expect(t, "request while unreachable", a.do("GET", "/post/", nil, ""), 503, `{"detail":"Service Unavailable"}`)
}
