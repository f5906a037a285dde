package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pamps/pamps"
	"github.com/pamps/pamps/config"
)

// FuzzLoad: any settings.toml and any PAMPS_ variable load or fail with a
// *config.Error, never a panic.
func FuzzLoad(f *testing.F) {
	f.Add("[default.server]\nport = 9000\n", "PAMPS_DB__URI=sqlite:/tmp/x.db")
	f.Add("[development.security]\nlogin_rate_limit = \"5/15m\"\n", "PAMPS_SERVER__SHUTDOWN_TIMEOUT=30")
	f.Add("[default]\nx = 1\n[default.db]\nmax_open_conns = -1\n", "PAMPS_SERVER__CORS_ORIGINS=a,b")
	f.Add("not toml [", "PAMPS_SECURITY__BCRYPT_COST=99")
	f.Add("[production.security]\nsecret_key = \"short\"\n", "PAMPS_ENV=production")
	f.Add("[default.server]\nport = 99999999999999999999\n", "PAMPS_POSTS__MAX_LENGTH=[1,2]")
	f.Fuzz(func(t *testing.T, settings, env string) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "settings.toml"), []byte(settings), 0o600); err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Load(config.Options{Defaults: pamps.DefaultTOML, Dir: dir, Environ: []string{env}})
		if err != nil {
			var ce *config.Error
			if !errors.As(err, &ce) {
				t.Fatalf("not a config.Error: %T %v", err, err)
			}
			return
		}
		if cfg.Server.Port < 0 || cfg.Server.Port > 65535 || cfg.Security.BcryptCost < 4 || cfg.Posts.MaxLength < 1 {
			t.Fatalf("accepted out-of-range values: %+v", cfg)
		}
	})
}
