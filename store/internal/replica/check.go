package replica

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/pamps/pamps/store/internal/sqldb"
)

func (set *Set) watch(ctx context.Context) {
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
func (set *Set) checkAll(ctx context.Context) {
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

func (set *Set) check(ctx context.Context, r *Replica, seen walSeen) {
	failed := r.failed.Load()
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
	defer r.mu.Unlock()
	if r.failed.Load() != failed {
		return // a read failed on it meanwhile: that stands until the next check
	}
	r.lag, r.why = lag, why
	r.up.Store(why == "")
}

// Pick is the next replica that is up, in turn; nil when none is (or
// when set is nil).
func (set *Set) Pick() *Replica {
	if set == nil {
		return nil
	}
	n := uint64(len(set.list))
	start := set.next.Add(1)
	for i := range n {
		if r := set.list[(start+i)%n]; r.up.Load() {
			return r
		}
	}
	return nil
}

// Close stops the checks and closes the connections.
func (set *Set) Close() {
	if set.stop != nil {
		set.stop()
		<-set.done
	}
	for _, r := range set.list {
		r.db.Close()
	}
}

// DB is the standby's handle.
func (r *Replica) DB() *sqldb.DB { return r.db }

// Answered counts a read the standby answered.
func (r *Replica) Answered() { r.reads.Add(1) }

// Failed skips the standby until a check passes: a read failed on it for a
// reason of its own, and runs again on the primary.
func (set *Set) Failed(r *Replica) {
	r.mu.Lock()
	r.failed.Add(1)
	r.why = "a read failed; skipped until a check passes"
	r.up.Store(false)
	r.mu.Unlock()
	set.fallbacks.Add(1)
}

// States is how each standby stands, and how many reads failed on one and
// ran again on the primary.
func (set *Set) States() (states []State, fallbacks uint64) {
	if set == nil {
		return nil, 0
	}
	for _, r := range set.list {
		r.mu.Lock()
		states = append(states, State{Name: r.db.Name(), Up: r.up.Load(), Lag: r.lag, Why: r.why, Reads: r.reads.Load()})
		r.mu.Unlock()
	}
	return states, set.fallbacks.Load()
}
