package store

import (
	"context"
	"database/sql"
)

// The audit log (docs/API.md §3d): one append-only row per moderation
// action, written in the action's own transaction, so that an action that
// fails leaves no row and one that commits always has its row. The table
// refuses updates and deletes (its migration); only `pamps db reset`
// drops it.

// AuditEntry is one moderation action.
type AuditEntry struct {
	ID       int64     `json:"id"`
	Date     Timestamp `json:"date"`
	ActorID  *int64    `json:"actor_id"` // nil for the operator at the terminal
	Actor    string    `json:"actor"`    // a username, or "cli:<OS user>"
	Action   string    `json:"action"`
	TargetID *int64    `json:"target_id"`
	Target   string    `json:"target"`
	Reason   string    `json:"reason"`
}

// The actions the audit log records.
const (
	AuditSuspend       = "suspend"
	AuditUnsuspend     = "unsuspend"
	AuditApprove       = "approve"
	AuditRole          = "role"
	AuditDeletePost    = "delete_post"
	AuditResolveReport = "resolve_report"
	AuditInviteCreate  = "invite_create"
	AuditInviteRevoke  = "invite_revoke"
)

// audit appends who's action on target (targetID: a user, a post, a
// report; nil for none) to the log, in the caller's transaction.
func (s *Store) audit(ctx context.Context, who acting, action string, targetID *int64, target, reason string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO audit (date, actor_id, actor, action, target_id, target, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.timeArg(Now()), who.id, who.name, action, targetID, target, reason)
	return err
}

// AuditLog lists the audit log newest first, for staff (a moderator, an
// admin, the operator).
func (s *Store) AuditLog(ctx context.Context, by Actor, cursor string, limit int) (Page[AuditEntry], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[AuditEntry]{}, err
	}
	before, err := parseIDCursor(cursor)
	if err != nil {
		return Page[AuditEntry]{}, err
	}
	if _, err := s.staff(ctx, by); err != nil {
		return Page[AuditEntry]{}, err
	}
	where, args := "", []any{}
	if before > 0 {
		where, args = "WHERE id < ?", append(args, before)
	}
	items, err := s.auditRows(ctx, `SELECT id, date, actor_id, actor, action, target_id, target, reason FROM audit `+where+` ORDER BY id DESC LIMIT `+limitSQL(limit), args...)
	if err != nil {
		return Page[AuditEntry]{}, err
	}
	return trim(items, limit, func(e AuditEntry) string { return idCursor(e.ID) }), nil
}

// AuditAfter lists the entries after id, oldest first (`pamps audit -f`).
func (s *Store) AuditAfter(ctx context.Context, after int64, limit int) ([]AuditEntry, error) {
	return s.auditRows(ctx, `SELECT id, date, actor_id, actor, action, target_id, target, reason FROM audit WHERE id > ? ORDER BY id ASC LIMIT ?`, after, limit)
}

func (s *Store) auditRows(ctx context.Context, q string, args ...any) ([]AuditEntry, error) {
	rows, done, err := s.rawQuery(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer done()
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var (
			e                 AuditEntry
			actorID, targetID sql.NullInt64
		)
		if err := rows.Scan(&e.ID, &e.Date, &actorID, &e.Actor, &e.Action, &targetID, &e.Target, &e.Reason); err != nil {
			return nil, err
		}
		if actorID.Valid {
			e.ActorID = &actorID.Int64
		}
		if targetID.Valid {
			e.TargetID = &targetID.Int64
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
