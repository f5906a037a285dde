package sqldb

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// maxAttempts bounds how often a statement or transaction meets a deadlock
// or a serialization failure before its error is returned.
const maxAttempts = 5

// retryable reports whether PostgreSQL failed a statement or transaction to
// break a deadlock (40P01) or a serialization conflict (40001): nothing of
// it was kept, so running it again is safe.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// retry runs fn, and when again is true, runs it again after a short random
// pause while it fails as retryable. A statement inside a transaction is
// not run again (the transaction is lost; RunInTx retries all of it).
func retry(ctx context.Context, again bool, fn func() error) error {
	for attempt := 1; ; attempt++ {
		err := fn()
		if !again || attempt == maxAttempts || !retryable(err) {
			return err
		}
		pause := time.Duration(rand.Int64N(int64(attempt) * int64(5*time.Millisecond)))
		select {
		case <-time.After(pause):
		case <-ctx.Done():
			return err
		}
	}
}
