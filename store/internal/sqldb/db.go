// Package sqldb is the store's plumbing: it opens PostgreSQL or SQLite
// behind bun, wraps the driver so that every error is translated once
// (driver.go), queues every statement in arrival order (turns.go), runs
// raw statements through pgx's statement cache (query.go), retries what
// PostgreSQL aborted to break a deadlock (retry.go), and runs migrations
// (migrate.go). The rules and queries stay in package store.
package sqldb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pamps/pamps/store/dburi"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
)

// Dialect names the database behind a DB.
type Dialect = dburi.Dialect

// The supported databases.
const (
	Postgres = dburi.Postgres
	SQLite   = dburi.SQLite
)

// DialectOf tells the database kind from a URI.
func DialectOf(uri string) (Dialect, error) { return dburi.DialectOf(uri) }

// Options configure Open.
type Options struct {
	URI          string    // postgres://, postgresql://, sqlite:PATH or file:PATH
	MaxOpenConns int       // pool size; 0 picks a default per dialect
	Echo         io.Writer // when set, every SQL statement is written here
	Hooks        []bun.QueryHook
	// Translate turns a driver's error into the caller's kinds; every
	// error of the driver goes through it (driver.go).
	Translate func(error) error
}

// DB is the one handle on the database: bun over database/sql's pool over
// the wrapped driver, and the turns every statement waits for.
type DB struct {
	Bun       *bun.DB
	Dialect   Dialect
	hooks     []bun.QueryHook // also run around Query's statements
	rebound   rebinder
	turns     chan struct{} // a token per pooled connection, taken in arrival order (turn)
	translate func(error) error
	sig       *signal
	waiting   *atomic.Int64    // statements waiting for a turn (Query's and bun's)
	connector driver.Connector // the driver's, unwrapped (Listen opens its own connection)
	pgConfig  *pgx.ConnConfig  // PostgreSQL's, for Listen
}

// Open connects to the database named by opts.URI. It does not migrate.
func Open(_ context.Context, opts Options) (*DB, error) {
	d, err := DialectOf(opts.URI)
	if err != nil {
		return nil, err
	}
	if opts.Translate == nil {
		opts.Translate = func(err error) error { return err }
	}
	var sqldb *sql.DB
	var bdb *bun.DB
	var drv driver.Connector
	var pgConfig *pgx.ConnConfig
	sig := newSignal(d == Postgres)
	switch d {
	case Postgres:
		c, cfg, err := postgresConnector(opts.URI)
		if err != nil {
			return nil, err
		}
		pgConfig, drv = cfg, c
		sqldb = sql.OpenDB(connector{c, opts.Translate, sig})
		bdb = bun.NewDB(sqldb, pgdialect.New())
		if opts.MaxOpenConns <= 0 {
			// pgxpool's default. At 4 instead of 8 on two cores every p99
			// of bench/load.sh's scenarios fell at the same rates
			// (bench/RESULTS.md): statements beyond the pool wait in
			// arrival order (turns) rather than share the CPU with the
			// running ones.
			opts.MaxOpenConns = max(4, runtime.NumCPU())
		}
	case SQLite:
		c, err := sqliteConnector(opts.URI)
		if err != nil {
			return nil, err
		}
		drv = c
		sqldb = sql.OpenDB(connector{c, opts.Translate, sig})
		bdb = bun.NewDB(sqldb, sqlitedialect.New())
		if opts.MaxOpenConns <= 0 {
			opts.MaxOpenConns = 8
		}
	}
	sqldb.SetMaxOpenConns(opts.MaxOpenConns)
	sqldb.SetMaxIdleConns(opts.MaxOpenConns)
	sqldb.SetConnMaxIdleTime(5 * time.Minute)
	var hooks []bun.QueryHook
	if opts.Echo != nil {
		hooks = append(hooks, echoHook{w: opts.Echo})
	}
	hooks = append(hooks, opts.Hooks...)
	for _, h := range hooks {
		bdb = bdb.WithQueryHook(h)
	}
	turns := make(chan struct{}, opts.MaxOpenConns)
	waiting := new(atomic.Int64)
	bdb = bdb.WithQueryHook(turnHook{turns, waiting}) // bun's statements wait their turn too
	db := &DB{Bun: bdb, Dialect: d, hooks: hooks, turns: turns, waiting: waiting, translate: opts.Translate,
		sig: sig, connector: drv, pgConfig: pgConfig}
	if d == Postgres {
		go db.notifier()
	} else {
		close(db.sig.flushed)
	}
	return db, nil
}

// Waiting is the number of statements waiting for a turn.
func (db *DB) Waiting() int { return int(db.waiting.Load()) }

// PoolSize is the number of connections statements share.
func (db *DB) PoolSize() int { return cap(db.turns) }

// Close sends the change signal still due, then releases the pool.
func (db *DB) Close() error {
	db.stopSignal()
	return db.Bun.Close()
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return db.Bun.DB.PingContext(ctx)
}

// echoHook writes each statement, for db.echo.
type echoHook struct{ w io.Writer }

func (h echoHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h echoHook) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	fmt.Fprintf(h.w, "[sql %s] %s\n", time.Since(e.StartTime).Round(time.Microsecond), e.Query)
}

// Name is the server and database, without credentials: host:port/db.
func (db *DB) Name() string {
	if db.pgConfig == nil {
		return string(db.Dialect)
	}
	return fmt.Sprintf("%s:%d/%s", db.pgConfig.Host, db.pgConfig.Port, db.pgConfig.Database)
}
