// Package server serves the store over HTTP: the JSON API of ../shared/API.md.
package server

import (
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Token scopes, as the original Pamps wrote them.
const (
	ScopeAccess  = "access_token"
	ScopeRefresh = "refresh_token"
)

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
	Now        func() time.Time // nil is time.Now
}

// Claims are the original's: sub, exp, iat, scope, and fresh on access tokens.
type Claims struct {
	Fresh *bool  `json:"fresh,omitempty"`
	Scope string `json:"scope"`
	jwt.RegisteredClaims
}

func (t Tokens) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Access issues an access token for username.
func (t Tokens) Access(username string, fresh bool) (string, error) {
	return t.sign(username, ScopeAccess, &fresh, t.AccessTTL)
}

// Refresh issues a refresh token for username.
func (t Tokens) Refresh(username string) (string, error) {
	return t.sign(username, ScopeRefresh, nil, t.RefreshTTL)
}

func (t Tokens) sign(username, scope string, fresh *bool, ttl time.Duration) (string, error) {
	now := t.now()
	c := Claims{Fresh: fresh, Scope: scope, RegisteredClaims: jwt.RegisteredClaims{
		Subject:   username,
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		IssuedAt:  jwt.NewNumericDate(now),
	}}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.Secret)
}

// Parse checks a token's signature (HS256 only), expiry, issue time and
// scope, and returns its subject.
func (t Tokens) Parse(token, scope string) (string, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.Secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "", ErrTokenExpired
	case err != nil:
		return "", fmt.Errorf("%w: %v", ErrTokenInvalid, err)
	case c.Scope != scope:
		return "", fmt.Errorf("%w: scope %q, want %q", ErrTokenInvalid, c.Scope, scope)
	case c.Subject == "":
		return "", fmt.Errorf("%w: no subject", ErrTokenInvalid)
	case scope == ScopeAccess && c.Fresh == nil:
		return "", fmt.Errorf("%w: access token without fresh", ErrTokenInvalid)
	}
	return c.Subject, nil
}
