package store

import (
	"context"
	"time"
)

// MigrateWatched is Migrate telling progress what a long migration is
// doing, every 200 ms once it has run a second: on PostgreSQL, an index
// being built (pg_stat_progress_create_index: the table's blocks scanned,
// of all) as ("indexing", done, total); otherwise ("migrating", 0, 0), which
// says only that it still runs (SQLite builds its search index in one
// statement that reports nothing).
func (s *Store) MigrateWatched(ctx context.Context, progress func(stage string, done, total int64)) ([]string, error) {
	if progress == nil {
		return s.Migrate(ctx)
	}
	watch, stop := context.WithCancel(ctx)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		start := time.Now()
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-watch.Done():
				return
			case <-tick.C:
			}
			if time.Since(start) < time.Second {
				continue
			}
			var done, total int64
			if s.sql.Dialect == Postgres {
				_ = s.queryRow(watch, []any{&done, &total}, `SELECT coalesce(sum(blocks_done), 0), coalesce(sum(blocks_total), 0)
FROM pg_stat_progress_create_index WHERE datname = current_database()`)
			}
			if total > 0 {
				progress("indexing", min(done, total), total)
			} else {
				progress("migrating", 0, 0)
			}
		}
	}()
	applied, err := s.Migrate(ctx)
	stop()
	<-finished
	return applied, err
}
