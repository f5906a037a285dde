package server_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/server"
	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/server/conns"
	"github.com/pamps/pamps/server/stream"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// serveOn runs srv.Serve on a loopback listener, as pamps serve does
// (with its per-client connection wrappers), until the test ends.
func serveOn(t *testing.T, srv *server.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ctx, ln) }()
	t.Cleanup(func() { stop(); <-done })
	return "http://" + ln.Addr().String()
}

// stalledStream opens /stream/public/ on a raw connection that never reads.
func stalledStream(t *testing.T, url string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.(*net.TCPConn).SetReadBuffer(1024)
	conn.Write([]byte("GET /stream/public/ HTTP/1.1\r\nHost: x\r\n\r\n"))
	return conn
}

func waitStreams(t *testing.T, srv *server.Server, ok func(n int) bool, what string) {
	t.Helper()
	eventually.True(t, 10*time.Second, func() bool { return ok(srv.OpenStreams()) }, "%s: %s streams open", what, eventually.Lazy(func() string { return fmt.Sprint(srv.OpenStreams()) }))
}

// TestStalledClientsDoNotHoldTheWriters: clients that stop reading, more
// than there are writers, must not delay a client that reads: it gets
// every post while they are all still open (they are cut off only after
// the write timeout). Each used to hold a writer for up to 10 s.
func TestStalledClientsDoNotHoldTheWriters(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	srv := server.New(st, httpapi.Options{Tokens: testTokens(), Streams: stream.Options{Buffer: 1 << 20, WriteTimeout: time.Minute}})
	url := serveOn(t, srv)
	const stalled = 24
	for range stalled {
		stalledStream(t, url)
	}
	waitStreams(t, srv, func(n int) bool { return n == stalled }, "the stalled streams never opened")
	a := &api{t: t, url: url, st: st}
	reader := a.stream("/stream/public/", "")
	reader.line()
	ann := storetest.MustUser(t, st, "ann")
	text := strings.Repeat("😀", 270) // 1 KB of JSON a post
	const posts = 6000               // 6 MB per stream: more than a socket's buffers take (4 MB)
	var last store.Post
	for i := range posts {
		last = storetest.MustPost(t, st, ann.ID, text+strconv.Itoa(i), 0)
	}
	for {
		e := reader.next("post.counts")
		if e.id != "" && strings.Contains(e.data, `"id":`+strconv.FormatInt(last.ID, 10)+",") {
			break
		}
	}
	if n := srv.OpenStreams(); n != stalled+1 {
		t.Fatalf("the reader got the last post only once stalled streams were cut off (%d open)", n)
	}
}

// TestDepartedClientsLeaveTheirPlaceBehindServe: through Serve's own
// listener, whose wrappers hid the socket from the departure check, a
// closed stream kept its place until the next ping (15 s), and a quick
// reconnect got 429.
func TestDepartedClientsLeaveTheirPlaceBehindServe(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	srv := server.New(st, httpapi.Options{Tokens: testTokens(), Streams: stream.Options{MaxPerUser: 1, Ping: time.Hour}, Conns: conns.Options{MaxPerClient: 64}})
	a := &api{t: t, url: serveOn(t, srv), st: st}
	s := a.stream("/stream/public/", "")
	s.line()
	s.cancel()
	waitStreams(t, srv, func(n int) bool { return n == 0 }, "the departed client's stream is still counted")
	a.stream("/stream/public/", "") // its place is free again
}

// TestReplayDrainsAtOnce: a resume with more than a write's 64 KB to
// replay gets all of it without waiting for another event or a ping.
func TestReplayDrainsAtOnce(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	srv := server.New(st, httpapi.Options{Tokens: testTokens(), Streams: stream.Options{Ping: time.Hour}})
	a := &api{t: t, url: serveOn(t, srv), st: st}
	ann := storetest.MustUser(t, st, "ann")
	first := storetest.MustPost(t, st, ann.ID, "the first", 0)
	s := a.stream("/stream/public/", "")
	s.line()
	var last store.Post
	for i := range 600 { // ~180 KB of events
		last = storetest.MustPost(t, st, ann.ID, strings.Repeat("y", 250)+strconv.Itoa(i), 0)
	}
	s.cancel()
	from := s.next("post.counts") // the first event after the first post
	_ = first
	r := a.stream("/stream/public/", "", "Last-Event-ID", from.id)
	for {
		e := r.next("post.counts") // fails after 10 s without a line; the ping is an hour away
		if strings.Contains(e.data, `"id":`+strconv.FormatInt(last.ID, 10)+",") {
			return
		}
	}
}

// TestNoStreamGetsAnEventTwice: a stream handed to a second writer while
// one was serving it was served by both at once, sharing its batch, and
// its client got an event twice (bench/stream.sh: 2 in 200,000). Many
// subscribers, posts from several goroutines: every subscriber gets every
// post exactly once.
func TestNoStreamGetsAnEventTwice(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	srv := server.New(st, httpapi.Options{Tokens: testTokens(), Streams: stream.Options{Buffer: 1 << 16}})
	a := &api{t: t, url: serveOn(t, srv), st: st}
	ann := storetest.MustUser(t, st, "ann")
	const subs, writers, each = 16, 8, 150
	streams := make([]*sse, subs)
	for i := range streams {
		streams[i] = a.stream("/stream/public/", "")
		streams[i].line()
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if _, err := st.CreatePost(ctx, ann.ID, fmt.Sprintf("w%d %d", w, i), nil); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, s := range streams {
		seen := map[string]bool{}
		for len(seen) < writers*each {
			e := s.next("post.counts")
			if seen[e.id] {
				t.Fatalf("subscriber %d got event %s twice", i, e.id)
			}
			seen[e.id] = true
		}
	}
}
