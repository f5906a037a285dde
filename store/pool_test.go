package store_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestCancelledQueriesDoNotBreakOthers cancels queries in flight over and
// over (as clients hanging up do) while other requests run on the same
// small pool: pgx closes a connection whose query was interrupted, and those
// used to be handed out again until database/sql gave up with "bad
// connection".
func TestCancelledQueriesDoNotBreakOthers(t *testing.T) {
	s := storetest.PostgresMigrated(t, store.Options{MaxOpenConns: 4})
	ann := storetest.MustUser(t, s, "ann")
	var failures []error
	var mu sync.Mutex
	stop := time.Now().Add(2 * time.Second)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { // hangs up mid-query, again and again
			defer wg.Done()
			for time.Now().Before(stop) {
				c, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
				_, _ = s.DB().QueryContext(c, "SELECT pg_sleep(0.2)")
				cancel()
			}
		}()
	}
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				if _, err := s.UserByName(ctx, "ann"); err != nil {
					mu.Lock()
					failures = append(failures, err)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range failures {
		t.Errorf("a request on the same pool failed: %v (unavailable: %v)", err, errors.Is(err, store.ErrUnavailable))
	}
	if u, err := s.UserByName(ctx, "ann"); err != nil || u.ID != ann.ID {
		t.Fatalf("after the hang-ups: %v", err)
	}
}

// TestPoolSize: db.max_open_conns = 0 picks pgxpool's rule on PostgreSQL
// and 8 on SQLite; either way the store's turns and database/sql's pool
// agree. Each database is a subtest of its own, so that the SQLite half runs
// (and fails) whether PostgreSQL is there or not.
func TestPoolSize(t *testing.T) {
	for _, c := range []struct {
		name string
		uri  func(t *testing.T) string
		set  int
		want int
	}{
		{"postgres default", storetest.PostgresURI, 0, max(4, runtime.NumCPU())},
		{"postgres set", storetest.PostgresURI, 3, 3},
		{"sqlite default", storetest.SQLiteURI, 0, 8},
		{"sqlite set", storetest.SQLiteURI, 2, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := storetest.Open(t, c.uri(t), store.Options{MaxOpenConns: c.set})
			if got, sql := s.PoolSize(), s.DB().Stats().MaxOpenConnections; got != c.want || sql != c.want {
				t.Errorf("PoolSize %d, database/sql %d, want %d", got, sql, c.want)
			}
		})
	}
}
