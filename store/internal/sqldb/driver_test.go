package sqldb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/uptrace/bun"
)

// translated marks the errors that went through Options.Translate.
type translated struct{ cause error }

func (t *translated) Error() string { return "translated: " + t.cause.Error() }
func (t *translated) Unwrap() error { return t.cause }

func testURIs(t *testing.T) map[string]string {
	uris := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "driver.db")}
	if u := os.Getenv("PAMPS_TEST_DATABASE_URL"); u != "" {
		uris["postgres"] = u
	} else if os.Getenv("CI") == "true" {
		t.Fatal("PAMPS_TEST_DATABASE_URL is not set: PostgreSQL tests cannot run")
	}
	return uris
}

func openMarked(t *testing.T, uri string) *DB {
	db, err := Open(context.Background(), Options{URI: uri, MaxOpenConns: 4, Translate: func(err error) error { return &translated{err} }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestEveryDriverErrorIsTranslated: errors of bun's statements, of raw
// ones, of a row met while reading and of a COMMIT all come through the
// wrapper's translation; no path needs to remember it.
func TestEveryDriverErrorIsTranslated(t *testing.T) {
	ctx := context.Background()
	for name, uri := range testURIs(t) {
		t.Run(name, func(t *testing.T) {
			db := openMarked(t, uri)
			var mark *translated
			check := func(what string, err error) {
				t.Helper()
				if !errors.As(err, &mark) {
					t.Errorf("%s: %v (%T), not translated", what, err, err)
				}
			}
			_, err := db.Bun.NewSelect().ColumnExpr("no_such_column").Exec(ctx)
			check("bun's Exec", err)
			var n int
			check("bun's Scan", db.Bun.NewSelect().ColumnExpr("no_such_column").Scan(ctx, &n))
			check("a raw statement", queryRow(ctx, db, db.Bun, &n, "SELECT no_such_column"))
			if db.Dialect == Postgres { // a failure after the first row
				rows, done, err := db.Query(ctx, db.Bun, "SELECT 10 / (3 - g) FROM generate_series(1, 5) AS g")
				if err != nil {
					t.Fatal(err)
				}
				for rows.Next() {
				}
				check("a row read", rows.Err())
				rows.Close()
				done()
			}
			// A deferred foreign key fails at COMMIT.
			ddl := []string{
				"CREATE TABLE IF NOT EXISTS wrap_parent (id INTEGER PRIMARY KEY)",
				"CREATE TABLE IF NOT EXISTS wrap_child (pid INTEGER REFERENCES wrap_parent (id) DEFERRABLE INITIALLY DEFERRED)",
			}
			for _, q := range ddl {
				if _, err := db.Bun.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			t.Cleanup(func() {
				db.Bun.ExecContext(ctx, "DROP TABLE wrap_child")
				db.Bun.ExecContext(ctx, "DROP TABLE wrap_parent")
			})
			err = db.RunInTx(ctx, db.Bun, func(ctx context.Context, tx bun.Tx) error {
				_, err := tx.ExecContext(ctx, "INSERT INTO wrap_child VALUES (42)")
				return err
			})
			check("a COMMIT", err)
			// The end of rows is not an error, and results still arrive.
			if err := queryRow(ctx, db, db.Bun, &n, "SELECT 7"); err != nil || n != 7 {
				t.Fatalf("SELECT 7: %v %d", err, n)
			}
		})
	}
}

// TestDeadlockVictimsRunAgain: a statement outside a transaction that
// PostgreSQL aborts to break a deadlock runs again in the wrapper, whether
// bun executes it or Query reads its rows; the caller sees it succeed.
func TestDeadlockVictimsRunAgain(t *testing.T) {
	uri := testURIs(t)["postgres"]
	if uri == "" {
		t.Skip("PostgreSQL only (deadlocks); PAMPS_TEST_DATABASE_URL is not set")
	}
	ctx := context.Background()
	db := openMarked(t, uri)
	for _, q := range []string{"DROP TABLE IF EXISTS wrap_dead", "CREATE TABLE wrap_dead (id int PRIMARY KEY, v int NOT NULL)", "INSERT INTO wrap_dead VALUES (1, 0), (2, 0)"} {
		if _, err := db.Bun.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { db.Bun.ExecContext(ctx, "DROP TABLE wrap_dead") })
	const both = "UPDATE wrap_dead SET v = v + 1 WHERE id IN (1, 2)"
	for name, victim := range map[string]func() error{
		"exec": func() error { _, err := db.Bun.ExecContext(ctx, both); return err },
		"query": func() error {
			var v int
			return queryRow(ctx, db, db.Bun, &v, both+" RETURNING v")
		},
	} {
		t.Run(name, func(t *testing.T) {
			tx, err := db.Bun.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, "UPDATE wrap_dead SET v = v + 10 WHERE id = 2"); err != nil {
				t.Fatal(err)
			}
			// The statement checks for deadlocks after 1 s of waiting, the
			// transaction after 5: the statement is the one to lose, even
			// on a busy machine where the two checks could come close.
			if _, err := tx.ExecContext(ctx, "SET LOCAL deadlock_timeout = '5s'"); err != nil {
				t.Fatal(err)
			}
			errc := make(chan error, 1)
			go func() { errc <- victim() }() // locks row 1, waits for row 2
			waitForLockWait(t, db)
			// The transaction now waits for row 1: a cycle, which the
			// statement, waiting longer, is the one to detect and lose.
			if _, err := tx.ExecContext(ctx, "UPDATE wrap_dead SET v = v + 10 WHERE id = 1"); err != nil {
				t.Fatalf("the transaction lost the deadlock: %v", err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if err := <-errc; err != nil {
				t.Fatalf("the statement was not run again: %v", err)
			}
		})
	}
	var sum int
	if err := queryRow(ctx, db, db.Bun, &sum, "SELECT sum(v) FROM wrap_dead"); err != nil || sum != 2*(20+2) {
		t.Fatalf("sum %d (%v), want each statement applied once: %d", sum, err, 2*(20+2))
	}
}

// waitForLockWait returns once the victim's statement waits for a lock.
// Only it counts: pg_locks is the whole cluster's, where other packages'
// tests wait for locks of their own, and returning on one of theirs let the
// transaction wait first and lose the deadlock (seen once in CI).
func waitForLockWait(t *testing.T, db *DB) {
	t.Helper()
	eventually.True(t, 0, func() bool {
		var n int
		err := db.Bun.QueryRowContext(context.Background(),
			"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE wrap_dead SET v = v + 1 %'").Scan(&n)
		if err != nil && !strings.Contains(err.Error(), "translated") {
			t.Fatal(err)
		}
		return n > 0
	}, "the statement never waited for the row lock")
}
