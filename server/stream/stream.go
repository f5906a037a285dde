// Package stream serves the live event streams (docs/API.md §3b):
// Server-Sent Events over the store's subscriptions. The HTTP API parses
// a stream's request and hands it here; a stream then holds no goroutine,
// no buffer and no database connection of its own while it waits.
package stream

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/pamps/pamps/server/conns"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
)

// Options configure the streams.
type Options struct {
	// Buffer is how many events may wait for a slow stream client before
	// it is disconnected; 0 is 1024.
	Buffer int
	// Max and MaxPerUser bound open streams in total and per user
	// (anonymous streams: per client address); 0 is no limit.
	Max, MaxPerUser int
	// Ping is how often an idle stream gets a comment; 0 is 15s.
	Ping time.Duration
	// WriteTimeout bounds each write to a stream's client, which is
	// disconnected when it stops reading; 0 is 10s.
	WriteTimeout time.Duration
}

// Streams are the open streams of one server.
type Streams struct {
	hub     *live.Hub
	opt     Options
	slots   *conns.Slots
	once    sync.Once
	writers *streamer
	// draining ends when the server begins its shutdown: streams close then.
	draining context.Context
	drain    context.CancelFunc
}

// New makes the streams of a server over hub's events.
func New(hub *live.Hub, opt Options) *Streams {
	if opt.WriteTimeout <= 0 {
		opt.WriteTimeout = 10 * time.Second
	}
	if opt.Ping <= 0 {
		opt.Ping = 15 * time.Second
	}
	s := &Streams{hub: hub, opt: opt, slots: conns.NewSlots(opt.Max, opt.MaxPerUser, "streams", "server.max_streams")}
	s.draining, s.drain = context.WithCancel(context.Background())
	return s
}

// Request is what a stream's HTTP request asked for.
type Request struct {
	Stream store.Stream
	// Who is whom the per-user limit counts: "user:ID", or for anonymous
	// streams "addr:" and the client's address.
	Who string
	// Until ends the stream (its token's expiry); zero: never.
	Until time.Time
	// After and Seq are where a resuming client's Last-Event-ID points;
	// After is -1 when there is none.
	After int64
	Seq   int
}

// Serve answers one subscriber: it subscribes, writes the head and hands
// the connection to the writers (writers.go), which serve it until the
// client leaves, falls behind, the server shuts down or Until passes. An
// error is the request's answer (a *conns.FullError when the limits are
// full); once the head is out it returns nil.
func (s *Streams) Serve(w http.ResponseWriter, r *http.Request, req Request) error {
	release, err := s.slots.Acquire(req.Who)
	if err != nil {
		return err
	}
	// The request's context (and its timeout) bounds only the
	// subscribing: the subscription keeps no context of its own.
	ls := &liveStream{release: release, until: req.Until}
	streams := s.streamer()
	sub, err := s.hub.Subscribe(r.Context(), req.Stream, live.SubscribeOptions{After: req.After, AfterSeq: req.Seq,
		CatchUpCounts: req.After >= 0 && req.Seq == 0, Buffer: s.opt.Buffer,
		OnReady: func() { streams.schedule(ls) }})
	if err != nil {
		release()
		return err
	}
	ls.sub = sub
	head := w.Header().Clone()
	head.Set("Content-Type", "text/event-stream")
	head.Set("Cache-Control", "no-cache")
	head.Set("X-Accel-Buffering", "no") // proxies must not hold events back
	head.Set("Connection", "close")     // the body ends when the connection does
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		sub.Close()
		release()
		return err
	}
	discardBuffered(rw)
	_ = conn.SetReadDeadline(time.Time{})
	ls.conn = conn
	var b strings.Builder
	b.WriteString("HTTP/1.1 200 OK\r\n")
	_ = head.Write(&b)
	b.WriteString("\r\nretry: 2000\n\n")
	_ = conn.SetWriteDeadline(time.Now().Add(s.opt.WriteTimeout))
	if _, err := io.WriteString(conn, b.String()); err != nil {
		sub.Close()
		conn.Close()
		release()
		return nil
	}
	streams.add(ls)
	return nil
}

// Open is the number of streams open now.
func (s *Streams) Open() int { return s.slots.Open() }

// Close ends every stream, now and from now on: the server's graceful
// shutdown (a stream never ends by itself).
func (s *Streams) Close() { s.drain() }

// streamer starts the writers on first use.
func (s *Streams) streamer() *streamer {
	s.once.Do(func() { s.writers = newStreamer(s) })
	return s.writers
}
