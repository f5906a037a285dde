package store

import (
	"context"
	"strconv"
)

// ftsBatch is the most matches one step of an SQLite search reads.
const ftsBatch = 256

// searchFTS is SearchPosts on SQLite: FTS5 gives its matches newest first
// (by rowid, the post's id) and stops early, a batch at a time (a page's
// worth, then twice as many while the filters leave too few); each batch's
// posts are then read as viewer sees them, with the exclusions and the
// author. Letting SQLite join the whole match set instead sorted every
// match of a common word first (264 ms a page at 1M posts, bench/search.sh).
func (s *Store) searchFTS(ctx context.Context, viewer reader, pos, neg, from string, before int64, limit int) (Page[Post], error) {
	var out []Post
	batch := limit + 1 // the newest matches first; more only when the filters leave too few
	for len(out) <= limit {
		q, args := `SELECT rowid FROM post_fts WHERE post_fts MATCH ?`, []any{pos}
		if before > 0 {
			q, args = q+` AND rowid < ?`, append(args, before)
		}
		var ids []int64
		rows, done, err := s.rawQuery(ctx, q+` ORDER BY rowid DESC LIMIT `+strconv.Itoa(batch), args...)
		if err != nil {
			return Page[Post]{}, err
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				done()
				return Page[Post]{}, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		done()
		if err := rows.Err(); err != nil {
			return Page[Post]{}, err
		}
		if len(ids) == 0 {
			break
		}
		rest, pargs := "WHERE p.id IN ("+marks(len(ids))+")", int64Args(ids)
		if neg != "" {
			rest, pargs = rest+" AND p.id NOT IN (SELECT rowid FROM post_fts WHERE post_fts MATCH ?)", append(pargs, neg)
		}
		if from != "" {
			rest, pargs = rest+` AND p.user_id = (SELECT fu.id FROM "user" AS fu WHERE `+nameMatch("fu")+`)`, append(pargs, from)
		}
		posts, err := s.queryPosts(ctx, viewer, rest+" ORDER BY p.id DESC", pargs...)
		if err != nil {
			return Page[Post]{}, err
		}
		out = append(out, posts...)
		if len(ids) < batch {
			break
		}
		before, batch = ids[len(ids)-1], min(batch*2, ftsBatch)
	}
	return trim(out, limit, func(p Post) string { return idCursor(p.ID) }), nil
}
