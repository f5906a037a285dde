// Package dburi holds the rules of database URIs, shared by the store and
// the configuration (which checks them before anything opens): which
// database a URI names, the SQLite file, the read replicas', and how a URI
// is written in logs with its secrets hidden.
package dburi

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Dialect names the database behind a URI.
type Dialect string

// The supported databases.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DialectOf tells the database kind from a URI.
func DialectOf(uri string) (Dialect, error) {
	scheme, _, ok := strings.Cut(uri, ":")
	if ok {
		switch strings.ToLower(scheme) {
		case "postgres", "postgresql":
			return Postgres, nil
		case "sqlite", "sqlite3", "file":
			return SQLite, nil
		}
	}
	return "", fmt.Errorf("unsupported database URI %q: expected postgresql://..., sqlite:PATH or file:PATH", RedactURI(uri))
}

// SQLitePath returns the file a sqlite:/file: URI names.
func SQLitePath(uri string) string {
	_, rest, _ := strings.Cut(uri, ":")
	rest = strings.TrimPrefix(rest, "//")
	path, _, _ := strings.Cut(rest, "?")
	return path
}

// secretParams are the query parameters of a database URI that hold a secret.
var secretParams = []string{"password", "sslpassword"}

// keywordSecret is a secret in libpq's keyword/value form, its value bare
// or single-quoted (with backslash escapes).
var keywordSecret = regexp.MustCompile(`(?i)\b(password|sslpassword)\s*=\s*(?:'(?:[^'\\]|\\.)*'?|[^\s]*)`)

// RedactURI hides every password-bearing part of a database URI (the user
// info's password, and ?password= or ?sslpassword=), for logs and
// `config show`. A URI that cannot be parsed is shown by its scheme only.
func RedactURI(uri string) string {
	if !strings.Contains(uri, "://") && keywordSecret.MatchString(uri) {
		// libpq's keyword/value form: host=db password=s3cr3t ...
		return keywordSecret.ReplaceAllString(uri, "${1}=xxxxx")
	}
	u, err := url.Parse(uri)
	if err != nil {
		scheme, _, _ := strings.Cut(uri, ":")
		return scheme + ":(unparseable URI, hidden)"
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for k := range q {
			for _, secret := range secretParams {
				if strings.EqualFold(k, secret) {
					q[k] = []string{"xxxxx"}
					changed = true
				}
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

// CheckReadURIs is the rule for read replicas: PostgreSQL standbys, of a
// PostgreSQL primary.
func CheckReadURIs(primary string, reads []string) error {
	if len(reads) == 0 {
		return nil
	}
	if d, err := DialectOf(primary); primary == "" || err != nil || d != Postgres {
		return errors.New("read replicas need a PostgreSQL primary")
	}
	for _, u := range reads {
		if d, err := DialectOf(u); err != nil || d != Postgres {
			return fmt.Errorf("expected postgresql:// URLs of standbys, got %s", RedactURI(u))
		}
	}
	return nil
}
