package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/server"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

var ctx = context.Background()

const secret = "ONLYFORDEVELOPMENT"

func testTokens() server.Tokens {
	return server.Tokens{Secret: []byte(secret), AccessTTL: 30 * time.Minute, RefreshTTL: 600 * time.Minute}
}

// api is a real HTTP server over a store, and a client for it.
type api struct {
	t    *testing.T
	url  string
	st   *store.Store
	addr string // the client's address; "" is 127.0.0.1
}

func newAPI(t *testing.T, st *store.Store, tweak ...func(*server.Options)) *api {
	opt := server.Options{Tokens: testTokens(), LoginLimit: server.Rate{N: 1000, Per: time.Minute}}
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
func eachAPIWith(t *testing.T, tweak func(*server.Options), fn func(t *testing.T, a *api)) {
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
