package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"

	"github.com/pamps/pamps/store"
)

// detail serves GET /detail: store.PostDetail of a random post among the
// first posts ids, the statement pamps serve runs for GET /post/{id}/, with
// nothing around it but net/http and JSON written by hand. Its ratio to
// `pgbench -S` bounds what that endpoint can reach with that statement.
func detail(addr, uri string, posts int) error {
	s, err := store.Open(context.Background(), store.Options{URI: uri})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /detail", func(w http.ResponseWriter, r *http.Request) {
		d, err := s.PostDetail(r.Context(), int64(rand.IntN(posts)+1), 0)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		body := append(appendPost(make([]byte, 0, 1024), d.Post), `,"replies":[`...)
		for i, p := range d.Replies {
			if i > 0 {
				body = append(body, ',')
			}
			body = append(appendPost(body, p), '}')
		}
		body = append(body, "]}"...)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	return http.ListenAndServe(addr, mux)
}

// appendPost writes a post's fields as an object left open. The seeded
// texts are ASCII, for which Go's quoting is JSON's.
func appendPost(b []byte, p store.Post) []byte {
	b = strconv.AppendInt(append(b, `{"id":`...), p.ID, 10)
	b = strconv.AppendQuote(append(b, `,"text":`...), p.Text)
	b = append(append(append(b, `,"date":"`...), p.Date.String()...), '"')
	b = strconv.AppendInt(append(b, `,"user_id":`...), p.UserID, 10)
	if p.ParentID != nil {
		b = strconv.AppendInt(append(b, `,"parent_id":`...), *p.ParentID, 10)
	} else {
		b = append(b, `,"parent_id":null`...)
	}
	b = strconv.AppendQuote(append(b, `,"username":`...), p.Username)
	b = strconv.AppendInt(append(b, `,"likes":`...), p.Likes, 10)
	return strconv.AppendInt(append(b, `,"reply_count":`...), p.ReplyCount, 10)
}
