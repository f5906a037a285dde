package config

import (
	"fmt"
	"math"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/pamps/pamps/store/dburi"
)

// validate checks ranges and the production rules, naming the layer at fault.
func validate(c *Config) error {
	fail := func(key, msg string) error {
		src := c.sources[key]
		if src == "" {
			src = "default.toml"
		}
		return &Error{Source: src, Key: key, Msg: msg}
	}
	if u := c.DB.URI; u != "" {
		d, err := dburi.DialectOf(u) // the store's one list of schemes
		if err != nil {
			return fail("db.uri", err.Error())
		}
		if _, err := url.Parse(u); d == dburi.Postgres && err != nil {
			return fail("db.uri", "expected a postgresql:// URL: "+err.Error())
		}
	}
	if err := dburi.CheckReadURIs(c.DB.URI, c.DB.ReadURIs); err != nil {
		return fail("db.read_uris", err.Error())
	}
	if _, err := c.TrustedProxyPrefixes(); err != nil {
		return fail("server.trusted_proxies", err.Error())
	}
	if c.DB.ReplicaMaxLag <= 0 {
		return fail("db.replica_max_lag", fmt.Sprintf("expected a positive duration, got %s", c.DB.ReplicaMaxLag))
	}
	if c.DB.MaxOpenConns < 0 {
		return fail("db.max_open_conns", fmt.Sprintf("expected 0 (automatic) or more, got %d", c.DB.MaxOpenConns))
	}
	if !strings.EqualFold(c.Security.Algorithm, "HS256") {
		return fail("security.algorithm", fmt.Sprintf("only HS256 is supported, got %q", c.Security.Algorithm))
	}
	if c.Security.SecretKey == "" {
		return fail("security.secret_key", "must not be empty")
	}
	for _, k := range []struct {
		key string
		v   int
	}{
		{"security.access_token_expire_minutes", c.Security.AccessTokenExpireMinutes},
		{"security.refresh_token_expire_minutes", c.Security.RefreshTokenExpireMinutes},
		{"security.password_min_length", c.Security.PasswordMinLength},
		{"posts.max_length", c.Posts.MaxLength},
		{"notifications.keep_days", c.Notifications.KeepDays},
	} {
		if k.v < 1 {
			return fail(k.key, fmt.Sprintf("expected a positive integer, got %d", k.v))
		}
	}
	if !slices.Contains(RegistrationModes, c.Registration.Mode) {
		return fail("registration.mode", fmt.Sprintf("expected one of %s, got %q", strings.Join(RegistrationModes, ", "), c.Registration.Mode))
	}
	if c.Notifications.KeepDays > 36500 {
		return fail("notifications.keep_days", fmt.Sprintf("expected at most 36500 (a hundred years), got %d", c.Notifications.KeepDays))
	}
	if c.Security.PasswordMinLength > 72 {
		return fail("security.password_min_length", fmt.Sprintf("bcrypt reads at most 72 bytes, got %d", c.Security.PasswordMinLength))
	}
	if c.Security.BcryptCost < 4 || c.Security.BcryptCost > 31 {
		return fail("security.bcrypt_cost", fmt.Sprintf("expected 4..31, got %d", c.Security.BcryptCost))
	}
	if c.Server.Port < 0 || c.Server.Port > 65535 {
		return fail("server.port", fmt.Sprintf("expected 0..65535, got %d", c.Server.Port))
	}
	if c.Server.MaxBodyBytes < 1 {
		return fail("server.max_body_bytes", fmt.Sprintf("expected a positive size in bytes, got %d", c.Server.MaxBodyBytes))
	}
	if c.Server.MaxConnsPerClient < 0 {
		return fail("server.max_conns_per_client", fmt.Sprintf("expected 0 (no limit) or more, got %d", c.Server.MaxConnsPerClient))
	}
	if c.Server.StreamReplay < time.Second {
		return fail("server.stream_replay", fmt.Sprintf("expected a duration of 1s or more, such as \"10m\", got %s", c.Server.StreamReplay))
	}
	if c.Server.StreamBuffer < 1 {
		return fail("server.stream_buffer", fmt.Sprintf("expected 1 or more events, got %d", c.Server.StreamBuffer))
	}
	if c.Server.SSHPort < 0 || c.Server.SSHPort > 65535 {
		return fail("server.ssh_port", fmt.Sprintf("expected 0 (off) or a port up to 65535, got %d", c.Server.SSHPort))
	}
	if c.Server.SSHMaxSessions < 0 || c.Server.SSHMaxSessionsPerUser < 0 {
		return fail("server.ssh_max_sessions", "expected 0 (no limit) or more")
	}
	if c.Server.SSHLoginTimeout < 0 {
		return fail("server.ssh_login_timeout", fmt.Sprintf("expected 0 (none) or a duration, got %s", c.Server.SSHLoginTimeout))
	}
	if c.Server.SSHMaxStartups < 0 {
		return fail("server.ssh_max_startups", fmt.Sprintf("expected 0 (no limit) or more, got %d", c.Server.SSHMaxStartups))
	}
	if c.Server.SSHIdleTimeout < 0 {
		return fail("server.ssh_idle_timeout", fmt.Sprintf("expected 0 (none) or a duration, got %s", c.Server.SSHIdleTimeout))
	}
	if c.Server.MaxStreams < 0 {
		return fail("server.max_streams", fmt.Sprintf("expected 0 (no limit) or more, got %d", c.Server.MaxStreams))
	}
	if c.Server.MaxStreamsPerUser < 0 {
		return fail("server.max_streams_per_user", fmt.Sprintf("expected 0 (no limit) or more, got %d", c.Server.MaxStreamsPerUser))
	}
	if p := c.Server.PublicURL; p != "" {
		u, err := url.Parse(p)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return fail("server.public_url", fmt.Sprintf("expected an http(s) URL such as https://pamps.example.org, got %q", p))
		}
	}
	return nil
}

// CheckSecret refuses a weak security.secret_key in production, for the
// commands that sign or check tokens (serve, token); the others (db migrate
// in a Job) need no secret at all.
func (c *Config) CheckSecret() error {
	if c.Env == "production" {
		if weak := c.WeakSecret(); weak != "" {
			src := c.sources["security.secret_key"]
			if src == "" {
				src = "default.toml"
			}
			return &Error{Source: src, Key: "security.secret_key", Msg: weak + " is refused in production; " + SecretAdvice}
		}
	}
	return nil
}

// SecretAdvice says how to set a strong secret.
const SecretAdvice = "set PAMPS_SECURITY__SECRET_KEY to a random value of at least 32 bytes (openssl rand -hex 32)"

// WeakSecret names what makes security.secret_key one others could forge
// tokens with (the shipped development secret, or under 32 bytes), or
// returns "" when it is strong.
func (c *Config) WeakSecret() string {
	switch k := c.Security.SecretKey; {
	case k == DevelopmentSecret:
		return "the shipped development secret"
	case len(k) < 32:
		return fmt.Sprintf("a secret of %d bytes (at least 32 are needed)", len(k))
	case placeholder(k):
		return "a placeholder, not a secret"
	case periodic(k) || entropyBits(k) < minSecretBits:
		return fmt.Sprintf("a secret of low variety (about %.0f bits; at least %d are needed)", entropyBits(k), minSecretBits)
	}
	return ""
}

// minSecretBits is what a secret's characters must carry by their
// variety: `openssl rand -hex 16` gives about 115, a 32-byte word of one
// repeated letter none.
const minSecretBits = 100

// placeholders are words found in example and template values, which the
// shipped manifests' placeholder carries too: a Secret left unedited must
// not sign tokens.
var placeholders = []string{"replace", "changeme", "change-me", "change_me", "placeholder", "example", "your-secret", "your_secret", "insert", "todo", "xxxxxxxx"}

func placeholder(k string) bool {
	lower := strings.ToLower(k)
	for _, p := range placeholders {
		if strings.Contains(lower, p) {
			return true
		}
	}
	return false
}

// periodic reports a key that is a shorter one repeated ("abcd" × 8),
// whose variety the estimate below overrates.
func periodic(k string) bool {
	for p := 1; p <= len(k)/2; p++ {
		if len(k)%p == 0 && strings.Repeat(k[:p], len(k)/p) == k {
			return true
		}
	}
	return false
}

// entropyBits estimates what k's characters carry: its length times the
// Shannon entropy of their frequencies. A random key scores near its
// length times log2 of its alphabet; a pattern scores low.
func entropyBits(k string) float64 {
	counts := map[byte]int{}
	for i := 0; i < len(k); i++ {
		counts[k[i]]++
	}
	var h float64
	for _, n := range counts {
		p := float64(n) / float64(len(k))
		h -= p * math.Log2(p)
	}
	return h * float64(len(k))
}

// RedactURI hides every password in a database URI (dburi.RedactURI).
func RedactURI(uri string) string { return dburi.RedactURI(uri) }

// TrustedProxyPrefixes parses server.trusted_proxies: CIDRs, or single
// addresses.
func (c *Config) TrustedProxyPrefixes() ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(c.Server.TrustedProxies))
	for _, v := range c.Server.TrustedProxies {
		v = strings.TrimSpace(v)
		if p, err := netip.ParsePrefix(v); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, fmt.Errorf("expected a CIDR (10.0.0.0/8) or an address, got %q", v)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
