package store

import (
	"context"
	"database/sql"
	"strings"
)

// rawQuery runs a parameterised statement ("?" placeholders) on the pool or
// the current transaction, through pgx's statement cache on PostgreSQL
// (sqldb.DB.Query); done gives back its turn and must be called after the
// rows are closed.
func (s *Store) rawQuery(ctx context.Context, query string, args ...any) (rows *sql.Rows, done func(), err error) {
	return s.sql.Query(ctx, s.db, query, args...)
}

// timeArg is an instant as a statement argument: SQLite compares text, so it
// gets the same text bun writes.
func (s *Store) timeArg(t Timestamp) any {
	if s.sql.Dialect == SQLite {
		return SQLiteTime(t.Time)
	}
	return t.Time
}

// queryRow runs a statement that returns one row (an INSERT ... RETURNING)
// and scans it into dest; sql.ErrNoRows when there is none.
func (s *Store) queryRow(ctx context.Context, dest []any, query string, args ...any) error {
	return s.sql.QueryRow(ctx, s.db, dest, query, args...)
}

// likePrefix is s as a LIKE pattern for what starts with it.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// marks is n placeholders; int64Args their arguments.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}
