package sqldb

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

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

// createPrivate makes the SQLite file readable by its owner only (0600, in a
// folder made 0700): it holds password hashes and emails. SQLite gives its
// -wal and -shm files the mode of the database file. An existing file keeps
// its mode: the operator chose it.
func createPrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("cannot create the database folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot create the database file: %w", err)
	}
	return f.Close()
}
