package auth

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/pamps/pamps/store"
)

// The original Pamps signed this with the development secret.
const knownToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImZyZXNoIjp0cnVlLCJleHAiOjE2Njg2Mjg0NjgsInNjb3BlIjoiYWNjZXNzX3Rva2VuIn0.P-F3onD2vFFIld_ls1irE9rOgLNk17SNDASls31lgkU"

func devTokens(now time.Time) Tokens {
	return Tokens{Secret: []byte("ONLYFORDEVELOPMENT"), AccessTTL: 30 * time.Minute, RefreshTTL: 600 * time.Minute,
		Now: func() time.Time { return now }}
}

func TestKnownAnswerToken(t *testing.T) {
	legacy := func(now time.Time) Tokens { tk := devTokens(now); tk.AcceptLegacy = true; return tk }
	// Refused today only because it expired...
	if _, err := legacy(time.Now()).Parse(knownToken, ScopeAccess); !errors.Is(err, ErrTokenExpired) {
		t.Fatalf("want expired, got %v", err)
	}
	// ...and accepted a minute before its expiry: the signature is good.
	v, err := legacy(time.Unix(1668628468-60, 0)).Parse(knownToken, ScopeAccess)
	if err != nil || v.Username != "admin" || !v.Legacy() {
		t.Fatalf("before expiry: %+v %v", v, err)
	}
	// Without security.accept_legacy_tokens, a token without uid is refused.
	if _, err := devTokens(time.Unix(1668628468-60, 0)).Parse(knownToken, ScopeAccess); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("legacy token with accept_legacy_tokens off: %v", err)
	}
	// A different secret does not verify it.
	other := legacy(time.Unix(1668628468-60, 0))
	other.Secret = []byte("another")
	if _, err := other.Parse(knownToken, ScopeAccess); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("wrong secret: %v", err)
	}
}

func TestTokenRoundTripAndScope(t *testing.T) {
	tk := devTokens(time.Now())
	ann := store.User{ID: 7, Username: "ann"}
	access, _ := tk.Access(ann, true)
	refresh, jti, _, _ := tk.Refresh(ann)
	if v, err := tk.Parse(access, ScopeAccess); err != nil || v.Username != "ann" || v.UserID != 7 || v.IssuedAt == 0 {
		t.Fatalf("access: %+v %v", v, err)
	}
	if v, err := tk.Parse(refresh, ScopeRefresh); err != nil || v.Username != "ann" || v.UserID != 7 || v.JTI != jti || len(jti) != 32 {
		t.Fatalf("refresh: %+v %v", v, err)
	}
	if _, err := tk.Parse(refresh, ScopeAccess); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("refresh used as access: %v", err)
	}
	if _, err := tk.Parse(access, ScopeRefresh); !errors.Is(err, ErrTokenInvalid) {
		t.Fatalf("access used as refresh: %v", err)
	}
	payload := decodePart(t, access, 1)
	for _, want := range []string{`"sub":"ann"`, `"uid":7`, `"fresh":true`, `"scope":"access_token"`, `"exp":`, `"iat":`} {
		if !strings.Contains(payload, want) {
			t.Errorf("access claims %s lack %s", payload, want)
		}
	}
	if p := decodePart(t, refresh, 1); strings.Contains(p, `"fresh":`) || !strings.Contains(p, `"scope":"refresh_token"`) || !strings.Contains(p, `"jti":"`+jti+`"`) {
		t.Errorf("refresh claims %s", p)
	}
}

// TestTokensAfterRevocation: a token for a user who revoked their tokens
// is issued no earlier than that revocation, to the millisecond, so it
// holds at once; iat keeps its milliseconds through the JSON.
func TestTokensAfterRevocation(t *testing.T) {
	now := time.UnixMilli(1_800_000_000_500)
	tk := devTokens(now)
	access, _ := tk.Access(store.User{ID: 7, Username: "ann", TokensAfter: now.UnixMilli() + 250}, true)
	v, err := tk.Parse(access, ScopeAccess)
	if err != nil || v.IssuedAt != now.UnixMilli()+250 {
		t.Fatalf("iat %d, want %d (%v)", v.IssuedAt, now.UnixMilli()+250, err)
	}
	if p := decodePart(t, access, 1); !strings.Contains(p, `"iat":1800000000.75`) {
		t.Errorf("iat is not seconds with milliseconds: %s", p)
	}
}

// TestClockLeeway: replicas' clocks differ, so an iat up to 30 s ahead holds.
func TestClockLeeway(t *testing.T) {
	tk := devTokens(time.Now())
	for ahead, ok := range map[time.Duration]bool{time.Second: true, 29 * time.Second: true, 45 * time.Second: false} {
		issuer := devTokens(time.Now().Add(ahead))
		token, _ := issuer.Access(store.User{ID: 1, Username: "ann"}, true)
		if _, err := tk.Parse(token, ScopeAccess); (err == nil) != ok {
			t.Errorf("iat %v ahead: err %v, want ok=%v", ahead, err, ok)
		}
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
	good := jwt.MapClaims{"sub": "ann", "uid": 1, "fresh": true, "scope": "access_token", "exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()}
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
	// A header with crit names extensions the reader must understand; it
	// was accepted. Signed with the right key, so only the header refuses it.
	critical := jwt.NewWithClaims(jwt.SigningMethodHS256, good)
	critical.Header["crit"] = []string{"exp"}
	crit, err := critical.SignedString(tk.Secret)
	if err != nil {
		t.Fatal(err)
	}
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
		"no uid (legacy)":    sign(jwt.SigningMethodHS256, tk.Secret, with("uid", nil)),
		"uid as text":        sign(jwt.SigningMethodHS256, tk.Secret, with("uid", "1")),
		"uid zero":           sign(jwt.SigningMethodHS256, tk.Secret, with("uid", 0)),
		"no iat":             sign(jwt.SigningMethodHS256, tk.Secret, with("iat", nil)),
		"iat as text":        sign(jwt.SigningMethodHS256, tk.Secret, with("iat", "1700000000")),
		"exp as text":        sign(jwt.SigningMethodHS256, tk.Secret, with("exp", "9999999999")),
		"crit header":        crit,
		"garbage":            "not.a.token",
		"empty":              "",
	}
	if _, err := tk.Parse(valid, ScopeAccess); err != nil {
		t.Fatalf("the untampered token must pass: %v", err)
	}
	for name, token := range cases {
		if v, err := tk.Parse(token, ScopeAccess); err == nil {
			t.Errorf("%s: accepted as %+v", name, v)
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
