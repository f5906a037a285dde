package store_test

import (
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	"github.com/pamps/pamps/store/storetest/eventually"
)

// TestPruningStopsAtWhatTheHubHasRead: events past the replay window are
// pruned only up to the position the hub has fanned out; one it has not
// read yet (the hub held back, on PostgreSQL by an old transaction of the
// cluster) stays, however old, and the horizon stays below it.
func TestPruningStopsAtWhatTheHubHasRead(t *testing.T) {
	opts := store.Options{StreamReplay: time.Nanosecond} // every event is already past the window
	for name, s := range map[string]*store.Store{"sqlite": storetest.SQLiteMigrated(t, opts), "postgres": storetest.PostgresMigrated(t, opts)} {
		t.Run(name, func(t *testing.T) {
			ann := storetest.MustUser(t, s, "ann")
			written := time.Now()
			storetest.MustPost(t, s, ann.ID, "not read yet", 0)
			// SQLite's outbox times events in whole seconds: the next
			// second must have begun for the window to have passed.
			eventually.True(t, 0, func() bool { return time.Now().Unix() > written.Unix()+1 }, "the clock stood still")
			o := s.Outbox()
			pos, err := o.Newest(ctx)
			if err != nil || pos <= 0 {
				t.Fatalf("newest: %d %v", pos, err)
			}
			if err := o.Prune(ctx, pos-1); err != nil {
				t.Fatal(err)
			}
			if n := storetest.Count(t, s, "event"); n != 1 {
				t.Fatalf("%d events left: the hub's unread one was pruned", n)
			}
			if h, err := o.Horizon(ctx); err != nil || h >= pos {
				t.Fatalf("horizon %d (event at %d): %v", h, pos, err)
			}
			if err := o.Prune(ctx, pos); err != nil {
				t.Fatal(err)
			}
			if n := storetest.Count(t, s, "event"); n != 0 {
				t.Fatalf("%d events left once read", n)
			}
			if h, _ := o.Horizon(ctx); h != pos {
				t.Fatalf("horizon %d, want %d", h, pos)
			}
		})
	}
}
