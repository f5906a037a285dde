package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Open connects to the database named by opts.URI. It does not migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	d, err := DialectOf(opts.URI)
	if err != nil {
		return nil, err
	}
	var (
		sqldb *sql.DB
		db    *bun.DB
	)
	switch d {
	case Postgres:
		sqldb, err = openPostgres(opts.URI)
		if err != nil {
			return nil, err
		}
		db = bun.NewDB(sqldb, pgdialect.New())
		if opts.MaxOpenConns <= 0 {
			// pgxpool's default. At 4 instead of 8 on two cores every p99
			// of bench/load.sh's scenarios fell, the timeline's by a fifth,
			// at the same rates (bench/RESULTS.md): statements beyond the
			// pool wait in arrival order (turns) rather than share the
			// CPU with the running ones.
			opts.MaxOpenConns = max(4, runtime.NumCPU())
		}
	case SQLite:
		sqldb, err = openSQLite(opts.URI)
		if err != nil {
			return nil, err
		}
		db = bun.NewDB(sqldb, sqlitedialect.New())
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
		db = db.WithQueryHook(h)
	}
	turns := make(chan struct{}, opts.MaxOpenConns)
	db = db.WithQueryHook(turnHook{turns}) // bun's statements wait their turn too
	s := &Store{db: db, root: db, rules: opts.Rules.withDefaults(), dialect: d, migs: opts.Migrations, hooks: hooks, rebound: &rebinder{},
		turns: turns}
	cost := s.rules.BcryptCost
	s.dummy = sync.OnceValue(func() []byte { return dummyHash(cost) })
	return s, nil
}

// DialectOf tells the database kind from a URI.
func DialectOf(uri string) (Dialect, error) {
	scheme, _, ok := strings.Cut(uri, ":")
	if ok {
		switch strings.ToLower(scheme) {
		case "postgres", "postgresql":
			return Postgres, nil
		case "sqlite", "sqlite3", "file":
			return SQLite, nil
		}
	}
	return "", fmt.Errorf("unsupported database URI %q: expected postgresql://..., sqlite:PATH or file:PATH", RedactURI(uri))
}

func openPostgres(uri string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(uri)
	if err != nil {
		return nil, fmt.Errorf("invalid PostgreSQL URI %s: %w", RedactURI(uri), err)
	}
	// bun interpolates arguments into the SQL text, so preparing every distinct
	// statement would only cost a round trip; the simple protocol avoids it.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	return sql.OpenDB(validConnector{stdlib.GetConnector(*cfg)}), nil
}

// pgxConn names stdlib.Conn so that validConn can embed it and still have
// its Conn method (seed.go reaches the pgx connection through it).
type pgxConn = stdlib.Conn

// validConn tells database/sql, as a connection is put back in the pool,
// whether pgx has closed it: pgx closes a connection whose query a
// cancelled context interrupted (a client hanging up). Without it such
// connections were handed out again, and with a full pool three in a row
// exhausted database/sql's retries: the request failed with "bad
// connection" (TestCancelledQueriesDoNotBreakOthers).
type validConn struct{ *pgxConn }

func (c validConn) IsValid() bool { return !c.Conn().IsClosed() }

type validConnector struct{ driver.Connector }

func (v validConnector) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := v.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return validConn{c.(*stdlib.Conn)}, nil
}

// SQLitePath returns the file a sqlite:/file: URI names.
func SQLitePath(uri string) string {
	_, rest, _ := strings.Cut(uri, ":")
	rest = strings.TrimPrefix(rest, "//")
	path, _, _ := strings.Cut(rest, "?")
	return path
}

// openSQLite opens the file with foreign keys on, a busy timeout set before
// WAL (switching to WAL itself needs the lock), and immediate transactions so
// that writers queue on the busy timeout instead of failing to upgrade a lock.
func openSQLite(uri string) (*sql.DB, error) {
	path := SQLitePath(uri)
	if path == "" {
		return nil, fmt.Errorf("invalid SQLite URI %q: no file path", uri)
	}
	if path == ":memory:" || strings.Contains(uri, "mode=memory") {
		// database/sql's pool would give each connection an empty database
		// of its own: a migration on one, a query on another.
		return nil, fmt.Errorf("invalid SQLite URI %q: an in-memory database would be a different, empty one for each pooled connection; use a file (sqlite:/tmp/pamps.db)", uri)
	}
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	if _, extra, ok := strings.Cut(uri, "?"); ok {
		if parsed, err := url.ParseQuery(extra); err == nil {
			q = parsed
		}
	}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	// The path is written into a file: URI, where '#' would start a
	// fragment and '?' the parameters: a folder named "a#1" opened "a".
	escaped := strings.NewReplacer("%", "%25", "#", "%23", "?", "%3F").Replace(path)
	return sql.Open("sqlite", "file:"+escaped+"?"+q.Encode())
}

// echoHook writes each statement, for db.echo.
type echoHook struct{ w io.Writer }

func (h echoHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h echoHook) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	fmt.Fprintf(h.w, "[sql %s] %s\n", time.Since(e.StartTime).Round(time.Microsecond), e.Query)
}
