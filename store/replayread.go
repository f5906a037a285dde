package store

import (
	"context"
	"strconv"
)

// What a resume reads besides the outbox: the counts changed just before
// it, and the posts as they are now.

// catchUpWindow is how far before a resume point counts may have changed
// without the client hearing of it: the hub flushes them once a second.
// catchUpEvents bounds the events read for it: a resume costs an index
// range of at most that many rows, whatever the outbox holds (a filter on
// time alone scanned every event before the point).
const (
	catchUpWindow = 3 // seconds
	catchUpEvents = 2000
)

// recentCounts reads the counts, as they are now, of the posts whose likes
// or replies changed in the catchUpWindow before the event at position at,
// among its catchUpEvents latest events (at most OutboxPage posts).
func (s *Store) recentCounts(ctx context.Context, at int64) ([]Event, error) {
	since := `(SELECT l.at FROM event AS l WHERE l.pos <= ? ORDER BY l.pos DESC LIMIT 1) - ` + strconv.Itoa(catchUpWindow)
	if s.sql.Dialect == Postgres {
		since = `(SELECT l.at FROM event AS l WHERE l.pos <= ? ORDER BY l.pos DESC LIMIT 1) - interval '` + strconv.Itoa(catchUpWindow) + ` seconds'`
	}
	rows, done, err := s.rawQuery(ctx, `SELECT DISTINCT CASE WHEN e.kind = 4 THEN e.post_id ELSE e.parent_id END AS id
FROM (SELECT kind, post_id, parent_id, at FROM event WHERE pos <= ? ORDER BY pos DESC LIMIT ?) AS e
WHERE e.at >= `+since+` AND (e.kind = 4 OR (e.parent_id IS NOT NULL AND e.kind IN (1, 3)))
LIMIT ?`, at, catchUpEvents, at, OutboxPage)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			done()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	done()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return s.postCounts(ctx, ids)
}

// currentPosts makes a replay show what a fresh read shows now: the posts
// of post and post.updated events as they are (text, author's name,
// counts), and none of a post deleted since, or of a deleted account: the
// outbox keeps each as it was written, for the live fan-out.
func (s *Store) currentPosts(ctx context.Context, events []Event) error {
	var ids []int64
	for _, e := range events {
		if e.Kind == EventPost || e.Kind == EventPostUpdated {
			ids = append(ids, e.PostID)
		}
	}
	now := make(map[int64]Post, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), OutboxPage)]
		ids = ids[len(chunk):]
		posts, err := s.queryPosts(ctx, s.as(ctx, 0), `WHERE p.id IN (`+marks(len(chunk))+`)`, int64Args(chunk)...)
		if err != nil {
			return err
		}
		for _, p := range posts {
			now[p.ID] = p
		}
	}
	for i := range events {
		if e := &events[i]; e.Kind == EventPost || e.Kind == EventPostUpdated {
			e.Post = nil
			if p, ok := now[e.PostID]; ok {
				e.Post = &p
			}
		}
	}
	return nil
}
