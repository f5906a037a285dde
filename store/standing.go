package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The standing cache: who is withheld (suspended, pending) and who is
// staff (moderator, admin), as every read must know (viewer.go). Read from
// the database it cost every statement a subplan — a fifth of a post
// lookup's throughput at the database (pgbench) — for a set that is
// almost always empty or a handful of ids. Each process keeps it in
// memory instead, read afresh at most standingTTL after the last read, and
// at once after a change made through this store: a suspension made
// elsewhere (another replica, the CLI) reaches these reads within
// standingTTL. Its sessions and streams end by the account event, not by
// this cache.

// standingTTL bounds how stale the cache may be.
const standingTTL = 500 * time.Millisecond

// Past these sizes the reads fall back to asking the database in each
// statement (a list written into every statement would cost more).
const (
	maxInlineWithheld = 100
	maxCachedStaff    = 1000
)

// standing is one reading of the cache.
type standing struct {
	at       time.Time
	withheld []int64 // sorted; nil with tooMany
	list     string  // withheld as SQL constants, "3, 17", made once
	staff    []int64 // sorted; nil with tooManyStaff
	tooMany  bool
	// tooManyStaff: the role is asked of the database.
	tooManyStaff bool
}

// standingCache is shared by a Store's copies (InTx).
type standingCache struct {
	mu  sync.Mutex
	cur atomic.Pointer[standing]
}

// isStaff reports whether id moderates, and whether the cache knows.
func (st *standing) isStaff(id int64) (staff, known bool) {
	if st.tooManyStaff {
		return false, false
	}
	_, found := slices.BinarySearch(st.staff, id)
	return found, true
}

// inList is withheld as an SQL list of constants: "3, 17".
func inList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

// standingNow is the cache, read afresh when older than standingTTL; nil
// when it cannot be read (the reads then ask the database themselves).
func (s *Store) standingNow(ctx context.Context) *standing {
	cur := s.stand.cur.Load()
	if cur != nil && time.Since(cur.at) < standingTTL {
		return cur
	}
	if cur != nil { // one reader reads it afresh; the others go on with this one
		if !s.stand.mu.TryLock() {
			return cur
		}
	} else {
		s.stand.mu.Lock() // nothing to go on with (the first read, a change made here)
	}
	defer s.stand.mu.Unlock()
	if cur := s.stand.cur.Load(); cur != nil && time.Since(cur.at) < standingTTL {
		return cur
	}
	st := &standing{at: time.Now()}
	// On the store's own handle: inside a transaction, its connection (one
	// from the pool could wait for a transaction that waits for it).
	ids := func(where string, limit int64, into *[]int64) error {
		return s.db.NewSelect().Table("user").Column("id").Where(where).Order("id").Limit(limit).Scan(ctx, into)
	}
	if ids("status <> 'active'", maxInlineWithheld+1, &st.withheld) != nil || ids("role <> 'member'", maxCachedStaff+1, &st.staff) != nil {
		return nil
	}
	st.tooMany, st.tooManyStaff = len(st.withheld) > maxInlineWithheld, len(st.staff) > maxCachedStaff
	st.list = inList(st.withheld)
	s.stand.cur.Store(st)
	return st
}

// standingChanged drops the cache after a change of someone's standing
// made here (after its commit), so this process's next read sees it.
func (s *Store) standingChanged() { s.stand.cur.Store(nil) }

// as is the reader of viewer (0: anyone; OperatorView: the operator), with
// the standing it reads by.
func (s *Store) as(ctx context.Context, viewer int64) reader {
	return reader{id: viewer, std: s.standingNow(ctx)}
}

// asCred is the reader holding a credential.
func (s *Store) asCred(ctx context.Context, c Credential) reader {
	return reader{cred: &c, std: s.standingNow(ctx)}
}

// mayAct is the rule that a withheld account does nothing, for the writes
// that name their actor by id (the CLI acting for a member, the TUI; the
// API's token check already refused one): nil unless actorID is withheld.
// The standing cache answers, so a write pays no statement for it; only an
// actor the cache says is withheld (or a cache that does not know) is read.
func (s *Store) mayAct(ctx context.Context, actorID int64) error {
	if st := s.standingNow(ctx); st != nil && !st.tooMany {
		if _, withheld := slices.BinarySearch(st.withheld, actorID); !withheld {
			return nil
		}
	}
	u, err := s.UserByID(ctx, actorID)
	if err != nil {
		return err
	}
	return u.Status.mayAct()
}
