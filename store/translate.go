package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// translate turns driver errors into the store's kinds, in this one place.
// Errors that are already the store's own pass through unchanged.
func translate(err error) error {
	if err == nil || IsClientError(err) || errors.Is(err, ErrUnavailable) || errors.Is(err, ErrStaleSchema) {
		return err
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return translatePostgres(pgErr, err)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		return translateSQLite(liteErr, err)
	}
	if isConnectionError(err) {
		return &UnavailableError{Cause: err}
	}
	return err
}

func translatePostgres(pgErr *pgconn.PgError, err error) error {
	switch {
	case pgErr.Code == "23505": // unique_violation
		return conflictFor(pgErr.ConstraintName)
	case pgErr.Code == "23503": // foreign_key_violation
		return missingFor(pgErr.ConstraintName)
	case pgErr.Code == "22021" || pgErr.Code == "22P05": // bad byte sequence, NUL in text
		return invalid("text", "value_error.encoding", "must be valid UTF-8 without NUL characters")
	case strings.HasPrefix(pgErr.Code, "22"): // data exception: a value out of range or of the wrong form
		return invalid("value", "value_error", "is out of range or malformed")
	case strings.HasPrefix(pgErr.Code, "08"), // connection exception
		pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03", // shutting down, cannot connect now
		pgErr.Code == "53300": // too many connections
		return &UnavailableError{Cause: err}
	case pgErr.Code == "3D000": // invalid_catalog_name: no such database
		return &UnavailableError{Cause: err, Why: pgErr.Message + ": create it (createdb, or CREATE DATABASE as a superuser), or name another in db.uri"}
	case pgErr.Code == "28000": // invalid_authorization_specification: no such role, or not allowed
		return &UnavailableError{Cause: err, Why: pgErr.Message + ": create the role (createuser, or CREATE ROLE ... LOGIN), or name another user in db.uri"}
	case pgErr.Code == "28P01": // invalid_password
		return &UnavailableError{Cause: err, Why: pgErr.Message + ": check the user and password in db.uri"}
	}
	return err
}

func translateSQLite(liteErr *sqlite.Error, err error) error {
	switch liteErr.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return conflictFor(liteErr.Error())
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		// SQLite does not say which key; callers check parents first, so this is a race.
		return &NotFoundError{Msg: "Referenced row not found"}
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY:
		return &UnavailableError{Cause: err}
	}
	switch liteErr.Code() & 0xff { // primary result code of an extended one
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY:
		return &UnavailableError{Cause: err}
	}
	return err
}

// conflictFor maps a constraint (or SQLite's message naming it) to a field.
func conflictFor(constraint string) error {
	c := strings.ToLower(constraint)
	switch {
	case strings.Contains(c, "username"):
		return ErrUsernameTaken
	case strings.Contains(c, "email"):
		return ErrEmailTaken
	case strings.Contains(c, "fingerprint"):
		return ErrKeyTaken
	}
	return &ConflictError{Msg: "Already exists"}
}

func missingFor(constraint string) error {
	c := strings.ToLower(constraint)
	switch {
	case strings.Contains(c, "parent"):
		return ErrParentNotFound
	case strings.Contains(c, "post_id"):
		return ErrPostNotFound
	}
	return ErrUserNotFound
}

// UnavailableError is a database that cannot be reached; it keeps the cause
// for the log while front ends show a generic message.
type UnavailableError struct {
	Cause error
	// Why says what to fix, when the server said it (a database or role
	// that does not exist, a wrong password); "" for a server away.
	Why string
}

func (e *UnavailableError) Error() string {
	if e.Why != "" {
		return "database unavailable: " + e.Why
	}
	return "database unavailable: " + e.Cause.Error()
}

// Is makes every UnavailableError match ErrUnavailable.
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// Unwrap exposes the cause.
func (e *UnavailableError) Unwrap() error { return e.Cause }

func isConnectionError(err error) bool {
	var connErr *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connErr), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, context.DeadlineExceeded):
		return true
	}
	return pgconn.Timeout(err)
}
