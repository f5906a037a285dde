package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// EmailKey is the form under which two emails are one address: compatibility
// normalisation (NFKC) and Unicode case folding, so that "Ä@x.org" and
// "ä@x.org" clash in every script. SQL's lower() folds only ASCII on SQLite
// and under PostgreSQL's C collation, so the key is made here and stored.
func EmailKey(email string) string {
	return cases.Fold().String(norm.NFKC.String(email))
}

// emailKeyMigration adds user.email_key, fills it from each stored email and
// makes it the unique key. It is Go, not SQL, because neither database can
// fold case outside ASCII; an adopted database whose emails clash under the
// key is refused with the clashing rows listed, and nothing changes.
func emailKeyMigration(d Dialect) migrate.Migration {
	up := func(ctx context.Context, m *migrate.Migrator, _ *migrate.Migration) error {
		return m.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.ExecContext(ctx, `ALTER TABLE "user" ADD COLUMN email_key TEXT`); err != nil {
				return err
			}
			type row struct {
				id    int64
				email string
			}
			var users []row
			rows, err := tx.QueryContext(ctx, `SELECT id, email FROM "user" ORDER BY id`)
			if err != nil {
				return err
			}
			for rows.Next() {
				var r row
				if err := rows.Scan(&r.id, &r.email); err != nil {
					rows.Close()
					return err
				}
				users = append(users, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			byKey := map[string][]string{}
			var clashes []string
			for _, u := range users {
				k := EmailKey(u.email)
				byKey[k] = append(byKey[k], fmt.Sprintf("%s (id %d)", u.email, u.id))
				if len(byKey[k]) == 2 {
					clashes = append(clashes, k)
				}
			}
			if len(clashes) > 0 {
				var groups []string
				for _, k := range clashes {
					groups = append(groups, strings.Join(byKey[k], ", "))
				}
				return fmt.Errorf("cannot adopt this database: emails that are one address ignoring case and width: %s (change all but one of each group, then run pamps db migrate again)", strings.Join(groups, "; "))
			}
			for _, u := range users {
				if _, err := tx.ExecContext(ctx, `UPDATE "user" SET email_key = ? WHERE id = ?`, EmailKey(u.email), u.id); err != nil {
					return err
				}
			}
			stmts := []string{`CREATE UNIQUE INDEX user_email_key ON "user" (email_key)`, `DROP INDEX user_email_lower_key`}
			if d == Postgres {
				stmts = append(stmts, `ALTER TABLE "user" ALTER COLUMN email_key SET NOT NULL`)
			}
			for _, q := range stmts {
				if _, err := tx.ExecContext(ctx, q); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return migrate.Migration{Name: "20261129000002", Comment: "email_key", Up: up}
}
