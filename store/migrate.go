package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"

	"fmt"
	"io/fs"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pamps/pamps/store/internal/sqldb"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

//go:embed migrations
var migrationFiles embed.FS

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
		if sub, err = fs.Sub(migrationFiles, "migrations/"+string(s.sql.Dialect)); err != nil {
			return nil, err
		}
	}
	ms := migrate.NewMigrations()
	if err := ms.Discover(sub); err != nil {
		return nil, err
	}
	if s.migs == nil {
		ms.Add(emailKeyMigration(s.sql.Dialect))
	}
	return ms, nil
}

// Migrate applies every pending migration, each in its own transaction and
// recorded only once it succeeded. On PostgreSQL an advisory lock makes
// processes that start together take turns. It returns the names applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	ms, err := s.migrations()
	if err != nil {
		return nil, err
	}
	applied, failed, err := s.sql.Migrate(ctx, ms)
	if err != nil {
		return nil, err
	}
	if failed != nil {
		return applied, &MigrationError{Cause: failed}
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

// MigrationStatus lists every known migration, applied or pending.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	ms, err := s.migrations()
	if err != nil {
		return nil, err
	}
	list, err := s.sql.MigrationStatus(ctx, ms)
	if err != nil {
		return nil, err
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
	tables := []string{"audit", "invite", "report", "notification", "block", "mute", "rate_limit", "ssh_key", `"like"`, "follow", "refresh_token", "post", "post_fts", `"user"`, "event", "event_horizon", sqldb.MigrationsTable, sqldb.LocksTable, "alembic_version", "pamps_bulk_load"}
	err := s.sql.RunInTx(ctx, s.db, func(ctx context.Context, tx bun.Tx) error {
		var stmts []string
		for _, t := range tables {
			stmts = append(stmts, "DROP TABLE IF EXISTS "+t)
		}
		if s.sql.Dialect == Postgres {
			for i := range stmts {
				stmts[i] += " CASCADE"
			}
			stmts = append(stmts, "DROP FUNCTION IF EXISTS pamps_count_like(), pamps_count_reply(), pamps_count_follow(), pamps_event_post(), pamps_event_like(), pamps_event_account(), pamps_event_key_removed(), pamps_event_hidden(), pamps_event_notification(), pamps_audit_append_only() CASCADE")
		}
		for _, stmt := range stmts {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Migrate(ctx)
}

// MigrationsDigest identifies the schema the embedded migrations of d make:
// a hash of their names and contents. Tests key a migrated template by it.
func MigrationsDigest(d Dialect) (string, error) {
	sub, err := fs.Sub(migrationFiles, "migrations/"+string(d))
	if err != nil {
		return "", err
	}
	h := sha256.New()
	err = fs.WalkDir(sub, ".", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		fmt.Fprintf(h, "%s %d\n", path, len(b))
		h.Write(b)
		return err
	})
	fmt.Fprintf(h, "%s\n", emailKeyMigration(d).Name)
	return hex.EncodeToString(h.Sum(nil)), err
}
