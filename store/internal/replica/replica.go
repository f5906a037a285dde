// Package replica routes reads to PostgreSQL standbys (db.read_uris) and
// watches their health. Each is checked every Options.Every; one that does
// not answer, is not in recovery, or replays more than Options.MaxLag
// behind is skipped until a check passes again, and reads use the primary
// meanwhile. Which reads may go to a replica is the store's to say
// (Store.Read).
package replica

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pamps/pamps/store/internal/sqldb"
)

// State is how a read replica stands, for health pages and metrics.
type State struct {
	Name  string        // host:port/database, no credentials
	Up    bool          // reads go to it
	Lag   time.Duration // its replay delay at the last check; 0 when caught up
	Why   string        // why it is skipped, when it is
	Reads uint64        // reads it has answered
}

// Replica is one standby.
type Replica struct {
	db    *sqldb.DB
	up    atomic.Bool
	reads atomic.Uint64
	// failed counts the reads that failed on it: a check that began
	// before one does not undo its verdict.
	failed atomic.Uint64
	mu     sync.Mutex
	lag    time.Duration
	why    string
	// behind are the primary's WAL positions, with when they were seen,
	// that the standby had not replayed yet at the last check: the oldest
	// tells how far behind its replay is. Owned by the watcher.
	behind []walSeen
}

type walSeen struct {
	at  time.Time
	lsn int64
}

// Set is the standbys of one primary.
type Set struct {
	primary   *sqldb.DB
	list      []*Replica
	next      atomic.Uint64
	maxLag    time.Duration
	every     time.Duration
	fallbacks atomic.Uint64
	stop      context.CancelFunc
	done      chan struct{}
}

// Options configure a Set.
type Options struct {
	URIs   []string      // the standbys' postgresql:// URIs
	MaxLag time.Duration // 0 is 5 s
	Every  time.Duration // how often each is checked; 0 is 1 s
	// Open connects to a standby as the store connects to its primary.
	Open func(uri string) (*sqldb.DB, error)
}

// Open connects to each standby (connections are made on first use: one
// that is down now is skipped, not an error) and starts checking; nil
// when there are none.
func Open(primary *sqldb.DB, opt Options) (*Set, error) {
	if len(opt.URIs) == 0 {
		return nil, nil
	}
	set := &Set{primary: primary, maxLag: opt.MaxLag, every: opt.Every, done: make(chan struct{})}
	if set.maxLag <= 0 {
		set.maxLag = 5 * time.Second
	}
	if set.every <= 0 {
		set.every = time.Second
	}
	for _, uri := range opt.URIs {
		db, err := opt.Open(uri)
		if err != nil {
			set.Close()
			return nil, err
		}
		r := &Replica{db: db, why: "not checked yet"}
		set.list = append(set.list, r)
	}
	ctx, cancel := context.WithCancel(context.Background())
	set.stop = cancel
	go set.watch(ctx)
	return set, nil
}
