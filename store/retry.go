package store

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
)

// maxAttempts bounds how often a write meets a deadlock or a serialization
// failure before its error is returned.
const maxAttempts = 5

// retryable reports whether PostgreSQL failed a statement or transaction to
// break a deadlock (40P01) or a serialization conflict (40001): nothing of
// it was kept, so running it again is safe.
func retryable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && (pgErr.Code == "40P01" || pgErr.Code == "40001")
}

// retry runs a write, and again after a short random pause when PostgreSQL
// failed it as retryable. Every write of the store goes through it (InTx
// does, for transactions). Inside a transaction it runs fn once: the
// transaction is lost, and the InTx around it is what retries.
func (s *Store) retry(ctx context.Context, fn func() error) error {
	if _, inTx := s.db.(bun.Tx); inTx {
		return fn()
	}
	for attempt := 1; ; attempt++ {
		err := fn()
		if attempt == maxAttempts || !retryable(err) {
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
