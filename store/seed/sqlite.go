package seed

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/pamps/pamps/store"
)

// loadSQLite loads with multi-row INSERTs in one immediate transaction.
func loadSQLite(ctx context.Context, st *store.Store, g *seedGen, hash string, res *Result) error {
	tx, err := st.DB().DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmts := map[string]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	const perStmt = 100
	prepare := func(table string, cols []string, n int) (*sql.Stmt, error) {
		key := fmt.Sprintf("%s/%d", table, n)
		if st, ok := stmts[key]; ok {
			return st, nil
		}
		row := "(" + strings.TrimSuffix(strings.Repeat("?,", len(cols)), ",") + ")"
		q := fmt.Sprintf(`INSERT INTO %q (%s) VALUES %s`, table, strings.Join(cols, ","), strings.TrimSuffix(strings.Repeat(row+",", n), ","))
		st, err := tx.PrepareContext(ctx, q)
		if err == nil {
			stmts[key] = st
		}
		return st, err
	}
	sink := func(ctx context.Context, table string, cols []string, rows [][]any) error {
		for len(rows) > 0 {
			n := min(perStmt, len(rows))
			st, err := prepare(table, cols, n)
			if err != nil {
				return err
			}
			args := make([]any, 0, n*len(cols))
			for _, r := range rows[:n] {
				args = append(args, r...)
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
			rows = rows[n:]
		}
		return nil
	}
	exec := func(ctx context.Context, q string, args ...any) (any, error) { return tx.ExecContext(ctx, q, args...) }
	// The counters come with the rows: the count triggers stand aside while
	// this row exists, which only this transaction can see.
	if _, err := tx.ExecContext(ctx, "INSERT INTO pamps_bulk_load (id) VALUES (1)"); err != nil {
		return err
	}
	if err := seedAll(ctx, g, hash, sink, exec, store.SQLiteTime, res); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM pamps_bulk_load"); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	progress(g, "analyze", 0, 1)
	_, err = st.DB().DB.ExecContext(ctx, "ANALYZE")
	progress(g, "analyze", 1, 1)
	return err
}
