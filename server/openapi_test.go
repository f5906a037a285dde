package server_test

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// contractRoutes are the routes of docs/API.md, written out by hand so
// that the document is checked against the contract, not against itself.
var contractRoutes = []string{
	"POST /token", "POST /refresh_token",
	"GET /user/", "POST /user/", "GET /user/{username}/", "GET /user/me/", "PATCH /user/me/",
	"POST /user/me/password/", "POST /user/me/logout/", "GET /user/me/keys/", "POST /user/me/keys/", "DELETE /user/me/keys/{key_id}/", "GET /user/{username}/followers/", "GET /user/{username}/following/",
	"POST /user/follow/{user_id}/", "DELETE /user/follow/{user_id}/", "GET /user/timeline/",
	"GET /post/", "POST /post/", "GET /post/{post_id}/", "GET /post/{post_id}/replies/", "PATCH /post/{post_id}/", "DELETE /post/{post_id}/",
	"GET /post/user/{username}/", "POST /post/{post_id}/like/", "DELETE /post/{post_id}/like/", "GET /post/likes/{username}/",
	"GET /stream/public/", "GET /stream/home/", "GET /stream/user/{username}/", "GET /stream/post/{post_id}/",
	"POST /user/block/{user_id}/", "DELETE /user/block/{user_id}/", "POST /user/mute/{user_id}/", "DELETE /user/mute/{user_id}/",
	"GET /user/me/blocks/", "GET /user/me/mutes/",
	"GET /notifications/", "GET /notifications/grouped/", "GET /notifications/unread/", "POST /notifications/read/",
	"GET /search/posts/", "GET /search/users/",
	"POST /report/", "GET /report/", "GET /admin/reports/", "POST /admin/reports/{report_id}/resolve/",
	"POST /admin/users/{user_id}/suspend/", "DELETE /admin/users/{user_id}/suspend/", "POST /admin/users/{user_id}/approve/",
	"POST /admin/users/{user_id}/role/", "GET /admin/invites/", "POST /admin/invites/", "DELETE /admin/invites/{code}/", "GET /admin/audit/",
	// Pamps' own, beside the contract's: one report, and the accounts with their standing.
	"GET /admin/reports/{report_id}/", "GET /admin/users/",
	"GET /user/me/export/", "DELETE /user/me/",
	"GET /openapi.json", "GET /docs", "GET /redoc", "GET /", "GET /healthz", "GET /readyz",
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st)
	tok := a.register("ann")
	r := a.do("GET", "/openapi.json", nil, "")
	expect(t, "openapi.json", r, 200, "")
	var doc struct {
		OpenAPI string `json:"openapi"`
		Paths   map[string]map[string]struct {
			OperationID string           `json:"operationId"`
			Responses   map[string]any   `json:"responses"`
			Security    []map[string]any `json:"security"`
			RequestBody any              `json:"requestBody"`
		} `json:"paths"`
		Components struct {
			Schemas         map[string]any `json:"schemas"`
			SecuritySchemes map[string]struct {
				Type  string `json:"type"`
				Flows map[string]struct {
					TokenURL string `json:"tokenUrl"`
				} `json:"flows"`
			} `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			if op.OperationID == "" || len(op.Responses) == 0 {
				t.Errorf("%s %s lacks an operationId or responses", method, path)
			}
		}
	}
	want := append([]string(nil), contractRoutes...)
	sort.Strings(documented)
	sort.Strings(want)
	if strings.Join(documented, "\n") != strings.Join(want, "\n") {
		t.Fatalf("documented routes differ from the contract:\n%s\n--- want ---\n%s", strings.Join(documented, "\n"), strings.Join(want, "\n"))
	}
	// Every documented route is served: no 404 Not Found or 405 from the router.
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, route := range documented {
		method, path, _ := strings.Cut(route, " ")
		concrete := param.ReplaceAllStringFunc(path, func(p string) string {
			if strings.HasSuffix(p, "_id}") {
				return "1"
			}
			return "ann"
		})
		if strings.HasPrefix(path, "/stream/") {
			continue // streams do not end; stream_test.go opens each
		}
		r := a.do(method, concrete, nil, tok)
		if r.status == 405 || (r.status == 404 && strings.Contains(string(r.body), `"Not Found"`)) {
			t.Errorf("%s is documented but not served (%d %s)", route, r.status, r.body)
		}
	}
	// And the router serves nothing else: a path outside the contract is a 404.
	for _, p := range []string{"/users/", "/post/1/likes/", "/admin/"} {
		expect(t, p, a.do("GET", p, nil, ""), 404, `{"detail":"Not Found"}`)
	}
	for _, name := range []string{"User", "Me", "Post", "PostDetail", "Token", "HTTPError", "ValidationError"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s missing", name)
		}
	}
	oauth := doc.Components.SecuritySchemes["OAuth2PasswordBearer"]
	if oauth.Type != "oauth2" || oauth.Flows["password"].TokenURL != "/token" {
		t.Errorf("security scheme %+v", oauth)
	}
	if len(doc.Paths["/user/me/"]["get"].Security) == 0 || len(doc.Paths["/user/me/"]["get"].Security[0]) == 0 {
		t.Error("/user/me/ is not marked as needing the bearer token")
	}
}

func TestDocsServeOffline(t *testing.T) {
	st := storetest.Open(t, storetest.SQLiteURI(t), store.Options{})
	a := newAPI(t, st)
	r := a.do("GET", "/docs", nil, "")
	if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("/docs: %d %v", r.status, r.header)
	}
	for _, src := range regexp.MustCompile(`(?:src|href)="(/docs/[^"]+)"`).FindAllStringSubmatch(string(r.body), -1) {
		asset := a.do("GET", src[1], nil, "")
		if asset.status != 200 || len(asset.body) == 0 {
			t.Errorf("%s: %d", src[1], asset.status)
		}
	}
	if strings.Contains(string(r.body), "http://") || strings.Contains(string(r.body), "https://") {
		t.Error("the docs page loads something from the internet")
	}
	expect(t, "unknown asset", a.do("GET", "/docs/nope.js", nil, ""), 404, `{"detail":"Not Found"}`)
	expect(t, "no traversal", a.do("GET", "/docs/..%2f..%2fgo.mod", nil, ""), 404, "")
}
