package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/pamps/pamps/store"
)

// The routes of moderation (docs/API.md §3d): reports, the moderators'
// actions, invites and the audit log. Every rule of who may do what is the
// store's (store/moderate.go); a member is answered 403 "Not allowed".

// actor is the caller as the store's moderation rules see them.
func actor(r *http.Request) store.Actor { return store.AsUser(currentUser(r).ID) }

func (s *Server) createReport(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r, "post_id", "user_id", "reason", "comment")
	if err != nil {
		return err
	}
	in := store.NewReport{PostID: b.optID("post_id"), UserID: b.optID("user_id"), Reason: b.str("reason")}
	if c := b.optStr("comment"); c != nil {
		in.Comment = *c
	}
	if err := b.err(); err != nil {
		return err
	}
	rep, err := s.store.CreateReport(r.Context(), currentUser(r).ID, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, rep)
	return nil
}

func (s *Server) myReports(w http.ResponseWriter, r *http.Request) error {
	q, err := readListQuery(r)
	if err != nil {
		return err
	}
	page, err := s.store.MyReports(r.Context(), currentUser(r).ID, q.cursor, q.limit)
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}

func (s *Server) adminReports(w http.ResponseWriter, r *http.Request) error {
	var e inputError
	q := readList(r, &e)
	state, err := store.ParseReportState(lastValues(r).Get("state"))
	if err != nil {
		e.add("value is not a valid enumeration member; permitted: 'open', 'resolved', 'all'", "type_error.enum", "query", "state")
	}
	if err := e.orNil(); err != nil {
		return err
	}
	page, err := s.store.Reports(r.Context(), actor(r), state, q.cursor, q.limit)
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}

func (s *Server) adminReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "report_id")
	if err != nil {
		return err
	}
	rep, err := s.store.ReportByID(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) resolveReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "report_id")
	if err != nil {
		return err
	}
	b, err := readBody(r, "action", "note")
	if err != nil {
		return err
	}
	action, note := b.str("action"), ""
	if n := b.optStr("note"); n != nil {
		note = *n
	}
	if err := b.err(); err != nil {
		return err
	}
	rep, err := s.store.ResolveReport(r.Context(), actor(r), id, action, note)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

// account answers a moderation action on a user with their account.
func account(w http.ResponseWriter, u store.User, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u.AsAccount())
	return nil
}

func (s *Server) suspend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	b, err := readBody(r, "reason")
	if err != nil {
		return err
	}
	reason := b.str("reason")
	if err := b.err(); err != nil {
		return err
	}
	u, err := s.store.Suspend(r.Context(), actor(r), id, reason)
	return account(w, u, err)
}

func (s *Server) unsuspend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	b, err := readOptionalBody(r, "reason")
	if err != nil {
		return err
	}
	reason := ""
	if v := b.optStr("reason"); v != nil {
		reason = *v
	}
	if err := b.err(); err != nil {
		return err
	}
	u, err := s.store.Unsuspend(r.Context(), actor(r), id, reason)
	return account(w, u, err)
}

func (s *Server) approve(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	u, err := s.store.Approve(r.Context(), actor(r), id)
	return account(w, u, err)
}

func (s *Server) setRole(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "user_id")
	if err != nil {
		return err
	}
	b, err := readBody(r, "role")
	if err != nil {
		return err
	}
	role := b.str("role")
	if err := b.err(); err != nil {
		return err
	}
	u, err := s.store.SetRole(r.Context(), actor(r), id, store.Role(strings.ToLower(role)))
	return account(w, u, err)
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	var e inputError
	q := readList(r, &e)
	v := lastValues(r)
	opts := store.UserList{Cursor: q.cursor, Limit: q.limit, Prefix: v.Get("q")}
	if v.Get("role") != "" {
		role, err := store.ParseRole(v.Get("role"))
		if err != nil {
			e.add("value is not a valid enumeration member; permitted: 'member', 'moderator', 'admin'", "type_error.enum", "query", "role")
		}
		opts.Role = role
	}
	if v.Get("status") != "" {
		var err error
		if opts.Statuses, err = store.ParseStatuses(v.Get("status")); err != nil {
			e.add("value is not a comma-separated list of active, pending, suspended", "type_error.enum", "query", "status")
		}
	}
	if err := e.orNil(); err != nil {
		return err
	}
	page, err := s.store.Accounts(r.Context(), actor(r), opts)
	if err != nil {
		return err
	}
	accounts := store.Page[store.Account]{Next: page.Next, Items: make([]store.Account, len(page.Items))}
	for i, u := range page.Items {
		accounts.Items[i] = u.AsAccount()
	}
	writePage(s, w, r, accounts, q.limit)
	return nil
}

func (s *Server) invites(w http.ResponseWriter, r *http.Request) error {
	q, err := readListQuery(r)
	if err != nil {
		return err
	}
	page, err := s.store.Invites(r.Context(), actor(r), q.cursor, q.limit)
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}

func (s *Server) createInvite(w http.ResponseWriter, r *http.Request) error {
	b, err := readOptionalBody(r, "uses", "expires_in")
	if err != nil {
		return err
	}
	uses, expires := int64(1), int64(store.DefaultInviteTTL/time.Second)
	if v := b.optID("uses"); v != nil {
		uses = *v
	}
	if v := b.optID("expires_in"); v != nil {
		expires = *v
	}
	if err := b.err(); err != nil {
		return err
	}
	if uses > store.MaxInviteUses {
		uses = store.MaxInviteUses + 1 // refused as out of range, not wrapped
	}
	if expires > int64(store.MaxInviteExpiry/time.Second) || expires < 0 {
		expires = -1
	}
	inv, err := s.store.CreateInvite(r.Context(), actor(r), int(uses), time.Duration(expires)*time.Second)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, inv)
	return nil
}

func (s *Server) revokeInvite(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.RevokeInvite(r.Context(), actor(r), r.PathValue("code")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) error {
	q, err := readListQuery(r)
	if err != nil {
		return err
	}
	page, err := s.store.AuditLog(r.Context(), actor(r), q.cursor, q.limit)
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}
