package store

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// rawQuery runs a parameterised statement ("?" placeholders) on the pool or
// the current transaction; done gives back its turn (see turn) and must be
// called after the rows are closed. On PostgreSQL it goes through pgx's
// statement cache, so each shape is parsed and planned once per connection:
// bun writes the values into the text instead, and PostgreSQL then plans
// every request anew, which cost several times the lookup itself (measured
// with pgbench; the figures are in the commit that made this change). The
// query hooks (echo, tests' recorder) see the statement with its values
// written in.
func (s *Store) rawQuery(ctx context.Context, query string, args ...any) (rows *sql.Rows, done func(), err error) {
	var event *bun.QueryEvent
	if len(s.hooks) > 0 { // writing the values in costs more than the lookup
		event = &bun.QueryEvent{DB: s.root, Query: s.root.QueryGen().FormatQuery(query, args...), StartTime: time.Now()}
		for _, h := range s.hooks {
			ctx = h.BeforeQuery(ctx, event)
		}
	}
	q, a := query, args
	if s.dialect == Postgres {
		q = s.rebound.of(query)
		a = append([]any{pgx.QueryExecModeCacheStatement}, args...)
	}
	done = func() {}
	switch db := s.db.(type) {
	case bun.Tx: // its connection is already held
		rows, err = db.Tx.QueryContext(ctx, q, a...)
	default:
		if done, err = s.turn(ctx); err == nil {
			if rows, err = s.root.DB.QueryContext(ctx, q, a...); err != nil {
				done()
			}
		}
	}
	if event != nil {
		event.Err = err
		for i := len(s.hooks) - 1; i >= 0; i-- {
			s.hooks[i].AfterQuery(ctx, event)
		}
	}
	return rows, done, err
}

// turn waits, in arrival order, until fewer statements than the pool has
// connections are running, so that database/sql always has one free for
// this one. Every statement waits here: rawQuery's, bun's (turnHook), and
// each transaction once for all its statements (InTx). Left to itself, database/sql hands a freed connection to a
// random waiter (connRequestSet.TakeRandom), and at a full pool some wait
// far longer than others (the timeline's p99 fell by a third with turns, at
// the same rate; figures in that commit). done gives the turn back.
func (s *Store) turn(ctx context.Context) (done func(), err error) {
	select {
	case s.turns <- struct{}{}:
		return s.endTurn, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *Store) endTurn() { <-s.turns }

// inTxKey marks the context of a transaction's statements, which run on its
// connection under its turn.
type inTxKey struct{}

// turnKey marks a statement that took a turn in turnHook.
type turnKey struct{}

// turnHook puts the statements bun builds on the turns, as rawQuery's
// are: BeforeQuery takes one, AfterQuery (after bun has scanned the rows)
// gives it back. A transaction's statements run under its own turn.
type turnHook struct{ turns chan struct{} }

func (h turnHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	if ctx.Value(inTxKey{}) != nil {
		return ctx
	}
	select {
	case h.turns <- struct{}{}:
		return context.WithValue(ctx, turnKey{}, true)
	case <-ctx.Done(): // the statement fails on its context
		return ctx
	}
}

func (h turnHook) AfterQuery(ctx context.Context, _ *bun.QueryEvent) {
	if ctx.Value(turnKey{}) != nil {
		<-h.turns
	}
}

// rebinder remembers each statement's PostgreSQL spelling. The shapes are
// few, but a page's LIMIT is written into the text, so a client walking
// through every limit could make thousands: past rebinderMax the rest are
// rebound each time instead of kept.
type rebinder struct {
	m sync.Map
	n atomic.Int64
}

const rebinderMax = 1024

func (r *rebinder) of(query string) string {
	if q, ok := r.m.Load(query); ok {
		return q.(string)
	}
	q := rebind(query)
	if r.n.Load() < rebinderMax {
		if _, loaded := r.m.LoadOrStore(query, q); !loaded {
			r.n.Add(1)
		}
	}
	return q
}

// rebind numbers "?" placeholders as PostgreSQL's $1, $2...; the queries
// passed here have no "?" inside literals.
func rebind(query string) string {
	b := make([]byte, 0, len(query)+16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b = append(b, '$')
			b = strconv.AppendInt(b, int64(n), 10)
			continue
		}
		b = append(b, query[i])
	}
	return string(b)
}

// timeArg is an instant as a statement argument: SQLite compares text, so it
// gets the same text bun writes.
func (s *Store) timeArg(t Timestamp) any {
	if s.dialect == SQLite {
		return sqliteTime(t.Time)
	}
	return t.Time
}

// queryRow runs a statement that returns one row (an INSERT ... RETURNING)
// and scans it into dest; sql.ErrNoRows when there is none.
func (s *Store) queryRow(ctx context.Context, dest []any, query string, args ...any) error {
	rows, done, err := s.rawQuery(ctx, query, args...)
	if err != nil {
		return err
	}
	defer done()
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}
