// Package config loads Pamps settings in layers, the way the original Python
// Pamps did with dynaconf: shipped defaults, settings.toml, .secrets.toml,
// PAMPS_* environment variables and flags, later layers winning.
package config

import (
	"path/filepath"
	"time"
)

// DevelopmentSecret is the secret shipped for development; production refuses it.
const DevelopmentSecret = "ONLYFORDEVELOPMENT"

// Config is the effective configuration. Field tags name the TOML keys.
type Config struct {
	// Env is the environment table in use (development, testing, production...).
	Env      string   `toml:"-"`
	DB       DB       `toml:"db"`
	Security Security `toml:"security"`
	Server   Server   `toml:"server"`
	Posts    Posts    `toml:"posts"`
	// Notifications configures notifications (docs/API.md §3c).
	Notifications Notifications `toml:"notifications"`
	// Registration says who may sign up (docs/API.md §3d).
	Registration Registration `toml:"registration"`

	// sources maps "section.key" to the layer that set it, for `config show`.
	sources map[string]string
	// environ is the environment Load read (Options.Environ), for the
	// default database's path.
	environ map[string]string
	// Warnings are non-fatal findings such as unknown keys.
	Warnings []string `toml:"-"`
}

// DB configures the database connection.
type DB struct {
	URI          string `toml:"uri"`
	Echo         bool   `toml:"echo"`
	AutoMigrate  bool   `toml:"auto_migrate"`
	MaxOpenConns int    `toml:"max_open_conns"`
	// ReadURIs are PostgreSQL standbys for anonymous reads; ReplicaMaxLag
	// is how far behind one may be and still serve them.
	ReadURIs      []string      `toml:"read_uris"`
	ReplicaMaxLag time.Duration `toml:"replica_max_lag"`
}

// Security configures tokens, passwords and login limits.
type Security struct {
	SecretKey                 string    `toml:"secret_key" secret:"true"`
	Algorithm                 string    `toml:"algorithm"`
	AccessTokenExpireMinutes  int       `toml:"access_token_expire_minutes"`
	RefreshTokenExpireMinutes int       `toml:"refresh_token_expire_minutes"`
	PasswordMinLength         int       `toml:"password_min_length"`
	BcryptCost                int       `toml:"bcrypt_cost"`
	LoginRateLimit            RateLimit `toml:"login_rate_limit"`
	SignupRateLimit           RateLimit `toml:"signup_rate_limit"`
	PostRateLimit             RateLimit `toml:"post_rate_limit"`
	ReportRateLimit           RateLimit `toml:"report_rate_limit"`
	AcceptLegacyTokens        bool      `toml:"accept_legacy_tokens"`
}

// Server configures `pamps serve`.
type Server struct {
	Host                  string        `toml:"host"`
	Port                  int           `toml:"port"`
	MaxBodyBytes          int64         `toml:"max_body_bytes"`
	ShutdownTimeout       time.Duration `toml:"shutdown_timeout"`
	CORSOrigins           []string      `toml:"cors_origins"`
	PublicURL             string        `toml:"public_url"`
	MaxConnsPerClient     int           `toml:"max_conns_per_client"`
	TrustedProxies        []string      `toml:"trusted_proxies"`
	StreamReplay          time.Duration `toml:"stream_replay"`
	StreamBuffer          int           `toml:"stream_buffer"`
	MaxStreams            int           `toml:"max_streams"`
	MaxStreamsPerUser     int           `toml:"max_streams_per_user"`
	SSHPort               int           `toml:"ssh_port"`
	SSHHostKey            string        `toml:"ssh_host_key"`
	SSHMaxSessions        int           `toml:"ssh_max_sessions"`
	SSHMaxSessionsPerUser int           `toml:"ssh_max_sessions_per_user"`
	SSHIdleTimeout        time.Duration `toml:"ssh_idle_timeout"`
	SSHLoginTimeout       time.Duration `toml:"ssh_login_timeout"`
	SSHMaxStartups        int           `toml:"ssh_max_startups"`
	MetricsAddr           string        `toml:"metrics_addr"`
}

// SSHHostKeyPath is server.ssh_host_key, or ssh_host_ed25519 beside the
// embedded database (generated on first use).
func (c *Config) SSHHostKeyPath() string {
	if c.Server.SSHHostKey != "" {
		return c.Server.SSHHostKey
	}
	return filepath.Join(filepath.Dir(DefaultDatabasePath(func(k string) string { return c.environ[k] })), "ssh_host_ed25519")
}

// Posts configures post rules.
type Posts struct {
	MaxLength int `toml:"max_length"`
}

// Notifications configures notifications.
type Notifications struct {
	// KeepDays is how long a notification is kept before it is pruned.
	KeepDays int `toml:"keep_days"`
}

// Registration configures sign-ups.
type Registration struct {
	// Mode is open, approval, invite or closed.
	Mode string `toml:"mode"`
}

// RegistrationModes are registration.mode's values.
var RegistrationModes = []string{"open", "approval", "invite", "closed"}

// Source reports which layer set key ("db.uri"), or "" when unknown.
func (c *Config) Source(key string) string { return c.sources[key] }

// DatabaseURI is db.uri, or the embedded SQLite file when db.uri is empty.
func (c *Config) DatabaseURI() string {
	if c.DB.URI != "" {
		return c.DB.URI
	}
	return "sqlite:" + DefaultDatabasePath(func(k string) string { return c.environ[k] })
}

// DefaultDatabasePath is $XDG_DATA_HOME/pamps/pamps.db, else
// ~/.local/share/pamps/pamps.db, from the environment getenv reads (the one
// Load was given, never the process's own). With neither set it is
// pamps.db in the working directory.
func DefaultDatabasePath(getenv func(string) string) string {
	dir := getenv("XDG_DATA_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return "pamps.db"
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "pamps", "pamps.db")
}
