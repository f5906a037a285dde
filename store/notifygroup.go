package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// NotificationGroup is notifications shown as one ("ann, bob and 12 others
// liked your post"): the likes of one post, the follows, or one
// notification of another type. Date and Post are its newest member's;
// Read says every member is read.
type NotificationGroup struct {
	Key    string           `json:"key"`
	Type   NotificationType `json:"type"`
	Count  int64            `json:"count"`
	Actors []User           `json:"actors"`
	Post   *Post            `json:"post"`
	Date   Timestamp        `json:"date"`
	Read   bool             `json:"read"`
	// Newest is the id of its newest notification (to mark read up to).
	Newest int64 `json:"-"`
}

// GroupActors is how many actors a group names, newest first.
const GroupActors = 3

// groupSQL is a row n's group within its type: the post for a like, one
// group for the follows, the notification itself otherwise.
const groupSQL = `CASE n.type WHEN 3 THEN n.post_id WHEN 4 THEN 0 ELSE n.id END`

// NotificationGroups lists userID's notifications grouped, the group with
// the newest notification first. A page's cursor holds the newest id the
// first page saw: the following pages group what existed then, so every
// group is visited once even while notifications arrive.
func (s *Store) NotificationGroups(ctx context.Context, userID int64, f NotificationFilter, cursor string, limit int) (Page[NotificationGroup], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[NotificationGroup]{}, err
	}
	top, before, err := parseGroupCursor(cursor)
	if err != nil {
		return Page[NotificationGroup]{}, err
	}
	where, args := f.where(ctx, s, userID)
	keys, err := s.walkGroups(ctx, where, args, &top, before, limit+1)
	if err != nil || len(keys) == 0 {
		return Page[NotificationGroup]{Items: []NotificationGroup{}}, err
	}
	where += " AND n.id <= ?"
	args = append(args, top)
	in, inArgs := keysFilter(keys)
	where, args = where+" AND ("+in+")", append(args, inArgs...)
	groups, err := s.countGroups(ctx, userID, keys, where, args)
	if err != nil {
		return Page[NotificationGroup]{}, err
	}
	if err := s.fillGroups(ctx, groups, keys, where, args, userID); err != nil {
		return Page[NotificationGroup]{}, err
	}
	return trim(groups, limit, func(g NotificationGroup) string { return fmt.Sprintf("%d_%d", top, g.Newest) }), nil
}

// countGroups reads how many members each group has, and whether all are
// read (its newest is); where selects the page's groups' members.
func (s *Store) countGroups(ctx context.Context, userID int64, keys []groupRef, where string, args []any) ([]NotificationGroup, error) {
	rows, done, err := s.rawQuery(ctx, `SELECT n.type, `+groupSQL+` AS g, count(*), CASE WHEN max(n.id) <= `+readMarker+` THEN 1 ELSE 0 END
FROM notification AS n WHERE `+where+` GROUP BY n.type, g`, append([]any{userID}, args...)...)
	if err != nil {
		return nil, err
	}
	defer done()
	defer rows.Close()
	at := make(map[[2]int64]int, len(keys))
	groups := make([]NotificationGroup, len(keys))
	for i, k := range keys {
		at[k.key] = i
		groups[i] = NotificationGroup{Newest: k.newest, Actors: []User{}}
		if k.key[0] > 0 && k.key[0] < int64(len(notificationTypes)) {
			groups[i].Type = notificationTypes[k.key[0]]
		}
	}
	for rows.Next() {
		var k [2]int64
		var count, read int64
		if err := rows.Scan(&k[0], &k[1], &count, &read); err != nil {
			return nil, err
		}
		if i, ok := at[k]; ok {
			groups[i].Count, groups[i].Read = count, read == 1
		}
	}
	return groups, rows.Err()
}

// fillGroups reads each group's newest members (GroupActors of them): their
// actors, and the newest one's post and date. where selects the groups'
// members.
func (s *Store) fillGroups(ctx context.Context, groups []NotificationGroup, keys []groupRef, where string, args []any, viewer int64) error {
	// The first GroupActors of each group, newest first: a window both
	// databases have; it reads only the page's groups.
	members, err := s.readNotifications(ctx, `n.user_id = ? AND n.id IN (SELECT w.id FROM (SELECT n.id, row_number() OVER (PARTITION BY n.type, `+groupSQL+` ORDER BY n.id DESC) AS rn
FROM notification AS n WHERE `+where+`) AS w WHERE w.rn <= `+strconv.Itoa(GroupActors)+`) ORDER BY n.id DESC`,
		append([]any{viewer}, args...), viewer)
	if err != nil {
		return err
	}
	at := map[[2]int64]int{}
	for i, k := range keys {
		at[k.key] = i
	}
	for _, m := range members {
		k := [2]int64{int64(m.Type.code()), m.ID}
		switch m.Type {
		case NotifyLike:
			k[1] = m.postID
		case NotifyFollow:
			k[1] = 0
		}
		i, ok := at[k]
		if !ok {
			continue
		}
		gr := &groups[i]
		if len(gr.Actors) == 0 { // the newest
			gr.Post, gr.Date = m.Post, m.Date
			gr.Key = groupKey(m.Type, k[1])
		}
		gr.Actors = append(gr.Actors, m.Actor)
	}
	return nil
}

// Sentence says the group in words (the CLI and the TUI): "ann, bob and 12 others liked your
// post: hello".
func (g NotificationGroup) Sentence() string {
	var who []string
	for _, u := range g.Actors {
		who = append(who, u.Username)
	}
	if others := g.Count - int64(len(who)); others > 0 {
		who = append(who, fmt.Sprintf("%d other%s", others, map[bool]string{true: "", false: "s"}[others == 1]))
	}
	names := strings.Join(who, ", ")
	if i := strings.LastIndex(names, ", "); i >= 0 {
		names = names[:i] + " and " + names[i+2:]
	}
	what := map[NotificationType]string{
		NotifyReply: "replied", NotifyMention: "mentioned you", NotifyLike: "liked your post",
		NotifyFollow: "followed you", NotifyReport: "filed a report", NotifySignup: "signed up and waits for approval",
	}[g.Type]
	if g.Post != nil {
		what += ": " + g.Post.Text
	}
	return names + " " + what
}

// groupKey names a group: "like:<post id>", "follow", or "<type>:<id>".
func groupKey(t NotificationType, g int64) string {
	if t == NotifyFollow {
		return string(t)
	}
	return string(t) + ":" + strconv.FormatInt(g, 10)
}

func parseGroupCursor(c string) (top, before int64, err error) {
	if c == "" {
		return 0, 0, nil
	}
	a, b, found := strings.Cut(c, "_")
	top, err1 := strconv.ParseInt(a, 10, 64)
	before, err2 := strconv.ParseInt(b, 10, 64)
	if !found || err1 != nil || err2 != nil || top <= 0 || before <= 0 {
		return 0, 0, invalid("cursor", "value_error.cursor", "is not a cursor this list gave out")
	}
	return top, before, nil
}
