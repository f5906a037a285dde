package store

import (
	"context"
	"errors"

	"github.com/pamps/pamps/store/dburi"
	"github.com/pamps/pamps/store/internal/replica"
	"github.com/pamps/pamps/store/internal/sqldb"
	"github.com/uptrace/bun"
)

// Read replicas (Options.ReadURIs): PostgreSQL standbys that serve the
// reads a front end sends through Read; package replica routes them and
// watches the standbys' health.

// ReplicaState is how a read replica stands, for health pages and metrics.
type ReplicaState = replica.State

// CheckReadURIs is the rule for read replicas: PostgreSQL standbys, of a
// PostgreSQL primary.
func CheckReadURIs(primary string, reads []string) error { return dburi.CheckReadURIs(primary, reads) }

// openReplicas connects to the standbys of opts.ReadURIs.
func openReplicas(opts Options, primary *sqldb.DB) (*replica.Set, error) {
	if len(opts.ReadURIs) == 0 {
		return nil, nil
	}
	if err := CheckReadURIs(opts.URI, opts.ReadURIs); err != nil {
		return nil, err
	}
	return replica.Open(primary, replica.Options{URIs: opts.ReadURIs, MaxLag: opts.ReplicaMaxLag, Every: opts.ReplicaCheckEvery,
		Open: func(uri string) (*sqldb.DB, error) {
			return sqldb.Open(context.Background(), sqldb.Options{URI: uri, MaxOpenConns: opts.MaxOpenConns, Hooks: opts.Hooks, Translate: translate})
		}})
}

// Read runs fn on a read replica that is up, else on the primary, and
// inside a transaction always on it. fn must only read. A replica that
// fails a read for a reason of its own (not an answer of the store's,
// such as not found) is skipped until its next check passes, and fn runs
// again on the primary: a client never sees a replica's failure.
func (s *Store) Read(ctx context.Context, fn func(ctx context.Context, st *Store) error) error {
	var r *replica.Replica
	if _, inTx := s.db.(bun.Tx); !inTx {
		r = s.replicas.Pick()
	}
	if r == nil {
		return fn(ctx, s)
	}
	on := *s
	on.db, on.sql = r.DB().Bun, r.DB()
	err := fn(ctx, &on)
	if err == nil || isAnswer(err) || ctx.Err() != nil {
		r.Answered()
		return err
	}
	s.replicas.Failed(r)
	return fn(ctx, s)
}

// isAnswer tells the store's own answers from failures.
func isAnswer(err error) bool {
	for _, e := range []error{ErrNotFound, ErrInvalid, ErrConflict, ErrForbidden, ErrRefused, ErrUnauthorized} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Replicas is how each read replica stands, and how many reads failed on
// one and ran again on the primary.
func (s *Store) Replicas() (states []ReplicaState, fallbacks uint64) { return s.replicas.States() }
