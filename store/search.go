package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/pamps/pamps/store/internal/sqldb"
)

// Search (docs/API.md §3c): posts through each database's full-text index
// (PostgreSQL's GIN on to_tsvector('simple', text), SQLite's FTS5 table
// post_fts), users by name and bio. Results are read as their viewer reads
// lists: what they hide is left out, in the statement (viewer.go).

// PostSearch is a search of posts.
type PostSearch struct {
	Query  string
	From   string // only this author's posts (a username); "" any
	Viewer int64  // the member searching (0: anyone)
	Liked  bool   // fill Post.Liked (a front end that shows it)
	Cursor string
	Limit  int
}

// searchVector is the posts' stored, indexed vector (PostgreSQL).
const searchVector = `p.search`

// SearchPosts finds the posts matching the query, newest first.
func (s *Store) SearchPosts(ctx context.Context, o PostSearch) (Page[Post], error) {
	limit, err := checkLimit(o.Limit)
	if err != nil {
		return Page[Post]{}, err
	}
	before, err := parseIDCursor(o.Cursor)
	if err != nil {
		return Page[Post]{}, err
	}
	sq, err := ParseSearch(o.Query)
	if err != nil {
		return Page[Post]{}, err
	}
	if sq.Empty() {
		return Page[Post]{Items: []Post{}}, nil
	}
	viewer := s.as(ctx, o.Viewer)
	if !o.Liked {
		viewer = viewer.unliked()
	}
	if pos, neg, ok := sq.ftsMatch(); ok && s.sql.Dialect == SQLite {
		return s.searchFTS(ctx, viewer, pos, neg, o.From, before, limit)
	}
	cond, args := s.matchSQL(sq)
	rest := "WHERE " + cond
	if o.From != "" {
		rest += ` AND p.user_id = (SELECT fu.id FROM "user" AS fu WHERE ` + nameMatch("fu") + `)`
		args = append(args, o.From)
	}
	if before > 0 {
		rest += " AND p.id < ?"
		args = append(args, before)
	}
	// Planned for its words each time (sqldb.WithCustomPlans): the best
	// plan walks the newest posts for a common word, and reads the index
	// for a rare one.
	posts, err := s.queryPosts(sqldb.WithCustomPlans(ctx), viewer, rest+" ORDER BY p.id DESC LIMIT "+limitSQL(limit), args...)
	if err != nil {
		return Page[Post]{}, err
	}
	return trim(posts, limit, func(p Post) string { return idCursor(p.ID) }), nil
}

// matchSQL is the condition that a row p of post matches sq, and its
// arguments: every piece of the query is a bound value, never syntax.
func (s *Store) matchSQL(sq SearchQuery) (string, []any) {
	if s.sql.Dialect == SQLite {
		pos, neg, ok := sq.ftsMatch()
		var conds []string
		var args []any
		if ok {
			conds, args = append(conds, "p.id IN (SELECT rowid FROM post_fts WHERE post_fts MATCH ?)"), append(args, pos)
		}
		if neg != "" {
			conds, args = append(conds, "p.id NOT IN (SELECT rowid FROM post_fts WHERE post_fts MATCH ?)"), append(args, neg)
		}
		return strings.Join(conds, " AND "), args
	}
	var parts []string
	var args []any
	if len(sq.Words) > 0 {
		parts, args = append(parts, "plainto_tsquery('simple', ?)"), append(args, strings.Join(sq.Words, " "))
	}
	for _, p := range sq.Phrases {
		parts, args = append(parts, "phraseto_tsquery('simple', ?)"), append(args, p)
	}
	for _, w := range sq.Excluded {
		parts, args = append(parts, "!!plainto_tsquery('simple', ?)"), append(args, w)
	}
	return searchVector + " @@ (" + strings.Join(parts, " && ") + ")", args
}

// SearchUsers finds the users whose name starts with q (case ignored),
// then those whose bio holds every word of q (as text: "bread" finds
// "breadmaker"); each part by name. Blocks
// hide people, as in every list of users.
func (s *Store) SearchUsers(ctx context.Context, q string, viewer int64, cursor string, limit int) (Page[User], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[User]{}, err
	}
	if _, err := ParseSearch(q); err != nil {
		return Page[User]{}, err
	}
	afterRank, afterName, err := parseRankCursor(cursor)
	if err != nil {
		return Page[User]{}, err
	}
	prefix := likeEscape(strings.ToLower(q)) + "%"
	rank := `(CASE WHEN lower(u.username) LIKE ? ESCAPE '\' THEN 0 ELSE 1 END)`
	rest := `WHERE (lower(u.username) LIKE ? ESCAPE '\'`
	args := []any{prefix}
	if words := searchWords(q); len(words) > 0 {
		rest += ` OR (u.bio IS NOT NULL` + strings.Repeat(` AND lower(u.bio) LIKE ? ESCAPE '\'`, len(words)) + `)`
		for _, w := range words {
			args = append(args, "%"+likeEscape(w)+"%")
		}
	}
	rest += ")"
	if afterRank >= 0 {
		rest += ` AND (` + rank + ` > ? OR (` + rank + ` = ? AND lower(u.username) > ?))`
		args = append(args, prefix, afterRank, prefix, afterRank, afterName)
	}
	rest += ` ORDER BY ` + rank + `, lower(u.username) LIMIT ` + limitSQL(limit)
	args = append(args, prefix)
	users, err := s.queryUsers(ctx, s.as(ctx, viewer), "", nil, rest, args...)
	if err != nil {
		return Page[User]{}, err
	}
	return trim(users, limit, func(u User) string {
		name := strings.ToLower(u.Username)
		return map[bool]string{true: "0", false: "1"}[strings.HasPrefix(name, strings.ToLower(q))] + "_" + name
	}), nil
}

// likeEscape makes s match itself in a LIKE pattern (ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// parseRankCursor reads "rank_name"; rank is -1 without a cursor.
func parseRankCursor(c string) (rank int, name string, err error) {
	if c == "" {
		return -1, "", nil
	}
	r, n, ok := strings.Cut(c, "_")
	rank, err = strconv.Atoi(r)
	if !ok || err != nil || (rank != 0 && rank != 1) || n == "" || len(n) > MaxUsernameLen {
		return 0, "", invalid("cursor", "value_error.cursor", "is not a cursor this list gave out")
	}
	return rank, n, nil
}
