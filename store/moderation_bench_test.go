package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
)

// BenchmarkSuspendABigAuthor: a member with 100,000 posts suspended and the
// suspension lifted, one after the other (each is one row's update and a
// revocation: no post is rewritten), then the newest posts read anonymously
// while they are suspended. p99 is of the timed suspensions. The member is
// made on the benchmark database (PAMPS_BENCH_DATABASE_URL, else a seeded
// SQLite file) with their posts inserted in one statement.
func BenchmarkSuspendABigAuthor(b *testing.B) {
	s := benchDB(b)
	name := "big" + time.Now().Format("150405.000000")
	u, err := s.CreateUser(ctx, store.NewUser{Email: name + "@example.com", Username: name, Password: "password1"})
	if err != nil {
		b.Fatal(err)
	}
	fillPosts(b, s, u.ID, 100000)
	op := store.AsOperator("bench")
	var took []time.Duration
	for b.Loop() {
		t0 := time.Now()
		if _, err := s.Suspend(ctx, op, u.ID, "bench"); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(t0))
		page, err := s.ListPosts(ctx, store.PostList{Newest: true, Limit: 20})
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range page.Items {
			if p.UserID == u.ID {
				b.Fatal("a suspended member's post is listed")
			}
		}
		if _, err := s.Unsuspend(ctx, op, u.ID, ""); err != nil {
			b.Fatal(err)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "suspend-p99-ms")
}

// fillPosts gives author n top-level posts, the newest ids, in one statement.
func fillPosts(b *testing.B, s *store.Store, author int64, n int) {
	q := `INSERT INTO post (text, date, user_id) SELECT 'bulk post ' || g, now(), ? FROM generate_series(1, ?) AS g`
	args := []any{author, n}
	if s.Dialect() == store.SQLite {
		q = `WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?)
INSERT INTO post (text, date, user_id) SELECT 'bulk post ' || i, strftime('%Y-%m-%d %H:%M:%f', 'now'), ? FROM g`
		args = []any{n, author}
	}
	if _, err := s.DB().ExecContext(ctx, q, args...); err != nil {
		b.Fatal(err)
	}
}
