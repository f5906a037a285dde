package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/pamps/pamps/server/auth"
	"github.com/pamps/pamps/store"
)

// currentUser is the signed-in user of an authenticated route.
func currentUser(r *http.Request) store.User {
	u, _ := r.Context().Value(keyUser).(store.User)
	return u
}

// viewer is the member a read is made for: the caller of a route that
// reads as its caller (route.viewer) when a token came, else 0: anyone.
func viewer(r *http.Request) int64 { return currentUser(r).ID }

// credential is what the caller's verified token says: all that a lateUser
// route knows of its caller before its own statement runs.
func credential(r *http.Request) store.Credential {
	c, _ := r.Context().Value(keyCred).(store.Credential)
	return c
}

// passwordSignIn is when the caller's access token was issued by a password
// login, or zero when it came from a refresh.
func passwordSignIn(r *http.Request) time.Time {
	t, _ := r.Context().Value(keyFresh).(time.Time)
	return t
}

// tokenExpiry is when the caller's access token expires.
func tokenExpiry(r *http.Request) time.Time {
	t, _ := r.Context().Value(keyExpires).(time.Time)
	return t
}

// tokenCredential reads "Authorization: Bearer <access token>" and verifies it.
func (s *Server) tokenCredential(r *http.Request) (auth.Verified, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(token) == "" {
		return auth.Verified{}, errNotAuthenticated
	}
	v, err := s.opt.Tokens.Parse(strings.TrimSpace(token), auth.ScopeAccess)
	if err != nil {
		return auth.Verified{}, errBadCredentials
	}
	return v, nil
}

// signIn verifies the caller's access token and puts its credential in the
// request; unless the route finds its user itself (lateUser), also the user,
// whose token must still hold (same id and name, not revoked): one lookup.
func (s *Server) signIn(r *http.Request, late bool) (*http.Request, error) {
	v, err := s.tokenCredential(r)
	if err != nil {
		return r, err
	}
	c := v.Credential
	if info, ok := r.Context().Value(keyLog).(*requestLog); ok {
		info.user = c.Username
	}
	ctx := context.WithValue(context.WithValue(r.Context(), keyCred, c), keyExpires, v.Expires)
	if v.Fresh {
		ctx = context.WithValue(ctx, keyFresh, time.UnixMilli(c.IssuedAt))
	}
	if !late {
		u, err := s.store.UserByCredential(ctx, c)
		if err != nil {
			return r, err
		}
		ctx = context.WithValue(ctx, keyUser, u)
	}
	return r.WithContext(ctx), nil
}

// lateAuthError gives a lateUser route the answers of an eagerly
// authenticated one: a token that no longer holds is refused (401) before
// any complaint about the request. endpoint applies it to every error such
// a route returns; it costs a lookup only when the request failed.
func (s *Server) lateAuthError(r *http.Request, err error) error {
	if errors.Is(err, store.ErrUnauthorized) {
		return err
	}
	if _, uerr := s.store.UserByCredential(r.Context(), credential(r)); errors.Is(uerr, store.ErrUnauthorized) {
		return uerr
	}
	return err
}

// clientAddr is the address every limit per client counts: the peer's,
// or behind a trusted proxy the client it names.
func (s *Server) clientAddr(r *http.Request) string { return s.opt.Conns.TrustedProxies.ClientAddr(r) }

// login is POST /token: the OAuth2 password flow, form-encoded. Every
// attempt takes its place in the limits before its password is checked, so
// a parallel burst gets no more checks than the limit (docs/API.md §2).
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	form, err := readForm(r, "username", "password")
	if err != nil {
		return err
	}
	u, err := s.store.Login(r.Context(), s.clientAddr(r), form["username"], form["password"])
	var ce *store.CredentialsError
	if errors.As(err, &ce) {
		return errIncorrectLogin
	}
	if err != nil {
		return err
	}
	return s.issue(w, r, u, true)
}

// refresh is POST /refresh_token: it retires the refresh token it is given
// and issues a new pair (rotation); a retired one revokes every token of
// its user (docs/API.md §2).
func (s *Server) refresh(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r, "refresh_token")
	if err != nil {
		return err
	}
	token := b.str("refresh_token")
	if err := b.err(); err != nil {
		return err
	}
	v, err := s.opt.Tokens.Parse(token, auth.ScopeRefresh)
	if err != nil {
		return errBadCredentials
	}
	if v.Legacy() {
		// The original's refresh tokens have no id to retire: accepted
		// (when legacy tokens are) until the user revokes or they expire.
		u, err := s.store.UserByCredential(r.Context(), v.Credential)
		if err != nil {
			return err
		}
		return s.issue(w, r, u, false)
	}
	// The new pair is made and recorded in the transaction that retires
	// the old token, so that a revocation cannot fall between the two.
	var p pair
	_, err = s.store.UseRefreshToken(r.Context(), v.Credential, v.JTI, func(u store.User) (string, time.Time, error) {
		var err error
		p, err = s.mint(u, false)
		return p.jti, p.expires, err
	})
	if errors.Is(err, store.ErrRefreshReused) {
		s.log.Warn("refresh token reused: every token of the user revoked", "request_id", requestID(r), "user", v.Username)
	}
	if err != nil {
		return err
	}
	p.answer(w)
	return nil
}

// logout is POST /user/me/logout/: every token of the caller issued so far
// is refused from now on.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.SignOut(r.Context(), currentUser(r).ID); err != nil {
		return err
	}
	s.keysRemaining(w, r, currentUser(r).ID)
	noContent(w)
	return nil
}

// pair is a new access and refresh token, the refresh token's id and expiry.
type pair struct {
	access, refresh string
	jti             string
	expires         time.Time
}

// mint signs a new pair for u.
func (s *Server) mint(u store.User, fresh bool) (pair, error) {
	access, err := s.opt.Tokens.Access(u, fresh)
	if err != nil {
		return pair{}, err
	}
	refresh, jti, expires, err := s.opt.Tokens.Refresh(u)
	return pair{access, refresh, jti, expires}, err
}

func (p pair) answer(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{"access_token": p.access, "refresh_token": p.refresh, "token_type": "bearer"})
}

// issue answers a new pair for u, recorded first.
func (s *Server) issue(w http.ResponseWriter, r *http.Request, u store.User, fresh bool) error {
	p, err := s.mint(u, fresh)
	if err != nil {
		return err
	}
	if err := s.store.AddRefreshToken(r.Context(), u.ID, p.jti, p.expires); err != nil {
		return err
	}
	p.answer(w)
	return nil
}
