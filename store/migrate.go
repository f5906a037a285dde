package store

import (
	"context"
	"embed"
	"errors"

	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

//go:embed migrations
var migrationFiles embed.FS

const (
	migrationsTable = "pamps_migrations"
	locksTable      = "pamps_migration_locks"
)

// MigrationStatus is one migration and whether it has been applied.
type MigrationStatus struct {
	Name      string     `json:"name"`
	Comment   string     `json:"comment"`
	Applied   bool       `json:"applied"`
	AppliedAt *Timestamp `json:"applied_at"`
}

// migrations loads this dialect's embedded SQL migrations.
func (s *Store) migrations() (*migrate.Migrations, error) {
	sub := s.migs
	if sub == nil {
		var err error
		if sub, err = fs.Sub(migrationFiles, "migrations/"+string(s.dialect)); err != nil {
			return nil, err
		}
	}
	ms := migrate.NewMigrations()
	if err := ms.Discover(sub); err != nil {
		return nil, err
	}
	if s.migs == nil {
		ms.Add(emailKeyMigration(s.dialect))
	}
	return ms, nil
}

func (s *Store) migrator() (*migrate.Migrator, error) {
	ms, err := s.migrations()
	if err != nil {
		return nil, err
	}
	return migrate.NewMigrator(s.root, ms,
		migrate.WithTableName(migrationsTable),
		migrate.WithLocksTableName(locksTable),
		migrate.WithMarkAppliedOnSuccess(true),
	), nil
}

// Migrate applies every pending migration, each in its own transaction and
// recorded only once it succeeded. On PostgreSQL an advisory lock makes
// processes that start together take turns. It returns the names applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	m, err := s.migrator()
	if err != nil {
		return nil, err
	}
	unlock, err := s.lockMigrations(ctx)
	if err != nil {
		return nil, translate(err)
	}
	defer unlock()
	if err := m.Init(ctx); err != nil {
		return nil, translate(err)
	}
	group, err := m.Migrate(ctx)
	var applied []string
	if group != nil {
		for _, mig := range group.Migrations {
			applied = append(applied, mig.Name+"_"+mig.Comment)
		}
		if err != nil && len(applied) > 0 {
			applied = applied[:len(applied)-1] // the last one failed and was not recorded
		}
	}
	if err != nil {
		return applied, &MigrationError{Cause: translate(err)}
	}
	return applied, nil
}

// MigrationError is a migration that failed and was rolled back.
type MigrationError struct{ Cause error }

func (e *MigrationError) Error() string {
	var pgErr *pgconn.PgError
	if errors.As(e.Cause, &pgErr) {
		msg := "migration failed: " + pgErr.Message
		if pgErr.Hint != "" {
			msg += " (hint: " + pgErr.Hint + ")"
		}
		return msg
	}
	return "migration failed: " + e.Cause.Error()
}

// Unwrap exposes the cause.
func (e *MigrationError) Unwrap() error { return e.Cause }

// lockMigrations takes a session advisory lock on PostgreSQL, keyed by schema
// so that databases (and test schemas) do not wait on each other.
func (s *Store) lockMigrations(ctx context.Context) (func(), error) {
	if s.dialect != Postgres {
		return func() {}, nil
	}
	conn, err := s.root.Conn(ctx)
	if err != nil {
		return nil, err
	}
	const key = "hashtext(current_database() || '.' || current_schema() || '.pamps_migrations')"
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock("+key+")"); err != nil {
		conn.Close()
		return nil, err
	}
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = conn.ExecContext(ctx, "SELECT pg_advisory_unlock("+key+")")
		conn.Close()
	}, nil
}

// MigrationStatus lists every known migration, applied or pending.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	m, err := s.migrator()
	if err != nil {
		return nil, err
	}
	exists, err := s.tableExists(ctx, migrationsTable)
	if err != nil {
		return nil, translate(err)
	}
	var list migrate.MigrationSlice
	if exists {
		list, err = m.MigrationsWithStatus(ctx)
		if err != nil {
			return nil, translate(err)
		}
	} else {
		ms, _ := s.migrations()
		list = ms.Sorted()
	}
	out := make([]MigrationStatus, 0, len(list))
	for _, mig := range list {
		st := MigrationStatus{Name: mig.Name, Comment: mig.Comment, Applied: mig.IsApplied()}
		if st.Applied {
			at := Timestamp{mig.MigratedAt.UTC()}
			st.AppliedAt = &at
		}
		out = append(out, st)
	}
	return out, nil
}

// CheckSchema returns an error matching ErrStaleSchema when migrations are pending.
func (s *Store) CheckSchema(ctx context.Context) error {
	list, err := s.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	var pending []string
	for _, m := range list {
		if !m.Applied {
			pending = append(pending, m.Name+"_"+m.Comment)
		}
	}
	if len(pending) > 0 {
		return fmt.Errorf("%w: %d pending migration(s): %s", ErrStaleSchema, len(pending), strings.Join(pending, ", "))
	}
	return nil
}

// Reset drops every Pamps table (data included) and migrates from scratch.
func (s *Store) Reset(ctx context.Context) ([]string, error) {
	tables := []string{`"like"`, "follow", "refresh_token", "post", `"user"`, migrationsTable, locksTable, "alembic_version", "pamps_bulk_load"}
	err := s.root.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var stmts []string
		for _, t := range tables {
			stmts = append(stmts, "DROP TABLE IF EXISTS "+t)
		}
		if s.dialect == Postgres {
			for i := range stmts {
				stmts[i] += " CASCADE"
			}
			stmts = append(stmts, "DROP FUNCTION IF EXISTS pamps_count_like(), pamps_count_reply(), pamps_count_follow() CASCADE")
		}
		for _, stmt := range stmts {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return s.Migrate(ctx)
}

func (s *Store) tableExists(ctx context.Context, name string) (bool, error) {
	var n int
	var err error
	switch s.dialect {
	case Postgres:
		err = s.root.QueryRowContext(ctx, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?", name).Scan(&n)
	default:
		err = s.root.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n)
	}
	if err != nil {
		return false, err
	}
	return n > 0, nil
}
