package sqldb

import (
	"context"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// turn waits, in arrival order, until fewer statements than the pool has
// connections are running, so that database/sql always has one free for
// this one. Every statement waits here: Query's, bun's (turnHook), and
// each transaction once for all its statements (RunInTx). Left to
// itself, database/sql hands a freed connection to a random waiter (connRequestSet.TakeRandom), and at a full pool some wait
// far longer than others (the timeline's p99 fell by a third with turns, at
// the same rate; figures in that commit). done gives the turn back.
func (db *DB) turn(ctx context.Context) (done func(), err error) {
	select {
	case db.turns <- struct{}{}: // a free place: no wait to count
		return db.endTurn, nil
	default:
	}
	db.waiting.Add(1)
	defer db.waiting.Add(-1)
	select {
	case db.turns <- struct{}{}:
		return db.endTurn, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (db *DB) endTurn() { <-db.turns }

// inTxKey marks the context of a transaction's statements, which run on its
// connection under its turn.
type inTxKey struct{}

// turnKey marks a statement that took a turn in turnHook.
type turnKey struct{}

// turnHook puts the statements bun builds on the turns, as Query's
// are: BeforeQuery takes one, AfterQuery (after bun has scanned the rows)
// gives it back. A transaction's statements run under its own turn.
type turnHook struct {
	turns   chan struct{}
	waiting *atomic.Int64
}

func (h turnHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	if ctx.Value(inTxKey{}) != nil {
		return ctx
	}
	h.waiting.Add(1)
	defer h.waiting.Add(-1)
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
