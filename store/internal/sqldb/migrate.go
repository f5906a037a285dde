package sqldb

import (
	"context"
	"time"

	"github.com/uptrace/bun/migrate"
)

// The tables bun's migrator keeps its records and its lock in.
const (
	MigrationsTable = "pamps_migrations"
	LocksTable      = "pamps_migration_locks"
)

func (db *DB) migrator(ms *migrate.Migrations) *migrate.Migrator {
	return migrate.NewMigrator(db.Bun, ms,
		migrate.WithTableName(MigrationsTable),
		migrate.WithLocksTableName(LocksTable),
		migrate.WithMarkAppliedOnSuccess(true),
	)
}

// Migrate applies every pending migration of ms, each in its own
// transaction and recorded only once it succeeded. On PostgreSQL an
// advisory lock makes processes that start together take turns. It
// returns the names applied; on an error, failed is the cause (the last
// one tried was not recorded).
func (db *DB) Migrate(ctx context.Context, ms *migrate.Migrations) (applied []string, failed error, err error) {
	m := db.migrator(ms)
	unlock, err := db.lockMigrations(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	if err := m.Init(ctx); err != nil {
		return nil, nil, err
	}
	group, failed := m.Migrate(ctx)
	if group != nil {
		for _, mig := range group.Migrations {
			applied = append(applied, mig.Name+"_"+mig.Comment)
		}
		if failed != nil && len(applied) > 0 {
			applied = applied[:len(applied)-1] // the last one failed and was not recorded
		}
	}
	return applied, failed, nil
}

// lockMigrations takes a session advisory lock on PostgreSQL, keyed by schema
// so that databases (and test schemas) do not wait on each other.
func (db *DB) lockMigrations(ctx context.Context) (func(), error) {
	if db.Dialect != Postgres {
		return func() {}, nil
	}
	conn, err := db.Bun.Conn(ctx)
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

// MigrationStatus lists every migration of ms, applied or pending.
func (db *DB) MigrationStatus(ctx context.Context, ms *migrate.Migrations) (migrate.MigrationSlice, error) {
	exists, err := db.tableExists(ctx, MigrationsTable)
	if err != nil {
		return nil, err
	}
	if !exists {
		return ms.Sorted(), nil
	}
	return db.migrator(ms).MigrationsWithStatus(ctx)
}

func (db *DB) tableExists(ctx context.Context, name string) (bool, error) {
	var n int
	var err error
	switch db.Dialect {
	case Postgres:
		err = db.Bun.QueryRowContext(ctx, "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?", name).Scan(&n)
	default:
		err = db.Bun.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", name).Scan(&n)
	}
	if err != nil {
		return false, err
	}
	return n > 0, nil
}
