package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
	gossh "golang.org/x/crypto/ssh"
)

// openStore opens the CLI's database for a test to reach behind the CLI.
func (c *cli) openStore() *store.Store {
	c.t.Helper()
	return storetest.Open(c.t, c.uri, store.Options{})
}

// hostile is stored text an adopted database may hold: an OSC 52 clipboard
// write, a screen clear, a window title, a C1 CSI and a bidi override.
const hostile = "hi \x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x1b]0;pwned\x07\u009b31m evil\u202etxt.exe"

// TestStoredControlCharactersReachNoTerminal: every human-facing output
// shows stored control characters escaped (they reached the terminal raw
// from post list, user list and post show).
func TestStoredControlCharactersReachNoTerminal(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		c.addUser("ann")
		c.ok("post", "create", "--as", "ann", "hello")
		c.ok("post", "reply", "1", "--as", "ann", "hello again")
		st := c.openStore()
		for _, q := range []string{`UPDATE post SET text = ?`, `UPDATE "user" SET bio = ?`} {
			if _, err := st.DB().Exec(q, hostile); err != nil {
				t.Fatal(err)
			}
		}
		for _, args := range [][]string{{"post", "list"}, {"post", "list", "--replies"}, {"user", "list"}, {"user", "show", "ann"},
			{"post", "show", "1"}, {"timeline", "ann"}, {"likes", "ann"}} {
			for _, format := range []string{"plain", "table"} {
				out := c.ok(append(args, "-o", format, "--no-color")...)
				if strings.ContainsAny(out, "\x1b\x07\u009b\u202e") {
					t.Errorf("pamps %s -o %s printed a control character: %q", strings.Join(args, " "), format, out)
				}
			}
		}
		// The operator's desk reads text a restored archive may hold too.
		c.ok("invite", "create")
		ann, _ := st.UserByName(context.Background(), "ann")
		c.addUser("bob")
		bob, _ := st.UserByName(context.Background(), "bob")
		if _, err := st.CreateReport(context.Background(), bob.ID, store.NewReport{UserID: &ann.ID, Reason: "spam"}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`UPDATE invite SET code = ?`, `UPDATE report SET comment = ?`,
			`INSERT INTO audit (date, actor, action, target, reason) VALUES (CURRENT_TIMESTAMP, 'x', ?, 'y', 'z')`} {
			if _, err := st.DB().Exec(q, hostile); err != nil {
				t.Fatal(err)
			}
		}
		for _, args := range [][]string{{"invite", "list"}, {"audit"}, {"report", "list"}, {"report", "show", "1"}} {
			for _, format := range []string{"plain", "table"} {
				out := c.ok(append(args, "-o", format, "--no-color")...)
				if strings.ContainsAny(out, "\x1b\x07\u009b\u202e") {
					t.Errorf("pamps %s -o %s printed a control character: %q", strings.Join(args, " "), format, out)
				}
			}
		}
		if out := c.ok("post", "show", "1", "-o", "plain"); !strings.Contains(out, `\x1b]52;c;`) {
			t.Errorf("the escaped text is not shown: %q", out)
		}
		// JSON is for programs: the API's shapes, the text as stored, escaped by JSON itself.
		if out := c.ok("post", "list", "-o", "json"); strings.ContainsRune(out, 0x1b) || !strings.Contains(out, `\u001b]52`) {
			t.Errorf("json: %q", out)
		}
	})
}

// TestAdoptionReportsControlCharacters: migrating a database that holds
// such text says which rows do.
func TestAdoptionReportsControlCharacters(t *testing.T) {
	uri := storetest.PostgresURI(t)
	st := storetest.Open(t, uri, store.Options{})
	for _, q := range []string{
		`CREATE TABLE "user" (id SERIAL PRIMARY KEY, email VARCHAR NOT NULL UNIQUE, username VARCHAR NOT NULL UNIQUE, avatar VARCHAR, bio VARCHAR, password VARCHAR NOT NULL)`,
		`CREATE TABLE post (id SERIAL PRIMARY KEY, text VARCHAR NOT NULL, date TIMESTAMP NOT NULL, user_id INTEGER REFERENCES "user" (id), parent_id INTEGER REFERENCES post (id))`,
		`INSERT INTO "user" (email, username, password) VALUES ('a@example.com', 'ann', 'x'), ('b@example.com', 'bob', 'x')`,
		`INSERT INTO post (text, date, user_id) VALUES ('fine', now(), 1), ('fine too', now(), 2)`,
	} {
		if _, err := st.DB().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.DB().Exec(`INSERT INTO post (text, date, user_id) VALUES (?, now(), 2)`, hostile); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE "user" SET bio = ? WHERE id = 2`, "\x1b[2J"); err != nil {
		t.Fatal(err)
	}
	c := newCLI(t, uri)
	r := c.run("", "db", "migrate")
	if r.code != 0 || !strings.Contains(r.err, "Warning: stored text holds control characters") ||
		!strings.Contains(r.err, "1 user(s) (ids 2)") || !strings.Contains(r.err, "1 post(s) (ids 3)") {
		t.Fatalf("db migrate: %d %q %q", r.code, r.out, r.err)
	}
}

// TestPostShowOfADeepThreadIsBounded: indentation stops at a fixed depth,
// so a chain 1,100 deep prints in proportion to its posts (it drew 20 MB).
func TestPostShowOfADeepThreadIsBounded(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.addUser("ann")
	c.ok("post", "create", "--as", "ann", "root")
	st := c.openStore()
	ann, _ := st.UserByName(context.Background(), "ann")
	parent := int64(1)
	err := st.InTx(context.Background(), func(ctx context.Context, tx *store.Store) error {
		for range 1100 {
			p, err := tx.CreatePost(ctx, ann.ID, "deeper and deeper", &parent)
			if err != nil {
				return err
			}
			parent = p.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"table", "plain"} {
		out := c.ok("post", "show", "1", "-o", format, "--no-color")
		if len(out) > 600<<10 {
			t.Errorf("-o %s: %d KB for 1,101 posts", format, len(out)>>10)
		}
		if !strings.Contains(out, "1101") || (format == "table" && !strings.Contains(out, "depth 1100")) {
			t.Errorf("-o %s: the deepest reply is missing or unmarked", format)
		}
	}
}

// TestUserLogoutCommand: `pamps user logout` revokes every token of a user.
func TestUserLogoutCommand(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		c.addUser("ann")
		token := strings.TrimSpace(c.ok("token", "ann"))
		cfg, err := (&App{Environ: c.environ, Dir: c.dir}).Config()
		if err != nil {
			t.Fatal(err)
		}
		v, err := tokens(cfg).Parse(token, "access_token")
		if err != nil {
			t.Fatal(err)
		}
		st := c.openStore()
		if _, err := st.UserByCredential(context.Background(), v.Credential); err != nil {
			t.Fatalf("before logout: %v", err)
		}
		if out := c.ok("user", "logout", "ann"); !strings.Contains(out, "signed out ann everywhere") {
			t.Fatalf("logout said %q", out)
		}
		if _, err := st.UserByCredential(context.Background(), v.Credential); !errors.Is(err, store.ErrNotSignedIn) {
			t.Fatalf("after logout: %v", err)
		}
		c.fails(1, `User "nobody" not found`, "user", "logout", "nobody")
	})
}

// TestPasswordsInURIsAreHidden: config show and the serve log hide every
// password-bearing part of db.uri (?password= was shown, and a URI without
// user info was not redacted at all).
func TestPasswordsInURIsAreHidden(t *testing.T) {
	for _, uri := range []string{"postgresql://db.invalid/pamps?password=s3cr3t&connect_timeout=1", "postgresql://u:s3cr3t@db.invalid/pamps?connect_timeout=1"} {
		c := newCLI(t, uri)
		for _, args := range [][]string{{"config", "show"}, {"config", "show", "-o", "json"}} {
			r := c.run("", args...)
			if strings.Contains(r.out+r.err, "s3cr3t") {
				t.Errorf("%s with %s: %s %s", strings.Join(args, " "), uri, r.out, r.err)
			}
		}
		if r := c.run("", "user", "list"); strings.Contains(r.out+r.err, "s3cr3t") || r.code == 0 {
			t.Errorf("an unreachable database's error shows the password: %d %s", r.code, r.err)
		}
	}
}

// TestSignOutSaysWhichKeysRemain: a password change or a sign-out
// everywhere revokes tokens, not SSH keys; the CLI lists the keys that
// still sign in, and --remove-keys removes them.
func TestSignOutSaysWhichKeysRemain(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		c.addUser("ann")
		st := c.openStore()
		ann, err := st.UserByName(context.Background(), "ann")
		if err != nil {
			t.Fatal(err)
		}
		k, err := st.AddSSHKey(context.Background(), ann.ID, testPublicKey(t))
		if err != nil {
			t.Fatal(err)
		}
		out := c.ok("user", "logout", "ann")
		if !strings.Contains(out, "1 SSH key(s) still sign ann in") || !strings.Contains(out, k.Fingerprint) || !strings.Contains(out, "--remove-keys") {
			t.Fatalf("logout said %q", out)
		}
		out = c.ok("user", "logout", "ann", "--remove-keys")
		if !strings.Contains(out, "removed 1 SSH key(s) of ann") {
			t.Fatalf("logout --remove-keys said %q", out)
		}
		if keys, _ := st.SSHKeys(context.Background(), ann.ID); len(keys) != 0 {
			t.Fatalf("%d keys left", len(keys))
		}
		if out := c.ok("user", "logout", "ann"); strings.Contains(out, "SSH key") {
			t.Fatalf("no keys left, yet logout said %q", out)
		}
	})
}

// testPublicKey is a new ed25519 key's authorized_keys line.
func testPublicKey(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	k, err := gossh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(gossh.MarshalAuthorizedKey(k))
}
