package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/store"
)

// Exit codes.
const (
	exitFailure = 1 // not found, conflict, invalid, database unreachable, ...
	exitUsage   = 2 // bad flags or arguments
	exitSignal  = 130
)

// usageError is a mistake on the command line.
type usageError struct{ error }

// usage wraps err as a usage error (exit 2).
func usage(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// failure is an error whose message is written for the operator (exit 1).
type failure struct{ error }

// fail makes a failure.
func fail(format string, args ...any) error { return failure{fmt.Errorf(format, args...)} }

// silentError has already been reported; it only sets the exit code.
type silentError struct{ code int }

func (e silentError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// report prints err as one "Error:" line and returns the exit code: the CLI's
// one table from errors to what the operator sees.
func (a *App) report(err error) int {
	var (
		ue  usageError
		fe  failure
		se  silentError
		ve  *store.ValidationError
		ce  *config.Error
		me  *store.MigrationError
		ua  *store.UnavailableError
		msg string
	)
	code := exitFailure
	switch {
	case errors.As(err, &se):
		return se.code
	case errors.As(err, &ue):
		msg, code = ue.Error(), exitUsage
	case errors.As(err, &fe):
		msg = fe.Error()
	case !a.started: // cobra refused the command line before running anything
		msg, code = err.Error(), exitUsage
	case errors.As(err, &ve):
		var parts []string
		for _, f := range ve.Fields {
			parts = append(parts, f.Field+" "+f.Reason)
		}
		msg = strings.Join(parts, "; ")
	case errors.As(err, &ce):
		msg = ce.Error()
	case errors.As(err, &me):
		msg = me.Error()
	case errors.Is(err, store.ErrStaleSchema):
		msg = err.Error() + "; run `pamps db migrate`"
	case errors.As(err, &ua) && ua.Why != "":
		msg = "cannot use the database: " + ua.Why
	case errors.Is(err, store.ErrUnavailable):
		msg = "cannot reach the database: " + rootCause(err)
	case store.IsClientError(err):
		msg = err.Error()
	case errors.Is(err, errInterrupted), errors.Is(err, context.Canceled):
		msg, code = "interrupted", exitSignal
	default:
		msg = "internal error"
		if a.flags.debug || a.Getenv("PAMPS_DEBUG") != "" {
			msg += ": " + err.Error()
		} else {
			msg += " (run with --debug for details)"
		}
	}
	fmt.Fprintln(a.Err, "Error: "+store.Sentence(msg))
	return code
}

// message is an error that is only its text, as the operator reads it
// (capitalised like the API's details).
type message string

func (m message) Error() string { return string(m) }

// userNotFound names the user a lookup did not find: `User "nobody" not
// found`, where the store's message, written for the API, says only
// "User not found".
func userNotFound(err error, name string) error {
	if errors.Is(err, store.ErrUserNotFound) {
		return failure{message(fmt.Sprintf("User %q not found", name))}
	}
	return err
}

// postNotFound names the post (or the parent of a reply) not found.
func postNotFound(err error, id int64) error {
	switch {
	case errors.Is(err, store.ErrPostNotFound):
		return failure{message(fmt.Sprintf("Post %d not found", id))}
	case errors.Is(err, store.ErrParentNotFound):
		return failure{message(fmt.Sprintf("Parent post %d not found", id))}
	}
	return err
}

// checkLimit refuses a --limit out of 1..1000 as the API does: 0 listed the
// default 100.
func checkLimit(limit int) error {
	if limit < 1 || limit > store.MaxLimit {
		return usage("--limit must be between 1 and %d, got %d", store.MaxLimit, limit)
	}
	return nil
}

// rootCause is the innermost error's text, which for connection failures is
// the useful part ("connection refused").
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			msg, _, _ := strings.Cut(strings.TrimSpace(err.Error()), "\n")
			return msg
		}
		err = next
	}
}
