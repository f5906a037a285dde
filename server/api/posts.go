package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/pamps/pamps/store"
)

func (s *Server) listPosts(w http.ResponseWriter, r *http.Request) error {
	q, err := readOrdered(r)
	if err != nil {
		return err
	}
	return s.postPage(w, r, q, store.PostList{Cursor: q.cursor, Limit: q.limit, Newest: q.newest, Viewer: viewer(r)})
}

func (s *Server) userPosts(w http.ResponseWriter, r *http.Request) error {
	q, err := readOrdered(r)
	if err != nil {
		return err
	}
	return s.postPage(w, r, q, store.PostList{Author: r.PathValue("username"), Replies: q.includeReplies, Cursor: q.cursor, Limit: q.limit, Newest: q.newest, Viewer: viewer(r)})
}

func (s *Server) postPage(w http.ResponseWriter, r *http.Request, q listQuery, opts store.PostList) error {
	page, err := readAs(s, r, func(ctx context.Context, st *store.Store) (store.Page[store.Post], error) {
		return st.ListPosts(ctx, opts)
	})
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}

// createPost is the busiest write, so its author is found by the insert
// itself (lateUser): one round trip per post.
func (s *Server) createPost(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r, "text", "parent_id")
	if err != nil {
		return err
	}
	text, parent := b.str("text"), b.optID("parent_id")
	if err := b.err(); err != nil {
		return err
	}
	p, err := s.store.CreatePostAs(r.Context(), credential(r), text, parent)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, p)
	return nil
}

func (s *Server) getPost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post_id")
	if err != nil {
		return err
	}
	d, err := readAs(s, r, func(ctx context.Context, st *store.Store) (store.PostDetail, error) {
		return st.PostDetail(ctx, id, viewer(r))
	})
	if err != nil {
		return err
	}
	if d.RepliesNext != "" {
		s.link(w, r, "/post/"+strconv.FormatInt(id, 10)+"/replies/", nil, d.RepliesNext, store.DetailReplies)
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// replies is GET /post/{post_id}/replies/: a post's direct replies, the
// rest of what a PostDetail carries the first of.
func (s *Server) replies(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post_id")
	if err != nil {
		return err
	}
	q, err := readListQuery(r)
	if err != nil {
		return err
	}
	page, err := readAs(s, r, func(ctx context.Context, st *store.Store) (store.Page[store.Post], error) {
		return st.Replies(ctx, id, viewer(r), q.cursor, q.limit)
	})
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}

func (s *Server) updatePost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post_id")
	if err != nil {
		return err
	}
	b, err := readBody(r, "text")
	if err != nil {
		return err
	}
	text := b.str("text")
	if err := b.err(); err != nil {
		return err
	}
	p, err := s.store.UpdatePost(r.Context(), store.AsUser(currentUser(r).ID), id, text)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) deletePost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post_id")
	if err != nil {
		return err
	}
	if err := s.store.DeletePost(r.Context(), store.AsUser(currentUser(r).ID), id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) like(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post_id")
	if err != nil {
		return err
	}
	l, created, err := s.store.Like(r.Context(), currentUser(r).ID, id)
	if err != nil {
		return err
	}
	writeCreated(w, created, l)
	return nil
}

func (s *Server) unlike(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "post_id")
	if err != nil {
		return err
	}
	if _, err := s.store.Unlike(r.Context(), currentUser(r).ID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) likedPosts(w http.ResponseWriter, r *http.Request) error {
	q, err := readListQuery(r)
	if err != nil {
		return err
	}
	page, err := readAs(s, r, func(ctx context.Context, st *store.Store) (store.Page[store.Post], error) {
		u, err := st.UserSeenBy(ctx, r.PathValue("username"), viewer(r))
		if err != nil {
			return store.Page[store.Post]{}, err
		}
		return st.LikedPosts(ctx, u.ID, viewer(r), q.cursor, q.limit)
	})
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}
