package main

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"

	"github.com/pamps/pamps/server/wire"
	"github.com/pamps/pamps/store"
)

// detail serves GET /detail: store.PostDetail of a random post among the
// first posts ids, the statement pamps serve runs for GET /post/{id}/, with
// nothing around it but net/http and the server's own JSON encoder: no
// routing, logging, request id or timeout. Its ratio to `pgbench -S` bounds
// what that endpoint can reach with that statement.
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
		body, err := wire.Encode(d)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
	return http.ListenAndServe(addr, mux)
}
