package sqldb

import (
	"context"
	"database/sql"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// Query runs a parameterised statement ("?" placeholders) on the pool, or
// on the transaction when on is one; done gives back its turn (see turn)
// and must be called after the rows are closed. On PostgreSQL it goes
// through pgx's statement cache, so each shape is parsed and planned once
// per connection: bun writes the values into the text instead, and
// PostgreSQL then plans every request anew, which cost several times the
// lookup itself (measured with pgbench; the figures are in the commit that
// made this change). The query hooks (echo, tests' recorder) see the
// statement with its values written in.
func (db *DB) Query(ctx context.Context, on bun.IDB, query string, args ...any) (rows *sql.Rows, done func(), err error) {
	var event *bun.QueryEvent
	if len(db.hooks) > 0 { // writing the values in costs more than the lookup
		event = &bun.QueryEvent{DB: db.Bun, Query: db.Bun.QueryGen().FormatQuery(query, args...), StartTime: time.Now()}
		for _, h := range db.hooks {
			ctx = h.BeforeQuery(ctx, event)
		}
	}
	q, a := query, args
	if db.Dialect == Postgres {
		q = db.rebound.of(query)
		mode := pgx.QueryExecModeCacheStatement
		if ctx.Value(customPlans{}) != nil {
			mode = pgx.QueryExecModeExec
		}
		a = append([]any{mode}, args...)
	}
	done = func() {}
	switch tx := on.(type) {
	case bun.Tx: // its connection is already held
		rows, err = tx.Tx.QueryContext(ctx, q, a...)
	case bun.Conn: // a snapshot's own connection (Snapshot)
		rows, err = tx.Conn.QueryContext(ctx, q, a...)
	default:
		if done, err = db.turn(ctx); err == nil {
			if rows, err = db.Bun.DB.QueryContext(ctx, q, a...); err != nil {
				done()
			}
		} else {
			err = db.translate(err)
		}
	}
	if event != nil {
		event.Err = err
		for i := len(db.hooks) - 1; i >= 0; i-- {
			db.hooks[i].AfterQuery(ctx, event)
		}
	}
	return rows, done, err
}

// QueryRow runs Query for a statement that gives one row (a lookup, an
// INSERT ... RETURNING) and scans it into dest; sql.ErrNoRows when there
// is none.
func (db *DB) QueryRow(ctx context.Context, on bun.IDB, dest []any, query string, args ...any) error {
	rows, done, err := db.Query(ctx, on, query, args...)
	if err != nil {
		return err
	}
	defer done()
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}

// RunInTx runs fn in a transaction on the pool, or as a savepoint when on
// is already one; committed if fn returns nil. A transaction PostgreSQL
// failed to break a deadlock or a serialization conflict runs again.
func (db *DB) RunInTx(ctx context.Context, on bun.IDB, fn func(ctx context.Context, tx bun.Tx) error) error {
	if _, nested := on.(bun.Tx); nested {
		return on.RunInTx(ctx, nil, fn)
	}
	// A transaction holds a connection from BEGIN to COMMIT: it takes one
	// turn for all of it, and its statements take none (inTxKey).
	done, err := db.turn(ctx)
	if err != nil {
		return db.translate(err)
	}
	defer done()
	ctx = context.WithValue(ctx, inTxKey{}, true)
	return retry(ctx, true, func() error { return db.Bun.RunInTx(ctx, nil, fn) })
}

type customPlans struct{}

// WithCustomPlans makes Query plan each statement for its values on
// PostgreSQL (an unnamed statement), not once per connection: for a
// statement whose best plan depends on them, as a search's does on how
// common its words are (a cached generic plan walked every post for a
// rare word, or sorted a fifth of them for a common one).
func WithCustomPlans(ctx context.Context) context.Context {
	return context.WithValue(ctx, customPlans{}, true)
}
