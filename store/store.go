// Package store is Pamps' one domain layer: models, validation rules,
// queries, transactions and migrations, on PostgreSQL or SQLite. The CLI, the
// TUI and the HTTP server are thin adapters over it.
package store

import (
	"context"
	"io"
	"io/fs"

	"github.com/uptrace/bun"
)

// Dialect names the database behind a Store.
type Dialect string

// The supported databases.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Options configure Open. The store takes plain values, never the config.
type Options struct {
	URI          string    // postgres://, postgresql://, sqlite:PATH or file:PATH
	MaxOpenConns int       // pool size; 0 picks a default per dialect
	Echo         io.Writer // when set, every SQL statement is written here
	Rules        Rules
	// Hooks run around every query (for example, to count statements in tests).
	Hooks []bun.QueryHook
	// Migrations replaces the embedded migrations of the dialect (tests only).
	Migrations fs.FS
}

// Store is the entry point to every operation. Its methods run on db, which
// is the pool (root) or, inside InTx, the transaction; root.DB is
// database/sql's pool under both.
type Store struct {
	db      bun.IDB
	root    *bun.DB
	rules   Rules
	dialect Dialect
	migs    fs.FS
	hooks   []bun.QueryHook // also run around rawQuery's statements
	rebound *rebinder       // shared with the Stores of transactions
	turns   chan struct{}   // a token per pooled connection, taken in arrival order (turn)
	// dummy is a bcrypt hash compared against for unknown users; made on
	// first use because a cost-12 hash takes a quarter of a second.
	dummy func() []byte
}

// Rules returns the effective rules, defaults filled in.
func (s *Store) Rules() Rules { return s.rules }

// Dialect reports which database is behind the store.
func (s *Store) Dialect() Dialect { return s.dialect }

// PoolSize is the number of connections statements share (db.max_open_conns,
// or the dialect's default when that is 0).
func (s *Store) PoolSize() int { return cap(s.turns) }

// DB exposes the bun handle for migrations tooling and tests.
func (s *Store) DB() *bun.DB { return s.root }

// Close releases the pool.
func (s *Store) Close() error { return s.root.Close() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	return translate(s.root.DB.PingContext(ctx))
}

// InTx runs fn on a Store bound to one transaction, committed if fn returns nil.
// Inside a transaction it nests as a savepoint. A transaction PostgreSQL
// failed to break a deadlock or a serialization conflict runs again (retry).
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context, tx *Store) error) error {
	if _, nested := s.db.(bun.Tx); !nested {
		// A transaction holds a connection from BEGIN to COMMIT: it takes
		// one turn for all of it, and its statements take none (inTx).
		done, err := s.turn(ctx)
		if err != nil {
			return translate(err)
		}
		defer done()
		ctx = context.WithValue(ctx, inTxKey{}, true)
	}
	err := s.retry(ctx, func() error {
		return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			inner := *s
			inner.db = tx
			return fn(ctx, &inner)
		})
	})
	return translate(err)
}
