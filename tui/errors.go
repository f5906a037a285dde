package tui

import (
	"context"
	"errors"
	"time"

	"github.com/pamps/pamps/store"
)

// statusText is the TUI's one table from errors to the status line. Rule
// messages are the store's (the API's wording); faults get a generic line.
func statusText(err error) string { return store.Sentence(statusWords(err)) }

// statusWords is what a status line says of err.
func statusWords(err error) string {
	var (
		ve *store.ValidationError
		le *store.LimitError
	)
	switch {
	case errors.As(err, &ve):
		return ve.Error()
	case errors.As(err, &le):
		return le.Error() + ": try again in " + max(time.Second, le.Wait.Round(time.Second)).String()
	case store.IsClientError(err):
		return err.Error()
	case errors.Is(err, store.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return "The database is unavailable; retrying when you refresh (R)"
	case errors.Is(err, store.ErrStaleSchema):
		return "The database schema is out of date: run pamps db migrate"
	}
	return "Something went wrong (the database answered with an error)"
}
