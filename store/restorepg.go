package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// restorePostgres writes the archive's tables with COPY, in one
// transaction on one connection, the tables' own triggers (counters,
// events, notifications) off until it ends: the counters come from the
// archive and are checked, and no event is announced for rows that were
// there all along. Foreign keys are still checked.
func (s *Store) restorePostgres(ctx context.Context, in *archiveIn, counts map[string]int64, progress Progress) error {
	return s.WithPgx(ctx, func(conn *pgx.Conn) error {
		tx, err := conn.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // after a commit it does nothing
		for _, t := range archiveTables {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+quoted(t.name)+` DISABLE TRIGGER USER`); err != nil {
				return err
			}
		}
		for {
			sec, err := in.nextSection(counts)
			if err != nil {
				return err
			}
			if sec == nil {
				break
			}
			src := &copySource{in: in, sec: sec, vals: make([]any, len(sec.cols)), progress: progress}
			names := make([]string, len(sec.cols))
			for i, c := range sec.cols {
				names[i] = c.name
			}
			n, err := tx.CopyFrom(ctx, pgx.Identifier{sec.table.name}, names, src)
			if src.err != nil {
				return src.err
			}
			if err != nil {
				return err
			}
			counts[sec.table.name] = n
		}
		for _, t := range archiveTables {
			if t.serial {
				if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+quoted(t.name)+`', 'id'), coalesce((SELECT max(id) FROM `+quoted(t.name)+`), 0) + 1, false)`); err != nil {
					return err
				}
			}
			if _, err := tx.Exec(ctx, `ALTER TABLE `+quoted(t.name)+` ENABLE TRIGGER USER`); err != nil {
				return err
			}
		}
		err = checkCounters(counts, func(q string) (n int64, err error) {
			err = tx.QueryRow(ctx, q).Scan(&n)
			return n, err
		})
		if err != nil {
			return err
		}
		// A new horizon: a stream open on this database is told to reload
		// (the reset event), and one resuming from before is too.
		const at = `(pg_current_xact_id()::text::bigint << 20)`
		if _, err := tx.Exec(ctx, `INSERT INTO event (pos, kind, post_id) VALUES (`+at+` | 1048575, 9, 0)`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE event_horizon SET pos = `+at+` | 1048574`); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// copySource feeds COPY the rows of one section as they are read.
type copySource struct {
	in       *archiveIn
	sec      *section
	vals     []any
	n        int64
	err      error
	progress Progress
}

func (c *copySource) Next() bool {
	done, err := c.in.row(c.sec, c.n, c.vals, false)
	if err != nil {
		c.err = err
		return false
	}
	if done {
		if c.progress != nil {
			c.progress(c.sec.table.name, c.n, c.n)
		}
		return false
	}
	if c.n++; c.n%10000 == 0 && c.progress != nil {
		c.progress(c.sec.table.name, c.n, 0)
	}
	return true
}

func (c *copySource) Values() ([]any, error) { return c.vals, nil }

func (c *copySource) Err() error { return c.err }
