package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/uptrace/bun"
)

// Block says FromID blocked ToID since Date.
type Block struct {
	bun.BaseModel `bun:"table:block,alias:b" json:"-"`

	FromID int64     `bun:"from_id,pk" json:"from_id"`
	ToID   int64     `bun:"to_id,pk" json:"to_id"`
	Date   Timestamp `bun:"date" json:"date"`
}

// Mute says FromID muted ToID since Date; Notifications says their
// notifications are silenced too.
type Mute struct {
	bun.BaseModel `bun:"table:mute,alias:m" json:"-"`

	FromID        int64     `bun:"from_id,pk" json:"from_id"`
	ToID          int64     `bun:"to_id,pk" json:"to_id"`
	Date          Timestamp `bun:"date" json:"date"`
	Notifications bool      `bun:"notifications" json:"notifications"`
}

// Refusals of blocks and mutes.
var (
	ErrCannotBlockSelf = &RefusedError{Msg: "You cannot block yourself"}
	ErrCannotMuteSelf  = &RefusedError{Msg: "You cannot mute yourself"}
)

// Block makes fromID block toID and removes the follows between them,
// both ways, in one transaction. Blocking twice is not an error: created
// is false and the existing block is returned, still one row.
func (s *Store) Block(ctx context.Context, fromID, toID int64) (b Block, created bool, err error) {
	if fromID == toID {
		return Block{}, false, ErrCannotBlockSelf
	}
	if err := s.mayAct(ctx, fromID); err != nil {
		return Block{}, false, err
	}
	err = s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		if err := tx.userExists(ctx, toID); err != nil {
			return err
		}
		b = Block{FromID: fromID, ToID: toID, Date: Now()}
		n, err := rowsAffected(tx.db.NewInsert().Model(&b).On("CONFLICT DO NOTHING").Exec(ctx))
		if err != nil {
			return err
		}
		if created = n == 1; !created {
			return tx.db.NewSelect().Model(&b).WherePK().Scan(ctx)
		}
		_, err = tx.db.ExecContext(ctx, `DELETE FROM follow WHERE (from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?)`,
			fromID, toID, toID, fromID)
		return err
	})
	return b, created, err
}

// Unblock lifts a block; not blocking is not an error.
func (s *Store) Unblock(ctx context.Context, fromID, toID int64) error {
	if err := s.userExists(ctx, toID); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM block WHERE from_id = ? AND to_id = ?`, fromID, toID)
	return err
}

// Mute makes fromID mute toID, silencing their notifications too when
// notifications is set. Muting again is not an error: created is false,
// and the mute takes the new choice.
func (s *Store) Mute(ctx context.Context, fromID, toID int64, notifications bool) (m Mute, created bool, err error) {
	if fromID == toID {
		return Mute{}, false, ErrCannotMuteSelf
	}
	if err := s.mayAct(ctx, fromID); err != nil {
		return Mute{}, false, err
	}
	if err := s.userExists(ctx, toID); err != nil {
		return Mute{}, false, err
	}
	m = Mute{FromID: fromID, ToID: toID, Date: Now(), Notifications: notifications}
	err = s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		n, err := rowsAffected(tx.db.NewInsert().Model(&m).On("CONFLICT DO NOTHING").Exec(ctx))
		if err != nil || n == 1 {
			created = n == 1
			return err
		}
		if _, err := tx.db.NewUpdate().Model(&m).Column("notifications").WherePK().Exec(ctx); err != nil {
			return err
		}
		return tx.db.NewSelect().Model(&m).WherePK().Scan(ctx)
	})
	if errors.Is(err, sql.ErrNoRows) { // unmuted in between: mute again
		return s.Mute(ctx, fromID, toID, notifications)
	}
	return m, created, err
}

// Unmute lifts a mute; not muting is not an error.
func (s *Store) Unmute(ctx context.Context, fromID, toID int64) error {
	if err := s.userExists(ctx, toID); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, `DELETE FROM mute WHERE from_id = ? AND to_id = ?`, fromID, toID)
	return err
}

// Blocks lists whom userID blocked, most recent first.
func (s *Store) Blocks(ctx context.Context, userID int64, cursor string, limit int) (Page[User], error) {
	return s.relationList(ctx, "block", userID, cursor, limit)
}

// Mutes lists whom userID muted, most recent first.
func (s *Store) Mutes(ctx context.Context, userID int64, cursor string, limit int) (Page[User], error) {
	return s.relationList(ctx, "mute", userID, cursor, limit)
}

// relationList pages through table's rows from userID, newest first
// (table is block or mute, chosen by the callers).
func (s *Store) relationList(ctx context.Context, table string, userID int64, cursor string, limit int) (Page[User], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[User]{}, err
	}
	at, id, hasCursor, err := parseTimeCursor(cursor)
	if err != nil {
		return Page[User]{}, err
	}
	rest := "JOIN " + table + " AS r ON r.to_id = u.id WHERE r.from_id = ?"
	args := []any{userID}
	if hasCursor {
		rest += " AND (r.date < ? OR (r.date = ? AND r.to_id < ?))"
		args = append(args, s.timeArg(at), s.timeArg(at), id)
	}
	rest += " ORDER BY r.date DESC, r.to_id DESC LIMIT " + limitSQL(limit)
	users, err := s.queryUsers(ctx, reader{}, "r.date", func(u *User) any { return &u.Since }, rest, args...)
	if err != nil {
		return Page[User]{}, err
	}
	return trim(users, limit, func(u User) string { return timeCursor(u.Since, u.ID) }), nil
}

// Relation is how viewer stands with userID, in one statement.
func (s *Store) Relation(ctx context.Context, viewer, userID int64) (Relation, error) {
	var r Relation
	err := s.queryRow(ctx, []any{&r.Following, &r.FollowedBy, &r.Blocked, &r.Muted}, `SELECT
EXISTS (SELECT 1 FROM follow WHERE from_id = ? AND to_id = ?),
EXISTS (SELECT 1 FROM follow WHERE from_id = ? AND to_id = ?),
EXISTS (SELECT 1 FROM block WHERE from_id = ? AND to_id = ?),
EXISTS (SELECT 1 FROM mute WHERE from_id = ? AND to_id = ?)`, viewer, userID, userID, viewer, viewer, userID, viewer, userID)
	return r, err
}
