package main

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pamps/pamps/store/storetest"
)

// TestWrongPostgresDatabaseOrRoleSaysWhatToCreate: a database or a role
// that does not exist was an "internal error" for every command; the
// error names it and how to create it, as a refused connection already
// said what was wrong.
func TestWrongPostgresDatabaseOrRoleSaysWhatToCreate(t *testing.T) {
	base, err := url.Parse(storetest.PostgresURI(t))
	if err != nil {
		t.Fatal(err)
	}
	noDB := *base
	noDB.Path = "/no_such_database"
	noRole := *base
	noRole.User = url.User("no_such_role")
	for _, args := range [][]string{{"db", "migrate"}, {"user", "list"}, {"db", "status"}} {
		newCLI(t, noDB.String()).fails(1, `Cannot use the database: database "no_such_database" does not exist: create it`, args...)
		newCLI(t, noRole.String()).fails(1, `Cannot use the database: role "no_such_role" does not exist: create the role`, args...)
	}
}

// TestReadCommandsDoNotCreateADatabase: a read on a SQLite path with no
// file refuses, naming the path (it showed an empty network, made on the
// spot); db migrate creates it and says so.
func TestReadCommandsDoNotCreateADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo.db")
	c := newCLI(t, "sqlite:"+path)
	for _, args := range [][]string{{"user", "list"}, {"post", "list"}, {"db", "status"}, {"user", "show", "ann"}} {
		c.fails(1, "No database at "+path+": pamps db migrate creates it", args...)
	}
	r := c.run("", "db", "migrate")
	if r.code != 0 || !strings.Contains(r.err, "creating the database "+path) {
		t.Fatalf("db migrate: exit %d, stderr %q", r.code, r.err)
	}
	c.ok("user", "list")
}

// TestCommonSlipsGetAHint: the slips a newcomer makes get a message that
// says what to type instead.
func TestCommonSlipsGetAHint(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.ok("db", "migrate")
	for _, name := range []string{"ann", "bob"} {
		c.addUser(name)
	}
	c.fails(2, "did you mean: pamps follow --as ann bob?", "follow", "ann", "bob")
	c.fails(2, "did you mean: pamps like --as ann 1?", "like", "ann", "1")
	c.fails(2, "--before and --after go one at a time", "post", "list", "--before", "3", "--after", "1")
	c.ok("post", "create", "--as", "bob", "hello")
	if out := c.ok("unlike", "--as", "ann", "1"); !strings.Contains(out, "ann did not like post 1: nothing to undo") {
		t.Errorf("unlike of a post not liked: %q", out)
	}
	key := filepath.Join(t.TempDir(), "id_ed25519.pub")
	if err := os.WriteFile(key, []byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAusgJ61e68XCQzaR55Jej9J9RFbH4hK8s73PeZ6/Q+v ann@laptop\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c.ok("user", "key", "add", "ann", key)
	c.fails(1, "This key is already on ann's account", "user", "key", "add", "bob", key)
	r := c.run(strings.Repeat("x", 1<<20+10), "post", "create", "--as", "ann", "-")
	if r.code != 1 || !strings.Contains(r.err, "longer than 1048576 bytes") {
		t.Errorf("an over-long post on standard input: exit %d, %q", r.code, r.err)
	}
}

// TestPostShowOfAReplyShowsItsParent: a reply shows the post it answers
// above it, in a table and when piped; -o json is the API's PostDetail,
// whose parent_id names it.
func TestPostShowOfAReplyShowsItsParent(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.ok("db", "migrate")
	c.addUser("ann")
	c.ok("post", "create", "--as", "ann", "the question")
	c.ok("post", "reply", "1", "--as", "ann", "the answer")
	plain := c.ok("post", "show", "2")
	if !strings.HasPrefix(plain, "parent\t1\tann\tthe question\n") || !strings.Contains(plain, "the answer") {
		t.Errorf("post show of a reply, piped:\n%s", plain)
	}
	if root := c.ok("post", "show", "1"); strings.Contains(root, "parent") {
		t.Errorf("a top-level post shows a parent:\n%s", root)
	}
}

// TestTablesHaveNoEdgeToMisalign: terminals disagree on some emoji's width
// (tmux draws 👍🏽 in four columns where lipgloss counts two), and a post's
// text, the last column, pushed that row's right edge out of line: tables
// have no right edge, and the text stays last.
func TestTablesHaveNoEdgeToMisalign(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.ok("db", "migrate")
	c.addUser("ann")
	c.ok("post", "create", "--as", "ann", "👍🏽 thumbs 👩‍💻 coder")
	c.ok("post", "create", "--as", "ann", "plain")
	out := c.ok("post", "list", "-o", "table")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) < 4 {
		t.Fatalf("not a table:\n%s", out)
	}
	for _, line := range lines {
		if trimmed := strings.TrimRight(line, " "); strings.HasSuffix(trimmed, "│") || strings.HasSuffix(trimmed, "╮") || strings.HasSuffix(trimmed, "╯") {
			t.Errorf("a table line ends with an edge: %q", line)
		}
	}
	if header := lines[1]; !strings.HasSuffix(strings.TrimRight(header, " "), "TEXT") {
		t.Errorf("the text is not the last column: %q", header)
	}
}
