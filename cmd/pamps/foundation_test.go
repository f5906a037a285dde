package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/store/storetest"
)

func TestVersion(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	out := c.ok("version")
	if !strings.HasPrefix(out, "pamps ") || !strings.Contains(out, runtime.Version()) || !strings.Contains(out, "commit ") {
		t.Fatalf("version: %q", out)
	}
	if flag := c.ok("--version"); flag != out {
		t.Errorf("pamps --version printed %q, pamps version %q", flag, out)
	}
	v := decode[map[string]string](t, c.ok("version", "-o", "json"))
	if v["go"] != runtime.Version() || v["version"] == "" || v["commit"] == "" {
		t.Fatalf("version json: %v", v)
	}
}

func TestHelpListsGroups(t *testing.T) {
	out := newCLI(t, storetest.SQLiteURI(t)).ok("--help")
	for _, g := range []string{"Users:", "Posts:", "Database:", "Setup:", "db ", "config ", "version "} {
		if !strings.Contains(out, g) {
			t.Errorf("help lacks %q", g)
		}
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.fails(2, "Unknown command", "frobnicate")
	c.fails(2, "Unknown flag", "db", "status", "--frob")
	c.fails(2, "Invalid --output", "config", "show", "-o", "yaml")
	c.fails(2, `Unknown command "extra" for "pamps db migrate"`, "db", "migrate", "extra")
}

func TestConfigShow(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.environ = append(c.environ, "PAMPS_SECURITY__SECRET_KEY=do-not-print-me", "PAMPS_SERVER__PORT=9001")
	if err := os.WriteFile(filepath.Join(c.dir, "settings.toml"), []byte("[development.posts]\nmax_length = 140\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	plain := c.ok("config", "show")
	for _, line := range []string{
		"server.port\t9001\tenv PAMPS_SERVER__PORT",
		"posts.max_length\t140\tsettings.toml [development]",
		"security.secret_key\t********\tenv PAMPS_SECURITY__SECRET_KEY",
		"security.access_token_expire_minutes\t30\tdefault.toml [default]",
	} {
		if !strings.Contains(plain, line+"\n") {
			t.Errorf("config show lacks %q:\n%s", line, plain)
		}
	}
	if strings.Contains(plain, "do-not-print-me") {
		t.Fatal("config show printed the secret")
	}
	js := decode[struct {
		Env      string
		Settings []struct {
			Key    string
			Value  any
			Source string
		}
	}](t, c.ok("config", "show", "-o", "json", "--env", "testing"))
	if js.Env != "testing" || len(js.Settings) != len(config.Keys()) {
		t.Fatalf("json: %+v", js)
	}
}

func TestBadConfigIsOneClearLine(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.environ = append(c.environ, "PAMPS_SERVER__PORT=eighty")
	r := c.fails(1, "env PAMPS_SERVER__PORT: server.port: expected an integer", "config", "show")
	if r.out != "" {
		t.Fatalf("printed output despite the error: %q", r.out)
	}
	c = newCLI(t, storetest.SQLiteURI(t))
	c.fails(1, "missing.toml", "--config", filepath.Join(t.TempDir(), "missing.toml"), "config", "show")
	c.fails(1, "db.uri", "--db", "mysql://nope", "db", "status")

	c = newCLI(t, storetest.SQLiteURI(t))
	c.environ = append(c.environ, "PAMPS_DB__URL=x")
	r = c.run("", "config", "show")
	if r.code != 0 || !strings.Contains(r.err, "Warning: env PAMPS_DB__URL: unknown key db.url (did you mean db.uri?)") {
		t.Fatalf("unknown key: %d %q", r.code, r.err)
	}
}

func TestDBFlagOverridesConfig(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	other := storetest.SQLiteURI(t)
	c.ok("--db", other, "create-user", "x@example.com", "x", "password1")
	if out := c.ok("--db", other, "user", "list"); !strings.HasPrefix(out, "1\tx\t") {
		t.Fatalf("--db database: %q", out)
	}
	c.fails(1, "No database at", "user", "list") // the configured one was not made
	if out := c.ok("--db", other, "config", "show"); !strings.Contains(out, "db.uri\t"+other+"\tflag --db\n") {
		t.Fatalf("config show with --db: %q", out)
	}
}

// TestProductionRefusesDevelopmentSecret: in production the commands that
// make tokens refuse a weak secret; the database's own commands (a
// migration Job, which holds no secret) do not need one.
func TestProductionRefusesDevelopmentSecret(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.ok("db", "migrate")
	c.addUser("ann")
	c.fails(1, "development secret", "--env", "production", "token", "ann")
	c.fails(1, "development secret", "--env", "production", "serve", "--port", "0")
	c.ok("--env", "production", "db", "status")
}

func TestDBMigrateStatusReset(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		if path, ok := strings.CutPrefix(c.uri, "sqlite:"); ok { // db status reads: it makes no file
			c.fails(1, "No database at "+path, "db", "status")
			if err := os.WriteFile(path, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if out := c.ok("db", "status"); !strings.Contains(out, "\tpending\t") {
			t.Fatalf("status before: %q", out)
		}
		if out := c.ok("db", "migrate"); !strings.Contains(out, "applied ") {
			t.Fatalf("migrate: %q", out)
		}
		if out := c.ok("db", "migrate"); !strings.Contains(out, "is up to date") {
			t.Fatalf("migrate again: %q", out)
		}
		st := decode[struct {
			Pending    int
			Migrations []struct{ Applied bool }
		}](t, c.ok("db", "status", "-o", "json"))
		if st.Pending != 0 || len(st.Migrations) == 0 {
			t.Fatalf("status json: %+v", st)
		}
		c.fails(2, "pass --force", "db", "reset")
		c.ok("db", "reset", "--force")
		c.ok("reset-db", "-f")
	})
}

func TestDBShellWithoutClient(t *testing.T) {
	c := newCLI(t, storetest.SQLiteURI(t))
	c.environ = append(c.environ, "PATH="+t.TempDir())
	c.fails(1, "sqlite3 is not installed (apt-get install sqlite3)", "db", "shell")
}

// TestServeHelpNamesItsSettings: the SSH server and the metrics listener
// are turned on by settings, which serve --help names.
func TestServeHelpNamesItsSettings(t *testing.T) {
	out := newCLI(t, storetest.SQLiteURI(t)).ok("serve", "--help")
	for _, want := range []string{"server.ssh_port", "server.metrics_addr", "server.ssh_host_key", "server.host"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help does not name %s:\n%s", want, out)
		}
	}
}

// TestConfigShowNamesTheDefaultDatabase: with db.uri empty, config show
// says which database is used (the embedded SQLite file), not "".
func TestConfigShowNamesTheDefaultDatabase(t *testing.T) {
	c := newCLI(t, "")
	data := t.TempDir()
	c.environ = []string{"HOME=" + t.TempDir(), "XDG_DATA_HOME=" + data}
	want := "db.uri\tsqlite:" + filepath.Join(data, "pamps", "pamps.db") + "\tbuilt-in: empty db.uri is the embedded SQLite file\n"
	if plain := c.ok("config", "show"); !strings.Contains(plain, want) {
		t.Errorf("config show lacks %q:\n%s", want, plain)
	}
}
