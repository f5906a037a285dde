package api

import (
	"context"
	"net/http"

	"github.com/pamps/pamps/store"
)

// The routes of blocks and mutes (docs/API.md §3c). What they hide is the
// store's to apply, in every read (store/viewer.go).

func (s *Server) block(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	b, created, err := s.store.Block(r.Context(), currentUser(r).ID, id)
	if err != nil {
		return err
	}
	writeCreated(w, created, b)
	return nil
}

func (s *Server) unblock(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	if err := s.store.Unblock(r.Context(), currentUser(r).ID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) mute(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	b, err := readOptionalBody(r, "notifications")
	if err != nil {
		return err
	}
	notifications := b.optBool("notifications", true)
	if err := b.err(); err != nil {
		return err
	}
	m, created, err := s.store.Mute(r.Context(), currentUser(r).ID, id, notifications)
	if err != nil {
		return err
	}
	writeCreated(w, created, m)
	return nil
}

func (s *Server) unmute(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	if err := s.store.Unmute(r.Context(), currentUser(r).ID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) myBlocks(w http.ResponseWriter, r *http.Request) error {
	return s.myList(w, r, (*store.Store).Blocks)
}

func (s *Server) myMutes(w http.ResponseWriter, r *http.Request) error {
	return s.myList(w, r, (*store.Store).Mutes)
}

func (s *Server) myList(w http.ResponseWriter, r *http.Request, list func(*store.Store, context.Context, int64, string, int) (store.Page[store.User], error)) error {
	q, err := readListQuery(r)
	if err != nil {
		return err
	}
	page, err := list(s.store, r.Context(), currentUser(r).ID, q.cursor, q.limit)
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}
