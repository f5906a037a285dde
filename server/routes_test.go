package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/pamps/pamps/store"
)

// scenario is one request and what it must answer, in the manner of
// pocketbase's ApiScenario: each runs as its own subtest, on both
// databases, on a fresh fixture, so that one failure names itself and
// cannot cascade into the next.
type scenario struct {
	name   string
	before func(t *testing.T, f *fixture) // the state this case needs beyond the fixture
	method string
	path   string
	body   any    // a value, or func(*fixture) any for one that needs the fixture's tokens
	as     string // a token of the fixture's ("ann", "bob", "ghost"...), "" for none, or "raw:" and an Authorization value
	status int
	want   string                         // exact JSON body, when set
	check  func(t *testing.T, r response) // further checks, when set
}

// fixture: ann (1) and bob (2); ann wrote post 1, bob post 2 (a reply to
// 1). Tokens: ann's and bob's, "ann-refresh", "ANN" (ann's, the name in
// another case), "ghost" (a user who does not exist), "expired".
type fixture struct {
	a      *api
	tokens map[string]string
}

func newFixture(t *testing.T, a *api) *fixture {
	t.Helper()
	f := &fixture{a: a, tokens: map[string]string{}}
	for _, n := range []string{"ann", "bob"} {
		f.tokens[n] = a.register(n)
	}
	_, f.tokens["ann-refresh"] = a.pair("ann", "password1")
	expect(t, "fixture post", a.do("POST", "/post/", map[string]any{"text": "ann's post"}, f.tokens["ann"]), 201, "")
	expect(t, "fixture reply", a.do("POST", "/post/", map[string]any{"text": "bob's reply", "parent_id": 1}, f.tokens["bob"]), 201, "")
	tk := testTokens()
	f.tokens["ghost"], _ = tk.Access(store.User{ID: 999, Username: "ghost"}, true)
	f.tokens["ANN"], _ = tk.Access(store.User{ID: 1, Username: "ANN"}, true)
	f.tokens["expired"], _ = jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "ann", "uid": 1, "fresh": true, "scope": "access_token",
		"iat": time.Now().Add(-time.Hour).Unix(), "exp": time.Now().Add(-time.Minute).Unix()}).SignedString(tk.Secret)
	return f
}

// do sends a request as one of the fixture's users.
func (f *fixture) do(t *testing.T, method, path string, body any, as string) response {
	t.Helper()
	if strings.HasPrefix(as, "raw:") {
		return f.a.do(method, path, body, "", "Authorization", strings.TrimPrefix(as, "raw:"))
	}
	return f.a.do(method, path, body, f.tokens[as])
}

// runScenarios runs each case as a subtest, on both databases, each on a
// fresh database with a fresh fixture.
func runScenarios(t *testing.T, cases []scenario) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each case has databases of its own
			eachAPI(t, func(t *testing.T, a *api) {
				f := newFixture(t, a)
				if c.before != nil {
					c.before(t, f)
				}
				body := c.body
				if bf, ok := body.(func(*fixture) any); ok {
					body = bf(f)
				}
				r := f.do(t, c.method, c.path, body, c.as)
				expect(t, c.name, r, c.status, c.want)
				if c.check != nil && r.status == c.status {
					c.check(t, r)
				}
			})
		})
	}
}

// Steps the cases take before their request, through the API.
func annFollowsBob(t *testing.T, f *fixture) {
	expect(t, "ann follows bob", f.do(t, "POST", "/user/follow/2/", nil, "ann"), 201, "")
}

func bobLikesPost1(t *testing.T, f *fixture) {
	expect(t, "bob likes post 1", f.do(t, "POST", "/post/1/like/", nil, "bob"), 201, "")
}

func annDeletesPost1(t *testing.T, f *fixture) {
	expect(t, "ann deletes post 1", f.do(t, "DELETE", "/post/1/", nil, "ann"), 204, "")
}

// annChangesPassword keeps the token from before the change as "ann-old"
// and signs ann in again as "ann".
func annChangesPassword(t *testing.T, f *fixture) {
	expect(t, "password change", f.do(t, "POST", "/user/me/password/", map[string]any{"current_password": "password1", "new_password": "password2"}, "ann"), 204, "")
	f.tokens["ann-old"] = f.tokens["ann"]
	f.tokens["ann"] = f.a.login("ann", "password2")
}

func jsonHas(fields ...string) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		for _, f := range fields {
			if !strings.Contains(string(r.body), f) {
				t.Errorf("body %s lacks %s", r.body, f)
			}
		}
	}
}

func headerIs(key, value string) func(t *testing.T, r response) {
	return func(t *testing.T, r response) {
		t.Helper()
		if got := r.header.Get(key); got != value {
			t.Errorf("%s: %q, want %q", key, got, value)
		}
	}
}

const (
	notAuthenticated = `{"detail":"Not authenticated"}`
	badCredentials   = `{"detail":"Could not validate credentials"}`
)

func TestUserRoutes(t *testing.T) {
	annPublic := `{"id":1,"username":"ann","avatar":null,"bio":null,"followers":0,"following":0}`
	runScenarios(t, []scenario{
		{name: "list users", method: "GET", path: "/user/", status: 200, want: `[` + annPublic + `,{"id":2,"username":"bob","avatar":null,"bio":null,"followers":0,"following":0}]`},
		{name: "register", method: "POST", path: "/user/", body: map[string]any{"email": "cat@example.com", "username": "cat", "password": "password1",
			"avatar": "https://example.com/c.png", "bio": "meow", "id": 99}, status: 201, want: `{"id":3,"username":"cat","avatar":"https://example.com/c.png","bio":"meow","followers":0,"following":0}`},
		{name: "register taken username", method: "POST", path: "/user/", body: map[string]any{"email": "x@example.com", "username": "ANN", "password": "password1"}, status: 409, want: `{"detail":"Username already taken"}`},
		{name: "register taken email", method: "POST", path: "/user/", body: map[string]any{"email": "Ann@Example.com", "username": "ann2", "password": "password1"}, status: 409, want: `{"detail":"Email already registered"}`},
		{name: "register reserved name", method: "POST", path: "/user/", body: map[string]any{"email": "me@example.com", "username": "me", "password": "password1"}, status: 422, check: jsonHas(`"loc":["body","username"]`)},
		{name: "register invalid fields", method: "POST", path: "/user/", body: map[string]any{"email": "nope", "username": "", "password": "short"}, status: 422, check: jsonHas(`"loc":["body","email"]`, `"loc":["body","username"]`, `"loc":["body","password"]`)},
		{name: "register missing fields", method: "POST", path: "/user/", body: map[string]any{}, status: 422, check: jsonHas(`["body","email"]`, `["body","username"]`, `["body","password"]`, `"field required"`)},
		{name: "register wrong types", method: "POST", path: "/user/", body: map[string]any{"email": 1, "username": true, "password": []int{1}}, status: 422, check: jsonHas(`"type_error.str"`)},
		{name: "register malformed", method: "POST", path: "/user/", body: `{"email":`, status: 422, check: jsonHas(`value_error.jsondecode`)},
		{name: "get user", method: "GET", path: "/user/ANN/", status: 200, want: annPublic},
		{name: "get unknown user", method: "GET", path: "/user/nobody/", status: 404, want: `{"detail":"User not found"}`},
		{name: "me", method: "GET", path: "/user/me/", as: "ann", status: 200, want: `{"id":1,"username":"ann","avatar":null,"bio":null,"followers":0,"following":0,"email":"ann@example.com","role":"member"}`},
		{name: "me without auth", method: "GET", path: "/user/me/", status: 401, want: notAuthenticated, check: headerIs("WWW-Authenticate", "Bearer")},
		{name: "me basic auth", method: "GET", path: "/user/me/", as: "raw:Basic YW5uOnBhc3N3b3JkMQ==", status: 401, want: notAuthenticated, check: headerIs("WWW-Authenticate", "Bearer")},
		{name: "me bad token", method: "GET", path: "/user/me/", as: "raw:Bearer not.a.token", status: 401, want: badCredentials, check: headerIs("WWW-Authenticate", "Bearer")},
		{name: "patch me", method: "PATCH", path: "/user/me/", body: map[string]any{"bio": "birds", "avatar": "http://a.io/x.png", "username": "ignored"}, as: "ann", status: 200, want: `{"id":1,"username":"ann","avatar":"http://a.io/x.png","bio":"birds","followers":0,"following":0,"email":"ann@example.com","role":"member"}`},
		{name: "patch me clears with null", before: func(t *testing.T, f *fixture) {
			expect(t, "bio and avatar", f.do(t, "PATCH", "/user/me/", map[string]any{"bio": "birds", "avatar": "http://a.io/x.png"}, "ann"), 200, "")
		}, method: "PATCH", path: "/user/me/", body: map[string]any{"avatar": nil}, as: "ann", status: 200, check: jsonHas(`"avatar":null`, `"bio":"birds"`)},
		{name: "patch me taken email", method: "PATCH", path: "/user/me/", body: map[string]any{"email": "BOB@example.com"}, as: "ann", status: 409, want: `{"detail":"Email already registered"}`},
		{name: "patch me bad avatar", method: "PATCH", path: "/user/me/", body: map[string]any{"avatar": "javascript:alert(1)"}, as: "ann", status: 422, check: jsonHas(`["body","avatar"]`)},
		{name: "patch me malformed", method: "PATCH", path: "/user/me/", body: `{"bio": }`, as: "ann", status: 422, check: jsonHas(`value_error.jsondecode`)},
		{name: "patch me no auth", method: "PATCH", path: "/user/me/", body: map[string]any{"bio": "x"}, status: 401, want: notAuthenticated},
		{name: "password wrong current", method: "POST", path: "/user/me/password/", body: map[string]any{"current_password": "nope-nope", "new_password": "password2"}, as: "ann", status: 400, want: `{"detail":"Incorrect password"}`},
		{name: "password too short", method: "POST", path: "/user/me/password/", body: map[string]any{"current_password": "password1", "new_password": "x"}, as: "ann", status: 422, check: jsonHas(`["body","new_password"]`)},
		{name: "password missing", method: "POST", path: "/user/me/password/", body: map[string]any{}, as: "ann", status: 422, check: jsonHas(`["body","current_password"]`, `["body","new_password"]`)},
		{name: "password malformed", method: "POST", path: "/user/me/password/", body: `[]`, as: "ann", status: 422, check: jsonHas(`type_error.dict`)},
		{name: "password change", method: "POST", path: "/user/me/password/", body: map[string]any{"current_password": "password1", "new_password": "password2"}, as: "ann", status: 204},
		{name: "a token from before the password change", before: annChangesPassword, method: "GET", path: "/user/me/", as: "ann-old", status: 401, want: badCredentials},
		{name: "log in with the new password", before: annChangesPassword, method: "POST", path: "/token", body: url.Values{"username": {"ann"}, "password": {"password2"}}, status: 200},
		{name: "the old password after the change", before: annChangesPassword, method: "POST", path: "/token", body: url.Values{"username": {"ann"}, "password": {"password1"}}, status: 401},
		{name: "a token from after the password change", before: annChangesPassword, method: "GET", path: "/user/me/", as: "ann", status: 200, check: jsonHas(`"username":"ann"`)},
		{name: "follow", method: "POST", path: "/user/follow/2/", as: "ann", status: 201, check: jsonHas(`"from_id":1`, `"to_id":2`, `"date":"`)},
		{name: "follow again", before: annFollowsBob, method: "POST", path: "/user/follow/2/", as: "ann", status: 200, check: jsonHas(`"from_id":1`, `"to_id":2`)},
		{name: "follow self", method: "POST", path: "/user/follow/1/", as: "ann", status: 400, want: `{"detail":"You cannot follow yourself"}`},
		{name: "follow unknown", method: "POST", path: "/user/follow/999/", as: "ann", status: 404, want: `{"detail":"User not found"}`},
		{name: "follow non-integer", method: "POST", path: "/user/follow/bob/", as: "ann", status: 422, want: `{"detail":[{"loc":["path","user_id"],"msg":"value is not a valid integer","type":"type_error.integer"}]}`},
		{name: "follow overflow", method: "POST", path: "/user/follow/99999999999999999999/", as: "ann", status: 422, check: jsonHas(`["path","user_id"]`)},
		{name: "follow negative", method: "POST", path: "/user/follow/-1/", as: "ann", status: 404, want: `{"detail":"User not found"}`},
		{name: "follow no auth", method: "POST", path: "/user/follow/2/", status: 401, want: notAuthenticated},
		{name: "followers", before: annFollowsBob, method: "GET", path: "/user/bob/followers/", status: 200, check: jsonHas(`"username":"ann"`, `"following":1`)},
		{name: "following", before: annFollowsBob, method: "GET", path: "/user/ann/following/", status: 200, check: jsonHas(`"username":"bob"`, `"followers":1`)},
		{name: "followers unknown", method: "GET", path: "/user/nobody/followers/", status: 404, want: `{"detail":"User not found"}`},
		{name: "timeline", before: annFollowsBob, method: "GET", path: "/user/timeline/?include_replies=true", as: "ann", status: 200, check: jsonHas(`"text":"bob's reply"`)},
		{name: "timeline top-level only", before: annFollowsBob, method: "GET", path: "/user/timeline/", as: "ann", status: 200, want: `[]`},
		{name: "timeline no auth", method: "GET", path: "/user/timeline/", status: 401, want: notAuthenticated},
		{name: "timeline of a deleted user", method: "GET", path: "/user/timeline/", as: "ghost", status: 401, want: badCredentials, check: headerIs("WWW-Authenticate", "Bearer")},
		{name: "timeline of a deleted user, bad limit", method: "GET", path: "/user/timeline/?limit=0", as: "ghost", status: 401, want: badCredentials},
		{name: "timeline, the name in another case", before: annFollowsBob, method: "GET", path: "/user/timeline/?include_replies=true", as: "ANN", status: 200, check: jsonHas(`"text":"bob's reply"`)},
		{name: "timeline bad limit", method: "GET", path: "/user/timeline/?limit=0", as: "ann", status: 422, check: jsonHas(`["query","limit"]`)},
		{name: "unfollow", before: annFollowsBob, method: "DELETE", path: "/user/follow/2/", as: "ann", status: 204},
		{name: "unfollow again", method: "DELETE", path: "/user/follow/2/", as: "ann", status: 204},
		{name: "unfollow unknown", method: "DELETE", path: "/user/follow/999/", as: "ann", status: 404, want: `{"detail":"User not found"}`},
	})
}

func TestPostRoutes(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "create", method: "POST", path: "/post/", body: map[string]any{"text": "  third  ", "id": 50, "user_id": 2, "date": "2000-01-01T00:00:00Z"}, as: "ann", status: 201, check: func(t *testing.T, r response) {
			var p map[string]any
			r.json(t, &p)
			if p["id"] != 3.0 || p["text"] != "third" || p["user_id"] != 1.0 || p["username"] != "ann" || p["likes"] != 0.0 ||
				p["reply_count"] != 0.0 || p["parent_id"] != nil || strings.HasPrefix(p["date"].(string), "2000") {
				t.Errorf("created %v", p)
			}
		}},
		{name: "create too long", method: "POST", path: "/post/", body: map[string]any{"text": strings.Repeat("é", 281)}, as: "ann", status: 422, check: jsonHas(`["body","text"]`, `value_error.too_long`)},
		{name: "create 280 code points", method: "POST", path: "/post/", body: map[string]any{"text": strings.Repeat("é", 280)}, as: "ann", status: 201},
		{name: "create empty", method: "POST", path: "/post/", body: map[string]any{"text": "   "}, as: "ann", status: 422, check: jsonHas(`["body","text"]`)},
		{name: "create NUL", method: "POST", path: "/post/", body: `{"text":"a\u0000b"}`, as: "ann", status: 422, check: jsonHas(`["body","text"]`)},
		{name: "create unknown parent", method: "POST", path: "/post/", body: map[string]any{"text": "x", "parent_id": 999}, as: "ann", status: 404, want: `{"detail":"Parent post not found"}`},
		{name: "create bad parent", method: "POST", path: "/post/", body: map[string]any{"text": "x", "parent_id": "one"}, as: "ann", status: 422, check: jsonHas(`["body","parent_id"]`)},
		{name: "create huge parent", method: "POST", path: "/post/", body: `{"text":"x","parent_id":123456789012345678901234567890}`, as: "ann", status: 422, check: jsonHas(`["body","parent_id"]`)},
		{name: "create no auth", method: "POST", path: "/post/", body: map[string]any{"text": "x"}, status: 401, want: notAuthenticated},
		{name: "create malformed", method: "POST", path: "/post/", body: `{"text":"x"`, as: "ann", status: 422, check: jsonHas(`value_error.jsondecode`)},
		// The author is found by the insert itself; a token whose user is
		// gone is still refused before anything else is judged.
		{name: "create by a deleted user", method: "POST", path: "/post/", body: map[string]any{"text": "boo"}, as: "ghost", status: 401, want: badCredentials, check: headerIs("WWW-Authenticate", "Bearer")},
		{name: "create invalid by a deleted user", method: "POST", path: "/post/", body: map[string]any{"text": ""}, as: "ghost", status: 401, want: badCredentials},
		{name: "reply to unknown by a deleted user", method: "POST", path: "/post/", body: map[string]any{"text": "x", "parent_id": 999}, as: "ghost", status: 401, want: badCredentials},
		{name: "create malformed by a deleted user", method: "POST", path: "/post/", body: `{"text":`, as: "ghost", status: 401, want: badCredentials},
		{name: "create with the name in another case", method: "POST", path: "/post/", body: map[string]any{"text": "shouting"}, as: "ANN", status: 201, check: jsonHas(`"user_id":1`, `"username":"ann"`)},
		{name: "get", method: "GET", path: "/post/1/", status: 200, check: jsonHas(`"id":1`, `"reply_count":1`, `"replies":[{"id":2,`, `"parent_id":1`)},
		{name: "get reply", method: "GET", path: "/post/2/", status: 200, check: jsonHas(`"id":2`, `"replies":[]`)},
		{name: "get unknown", method: "GET", path: "/post/999/", status: 404, want: `{"detail":"Post not found"}`},
		{name: "get non-integer", method: "GET", path: "/post/abc/", status: 422, want: `{"detail":[{"loc":["path","post_id"],"msg":"value is not a valid integer","type":"type_error.integer"}]}`},
		{name: "edit by author", method: "PATCH", path: "/post/1/", body: map[string]any{"text": "ann's post, edited"}, as: "ann", status: 200, check: jsonHas(`"text":"ann's post, edited"`, `"reply_count":1`)},
		{name: "edit by another", method: "PATCH", path: "/post/1/", body: map[string]any{"text": "hijack"}, as: "bob", status: 403, want: `{"detail":"Not allowed"}`},
		{name: "edit unknown", method: "PATCH", path: "/post/999/", body: map[string]any{"text": "x"}, as: "ann", status: 404, want: `{"detail":"Post not found"}`},
		{name: "edit invalid", method: "PATCH", path: "/post/1/", body: map[string]any{"text": ""}, as: "ann", status: 422, check: jsonHas(`["body","text"]`)},
		{name: "edit malformed", method: "PATCH", path: "/post/1/", body: `nope`, as: "ann", status: 422, check: jsonHas(`value_error.jsondecode`)},
		{name: "edit no auth", method: "PATCH", path: "/post/1/", body: map[string]any{"text": "x"}, status: 401, want: notAuthenticated},
		{name: "like", method: "POST", path: "/post/1/like/", as: "bob", status: 201, check: jsonHas(`"user_id":2`, `"post_id":1`, `"date":"`)},
		{name: "like again", before: bobLikesPost1, method: "POST", path: "/post/1/like/", as: "bob", status: 200, check: jsonHas(`"user_id":2`, `"post_id":1`)},
		{name: "like unknown", method: "POST", path: "/post/999/like/", as: "bob", status: 404, want: `{"detail":"Post not found"}`},
		{name: "like no auth", method: "POST", path: "/post/1/like/", status: 401, want: notAuthenticated},
		{name: "likes of bob", before: bobLikesPost1, method: "GET", path: "/post/likes/bob/", status: 200, check: jsonHas(`"id":1`, `"likes":1`)},
		{name: "likes of unknown", method: "GET", path: "/post/likes/nobody/", status: 404, want: `{"detail":"User not found"}`},
		{name: "unlike", before: bobLikesPost1, method: "DELETE", path: "/post/1/like/", as: "bob", status: 204},
		{name: "unlike again", method: "DELETE", path: "/post/1/like/", as: "bob", status: 204},
		{name: "unlike unknown", method: "DELETE", path: "/post/999/like/", as: "bob", status: 404, want: `{"detail":"Post not found"}`},
		{name: "posts of unknown user", method: "GET", path: "/post/user/nobody/", status: 200, want: `[]`},
		{name: "delete by another", method: "DELETE", path: "/post/1/", as: "bob", status: 403, want: `{"detail":"Not allowed"}`},
		{name: "delete by author", method: "DELETE", path: "/post/1/", as: "ann", status: 204},
		{name: "reply gone with it", before: annDeletesPost1, method: "GET", path: "/post/2/", status: 404, want: `{"detail":"Post not found"}`},
		{name: "delete again", before: annDeletesPost1, method: "DELETE", path: "/post/1/", as: "ann", status: 404, want: `{"detail":"Post not found"}`},
	})
}

func TestTokenRoutes(t *testing.T) {
	runScenarios(t, []scenario{
		{name: "login any case", method: "POST", path: "/token", body: url.Values{"username": {"ANN"}, "password": {"password1"}, "grant_type": {"password"}, "scope": {""}}, status: 200,
			check: jsonHas(`"access_token":"`, `"refresh_token":"`, `"token_type":"bearer"`)},
		{name: "wrong password", method: "POST", path: "/token", body: url.Values{"username": {"ann"}, "password": {"nope-nope"}}, status: 401, want: `{"detail":"Incorrect username or password"}`, check: headerIs("WWW-Authenticate", "Bearer")},
		{name: "unknown user", method: "POST", path: "/token", body: url.Values{"username": {"nobody"}, "password": {"password1"}}, status: 401, want: `{"detail":"Incorrect username or password"}`},
		{name: "missing fields", method: "POST", path: "/token", body: url.Values{}, status: 422, check: jsonHas(`["body","username"]`, `["body","password"]`)},
		{name: "json instead of form says a form is needed", method: "POST", path: "/token", body: map[string]string{"username": "ann", "password": "password1"}, status: 422,
			check: jsonHas(`["body","username"]`, `["body","password"]`, `this route takes a form`, `not application/json`)},
		{name: "refresh token is not a bearer token", method: "GET", path: "/user/me/", as: "ann-refresh", status: 401, want: badCredentials},
		{name: "expired", method: "GET", path: "/user/me/", as: "expired", status: 401, want: badCredentials},
		{name: "user no longer exists", method: "GET", path: "/user/me/", as: "ghost", status: 401, want: badCredentials},
		{name: "refresh", method: "POST", path: "/refresh_token", body: func(f *fixture) any { return map[string]string{"refresh_token": f.tokens["ann-refresh"]} }, status: 200, check: func(t *testing.T, r response) {
			var p struct {
				Access string `json:"access_token"`
			}
			r.json(t, &p)
			claims := jwt.MapClaims{}
			if _, _, err := jwt.NewParser().ParseUnverified(p.Access, claims); err != nil || claims["fresh"] != false || claims["scope"] != "access_token" {
				t.Errorf("refreshed access claims %v %v", claims, err)
			}
		}},
		{name: "refresh with an access token", method: "POST", path: "/refresh_token", body: func(f *fixture) any { return map[string]string{"refresh_token": f.tokens["ann"]} }, status: 401, want: badCredentials, check: headerIs("WWW-Authenticate", "Bearer")},
		{name: "refresh garbage", method: "POST", path: "/refresh_token", body: map[string]string{"refresh_token": "x"}, status: 401, want: badCredentials},
		{name: "refresh missing", method: "POST", path: "/refresh_token", body: map[string]string{}, status: 422, check: jsonHas(`["body","refresh_token"]`)},
		{name: "refresh malformed", method: "POST", path: "/refresh_token", body: `{`, status: 422, check: jsonHas(`value_error.jsondecode`)},
	})
}
