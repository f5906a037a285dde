// Package storetest runs tests against real databases: a SQLite file in a
// temporary folder and, when PAMPS_TEST_DATABASE_URL is set, PostgreSQL, each
// test in a schema of its own that is dropped afterwards.
package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/seed"
)

// EnvURL names the variable holding the PostgreSQL server for tests.
const EnvURL = "PAMPS_TEST_DATABASE_URL"

// Rules are fast rules for tests: bcrypt at its minimum cost.
var Rules = store.Rules{BcryptCost: 4}

// Each runs fn once per database, as subtests "sqlite" and "postgres", on a
// freshly migrated store (cloned from a template: template.go).
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteMigrated(t, store.Options{})) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresMigrated(t, store.Options{})) })
}

// EachURI runs fn once per database with the URI of an empty database.
func EachURI(t *testing.T, fn func(t *testing.T, uri string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteURI(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, PostgresURI(t)) })
}

// SQLiteURI is a new SQLite file in the test's temporary folder.
func SQLiteURI(t *testing.T) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "pamps.db")
}

// Migrated is Open with the schema migrated, or fails the test.
func Migrated(t *testing.T, uri string, opts store.Options) *store.Store {
	t.Helper()
	s := Open(t, uri, opts)
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", uri, err)
	}
	return s
}

// Open opens uri with test rules, closing it when the test ends.
func Open(t *testing.T, uri string, opts store.Options) *store.Store {
	t.Helper()
	opts.URI = uri
	if opts.Rules == (store.Rules{}) {
		opts.Rules = Rules
	}
	s, err := store.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open %s: %v", uri, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// adminDB is the connection to the test server, for creating and dropping
// what each test gets. Without PAMPS_TEST_DATABASE_URL the test is skipped,
// except under CI=true, where a missing PostgreSQL is a failure.
func adminDB(t *testing.T) (*sql.DB, *url.URL) {
	t.Helper()
	base := os.Getenv(EnvURL)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: PostgreSQL tests cannot run (./test.sh starts a throwaway server)", EnvURL)
		}
		t.Skipf("%s is not set; run ./test.sh to include PostgreSQL", EnvURL)
	}
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", base)
		if adminErr == nil {
			adminErr = admin.Ping()
		}
	})
	if adminErr != nil {
		t.Fatalf("cannot reach PostgreSQL at %s: %v", EnvURL, adminErr)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvURL, err)
	}
	return admin, u
}

// PostgresURI creates an empty schema for this test and returns a URI whose
// search_path points at it.
func PostgresURI(t *testing.T) string {
	t.Helper()
	db, u := adminDB(t)
	schema := "t_" + randomHex(6)
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { dropSchema(t, db, schema) })
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// dropSchema drops a test's schema. A statement the test's program
// cancelled as it ended may still run on the server for a moment, and the
// drop, locking each table in turn, can deadlock with it (seen once in CI):
// the drop is tried again then.
func dropSchema(t *testing.T, db *sql.DB, schema string) {
	var err error
	for range 5 {
		if _, err = db.Exec("DROP SCHEMA " + schema + " CASCADE"); err == nil {
			return
		}
		if pe := (*pgconn.PgError)(nil); !errors.As(err, &pe) || pe.Code != "40P01" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("drop schema %s: %v", schema, err)
}

// MustUser creates a user named name (email name@example.com, password
// "password1") or fails the test.
func MustUser(t *testing.T, s *store.Store, name string) store.User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), store.NewUser{Email: name + "@example.com", Username: name, Password: "password1"})
	if err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

// MustPost creates a post (or a reply when parent is non-zero) or fails.
func MustPost(t *testing.T, s *store.Store, author int64, text string, parent int64) store.Post {
	t.Helper()
	var pp *int64
	if parent != 0 {
		pp = &parent
	}
	p, err := s.CreatePost(context.Background(), author, text, pp)
	if err != nil {
		t.Fatalf("create post %q: %v", text, err)
	}
	return p
}

// Count returns the number of rows of a table, for checking state after a change.
func Count(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(fmt.Sprintf("SELECT count(*) FROM %s", table)).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// SeedOptions are a small demo dataset (package seed) for tests.
func SeedOptions() seed.Options {
	return seed.Options{Users: 30, Posts: 400, Follows: 5, Likes: 300, Seed: 7, Password: "seed-password"}
}
