package server_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestRedirectsStayOnThisSite: the 307 to a path's other spelling is built
// from the cleaned path, so encoded slashes cannot turn it into a link to
// another site (GET /%2Fevil.com%2F..%2Fuser answered Location: //evil.com/../user/).
func TestRedirectsStayOnThisSite(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st)
	for _, p := range []string{"/%2Fevil.com%2F..%2Fuser", "/%2F%2Fevil.com%2F..%2F..%2Fpost", "/%5Cevil.com%2F..%2Fuser", "//evil.com/../user",
		"/%2F%2Fevil.com", "/%5C%5Cevil.com", "/user/..%2F..%2F%2Fevil.com", "/./user", "/user?x=//evil.com"} {
		r := a.do("GET", p, nil, "")
		loc := r.header.Get("Location")
		if strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") || strings.Contains(loc, "evil.com/") || (loc != "" && !strings.HasPrefix(loc, "/")) {
			t.Errorf("GET %s: %d Location %q", p, r.status, loc)
		}
		if r.status >= 500 {
			t.Errorf("GET %s: %d", p, r.status)
		}
	}
	r := a.do("GET", "/user?limit=2", nil, "")
	if r.status != 307 || r.header.Get("Location") != "/user/?limit=2" {
		t.Errorf("the canonical redirect: %d %q", r.status, r.header.Get("Location"))
	}
}

// TestSecurityHeaders: nosniff on every answer, frame protection and a CSP
// on the HTML docs, and Link headers that never echo the Host header.
func TestSecurityHeaders(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st)
	tok := a.register("ann")
	for range 3 {
		a.do("POST", "/post/", map[string]any{"text": "hi"}, tok)
	}
	for _, c := range []struct{ method, path string }{{"GET", "/post/"}, {"GET", "/nope"}, {"PUT", "/post/"}, {"GET", "/post"},
		{"POST", "/post/"}, {"GET", "/docs"}, {"GET", "/docs/swagger-ui.css"}, {"GET", "/openapi.json"}, {"GET", "/healthz"}} {
		if got := a.do(c.method, c.path, nil, "").header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s: X-Content-Type-Options %q", c.method, c.path, got)
		}
	}
	docs := a.do("GET", "/docs", nil, "")
	csp := docs.header.Get("Content-Security-Policy")
	if docs.header.Get("X-Frame-Options") != "DENY" || !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("/docs: X-Frame-Options %q, CSP %q", docs.header.Get("X-Frame-Options"), csp)
	}
	if strings.Contains(string(docs.body), "<style") || strings.Contains(string(docs.body), "<script>") {
		t.Error("/docs has inline style or script, which its CSP refuses")
	}
	r := a.do("GET", "/post/?limit=1", nil, "", "Host", "evil.example.com")
	if l := r.header.Get("Link"); !strings.HasPrefix(l, "</post/?") || strings.Contains(l, "evil") {
		t.Errorf("Link with a forged Host: %q", l)
	}
	pub := newAPI(t, st, func(o *httpapi.Options) { o.PublicURL = "https://pamps.example.org/" })
	if l := pub.do("GET", "/post/?limit=1", nil, "", "Host", "evil.example.com").header.Get("Link"); !strings.HasPrefix(l, "<https://pamps.example.org/post/?") {
		t.Errorf("Link with server.public_url: %q", l)
	}
}

// TestConcurrentTreeDeletesAnswerCleanly: deleting a post and its replies
// at once, on both databases, answers each 204 or 404, never 500 (11 of 200
// were "deadlock detected": a reply's delete locked the reply, then its
// parent for the counter, while the parent's delete held the parent and
// cascaded to the reply), and leaves nothing behind.
func TestConcurrentTreeDeletesAnswerCleanly(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann := a.register("ann")
		for round := range 3 {
			var ids []int
			for i := range 200 {
				parent := any(nil)
				switch {
				case i > 0 && round == 2: // a tree three wide
					parent = ids[(i-1)/3]
				case i > 0: // a post and its replies
					parent = ids[0]
				}
				var p struct{ ID int }
				a.do("POST", "/post/", map[string]any{"text": "node", "parent_id": parent}, ann).json(t, &p)
				ids = append(ids, p.ID)
			}
			rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			statuses := parallel(len(ids), func(i int) response {
				return a.do("DELETE", fmt.Sprintf("/post/%d/", ids[i]), nil, ann)
			})
			for i, s := range statuses {
				if s != 204 && s != 404 {
					t.Fatalf("round %d, delete %d: %d", round, i, s)
				}
			}
			if n := countRows(t, a.st, "post"); n != 0 {
				t.Fatalf("%d posts left", n)
			}
		}
	})
}

// TestPostDetailIsBounded: a detail carries the first 100 replies and a
// Link to the rest (one reached 23 MB); the replies route walks them all.
func TestPostDetailIsBounded(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		ann := a.register("ann")
		a.do("POST", "/post/", map[string]any{"text": "popular"}, ann)
		user, _ := a.st.UserByName(ctx, "ann")
		for range 150 {
			if _, err := a.st.CreatePost(ctx, user.ID, "me too", ptrTo(int64(1))); err != nil {
				t.Fatal(err)
			}
		}
		r := a.do("GET", "/post/1/", nil, "")
		var d struct {
			ReplyCount int   `json:"reply_count"`
			Replies    []any `json:"replies"`
		}
		r.json(t, &d)
		if d.ReplyCount != 150 || len(d.Replies) != 100 {
			t.Fatalf("detail: reply_count %d, %d replies", d.ReplyCount, len(d.Replies))
		}
		if l := r.header.Get("Link"); !strings.HasPrefix(l, "</post/1/replies/?cursor=") {
			t.Fatalf("detail Link %q", l)
		}
		if got := a.walk("/post/1/replies/?limit=40"); len(got) != 150 || got[0] != 2 || got[149] != 151 {
			t.Fatalf("replies walk: %d, %v", len(got), got)
		}
		expect(t, "replies of an unknown post", a.do("GET", "/post/999/replies/", nil, ""), 404, `{"detail":"Post not found"}`)
		// Post 0 named no parent, and the list was every post.
		expect(t, "replies of post 0", a.do("GET", "/post/0/replies/", nil, ""), 404, `{"detail":"Post not found"}`)
		expect(t, "replies of post -1", a.do("GET", "/post/-1/replies/", nil, ""), 404, `{"detail":"Post not found"}`)
		expect(t, "replies of a bad id", a.do("GET", "/post/x/replies/", nil, ""), 422, "")
		expect(t, "another child of a post", a.do("GET", "/post/1/other/", nil, ""), 404, `{"detail":"Not Found"}`)
		r = a.do("GET", "/post/1/like/", nil, "")
		if r.status != 405 || r.header.Get("Allow") != "POST, DELETE" {
			t.Fatalf("GET on the like route: %d Allow %q", r.status, r.header.Get("Allow"))
		}
		expect(t, "a user's posts still route", a.do("GET", "/post/user/replies/", nil, ""), 200, `[]`)
	})
}

func ptrTo[T any](v T) *T { return &v }

// TestBodiesThatWouldBeChanged: invalid UTF-8 and lone surrogate escapes
// are refused (422), not stored as U+FFFD (201).
func TestBodiesThatWouldBeChanged(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		tok := a.register("ann")
		for _, body := range []string{"{\"text\":\"a\xffb\"}", "{\"text\":\"\xc3\"}", `{"text":"\ud800"}`, `{"text":"x\udc00"}`,
			`{"text":"\ud800\u0041"}`, `{"text":"ok","other":"\udfff"}`, `{"text":"\uD83D"}`} {
			r := a.do("POST", "/post/", body, tok)
			if r.status != 422 {
				t.Errorf("%q: %d %s", body, r.status, r.body)
			}
		}
		expect(t, "a surrogate pair is a character", a.do("POST", "/post/", `{"text":"\ud83d\ude00 \\ud800"}`, tok), 201, "")
		expect(t, "an invisible post", a.do("POST", "/post/", `{"text":"\u200b\ufeff"}`, tok), 422, "")
		if n := countRows(t, a.st, "post"); n != 1 {
			t.Fatalf("%d posts", n)
		}
		expect(t, "crafted cursor", a.do("GET", "/user/ann/followers/?cursor=-300000000000000000_5", nil, ""), 422, "")
		expect(t, "crafted cursor, likes", a.do("GET", "/post/likes/ann/?cursor=9223372036854775807_1", nil, ""), 422, "")
	})
}

// TestHostileJSONShapesCostMemoryInProportion: a 1 MiB body of any shape
// costs the server a small multiple of its size (100 bodies shaped
// {"a":[{},{},…]} took it to 3.3 GB: 33 MB each).
func TestHostileJSONShapesCostMemoryInProportion(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st)
	for name, body := range hostileBodies(1 << 20) {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		const n = 5
		for range n {
			if r := a.do("POST", "/user/", body, ""); r.status != 422 && r.status != 413 {
				t.Fatalf("%s: %d", name, r.status)
			}
		}
		runtime.ReadMemStats(&after)
		// The client's copy and a request's fixed cost (256 KiB) count here too.
		if per := (after.TotalAlloc - before.TotalAlloc) / n; per > 8*uint64(len(body))+256<<10 {
			t.Errorf("%s: %d MB allocated per 1 MiB request", name, per>>20)
		}
	}
}

// hostileBodies are JSON bodies of about size bytes in the shapes that cost
// a decoder the most for their size.
func hostileBodies(size int) map[string]string {
	fill := func(head, unit, tail string) string {
		return head + strings.Repeat(unit, (size-len(head)-len(tail))/len(unit)) + tail
	}
	many := strings.Builder{}
	many.WriteString("{")
	for i := 0; many.Len() < size-20; i++ {
		fmt.Fprintf(&many, `"k%d":0,`, i)
	}
	many.WriteString(`"z":0}`)
	return map[string]string{
		"empty objects": fill(`{"a":[`, `{},`, `{}]}`),
		"empty arrays":  fill(`{"a":[`, `[],`, `[]]}`),
		"small numbers": fill(`{"a":[`, `1,`, `1]}`),
		"many keys":     many.String(),
		"deep nesting":  strings.Repeat(`[`, 9000) + strings.Repeat(`]`, 9000),
		"long string":   fill(`{"email":"`, `x`, `"}`),
	}
}
