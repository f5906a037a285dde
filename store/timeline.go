package store

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
)

// walkDepth is how many of the newest posts a PostgreSQL timeline walks
// for each row of its page before it reads each followed user's instead.
const walkDepth = 20

// Timeline lists posts by the people userID follows, newest first.
func (s *Store) Timeline(ctx context.Context, userID int64, replies bool, cursor string, limit int) (Page[Post], error) {
	return s.timeline(ctx, s.as(ctx, userID), replies, cursor, limit)
}

// TimelineAs is Timeline for the holder of a token's credential, whom the
// statement finds itself: a separate lookup would cost every page a second
// round trip. A credential that no longer holds (user gone, token revoked)
// gives ErrNotSignedIn, checked only when the page is empty.
func (s *Store) TimelineAs(ctx context.Context, c Credential, replies bool, cursor string, limit int) (Page[Post], error) {
	page, err := s.timeline(ctx, s.asCred(ctx, c).unliked(), replies, cursor, limit)
	if err == nil && len(page.Items) == 0 {
		if _, err := s.UserByCredential(ctx, c); err != nil {
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
	var posts []Post
	if s.sql.Dialect == Postgres {
		posts, err = s.timelinePostgres(ctx, me, replies, before, limit)
	} else {
		where := []string{"p.user_id IN (SELECT f.to_id FROM follow AS f WHERE f.from_id = " + me.sql() + ")"}
		if !replies {
			where = append(where, "p.parent_id IS NULL")
		}
		q, args := keysetSQL(where, me.args(), true, before, limit)
		posts, err = s.queryPosts(ctx, me, q, args...)
	}
	if err != nil {
		return Page[Post]{}, err
	}
	return trim(posts, limit, func(p Post) string { return idCursor(p.ID) }), nil
}

// timelinePostgres reads a page in one of two ways:
//   - the walk: the newest posts of everyone, read in full from the table
//     (where rows lie in insertion order, the newest share a few pages) and
//     kept when a followed user wrote them. Most readers follow enough
//     people that a page is found within walkDepth posts per row; the walk
//     stops there either way, so its cost does not grow with the table or
//     with a quiet follow list.
//   - the fan, when the walk comes back short: at most a page from each
//     followed user's own index, the newest of them kept, then their rows.
//     It is exact on its own, so a short walk (few or quiet follows, the
//     end of the timeline) costs a second statement and nothing else.
//
// Both read the follow list by the reader's id or name, in the statement.
// post_top_level_idx still carries user_id (INCLUDE), from the index-only
// walk before this one; the walk reads the table now, but dropping it
// measured no gain (bench/RESULTS.md), so no migration rebuilds the index.
func (s *Store) timelinePostgres(ctx context.Context, me reader, replies bool, before int64, limit int) ([]Post, error) {
	var conds []string // the page's conditions on t, a post
	var keyset []any
	if !replies {
		conds = append(conds, "t.parent_id IS NULL")
	}
	if before > 0 {
		conds, keyset = append(conds, "t.id < ?"), []any{before}
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	// Both statements take the viewer, then the keyset, then the reader.
	// (A reader who follows nobody still walks, for nothing: a one-time
	// EXISTS to skip it cost everyone else more: bench/RESULTS.md.)
	args := append(append(viewerArgs(me), keyset...), me.args()...)
	page := " ORDER BY p.id DESC LIMIT " + limitSQL(limit)

	// The walk reads post itself, so it adds what the reader hides.
	hides, hidden := me.hides("p.user_id")
	walk := postColumns("", me, authorLookup) + `FROM (SELECT t.* FROM post AS t` + where +
		` ORDER BY t.id DESC LIMIT ` + strconv.Itoa(walkDepth*(limit+1)) + `) AS p
WHERE p.user_id = ANY (ARRAY(SELECT f.to_id FROM follow AS f WHERE f.from_id = ` + me.sql() + `)) AND ` + hides + page
	walkArgs := append(append(append(likedArgs(me), keyset...), me.args()...), hidden...)
	posts, err := s.scanPosts(ctx, nil, walk, walkArgs...)
	if err != nil || len(posts) > limit {
		return posts, err
	}
	fan := s.postSQL("", me) + `WHERE p.id IN (SELECT x.id FROM follow AS f CROSS JOIN LATERAL (SELECT t.id FROM post AS t WHERE t.user_id = f.to_id` +
		strings.Replace(where, " WHERE ", " AND ", 1) + ` ORDER BY t.id DESC LIMIT ` + limitSQL(limit) + `) AS x
WHERE f.from_id = ` + me.sql() + ` ORDER BY x.id DESC LIMIT ` + limitSQL(limit) + `)` + page
	return s.scanPosts(ctx, nil, fan, args...)
}

// HomeTimeline is the timeline with the reader's own posts among the
// others, as the home stream carries them (the TUI's Home: a post written
// there appears there). The API's timeline keeps the original's: others'
// posts only. Two keyset reads, merged newest first.
func (s *Store) HomeTimeline(ctx context.Context, userID int64, replies bool, cursor string, limit int) (Page[Post], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[Post]{}, err
	}
	theirs, err := s.Timeline(ctx, userID, replies, cursor, limit)
	if err != nil {
		return Page[Post]{}, err
	}
	mine, err := s.ListPosts(ctx, PostList{AuthorID: userID, Replies: replies, Newest: true, Cursor: cursor, Limit: limit, Viewer: userID, Liked: true})
	if err != nil {
		return Page[Post]{}, err
	}
	all := append(theirs.Items, mine.Items...)
	slices.SortFunc(all, func(a, b Post) int { return cmp.Compare(b.ID, a.ID) })
	more := theirs.Next != "" || mine.Next != "" || len(all) > limit
	all = all[:min(limit, len(all))]
	page := Page[Post]{Items: all}
	if more && len(all) > 0 {
		page.Next = idCursor(all[len(all)-1].ID)
	}
	return page, nil
}
