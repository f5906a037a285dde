package store

import (
	"context"
	"database/sql"
	"errors"
)

// Follow makes fromID follow toID. Following twice is not an error: created
// is false and the existing follow is returned, still one row.
func (s *Store) Follow(ctx context.Context, fromID, toID int64) (f Follow, created bool, err error) {
	if fromID == toID {
		return Follow{}, false, ErrCannotFollowSelf
	}
	if err := s.mayAct(ctx, fromID); err != nil {
		return Follow{}, false, err
	}
	// Someone behind a block either way, or withheld, is as if gone
	// (docs/API.md §3c, §3d): one statement, the viewer's own rule.
	if _, err := s.queryUser(ctx, s.as(ctx, fromID).opened(), "", nil, "WHERE u.id = ?", toID); err != nil {
		return Follow{}, false, err
	}
	f = Follow{FromID: fromID, ToID: toID, Date: Now()}
	if created, err = s.insertFollow(ctx, f); err != nil || created {
		return f, created, err
	}
	err = s.db.NewSelect().Model(&f).Where("from_id = ? AND to_id = ?", fromID, toID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) { // unfollowed in between: follow again
		return s.Follow(ctx, fromID, toID)
	}
	return f, false, err
}

// insertFollow inserts f with its notification, as insertLike does.
func (s *Store) insertFollow(ctx context.Context, f Follow) (created bool, err error) {
	const insert = `INSERT INTO follow (from_id, to_id, date) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`
	if s.sql.Dialect == Postgres {
		var n int
		err := s.queryRow(ctx, []any{&n}, `WITH f AS (`+insert+` RETURNING from_id, to_id, date),
n AS (`+followNotifySQL+`)
SELECT count(*) FROM f`, f.FromID, f.ToID, s.timeArg(f.Date))
		return n == 1, err
	}
	err = s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		res, err := tx.db.ExecContext(ctx, insert, f.FromID, f.ToID, s.timeArg(f.Date))
		n, err := rowsAffected(res, err)
		if created = n == 1; err != nil || !created {
			return err
		}
		_, err = tx.db.ExecContext(ctx, `WITH f AS (SELECT ? AS from_id, ? AS to_id, ? AS date) `+followNotifySQL, f.FromID, f.ToID, s.timeArg(f.Date))
		return err
	})
	return created, err
}

// Unfollow removes a follow; not following is not an error.
func (s *Store) Unfollow(ctx context.Context, fromID, toID int64) error {
	if err := s.userExists(ctx, toID); err != nil {
		return err
	}
	_, err := s.db.NewDelete().Model((*Follow)(nil)).Where("from_id = ? AND to_id = ?", fromID, toID).Exec(ctx)
	return err
}

// IsFollowing reports whether fromID follows toID.
func (s *Store) IsFollowing(ctx context.Context, fromID, toID int64) (bool, error) {
	ok, err := s.db.NewSelect().Model((*Follow)(nil)).Where("from_id = ? AND to_id = ?", fromID, toID).Exists(ctx)
	return ok, err
}

// Followers lists who follows userID, most recent follow first, as
// viewer sees them (0: anyone).
func (s *Store) Followers(ctx context.Context, userID, viewer int64, cursor string, limit int) (Page[User], error) {
	return s.followList(ctx, userID, viewer, "to_id", "from_id", cursor, limit)
}

// Following lists whom userID follows, most recent follow first, as
// viewer sees them (0: anyone).
func (s *Store) Following(ctx context.Context, userID, viewer int64, cursor string, limit int) (Page[User], error) {
	return s.followList(ctx, userID, viewer, "from_id", "to_id", cursor, limit)
}

// followList walks follow rows where self = userID, listing the other side.
func (s *Store) followList(ctx context.Context, userID, viewer int64, self, other, cursor string, limit int) (Page[User], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[User]{}, err
	}
	at, id, hasCursor, err := parseTimeCursor(cursor)
	if err != nil {
		return Page[User]{}, err
	}
	// self and other are column names chosen by the callers, never input.
	rest := "JOIN follow AS fl ON fl." + other + " = u.id WHERE fl." + self + " = ?"
	args := []any{userID}
	if hasCursor {
		rest += " AND (fl.date < ? OR (fl.date = ? AND fl." + other + " < ?))"
		args = append(args, s.timeArg(at), s.timeArg(at), id)
	}
	rest += " ORDER BY fl.date DESC, fl." + other + " DESC LIMIT " + limitSQL(limit)
	users, err := s.queryUsers(ctx, s.as(ctx, viewer), "fl.date", func(u *User) any { return &u.Since }, rest, args...)
	if err != nil {
		return Page[User]{}, err
	}
	if len(users) == 0 { // only an empty page needs to tell "nobody" from "no such user"
		if err := s.userExists(ctx, userID); err != nil {
			return Page[User]{}, err
		}
	}
	return trim(users, limit, func(u User) string { return timeCursor(u.Since, u.ID) }), nil
}

func (s *Store) userExists(ctx context.Context, id int64) error {
	ok, err := s.db.NewSelect().Model((*userRow)(nil)).Where("id = ?", id).Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return ErrUserNotFound
	}
	return nil
}
