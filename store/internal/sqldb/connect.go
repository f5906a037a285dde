package sqldb

import (
	"context"
	"database/sql/driver"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pamps/pamps/store/dburi"
	"modernc.org/sqlite"
)

func postgresConnector(uri string) (driver.Connector, *pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(uri)
	if err != nil {
		return nil, nil, fmt.Errorf("invalid PostgreSQL URI %s: %w", dburi.RedactURI(uri), err)
	}
	// bun interpolates arguments into the SQL text, so preparing every distinct
	// statement would only cost a round trip; the simple protocol avoids it.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = 5 * time.Second
	}
	// Named in pg_stat_activity, unless the URI names it.
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "pamps"
	}
	return validConnector{stdlib.GetConnector(*cfg)}, cfg, nil
}

// pgxConn names stdlib.Conn so that validConn can embed it and still have
// its Conn method (WithPgx reaches the pgx connection through it).
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

// WithPgx runs fn on one pooled PostgreSQL connection, as pgx itself (for
// COPY), outside the turns: only bulk loads use it.
func (db *DB) WithPgx(ctx context.Context, fn func(*pgx.Conn) error) error {
	c, err := db.Bun.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	err = c.Raw(func(dc any) error {
		return fn(dc.(*conn).Conn.(validConn).Conn())
	})
	if err != nil { // pgx's own errors bypass the wrapper
		return db.translate(err)
	}
	return nil
}

// SQLitePath returns the file a sqlite:/file: URI names.
func SQLitePath(uri string) string { return dburi.SQLitePath(uri) }

// sqliteConnector opens the file with foreign keys on, a busy timeout set
// before WAL (switching to WAL itself needs the lock), and immediate
// transactions so that writers queue on the busy timeout instead of failing
// to upgrade a lock.
func sqliteConnector(uri string) (driver.Connector, error) {
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
	return dsnConnector{dsn: "file:" + escaped + "?" + q.Encode(), driver: &sqlite.Driver{}}, nil
}

// dsnConnector opens a driver's connections by name, as sql.Open does.
type dsnConnector struct {
	dsn    string
	driver driver.Driver
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }

func (c dsnConnector) Driver() driver.Driver { return c.driver }
