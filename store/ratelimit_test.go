package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestSharedRateLimit: two stores on one PostgreSQL database (two
// replicas) count together; a refused take counts nothing; undo gives the
// place back; SQLite says it keeps limits in memory.
func TestSharedRateLimit(t *testing.T) {
	uri := storetest.PostgresURI(t)
	a := storetest.Migrated(t, uri, store.Options{})
	b := storetest.Open(t, uri, store.Options{})
	take := func(s *store.Store, keys ...string) (func(), bool) {
		t.Helper()
		undo, wait, ok, err := s.TakeRate(ctx, keys, 3, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !ok && wait <= 0 {
			t.Fatal("refused without a wait")
		}
		return undo, ok
	}
	for i, s := range []*store.Store{a, b, a} {
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
	lite := storetest.Migrated(t, storetest.SQLiteURI(t), store.Options{})
	if _, _, _, err := lite.TakeRate(ctx, []string{"k"}, 1, time.Hour); !errors.Is(err, store.ErrNoSharedLimits) {
		t.Fatalf("SQLite: %v", err)
	}
}
