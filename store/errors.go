package store

import (
	"errors"
	"fmt"
	"strings"
)

// Error kinds. Every error the store returns on purpose matches one of these
// with errors.Is, so each front end maps kinds, not messages.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrInvalid      = errors.New("invalid")
	ErrForbidden    = errors.New("forbidden")
	ErrRefused      = errors.New("refused")              // a well-formed request a rule refuses (HTTP 400)
	ErrUnavailable  = errors.New("database unavailable") // the database cannot be reached
	ErrStaleSchema  = errors.New("database schema is out of date")
	ErrUnauthorized = errors.New("unauthorized") // a token that no longer holds (HTTP 401)
	ErrLimited      = errors.New("rate limited") // over one of the Limits (HTTP 429); a *LimitError
)

// Specific errors; their messages are the API's "detail" wording.
var (
	ErrUserNotFound      = &NotFoundError{Msg: "User not found"}
	ErrPostNotFound      = &NotFoundError{Msg: "Post not found"}
	ErrParentNotFound    = &NotFoundError{Msg: "Parent post not found"}
	ErrUsernameTaken     = &ConflictError{Msg: "Username already taken"}
	ErrEmailTaken        = &ConflictError{Msg: "Email already registered"}
	ErrNotAllowed        = &ForbiddenError{Msg: "Not allowed"}
	ErrCannotFollowSelf  = &RefusedError{Msg: "You cannot follow yourself"}
	ErrIncorrectPassword = &RefusedError{Msg: "Incorrect password"}
	ErrBadCredentials    = &CredentialsError{}
	ErrNotSignedIn       = &UnauthorizedError{Msg: "Could not validate credentials"}
	ErrRefreshReused     = &UnauthorizedError{Msg: "Could not validate credentials", Reused: true}
)

// UnauthorizedError is a token whose user is gone or renamed, or which was
// revoked; Reused marks a refresh token presented a second time.
type UnauthorizedError struct {
	Msg    string
	Reused bool
}

func (e *UnauthorizedError) Error() string { return e.Msg }

// Is makes every UnauthorizedError match ErrUnauthorized.
func (e *UnauthorizedError) Is(target error) bool { return target == ErrUnauthorized }

// NotFoundError names what was missing.
type NotFoundError struct{ Msg string }

func (e *NotFoundError) Error() string { return e.Msg }

// Is makes every NotFoundError match ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// ConflictError is a uniqueness violation; the specific ones are
// ErrUsernameTaken and ErrEmailTaken.
type ConflictError struct{ Msg string }

func (e *ConflictError) Error() string { return e.Msg }

// Is makes every ConflictError match ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// ForbiddenError is an action the actor may not take.
type ForbiddenError struct{ Msg string }

func (e *ForbiddenError) Error() string { return e.Msg }

// Is makes every ForbiddenError match ErrForbidden.
func (e *ForbiddenError) Is(target error) bool { return target == ErrForbidden }

// RefusedError is a rule that refuses a well-formed request.
type RefusedError struct{ Msg string }

func (e *RefusedError) Error() string { return e.Msg }

// Is makes every RefusedError match ErrRefused.
func (e *RefusedError) Is(target error) bool { return target == ErrRefused }

// CredentialsError is a failed login; it never says which half was wrong.
type CredentialsError struct{}

func (e *CredentialsError) Error() string { return "Incorrect username or password" }

// FieldError is one invalid input field.
type FieldError struct {
	Field  string // "username", "text", ...
	Reason string // human text, e.g. "must be at most 280 characters"
	Type   string // machine code, e.g. "value_error.too_long"
}

// ValidationError lists every invalid field of one request.
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Reason
	}
	return strings.Join(parts, "; ")
}

// Is makes every ValidationError match ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// invalid builds a one-field ValidationError.
func invalid(field, typ, format string, args ...any) *ValidationError {
	return &ValidationError{Fields: []FieldError{{Field: field, Reason: fmt.Sprintf(format, args...), Type: typ}}}
}

// collect merges field errors; nil when there are none.
func collect(errs ...*ValidationError) error {
	var all ValidationError
	for _, e := range errs {
		if e != nil {
			all.Fields = append(all.Fields, e.Fields...)
		}
	}
	if len(all.Fields) == 0 {
		return nil
	}
	return &all
}

// IsClientError reports whether err is the caller's mistake rather than a fault.
func IsClientError(err error) bool {
	for _, kind := range []error{ErrNotFound, ErrConflict, ErrInvalid, ErrForbidden, ErrRefused, ErrUnauthorized, ErrLimited} {
		if errors.Is(err, kind) {
			return true
		}
	}
	var ce *CredentialsError
	return errors.As(err, &ce)
}
