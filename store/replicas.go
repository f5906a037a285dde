package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pamps/pamps/store/internal/sqldb"
	"github.com/uptrace/bun"
)

// Read replicas (Options.ReadURIs): PostgreSQL standbys that serve the
// reads a front end sends through Read. Each is checked every
// ReplicaCheckEvery; one that does not answer, is not in recovery, or
// replays more than ReplicaMaxLag behind is skipped until a check passes
// again, and reads use the primary meanwhile.

// ReplicaState is how a read replica stands, for health pages and metrics.
type ReplicaState struct {
	Name  string        // host:port/database, no credentials
	Up    bool          // reads go to it
	Lag   time.Duration // its replay delay at the last check; 0 when caught up
	Why   string        // why it is skipped, when it is
	Reads uint64        // reads it has answered
}

type replica struct {
	db    *sqldb.DB
	up    atomic.Bool
	reads atomic.Uint64
	mu    sync.Mutex
	lag   time.Duration
	why   string
	// behind are the primary's WAL positions, with when they were seen,
	// that the standby had not replayed yet at the last check: the oldest
	// tells how far behind its replay is. Owned by the watcher.
	behind []walSeen
}

type walSeen struct {
	at  time.Time
	lsn int64
}

type replicaSet struct {
	primary   *sqldb.DB
	list      []*replica
	next      atomic.Uint64
	maxLag    time.Duration
	every     time.Duration
	fallbacks atomic.Uint64
	stop      context.CancelFunc
	done      chan struct{}
}

// CheckReadURIs is the rule for read replicas: PostgreSQL standbys, of a
// PostgreSQL primary.
func CheckReadURIs(primary string, reads []string) error {
	if len(reads) == 0 {
		return nil
	}
	if d, err := DialectOf(primary); primary == "" || err != nil || d != Postgres {
		return errors.New("read replicas need a PostgreSQL primary")
	}
	for _, u := range reads {
		if d, err := DialectOf(u); err != nil || d != Postgres {
			return fmt.Errorf("expected postgresql:// URLs of standbys, got %s", RedactURI(u))
		}
	}
	return nil
}

// openReplicas connects to each standby (connections are made on first
// use: one that is down now is skipped, not an error) and starts checking.
func openReplicas(opts Options, primary *sqldb.DB) (*replicaSet, error) {
	if len(opts.ReadURIs) == 0 {
		return nil, nil
	}
	if err := CheckReadURIs(opts.URI, opts.ReadURIs); err != nil {
		return nil, err
	}
	set := &replicaSet{primary: primary, maxLag: opts.ReplicaMaxLag, every: opts.ReplicaCheckEvery, done: make(chan struct{})}
	if set.maxLag <= 0 {
		set.maxLag = 5 * time.Second
	}
	if set.every <= 0 {
		set.every = time.Second
	}
	for _, uri := range opts.ReadURIs {
		db, err := sqldb.Open(context.Background(), sqldb.Options{URI: uri, MaxOpenConns: opts.MaxOpenConns, Hooks: opts.Hooks, Translate: translate})
		if err != nil {
			set.close()
			return nil, err
		}
		r := &replica{db: db, why: "not checked yet"}
		set.list = append(set.list, r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	set.stop = cancel
	go set.watch(ctx)
	return set, nil
}

func (set *replicaSet) watch(ctx context.Context) {
	defer close(set.done)
	t := time.NewTicker(set.every)
	defer t.Stop()
	for {
		set.checkAll(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// checkAll takes the primary's WAL position, then asks each standby
// whether it is one and how far it has replayed. Its lag is the age of
// the oldest position seen on the primary that it had not replayed: so a
// standby that has all there is is not behind, however long ago its last
// transaction, and a paused or stuck replay ages from the first write it
// misses.
func (set *replicaSet) checkAll(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, max(set.every, time.Second))
	defer cancel()
	var primary int64
	if err := set.primary.Bun.DB.QueryRowContext(ctx, `SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint`).Scan(&primary); err != nil {
		return // the primary's trouble: the standbys cannot be judged now
	}
	now := time.Now()
	var wg sync.WaitGroup
	for _, r := range set.list {
		wg.Go(func() { set.check(ctx, r, walSeen{now, primary}) })
	}
	wg.Wait()
}

func (set *replicaSet) check(ctx context.Context, r *replica, seen walSeen) {
	var standby bool
	var replayed int64
	var replayAge float64
	err := r.db.Bun.DB.QueryRowContext(ctx, `SELECT pg_is_in_recovery(),
		COALESCE((pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, -1),
		COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), -1)::float8`).Scan(&standby, &replayed, &replayAge)
	if err != nil {
		replayed = -1 // nothing is known to be replayed: the positions keep ageing
	}
	if n := len(r.behind); n == 0 || r.behind[n-1].lsn < seen.lsn {
		r.behind = append(r.behind, seen)
	}
	i := 0
	for i < len(r.behind) && r.behind[i].lsn <= replayed {
		i++
	}
	r.behind = r.behind[i:]
	if len(r.behind) > 64 { // the oldest is what counts
		r.behind = append(r.behind[:1], r.behind[len(r.behind)-63:]...)
	}
	var lag time.Duration
	if len(r.behind) > 0 {
		lag = seen.at.Sub(r.behind[0].at)
	}
	// Behind now, with no earlier position to age from (the first check, or
	// one after being caught up): the age of the last transaction it
	// replayed stands in, so that a standby hours behind when first seen is
	// not taken as current until its positions have aged.
	if len(r.behind) == 1 && r.behind[0] == seen && replayAge > 0 {
		lag = time.Duration(replayAge * float64(time.Second))
	}
	why := ""
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return // closing
	case err != nil:
		why = "does not answer"
	case !standby:
		why = "is not a standby (promoted?): it may hold what the primary does not"
	case lag > set.maxLag:
		why = fmt.Sprintf("replays %s behind, over db.replica_max_lag (%s)", lag.Round(time.Millisecond), set.maxLag)
	}
	r.mu.Lock()
	r.lag, r.why = lag, why
	r.mu.Unlock()
	r.up.Store(why == "")
}

// pick is the next replica that is up, in turn; nil when none is.
func (set *replicaSet) pick() *replica {
	n := uint64(len(set.list))
	start := set.next.Add(1)
	for i := range n {
		if r := set.list[(start+i)%n]; r.up.Load() {
			return r
		}
	}
	return nil
}

func (set *replicaSet) close() {
	if set.stop != nil {
		set.stop()
		<-set.done
	}
	for _, r := range set.list {
		r.db.Close()
	}
}

// Read runs fn on a read replica that is up, else on the primary, and
// inside a transaction always on it. fn must only read. A replica that
// fails a read for a reason of its own (not an answer of the store's,
// such as not found) is skipped until its next check passes, and fn runs
// again on the primary: a client never sees a replica's failure.
func (s *Store) Read(ctx context.Context, fn func(ctx context.Context, st *Store) error) error {
	var r *replica
	if _, inTx := s.db.(bun.Tx); !inTx && s.replicas != nil {
		r = s.replicas.pick()
	}
	if r == nil {
		return fn(ctx, s)
	}
	on := *s
	on.db, on.sql = r.db.Bun, r.db
	err := fn(ctx, &on)
	if err == nil || isAnswer(err) || ctx.Err() != nil {
		r.reads.Add(1)
		return err
	}
	r.mu.Lock()
	r.why = "a read failed; skipped until a check passes"
	r.mu.Unlock()
	r.up.Store(false)
	s.replicas.fallbacks.Add(1)
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
func (s *Store) Replicas() (states []ReplicaState, fallbacks uint64) {
	if s.replicas == nil {
		return nil, 0
	}
	for _, r := range s.replicas.list {
		r.mu.Lock()
		states = append(states, ReplicaState{Name: r.db.Name(), Up: r.up.Load(), Lag: r.lag, Why: r.why, Reads: r.reads.Load()})
		r.mu.Unlock()
	}
	return states, s.replicas.fallbacks.Load()
}
