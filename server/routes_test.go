package server_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/pamps/pamps/store"
)

// scenario is one request and what it must answer.
type scenario struct {
	name   string
	method string
	path   string
	body   any
	as     string // "ann", "bob", "" (no header), or a literal Authorization value after "raw:"
	status int
	want   string                         // exact JSON body, when set
	check  func(t *testing.T, r response) // further checks, when set
}

// fixture: ann (1) and bob (2); ann wrote post 1, bob post 2 (a reply to 1).
type fixture struct {
	a      *api
	tokens map[string]string
}

func newFixture(t *testing.T, a *api) *fixture {
	f := &fixture{a: a, tokens: map[string]string{}}
	for _, n := range []string{"ann", "bob"} {
		f.tokens[n] = a.register(n)
	}
	expect(t, "fixture post", a.do("POST", "/post/", map[string]any{"text": "ann's post"}, f.tokens["ann"]), 201, "")
	expect(t, "fixture reply", a.do("POST", "/post/", map[string]any{"text": "bob's reply", "parent_id": 1}, f.tokens["bob"]), 201, "")
	return f
}

func (f *fixture) run(t *testing.T, cases []scenario) {
	t.Helper()
	for _, c := range cases {
		var r response
		switch {
		case strings.HasPrefix(c.as, "raw:"):
			r = f.a.do(c.method, c.path, c.body, "", "Authorization", strings.TrimPrefix(c.as, "raw:"))
		default:
			r = f.a.do(c.method, c.path, c.body, f.tokens[c.as])
		}
		expect(t, c.name, r, c.status, c.want)
		if c.check != nil && r.status == c.status {
			c.check(t, r)
		}
	}
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
	eachAPI(t, func(t *testing.T, a *api) {
		f := newFixture(t, a)
		f.tokens["ghost"], _ = testTokens().Access(store.User{ID: 999, Username: "ghost"}, true)
		f.tokens["ANN"], _ = testTokens().Access(store.User{ID: 1, Username: "ANN"}, true)
		annPublic := `{"id":1,"username":"ann","avatar":null,"bio":null,"followers":0,"following":0}`
		f.run(t, []scenario{
			{"list users", "GET", "/user/", nil, "", 200, `[` + annPublic + `,{"id":2,"username":"bob","avatar":null,"bio":null,"followers":0,"following":0}]`, nil},
			{"register", "POST", "/user/", map[string]any{"email": "cat@example.com", "username": "cat", "password": "password1",
				"avatar": "https://example.com/c.png", "bio": "meow", "id": 99}, "", 201,
				`{"id":3,"username":"cat","avatar":"https://example.com/c.png","bio":"meow","followers":0,"following":0}`, nil},
			{"register taken username", "POST", "/user/", map[string]any{"email": "x@example.com", "username": "ANN", "password": "password1"}, "", 409, `{"detail":"Username already taken"}`, nil},
			{"register taken email", "POST", "/user/", map[string]any{"email": "Ann@Example.com", "username": "ann2", "password": "password1"}, "", 409, `{"detail":"Email already registered"}`, nil},
			{"register reserved name", "POST", "/user/", map[string]any{"email": "me@example.com", "username": "me", "password": "password1"}, "", 422, "", jsonHas(`"loc":["body","username"]`)},
			{"register invalid fields", "POST", "/user/", map[string]any{"email": "nope", "username": "", "password": "short"}, "", 422, "",
				jsonHas(`"loc":["body","email"]`, `"loc":["body","username"]`, `"loc":["body","password"]`)},
			{"register missing fields", "POST", "/user/", map[string]any{}, "", 422, "",
				jsonHas(`["body","email"]`, `["body","username"]`, `["body","password"]`, `"field required"`)},
			{"register wrong types", "POST", "/user/", map[string]any{"email": 1, "username": true, "password": []int{1}}, "", 422, "", jsonHas(`"type_error.str"`)},
			{"register malformed", "POST", "/user/", `{"email":`, "", 422, "", jsonHas(`value_error.jsondecode`)},
			{"get user", "GET", "/user/ANN/", nil, "", 200, annPublic, nil},
			{"get unknown user", "GET", "/user/nobody/", nil, "", 404, `{"detail":"User not found"}`, nil},
			{"me", "GET", "/user/me/", nil, "ann", 200, `{"id":1,"username":"ann","avatar":null,"bio":null,"followers":0,"following":0,"email":"ann@example.com"}`, nil},
			{"me without auth", "GET", "/user/me/", nil, "", 401, notAuthenticated, headerIs("WWW-Authenticate", "Bearer")},
			{"me basic auth", "GET", "/user/me/", nil, "raw:Basic YW5uOnBhc3N3b3JkMQ==", 401, notAuthenticated, headerIs("WWW-Authenticate", "Bearer")},
			{"me bad token", "GET", "/user/me/", nil, "raw:Bearer not.a.token", 401, badCredentials, headerIs("WWW-Authenticate", "Bearer")},
			{"patch me", "PATCH", "/user/me/", map[string]any{"bio": "birds", "avatar": "http://a.io/x.png", "username": "ignored"}, "ann", 200,
				`{"id":1,"username":"ann","avatar":"http://a.io/x.png","bio":"birds","followers":0,"following":0,"email":"ann@example.com"}`, nil},
			{"patch me clears with null", "PATCH", "/user/me/", map[string]any{"avatar": nil}, "ann", 200, "", jsonHas(`"avatar":null`, `"bio":"birds"`)},
			{"patch me taken email", "PATCH", "/user/me/", map[string]any{"email": "BOB@example.com"}, "ann", 409, `{"detail":"Email already registered"}`, nil},
			{"patch me bad avatar", "PATCH", "/user/me/", map[string]any{"avatar": "javascript:alert(1)"}, "ann", 422, "", jsonHas(`["body","avatar"]`)},
			{"patch me malformed", "PATCH", "/user/me/", `{"bio": }`, "ann", 422, "", jsonHas(`value_error.jsondecode`)},
			{"patch me no auth", "PATCH", "/user/me/", map[string]any{"bio": "x"}, "", 401, notAuthenticated, nil},
			{"password wrong current", "POST", "/user/me/password/", map[string]any{"current_password": "nope-nope", "new_password": "password2"}, "ann", 400, `{"detail":"Incorrect password"}`, nil},
			{"password too short", "POST", "/user/me/password/", map[string]any{"current_password": "password1", "new_password": "x"}, "ann", 422, "", jsonHas(`["body","new_password"]`)},
			{"password missing", "POST", "/user/me/password/", map[string]any{}, "ann", 422, "", jsonHas(`["body","current_password"]`, `["body","new_password"]`)},
			{"password malformed", "POST", "/user/me/password/", `[]`, "ann", 422, "", jsonHas(`type_error.dict`)},
			{"password change", "POST", "/user/me/password/", map[string]any{"current_password": "password1", "new_password": "password2"}, "ann", 204, "", nil},
			{"a token from before the password change", "GET", "/user/me/", nil, "ann", 401, badCredentials, nil},
			{"log in with the new password", "POST", "/token", url.Values{"username": {"ann"}, "password": {"password2"}}, "", 200, "", func(t *testing.T, r response) {
				var tok struct {
					AccessToken string `json:"access_token"`
				}
				r.json(t, &tok)
				f.tokens["ann"] = tok.AccessToken
				// ANN: ann's own token, issued now, with the name in another case.
				u, err := a.st.UserByName(ctx, "ann")
				if err != nil {
					t.Fatal(err)
				}
				u.Username = "ANN"
				f.tokens["ANN"], _ = testTokens().Access(u, true)
			}},
			{"the new token", "GET", "/user/me/", nil, "ann", 200, "", jsonHas(`"username":"ann"`)},
			{"follow", "POST", "/user/follow/2/", nil, "ann", 201, "", jsonHas(`"from_id":1`, `"to_id":2`, `"date":"`)},
			{"follow again", "POST", "/user/follow/2/", nil, "ann", 200, "", jsonHas(`"from_id":1`, `"to_id":2`)},
			{"follow self", "POST", "/user/follow/1/", nil, "ann", 400, `{"detail":"You cannot follow yourself"}`, nil},
			{"follow unknown", "POST", "/user/follow/999/", nil, "ann", 404, `{"detail":"User not found"}`, nil},
			{"follow non-integer", "POST", "/user/follow/bob/", nil, "ann", 422, `{"detail":[{"loc":["path","user_id"],"msg":"value is not a valid integer","type":"type_error.integer"}]}`, nil},
			{"follow overflow", "POST", "/user/follow/99999999999999999999/", nil, "ann", 422, "", jsonHas(`["path","user_id"]`)},
			{"follow negative", "POST", "/user/follow/-1/", nil, "ann", 404, `{"detail":"User not found"}`, nil},
			{"follow no auth", "POST", "/user/follow/2/", nil, "", 401, notAuthenticated, nil},
			{"followers", "GET", "/user/bob/followers/", nil, "", 200, "", jsonHas(`"username":"ann"`, `"following":1`)},
			{"following", "GET", "/user/ann/following/", nil, "", 200, "", jsonHas(`"username":"bob"`, `"followers":1`)},
			{"followers unknown", "GET", "/user/nobody/followers/", nil, "", 404, `{"detail":"User not found"}`, nil},
			{"timeline", "GET", "/user/timeline/?include_replies=true", nil, "ann", 200, "", jsonHas(`"text":"bob's reply"`)},
			{"timeline top-level only", "GET", "/user/timeline/", nil, "ann", 200, `[]`, nil},
			{"timeline no auth", "GET", "/user/timeline/", nil, "", 401, notAuthenticated, nil},
			{"timeline of a deleted user", "GET", "/user/timeline/", nil, "ghost", 401, badCredentials, headerIs("WWW-Authenticate", "Bearer")},
			{"timeline of a deleted user, bad limit", "GET", "/user/timeline/?limit=0", nil, "ghost", 401, badCredentials, nil},
			{"timeline, the name in another case", "GET", "/user/timeline/?include_replies=true", nil, "ANN", 200, "", jsonHas(`"text":"bob's reply"`)},
			{"timeline bad limit", "GET", "/user/timeline/?limit=0", nil, "ann", 422, "", jsonHas(`["query","limit"]`)},
			{"unfollow", "DELETE", "/user/follow/2/", nil, "ann", 204, "", nil},
			{"unfollow again", "DELETE", "/user/follow/2/", nil, "ann", 204, "", nil},
			{"unfollow unknown", "DELETE", "/user/follow/999/", nil, "ann", 404, `{"detail":"User not found"}`, nil},
		})
		if _, err := a.st.Authenticate(ctx, "ann", "password2"); err != nil {
			t.Fatalf("the password change did not take: %v", err)
		}
	})
}

func TestPostRoutes(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		f := newFixture(t, a)
		ghost, _ := testTokens().Access(store.User{ID: 999, Username: "ghost"}, true)
		f.tokens["ghost"] = ghost
		f.tokens["ANN"], _ = testTokens().Access(store.User{ID: 1, Username: "ANN"}, true)
		f.run(t, []scenario{
			{"create", "POST", "/post/", map[string]any{"text": "  third  ", "id": 50, "user_id": 2, "date": "2000-01-01T00:00:00Z"}, "ann", 201, "",
				func(t *testing.T, r response) {
					var p map[string]any
					r.json(t, &p)
					if p["id"] != 3.0 || p["text"] != "third" || p["user_id"] != 1.0 || p["username"] != "ann" || p["likes"] != 0.0 ||
						p["reply_count"] != 0.0 || p["parent_id"] != nil || strings.HasPrefix(p["date"].(string), "2000") {
						t.Errorf("created %v", p)
					}
				}},
			{"create too long", "POST", "/post/", map[string]any{"text": strings.Repeat("é", 281)}, "ann", 422, "", jsonHas(`["body","text"]`, `value_error.too_long`)},
			{"create 280 code points", "POST", "/post/", map[string]any{"text": strings.Repeat("é", 280)}, "ann", 201, "", nil},
			{"create empty", "POST", "/post/", map[string]any{"text": "   "}, "ann", 422, "", jsonHas(`["body","text"]`)},
			{"create NUL", "POST", "/post/", `{"text":"a\u0000b"}`, "ann", 422, "", jsonHas(`["body","text"]`)},
			{"create unknown parent", "POST", "/post/", map[string]any{"text": "x", "parent_id": 999}, "ann", 404, `{"detail":"Parent post not found"}`, nil},
			{"create bad parent", "POST", "/post/", map[string]any{"text": "x", "parent_id": "one"}, "ann", 422, "", jsonHas(`["body","parent_id"]`)},
			{"create huge parent", "POST", "/post/", `{"text":"x","parent_id":123456789012345678901234567890}`, "ann", 422, "", jsonHas(`["body","parent_id"]`)},
			{"create no auth", "POST", "/post/", map[string]any{"text": "x"}, "", 401, notAuthenticated, nil},
			{"create malformed", "POST", "/post/", `{"text":"x"`, "ann", 422, "", jsonHas(`value_error.jsondecode`)},
			// The author is found by the insert itself; a token whose user is
			// gone is still refused before anything else is judged.
			{"create by a deleted user", "POST", "/post/", map[string]any{"text": "boo"}, "ghost", 401, badCredentials, headerIs("WWW-Authenticate", "Bearer")},
			{"create invalid by a deleted user", "POST", "/post/", map[string]any{"text": ""}, "ghost", 401, badCredentials, nil},
			{"reply to unknown by a deleted user", "POST", "/post/", map[string]any{"text": "x", "parent_id": 999}, "ghost", 401, badCredentials, nil},
			{"create malformed by a deleted user", "POST", "/post/", `{"text":`, "ghost", 401, badCredentials, nil},
			{"create with the name in another case", "POST", "/post/", map[string]any{"text": "shouting"}, "ANN", 201, "", jsonHas(`"user_id":1`, `"username":"ann"`)},
			{"get", "GET", "/post/1/", nil, "", 200, "", jsonHas(`"id":1`, `"reply_count":1`, `"replies":[{"id":2,`, `"parent_id":1`)},
			{"get reply", "GET", "/post/2/", nil, "", 200, "", jsonHas(`"id":2`, `"replies":[]`)},
			{"get unknown", "GET", "/post/999/", nil, "", 404, `{"detail":"Post not found"}`, nil},
			{"get non-integer", "GET", "/post/abc/", nil, "", 422, `{"detail":[{"loc":["path","post_id"],"msg":"value is not a valid integer","type":"type_error.integer"}]}`, nil},
			{"edit by author", "PATCH", "/post/1/", map[string]any{"text": "ann's post, edited"}, "ann", 200, "", jsonHas(`"text":"ann's post, edited"`, `"reply_count":1`)},
			{"edit by another", "PATCH", "/post/1/", map[string]any{"text": "hijack"}, "bob", 403, `{"detail":"Not allowed"}`, nil},
			{"edit unknown", "PATCH", "/post/999/", map[string]any{"text": "x"}, "ann", 404, `{"detail":"Post not found"}`, nil},
			{"edit invalid", "PATCH", "/post/1/", map[string]any{"text": ""}, "ann", 422, "", jsonHas(`["body","text"]`)},
			{"edit malformed", "PATCH", "/post/1/", `nope`, "ann", 422, "", jsonHas(`value_error.jsondecode`)},
			{"edit no auth", "PATCH", "/post/1/", map[string]any{"text": "x"}, "", 401, notAuthenticated, nil},
			{"like", "POST", "/post/1/like/", nil, "bob", 201, "", jsonHas(`"user_id":2`, `"post_id":1`, `"date":"`)},
			{"like again", "POST", "/post/1/like/", nil, "bob", 200, "", jsonHas(`"user_id":2`, `"post_id":1`)},
			{"like unknown", "POST", "/post/999/like/", nil, "bob", 404, `{"detail":"Post not found"}`, nil},
			{"like no auth", "POST", "/post/1/like/", nil, "", 401, notAuthenticated, nil},
			{"likes of bob", "GET", "/post/likes/bob/", nil, "", 200, "", jsonHas(`"id":1`, `"likes":1`)},
			{"likes of unknown", "GET", "/post/likes/nobody/", nil, "", 404, `{"detail":"User not found"}`, nil},
			{"unlike", "DELETE", "/post/1/like/", nil, "bob", 204, "", nil},
			{"unlike again", "DELETE", "/post/1/like/", nil, "bob", 204, "", nil},
			{"unlike unknown", "DELETE", "/post/999/like/", nil, "bob", 404, `{"detail":"Post not found"}`, nil},
			{"posts of unknown user", "GET", "/post/user/nobody/", nil, "", 200, `[]`, nil},
			{"delete by another", "DELETE", "/post/1/", nil, "bob", 403, `{"detail":"Not allowed"}`, nil},
			{"delete by author", "DELETE", "/post/1/", nil, "ann", 204, "", nil},
			{"reply gone with it", "GET", "/post/2/", nil, "", 404, `{"detail":"Post not found"}`, nil},
			{"delete again", "DELETE", "/post/1/", nil, "ann", 404, `{"detail":"Post not found"}`, nil},
		})
		p, _ := a.st.GetPost(ctx, 3, 0)
		if p.Text != "third" {
			t.Fatalf("post 3 changed: %+v", p)
		}
	})
}

func TestTokenRoutes(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		f := newFixture(t, a)
		var pair struct {
			Access  string `json:"access_token"`
			Refresh string `json:"refresh_token"`
			Type    string `json:"token_type"`
		}
		r := a.do("POST", "/token", url.Values{"username": {"ANN"}, "password": {"password1"}, "grant_type": {"password"}, "scope": {""}}, "")
		expect(t, "login any case", r, 200, "")
		r.json(t, &pair)
		if pair.Type != "bearer" || pair.Access == "" || pair.Refresh == "" {
			t.Fatalf("pair %+v", pair)
		}
		f.tokens["refresh"] = pair.Refresh
		tk := testTokens()
		expired, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "ann", "fresh": true, "scope": "access_token",
			"exp": time.Now().Add(-time.Minute).Unix()}).SignedString(tk.Secret)
		f.tokens["expired"] = expired
		ghost, _ := tk.Access(store.User{ID: 999, Username: "ghost"}, true)
		f.tokens["ghost"] = ghost
		f.run(t, []scenario{
			{"wrong password", "POST", "/token", url.Values{"username": {"ann"}, "password": {"nope-nope"}}, "", 401,
				`{"detail":"Incorrect username or password"}`, headerIs("WWW-Authenticate", "Bearer")},
			{"unknown user", "POST", "/token", url.Values{"username": {"nobody"}, "password": {"password1"}}, "", 401, `{"detail":"Incorrect username or password"}`, nil},
			{"missing fields", "POST", "/token", url.Values{}, "", 422, "", jsonHas(`["body","username"]`, `["body","password"]`)},
			{"json instead of form", "POST", "/token", map[string]string{"username": "ann", "password": "password1"}, "", 422, "", jsonHas(`["body","username"]`, `["body","password"]`)},
			{"refresh token is not a bearer token", "GET", "/user/me/", nil, "refresh", 401, badCredentials, nil},
			{"expired", "GET", "/user/me/", nil, "expired", 401, badCredentials, nil},
			{"user no longer exists", "GET", "/user/me/", nil, "ghost", 401, badCredentials, nil},
			{"refresh", "POST", "/refresh_token", map[string]string{"refresh_token": pair.Refresh}, "", 200, "", func(t *testing.T, r response) {
				var p struct {
					Access string `json:"access_token"`
				}
				r.json(t, &p)
				claims := jwt.MapClaims{}
				if _, _, err := jwt.NewParser().ParseUnverified(p.Access, claims); err != nil || claims["fresh"] != false || claims["scope"] != "access_token" {
					t.Errorf("refreshed access claims %v %v", claims, err)
				}
			}},
			{"refresh with an access token", "POST", "/refresh_token", map[string]string{"refresh_token": pair.Access}, "", 401, badCredentials, headerIs("WWW-Authenticate", "Bearer")},
			{"refresh garbage", "POST", "/refresh_token", map[string]string{"refresh_token": "x"}, "", 401, badCredentials, nil},
			{"refresh missing", "POST", "/refresh_token", map[string]string{}, "", 422, "", jsonHas(`["body","refresh_token"]`)},
			{"refresh malformed", "POST", "/refresh_token", `{`, "", 422, "", jsonHas(`value_error.jsondecode`)},
		})
	})
}
