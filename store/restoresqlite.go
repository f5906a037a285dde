package store

import (
	"context"
	"database/sql"
	"strings"
)

// restoreSQLite writes the archive's tables in one immediate transaction
// (no retry: the archive is read once), with every trigger dropped and made
// again from its own definition at the end, and the search index rebuilt
// from the posts.
func (s *Store) restoreSQLite(ctx context.Context, in *archiveIn, counts map[string]int64, progress Progress) error {
	tx, err := s.sql.Bun.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // after a commit it does nothing
	triggers, err := sqliteTriggers(ctx, tx)
	if err != nil {
		return err
	}
	indexes, err := sqliteSchema(ctx, tx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
AND tbl_name IN ('`+strings.Join(archiveTableNames(), "', '")+`') ORDER BY name`)
	if err != nil {
		return err
	}
	for _, t := range triggers {
		if _, err := tx.ExecContext(ctx, `DROP TRIGGER `+quoted(t[0])); err != nil {
			return err
		}
	}
	for _, ix := range indexes { // built again once the rows are in (restorePostgres says why)
		if _, err := tx.ExecContext(ctx, `DROP INDEX `+quoted(ix[0])); err != nil {
			return err
		}
	}
	err = in.eachSection(counts, func(sec *section) (int64, error) { return insertSection(ctx, tx, in, sec, progress) })
	if err != nil {
		return err
	}
	for _, t := range append(indexes, triggers...) {
		if _, err := tx.ExecContext(ctx, t[1]); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO post_fts (post_fts) VALUES ('rebuild')`); err != nil {
		return err
	}
	err = checkCounters(counts, func(q string) (n int64, err error) {
		err = tx.QueryRowContext(ctx, q).Scan(&n)
		return n, err
	})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO event (kind, post_id) VALUES (9, 0)`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE event_horizon SET pos = (SELECT max(pos) FROM event) - 1`); err != nil {
		return err
	}
	return tx.Commit()
}

// sqliteTriggers are every trigger's name and definition.
func sqliteTriggers(ctx context.Context, tx *sql.Tx) ([][2]string, error) {
	return sqliteSchema(ctx, tx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)
}

// sqliteSchema reads names and definitions from sqlite_master.
func sqliteSchema(ctx context.Context, tx *sql.Tx, q string) ([][2]string, error) {
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var t [2]string
		if err := rows.Scan(&t[0], &t[1]); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// insertSection inserts one table's rows with one prepared statement.
func insertSection(ctx context.Context, tx *sql.Tx, in *archiveIn, sec *section, progress Progress) (int64, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(sec.cols)), ", ")
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO `+quoted(sec.table.name)+` (`+colNames(sec.cols)+`) VALUES (`+marks+`)`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	vals := make([]any, len(sec.cols))
	var n int64
	for {
		done, err := in.row(sec, n, vals, true)
		if err != nil {
			return n, err
		}
		if done {
			break
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		if n++; n%10000 == 0 && progress != nil {
			progress(sec.table.name, n, 0)
		}
	}
	if progress != nil {
		progress(sec.table.name, n, n)
	}
	return n, nil
}
