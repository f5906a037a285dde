package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pamps/pamps/server/stream"
	"github.com/pamps/pamps/store"
)

// The routes of the live event streams (docs/API.md §3b): each reads
// its request and hands it to server/stream.

func (s *Server) streamPublic(w http.ResponseWriter, r *http.Request) error {
	replies, err := readIncludeReplies(r)
	if err != nil {
		return err
	}
	return s.stream(w, r, store.Stream{Kind: store.StreamPublic, Replies: replies, Viewer: viewer(r), Signed: viewer(r) != 0}, "addr:"+s.clientAddr(r), time.Time{})
}

func (s *Server) streamHome(w http.ResponseWriter, r *http.Request) error {
	replies, err := readIncludeReplies(r)
	if err != nil {
		return err
	}
	u := currentUser(r)
	// It ends when the token expires (the client resumes with a fresh one;
	// Last-Event-ID loses nothing) or is revoked: a sign-out everywhere, a
	// suspension or the account's deletion ends it at once (Signed).
	return s.stream(w, r, store.Stream{Kind: store.StreamHome, Replies: replies, UserID: u.ID, Signed: true}, "user:"+strconv.FormatInt(u.ID, 10), tokenExpiry(r))
}

func (s *Server) streamUser(w http.ResponseWriter, r *http.Request) error {
	replies, err := readIncludeReplies(r)
	if err != nil {
		return err
	}
	u, err := s.store.UserSeenBy(r.Context(), r.PathValue("username"), viewer(r))
	if err != nil {
		return err
	}
	return s.stream(w, r, store.Stream{Kind: store.StreamUser, Replies: replies, UserID: u.ID, Viewer: viewer(r), Signed: viewer(r) != 0}, "addr:"+s.clientAddr(r), time.Time{})
}

func (s *Server) streamPost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post_id")
	if err != nil {
		return err
	}
	return s.stream(w, r, store.Stream{Kind: store.StreamPost, PostID: id, Viewer: viewer(r), Signed: viewer(r) != 0}, "addr:"+s.clientAddr(r), time.Time{})
}

// readIncludeReplies reads the one query parameter streams take; a list's
// limit and cursor mean nothing to a stream and, as any unknown parameter,
// are ignored rather than checked.
func readIncludeReplies(r *http.Request) (bool, error) {
	var e inputError
	v := queryBool(lastValues(r), "include_replies", &e)
	return v, e.orNil()
}

// stream hands the request to the streams (server/stream); who is whom
// the per-user limit counts: the user, or for anonymous streams the
// client's address.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, st store.Stream, who string, until time.Time) error {
	after, seq, err := lastEventID(r)
	if err != nil {
		return err
	}
	err = s.streams.Serve(w, r, stream.Request{Stream: st, Who: who, Until: until, After: after, Seq: seq})
	if sw, ok := w.(*statusWriter); ok && err == nil && sw.status == 0 {
		sw.status = http.StatusOK // for the access log: the head went out on the hijacked connection
	}
	return err
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
