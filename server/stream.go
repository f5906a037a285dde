package server

import (
	"context"
	"fmt"
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
	return s.stream(w, r, store.Stream{Kind: store.StreamPublic, Replies: replies}, "addr:"+clientAddr(r))
}

func (s *Server) streamHome(w http.ResponseWriter, r *http.Request) error {
	replies, err := readIncludeReplies(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	return s.stream(w, r, store.Stream{Kind: store.StreamHome, Replies: replies, UserID: u.ID}, "user:"+strconv.FormatInt(u.ID, 10))
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
	return s.stream(w, r, store.Stream{Kind: store.StreamUser, Replies: replies, UserID: u.ID}, "addr:"+clientAddr(r))
}

func (s *Server) streamPost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post_id")
	if err != nil {
		return err
	}
	return s.stream(w, r, store.Stream{Kind: store.StreamPost, PostID: id}, "addr:"+clientAddr(r))
}

// readIncludeReplies reads the one query parameter streams take.
func readIncludeReplies(r *http.Request) (bool, error) {
	q, err := readListQuery(r)
	return q.includeReplies, err
}

// stream answers one subscriber until it leaves, falls behind, or the
// server shuts down. who is whom the per-user limit counts: the user, or
// for anonymous streams the client's address.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, st store.Stream, who string) error {
	release, err := s.streams.acquire(who)
	if err != nil {
		return tooMany(w, time.Second, err.Error())
	}
	defer release()
	after, err := lastEventID(r)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	defer context.AfterFunc(s.draining, cancel)() // graceful shutdown ends streams
	sub, err := s.store.Subscribe(ctx, st, store.SubscribeOptions{After: after, Buffer: s.opt.StreamBuffer})
	if err != nil {
		return err
	}
	defer sub.Close()

	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{}) // the server's read timeout would end the stream
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // proxies must not hold events back
	h.Set("Connection", "close")     // a stream's connection is not reused
	w.WriteHeader(http.StatusOK)
	var batch []byte
	flush := func() bool {
		_ = rc.SetWriteDeadline(time.Now().Add(s.opt.StreamWriteTimeout))
		if _, err := w.Write(batch); err != nil {
			return false
		}
		batch = batch[:0]
		return rc.Flush() == nil
	}
	batch = append(batch, "retry: 2000\n\n"...)
	if !flush() {
		return nil
	}
	ping := time.NewTicker(s.opt.StreamPing)
	defer ping.Stop()
	for {
		select {
		case <-sub.Ready():
		case <-ping.C:
			if batch = append(batch, ": ping\n\n"...); !flush() {
				return nil
			}
			continue
		case <-ctx.Done():
			return nil
		}
		// What waits goes out in writes of up to 64 KiB: a burst costs a
		// system call per write, not one per event.
		for more := true; more; {
			more = false
			for len(batch) < 64<<10 {
				e, ok, err := sub.TryNext(ctx)
				if err != nil { // the client fell behind, or the server is stopping
					if len(batch) > 0 {
						flush()
					}
					return nil
				}
				if !ok {
					break
				}
				more = true
				// Encoded once for every subscriber the event reaches.
				batch = append(batch, e.Memo.Bytes(func() []byte { return appendEvent(nil, &e) })...)
			}
			if len(batch) > 0 && !flush() {
				return nil
			}
		}
	}
}

// lastEventID reads a resuming client's Last-Event-ID; -1 when there is none.
func lastEventID(r *http.Request) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("Last-Event-ID"))
	if v == "" {
		return -1, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id < 0 {
		var e inputError
		e.add("value is not a valid event id (a non-negative integer)", "type_error.integer", "header", "Last-Event-ID")
		return 0, &e
	}
	return id, nil
}

// appendEvent writes one event in the text/event-stream format; its data
// is one line of JSON (JSON has no raw newlines).
func appendEvent(b []byte, e *store.Event) []byte {
	b = append(b, "id: "...)
	b = strconv.AppendInt(b, e.ID, 10)
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
