package sqldb

import (
	"context"
	"database/sql"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// The change signal: a statement that may have recorded live events
// signals once it is committed (the driver wrapper sees every statement:
// evented.go). This process's watchers hear of it at once; on
// PostgreSQL the other processes hear of it through one NOTIFY, sent by
// one goroutine outside the write's transaction (a NOTIFY inside it would
// take the database-wide lock PostgreSQL holds while notifying
// transactions commit, one after the other), and coalesced: writes made
// while one NOTIFY is in flight share the next.

// Channel is the PostgreSQL notification channel of live events.
const Channel = "pamps_events"

// notifyEvery is the least time between two NOTIFYs of one process.
const notifyEvery = 5 * time.Millisecond

type signal struct {
	notify   bool // PostgreSQL: other processes hear of it by a NOTIFY
	mu       sync.Mutex
	watchers map[int]func()
	next     int
	pending  chan struct{} // a NOTIFY is due (capacity 1)
	flushed  chan struct{} // closed when the notifier has stopped
	stop     chan struct{}
	stopOnce sync.Once
}

func newSignal(notify bool) *signal {
	return &signal{notify: notify, watchers: map[int]func(){}, pending: make(chan struct{}, 1), flushed: make(chan struct{}), stop: make(chan struct{})}
}

// fire tells the watchers, and has a NOTIFY sent.
func (sig *signal) fire() {
	sig.mu.Lock()
	for _, w := range sig.watchers {
		w()
	}
	sig.mu.Unlock()
	if sig.notify {
		select {
		case sig.pending <- struct{}{}:
		default: // one is due already
		}
	}
}

// OnChange calls wake after every change this process commits; the
// returned function stops it. wake must not block.
func (db *DB) OnChange(wake func()) (stop func()) {
	db.sig.mu.Lock()
	defer db.sig.mu.Unlock()
	id := db.sig.next
	db.sig.next++
	db.sig.watchers[id] = wake
	return func() {
		db.sig.mu.Lock()
		delete(db.sig.watchers, id)
		db.sig.mu.Unlock()
	}
}

// notifier sends the NOTIFYs that are due, one at a time, on the pool but
// outside the turns and the query hooks: it is no request's statement, and
// must not wait behind queued requests to wake other processes.
func (db *DB) notifier() {
	defer close(db.sig.flushed)
	for {
		select {
		case <-db.sig.pending:
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_, _ = db.Bun.DB.ExecContext(ctx, "SELECT pg_notify('"+Channel+"', '')")
			cancel()
			// Writes of the next few milliseconds share the next NOTIFY:
			// under a write load one per write cost POST /post/ a part of
			// its throughput (bench/ab.sh), for no reader's gain.
			select {
			case <-time.After(notifyEvery):
			case <-db.sig.stop:
			}
		case <-db.sig.stop:
			select { // the last write's NOTIFY still goes out
			case <-db.sig.pending:
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				_, _ = db.Bun.DB.ExecContext(ctx, "SELECT pg_notify('"+Channel+"', '')")
				cancel()
			default:
			}
			return
		}
	}
}

// stopSignal ends the notifier after it has sent what is due.
func (db *DB) stopSignal() {
	db.sig.stopOnce.Do(func() { close(db.sig.stop) })
	if db.Dialect != Postgres {
		return
	}
	select {
	case <-db.sig.flushed:
	case <-time.After(3 * time.Second):
	}
}

// Listen calls wake after each notification of other processes' changes,
// and after each (re)connection, when some may have been missed, until ctx
// ends. On PostgreSQL it holds one connection of its own, outside the pool,
// and connects again (after a pause growing to 2 s) when it is lost. On
// SQLite, which has no notifications, one connection of its own asks every
// `every` whether another has committed (PRAGMA data_version): one cheap
// question per process, whatever the number of subscribers.
func (db *DB) Listen(ctx context.Context, every time.Duration, wake func()) {
	if db.Dialect == Postgres {
		db.listenPostgres(ctx, wake)
		return
	}
	db.watchSQLite(ctx, every, wake)
}

func (db *DB) listenPostgres(ctx context.Context, wake func()) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, db.pgConfig)
		if err == nil {
			_, err = conn.Exec(ctx, "LISTEN "+Channel)
		}
		if err == nil {
			pause = 100 * time.Millisecond
			wake()
			for err == nil {
				_, err = conn.WaitForNotification(ctx)
				if err == nil {
					wake()
				}
			}
		}
		if conn != nil {
			closeCtx, cancel := context.WithTimeout(context.Background(), time.Second)
			conn.Close(closeCtx)
			cancel()
		}
		select {
		case <-ctx.Done():
		case <-time.After(pause):
		}
		pause = min(2*pause, 2*time.Second)
	}
}

func (db *DB) watchSQLite(ctx context.Context, every time.Duration, wake func()) {
	one := sql.OpenDB(db.connector)
	defer one.Close()
	one.SetMaxOpenConns(1)
	var last int64 = -1
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		var v int64
		if err := one.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err == nil && v != last {
			wake() // the first time too: a commit may have come before
			last = v
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
