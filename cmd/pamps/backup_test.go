package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pamps/pamps/store/storetest"
)

// views are the commands whose outputs must be the same on a database and
// on its restored copy: every list an operator reads.
var views = [][]string{
	{"user", "list", "-o", "json"}, {"post", "list", "--replies", "-o", "json"}, {"user", "show", "ann", "-o", "json"},
	{"timeline", "bob", "--replies", "-o", "json"}, {"likes", "cat", "-o", "json"}, {"user", "followers", "ann", "-o", "json"},
	{"notifications", "ann", "-o", "json"}, {"search", "hello", "-o", "json"}, {"user", "list", "--suspended", "-o", "json"},
	{"report", "list", "--state", "all", "-o", "json"}, {"invite", "list", "-o", "json"}, {"audit", "--limit", "100", "-o", "json"},
	{"post", "list", "--as", "bob", "-o", "json"},
}

func fillForBackup(t *testing.T, c *cli) {
	for _, n := range []string{"ann", "bob", "cat", "dan"} {
		c.addUser(n)
	}
	c.ok("user", "role", "ann", "admin")
	c.ok("post", "create", "--as", "ann", "hello from ann")
	c.ok("post", "reply", "1", "--as", "bob", "hello @ann, from bob")
	c.ok("follow", "--as", "bob", "ann")
	c.ok("follow", "--as", "cat", "ann")
	c.ok("like", "--as", "cat", "1")
	c.ok("block", "dan", "bob")
	c.ok("post", "create", "--as", "dan", "spam spam")
	c.ok("user", "suspend", "dan", "--reason", "spam")
	c.ok("invite", "create", "--uses", "2")
}

// TestDumpRestoreAndCopyCommands: pamps db dump then db restore, and pamps
// db copy, both ways between SQLite and PostgreSQL: every view prints the
// same on both sides, members sign in, and a non-empty target is refused.
func TestDumpRestoreAndCopyCommands(t *testing.T) {
	for _, way := range []struct{ from, to string }{{"sqlite", "postgres"}, {"postgres", "sqlite"}} {
		t.Run(way.from+" to "+way.to, func(t *testing.T) {
			uri := map[string]func(*testing.T) string{"sqlite": storetest.SQLiteURI, "postgres": storetest.PostgresURI}
			src := newCLI(t, uri[way.from](t))
			fillForBackup(t, src)
			file := filepath.Join(t.TempDir(), "pamps.gz")
			if out := src.ok("db", "dump", file); !strings.HasPrefix(out, "dumped 4 users, 3 posts, 2 follows, 1 likes and ") {
				t.Fatalf("dump: %q", out)
			}
			src.fails(1, "exists: pass --force", "db", "dump", file)
			restored := newCLI(t, uri[way.to](t))
			if out := restored.ok("db", "restore", file); !strings.HasPrefix(out, "restored 4 users, 3 posts") {
				t.Fatalf("restore: %q", out)
			}
			restored.fails(1, "not empty", "db", "restore", file)
			copied := newCLI(t, uri[way.to](t))
			if out := src.ok("db", "copy", "--to", copied.uri); !strings.HasPrefix(out, "copied 4 users, 3 posts") {
				t.Fatalf("copy: %q", out)
			}
			src.fails(1, "not empty", "db", "copy", "--to", copied.uri)
			for _, v := range views {
				want := src.ok(v...)
				for name, c := range map[string]*cli{"restored": restored, "copied": copied} {
					if got := c.ok(v...); got != want {
						t.Errorf("pamps %s differs once %s:\n--- source\n%s\n--- %s\n%s", strings.Join(v, " "), name, want, name, got)
					}
				}
			}
			if _, err := restored.store().Login(ctx, "test", "bob", "password1"); err != nil {
				t.Fatalf("bob signs in on the restored database: %v", err)
			}
		})
	}
}

// TestRestoreRefusesWhatIsNotAnArchive: a file that is not one, or cut
// short, is refused with one Error: line, and the database stays empty.
func TestRestoreRefusesWhatIsNotAnArchive(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.ok("db", "migrate", "-q")
	dir := t.TempDir()
	bad := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(bad, []byte("my notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.fails(1, "Not a Pamps archive", "db", "restore", bad)
	c.fails(1, "Cannot read", "db", "restore", filepath.Join(dir, "missing.gz"))
	src := newCLI(t, storetest.SQLiteURI(t))
	fillForBackup(t, src)
	whole := filepath.Join(dir, "whole.gz")
	src.ok("db", "dump", whole)
	b, _ := os.ReadFile(whole)
	cut := filepath.Join(dir, "cut.gz")
	if err := os.WriteFile(cut, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	c.fails(1, "damaged", "db", "restore", cut, "-q")
	if out := c.ok("user", "list"); out != "" {
		t.Fatalf("a refused restore left users: %q", out)
	}
}

// TestUserExportCommand: pamps user export NAME prints the member's
// document, the same GET /user/me/export/ gives them.
func TestUserExportCommand(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	fillForBackup(t, c)
	doc := decode[map[string]any](t, c.ok("user", "export", "bob"))
	for _, k := range []string{"user", "posts", "following", "followers", "likes", "blocks", "mutes", "notifications"} {
		if _, ok := doc[k]; !ok {
			t.Fatalf("no %q in %v", k, doc)
		}
	}
	if u := doc["user"].(map[string]any); u["email"] != "bob@example.com" || len(doc["posts"].([]any)) != 1 || len(doc["following"].([]any)) != 1 {
		t.Fatalf("bob's export: %v", doc)
	}
	c.fails(1, `User "nobody" not found`, "user", "export", "nobody")
}
