package limit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/internal/sqldb"
	"github.com/pamps/pamps/store/limit"
	"github.com/pamps/pamps/store/storetest"
)

var ctx = context.Background()

// table is a rate_limit table in a migrated PostgreSQL database, and the
// database's handle.
func table(t *testing.T, uri string) (*limit.Table, *sqldb.DB) {
	t.Helper()
	db, err := sqldb.Open(ctx, sqldb.Options{URI: uri})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return limit.NewTable(db), db
}

// TestSharedRateLimit: two processes on one PostgreSQL database (two
// replicas) count together; a refused take counts nothing; undo gives the
// place back.
func TestSharedRateLimit(t *testing.T) {
	uri := storetest.PostgresURI(t)
	storetest.Migrated(t, uri, store.Options{})
	a, _ := table(t, uri)
	b, _ := table(t, uri)
	take := func(s *limit.Table, keys ...string) (func(), bool) {
		t.Helper()
		undo, wait, ok, err := s.Take(ctx, keys, 3, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !ok && wait <= 0 {
			t.Fatal("refused without a wait")
		}
		return undo, ok
	}
	for i, s := range []*limit.Table{a, b, a} {
		if _, ok := take(s, "login:ann", "addr:1"); !ok {
			t.Fatalf("take %d refused under the limit", i+1)
		}
	}
	if _, ok := take(b, "login:ann"); ok {
		t.Fatal("the fourth take, on the other replica, went through")
	}
	if _, ok := take(a, "addr:2", "login:ann"); ok {
		t.Fatal("a take with one key over the limit went through")
	}
	undo, ok := take(b, "addr:2") // the refused take above counted nothing for addr:2
	if !ok {
		t.Fatal("addr:2 was counted by a refused take")
	}
	undo()
	for range 3 {
		if _, ok := take(a, "addr:2"); !ok {
			t.Fatal("undo did not give the place back")
		}
	}
}

// TestRatePruningKeepsLongerWindows: the pruning that a minute's limit does
// now and then (every 1,000th take) keeps an hour's counts (before, it
// deleted every row of a smaller window number, which reset the hourly
// post and sign-up limits whenever logins were many) and deletes counters
// that have expired.
func TestRatePruningKeepsLongerWindows(t *testing.T) {
	uri := storetest.PostgresURI(t)
	storetest.Migrated(t, uri, store.Options{})
	s, db := table(t, uri)
	for i := range 3 {
		if _, _, ok, err := s.Take(ctx, []string{"post:ann"}, 3, time.Hour); err != nil || !ok {
			t.Fatalf("hourly take %d: ok %v, %v", i+1, ok, err)
		}
	}
	if _, err := db.Bun.Exec(`INSERT INTO rate_limit (key, win, hits, expires) VALUES ('expired', 1, 1, 1)`); err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		if _, _, _, err := s.Take(ctx, []string{fmt.Sprintf("login:%d", i)}, 10, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	var expired int
	if err := db.Bun.QueryRow(`SELECT count(*) FROM rate_limit WHERE key = 'expired'`).Scan(&expired); err != nil || expired != 0 {
		t.Fatalf("an expired counter was kept (%d, %v)", expired, err)
	}
	if _, _, ok, err := s.Take(ctx, []string{"post:ann"}, 3, time.Hour); err != nil || ok {
		t.Fatalf("the fourth hourly take went through (ok %v, %v): a minute's pruning reset the hour's count", ok, err)
	}
}

// TestRateUndoTakesAnyKey: undo finds keys whatever they hold (a username
// or an address is the client's: quotes, backslashes, braces, commas).
func TestRateUndoTakesAnyKey(t *testing.T) {
	uri := storetest.PostgresURI(t)
	storetest.Migrated(t, uri, store.Options{})
	s, _ := table(t, uri)
	keys := []string{`login:a"b\c`, `login:{x,y}`, `login:'; --`}
	undo, _, ok, err := s.Take(ctx, keys, 1, time.Hour)
	if err != nil || !ok {
		t.Fatalf("first take: ok %v, %v", ok, err)
	}
	undo()
	if _, _, ok, err := s.Take(ctx, keys, 1, time.Hour); err != nil || !ok {
		t.Fatalf("undo did not give the place back (ok %v, %v)", ok, err)
	}
}
