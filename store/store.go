// Package store is Pamps' one domain layer: models, validation rules,
// queries, transactions and migrations, on PostgreSQL or SQLite. The CLI, the
// TUI and the HTTP server are thin adapters over it.
package store

import (
	"context"
	"database/sql"
	"io"
	"io/fs"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pamps/pamps/store/dburi"
	"github.com/pamps/pamps/store/internal/replica"
	"github.com/pamps/pamps/store/internal/sqldb"
	"github.com/pamps/pamps/store/limit"
	"github.com/uptrace/bun"
)

// Dialect names the database behind a Store.
type Dialect = dburi.Dialect

// The supported databases.
const (
	Postgres = dburi.Postgres
	SQLite   = dburi.SQLite
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
	// StreamReplay is how long live events are kept for subscribers that
	// resume; 0 is 10 minutes.
	StreamReplay time.Duration
	// NotificationsKeep is how long notifications are kept; 0 is
	// DefaultNotificationsKeep (90 days).
	NotificationsKeep time.Duration
	// ReadURIs are PostgreSQL standbys for the reads sent through Read;
	// one replaying more than ReplicaMaxLag (0 is 5 s) behind is skipped.
	// ReplicaCheckEvery (0 is 1 s) is how often each is checked.
	ReadURIs          []string
	ReplicaMaxLag     time.Duration
	ReplicaCheckEvery time.Duration
	// Limits count members' actions (logins, sign-ups, posts); zero rates
	// limit nothing.
	Limits Limits
	// Registration is how members sign up on their own; "" is open.
	Registration Registration
	// Logger gets what the store has to say (a shared limit that fell back
	// to counting in memory, ...); nil discards it.
	Logger *slog.Logger
}

// Store is the entry point to every operation. Its methods run on db, which
// is the pool or, inside InTx, the transaction; sql is the one handle on the
// database (its plumbing: package sqldb).
type Store struct {
	db    bun.IDB
	sql   *sqldb.DB
	rules Rules
	migs  fs.FS
	// replay is how long the outbox keeps events (Options.StreamReplay).
	replay time.Duration
	// keepNotifications is Options.NotificationsKeep.
	keepNotifications time.Duration
	// closing runs when the store closes (the live events' hubs, which
	// read it); shared by the Store's copies.
	closing *closers
	// rates count the shared rate limits on PostgreSQL (nil on SQLite);
	// shared by the Store's copies.
	rates *limit.Table
	// dummy is a bcrypt hash compared against for unknown users; made on
	// first use because a cost-12 hash takes a quarter of a second.
	dummy func() []byte
	// replicas are the read replicas, shared by the Store's copies; nil
	// when there are none.
	replicas *replica.Set
	// gate holds the limits and hashing lanes every member action passes.
	gate *gate
	log  *slog.Logger
	// registration is Options.Registration.
	registration Registration
	// stand is the standing cache, shared by the Store's copies.
	stand *standingCache
}

// Open connects to the database named by opts.URI. It does not migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	db, err := sqldb.Open(ctx, sqldb.Options{URI: opts.URI, MaxOpenConns: opts.MaxOpenConns, Echo: opts.Echo, Hooks: opts.Hooks, Translate: translate})
	if err != nil {
		return nil, err
	}
	if opts.NotificationsKeep <= 0 {
		opts.NotificationsKeep = DefaultNotificationsKeep
	}
	if opts.StreamReplay <= 0 {
		opts.StreamReplay = 10 * time.Minute
	}
	replicas, err := openReplicas(opts, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{db: db.Bun, sql: db, rules: opts.Rules.withDefaults(), migs: opts.Migrations, replay: opts.StreamReplay, keepNotifications: opts.NotificationsKeep, closing: &closers{},
		replicas: replicas}
	if db.Dialect == Postgres {
		s.rates = limit.NewTable(db)
	}
	s.stand = &standingCache{}
	s.registration = opts.Registration
	if s.registration == "" {
		s.registration = RegistrationOpen
	}
	s.log = opts.Logger
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.gate = s.newGate(opts.Limits, s.log)
	cost := s.rules.BcryptCost
	s.dummy = sync.OnceValue(func() []byte { return dummyHash(cost) })
	return s, nil
}

// DialectOf tells the database kind from a URI.
func DialectOf(uri string) (Dialect, error) { return dburi.DialectOf(uri) }

// SQLitePath returns the file a sqlite:/file: URI names.
func SQLitePath(uri string) string { return dburi.SQLitePath(uri) }

// RedactURI hides every password-bearing part of a database URI, for logs
// and `config show`.
func RedactURI(uri string) string { return dburi.RedactURI(uri) }

// Rules returns the effective rules, defaults filled in.
func (s *Store) Rules() Rules { return s.rules }

// Dialect reports which database is behind the store.
func (s *Store) Dialect() Dialect { return s.sql.Dialect }

// PoolSize is the number of connections statements share (db.max_open_conns,
// or the dialect's default when that is 0).
func (s *Store) PoolSize() int { return s.sql.PoolSize() }

// PoolStats are database/sql's figures of the pool (connections in use,
// idle, waits), and Queued the statements waiting for a turn.
func (s *Store) PoolStats() (stats sql.DBStats, queued int) {
	return s.sql.Bun.DB.Stats(), s.sql.Waiting()
}

// DB exposes the bun handle for migrations tooling and tests.
func (s *Store) DB() *bun.DB { return s.sql.Bun }

// Close runs the OnClose hooks (which end the live events' subscriptions),
// sends the change signal still due and releases the pool.
func (s *Store) Close() error {
	s.closing.run()
	if s.replicas != nil {
		s.replicas.Close()
	}
	return s.sql.Close()
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.sql.Ping(ctx) }

// InTx runs fn on a Store bound to one transaction, committed if fn returns nil.
// Inside a transaction it nests as a savepoint. A transaction PostgreSQL
// failed to break a deadlock or a serialization conflict runs again.
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context, tx *Store) error) error {
	return s.sql.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		inner := *s
		inner.db = tx
		return fn(ctx, &inner)
	})
}

// OnClose has Close call f first (in the reverse order of the calls), as
// long as the store is open: what reads the store stops before it closes.
func (s *Store) OnClose(f func()) { s.closing.add(f) }

// closers are the OnClose hooks.
type closers struct {
	mu sync.Mutex
	fs []func()
}

func (c *closers) add(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fs = append(c.fs, f)
}

func (c *closers) run() {
	c.mu.Lock()
	fs := c.fs
	c.fs = nil
	c.mu.Unlock()
	for i := len(fs) - 1; i >= 0; i-- {
		fs[i]()
	}
}

// WithPgx runs fn on a PostgreSQL connection of the pool, for bulk work
// that database/sql cannot do (COPY: package seed).
func (s *Store) WithPgx(ctx context.Context, fn func(*pgx.Conn) error) error {
	return s.sql.WithPgx(ctx, fn)
}
