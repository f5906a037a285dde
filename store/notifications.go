package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"
)

// Reading notifications (docs/API.md §3c). A member's lists leave out the
// actors they silence (blocks either way, mutes with notifications)
// through the viewer seam, and what is older than the retention.

// Notification is one notification of a member's.
type Notification struct {
	ID    int64            `json:"id"`
	Type  NotificationType `json:"type"`
	Date  Timestamp        `json:"date"`
	Read  bool             `json:"read"`
	Actor User             `json:"actor"`
	Post  *Post            `json:"post"`
	// ReportID names the report of a report notification (moderators').
	ReportID *int64 `json:"report_id"`
	// postID is the post's id as stored, though the post be hidden.
	postID int64
}

// NotificationFilter narrows a list: to some types (none: all), to the
// unread ones.
type NotificationFilter struct {
	Types  []NotificationType
	Unread bool
}

// DefaultNotificationsKeep is how long notifications are kept unless
// Options.NotificationsKeep says otherwise (notifications.keep_days).
const DefaultNotificationsKeep = 90 * 24 * time.Hour

// ParseNotificationTypes reads a comma-separated list of types
// ("reply,like"), refusing an unknown one; each type once, however often
// it is named (a statement has only so many placeholders).
func ParseNotificationTypes(s string) ([]NotificationType, error) {
	var out []NotificationType
	for _, part := range strings.Split(s, ",") {
		t := NotificationType(strings.ToLower(strings.TrimSpace(part)))
		if t.code() == 0 {
			return nil, invalid("types", "value_error.type", "must be a comma-separated list of reply, mention, like, follow, report, signup")
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// where is the filter's condition on a row n of notification, for
// userID, with the retention and the silenced actors.
func (f NotificationFilter) where(ctx context.Context, s *Store, userID int64) (string, []any) {
	hides, hargs := s.as(ctx, userID).silenced().hides("n.actor_id")
	q := "n.user_id = ? AND n.date >= ? AND " + hides
	args := append([]any{userID, s.timeArg(Timestamp{Time: time.Now().Add(-s.keepNotifications)})}, hargs...)
	if len(f.Types) > 0 {
		q += " AND n.type IN (" + marks(len(f.Types)) + ")"
		for _, t := range f.Types {
			args = append(args, t.code())
		}
	}
	if f.Unread {
		q += " AND n.id > " + readMarker
		args = append(args, userID)
	}
	return q, args
}

// Notifications lists userID's notifications, newest first.
func (s *Store) Notifications(ctx context.Context, userID int64, f NotificationFilter, cursor string, limit int) (Page[Notification], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[Notification]{}, err
	}
	before, err := parseIDCursor(cursor)
	if err != nil {
		return Page[Notification]{}, err
	}
	where, args := f.where(ctx, s, userID)
	if before > 0 {
		where += " AND n.id < ?"
		args = append(args, before)
	}
	ns, err := s.readNotifications(ctx, where+" ORDER BY n.id DESC LIMIT "+limitSQL(limit), args, userID)
	if err != nil {
		return Page[Notification]{}, err
	}
	return trim(ns, limit, func(n Notification) string { return idCursor(n.ID) }), nil
}

// readNotifications reads the notifications that where (a condition and
// an order on n, whose placeholders take args) selects, with their actors
// and posts as viewer (0: anyone) sees them.
func (s *Store) readNotifications(ctx context.Context, where string, args []any, viewer int64) ([]Notification, error) {
	var ns []Notification
	var codes []int
	var postIDs, reportIDs []sql.NullInt64
	into := func(*User) any {
		ns, codes, postIDs, reportIDs = append(ns, Notification{}), append(codes, 0), append(postIDs, sql.NullInt64{}), append(reportIDs, sql.NullInt64{})
		n := &ns[len(ns)-1]
		return []any{&n.ID, &codes[len(codes)-1], &n.Date, &n.Read, &postIDs[len(postIDs)-1], &reportIDs[len(reportIDs)-1]}
	}
	actors, err := s.queryUsers(ctx, everyone, "n.id, n.type, n.date, n.id <= (SELECT rm.notifications_read FROM \"user\" AS rm WHERE rm.id = n.user_id), n.post_id, n.report_id", into,
		"JOIN notification AS n ON n.actor_id = u.id WHERE "+where, args...)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for i := range ns {
		ns[i].Actor = actors[i]
		if codes[i] > 0 && codes[i] < len(notificationTypes) {
			ns[i].Type = notificationTypes[codes[i]]
		}
		if postIDs[i].Valid {
			ns[i].postID = postIDs[i].Int64
			ids = append(ids, postIDs[i].Int64)
		}
		if reportIDs[i].Valid {
			ns[i].ReportID = &reportIDs[i].Int64
		}
	}
	posts, err := s.postsByID(ctx, ids, viewer)
	if err != nil {
		return nil, err
	}
	for i := range ns {
		if postIDs[i].Valid {
			ns[i].Post = posts[postIDs[i].Int64]
		}
	}
	if ns == nil {
		ns = []Notification{}
	}
	return ns, nil
}

// postsByID reads posts as viewer opens them, by id.
func (s *Store) postsByID(ctx context.Context, ids []int64, viewer int64) (map[int64]*Post, error) {
	out := make(map[int64]*Post, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	posts, err := s.queryPosts(ctx, s.as(ctx, viewer).opened().unliked(), "WHERE p.id IN ("+marks(len(ids))+")", int64Args(ids)...)
	for i := range posts {
		out[posts[i].ID] = &posts[i]
	}
	return out, err
}

// UnreadNotifications counts userID's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	where, args := NotificationFilter{Unread: true}.where(ctx, s, userID)
	var n int64
	return n, s.queryRow(ctx, []any{&n}, "SELECT count(*) FROM notification AS n WHERE "+where, args...)
}

// readMarker is the id up to which the member given by its argument has
// read their notifications: a notification is read when its id is at most
// this (one uncorrelated lookup per statement).
const readMarker = `(SELECT rm.notifications_read FROM "user" AS rm WHERE rm.id = ?)`

// MarkNotificationsRead marks userID's notifications read: upTo and every
// older one, or all of them when upTo is 0. It moves the member's marker,
// never back.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID, upTo int64) error {
	to, args := "?", []any{upTo}
	if upTo == 0 {
		to, args = `(SELECT coalesce(max(mn.id), 0) FROM notification AS mn WHERE mn.user_id = ?)`, []any{userID}
	}
	_, err := s.db.ExecContext(ctx, `UPDATE "user" SET notifications_read = `+to+` WHERE id = ? AND notifications_read < `+to,
		append(append(args, userID), args...)...)
	return err
}

// PruneNotifications deletes the notifications older than the retention,
// a batch at a time (no long lock), and says how many.
func (s *Store) PruneNotifications(ctx context.Context) (int64, error) {
	cutoff := s.timeArg(Timestamp{Time: time.Now().Add(-s.keepNotifications)})
	var total int64
	for {
		res, err := s.db.ExecContext(ctx, `DELETE FROM notification WHERE (user_id, id) IN (SELECT user_id, id FROM notification WHERE date < ? LIMIT 10000)`, cutoff)
		n, err := rowsAffected(res, err)
		if total += n; err != nil || n < 10000 {
			return total, err
		}
	}
}

// notificationsByID reads notifications by (recipient, id), as their
// recipients see them (the live events').
func (s *Store) notificationsByID(ctx context.Context, keys [][2]int64) (map[int64]*Notification, error) {
	out := map[int64]*Notification{}
	if len(keys) == 0 {
		return out, nil
	}
	args := make([]any, 0, 2*len(keys))
	for _, k := range keys {
		args = append(args, k[0], k[1])
	}
	ns, err := s.readNotifications(ctx, "(n.user_id, n.id) IN ("+strings.TrimSuffix(strings.Repeat("(?, ?), ", len(keys)), ", ")+")", args, 0)
	for i := range ns {
		out[ns[i].ID] = &ns[i]
	}
	return out, err
}
