package store

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"strconv"
	"strings"
	"time"
)

// Invites (docs/API.md §3d): in invite mode a sign-up spends a use of a
// code, in the transaction that creates the account.

// Invite is an invitation code with its uses and expiry.
type Invite struct {
	ID        int64      `json:"id"`
	Code      string     `json:"code"`
	CreatedBy string     `json:"created_by"`
	CreatedAt Timestamp  `json:"created_at"`
	ExpiresAt *Timestamp `json:"expires_at"` // nil: never
	MaxUses   int        `json:"max_uses"`
	Uses      int        `json:"uses"`
	Revoked   bool       `json:"revoked"`
}

// Bounds of an invite.
const (
	MaxInviteUses    = 1000
	MaxInviteExpiry  = 366 * 24 * time.Hour
	DefaultInviteTTL = 7 * 24 * time.Hour
)

// errBadInvite is a sign-up's code that does not admit it.
var errBadInvite = invalid("invite", "value_error.invite", "is not a valid invite code (unknown, used up, expired or revoked)")

// newInviteCode is 130 random bits in base32: unguessable, and easy to read
// out or type.
func newInviteCode() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)), nil
}

// CreateInvite makes a code good for uses sign-ups (1..MaxInviteUses)
// until expires from now (0: never; at most MaxInviteExpiry); staff only.
func (s *Store) CreateInvite(ctx context.Context, by Actor, uses int, expires time.Duration) (Invite, error) {
	var errs []*ValidationError
	if uses < 1 || uses > MaxInviteUses {
		errs = append(errs, invalid("uses", "value_error.number.not_in_range", "must be between 1 and %d", MaxInviteUses))
	}
	if expires < 0 || expires > MaxInviteExpiry {
		errs = append(errs, invalid("expires_in", "value_error.number.not_in_range", "must be between 0 (never) and %d seconds", int64(MaxInviteExpiry/time.Second)))
	}
	if err := collect(errs...); err != nil {
		return Invite{}, err
	}
	code, err := newInviteCode()
	if err != nil {
		return Invite{}, err
	}
	var id int64
	err = s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		who, err := tx.staff(ctx, by)
		if err != nil {
			return err
		}
		var until any
		if expires > 0 {
			until = tx.timeArg(Timestamp{Time: time.Now().Add(expires).UTC().Truncate(time.Microsecond)})
		}
		if err := tx.queryRow(ctx, []any{&id}, `INSERT INTO invite (code, created_by, created_at, expires_at, max_uses) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			code, who.name, tx.timeArg(Now()), until, uses); err != nil {
			return err
		}
		return tx.audit(ctx, who, AuditInviteCreate, &id, "invite "+code, inviteTerms(uses, expires))
	})
	if err != nil {
		return Invite{}, err
	}
	invs, err := s.invites(ctx, "WHERE id = ?", id)
	if err != nil {
		return Invite{}, err
	}
	return invs[0], nil
}

func inviteTerms(uses int, expires time.Duration) string {
	t := "uses " + strconv.Itoa(uses)
	if expires > 0 {
		return t + ", expires in " + expires.String()
	}
	return t + ", never expires"
}

// Invites lists the invites, newest first; staff only.
func (s *Store) Invites(ctx context.Context, by Actor, cursor string, limit int) (Page[Invite], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[Invite]{}, err
	}
	before, err := parseIDCursor(cursor)
	if err != nil {
		return Page[Invite]{}, err
	}
	if _, err := s.staff(ctx, by); err != nil {
		return Page[Invite]{}, err
	}
	where, args := "WHERE TRUE", []any{}
	if before > 0 {
		where, args = "WHERE id < ?", append(args, before)
	}
	invs, err := s.invites(ctx, where+" ORDER BY id DESC LIMIT "+limitSQL(limit), args...)
	if err != nil {
		return Page[Invite]{}, err
	}
	return trim(invs, limit, func(i Invite) string { return idCursor(i.ID) }), nil
}

func (s *Store) invites(ctx context.Context, rest string, args ...any) ([]Invite, error) {
	rows, done, err := s.rawQuery(ctx, `SELECT id, code, created_by, created_at, expires_at, max_uses, uses, revoked_at IS NOT NULL FROM invite `+rest, args...)
	if err != nil {
		return nil, err
	}
	defer done()
	defer rows.Close()
	out := []Invite{}
	for rows.Next() {
		var (
			i       Invite
			expires Timestamp
		)
		if err := rows.Scan(&i.ID, &i.Code, &i.CreatedBy, &i.CreatedAt, &expires, &i.MaxUses, &i.Uses, &i.Revoked); err != nil {
			return nil, err
		}
		if !expires.IsZero() {
			i.ExpiresAt = &expires
		}
		out = append(out, i)
	}
	return out, rows.Err()
}

// RevokeInvite stops a code from admitting anyone; admins and the
// operator only. Revoking it again changes nothing.
func (s *Store) RevokeInvite(ctx context.Context, by Actor, code string) error {
	return s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		who, err := tx.resolve(ctx, by)
		if err != nil {
			return err
		}
		if who.rank < RoleAdmin.rank() {
			return ErrNotAllowed
		}
		invs, err := tx.invites(ctx, "WHERE code = ?", code)
		switch {
		case err != nil:
			return err
		case len(invs) == 0:
			return ErrInviteNotFound
		case invs[0].Revoked:
			return nil
		}
		if _, err := tx.db.ExecContext(ctx, `UPDATE invite SET revoked_at = ? WHERE id = ?`, tx.timeArg(Now()), invs[0].ID); err != nil {
			return err
		}
		return tx.audit(ctx, who, AuditInviteRevoke, &invs[0].ID, "invite "+code, "")
	})
}

// spendInvite takes one use of code, if it is good now; in the sign-up's
// transaction, so two sign-ups racing for its last use cannot both have
// it (PostgreSQL re-checks the row after the first one's update commits).
func (s *Store) spendInvite(ctx context.Context, code string) error {
	code = strings.ToLower(strings.TrimSpace(code))
	if code == "" || len(code) > 64 {
		return errBadInvite
	}
	res, err := s.db.ExecContext(ctx, `UPDATE invite SET uses = uses + 1
WHERE code = ? AND revoked_at IS NULL AND uses < max_uses AND (expires_at IS NULL OR expires_at > ?)`, code, s.timeArg(Now()))
	n, err := rowsAffected(res, err)
	if err == nil && n != 1 {
		err = errBadInvite
	}
	return err
}
