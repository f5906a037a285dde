package server

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// The original Pamps signed this with the development secret.
const knownToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImZyZXNoIjp0cnVlLCJleHAiOjE2Njg2Mjg0NjgsInNjb3BlIjoiYWNjZXNzX3Rva2VuIn0.P-F3onD2vFFIld_ls1irE9rOgLNk17SNDASls31lgkU"

func devTokens(now time.Time) Tokens {
	return Tokens{Secret: []byte("ONLYFORDEVELOPMENT"), AccessTTL: 30 * time.Minute, RefreshTTL: 600 * time.Minute,
		Now: func() time.Time { return now }}
}

func TestKnownAnswerToken(t *testing.T) {
	// Refused today only because it expired...
	if _, err := devTokens(time.Now()).Parse(knownToken, ScopeAccess); !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("want expired, got %v", err)
	}
	// ...and accepted a minute before its expiry: the signature is good.
	sub, err := devTokens(time.Unix(1668628468-60, 0)).Parse(knownToken, ScopeAccess)
	if err != nil || sub != "admin" {
		t.Fatalf("before expiry: %q %v", sub, err)
	}
	// A different secret does not verify it.
	other := devTokens(time.Unix(1668628468-60, 0))
	other.Secret = []byte("another")
	if _, err := other.Parse(knownToken, ScopeAccess); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("wrong secret: %v", err)
	}
}

func TestTokenRoundTripAndScope(t *testing.T) {
	tk := devTokens(time.Now())
	access, _ := tk.Access("ann", true)
	refresh, _ := tk.Refresh("ann")
	if sub, err := tk.Parse(access, ScopeAccess); err != nil || sub != "ann" {
		t.Fatalf("access: %q %v", sub, err)
	}
	if sub, err := tk.Parse(refresh, ScopeRefresh); err != nil || sub != "ann" {
		t.Fatalf("refresh: %q %v", sub, err)
	}
	if _, err := tk.Parse(refresh, ScopeAccess); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("refresh used as access: %v", err)
	}
	if _, err := tk.Parse(access, ScopeRefresh); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("access used as refresh: %v", err)
	}
	payload := decodePart(t, access, 1)
	for _, want := range []string{`"sub":"ann"`, `"fresh":true`, `"scope":"access_token"`, `"exp":`, `"iat":`} {
		if !strings.Contains(payload, want) {
			t.Errorf("access claims %s lack %s", payload, want)
		}
	}
	if p := decodePart(t, refresh, 1); strings.Contains(p, `"fresh":`) || !strings.Contains(p, `"scope":"refresh_token"`) {
		t.Errorf("refresh claims %s", p)
	}
}

func TestHostileTokens(t *testing.T) {
	tk := devTokens(time.Now())
	sign := func(method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := jwt.MapClaims{"sub": "ann", "fresh": true, "scope": "access_token", "exp": time.Now().Add(time.Hour).Unix()}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for kk, vv := range good {
			c[kk] = vv
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	valid := sign(jwt.SigningMethodHS256, tk.Secret, good)
	parts := strings.Split(valid, ".")
	cases := map[string]string{
		"tampered signature": parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2])),
		"tampered payload":   parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"admin","fresh":true,"scope":"access_token","exp":9999999999}`)) + "." + parts[2],
		"alg none":           sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, good),
		"HS512":              sign(jwt.SigningMethodHS512, tk.Secret, good),
		"expired":            sign(jwt.SigningMethodHS256, tk.Secret, with("exp", time.Now().Add(-time.Minute).Unix())),
		"no exp":             sign(jwt.SigningMethodHS256, tk.Secret, with("exp", nil)),
		"issued in future":   sign(jwt.SigningMethodHS256, tk.Secret, with("iat", time.Now().Add(time.Hour).Unix())),
		"not yet valid":      sign(jwt.SigningMethodHS256, tk.Secret, with("nbf", time.Now().Add(time.Hour).Unix())),
		"no sub":             sign(jwt.SigningMethodHS256, tk.Secret, with("sub", nil)),
		"refresh scope":      sign(jwt.SigningMethodHS256, tk.Secret, with("scope", "refresh_token")),
		"no scope":           sign(jwt.SigningMethodHS256, tk.Secret, with("scope", nil)),
		"garbage":            "not.a.token",
		"empty":              "",
	}
	if _, err := tk.Parse(valid, ScopeAccess); err != nil {
		t.Fatalf("the untampered token must pass: %v", err)
	}
	for name, token := range cases {
		if sub, err := tk.Parse(token, ScopeAccess); err == nil {
			t.Errorf("%s: accepted as %q", name, sub)
		}
	}
}

func decodePart(t *testing.T, token string, i int) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
