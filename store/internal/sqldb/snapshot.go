package sqldb

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"
)

// Snapshot runs fn on one consistent view of the database that writers do
// not wait for: on PostgreSQL a read-only REPEATABLE READ transaction; on
// SQLite a deferred transaction on a connection of its own (the pool's
// transactions are immediate, which would hold every writer back for as
// long as fn reads), whose first read fixes its view of the WAL.
func (db *DB) Snapshot(ctx context.Context, fn func(ctx context.Context, on bun.IDB) error) error {
	done, err := db.turn(ctx)
	if err != nil {
		return db.translate(err)
	}
	defer done()
	ctx = context.WithValue(ctx, inTxKey{}, true)
	if db.Dialect == Postgres {
		tx, err := db.Bun.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
		if err != nil {
			return db.translate(err)
		}
		defer tx.Rollback()
		return fn(ctx, tx)
	}
	conn, err := db.Bun.Conn(ctx)
	if err != nil {
		return db.translate(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return db.translate(err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK") //nolint:errcheck // a read-only view: nothing to keep
	return fn(ctx, conn)
}
