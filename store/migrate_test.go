package store_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

func TestMigrateIsIdempotentAndReported(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		s := storetest.Open(t, uri, store.Options{})
		if err := s.CheckSchema(ctx); !errors.Is(err, store.ErrStaleSchema) {
			t.Fatalf("fresh database should be stale: %v", err)
		}
		st, err := s.MigrationStatus(ctx)
		if err != nil || len(st) == 0 || st[0].Applied {
			t.Fatalf("status before: %v %+v", err, st)
		}
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != len(st) {
			t.Fatalf("migrate: %v %v", err, applied)
		}
		again, err := s.Migrate(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second migrate: %v %v", err, again)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
		st, _ = s.MigrationStatus(ctx)
		for _, m := range st {
			if !m.Applied || m.AppliedAt == nil {
				t.Fatalf("not applied: %+v", m)
			}
		}
		storetest.MustUser(t, s, "ann")
		if _, err := s.Reset(ctx); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, s, `"user"`); n != 0 {
			t.Fatalf("reset kept %d users", n)
		}
		if err := s.CheckSchema(ctx); err != nil {
			t.Fatalf("after reset: %v", err)
		}
	})
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		migs := fstest.MapFS{
			"20200101000001_good.tx.up.sql": {Data: []byte("CREATE TABLE good (id INTEGER PRIMARY KEY);")},
			"20200101000002_bad.tx.up.sql": {Data: []byte("CREATE TABLE half (id INTEGER PRIMARY KEY);\n" +
				"INSERT INTO good (id) VALUES (1);\nINSERT INTO no_such_table VALUES (1);")},
		}
		s := storetest.Open(t, uri, store.Options{Migrations: migs})
		applied, err := s.Migrate(ctx)
		var me *store.MigrationError
		if !errors.As(err, &me) || len(applied) != 1 || !strings.HasPrefix(applied[0], "20200101000001") {
			t.Fatalf("migrate = %v, %v", applied, err)
		}
		if n := storetest.Count(t, s, "good"); n != 0 {
			t.Fatalf("the failed migration's insert stayed: %d rows", n)
		}
		var tables int
		q := "SELECT count(*) FROM sqlite_master WHERE name = 'half'"
		if s.Dialect() == store.Postgres {
			q = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'half'"
		}
		if err := s.DB().QueryRow(q).Scan(&tables); err != nil || tables != 0 {
			t.Fatalf("half-made table left behind: %v %d", err, tables)
		}
		st, _ := s.MigrationStatus(ctx)
		if len(st) != 2 || !st[0].Applied || st[1].Applied {
			t.Fatalf("status: %+v", st)
		}
	})
}

// An original Pamps database, as its alembic head e71d88346f62 left it.
const originalSchema = `
CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO alembic_version VALUES ('e71d88346f62');
CREATE TABLE "user" (id SERIAL NOT NULL, email VARCHAR NOT NULL, username VARCHAR NOT NULL, avatar VARCHAR, bio VARCHAR,
  password VARCHAR NOT NULL, PRIMARY KEY (id), UNIQUE (email), UNIQUE (username));
CREATE TABLE post (id SERIAL NOT NULL, text VARCHAR NOT NULL, date TIMESTAMP WITHOUT TIME ZONE NOT NULL, user_id INTEGER,
  parent_id INTEGER, PRIMARY KEY (id), FOREIGN KEY(parent_id) REFERENCES post (id), FOREIGN KEY(user_id) REFERENCES "user" (id));
`

// A passlib-style bcrypt hash ($2b$, cost 12) of "hunter22".
const originalHash = "$2b$12$tBrlNF6lYmOng653.G4bueS6BDwOvx0CtDpxHxt3I26hVsND0ETjC"

func TestAdoptOriginalDatabase(t *testing.T) {
	s := storetest.Open(t, storetest.PostgresURI(t), store.Options{})
	db := s.DB()
	for _, stmt := range []string{
		originalSchema,
		`INSERT INTO "user" (email, username, password, bio) VALUES ('old@example.com', 'OldTimer', '` + originalHash + `', 'from 2022')`,
		`INSERT INTO post (text, date, user_id) VALUES ('first post', '2022-11-16 18:30:00.123456', 1)`,
		`INSERT INTO post (text, date, user_id, parent_id) VALUES ('a reply', '2022-11-16 18:31:00', 1, 1)`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("adopt: %v", err)
	}
	u, err := s.Login(ctx, "test", "oldtimer", "hunter22")
	if err != nil || u.Username != "OldTimer" || *u.Bio != "from 2022" {
		t.Fatalf("old user cannot log in: %v %+v", err, u)
	}
	d, err := s.PostDetail(ctx, 1, 0)
	if err != nil || d.Date.String() != "2022-11-16T18:30:00.123456Z" || len(d.Replies) != 1 || d.Username != "OldTimer" {
		t.Fatalf("old post: %v %+v", err, d)
	}
	// the sequences continue and the new rules hold
	nu := storetest.MustUser(t, s, "newcomer")
	if nu.ID != 2 {
		t.Fatalf("new user id %d", nu.ID)
	}
	if _, err := s.CreateUser(ctx, store.NewUser{Email: "x@example.com", Username: "OLDTIMER", Password: "password1"}); !errors.Is(err, store.ErrUsernameTaken) {
		t.Fatalf("case-insensitive uniqueness after adoption: %v", err)
	}
	mustFollow(t, s, nu.ID, u.ID)
	mustLike(t, s, nu.ID, 1)
	if err := s.DeleteUser(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if storetest.Count(t, s, "post") != 0 {
		t.Fatal("adopted foreign keys do not cascade")
	}
}

func TestAdoptionRefusesCaseDuplicates(t *testing.T) {
	s := storetest.Open(t, storetest.PostgresURI(t), store.Options{})
	db := s.DB()
	for _, stmt := range []string{
		originalSchema,
		`INSERT INTO "user" (email, username, password) VALUES ('a@example.com', 'Ann', 'x'), ('b@example.com', 'ann', 'y')`,
	} {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.Migrate(ctx)
	if err == nil || !strings.Contains(err.Error(), "Ann (id 1), ann (id 2)") || !strings.Contains(err.Error(), "hint") {
		t.Fatalf("want a report naming both rows, got %v", err)
	}
	if storetest.Count(t, s, `"user"`) != 2 {
		t.Fatal("a row was lost")
	}
	var dateType string
	if err := db.QueryRow(`SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'post' AND column_name = 'date'`).Scan(&dateType); err != nil {
		t.Fatal(err)
	}
	if dateType != "timestamp without time zone" {
		t.Fatalf("schema changed by the refused migration: post.date is %s", dateType)
	}
	st, _ := s.MigrationStatus(ctx)
	if st[len(st)-1].Applied {
		t.Fatal("the refused migration was recorded")
	}
	// renaming one of them lets adoption proceed
	if _, err := db.Exec(`UPDATE "user" SET username = 'ann2' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("after the fix: %v", err)
	}
}
