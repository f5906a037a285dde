package server

import (
	"context"
	"errors"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/pamps/pamps/store"
)

// currentUser is the signed-in user of an authenticated route.
func currentUser(r *http.Request) store.User {
	u, _ := r.Context().Value(keyUser).(store.User)
	return u
}

// signedInName is the username in the caller's verified token: all that a
// lateUser route knows of its caller before its own statement runs.
func signedInName(r *http.Request) string {
	name, _ := r.Context().Value(keyName).(string)
	return name
}

// tokenName reads "Authorization: Bearer <access token>" and verifies it.
func (s *Server) tokenName(r *http.Request) (string, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(token) == "" {
		return "", errNotAuthenticated
	}
	name, err := s.opt.Tokens.Parse(strings.TrimSpace(token), ScopeAccess)
	if err != nil {
		return "", errBadCredentials
	}
	return name, nil
}

// signIn verifies the caller's access token and puts its name in the
// request; unless the route finds its user itself (lateUser), also the user,
// who must still exist.
func (s *Server) signIn(r *http.Request, late bool) (*http.Request, error) {
	name, err := s.tokenName(r)
	if err != nil {
		return r, err
	}
	if info, ok := r.Context().Value(keyLog).(*requestLog); ok {
		info.user = name
	}
	ctx := context.WithValue(r.Context(), keyName, name)
	if !late {
		u, err := s.store.UserByName(ctx, name)
		if errors.Is(err, store.ErrNotFound) {
			return r, errBadCredentials
		}
		if err != nil {
			return r, err
		}
		ctx = context.WithValue(ctx, keyUser, u)
	}
	return r.WithContext(ctx), nil
}

// lateAuthError gives a lateUser route the answers of an eagerly
// authenticated one: a token whose user is gone is refused (401) before any
// complaint about the request. endpoint applies it to every error such a
// route returns; it costs a lookup only when the request failed.
func (s *Server) lateAuthError(r *http.Request, err error) error {
	if errors.Is(err, store.ErrUserNotFound) {
		return errBadCredentials
	}
	if _, uerr := s.store.UserByName(r.Context(), signedInName(r)); errors.Is(uerr, store.ErrNotFound) {
		return errBadCredentials
	}
	return err
}

// clientAddr is the peer's IP address (proxies' headers are not trusted).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// login is POST /token: the OAuth2 password flow, form-encoded.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mt {
	case "application/x-www-form-urlencoded":
		err = r.ParseForm()
	case "multipart/form-data":
		err = r.ParseMultipartForm(64 << 10)
	default: // as FastAPI: no form, so the form's fields are missing
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return errBodyTooLarge
			}
		}
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return errBodyTooLarge
		}
		var e inputError
		e.add("could not read the form: "+err.Error(), "value_error.form", "body")
		return &e
	}
	var issues inputError
	for _, f := range []string{"username", "password"} {
		if _, ok := r.PostForm[f]; !ok {
			issues.add("field required", "value_error.missing", "body", f)
		}
	}
	if err := issues.orNil(); err != nil {
		return err
	}
	username, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	keys := []string{"addr:" + clientAddr(r), "user:" + strings.ToLower(username)}
	if wait, blocked := s.limiter.blocked(keys...); blocked {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter(wait)))
		return errStatus(http.StatusTooManyRequests, "Too many login attempts")
	}
	var u store.User
	err = s.withHasher(r.Context(), func() error {
		var err error
		u, err = s.store.Authenticate(r.Context(), username, password)
		return err
	})
	var ce *store.CredentialsError
	if errors.As(err, &ce) {
		s.limiter.fail(keys...)
		return errIncorrectLogin
	}
	if err != nil {
		return err
	}
	return s.issue(w, u.Username, true)
}

// refresh is POST /refresh_token.
func (s *Server) refresh(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	token := b.str("refresh_token")
	if err := b.err(); err != nil {
		return err
	}
	name, err := s.opt.Tokens.Parse(token, ScopeRefresh)
	if err != nil {
		return errBadCredentials
	}
	u, err := s.store.UserByName(r.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return errBadCredentials
	}
	if err != nil {
		return err
	}
	return s.issue(w, u.Username, false)
}

func (s *Server) issue(w http.ResponseWriter, username string, fresh bool) error {
	access, err := s.opt.Tokens.Access(username, fresh)
	if err != nil {
		return err
	}
	refresh, err := s.opt.Tokens.Refresh(username)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]string{"access_token": access, "refresh_token": refresh, "token_type": "bearer"})
	return nil
}
