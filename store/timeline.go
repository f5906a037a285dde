package store

import (
	"context"
	"strconv"
)

// fanOutMax is the number of followed users up to which a PostgreSQL
// timeline reads each one's newest posts instead of walking everyone's.
const fanOutMax = 30

// Timeline lists posts by the people userID follows, newest first.
func (s *Store) Timeline(ctx context.Context, userID int64, replies bool, cursor string, limit int) (Page[Post], error) {
	return s.timeline(ctx, byID(userID), replies, cursor, limit)
}

// TimelineAs is Timeline for the user named username, whom the statement
// finds itself: the API knows only the name in the caller's token, and a
// separate lookup would cost every page a second round trip. An unknown name
// gives ErrUserNotFound (checked only when the page is empty).
func (s *Store) TimelineAs(ctx context.Context, username string, replies bool, cursor string, limit int) (Page[Post], error) {
	if username == "" {
		return Page[Post]{}, ErrUserNotFound
	}
	page, err := s.timeline(ctx, byName(username), replies, cursor, limit)
	if err == nil && len(page.Items) == 0 {
		if _, err := s.UserByName(ctx, username); err != nil {
			return Page[Post]{}, err
		}
	}
	return page, err
}

func (s *Store) timeline(ctx context.Context, me reader, replies bool, cursor string, limit int) (Page[Post], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[Post]{}, err
	}
	before, err := parseIDCursor(cursor)
	if err != nil {
		return Page[Post]{}, err
	}
	var q string
	var args []any
	if s.dialect == Postgres {
		q, args = timelinePostgres(me, replies, before, limit)
	} else {
		where := []string{"p.user_id IN (SELECT f.to_id FROM follow AS f WHERE f.from_id = " + me.sql() + ")"}
		if !replies {
			where = append(where, "p.parent_id IS NULL")
		}
		q, args = keysetSQL(where, []any{me.arg()}, true, before, limit)
	}
	posts, err := s.queryPosts(ctx, me, q, args...)
	if err != nil {
		return Page[Post]{}, err
	}
	return trim(posts, limit, func(p Post) string { return idCursor(p.ID) }), nil
}

// timelinePostgres picks the page's ids in one of two ways, chosen inside
// the statement by the user's following count, so that neither's worst case
// is reached:
//   - most users follow enough people that the newest posts of everyone,
//     walked on the index that carries each post's author (no table reads),
//     soon give a page: a filter on the followed ids, one array read once;
//   - who follows few people (a new user following one quiet account) would
//     walk the whole index that way, so reads at most a page from each
//     followed user's own index and keeps the newest.
//
// "t.user_id + 0" keeps the planner on the first plan: it otherwise prefers
// to read every post of the followed users and sort them.
func timelinePostgres(me reader, replies bool, before int64, limit int) (string, []any) {
	page := "" // each way's own page: the same conditions on t
	if !replies {
		page += " AND t.parent_id IS NULL"
	}
	var keyset []any
	if before > 0 {
		page += " AND t.id < ?"
		keyset = []any{before}
	}
	page += " ORDER BY t.id DESC LIMIT " + limitSQL(limit)
	following := `(SELECT c.following_count FROM "user" AS c WHERE c.id = ` + me.sql() + `)`
	n := strconv.Itoa(fanOutMax)

	walk := `SELECT t.id FROM post AS t WHERE ` + following + ` > ` + n +
		` AND t.user_id + 0 = ANY (ARRAY(SELECT f.to_id FROM follow AS f WHERE f.from_id = ` + me.sql() + `))` + page
	fan := `SELECT x.id FROM follow AS f CROSS JOIN LATERAL (SELECT t.id FROM post AS t WHERE t.user_id = f.to_id` + page +
		`) AS x WHERE f.from_id = ` + me.sql() + ` AND ` + following + ` <= ` + n + ` ORDER BY x.id DESC LIMIT ` + limitSQL(limit)
	// The placeholders in text order: walk's two readers then its keyset,
	// fan's keyset then its two readers.
	who := me.arg()
	args := append(append([]any{who, who}, keyset...), keyset...)
	args = append(args, who, who)
	return `WHERE p.id IN ((` + walk + `) UNION ALL (` + fan + `)) ORDER BY p.id DESC`, args
}
