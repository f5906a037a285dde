package config_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps"
	"github.com/pamps/pamps/config"
)

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t *testing.T, dir string, environ []string, overrides ...config.Override) (*config.Config, error) {
	t.Helper()
	return config.Load(config.Options{Defaults: pamps.DefaultTOML, Dir: dir, Environ: environ, Overrides: overrides})
}

func TestEmbeddedDefaultsAlone(t *testing.T) {
	cfg, err := load(t, t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Env != "development" || cfg.Server.Port != 8000 || cfg.Posts.MaxLength != 280 ||
		cfg.Security.AccessTokenExpireMinutes != 30 || cfg.Security.RefreshTokenExpireMinutes != 600 ||
		cfg.Security.BcryptCost != 12 || cfg.Server.ShutdownTimeout != 10*time.Second || !cfg.DB.AutoMigrate {
		t.Fatalf("unexpected defaults: %+v", cfg)
	}
	if got := cfg.Source("server.port"); got != "default.toml [default]" {
		t.Fatalf("source of server.port = %q", got)
	}
	if !cfg.Security.LoginRateLimit.Enabled() {
		t.Fatal("login rate limit should be on by default")
	}
}

func TestLayersLaterWins(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "settings.toml", "[default.server]\nport = 9000\nhost = \"0.0.0.0\"\n[testing.server]\nport = 9100\n[development.posts]\nmax_length = 10\n")
	write(t, dir, ".secrets.toml", "[testing.security]\nsecret_key = \"from-secrets\"\n")
	environ := []string{"PAMPS_ENV=testing", "PAMPS_SECURITY__ACCESS_TOKEN_EXPIRE_MINUTES=5", "PAMPS_db__uri=sqlite:/tmp/x.db"}
	cfg, err := load(t, dir, environ, config.Override{Key: "server.host", Value: "127.0.0.2", Source: "flag --host"})
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		key, source string
		ok          bool
	}{
		{"server.port", "settings.toml [testing]", cfg.Server.Port == 9100},
		{"server.host", "flag --host", cfg.Server.Host == "127.0.0.2"},
		{"security.secret_key", ".secrets.toml [testing]", cfg.Security.SecretKey == "from-secrets"},
		{"security.access_token_expire_minutes", "env PAMPS_SECURITY__ACCESS_TOKEN_EXPIRE_MINUTES", cfg.Security.AccessTokenExpireMinutes == 5},
		{"db.uri", "env PAMPS_db__uri", cfg.DB.URI == "sqlite:/tmp/x.db"},
		{"posts.max_length", "default.toml [default]", cfg.Posts.MaxLength == 280}, // [development] not active
	}
	for _, c := range checks {
		if !c.ok || cfg.Source(c.key) != c.source {
			t.Errorf("%s: ok=%v source=%q, want %q", c.key, c.ok, cfg.Source(c.key), c.source)
		}
	}
}

func TestEnvStringKeepsText(t *testing.T) {
	cfg, err := load(t, t.TempDir(), []string{"PAMPS_SECURITY__SECRET_KEY=12345"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Security.SecretKey != "12345" {
		t.Fatalf("secret = %q", cfg.Security.SecretKey)
	}
}

func TestConfigFileFlagAndSecretsBeside(t *testing.T) {
	dir := t.TempDir()
	f := write(t, dir, "site.toml", "[default.server]\nport = 7000\n")
	write(t, dir, ".secrets.toml", "[default.security]\nsecret_key = \"beside\"\n")
	cfg, err := config.Load(config.Options{Defaults: pamps.DefaultTOML, Dir: t.TempDir(), ConfigFile: f})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.Port != 7000 || cfg.Security.SecretKey != "beside" {
		t.Fatalf("port=%d secret=%q", cfg.Server.Port, cfg.Security.SecretKey)
	}
	_, err = config.Load(config.Options{Defaults: pamps.DefaultTOML, ConfigFile: filepath.Join(dir, "missing.toml")})
	if err == nil || !strings.Contains(err.Error(), "missing.toml") {
		t.Fatalf("missing --config file: err = %v", err)
	}
}

func TestBadValuesNameFileKeyAndExpectation(t *testing.T) {
	cases := []struct {
		name, settings string
		environ        []string
		want           []string
	}{
		{"wrong type in file", "[default.server]\nport = \"eighty\"\n", nil,
			[]string{"settings.toml [default]", "server.port", "expected an integer", `"eighty"`}},
		{"wrong type in env", "", []string{"PAMPS_DB__MAX_OPEN_CONNS=lots"},
			[]string{"env PAMPS_DB__MAX_OPEN_CONNS", "db.max_open_conns", "expected an integer"}},
		{"bad duration", "[default.server]\nshutdown_timeout = \"soon\"\n", nil,
			[]string{"server.shutdown_timeout", "duration"}},
		{"bad algorithm", "[default.security]\nalgorithm = \"RS256\"\n", nil,
			[]string{"security.algorithm", "only HS256"}},
		{"bad uri", "[default.db]\nuri = \"mysql://x\"\n", nil, []string{"db.uri", "postgresql://"}},
		{"broken toml", "[default.server\nport=1\n", nil, []string{"settings.toml", "line 1"}},
		{"bad rate limit", "[default.security]\nlogin_rate_limit = \"lots\"\n", nil, []string{"security.login_rate_limit"}},
		{"replicas of SQLite", "", []string{"PAMPS_DB__READ_URIS=postgres://r@standby/pamps"},
			[]string{"db.read_uris", "PostgreSQL primary"}},
		{"replica not PostgreSQL", "", []string{"PAMPS_DB__URI=postgres://p@primary/pamps", "PAMPS_DB__READ_URIS=sqlite:/tmp/x.db"},
			[]string{"db.read_uris", "postgresql://"}},
		{"no lag allowed", "[default.db]\nreplica_max_lag = \"0s\"\n", nil, []string{"db.replica_max_lag", "positive"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if c.settings != "" {
				write(t, dir, "settings.toml", c.settings)
			}
			_, err := load(t, dir, c.environ)
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("want *config.Error, got %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestUnknownKeyWarnsWithSuggestion(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "settings.toml", "[default.db]\nurl = \"sqlite:x\"\n[default.secruity]\nsecret_key = \"x\"\n")
	cfg, err := load(t, dir, []string{"PAMPS_SERVER__PROT=1"})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(cfg.Warnings, "\n")
	for _, w := range []string{"did you mean db.uri?", "unknown key secruity.secret_key (did you mean security.secret_key?)", "env PAMPS_SERVER__PROT: unknown key server.prot (did you mean server.port?)"} {
		if !strings.Contains(all, w) {
			t.Errorf("warnings %q lack %q", all, w)
		}
	}
}

func TestProductionRefusesWeakSecrets(t *testing.T) {
	dir := t.TempDir()
	// The secret is checked where tokens are made or read (serve, token):
	// a migration Job needs none.
	check := func(env ...string) error {
		t.Helper()
		cfg, err := load(t, dir, env)
		if err != nil {
			t.Fatalf("%v: %v", env, err)
		}
		return cfg.CheckSecret()
	}
	err := check("PAMPS_ENV=production")
	if err == nil || !strings.Contains(err.Error(), "development secret") {
		t.Fatalf("dev secret in production: %v", err)
	}
	err = check("PAMPS_ENV=production", "PAMPS_SECURITY__SECRET_KEY=short")
	if err == nil || !strings.Contains(err.Error(), "at least 32 bytes") {
		t.Fatalf("short secret in production: %v", err)
	}
	if err := check("PAMPS_SECURITY__SECRET_KEY=short"); err != nil {
		t.Fatalf("outside production: %v", err)
	}
	// The shipped Kubernetes placeholder is 32 bytes: it passed.
	for key, why := range map[string]string{
		"REPLACE-with-openssl-rand-hex-32":    "placeholder",
		strings.Repeat("k", 32):               "low variety",
		strings.Repeat("0123456789abcdef", 2): "low variety",
		"changeme-changeme-changeme-12345":    "placeholder",
	} {
		err = check("PAMPS_ENV=production", "PAMPS_SECURITY__SECRET_KEY="+key)
		if err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("secret %q in production: %v, want %q", key, err, why)
		}
	}
	cfg, err := load(t, dir, []string{"PAMPS_ENV=production", "PAMPS_SECURITY__SECRET_KEY=" + "3f9c1e7a5b2d4c8e9a0f6b1d7e3c5a2948f1b6d0c7e2a9f35b8d4e1c6a0f7b29"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.DB.AutoMigrate {
		t.Fatal("production should not auto-migrate by default")
	}
}

func TestEntriesMaskSecrets(t *testing.T) {
	cfg, err := load(t, t.TempDir(), []string{"PAMPS_DB__URI=postgresql://u:hunter2@h/db", "PAMPS_SECURITY__SECRET_KEY=topsecretvalue",
		"PAMPS_DB__READ_URIS=postgresql://u:hunter3@r1/db,postgresql://u:hunter4@r2/db"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cfg.Entries() {
		s := strings.ToLower(e.Key + " " + e.Source)
		if v := fmt.Sprint(e.Value); strings.Contains(v, "hunter") || strings.Contains(v, "topsecretvalue") {
			t.Fatalf("%s leaks a secret: %v", s, v)
		}
	}
	if len(cfg.Entries()) != len(config.Keys()) {
		t.Fatal("entries do not cover every key")
	}
}

func TestDefaultDatabasePath(t *testing.T) {
	env := map[string]string{"XDG_DATA_HOME": "/x", "HOME": "/home/u"}
	if got := config.DefaultDatabasePath(func(k string) string { return env[k] }); got != "/x/pamps/pamps.db" {
		t.Fatal(got)
	}
	delete(env, "XDG_DATA_HOME")
	if got := config.DefaultDatabasePath(func(k string) string { return env[k] }); got != "/home/u/.local/share/pamps/pamps.db" {
		t.Fatal(got)
	}
}

// TestUnknownEnvironmentIsAnError: PAMPS_ENV=prod and --env staging ran as
// development, with the development secret.
func TestUnknownEnvironmentIsAnError(t *testing.T) {
	for _, o := range []config.Options{{Environ: []string{"PAMPS_ENV=prod"}}, {Env: "staging"}} {
		o.Defaults = pamps.DefaultTOML
		o.Dir = t.TempDir()
		_, err := config.Load(o)
		if err == nil || !strings.Contains(err.Error(), "unknown environment") || !strings.Contains(err.Error(), "development, production, testing") {
			t.Errorf("%+v: %v", o, err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "settings.toml"), []byte("[staging.server]\nport = 9000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Defaults: pamps.DefaultTOML, Dir: dir, Env: "staging"})
	if err != nil || cfg.Server.Port != 9000 {
		t.Fatalf("an environment a settings file names: %v %+v", err, cfg)
	}
}

// TestTwoSpellingsOfOneKeyAreAnError: PAMPS_DB__uri and PAMPS_DB__URI both
// set: one silently won (a developer's database was replaced by a seed).
func TestTwoSpellingsOfOneKeyAreAnError(t *testing.T) {
	_, err := config.Load(config.Options{Defaults: pamps.DefaultTOML, Dir: t.TempDir(), Environ: []string{"PAMPS_DB__uri=sqlite:/a.db", "PAMPS_DB__URI=sqlite:/b.db"}})
	if err == nil || !strings.Contains(err.Error(), "PAMPS_DB__uri") || !strings.Contains(err.Error(), "PAMPS_DB__URI") {
		t.Fatalf("two spellings: %v", err)
	}
	cfg, err := config.Load(config.Options{Defaults: pamps.DefaultTOML, Dir: t.TempDir(), Environ: []string{"PAMPS_Db__Uri=sqlite:/c.db"}})
	if err != nil || cfg.DB.URI != "sqlite:/c.db" {
		t.Fatalf("any case: %v %v", err, cfg)
	}
}
