package server_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestOriginalFlow is section 4 of the contract: the original app's own test.
func TestOriginalFlow(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		t1, t2 := a.register("user1"), a.register("user2")
		var first, second struct {
			ID       int64  `json:"id"`
			ParentID *int64 `json:"parent_id"`
		}
		r := a.do("POST", "/post/", map[string]any{"text": "hello test 1"}, t1)
		expect(t, "post 1", r, 201, "")
		r.json(t, &first)
		r = a.do("POST", "/post/", map[string]any{"text": "hello test 2"}, t1)
		expect(t, "post 2", r, 201, "")
		r.json(t, &second)
		if first.ParentID != nil || second.ParentID != nil {
			t.Fatal("top-level posts have a parent")
		}
		var list []struct {
			ID   int64  `json:"id"`
			Text string `json:"text"`
		}
		a.do("GET", "/post/user/user1/", nil, "").json(t, &list)
		if len(list) != 2 || list[0].Text != "hello test 1" || list[1].Text != "hello test 2" {
			t.Fatalf("user1's posts: %+v", list)
		}
		expect(t, "reply 1", a.do("POST", "/post/", map[string]any{"text": "reply from 1", "parent_id": first.ID}, t1), 201, "")
		expect(t, "reply 2", a.do("POST", "/post/", map[string]any{"text": "reply from 2", "parent_id": first.ID}, t2), 201, "")
		a.do("GET", "/post/", nil, "").json(t, &list)
		if len(list) != 2 {
			t.Fatalf("GET /post/ has %d posts, want the 2 top-level ones", len(list))
		}
		var detail struct {
			Replies []struct{ Text string } `json:"replies"`
		}
		r = a.do("GET", fmt.Sprintf("/post/%d/", first.ID), nil, "")
		r.json(t, &detail)
		if len(detail.Replies) != 2 || detail.Replies[0].Text != "reply from 1" {
			t.Fatalf("replies: %+v in %s", detail.Replies, r.body)
		}
		a.do("GET", "/post/user/user1/", nil, "").json(t, &list)
		if len(list) != 2 {
			t.Fatalf("user1 without replies: %d", len(list))
		}
		a.do("GET", "/post/user/user1/?include_replies=True", nil, "").json(t, &list)
		if len(list) != 3 {
			t.Fatalf("user1 with replies: %d", len(list))
		}
	})
}

func TestFrameworkRules(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		expect(t, "unknown path", a.do("GET", "/nowhere", nil, ""), 404, `{"detail":"Not Found"}`)
		r := a.do("PUT", "/post/", nil, "")
		expect(t, "wrong method", r, 405, `{"detail":"Method Not Allowed"}`)
		if allow := r.header.Get("Allow"); allow != "GET, POST, HEAD" {
			t.Errorf("Allow: %q", allow)
		}
		r = a.do("DELETE", "/user/", nil, "")
		if r.status != 405 || !strings.Contains(r.header.Get("Allow"), "POST") {
			t.Errorf("DELETE /user/: %d %v", r.status, r.header)
		}
		for path, loc := range map[string]string{
			"/user?limit=5":       "/user/?limit=5",
			"/post/user/ann":      "/post/user/ann/",
			"/token/":             "/token",
			"/user/me?x=1&y=2":    "/user/me/?x=1&y=2",
			"/post/3/like":        "/post/3/like/",
			"/user/ann/followers": "/user/ann/followers/",
			"/openapi.json/":      "/openapi.json",
		} {
			r := a.do("GET", path, nil, "")
			if r.status != 307 || r.header.Get("Location") != loc {
				t.Errorf("%s: %d Location %q, want 307 %q", path, r.status, r.header.Get("Location"), loc)
			}
		}
		r = a.do("GET", "/healthz", nil, "", "X-Request-ID", "abc-123")
		expect(t, "healthz", r, 200, `{"status":"ok"}`)
		if r.header.Get("X-Request-ID") != "abc-123" {
			t.Errorf("request id not echoed: %q", r.header.Get("X-Request-ID"))
		}
		r = a.do("GET", "/healthz", nil, "", "X-Request-ID", "bad id with spaces")
		if id := r.header.Get("X-Request-ID"); id == "" || strings.Contains(id, " ") {
			t.Errorf("insane request id kept: %q", id)
		}
		expect(t, "readyz", a.do("GET", "/readyz", nil, ""), 200, `{"status":"ok"}`)

		tok := a.register("ann")
		big := `{"text":"` + strings.Repeat("a", 1<<20) + `"}`
		expect(t, "body too large", a.do("POST", "/post/", big, tok), 413, `{"detail":"Request body too large"}`)
		expect(t, "wrong content type", a.do("POST", "/post/", "text=hello", tok, "Content-Type", "application/x-www-form-urlencoded"), 422,
			`{"detail":[{"loc":["body"],"msg":"value is not a valid dict: send application/json","type":"type_error.dict"}]}`)
		if r := a.do("POST", "/post/", `{"text":"no content type"}`, tok, "Content-Type", ""); r.status != 201 {
			t.Errorf("JSON without a Content-Type (FastAPI reads it): %d %s", r.status, r.body)
		}
		expect(t, "not an object", a.do("POST", "/post/", `["text"]`, tok), 422,
			`{"detail":[{"loc":["body"],"msg":"value is not a valid dict","type":"type_error.dict"}]}`)
		expect(t, "missing field", a.do("POST", "/post/", `{}`, tok), 422,
			`{"detail":[{"loc":["body","text"],"msg":"field required","type":"value_error.missing"}]}`)
		expect(t, "null text", a.do("POST", "/post/", `{"text":null}`, tok), 422,
			`{"detail":[{"loc":["body","text"],"msg":"none is not an allowed value","type":"type_error.none.not_allowed"}]}`)
		for _, q := range []string{"limit=0", "limit=1001", "limit=abc", "include_replies=maybe"} {
			r := a.do("GET", "/post/user/ann/?"+q, nil, "")
			if r.status != 422 || !strings.Contains(string(r.body), `"query"`) {
				t.Errorf("%s: %d %s", q, r.status, r.body)
			}
		}
		for _, q := range []string{"1", "true", "T", "yes", "Y", "on", "0", "false", "F", "no", "n", "OFF"} {
			if r := a.do("GET", "/post/user/ann/?include_replies="+url.QueryEscape(q), nil, ""); r.status != 200 {
				t.Errorf("include_replies=%s: %d", q, r.status)
			}
		}
	})
}
