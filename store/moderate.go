package store

import (
	"context"
	"strings"
	"unicode/utf8"
)

// MaxReasonLen bounds a moderation reason, a report's comment and a
// resolution's note.
const MaxReasonLen = 1000

// ValidReason trims a moderation text (a reason, a comment, a note) and
// checks it: at most MaxReasonLen characters of printable text, and not
// empty when required.
func ValidReason(field, s string, required bool) (string, *ValidationError) {
	s = strings.TrimSpace(s)
	switch {
	case required && s == "":
		return "", invalid(field, "value_error.missing", "must not be empty")
	case utf8.RuneCountInString(s) > MaxReasonLen:
		return "", invalid(field, "value_error.too_long", "must be at most %d characters", MaxReasonLen)
	}
	if bad := badText(s, true); bad != "" {
		return "", invalid(field, "value_error.encoding", "must be %s", bad)
	}
	return s, nil
}

// lockAccount reads the account acted on, holding its row (PostgreSQL;
// SQLite's writers take turns anyway).
func (s *Store) lockAccount(ctx context.Context, id int64) (User, error) {
	lock := ""
	if s.sql.Dialect == Postgres {
		lock = " FOR UPDATE"
	}
	return s.queryUser(ctx, everyone, "", nil, "WHERE u.id = ?"+lock, id)
}

// moderated resolves who acts and on whom, and applies the rule of who may
// act on whom (outranks): one never acts on oneself.
func (s *Store) moderated(ctx context.Context, by Actor, userID int64) (acting, User, error) {
	who, err := s.staff(ctx, by)
	if err != nil {
		return who, User{}, err
	}
	t, err := s.lockAccount(ctx, userID)
	switch {
	case err != nil:
	case who.id != nil && *who.id == t.ID:
		err = ErrSelfModeration
	case !outranks(who.rank, t.Role):
		err = ErrNotAllowed
	}
	return who, t, err
}

// keepAnAdmin refuses to take the last active admin away (demoted or
// suspended) other than exceptID. It holds every active admin's row, so
// two admins demoting each other at once cannot both succeed.
func (s *Store) keepAnAdmin(ctx context.Context, exceptID int64) error {
	lock := ""
	if s.sql.Dialect == Postgres {
		lock = " FOR UPDATE"
	}
	rows, done, err := s.rawQuery(ctx, `SELECT id FROM "user" WHERE role = 'admin' AND status = 'active'`+lock)
	if err != nil {
		return err
	}
	defer done()
	defer rows.Close()
	others := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		if id != exceptID {
			others++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if others == 0 {
		return ErrLastAdmin
	}
	return nil
}

// Suspend suspends an account (docs/API.md §3d): it cannot sign in, every
// token it holds is revoked (its streams and SSH sessions end on the
// account event that makes), and what it wrote is absent for everyone but
// moderators. No row of theirs is rewritten: the reads leave them out. A
// reason is required. Suspending a suspended account changes nothing.
func (s *Store) Suspend(ctx context.Context, by Actor, userID int64, reason string) (User, error) {
	reason, verr := ValidReason("reason", reason, true)
	if verr != nil {
		return User{}, verr
	}
	err := s.InTx(ctx, func(ctx context.Context, tx *Store) error { return tx.suspend(ctx, by, userID, reason) })
	s.standingChanged()
	if err != nil {
		return User{}, err
	}
	return s.UserByID(ctx, userID)
}

func (s *Store) suspend(ctx context.Context, by Actor, userID int64, reason string) error {
	who, t, err := s.moderated(ctx, by, userID)
	if err != nil || t.Status == StatusSuspended {
		return err
	}
	if t.Role == RoleAdmin {
		if err := s.keepAnAdmin(ctx, t.ID); err != nil {
			return err
		}
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE "user" SET status = 'suspended', suspended_at = ?, suspend_reason = ? WHERE id = ?`,
		s.timeArg(Now()), reason, t.ID); err != nil {
		return err
	}
	if err := s.signOut(ctx, t.ID); err != nil {
		return err
	}
	return s.audit(ctx, who, AuditSuspend, &t.ID, t.Username, reason)
}

// Unsuspend lifts a suspension: everything the account wrote is back as it
// was. Its tokens stay revoked: the member signs in again. An account that
// is not suspended is left as it is.
func (s *Store) Unsuspend(ctx context.Context, by Actor, userID int64, reason string) (User, error) {
	reason, verr := ValidReason("reason", reason, false)
	if verr != nil {
		return User{}, verr
	}
	err := s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		who, t, err := tx.moderated(ctx, by, userID)
		if err != nil || t.Status != StatusSuspended {
			return err
		}
		if _, err := tx.db.ExecContext(ctx, `UPDATE "user" SET status = 'active', suspended_at = NULL, suspend_reason = NULL WHERE id = ?`, t.ID); err != nil {
			return err
		}
		return tx.audit(ctx, who, AuditUnsuspend, &t.ID, t.Username, reason)
	})
	s.standingChanged()
	if err != nil {
		return User{}, err
	}
	return s.UserByID(ctx, userID)
}

// Approve lets an account that signed up in approval mode in. One that is
// not pending is left as it is.
func (s *Store) Approve(ctx context.Context, by Actor, userID int64) (User, error) {
	err := s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		who, t, err := tx.moderated(ctx, by, userID)
		if err != nil || t.Status != StatusPending {
			return err
		}
		if _, err := tx.db.ExecContext(ctx, `UPDATE "user" SET status = 'active' WHERE id = ?`, t.ID); err != nil {
			return err
		}
		return tx.audit(ctx, who, AuditApprove, &t.ID, t.Username, "")
	})
	s.standingChanged()
	if err != nil {
		return User{}, err
	}
	return s.UserByID(ctx, userID)
}

// SetRole changes an account's role. Only an admin or the operator may,
// and the last active admin cannot be demoted. Setting the role it has
// changes nothing.
func (s *Store) SetRole(ctx context.Context, by Actor, userID int64, role Role) (User, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return User{}, err
	}
	err := s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		who, err := tx.resolve(ctx, by)
		if err != nil {
			return err
		}
		if who.rank < RoleAdmin.rank() {
			return ErrNotAllowed
		}
		t, err := tx.lockAccount(ctx, userID)
		if err != nil || t.Role == role {
			return err
		}
		if t.Role == RoleAdmin {
			if err := tx.keepAnAdmin(ctx, t.ID); err != nil {
				return err
			}
		}
		if _, err := tx.db.ExecContext(ctx, `UPDATE "user" SET role = ? WHERE id = ?`, string(role), t.ID); err != nil {
			return err
		}
		return tx.audit(ctx, who, AuditRole, &t.ID, t.Username, string(t.Role)+" → "+string(role))
	})
	s.standingChanged()
	if err != nil {
		return User{}, err
	}
	return s.UserByID(ctx, userID)
}

// Accounts lists users with their standing for staff, withheld ones
// included (UserList's Role and Statuses narrow it).
func (s *Store) Accounts(ctx context.Context, by Actor, opts UserList) (Page[User], error) {
	if _, err := s.staff(ctx, by); err != nil {
		return Page[User]{}, err
	}
	opts.Viewer = by.UserID
	if by.Operator {
		opts.Viewer = OperatorView
	}
	return s.ListUsers(ctx, opts)
}
