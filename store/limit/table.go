package limit

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/pamps/pamps/store/internal/sqldb"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// Table counts events in the database's rate_limit table, so that every
// replica counts together (a Counter for Shared). PostgreSQL only: SQLite
// (one machine) keeps its limits in memory.
type Table struct {
	db *sqldb.DB
	// takes counts Take calls (old windows are pruned now and then).
	takes atomic.Int64
}

// NewTable counts in db's rate_limit table.
func NewTable(db *sqldb.DB) *Table { return &Table{db: db} }

// Take counts one event for every key against n per window. The count over the last
// window is a sliding estimate: this window's hits plus the previous
// window's, weighted by how much of it still overlaps. When any key would
// go over n, nothing is counted and wait says when to try again. undo gives
// the places back (an event that turned out not to count).
func (t *Table) Take(ctx context.Context, keys []string, n int, per time.Duration) (undo func(), wait time.Duration, ok bool, err error) {
	now, perMs := time.Now().UnixMilli(), per.Milliseconds()
	win := now / perMs
	into := float64(now%perMs) / float64(perMs)
	expires := (win + 2) * perMs // the next window's estimate reads this one
	rows, done, err := t.db.Query(ctx, t.db.Bun, `INSERT INTO rate_limit AS r (key, win, hits, expires) SELECT k, ?, 1, ? FROM unnest(?::text[]) AS k
ON CONFLICT (key, win) DO UPDATE SET hits = r.hits + 1
RETURNING r.hits, coalesce((SELECT p.hits FROM rate_limit AS p WHERE p.key = r.key AND p.win = r.win - 1), 0)`, win, expires, keys)
	if err != nil {
		return nil, 0, false, err
	}
	over := false
	for rows.Next() {
		var hits, prev int
		if err := rows.Scan(&hits, &prev); err != nil {
			rows.Close()
			done()
			return nil, 0, false, err
		}
		if float64(prev)*(1-into)+float64(hits) > float64(n) {
			over = true
		}
	}
	rows.Close()
	done()
	if err := rows.Err(); err != nil {
		return nil, 0, false, err
	}
	undo = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_, _ = t.db.Bun.ExecContext(ctx, `UPDATE rate_limit SET hits = hits - 1 WHERE key = ANY(?) AND win = ? AND hits > 0`, pgdialect.Array(keys), win)
	}
	if t.takes.Add(1)%1000 == 0 { // now and then, the counters no estimate reads
		_, _ = t.db.Bun.ExecContext(ctx, `DELETE FROM rate_limit WHERE expires < ?`, now)
	}
	if over {
		undo() // a refused event changes nothing
		return nil, time.Duration((1 - into) * float64(per)), false, nil
	}
	return undo, 0, true, nil
}
