package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	"github.com/uptrace/bun"
)

// TestListQueriesUseIndexes EXPLAINs every statement the front ends' list and
// detail reads run, with sequential scans priced out: a plan that still
// scans a table, or walks a whole index without a condition, has no index
// that fits.
func TestListQueriesUseIndexes(t *testing.T) {
	rec := &storetest.Recorder{}
	s := storetest.PostgresMigrated(t, store.Options{Hooks: []bun.QueryHook{rec}})
	ann := storetest.MustUser(t, s, "ann")
	bob := storetest.MustUser(t, s, "bob")
	p := storetest.MustPost(t, s, bob.ID, "hello", 0)
	storetest.MustPost(t, s, ann.ID, "reply", p.ID)
	mustFollow(t, s, ann.ID, bob.ID)
	mustLike(t, s, ann.ID, p.ID)
	// Enough rows that the planner's statistics look like a real network.
	for _, q := range []string{
		`INSERT INTO "user" (email, email_key, username, password) SELECT 'u' || i || '@example.com', 'u' || i || '@example.com', 'u' || i, 'x' FROM generate_series(1, 2000) i`,
		`INSERT INTO post (text, date, user_id) SELECT 'post ' || i, now(), 3 + i % 2000 FROM generate_series(1, 20000) i`,
		`INSERT INTO post (text, date, user_id, parent_id) SELECT 'reply ' || i, now(), 3 + i % 2000, 3 + i % 20000 FROM generate_series(1, 20000) i`,
		`INSERT INTO follow (from_id, to_id, date) SELECT 3 + i % 2000, 3 + (i * 7 + 1) % 2000, now() - i * interval '1 second' FROM generate_series(1, 20000) i ON CONFLICT DO NOTHING`,
		`INSERT INTO "like" (user_id, post_id, date) SELECT 3 + i % 2000, 3 + (i * 13) % 40000, now() - i * interval '1 second' FROM generate_series(1, 40000) i ON CONFLICT DO NOTHING`,
		// Blocks and mutes, so that the viewer's filter (store/viewer.go)
		// is planned on tables with rows in them.
		`INSERT INTO block (from_id, to_id, date) SELECT 1 + i % 2000, 3 + (i * 11 + 5) % 2000, now() FROM generate_series(1, 4000) i ON CONFLICT DO NOTHING`,
		`INSERT INTO mute (from_id, to_id, date) SELECT 1 + i % 2000, 3 + (i * 17 + 9) % 2000, now() FROM generate_series(1, 4000) i ON CONFLICT DO NOTHING`,
		"ANALYZE",
	} {
		if _, err := s.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}

	reads := map[string]func() error{
		"everyone oldest first": func() error { _, err := s.ListPosts(ctx, store.PostList{Cursor: "1"}); return err },
		"everyone newest first": func() error { _, err := s.ListPosts(ctx, store.PostList{Newest: true, Cursor: "9"}); return err },
		"by user":               func() error { _, err := s.ListPosts(ctx, store.PostList{Author: "bob"}); return err },
		"by user with replies":  func() error { _, err := s.ListPosts(ctx, store.PostList{Author: "bob", Replies: true}); return err },
		"timeline":              func() error { _, err := s.Timeline(ctx, ann.ID, false, "9", 50); return err },
		"timeline with replies": func() error { _, err := s.Timeline(ctx, ann.ID, true, "9", 50); return err },
		"post detail":           func() error { _, err := s.PostDetail(ctx, p.ID, ann.ID); return err },
		"thread":                func() error { _, err := s.Thread(ctx, p.ID, 0); return err },
		"liked":                 func() error { _, err := s.LikedPosts(ctx, ann.ID, 0, "1_1", 0); return err },
		"followers":             func() error { _, err := s.Followers(ctx, bob.ID, 0, "1_1", 0); return err },
		"following":             func() error { _, err := s.Following(ctx, ann.ID, 0, "1_1", 0); return err },
		"users":                 func() error { _, err := s.ListUsers(ctx, store.UserList{Cursor: "1"}); return err },
		"users by prefix":       func() error { _, err := s.ListUsers(ctx, store.UserList{Prefix: "a"}); return err },
		"user by name":          func() error { _, err := s.UserByName(ctx, "BOB"); return err },
		"everyone, as ann": func() error {
			_, err := s.ListPosts(ctx, store.PostList{Newest: true, Cursor: "9", Viewer: ann.ID})
			return err
		},
		"by user, as ann":   func() error { _, err := s.ListPosts(ctx, store.PostList{Author: "bob", Viewer: ann.ID}); return err },
		"thread, as ann":    func() error { _, err := s.Thread(ctx, p.ID, ann.ID); return err },
		"followers, as ann": func() error { _, err := s.Followers(ctx, bob.ID, ann.ID, "1_1", 0); return err },
		"blocks":            func() error { _, err := s.Blocks(ctx, ann.ID, "", 0); return err },
		"mutes":             func() error { _, err := s.Mutes(ctx, ann.ID, "", 0); return err },
	}
	leading := leadingColumns(t, s)
	for name, read := range reads {
		rec.Reset()
		if err := read(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, q := range rec.Queries() {
			if plan := explain(t, s, q); scansWhole(plan, leading) {
				t.Errorf("%s scans a table:\n%s\n%s", name, q, plan)
			}
		}
	}
}

func explain(t *testing.T, s *store.Store, query string) string {
	t.Helper()
	tx, err := s.DB().BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("SET LOCAL enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	rows, err := tx.Query("EXPLAIN " + query)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// leadingColumns maps each index to its first column ("" for an expression).
func leadingColumns(t *testing.T, s *store.Store) map[string]string {
	rows, err := s.DB().Query(`SELECT c.relname, coalesce(a.attname, '') FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
		LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var idx, col string
		if err := rows.Scan(&idx, &col); err != nil {
			t.Fatal(err)
		}
		out[idx] = col
	}
	return out
}

// wholeIsSmall are the partial indexes read whole on purpose: their
// predicate keeps them small (the withheld accounts and the staff: the
// standing cache, store/standing.go).
var wholeIsSmall = map[string]bool{"user_withheld_idx": true, "user_staff_idx": true}

// scansWhole reports a sequential scan, or an index scan whose Index Cond
// does not constrain the index's leading column (a walk of the whole index).
func scansWhole(plan string, leading map[string]string) bool {
	lines := strings.Split(plan, "\n")
	for i, line := range lines {
		if strings.Contains(line, "Seq Scan") {
			return true
		}
		_, rest, ok := strings.Cut(line, " using ")
		if !ok || !strings.Contains(line, "Index") {
			continue
		}
		index, _, _ := strings.Cut(rest, " ")
		if wholeIsSmall[index] {
			continue
		}
		first := leading[index]
		cond := false
		for _, detail := range lines[i+1:] {
			if strings.Contains(detail, "->") || strings.Contains(detail, "SubPlan") {
				break
			}
			if c, found := strings.CutPrefix(strings.TrimSpace(detail), "Index Cond: "); found {
				cond = first == "" || strings.Contains(c, "("+first+" ") || strings.Contains(c, "."+first+" ")
			}
		}
		if !cond {
			return true
		}
	}
	return false
}
