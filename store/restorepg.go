package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// restorePostgres writes the archive's tables with COPY, in one
// transaction on one connection, the tables' own triggers (counters,
// events, notifications) off until it ends: the counters come from the
// archive and are checked, and no event is announced for rows that were
// there all along. As pg_restore does, the foreign keys and the indexes that
// back no constraint are dropped first and made again once the rows are
// in: one build of an index is much cheaper than a million inserts into it
// (the search's GIN index above all), and one join validates a foreign key
// that COPY would check row by row at the statement's end (a minute of the
// 1M-post restore's 107 s, measured).
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
		fks, err := dropForeignKeys(ctx, tx)
		if err != nil {
			return err
		}
		indexes, err := dropIndexes(ctx, tx)
		if err != nil {
			return err
		}
		err = in.eachSection(counts, func(sec *section) (int64, error) {
			src := &copySource{in: in, sec: sec, vals: make([]any, len(sec.cols)), progress: progress}
			n, err := tx.CopyFrom(ctx, pgx.Identifier{sec.table.name}, names(sec.cols), src)
			if src.err != nil {
				return n, src.err
			}
			return n, err
		})
		if err != nil {
			return err
		}
		if err := buildIndexes(ctx, tx, indexes, progress); err != nil {
			return err
		}
		for _, fk := range fks { // each validated by one join of the tables, not a probe per row
			if _, err := tx.Exec(ctx, `ALTER TABLE `+fk[0]+` ADD CONSTRAINT `+pgx.Identifier{fk[1]}.Sanitize()+` `+fk[2]); err != nil {
				return err
			}
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

// dropIndexes drops the archive tables' indexes that back no constraint
// (a primary key, a unique key: foreign keys and ON CONFLICT need those),
// and returns their definitions, to build again (buildIndexes).
func dropIndexes(ctx context.Context, tx pgx.Tx) ([][2]string, error) {
	rows, err := tx.Query(ctx, `SELECT i.indexname, i.indexdef FROM pg_indexes AS i
WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
ORDER BY i.indexname`, archiveTableNames())
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for rows.Next() {
		var d [2]string
		if err := rows.Scan(&d[0], &d[1]); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, d := range out {
		if _, err := tx.Exec(ctx, `DROP INDEX `+pgx.Identifier{d[0]}.Sanitize()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// buildIndexes builds the indexes dropIndexes dropped, then has the
// planner read the new rows (the checks that follow join them).
func buildIndexes(ctx context.Context, tx pgx.Tx, indexes [][2]string, progress Progress) error {
	if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return err
	}
	for i, d := range indexes {
		if progress != nil {
			progress("indexes", int64(i), int64(len(indexes)))
		}
		if _, err := tx.Exec(ctx, d[1]); err != nil {
			return err
		}
	}
	if progress != nil {
		progress("indexes", int64(len(indexes)), int64(len(indexes)))
	}
	for _, t := range archiveTables {
		if _, err := tx.Exec(ctx, `ANALYZE `+quoted(t.name)); err != nil {
			return err
		}
	}
	return nil
}

func archiveTableNames() []string {
	out := make([]string, len(archiveTables))
	for i, t := range archiveTables {
		out[i] = t.name
	}
	return out
}

// dropForeignKeys drops the foreign keys of the archive's tables and
// returns each one's table, name and definition, to add again.
func dropForeignKeys(ctx context.Context, tx pgx.Tx) ([][3]string, error) {
	rows, err := tx.Query(ctx, `SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint AS c
WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY($1) ORDER BY c.conname`, quotedTableNames())
	if err != nil {
		return nil, err
	}
	var out [][3]string
	for rows.Next() {
		var fk [3]string
		if err := rows.Scan(&fk[0], &fk[1], &fk[2]); err != nil {
			return nil, err
		}
		out = append(out, fk)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, fk := range out {
		if _, err := tx.Exec(ctx, `ALTER TABLE `+fk[0]+` DROP CONSTRAINT `+pgx.Identifier{fk[1]}.Sanitize()); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// quotedTableNames are the archive's tables as regclass writes them.
func quotedTableNames() []string {
	out := make([]string, len(archiveTables))
	for i, t := range archiveTables {
		out[i] = t.name
		if t.name == "user" || t.name == "like" {
			out[i] = quoted(t.name)
		}
	}
	return out
}
