package store

import (
	"context"
	"database/sql"
	"errors"
)

// Like makes userID like postID. Liking twice is not an error: created is
// false and the existing like is returned, still one row. A post userID may
// not open (a block either way) is not found.
func (s *Store) Like(ctx context.Context, userID, postID int64) (l Like, created bool, err error) {
	if err := s.mayAct(ctx, userID); err != nil {
		return Like{}, false, err
	}
	l = Like{UserID: userID, PostID: postID, Date: Now()}
	created, err = s.insertLike(ctx, l)
	if err != nil {
		if isFKRace(err) {
			return Like{}, false, ErrPostNotFound
		}
		return Like{}, false, err
	}
	if created {
		return l, true, nil
	}
	// Liked already, or no post they may open: only now is it worth asking.
	err = s.db.NewSelect().Model(&l).Where("user_id = ? AND post_id = ?", userID, postID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		if err := s.postOpenTo(ctx, postID, userID); err != nil {
			return Like{}, false, err
		}
		return s.Like(ctx, userID, postID) // unliked in between: like again
	}
	return l, false, err
}

// insertLike inserts l, if its post is there and open to its liker, with
// its notification: on PostgreSQL one statement, on SQLite one transaction
// (it has no INSERT in a WITH). The check is in the insert: a new like,
// the common case, costs one round trip.
func (s *Store) insertLike(ctx context.Context, l Like) (created bool, err error) {
	hides, hargs := s.as(ctx, l.UserID).opened().hides("p.user_id")
	insert := `INSERT INTO "like" (user_id, post_id, date) SELECT ?, p.id, ? FROM post AS p WHERE p.id = ? AND ` + hides + `
ON CONFLICT DO NOTHING`
	args := append([]any{l.UserID, s.timeArg(l.Date), l.PostID}, hargs...)
	if s.sql.Dialect == Postgres {
		var n int
		err := s.queryRow(ctx, []any{&n}, `WITH l AS (`+insert+` RETURNING user_id, post_id, date),
n AS (`+likeNotifySQL+`)
SELECT count(*) FROM l`, args...)
		return n == 1, err
	}
	err = s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		res, err := tx.db.ExecContext(ctx, insert, args...)
		n, err := rowsAffected(res, err)
		if created = n == 1; err != nil || !created {
			return err
		}
		_, err = tx.db.ExecContext(ctx, `WITH l AS (SELECT ? AS user_id, ? AS post_id, ? AS date) `+likeNotifySQL, l.UserID, l.PostID, s.timeArg(l.Date))
		return err
	})
	return created, err
}

// Unlike removes a like, and says whether there was one: not liking is
// not an error.
func (s *Store) Unlike(ctx context.Context, userID, postID int64) (removed bool, err error) {
	if err := s.postExists(ctx, postID); err != nil {
		return false, err
	}
	res, err := s.db.NewDelete().Model((*Like)(nil)).Where("user_id = ? AND post_id = ?", userID, postID).Exec(ctx)
	n, err := rowsAffected(res, err)
	return n > 0, err
}

// LikedPosts lists the posts userID liked, most recent like first, as
// viewer sees them; Post.Liked is filled when they are the viewer's own.
func (s *Store) LikedPosts(ctx context.Context, userID, viewer int64, cursor string, limit int) (Page[Post], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[Post]{}, err
	}
	at, id, hasCursor, err := parseTimeCursor(cursor)
	if err != nil {
		return Page[Post]{}, err
	}
	rest := `JOIN "like" AS lk ON lk.post_id = p.id WHERE lk.user_id = ?`
	args := []any{userID}
	if hasCursor {
		rest += " AND (lk.date < ? OR (lk.date = ? AND lk.post_id < ?))"
		args = append(args, s.timeArg(at), s.timeArg(at), id)
	}
	rest += " ORDER BY lk.date DESC, lk.post_id DESC LIMIT " + limitSQL(limit)
	posts, err := s.queryPostsWith(ctx, "lk.date", func(p *Post) any { return &p.Since }, s.as(ctx, viewer).unliked(), rest, args...)
	if err != nil {
		return Page[Post]{}, err
	}
	for i := range posts {
		posts[i].Liked = viewer == userID
	}
	if len(posts) == 0 { // only an empty page needs to tell "nothing" from "no such user"
		if err := s.userExists(ctx, userID); err != nil {
			return Page[Post]{}, err
		}
	}
	return trim(posts, limit, func(p Post) string { return timeCursor(p.Since, p.ID) }), nil
}

// postOpenTo is postExists for a post viewer may open (GetPost).
func (s *Store) postOpenTo(ctx context.Context, id, viewer int64) error {
	hides, args := s.as(ctx, viewer).opened().hides("p.user_id")
	var ok bool
	if err := s.queryRow(ctx, []any{&ok}, `SELECT EXISTS (SELECT 1 FROM post AS p WHERE p.id = ? AND `+hides+`)`, append([]any{id}, args...)...); err != nil {
		return err
	}
	if !ok {
		return ErrPostNotFound
	}
	return nil
}

func (s *Store) postExists(ctx context.Context, id int64) error {
	ok, err := s.db.NewSelect().Model((*postRow)(nil)).Where("id = ?", id).Exists(ctx)
	if err != nil {
		return err
	}
	if !ok {
		return ErrPostNotFound
	}
	return nil
}

// rowsAffected reads a statement's count, none when it failed.
func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
