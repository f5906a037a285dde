package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
)

// BenchmarkNotifications: one member with 10,000 notifications (likes of
// their posts, follows, replies, interleaved as they would arrive), read
// as GET /notifications/, /notifications/grouped/ and /unread/ read them,
// limit 20; p99 is of the timed reads. No rate limit is involved.
func BenchmarkNotifications(b *testing.B) {
	s := benchDB(b)
	users, err := s.ListUsers(ctx, store.UserList{Limit: 1, Cursor: "20"})
	if err != nil || len(users.Items) == 0 {
		b.Fatal(err)
	}
	me := users.Items[0].ID
	fillNotifications(b, s, me, 10000)
	for _, r := range []struct {
		name string
		read func() error
	}{
		{"list", func() error { _, err := s.Notifications(ctx, me, store.NotificationFilter{}, "", 20); return err }},
		{"grouped", func() error {
			_, err := s.NotificationGroups(ctx, me, store.NotificationFilter{}, "", 20)
			return err
		}},
		{"unread", func() error { _, err := s.UnreadNotifications(ctx, me); return err }},
	} {
		b.Run(r.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				t0 := time.Now()
				if err := r.read(); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t0))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// fillNotifications gives member me n notifications, in rounds of 80%
// likes of their posts, 10% follows and 10% replies by others, straight
// into the table (the benchmark measures reading them).
func fillNotifications(b *testing.B, s *store.Store, me int64, n int) {
	db := s.DB() // bun: "?" placeholders on both databases
	if _, err := db.Exec(`DELETE FROM notification WHERE user_id = ?`, me); err != nil {
		b.Fatal(err)
	}
	var date any = time.Now().UTC()
	if s.Dialect() == store.SQLite {
		date = store.SQLiteTime(time.Now())
	}
	rounds := 10
	per := n / rounds
	for r := range rounds {
		for _, q := range []struct {
			sql  string
			rows int
		}{
			{`INSERT INTO notification (user_id, type, actor_id, post_id, date) SELECT ?, 3, u.id, p.id, ?
FROM "user" AS u JOIN post AS p ON p.user_id = ? WHERE u.id <> ? ORDER BY u.id, p.id LIMIT ? OFFSET ?`, per * 8 / 10},
			{`INSERT INTO notification (user_id, type, actor_id, post_id, date) SELECT ?, 4, u.id, NULL, ?
FROM "user" AS u WHERE u.id <> ? AND ? > 0 ORDER BY u.id LIMIT ? OFFSET ?`, per / 10},
			{`INSERT INTO notification (user_id, type, actor_id, post_id, date) SELECT ?, 1, p.user_id, p.id, ?
FROM post AS p WHERE p.user_id <> ? AND ? > 0 ORDER BY p.id LIMIT ? OFFSET ?`, per / 10},
		} {
			if _, err := db.Exec(q.sql, me, date, me, me, q.rows, r*q.rows); err != nil {
				b.Fatal(err)
			}
		}
	}
	var got int
	if err := db.QueryRow(`SELECT count(*) FROM notification WHERE user_id = ?`, me).Scan(&got); err != nil || got < n*9/10 {
		b.Fatalf("%d notifications made: %v", got, err)
	}
	if _, err := db.Exec(`ANALYZE notification`); err != nil {
		b.Fatal(err)
	}
}
