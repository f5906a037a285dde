package server_test

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/server"
	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// serveReal runs the server on a real listener through Serve, which adds
// the connection rules (timeouts, connections per client, smuggling).
func serveReal(t *testing.T, st *store.Store, tweak func(*httpapi.Options)) (addr string, logs *logBuffer) {
	t.Helper()
	logs = &logBuffer{}
	opt := httpapi.Options{Tokens: testTokens(), Logger: slog.New(slog.NewJSONHandler(logs, nil))}
	if tweak != nil {
		tweak(&opt)
	}
	return strings.TrimPrefix(serveOn(t, server.New(st, opt)), "http://"), logs
}

// logBuffer is text written by one goroutine and read by another: the
// server's log, written as requests end, or a terminal's screen.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *logBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *logBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// has waits up to 5 s for want in the log: an access line is written as
// its handler returns, after the client has the answer.
func (w *logBuffer) has(want string) bool {
	return eventually.Poll(5*time.Second, func() bool { return strings.Contains(w.String(), want) })
}

// TestSlowBodyIs408: a body that does not arrive in time is the client's
// doing: 408, logged as 408 (it was a 503 after 15 s).
func TestSlowBodyIs408(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	addr, logs := serveReal(t, st, func(o *httpapi.Options) { o.BodyTimeout = 500 * time.Millisecond })
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /user/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{\"email\":")
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 408 || !strings.Contains(string(body), `"detail":"Request Timeout"`) {
		t.Fatalf("slow body: %d %s", res.StatusCode, body)
	}
	if !logs.has(`"status":408`) {
		t.Fatalf("log: %s", logs.String())
	}
}

// TestSmugglingClosesTheConnection: a request with both Content-Length and
// Transfer-Encoding is answered, then its connection closed, so nothing a
// proxy framed differently can follow on it.
func TestSmugglingClosesTheConnection(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	addr, _ := serveReal(t, st, nil)
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /refresh_token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	if !res.Close { // ReadResponse takes "Connection: close" out of the header into Close
		t.Errorf("first answer %d without Connection: close", res.StatusCode)
	}
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	if res, err := http.ReadResponse(br, nil); err == nil {
		t.Errorf("the pipelined request was answered too: %d", res.StatusCode)
	}
	// A plain request keeps its connection.
	c2, _ := net.Dial("tcp", addr)
	defer c2.Close()
	fmt.Fprintf(c2, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	res, err = http.ReadResponse(bufio.NewReader(c2), nil)
	if err != nil || res.Close {
		t.Errorf("a plain request: %v %v", err, res.Header)
	}
}

// TestConnectionsPerClient: server.max_conns_per_client bounds what one
// address holds (4,000 idle keep-alive connections were accepted); others
// are unaffected, and a closed connection frees its place.
func TestConnectionsPerClient(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	addr, _ := serveReal(t, st, func(o *httpapi.Options) { o.Conns.MaxPerClient = 3 })
	var held []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
		if res, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil || res.StatusCode != 200 {
			t.Fatalf("connection %d: %v", len(held), err)
		}
	}
	over, _ := net.Dial("tcp", addr)
	res, err := http.ReadResponse(bufio.NewReader(over), nil)
	if err != nil || res.StatusCode != 429 {
		t.Fatalf("a fourth connection: %v %v", err, res)
	}
	body, _ := io.ReadAll(res.Body)
	if string(body) != `{"detail":"Too many connections"}` {
		t.Errorf("429 body %q", body)
	}
	other, err := (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(other, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	if res, err := http.ReadResponse(bufio.NewReader(other), nil); err != nil || res.StatusCode != 200 {
		t.Fatalf("another client: %v", err)
	}
	held[0].Close()
	// The place is free once the server has seen the close: try until then.
	eventually.True(t, 5*time.Second, func() bool {
		var again net.Conn
		again, err = net.Dial("tcp", addr)
		if err == nil {
			fmt.Fprintf(again, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
			res, err = http.ReadResponse(bufio.NewReader(again), nil)
			again.Close()
		}
		return err == nil && res.StatusCode == 200
	}, "after one closed: %v %v", eventually.Lazy(func() string { return fmt.Sprint(err) }), eventually.Lazy(func() string { return fmt.Sprint(res) }))
}

// TestFirstMinuteRoutes: / leads to the docs, /redoc is served by the
// binary, and requests no route takes are logged with the path asked for
// (they were logged with "path":"").
func TestFirstMinuteRoutes(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	addr, logs := serveReal(t, st, nil)
	get := func(p string) *http.Response {
		req, _ := http.NewRequest("GET", "http://"+addr+p, nil)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	if res := get("/"); res.StatusCode != 307 || res.Header.Get("Location") != "/docs" {
		t.Fatalf("GET /: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	res := get("/redoc")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || res.Header.Get("X-Frame-Options") != "DENY" ||
		!strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Fatalf("GET /redoc: %d %v", res.StatusCode, res.Header)
	}
	for _, asset := range []string{"/docs/redoc.standalone.js", "/docs/redoc-init.js"} {
		if res := get(asset); res.StatusCode != 200 {
			t.Errorf("%s: %d", asset, res.StatusCode)
		}
	}
	get("/no/such/path")
	req, _ := http.NewRequest("DELETE", "http://"+addr+"/post/", nil)
	http.DefaultTransport.RoundTrip(req)
	get("/post")
	for _, want := range []string{`"path":"/no/such/path","status":404`, `"method":"DELETE","path":"/post/","status":405`, `"path":"/post","status":307`, `"path":"/docs/redoc.standalone.js","status":200`} {
		if !logs.has(want) {
			t.Errorf("the log lacks %s:\n%s", want, logs.String())
		}
	}
	if strings.Contains(logs.String(), `"path":""`) {
		t.Errorf("a request logged without its path:\n%s", logs.String())
	}
}
