package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pamps/pamps/store"
)

// Test databases are cloned from a migrated template, made once per
// schema version (store.MigrationsDigest): on PostgreSQL a template
// database (CREATE DATABASE ... TEMPLATE, with its drop about half the
// time of migrating a schema), on SQLite a file copied. Every test process
// of a run shares them; test.sh's cluster is new each run.

// PostgresMigrated is a store on a new PostgreSQL database with the
// current schema, dropped when the test ends.
func PostgresMigrated(t *testing.T, opts store.Options) *store.Store {
	t.Helper()
	return Open(t, postgresClone(t), opts)
}

// SQLiteMigrated is a store on a new SQLite file with the current schema.
func SQLiteMigrated(t *testing.T, opts store.Options) *store.Store {
	t.Helper()
	return Open(t, sqliteClone(t), opts)
}

var (
	pgTemplateOnce sync.Once
	pgTemplate     string
	pgTemplateErr  error
)

// postgresClone creates a database from the template and returns its URI.
func postgresClone(t *testing.T) string {
	t.Helper()
	db, u := adminDB(t)
	pgTemplateOnce.Do(func() { pgTemplate, pgTemplateErr = makePostgresTemplate(db, *u) })
	if pgTemplateErr != nil {
		t.Fatalf("the migrated template database: %v", pgTemplateErr)
	}
	name := "t_" + randomHex(6)
	if _, err := db.Exec("CREATE DATABASE " + name + " TEMPLATE " + pgTemplate); err != nil {
		t.Fatalf("clone the template: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP DATABASE " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	c := *u
	c.Path = "/" + name
	return c.String()
}

// makePostgresTemplate makes the template database unless another test
// process has: they take turns on an advisory lock. It is built under a
// name of its own and renamed once migrated, so that a process that died
// halfway leaves nothing that passes for it.
func makePostgresTemplate(db *sql.DB, u url.URL) (string, error) {
	digest, err := store.MigrationsDigest(store.Postgres)
	if err != nil {
		return "", err
	}
	name := "pamps_tpl_" + digest[:16]
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(hashtext('pamps test template'))"); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(hashtext('pamps test template'))")
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil || exists {
		return name, err
	}
	build := name + "_build"
	for _, q := range []string{"DROP DATABASE IF EXISTS " + build + " WITH (FORCE)", "CREATE DATABASE " + build} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return "", err
		}
	}
	u.Path = "/" + build
	st, err := store.Open(ctx, store.Options{URI: u.String(), Rules: Rules})
	if err != nil {
		return "", err
	}
	_, err = st.Migrate(ctx)
	st.Close()
	if err != nil {
		return "", fmt.Errorf("migrate: %w", err)
	}
	_, err = conn.ExecContext(ctx, "ALTER DATABASE "+build+" RENAME TO "+name)
	return name, err
}

var (
	liteTemplateOnce sync.Once
	liteTemplate     string
	liteTemplateErr  error
)

// sqliteClone copies the template file into the test's folder.
func sqliteClone(t *testing.T) string {
	t.Helper()
	liteTemplateOnce.Do(func() { liteTemplate, liteTemplateErr = makeSQLiteTemplate() })
	if liteTemplateErr != nil {
		t.Fatalf("the migrated template file: %v", liteTemplateErr)
	}
	path := filepath.Join(t.TempDir(), "pamps.db")
	if err := copyFile(liteTemplate, path); err != nil {
		t.Fatal(err)
	}
	return "sqlite:" + path
}

// makeSQLiteTemplate migrates a file in the system's temporary folder, or
// finds the one another process made: it is written aside and renamed.
func makeSQLiteTemplate() (string, error) {
	digest, err := store.MigrationsDigest(store.SQLite)
	if err != nil {
		return "", err
	}
	path := filepath.Join(os.TempDir(), "pamps-test-template-"+digest[:16]+".db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	dir, err := os.MkdirTemp("", "pamps-template")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	build := filepath.Join(dir, "build.db")
	ctx := context.Background()
	st, err := store.Open(ctx, store.Options{URI: "sqlite:" + build, Rules: Rules})
	if err != nil {
		return "", err
	}
	_, err = st.Migrate(ctx)
	if cerr := st.Close(); err == nil {
		err = cerr // closing the last connection folds the WAL into the file
	}
	if err != nil {
		return "", fmt.Errorf("migrate: %w", err)
	}
	return path, os.Rename(build, path)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
