package server_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/server"
	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/server/stream"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestStreamCarriesEveryEvent: a stream starts with retry, then carries
// posts, edits, deletions and counts, ids growing, data as docs/API.md says.
func TestStreamCarriesEveryEvent(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		tok := a.register("ann")
		s := a.stream("/stream/public/", "")
		if l, _ := s.line(); l != "retry: 2000" {
			t.Fatalf("first line %q, want retry: 2000", l)
		}
		r := a.do("POST", "/post/", map[string]any{"text": "hello, live"}, tok)
		var p store.Post
		r.json(t, &p)
		e := s.next()
		var got store.Post
		if err := json.Unmarshal([]byte(e.data), &got); err != nil || e.name != "post" || got.ID != p.ID || got.Text != "hello, live" || got.Username != "ann" {
			t.Fatalf("post event: %+v (%v)", e, err)
		}
		first, _ := strconv.ParseInt(e.id, 10, 64)
		// The post's own stream and ann's home carry a reply to it.
		thread := a.stream("/stream/post/"+strconv.FormatInt(p.ID, 10)+"/", "")
		home := a.stream("/stream/home/?include_replies=true", tok)
		a.do("POST", "/post/", map[string]any{"text": "a reply", "parent_id": p.ID}, tok)
		for name, st := range map[string]*sse{"thread": thread, "home": home} {
			if e := st.next("post.counts"); e.name != "post" || !strings.Contains(e.data, `"text":"a reply"`) {
				t.Fatalf("%s: %+v, want the reply", name, e)
			}
		}
		a.do("PATCH", "/post/"+strconv.FormatInt(p.ID, 10)+"/", map[string]any{"text": "edited"}, tok)
		a.do("POST", "/post/"+strconv.FormatInt(p.ID, 10)+"/like/", nil, tok)
		e = s.next("post.counts")
		if e.name != "post.updated" || !strings.Contains(e.data, `"text":"edited"`) {
			t.Fatalf("edit event: %+v", e)
		}
		if id, _ := strconv.ParseInt(e.id, 10, 64); id <= first {
			t.Fatalf("ids do not grow: %d after %d", id, first)
		}
		// Counts come at most once a second: the one after both changes.
		want := `{"id":` + strconv.FormatInt(p.ID, 10) + `,"likes":1,"reply_count":1}`
		for e = s.next(); e.name == "post.counts" && e.data != want; e = s.next() {
		}
		if e.name != "post.counts" || e.data != want {
			t.Fatalf("counts event: %+v", e)
		}
		a.do("DELETE", "/post/"+strconv.FormatInt(p.ID, 10)+"/", nil, tok)
		if e = s.next("post.counts"); e.name != "post.deleted" || e.data != `{"id":`+strconv.FormatInt(p.ID, 10)+`}` {
			t.Fatalf("delete event: %+v", e)
		}
	})
}

// TestStreamResumesWithLastEventID: a client reconnecting with the last id
// it saw gets what it missed, in order, once; a bad id is a 422.
func TestStreamResumesWithLastEventID(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		tok := a.register("ann")
		s := a.stream("/stream/user/ann/", "")
		var ids []string
		for i := range 4 {
			a.do("POST", "/post/", map[string]any{"text": "post " + strconv.Itoa(i)}, tok)
			ids = append(ids, s.next("post.counts").id)
		}
		s.cancel() // a forced disconnect
		a.do("POST", "/post/", map[string]any{"text": "while away"}, tok)
		again := a.stream("/stream/user/ann/", "", "Last-Event-ID", ids[1])
		for _, want := range ids[2:] {
			if e := again.next("post.counts"); e.id != want {
				t.Fatalf("replay: id %s, want %s", e.id, want)
			}
		}
		if e := again.next("post.counts"); !strings.Contains(e.data, "while away") {
			t.Fatalf("the missed post: %+v", e)
		}
		expect(t, "bad Last-Event-ID", a.do("GET", "/stream/public/", nil, "", "Last-Event-ID", "yesterday"), 422, "")
	})
}

// TestStreamResetPastTheWindow: an id older than the replay window starts
// the stream with reset.
func TestStreamResetPastTheWindow(t *testing.T) {
	t.Parallel() // it mostly waits (a window, a token's life, a cluster): others run meanwhile
	storetest.EachURI(t, func(t *testing.T, uri string) {
		a := newAPI(t, storetest.Migrated(t, uri, store.Options{StreamReplay: time.Second}))
		tok := a.register("ann")
		s := a.stream("/stream/public/", "")
		a.do("POST", "/post/", map[string]any{"text": "old"}, tok)
		old := s.next("post.counts")
		eventually.True(t, 15*time.Second, func() bool { return storetest.Count(t, a.st, "event") <= 0 }, "never pruned")
		oldID, _ := strconv.ParseInt(old.id, 10, 64)
		again := a.stream("/stream/public/", "", "Last-Event-ID", strconv.FormatInt(oldID-1, 10))
		if e := again.next(); e.name != "reset" {
			t.Fatalf("first event %+v, want reset", e)
		}
	})
}

// TestStreamRefusals: unknown users and posts, bad ids, no token, over
// the limits.
func TestStreamRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st, func(o *httpapi.Options) { o.Streams.MaxPerUser = 1; o.Streams.Max = 2 })
		tok := a.register("ann")
		expect(t, "unknown user", a.do("GET", "/stream/user/nobody/", nil, ""), 404, `{"detail":"User not found"}`)
		expect(t, "unknown post", a.do("GET", "/stream/post/999999/", nil, ""), 404, `{"detail":"Post not found"}`)
		expect(t, "bad post id", a.do("GET", "/stream/post/abc/", nil, ""), 422, "")
		expect(t, "home without a token", a.do("GET", "/stream/home/", nil, ""), 401, "")
		expect(t, "bad include_replies", a.do("GET", "/stream/public/?include_replies=maybe", nil, ""), 422, "")
		a.stream("/stream/home/", tok)
		r := a.do("GET", "/stream/home/", nil, tok)
		expect(t, "a second stream of one user", r, 429, "")
		if r.header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		a.from("127.0.0.2").stream("/stream/public/", "")
		expect(t, "a third stream on the server", a.from("127.0.0.3").do("GET", "/stream/public/", nil, ""), 429, "")
	})
}

// TestStreamCutsOffAClientThatStopsReading: a client that never reads is
// disconnected, however much is posted: its buffer of events fills while
// the server's write waits on it, or the write's deadline passes.
func TestStreamCutsOffAClientThatStopsReading(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := server.New(st, httpapi.Options{Tokens: testTokens(), Streams: stream.Options{Buffer: 4, WriteTimeout: 200 * time.Millisecond}})
		ts := httptest.NewServer(srv)
		defer ts.Close()
		ann := storetest.MustUser(t, st, "ann")
		conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		conn.(*net.TCPConn).SetReadBuffer(1024)
		conn.Write([]byte("GET /stream/public/ HTTP/1.1\r\nHost: x\r\n\r\n"))
		eventually.True(t, 5*time.Second, func() bool { return srv.OpenStreams() != 0 }, "the stream never opened")
		text := strings.Repeat("x", 250)
		posted := 0
		for ; srv.OpenStreams() > 0 && posted < 20000; posted++ {
			storetest.MustPost(t, st, ann.ID, text, 0)
		}
		eventually.True(t, 10*time.Second, func() bool { return srv.OpenStreams() <= 0 }, "after %d posts the stream of a client that never reads is still open", posted)
		t.Logf("cut off after %d posts", posted)
	})
}

// TestShutdownEndsStreams: Serve's graceful shutdown closes open streams
// at once instead of waiting for its timeout.
func TestShutdownEndsStreams(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	srv := server.New(st, httpapi.Options{Tokens: testTokens(), ShutdownTimeout: 30 * time.Second})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	a := &api{t: t, url: "http://" + ln.Addr().String(), st: st}
	s := a.stream("/stream/public/", "")
	s.line()
	began := time.Now()
	stop()
	if !s.ended(10 * time.Second) {
		t.Fatal("the stream stayed open through shutdown")
	}
	if err := <-done; err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Fatalf("shutdown took %s", d)
	}
}

// TestDepartedClientsLeaveTheirPlace: a client that closes its stream no
// longer counts against the limits within seconds, with no event to write.
func TestDepartedClientsLeaveTheirPlace(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	srv := server.New(st, httpapi.Options{Tokens: testTokens(), Streams: stream.Options{MaxPerUser: 1}})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	a := &api{t: t, url: ts.URL, st: st}
	s := a.stream("/stream/public/", "")
	s.line()
	s.cancel()
	eventually.True(t, 5*time.Second, func() bool { return srv.OpenStreams() <= 0 }, "the departed client's stream is still counted")
	a.stream("/stream/public/", "") // its place is free again
}

// TestStreamsTakeOnlyIncludeReplies: a stream checks include_replies (422
// when it is not a boolean) and ignores a list's limit and cursor, which
// mean nothing to it.
func TestStreamsTakeOnlyIncludeReplies(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st)
	if r := a.do("GET", "/stream/public/?include_replies=maybe", nil, ""); r.status != 422 || !strings.Contains(string(r.body), "include_replies") {
		t.Errorf("include_replies=maybe: %d %s, want 422 naming it", r.status, r.body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", a.url+"/stream/public/?limit=abc&cursor=zz&include_replies=false&include_replies=true", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Errorf("a stream with a list's limit and cursor: %d %s, want the stream", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
