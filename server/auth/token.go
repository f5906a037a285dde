// Package auth signs and verifies the API's JWTs (docs/API.md §2): HS256
// only, with the scope, issue time and freshness the routes check.
package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/pamps/pamps/store"
)

// Token scopes, as the original Pamps wrote them.
const (
	ScopeAccess  = "access_token"
	ScopeRefresh = "refresh_token"
)

// ClockLeeway is how far in the future a token's iat may lie: replicas'
// clocks differ (docs/API.md §2).
const ClockLeeway = 30 * time.Second

// Token errors; both answer 401.
var (
	ErrTokenInvalid = errors.New("invalid token")
	ErrTokenExpired = errors.New("token expired")
)

// Tokens issues and checks HS256 JWTs compatible with the original Pamps.
type Tokens struct {
	Secret     []byte
	AccessTTL  time.Duration
	RefreshTTL time.Duration
	// AcceptLegacy accepts tokens of the original Python Pamps, which carry
	// no uid, iat or jti (security.accept_legacy_tokens).
	AcceptLegacy bool
	Now          func() time.Time // nil is time.Now
}

// Claims are the original's (sub, exp, scope, and fresh on access tokens)
// with uid, iat and, on refresh tokens, jti. exp, iat and nbf must be JSON
// numbers: jwt's own NumericDate would also read a string.
type Claims struct {
	Subject   string       `json:"sub"`
	UID       *int64       `json:"uid,omitempty"`
	Fresh     *bool        `json:"fresh,omitempty"`
	Scope     string       `json:"scope"`
	ExpiresAt *numericDate `json:"exp,omitempty"`
	IssuedAt  *numericDate `json:"iat,omitempty"`
	NotBefore *numericDate `json:"nbf,omitempty"`
	ID        string       `json:"jti,omitempty"`
}

// numericDate is a JWT time that only a JSON number spells, kept to the
// millisecond (jwt's own NumericDate truncates to seconds): iat is compared
// with the user's last revocation, and a token issued in the same second
// but after it must hold.
type numericDate struct{ jwt.NumericDate }

func newDate(t time.Time) *numericDate {
	return &numericDate{jwt.NumericDate{Time: time.UnixMilli(t.UnixMilli())}}
}

// MarshalJSON writes seconds with the milliseconds as decimals, which
// readers of RFC 7519 NumericDate (the original app's included) accept.
func (d numericDate) MarshalJSON() ([]byte, error) {
	ms := d.UnixMilli()
	b := strconv.AppendInt(nil, ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		b = append(b, '.')
		b = append(b, byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
	}
	return b, nil
}

func (d *numericDate) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || (b[0] != '-' && (b[0] < '0' || b[0] > '9')) {
		return errors.New("a time claim must be a number")
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e13 {
		return errors.New("a time claim must be a number of seconds")
	}
	d.NumericDate = jwt.NumericDate{Time: time.UnixMilli(int64(math.Round(f * 1000)))}
	return nil
}

func (d *numericDate) jwt() *jwt.NumericDate {
	if d == nil {
		return nil
	}
	return &d.NumericDate
}

// The jwt.Claims interface, for the parser's checks of exp and nbf.
func (c *Claims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt.jwt(), nil }
func (c *Claims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt.jwt(), nil }
func (c *Claims) GetNotBefore() (*jwt.NumericDate, error)      { return c.NotBefore.jwt(), nil }
func (c *Claims) GetIssuer() (string, error)                   { return "", nil }
func (c *Claims) GetSubject() (string, error)                  { return c.Subject, nil }
func (c *Claims) GetAudience() (jwt.ClaimStrings, error)       { return nil, nil }

// Verified is what a checked token says: whose it is and, for a refresh
// token, its id.
type Verified struct {
	store.Credential
	JTI     string
	Expires time.Time // the token's exp
	Fresh   bool      // an access token from a password login (not a refresh)
}

func (t Tokens) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// issuedAt is the iat of a token for u issued now: never before the user's
// last revocation (whose instant, to the millisecond, a replica's clock may
// not have reached yet).
func (t Tokens) issuedAt(u store.User) time.Time {
	return time.UnixMilli(max(t.now().UnixMilli(), u.TokensAfter))
}

// Access issues an access token for u.
func (t Tokens) Access(u store.User, fresh bool) (string, error) {
	return t.sign(u, ScopeAccess, &fresh, "", t.AccessTTL)
}

// Refresh issues a refresh token for u, with a new id that the store must
// record (store.AddRefreshToken) before the token is handed out.
func (t Tokens) Refresh(u store.User) (token, jti string, expires time.Time, err error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", "", time.Time{}, err
	}
	jti = hex.EncodeToString(b)
	token, err = t.sign(u, ScopeRefresh, nil, jti, t.RefreshTTL)
	return token, jti, t.now().Add(t.RefreshTTL), err
}

func (t Tokens) sign(u store.User, scope string, fresh *bool, jti string, ttl time.Duration) (string, error) {
	uid := u.ID
	c := &Claims{Subject: u.Username, UID: &uid, Fresh: fresh, Scope: scope,
		ExpiresAt: newDate(t.now().Add(ttl)), IssuedAt: newDate(t.issuedAt(u)), ID: jti}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.Secret)
}

// Parse checks a token's signature (HS256 only), expiry, issue time (at
// most ClockLeeway ahead) and scope, and returns what it says. A token
// without uid is the original app's: refused unless AcceptLegacy.
func (t Tokens) Parse(token, scope string) (Verified, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(tok *jwt.Token) (any, error) {
		// RFC 7515 §4.1.11: a header naming extensions in crit that the
		// reader does not understand must be refused; pamps knows none.
		if _, ok := tok.Header["crit"]; ok {
			return nil, errors.New("crit header: no extension is understood")
		}
		return t.Secret, nil
	},
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	invalid := func(format string, args ...any) (Verified, error) {
		return Verified{}, fmt.Errorf("%w: "+format, append([]any{ErrTokenInvalid}, args...)...)
	}
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return Verified{}, ErrTokenExpired
	case err != nil:
		return invalid("%v", err)
	case c.Scope != scope:
		return invalid("scope %q, want %q", c.Scope, scope)
	case c.Subject == "":
		return invalid("no subject")
	case scope == ScopeAccess && c.Fresh == nil:
		return invalid("access token without fresh")
	case c.IssuedAt != nil && c.IssuedAt.After(t.now().Add(ClockLeeway)):
		return invalid("issued in the future")
	}
	if c.UID == nil {
		if !t.AcceptLegacy {
			return invalid("no uid: a token of the original app (security.accept_legacy_tokens is off)")
		}
		return Verified{Credential: store.Credential{Username: c.Subject}, Expires: c.ExpiresAt.Time}, nil
	}
	switch {
	case *c.UID <= 0:
		return invalid("uid %d", *c.UID)
	case c.IssuedAt == nil:
		return invalid("no iat")
	case scope == ScopeRefresh && c.ID == "":
		return invalid("refresh token without jti")
	}
	return Verified{Credential: store.Credential{UserID: *c.UID, Username: c.Subject, IssuedAt: c.IssuedAt.UnixMilli()}, JTI: c.ID, Expires: c.ExpiresAt.Time,
		Fresh: c.Fresh != nil && *c.Fresh}, nil
}
