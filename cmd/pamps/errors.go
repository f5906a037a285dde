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
	case cobraUsageError(err):
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
	fmt.Fprintln(a.Err, "Error: "+msg)
	return code
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
