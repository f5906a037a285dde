package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"
)

// The outbox's statements. On PostgreSQL a position below visibleSQL
// belongs to a transaction that has ended (see the events migration); on
// SQLite every committed position is final.
const visibleSQL = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 20)`

// eventColumns are an event's columns and its author's name, for a row e
// of event aliased e.
const eventColumns = `e.pos, e.kind, e.post_id, coalesce(e.user_id, 0), e.parent_id, e.text, e.date, (SELECT u.username FROM "user" AS u WHERE u.id = e.user_id)`

var eventKinds = [...]EventKind{1: EventPost, 2: EventPostUpdated, 3: EventPostDeleted, 4: EventPostCounts, 5: EventAccount, 6: EventHidden, 7: EventShown, 8: EventNotification, 9: EventReset}

// eventCursor is where a new hub starts: after every final event.
func (s *Store) eventCursor(ctx context.Context) (int64, error) {
	q := `SELECT coalesce(max(pos), 0) FROM event`
	if s.sql.Dialect == Postgres {
		q += ` WHERE pos < ` + visibleSQL
	}
	var pos int64
	return pos, s.queryRow(ctx, []any{&pos}, q)
}

// readEvents reads up to limit final events after a position, posts
// filled in; held says a later one waits for an earlier transaction.
func (s *Store) readEvents(ctx context.Context, after int64, limit int) (events []Event, held bool, err error) {
	visible := "1"
	if s.sql.Dialect == Postgres {
		visible = "e.pos < " + visibleSQL
	}
	rows, done, err := s.rawQuery(ctx, `SELECT `+eventColumns+`, `+visible+`
FROM event AS e WHERE e.pos > ? ORDER BY e.pos LIMIT ?`, after, limit)
	if err != nil {
		return nil, false, err
	}
	events, held, err = scanEvents(rows)
	done()
	if err != nil {
		return nil, false, err
	}
	if err := s.fillNotifications(ctx, events); err != nil {
		return nil, false, err
	}
	return events, held, s.fillPosts(ctx, events)
}

// fillNotifications reads the notifications the events announce; one
// deleted since leaves its event's Notification nil.
func (s *Store) fillNotifications(ctx context.Context, events []Event) error {
	var keys [][2]int64
	for _, e := range events {
		if e.Kind == EventNotification {
			keys = append(keys, [2]int64{e.AuthorID, e.Notification.ID})
		}
	}
	if len(keys) == 0 {
		return nil
	}
	byID, err := s.notificationsByID(ctx, keys)
	if err != nil {
		return err
	}
	for i := range events {
		if events[i].Kind == EventNotification {
			events[i].Notification = byID[events[i].Notification.ID]
		}
	}
	return nil
}

// replayEvents reads the events of (from, to], with the counts that likes
// and replies changed following what changed them.
func (s *Store) replayEvents(ctx context.Context, from, to int64, limit int) ([]Event, error) {
	rows, done, err := s.rawQuery(ctx, `SELECT `+eventColumns+`, 1
FROM event AS e WHERE e.pos > ? AND e.pos <= ? ORDER BY e.pos LIMIT ?`, from, to, limit)
	if err != nil {
		return nil, err
	}
	events, _, err := scanEvents(rows)
	done()
	if err != nil {
		return nil, err
	}
	if err := s.currentPosts(ctx, events); err != nil {
		return nil, err
	}
	if err := s.fillNotifications(ctx, events); err != nil {
		return nil, err
	}
	changed := map[int64]int64{} // post -> the position that last changed its counts
	for _, e := range events {
		switch {
		case e.Kind == EventPostCounts:
			changed[e.PostID] = e.ID
		case e.ParentID != nil && (e.Kind == EventPost || e.Kind == EventPostDeleted):
			changed[*e.ParentID] = e.ID
		}
	}
	ids := make([]int64, 0, len(changed))
	for id := range changed {
		ids = append(ids, id)
	}
	counts, err := s.postCounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	at := map[int64]Event{}
	for _, c := range counts {
		c.ID, c.Seq = changed[c.PostID], 1
		at[c.ID] = c // one per position: a row changes one post's counts
	}
	out := make([]Event, 0, len(events)+len(counts))
	for _, e := range events {
		if e.Kind != EventPostCounts {
			out = append(out, e)
		}
		if c, ok := at[e.ID]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

func scanEvents(rows *sql.Rows) (events []Event, held bool, err error) {
	defer rows.Close()
	for rows.Next() {
		var e Event
		var kind int
		var visible bool
		var text, username *string
		var date *Timestamp
		if err := rows.Scan(&e.ID, &kind, &e.PostID, &e.AuthorID, &e.ParentID, &text, &date, &username, &visible); err != nil {
			return nil, false, err
		}
		if text != nil && date != nil {
			e.Post = &Post{ID: e.PostID, Text: *text, Date: *date, UserID: e.AuthorID, ParentID: e.ParentID}
			if username != nil {
				e.Post.Username = *username
			}
		}
		if !visible {
			held = true
			break
		}
		if kind <= 0 || kind >= len(eventKinds) {
			continue
		}
		e.Kind = eventKinds[kind]
		switch e.Kind {
		case EventHidden, EventShown: // post_id holds a user's id
			e.Other, e.PostID = e.PostID, 0
		case EventNotification: // post_id holds the notification's id
			e.Notification, e.PostID = &Notification{ID: e.PostID}, 0
		case EventAccount: // post_id is 1 for a key's removal (its trigger), else 0
			e.KeyRemoved, e.PostID = e.PostID == 1, 0
		}
		events = append(events, e)
	}
	return events, held, rows.Err()
}

// fillPosts gives edited posts' events the post's counts as they are now
// (a new post has none yet); the rest of a post is in its event.
func (s *Store) fillPosts(ctx context.Context, events []Event) error {
	var ids []int64
	for _, e := range events {
		if e.Kind == EventPostUpdated && e.Post != nil {
			ids = append(ids, e.PostID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	counts, err := s.postCounts(ctx, ids)
	if err != nil {
		return err
	}
	byPost := make(map[int64]Event, len(counts))
	for _, c := range counts {
		byPost[c.PostID] = c
	}
	for i := range events {
		if c, ok := byPost[events[i].PostID]; ok && events[i].Kind == EventPostUpdated && events[i].Post != nil {
			events[i].Post.Likes, events[i].Post.ReplyCount = c.Likes, c.ReplyCount
		}
	}
	return nil
}

// postCounts reads the counts of posts (those gone are left out).
func (s *Store) postCounts(ctx context.Context, ids []int64) ([]Event, error) {
	var out []Event
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), OutboxPage)]
		ids = ids[len(chunk):]
		rows, done, err := s.rawQuery(ctx, `SELECT id, user_id, parent_id, like_count, reply_count FROM post WHERE id IN (`+marks(len(chunk))+`)`, int64Args(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			e := Event{Kind: EventPostCounts}
			if err := rows.Scan(&e.PostID, &e.AuthorID, &e.ParentID, &e.Likes, &e.ReplyCount); err != nil {
				rows.Close()
				done()
				return nil, err
			}
			out = append(out, e)
		}
		rows.Close()
		done()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eventHorizon is the highest position pruned.
func (s *Store) eventHorizon(ctx context.Context) (int64, error) {
	var pos int64
	return pos, s.queryRow(ctx, []any{&pos}, `SELECT pos FROM event_horizon`)
}

// pruneEvents deletes the events older than the window and raises the
// horizon past them.
func (s *Store) pruneEvents(ctx context.Context, window time.Duration, upTo int64) error {
	cutoff := any(time.Now().Add(-window))
	if s.sql.Dialect == SQLite {
		cutoff = time.Now().Add(-window).Unix()
	}
	return s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		if _, err := tx.db.ExecContext(ctx, `UPDATE event_horizon SET pos = (SELECT coalesce(max(pos), 0) FROM event WHERE at < ? AND pos <= ?)
WHERE pos < (SELECT coalesce(max(pos), 0) FROM event WHERE at < ? AND pos <= ?)`, cutoff, upTo, cutoff, upTo); err != nil {
			return err
		}
		_, err := tx.db.ExecContext(ctx, `DELETE FROM event WHERE at < ? AND pos <= ?`, cutoff, upTo)
		return err
	})
}

// followingIDs lists whom userID follows.
func (s *Store) followingIDs(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := s.db.NewSelect().Table("follow").Column("to_id").Where("from_id = ?", userID).Scan(ctx, &ids)
	return ids, err
}

// hiddenNow lists whom viewer does not see in a list or a stream (whom
// they blocked, who blocked them, whom they muted: once per reason), and
// the instant it was read at. One statement, so one snapshot reads both:
// the first row carries no id, only the instant.
func (s *Store) hiddenNow(ctx context.Context, viewer int64) (ids []int64, at *Instant, err error) {
	q, args := s.as(ctx, viewer).live().relationsSQL()
	instant := `pg_current_snapshot()::text`
	if s.sql.Dialect == SQLite {
		instant = `(SELECT coalesce(max(pos), 0) FROM event)`
	}
	rows, done, err := s.rawQuery(ctx, `SELECT `+instant+`, h.id FROM (SELECT NULL AS id UNION ALL `+q+`) AS h`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer done()
	defer rows.Close()
	var mark string
	for rows.Next() {
		var id sql.NullInt64
		if err := rows.Scan(&mark, &id); err != nil {
			return nil, nil, err
		}
		if id.Valid {
			ids = append(ids, id.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if s.sql.Dialect == SQLite {
		pos, err := strconv.ParseInt(mark, 10, 64)
		return ids, &Instant{Pos: pos}, err
	}
	sn, err := parseSnapshot(mark)
	return ids, &Instant{snap: sn}, err
}
