package store

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Rules are the tunable limits; the fixed ones (username shape, email length)
// are constants below. Zero fields take the documented defaults.
type Rules struct {
	PasswordMinLength int // security.password_min_length, default 8
	PostMaxLength     int // posts.max_length, default 280 code points
	BcryptCost        int // security.bcrypt_cost, default 12
}

// The fixed rules, exported so that the API's document states them from
// here rather than repeat them.
const (
	MaxUsernameLen = 32
	MaxEmailLen    = 254
	MaxPasswordLen = 72 // bytes: bcrypt ignores the rest
	MaxAvatarLen   = 2048
	MaxBioLen      = 500
	// UsernamePattern is the username's shape: letters, digits, '_', '.'
	// and '-', starting with a letter, a digit or '_'.
	UsernamePattern = `^[A-Za-z0-9_][A-Za-z0-9_.-]*$`
)

func (r Rules) withDefaults() Rules {
	if r.PasswordMinLength <= 0 {
		r.PasswordMinLength = 8
	}
	if r.PostMaxLength <= 0 {
		r.PostMaxLength = 280
	}
	if r.BcryptCost <= 0 {
		r.BcryptCost = 12
	}
	return r
}

var usernamePattern = regexp.MustCompile(UsernamePattern)

// reservedUsernames are words the HTTP routes use next to /user/{username}/.
var reservedUsernames = map[string]bool{
	"me": true, "timeline": true, "follow": true, "followers": true, "following": true,
	"password": true, "user": true, "users": true, "post": true, "posts": true, "like": true,
	"likes": true, "token": true, "refresh_token": true, "docs": true, "openapi.json": true,
	"healthz": true, "readyz": true, "login": true, "logout": true,
	"block": true, "blocks": true, "mute": true, "mutes": true, "keys": true, "export": true,
	"notifications": true, "search": true, "report": true, "reports": true, "admin": true,
}

// ValidUsername checks the username rule; the CLI and TUI use it too.
func (r Rules) ValidUsername(name string) *ValidationError {
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return invalid("username", "value_error.missing", "must not be empty")
	case n > MaxUsernameLen:
		return invalid("username", "value_error.too_long", "must be at most %d characters", MaxUsernameLen)
	case !usernamePattern.MatchString(name):
		return invalid("username", "value_error.pattern", "may contain only letters, digits, '_', '.' and '-', and must start with a letter, digit or '_'")
	case reservedUsernames[strings.ToLower(name)]:
		return invalid("username", "value_error.reserved", "%q is reserved", name)
	}
	return nil
}

// ValidEmail checks the email rule.
func (r Rules) ValidEmail(email string) *ValidationError {
	if email == "" {
		return invalid("email", "value_error.missing", "must not be empty")
	}
	if len(email) > MaxEmailLen {
		return invalid("email", "value_error.too_long", "must be at most %d characters", MaxEmailLen)
	}
	if bad := badText(email, false); bad != "" {
		return invalid("email", "value_error.email", "must be a valid email address (%s)", bad)
	}
	if !norm.NFKC.IsNormalString(email) {
		return invalid("email", "value_error.email", "must be a valid email address (without full-width or other compatibility characters)")
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || addr.Name != "" {
		return invalid("email", "value_error.email", "must be a valid email address")
	}
	at := strings.LastIndexByte(email, '@')
	if at <= 0 || !validDomain(email[at+1:]) {
		return invalid("email", "value_error.email", "must be a valid email address with a domain such as example.org")
	}
	return nil
}

// validDomain accepts a domain of two or more dot-separated labels of
// letters, digits and inner hyphens (international letters too), whose last
// label is not a number: no IP literal, no bare host name.
func validDomain(domain string) bool {
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || utf8.RuneCountInString(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, c := range l {
			if c != '-' && !unicode.IsLetter(c) && !unicode.IsDigit(c) && !unicode.Is(unicode.Mn, c) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	return strings.TrimFunc(tld, unicode.IsDigit) != ""
}

// ValidPassword checks the password rule.
func (r Rules) ValidPassword(field, password string) *ValidationError {
	r = r.withDefaults()
	if !utf8.ValidString(password) || strings.IndexByte(password, 0) >= 0 {
		return invalid(field, "value_error.encoding", "must be valid UTF-8 without NUL characters")
	}
	if utf8.RuneCountInString(password) < r.PasswordMinLength {
		return invalid(field, "value_error.too_short", "must be at least %d characters", r.PasswordMinLength)
	}
	if len(password) > MaxPasswordLen {
		return invalid(field, "value_error.too_long", "must be at most %d bytes", MaxPasswordLen)
	}
	return nil
}

// ValidAvatar checks an optional avatar URL.
func (r Rules) ValidAvatar(avatar *string) *ValidationError {
	if avatar == nil || *avatar == "" {
		return nil
	}
	a := *avatar
	if len(a) > MaxAvatarLen {
		return invalid("avatar", "value_error.too_long", "must be at most %d characters", MaxAvatarLen)
	}
	if bad := badText(a, false); bad != "" {
		return invalid("avatar", "value_error.url", "must be an http(s) URL (%s)", bad)
	}
	u, err := url.Parse(a)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid("avatar", "value_error.url", "must be an http(s) URL")
	}
	return nil
}

// ValidBio checks an optional bio.
func (r Rules) ValidBio(bio *string) *ValidationError {
	if bio == nil {
		return nil
	}
	if utf8.RuneCountInString(*bio) > MaxBioLen {
		return invalid("bio", "value_error.too_long", "must be at most %d characters", MaxBioLen)
	}
	if bad := badText(*bio, true); bad != "" {
		return invalid("bio", "value_error.encoding", "must be %s", bad)
	}
	return nil
}

// PostText trims text and checks the post rule, returning the text to store.
func (r Rules) PostText(text string) (string, *ValidationError) {
	r = r.withDefaults()
	if bad := badText(text, true); bad != "" {
		return "", invalid("text", "value_error.encoding", "must be %s", bad)
	}
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return "", invalid("text", "value_error.missing", "must not be empty")
	case !visible(text):
		return "", invalid("text", "value_error.invisible", "must have at least one visible character")
	case n > r.PostMaxLength:
		return "", invalid("text", "value_error.too_long", "must be at most %d characters (got %d)", r.PostMaxLength, n)
	}
	return text, nil
}

// invisibleLetters are letters and symbols that draw nothing: fillers and
// blanks that invisible-text tricks use alongside the format characters.
var invisibleLetters = map[rune]bool{
	0x115F: true, 0x1160: true, 0x3164: true, 0xFFA0: true, // Hangul fillers
	0x2800: true, // Braille blank
	0x180E: true, // Mongolian vowel separator
}

// visible reports whether s has a character that draws something: not a
// space, a control or format character (zero-width space, byte order mark,
// joiners, bidi marks) or a blank letter.
func visible(s string) bool {
	for _, c := range s {
		if !unicode.IsSpace(c) && !unicode.IsControl(c) && !unicode.Is(unicode.Cf, c) && !invisibleLetters[c] {
			return true
		}
	}
	return false
}

// badText describes why s cannot be stored, or returns "": invalid UTF-8 and
// NUL are refused everywhere (PostgreSQL rejects NUL in text), other control
// characters everywhere but multi-line fields, which keep \n, \r and \t.
func badText(s string, multiline bool) string {
	if !utf8.ValidString(s) {
		return "valid UTF-8"
	}
	for _, c := range s {
		if c == 0 {
			return "free of NUL characters"
		}
		if multiline && (c == '\n' || c == '\r' || c == '\t') {
			continue
		}
		if unicode.IsControl(c) {
			return "free of control characters"
		}
		if bidiControl(c) {
			// An override reorders what follows it on screen: "txt.exe"
			// shown as something else (Trojan Source).
			return "free of bidirectional override and isolate characters (U+202A-U+202E, U+2066-U+2069)"
		}
	}
	return ""
}
