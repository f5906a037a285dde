package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/pamps/pamps/store"
)

// The routes of search (docs/API.md §3c). What a query means, and what
// the caller hides, are the store's.

// searchQuery reads q (1..200 characters; the store says what is wrong
// with it) with the page, and from= for posts.
func searchQuery(r *http.Request) (q, from string, lq listQuery, err error) {
	var e inputError
	lq = readList(r, &e)
	v := lastValues(r)
	if !v.Has("q") {
		e.add("field required", "value_error.missing", "query", "q")
	} else if _, perr := store.ParseSearch(v.Get("q")); perr != nil {
		var ve *store.ValidationError
		if errors.As(perr, &ve) && len(ve.Fields) > 0 {
			e.add(ve.Fields[0].Reason, ve.Fields[0].Type, "query", "q")
		}
	}
	return v.Get("q"), v.Get("from"), lq, e.orNil()
}

func (s *Server) searchPosts(w http.ResponseWriter, r *http.Request) error {
	q, from, lq, err := searchQuery(r)
	if err != nil {
		return err
	}
	page, err := readAs(s, r, func(ctx context.Context, st *store.Store) (store.Page[store.Post], error) {
		return st.SearchPosts(ctx, store.PostSearch{Query: q, From: from, Viewer: viewer(r), Cursor: lq.cursor, Limit: lq.limit})
	})
	if err != nil {
		return err
	}
	writePage(s, w, r, page, lq.limit)
	return nil
}

func (s *Server) searchUsers(w http.ResponseWriter, r *http.Request) error {
	q, _, lq, err := searchQuery(r)
	if err != nil {
		return err
	}
	page, err := readAs(s, r, func(ctx context.Context, st *store.Store) (store.Page[store.User], error) {
		return st.SearchUsers(ctx, q, viewer(r), lq.cursor, lq.limit)
	})
	if err != nil {
		return err
	}
	writePage(s, w, r, page, lq.limit)
	return nil
}
