package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
)

// storeOf opens the CLI's database directly, to check state after a command.
func (c *cli) store() *store.Store {
	c.t.Helper()
	s, err := store.Open(context.Background(), store.Options{URI: c.uri})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { s.Close() })
	return s
}

func (c *cli) addUser(name string) {
	c.t.Helper()
	r := c.run("password1\n", "adduser", "--username", name, "--email", name+"@example.com", "--password-stdin")
	if r.code != 0 || r.out != "created user "+name+" (id "+r.out[len("created user "+name+" (id "):] {
		c.t.Fatalf("adduser %s: %d %q %q", name, r.code, r.out, r.err)
	}
}

func TestUserCommands(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		r := c.run("password1\n", "adduser", "--username", "ann", "--email", "ann@example.com", "--bio", "birds", "--password-stdin")
		if r.code != 0 || r.out != "created user ann (id 1)\n" {
			t.Fatalf("adduser: %d %q %q", r.code, r.out, r.err)
		}
		c.addUser("bob")
		c.ok("create-user", "cat@example.com", "cat", "password1") // the original's form
		st := c.store()
		if _, err := st.Login(context.Background(), "test", "ann", "password1"); err != nil {
			t.Fatalf("ann cannot log in: %v", err)
		}

		// bad input changes nothing and says why
		r = c.run("password1\n", "adduser", "--username", "ANN", "--email", "x@example.com", "--password-stdin")
		if r.code != 1 || r.err != "Error: Username already taken\n" {
			t.Fatalf("duplicate: %d %q", r.code, r.err)
		}
		c.fails(1, "Email must be a valid email address", "adduser", "--username", "dan", "--email", "nope", "--password-stdin")
		r = c.run("short\n", "adduser", "--username", "dan", "--email", "dan@example.com", "--password-stdin")
		if r.code != 1 || !strings.Contains(r.err, "Password must be at least 8 characters") {
			t.Fatalf("short password: %d %q", r.code, r.err)
		}
		c.fails(2, "--username is required when not on a terminal", "adduser", "--email", "e@example.com", "--password-stdin")
		c.fails(2, "--password-stdin", "adduser", "--username", "dan", "--email", "dan@example.com")

		if out := c.ok("user", "list"); out != "1\tann\t0\t0\tbirds\n2\tbob\t0\t0\t\n3\tcat\t0\t0\t\n" {
			t.Fatalf("user list: %q", out)
		}
		if out := c.ok("user-list", "--limit", "1"); out != "1\tann\t0\t0\tbirds\n" {
			t.Fatalf("user-list --limit 1: %q", out)
		}
		users := decode[[]map[string]any](t, c.ok("user", "list", "-o", "json", "--after", "1"))
		if len(users) != 2 || users[0]["username"] != "bob" || users[0]["email"] != nil || users[0]["followers"] != 0.0 {
			t.Fatalf("user list json: %v", users)
		}
		c.ok("user", "edit", "ann", "--avatar", "https://example.com/ann.png", "--bio", "")
		me := decode[map[string]any](t, c.ok("user", "show", "ann", "-o", "json"))
		if me["avatar"] != "https://example.com/ann.png" || me["bio"] != nil || me["email"] != "ann@example.com" {
			t.Fatalf("after edit: %v", me)
		}
		c.fails(1, "Email already registered", "user", "edit", "ann", "--email", "BOB@example.com")
		c.fails(2, "Nothing to change", "user", "edit", "ann")
		c.fails(1, `User "nobody" not found`, "user", "show", "nobody")

		r = c.run("n3w-password\n", "user", "passwd", "ann", "--password-stdin")
		if r.code != 0 {
			t.Fatalf("passwd: %q", r.err)
		}
		if _, err := st.Login(context.Background(), "test", "ann", "n3w-password"); err != nil {
			t.Fatalf("new password: %v", err)
		}
		c.fails(2, "pass --force", "user", "delete", "cat")
		if out := c.ok("user", "delete", "cat", "--force"); out != "deleted user cat (id 3)\n" {
			t.Fatalf("delete: %q", out)
		}
		if _, err := st.UserByName(context.Background(), "cat"); err == nil {
			t.Fatal("cat still exists")
		}
	})
}

func TestPostCommands(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		c.addUser("ann")
		c.addUser("bob")
		if out := c.ok("post", "create", "--as", "ann", "hello world"); out != "created post 1\n" {
			t.Fatalf("create: %q", out)
		}
		r := c.run("from stdin\n", "post", "create", "--as", "bob", "-")
		if r.code != 0 {
			t.Fatalf("create from stdin: %q", r.err)
		}
		reply := decode[map[string]any](t, c.ok("post", "reply", "1", "--as", "bob", "nice", "-o", "json"))
		if reply["parent_id"] != 1.0 || reply["username"] != "bob" || reply["text"] != "nice" {
			t.Fatalf("reply json: %v", reply)
		}
		c.ok("post", "reply", "3", "--as", "ann", "thanks")

		list := c.ok("post", "list")
		lines := strings.Split(strings.TrimSpace(list), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "2\tbob\t") || !strings.HasSuffix(lines[0], "\t-\tfrom stdin") ||
			!strings.HasPrefix(lines[1], "1\tann\t") || !strings.HasSuffix(lines[1], "\t0\t1\t-\thello world") {
			t.Fatalf("post list (newest first, top-level): %q", list)
		}
		posts := decode[[]map[string]any](t, c.ok("post", "list", "--user", "ann", "--replies", "-o", "json"))
		if len(posts) != 2 || posts[0]["text"] != "thanks" {
			t.Fatalf("ann's posts with replies: %v", posts)
		}
		if out := c.ok("post", "list", "--after", "1", "--replies", "--limit", "2"); !strings.HasPrefix(out, "2\t") || strings.Count(out, "\n") != 2 {
			t.Fatalf("--after: %q", out)
		}
		if out := c.ok("post", "list", "--before", "2"); !strings.HasPrefix(out, "1\t") || strings.Count(out, "\n") != 1 {
			t.Fatalf("--before: %q", out)
		}
		c.fails(2, "--before and --after go one at a time", "post", "list", "--before", "2", "--after", "1")

		tree := c.ok("post", "show", "1")
		if !strings.HasPrefix(tree, "1\tann\t") || !strings.Contains(tree, "\n  3\tbob\t") || !strings.Contains(tree, "\n    4\tann\t") {
			t.Fatalf("post show tree: %q", tree)
		}
		detail := decode[struct {
			ID      int64
			Replies []struct{ ID int64 }
		}](t, c.ok("post", "show", "1", "-o", "json"))
		if detail.ID != 1 || len(detail.Replies) != 1 || detail.Replies[0].ID != 3 {
			t.Fatalf("post show json: %+v", detail)
		}

		c.fails(1, "Post 999 not found", "post", "show", "999")
		c.fails(2, "Invalid post id", "post", "show", "abc")
		c.fails(1, "Parent post 999 not found", "post", "reply", "999", "--as", "ann", "x")
		c.fails(1, "Text must not be empty", "post", "create", "--as", "ann", "   ")
		c.fails(1, `User "nobody" not found`, "post", "create", "--as", "nobody", "x")
		c.fails(2, `Required flag(s) "as" not set`, "post", "create", "x")

		if out := c.ok("post", "edit", "1", "hello, world"); out != "updated post 1\n" {
			t.Fatalf("edit: %q", out)
		}
		c.ok("post", "delete", "1", "--force")
		st := c.store()
		for _, id := range []int64{1, 3, 4} {
			if _, err := st.GetPost(context.Background(), id, 0); err == nil {
				t.Fatalf("post %d survived its thread's deletion", id)
			}
		}
		c.fails(1, "Post 1 not found", "post", "delete", "1", "--force")
	})
}

func TestSocialCommands(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		c.addUser("ann")
		c.addUser("bob")
		c.ok("post", "create", "--as", "bob", "bob's post")
		if out := c.ok("follow", "--as", "ann", "bob"); out != "ann now follows bob\n" {
			t.Fatalf("follow: %q", out)
		}
		if out := c.ok("follow", "--as", "ann", "BOB"); out != "ann already follows bob\n" {
			t.Fatalf("follow again: %q", out)
		}
		c.fails(1, "You cannot follow yourself", "follow", "--as", "ann", "ann")
		c.fails(1, `User "nobody" not found`, "follow", "--as", "ann", "nobody")
		if out := c.ok("user", "followers", "bob"); !strings.HasPrefix(out, "1\tann\t") {
			t.Fatalf("followers: %q", out)
		}
		if out := c.ok("user", "following", "ann"); !strings.HasPrefix(out, "2\tbob\t") {
			t.Fatalf("following: %q", out)
		}
		if out := c.ok("timeline", "ann"); !strings.HasPrefix(out, "1\tbob\t") {
			t.Fatalf("timeline: %q", out)
		}
		if out := c.ok("like", "--as", "ann", "1"); out != "ann likes post 1\n" {
			t.Fatalf("like: %q", out)
		}
		c.ok("like", "--as", "ann", "1")
		c.fails(1, "Post 99 not found", "like", "--as", "ann", "99")
		liked := decode[[]map[string]any](t, c.ok("likes", "ann", "-o", "json"))
		if len(liked) != 1 || liked[0]["likes"] != 1.0 {
			t.Fatalf("likes: %v", liked)
		}
		c.ok("unlike", "--as", "ann", "1")
		c.ok("unfollow", "--as", "ann", "bob")
		if out := c.ok("timeline", "ann"); out != "" {
			t.Fatalf("timeline after unfollow: %q", out)
		}
		if out := c.ok("likes", "ann"); out != "" {
			t.Fatalf("likes after unlike: %q", out)
		}
		st := c.store()
		if n, _ := st.DB().NewSelect().Table("follow").Count(context.Background()); n != 0 {
			t.Fatalf("follow rows: %d", n)
		}
	})
}

func TestTokenCommand(t *testing.T) {
	c := newCLI(t, "sqlite:"+t.TempDir()+"/p.db")
	c.addUser("ann")
	out := strings.TrimSpace(c.ok("token", "ann"))
	cfg, err := (&App{Environ: c.environ, Dir: c.dir}).Config()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := tokens(cfg).Parse(out, "access_token"); err != nil || v.Username != "ann" || v.UserID == 0 {
		t.Fatalf("token: %v %+v", err, v)
	}
	c.fails(1, `User "nobody" not found`, "token", "nobody")
}

func TestStaleSchemaRefusedWithoutAutoMigrate(t *testing.T) {
	path := t.TempDir() + "/p.db"
	if err := os.WriteFile(path, nil, 0o600); err != nil { // an empty SQLite file: a database with no schema
		t.Fatal(err)
	}
	c := newCLI(t, "sqlite:"+path)
	c.environ = append(c.environ, "PAMPS_DB__AUTO_MIGRATE=false")
	status := decode[struct{ Pending int }](t, c.ok("db", "status", "-o", "json"))
	if status.Pending < 1 {
		t.Fatalf("a new database has %d pending migrations", status.Pending)
	}
	c.fails(1, fmt.Sprintf("Database schema is out of date: %d pending migration(s)", status.Pending), "user", "list")
	c.ok("db", "migrate")
	c.ok("user", "list")
}

func TestDatabaseUnreachable(t *testing.T) {
	c := newCLI(t, "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
	c.fails(1, "Cannot reach the database", "user", "list")
	c.fails(1, "Cannot reach the database", "db", "status")
}

func storetestRules() store.Options { return store.Options{Rules: store.Rules{BcryptCost: 4}} }

func storeOptions() store.Options { return store.Options{} }
