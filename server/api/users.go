package api

import (
	"context"
	"net/http"

	"github.com/pamps/pamps/store"
)

func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) error {
	q, err := readListQuery(r)
	if err != nil {
		return err
	}
	page, err := readAs(s, r, func(ctx context.Context, st *store.Store) (store.Page[store.User], error) {
		return st.ListUsers(ctx, store.UserList{Cursor: q.cursor, Limit: q.limit, Viewer: viewer(r)})
	})
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}

// createUser is POST /user/: a sign-up, limited per client address (SignUp).
func (s *Server) createUser(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r, "email", "username", "password", "avatar", "bio", "invite")
	if err != nil {
		return err
	}
	in := store.NewUser{Email: b.str("email"), Username: b.str("username"), Password: b.str("password"),
		Avatar: b.optStr("avatar"), Bio: b.optStr("bio")}
	if code := b.optStr("invite"); code != nil {
		in.Invite = *code
	}
	if err := b.err(); err != nil {
		return err
	}
	u, err := s.store.SignUp(r.Context(), s.clientAddr(r), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (s *Server) getMe(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, currentUser(r).AsMe())
	return nil
}

// updateMe applies the fields sent; a null avatar or bio clears it.
func (s *Server) updateMe(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r, "avatar", "bio", "email")
	if err != nil {
		return err
	}
	var p store.UserPatch
	empty := ""
	for name, dst := range map[string]**string{"avatar": &p.Avatar, "bio": &p.Bio} {
		if b.has(name) {
			if b.isNull(name) {
				*dst = &empty
			} else {
				v := b.str(name)
				*dst = &v
			}
		}
	}
	if b.has("email") {
		v := b.str("email")
		p.Email = &v
	}
	if err := b.err(); err != nil {
		return err
	}
	u, err := s.store.UpdateUser(r.Context(), currentUser(r).ID, p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u.AsMe())
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r, "current_password", "new_password")
	if err != nil {
		return err
	}
	current, next := b.str("current_password"), b.str("new_password")
	if err := b.err(); err != nil {
		return err
	}
	if err := s.store.ChangePassword(r.Context(), currentUser(r).ID, current, next); err != nil {
		return err
	}
	s.keysRemaining(w, r, currentUser(r).ID)
	noContent(w)
	return nil
}

// timeline is the busiest signed-in read, so the page's statement finds its
// reader itself (lateUser): one round trip per page.
func (s *Server) timeline(w http.ResponseWriter, r *http.Request) error {
	q, err := readListQuery(r)
	if err != nil {
		return err
	}
	page, err := s.store.TimelineAs(r.Context(), credential(r), q.includeReplies, q.cursor, q.limit)
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}

func (s *Server) follow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	f, created, err := s.store.Follow(r.Context(), currentUser(r).ID, id)
	if err != nil {
		return err
	}
	writeCreated(w, created, f)
	return nil
}

func (s *Server) unfollow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	if err := s.store.Unfollow(r.Context(), currentUser(r).ID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) getUser(w http.ResponseWriter, r *http.Request) error {
	if me := viewer(r); me != 0 {
		// Not Profile: the answer has no count of posts to pay for.
		u, err := s.store.UserSeenBy(r.Context(), r.PathValue("username"), me)
		if err != nil {
			return err
		}
		rel, err := s.store.Relation(r.Context(), me, u.ID)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, seenUser{User: u, FollowingCount: u.Following,
			Following: rel.Following, FollowedBy: rel.FollowedBy, Blocked: rel.Blocked, Muted: rel.Muted})
		return nil
	}
	u, err := readAs(s, r, func(ctx context.Context, st *store.Store) (store.User, error) {
		return st.UserSeenBy(ctx, r.PathValue("username"), 0)
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// seenUser is a profile as a signed-in member sees it (docs/API.md §3c):
// "following" says whether they follow this user, so the count of whom
// this user follows moves to "following_count".
type seenUser struct {
	store.User
	FollowingCount int64 `json:"following_count"`
	Following      bool  `json:"following"`
	FollowedBy     bool  `json:"followed_by"`
	Blocked        bool  `json:"blocked"`
	Muted          bool  `json:"muted"`
}

func (s *Server) followers(w http.ResponseWriter, r *http.Request) error {
	return s.followList(w, r, (*store.Store).Followers)
}

func (s *Server) following(w http.ResponseWriter, r *http.Request) error {
	return s.followList(w, r, (*store.Store).Following)
}

type followLister func(st *store.Store, ctx context.Context, userID, viewer int64, cursor string, limit int) (store.Page[store.User], error)

func (s *Server) followList(w http.ResponseWriter, r *http.Request, list followLister) error {
	q, err := readListQuery(r)
	if err != nil {
		return err
	}
	page, err := readAs(s, r, func(ctx context.Context, st *store.Store) (store.Page[store.User], error) {
		u, err := st.UserSeenBy(ctx, r.PathValue("username"), viewer(r))
		if err != nil {
			return store.Page[store.User]{}, err
		}
		return list(st, ctx, u.ID, viewer(r), q.cursor, q.limit)
	})
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}
