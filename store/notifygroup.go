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
	where, args := f.where(s, userID)
	if top == 0 {
		if err := s.queryRow(ctx, []any{&top}, `SELECT coalesce(max(n.id), 0) FROM notification AS n WHERE `+where, args...); err != nil {
			return Page[NotificationGroup]{}, err
		}
	}
	where += " AND n.id <= ?"
	args = append(args, top)
	q := `SELECT n.type, ` + groupSQL + ` AS g, max(n.id) AS newest, count(*), min(CASE WHEN n.read THEN 1 ELSE 0 END)
FROM notification AS n WHERE ` + where + ` GROUP BY n.type, g`
	gargs := args
	if before > 0 {
		q += ` HAVING max(n.id) < ?`
		gargs = append(gargs[:len(gargs):len(gargs)], before)
	}
	rows, done, err := s.rawQuery(ctx, q+` ORDER BY newest DESC LIMIT `+limitSQL(limit), gargs...)
	if err != nil {
		return Page[NotificationGroup]{}, err
	}
	var groups []NotificationGroup
	var keys [][2]int64 // (type, g) of each group
	for rows.Next() {
		var gr NotificationGroup
		var code, g, read int64
		if err := rows.Scan(&code, &g, &gr.Newest, &gr.Count, &read); err != nil {
			rows.Close()
			done()
			return Page[NotificationGroup]{}, err
		}
		if code > 0 && code < int64(len(notificationTypes)) {
			gr.Type = notificationTypes[code]
		}
		gr.Read, gr.Actors = read == 1, []User{}
		groups, keys = append(groups, gr), append(keys, [2]int64{code, g})
	}
	rows.Close()
	done()
	if err := rows.Err(); err != nil {
		return Page[NotificationGroup]{}, err
	}
	if err := s.fillGroups(ctx, groups, keys, where, args, userID); err != nil {
		return Page[NotificationGroup]{}, err
	}
	page := trim(groups, limit, func(g NotificationGroup) string { return fmt.Sprintf("%d_%d", top, g.Newest) })
	return page, nil
}

// fillGroups reads each group's newest members (GroupActors of them): their
// actors, and the newest one's post and date.
func (s *Store) fillGroups(ctx context.Context, groups []NotificationGroup, keys [][2]int64, where string, args []any, viewer int64) error {
	if len(groups) == 0 {
		return nil
	}
	var likes, singles []int64
	follows := false
	for i, k := range keys {
		switch k[0] {
		case int64(NotifyLike.code()):
			likes = append(likes, k[1])
		case int64(NotifyFollow.code()):
			follows = true
		default:
			singles = append(singles, groups[i].Newest)
		}
	}
	var in []string
	var inArgs []any
	if len(likes) > 0 {
		in, inArgs = append(in, "(n.type = 3 AND n.post_id IN ("+marks(len(likes))+"))"), append(inArgs, int64Args(likes)...)
	}
	if follows {
		in = append(in, "n.type = 4")
	}
	if len(singles) > 0 {
		in, inArgs = append(in, "n.id IN ("+marks(len(singles))+")"), append(inArgs, int64Args(singles)...)
	}
	// The first GroupActors of each group, newest first: a window both
	// databases have; it reads only the page's groups.
	members, err := s.readNotifications(ctx, `n.id IN (SELECT w.id FROM (SELECT n.id, row_number() OVER (PARTITION BY n.type, `+groupSQL+` ORDER BY n.id DESC) AS rn
FROM notification AS n WHERE `+where+` AND (`+strings.Join(in, " OR ")+`)) AS w WHERE w.rn <= `+strconv.Itoa(GroupActors)+`) ORDER BY n.id DESC`,
		append(args[:len(args):len(args)], inArgs...), viewer)
	if err != nil {
		return err
	}
	at := map[[2]int64]int{}
	for i, k := range keys {
		at[k] = i
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
