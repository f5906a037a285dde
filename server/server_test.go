package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	httpapi "github.com/pamps/pamps/server/api"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/pamps/pamps/server"
	"github.com/pamps/pamps/server/auth"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

var ctx = context.Background()

const secret = "ONLYFORDEVELOPMENT"

func testTokens() auth.Tokens {
	return auth.Tokens{Secret: []byte(secret), AccessTTL: 30 * time.Minute, RefreshTTL: 600 * time.Minute}
}

// api is a real HTTP server over a store, and a client for it.
type api struct {
	t    *testing.T
	url  string
	st   *store.Store
	addr string // the client's address; "" is 127.0.0.1
}

func newAPI(t *testing.T, st *store.Store, tweak ...func(*httpapi.Options)) *api {
	opt := httpapi.Options{Tokens: testTokens()}
	for _, f := range tweak {
		f(&opt)
	}
	ts := httptest.NewServer(server.New(st, opt))
	t.Cleanup(ts.Close)
	return &api{t: t, url: ts.URL, st: st}
}

// from is a client of the same server at another loopback address, which
// the server takes for another client (limits per client).
func (a *api) from(addr string) *api {
	b := *a
	b.addr = addr
	return &b
}

// eachAPI runs fn against a server on SQLite and on PostgreSQL.
func eachAPI(t *testing.T, fn func(t *testing.T, a *api)) { eachAPIWith(t, nil, fn) }

// eachAPIWith is eachAPI with the server's options tweaked (tweak may be nil).
func eachAPIWith(t *testing.T, tweak func(*httpapi.Options), fn func(t *testing.T, a *api)) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		if tweak == nil {
			fn(t, newAPI(t, st))
			return
		}
		fn(t, newAPI(t, st, tweak))
	})
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body.
func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body is not JSON (%v): %q", err, r.body)
	}
}

// The served OpenAPI document, loaded with kin-openapi, and its router:
// every response a test gets from a documented route is validated against
// it (do), so a handler, an encoder and the document cannot drift apart.
var (
	docOnce   sync.Once
	servedDoc *openapi3.T
	docRouter routers.Router
	docErr    error
)

func openAPIRouter() (routers.Router, error) {
	docOnce.Do(func() {
		// Streams are text: checked as a string.
		openapi3filter.RegisterBodyDecoder("text/event-stream", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
			b, err := io.ReadAll(body)
			return string(b), err
		})
		// The docs pages are HTML: read as text, checked as a string.
		openapi3filter.RegisterBodyDecoder("text/html", func(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
			b, err := io.ReadAll(body)
			return string(b), err
		})
		raw, err := json.Marshal(server.New(nil, httpapi.Options{Tokens: testTokens()}).OpenAPI())
		if err != nil {
			docErr = err
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(raw)
		if err != nil {
			docErr = err
			return
		}
		if docErr = doc.Validate(loader.Context); docErr != nil {
			return
		}
		servedDoc = doc
		docRouter, docErr = legacy.NewRouter(doc)
	})
	return docRouter, docErr
}

// covered are the documented operations some test's response was
// validated on; TestMain requires them all when the whole package runs.
var (
	coveredMu sync.Mutex
	covered   = map[string]bool{}
)

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" {
		if _, err := openAPIRouter(); err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		var missing []string
		for path, item := range servedDoc.Paths.Map() {
			for method := range item.Operations() {
				if !covered[method+" "+path] {
					missing = append(missing, method+" "+path)
				}
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			fmt.Printf("FAIL: no test's response was validated against the OpenAPI document for: %s\n", strings.Join(missing, ", "))
			code = 1
		}
	}
	os.Exit(code)
}

// checkAgainstDocument validates a response to req against the document.
func (a *api) checkAgainstDocument(req *http.Request, status int, header http.Header, body []byte) {
	a.t.Helper()
	router, err := openAPIRouter()
	if err != nil {
		a.t.Fatalf("the OpenAPI document: %v", err)
	}
	probe := req.Clone(context.Background())
	probe.URL.Scheme, probe.URL.Host = "", ""
	route, params, err := router.FindRoute(probe)
	if err != nil {
		return // not a documented route: 404, 405 and redirects of other spellings
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status:  status,
		Header:  header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(body)
	coveredMu.Lock()
	covered[route.Method+" "+route.Path] = true
	coveredMu.Unlock()
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		a.t.Errorf("%s %s answered %d, which the OpenAPI document does not describe: %v", req.Method, req.URL.Path, status, err)
	}
}

// do sends a request. body may be a string (sent as is) or a value (JSON).
func (a *api) do(method, path string, body any, token string, headers ...string) response {
	a.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		j, _ := json.Marshal(b)
		rd, ctype = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, a.url+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if a.addr != "" {
		dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(a.addr)}}
		client.Transport = &http.Transport{DialContext: dialer.DialContext}
	}
	res, err := client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	a.checkAgainstDocument(req, res.StatusCode, res.Header, b)
	return response{status: res.StatusCode, header: res.Header, body: b}
}

// register creates a user through the API and returns its access token.
func (a *api) register(name string) string {
	a.t.Helper()
	r := a.do("POST", "/user/", map[string]string{"email": name + "@example.com", "username": name, "password": "password1"}, "")
	if r.status != 201 {
		a.t.Fatalf("register %s: %d %s", name, r.status, r.body)
	}
	return a.login(name, "password1")
}

func (a *api) login(name, password string) string {
	a.t.Helper()
	access, _ := a.pair(name, password)
	return access
}

// expect checks status and, when want is not empty, the exact JSON body.
func expect(t *testing.T, name string, r response, status int, want string) {
	t.Helper()
	if r.status != status {
		t.Errorf("%s: status %d, want %d; body %s", name, r.status, status, r.body)
		return
	}
	if want == "" {
		return
	}
	var got, exp any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Errorf("%s: body not JSON: %q", name, r.body)
		return
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("%s: bad expectation %q", name, want)
	}
	g, _ := json.Marshal(got)
	e, _ := json.Marshal(exp)
	if string(g) != string(e) {
		t.Errorf("%s: body\n got %s\nwant %s", name, g, e)
	}
}
