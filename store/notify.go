package store

import (
	"context"
	"strconv"
)

// The writing of notifications (docs/API.md §3c): each is inserted by the
// statement, or in the transaction, of the action that causes it, so an
// action never commits without its notification or the other way round.

// NotificationType names a notification as the API does.
type NotificationType string

// The notifications' types. Report and signup are for moderators.
const (
	NotifyReply   NotificationType = "reply"
	NotifyMention NotificationType = "mention"
	NotifyLike    NotificationType = "like"
	NotifyFollow  NotificationType = "follow"
	NotifyReport  NotificationType = "report"
	NotifySignup  NotificationType = "signup"
)

// notificationTypes are the stored codes (the migration's CHECK), by type.
var notificationTypes = [...]NotificationType{1: NotifyReply, 2: NotifyMention, 3: NotifyLike, 4: NotifyFollow, 5: NotifyReport, 6: NotifySignup}

// NotificationTypes lists every type, in code order.
func NotificationTypes() []NotificationType {
	return append([]NotificationType(nil), notificationTypes[1:]...)
}

// code is the stored code of t; 0 for no type.
func (t NotificationType) code() int {
	for i, n := range notificationTypes {
		if i > 0 && n == t {
			return i
		}
	}
	return 0
}

// mayNotify is the rule of who may notify whom, for the user ids given by
// two SQL expressions: not oneself, no block either way, and no mute of the
// actor by the recipient that silences notifications. Read lists apply
// the same set (hideSilenced), so a block made later hides earlier ones.
// Each test is one probe of a primary key.
func mayNotify(recipient, actor string) string {
	return recipient + ` <> ` + actor + `
AND NOT EXISTS (SELECT 1 FROM block AS nb WHERE nb.from_id = ` + recipient + ` AND nb.to_id = ` + actor + `)
AND NOT EXISTS (SELECT 1 FROM block AS nb WHERE nb.from_id = ` + actor + ` AND nb.to_id = ` + recipient + `)
AND NOT EXISTS (SELECT 1 FROM mute AS nm WHERE nm.from_id = ` + recipient + ` AND nm.to_id = ` + actor + ` AND nm.notifications)`
}

// notifySQL inserts a notification of type t for each row of from (a FROM
// clause, with its joins) that where keeps and the rule allows; recipient,
// actor, post and date are expressions over it. A like or a follow
// notified once is not notified again, ever: a like is looked for by
// (post, liker) — the like's own row keeps two of them from racing — and
// a follow is kept to one by its unique index.
func notifySQL(t NotificationType, recipient, actor, post, date, from, where string) string {
	if where == "" {
		where = "TRUE"
	}
	once := ""
	switch t {
	case NotifyLike:
		once = `
AND NOT EXISTS (SELECT 1 FROM notification AS ln WHERE ln.post_id = ` + post + ` AND ln.actor_id = ` + actor + ` AND ln.type = 3)`
	}
	q := `INSERT INTO notification (user_id, type, actor_id, post_id, date)
SELECT ` + recipient + `, ` + strconv.Itoa(t.code()) + `, ` + actor + `, ` + post + `, ` + date + `
FROM ` + from + ` WHERE ` + where + ` AND ` + mayNotify(recipient, actor) + once
	if t == NotifyFollow {
		q += `
ON CONFLICT DO NOTHING`
	}
	return q
}

// The notification of a like and of a follow, for a row l of "like" or f
// of follow (the PostgreSQL statements' CTE, or SQLite's values).
var (
	likeNotifySQL   = notifySQL(NotifyLike, "p.user_id", "l.user_id", "l.post_id", "l.date", `l JOIN post AS p ON p.id = l.post_id`, "")
	followNotifySQL = notifySQL(NotifyFollow, "f.to_id", "f.from_id", "NULL", "f.date", "f", "")
)

// replyNotifySQL notifies the parent's author of a new reply, a row np of
// from (with where, a condition on it).
func replyNotifySQL(from, where string) string {
	return notifySQL(NotifyReply, "pp.user_id", "np.user_id", "np.id", "np.date", from+` JOIN post AS pp ON pp.id = np.parent_id`, where)
}

// mentionNotifySQL notifies the n names (lower case; they are its first
// arguments) a new post np names, but for the parent's author of a reply:
// the reply notifies them already (one notification, reply).
func mentionNotifySQL(from, where string, n int) string {
	if where == "" {
		where = "TRUE"
	}
	return notifySQL(NotifyMention, "mu.id", "np.user_id", "np.id", "np.date",
		from+` JOIN "user" AS mu ON lower(mu.username) IN (`+marks(n)+`)`,
		where+` AND (np.parent_id IS NULL OR mu.id <> (SELECT pp.user_id FROM post AS pp WHERE pp.id = np.parent_id))`)
}

// notifyPost writes the notifications of a new post in statements of
// their own (SQLite, in the post's transaction).
func (s *Store) notifyPost(ctx context.Context, postID int64, isReply bool, names []string) error {
	if isReply {
		if _, err := s.db.ExecContext(ctx, replyNotifySQL("post AS np", "np.id = ?"), postID); err != nil {
			return err
		}
	}
	if len(names) == 0 {
		return nil
	}
	_, err := s.db.ExecContext(ctx, mentionNotifySQL("post AS np", "np.id = ?", len(names)), append(stringArgs(names), postID)...)
	return err
}

func stringArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
