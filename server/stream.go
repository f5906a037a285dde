package server

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pamps/pamps/store"
)

// The live event streams (API.md §3b): Server-Sent Events over the store's
// subscriptions. A stream holds no database connection while it waits.

func (s *Server) streamPublic(w http.ResponseWriter, r *http.Request) error {
	replies, err := readIncludeReplies(r)
	if err != nil {
		return err
	}
	return s.stream(w, r, store.Stream{Kind: store.StreamPublic, Replies: replies}, "addr:"+s.clientAddr(r), time.Time{})
}

func (s *Server) streamHome(w http.ResponseWriter, r *http.Request) error {
	replies, err := readIncludeReplies(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	// It ends when the token does: the client resumes with a fresh one
	// (Last-Event-ID loses nothing), so a signed-out or deleted member's
	// stream lasts at most an access token's life.
	return s.stream(w, r, store.Stream{Kind: store.StreamHome, Replies: replies, UserID: u.ID}, "user:"+strconv.FormatInt(u.ID, 10), tokenExpiry(r))
}

func (s *Server) streamUser(w http.ResponseWriter, r *http.Request) error {
	replies, err := readIncludeReplies(r)
	if err != nil {
		return err
	}
	u, err := s.store.UserByName(r.Context(), r.PathValue("username"))
	if err != nil {
		return err
	}
	return s.stream(w, r, store.Stream{Kind: store.StreamUser, Replies: replies, UserID: u.ID}, "addr:"+s.clientAddr(r), time.Time{})
}

func (s *Server) streamPost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post_id")
	if err != nil {
		return err
	}
	return s.stream(w, r, store.Stream{Kind: store.StreamPost, PostID: id}, "addr:"+s.clientAddr(r), time.Time{})
}

// readIncludeReplies reads the one query parameter streams take; a list's
// limit and cursor mean nothing to a stream and, as any unknown parameter,
// are ignored rather than checked.
func readIncludeReplies(r *http.Request) (bool, error) {
	var e inputError
	v := queryBool(lastValues(r), "include_replies", &e)
	return v, e.orNil()
}

// stream answers one subscriber: it subscribes, writes the head and hands
// the connection to the streamer (streamer.go), which serves it until the
// client leaves, falls behind, the server shuts down or until passes (zero:
// never). who is whom the per-user limit counts: the user, or for anonymous
// streams the client's address.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, st store.Stream, who string, until time.Time) error {
	release, err := s.streams.acquire(who)
	if err != nil {
		return &httpError{status: http.StatusTooManyRequests, detail: err.Error(), header: http.Header{"Retry-After": {"1"}}}
	}
	after, seq, err := lastEventID(r)
	if err != nil {
		release()
		return err
	}
	// The request's context (and its timeout) bounds only the
	// subscribing: the subscription keeps no context of its own.
	ls := &liveStream{release: release, until: until}
	streams := s.streamer()
	sub, err := s.store.Subscribe(r.Context(), st, store.SubscribeOptions{After: after, AfterSeq: seq,
		CatchUpCounts: after >= 0 && seq == 0, Buffer: s.opt.StreamBuffer,
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
	if sw, ok := w.(*statusWriter); ok {
		sw.status = http.StatusOK // for the access log: the head is written below
	}
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
	_ = conn.SetWriteDeadline(time.Now().Add(s.opt.StreamWriteTimeout))
	if _, err := io.WriteString(conn, b.String()); err != nil {
		sub.Close()
		conn.Close()
		release()
		return nil
	}
	streams.add(ls)
	return nil
}

// lastEventID reads a resuming client's Last-Event-ID; -1 when there is none.
func lastEventID(r *http.Request) (after int64, seq int, err error) {
	v := strings.TrimSpace(r.Header.Get("Last-Event-ID"))
	if v == "" {
		return -1, 0, nil
	}
	pos, sub, dotted := strings.Cut(v, ".")
	id, err := strconv.ParseInt(pos, 10, 64)
	if dotted && err == nil {
		var n int64
		n, err = strconv.ParseInt(sub, 10, 32)
		seq = int(n)
		if err == nil && seq < 1 {
			err = strconv.ErrRange
		}
	}
	if err != nil || id < 0 {
		var e inputError
		e.add("value is not a valid event id (a non-negative integer, with .N for a post.counts event)", "type_error.integer", "header", "Last-Event-ID")
		return 0, 0, &e
	}
	return id, seq, nil
}

// appendEvent writes one event in the text/event-stream format; its data
// is one line of JSON (JSON has no raw newlines).
func appendEvent(b []byte, e *store.Event) []byte {
	b = append(b, "id: "...)
	b = strconv.AppendInt(b, e.ID, 10)
	if e.Seq > 0 { // a post.counts flush after the event at ID: its own id
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(e.Seq), 10)
	}
	b = append(b, "\nevent: "...)
	b = append(b, e.Kind...)
	b = append(b, "\ndata: "...)
	switch e.Kind {
	case store.EventPost, store.EventPostUpdated:
		b = appendPost(b, e.Post)
	case store.EventPostDeleted:
		b = fmt.Appendf(b, `{"id":%d}`, e.PostID)
	case store.EventPostCounts:
		b = fmt.Appendf(b, `{"id":%d,"likes":%d,"reply_count":%d}`, e.PostID, e.Likes, e.ReplyCount)
	default:
		b = append(b, "{}"...)
	}
	return append(b, "\n\n"...)
}

// OpenStreams is the number of event streams open now.
func (s *Server) OpenStreams() int { return s.streams.open() }
