package api

import (
	"context"
	"net/http"

	"github.com/pamps/pamps/store"
)

// readAs runs an anonymous read on a read replica that is up (the store's
// Read: on failure it runs again on the primary). A request that carries
// credentials reads the primary, so a member sees their own writes at once.
func readAs[T any](s *Server, r *http.Request, fn func(ctx context.Context, st *store.Store) (T, error)) (T, error) {
	if r.Header.Get("Authorization") != "" {
		return fn(r.Context(), s.store)
	}
	var out T
	err := s.store.Read(r.Context(), func(ctx context.Context, st *store.Store) (err error) {
		out, err = fn(ctx, st)
		return err
	})
	return out, err
}
