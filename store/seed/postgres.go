package seed

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pamps/pamps/store"
)

// loadPostgres loads with COPY inside one pgx transaction, then moves the
// id sequences past the new rows and refreshes the planner's statistics.
func loadPostgres(ctx context.Context, st *store.Store, g *seedGen, hash string, res *Result) error {
	return st.WithPgx(ctx, func(pc *pgx.Conn) error {
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		sink := func(ctx context.Context, table string, cols []string, rows [][]any) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
			return err
		}
		exec := func(ctx context.Context, q string, args ...any) (any, error) { return tx.Exec(ctx, q, args...) }
		// The counters come with the rows: the count triggers stand aside for this transaction.
		if _, err := tx.Exec(ctx, "SET LOCAL pamps.bulk_load = 'on'"); err != nil {
			return err
		}
		// VACUUM marks a page all-visible (which index-only scans need) only
		// once the commit that wrote its rows is flushed, and each of its
		// ANALYZE commits must be flushed too, or they hold back the rows
		// of the next table (they share a commit-log page): with
		// synchronous_commit off, most pages stayed unmarked.
		if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = on"); err != nil {
			return err
		}
		// The generator only refers to rows written before, so the row-by-row
		// foreign key checks (each locking a user or post row) can be skipped
		// where the role may do so (a superuser); elsewhere they stay on.
		if _, err := tx.Exec(ctx, "SAVEPOINT replica"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
			if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT replica"); err != nil {
				return err
			}
		}
		if err := seedAll(ctx, g, hash, sink, exec, func(t time.Time) any { return t }, res); err != nil {
			return err
		}
		for _, q := range []string{
			`SELECT setval(pg_get_serial_sequence('"user"', 'id'), greatest((SELECT max(id) FROM "user"), 1))`,
			`SELECT setval(pg_get_serial_sequence('post', 'id'), greatest((SELECT max(id) FROM post), 1))`,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		progress(g, "analyze", 0, 1)
		for _, q := range []string{"SET synchronous_commit = on", `VACUUM ANALYZE "user", post, follow, "like"`, "RESET synchronous_commit"} {
			if _, err := pc.Exec(ctx, q); err != nil {
				return err
			}
		}
		progress(g, "analyze", 1, 1)
		return nil
	})
}
