package server

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pamps/pamps/store"
)

// rateLimit is what the handlers ask before an event that is limited.
type rateLimit interface {
	take(keys ...string) (release func(), wait time.Duration, ok bool)
}

// sharedLimiter counts in the database (PostgreSQL), so that the limit is
// the limit whatever the number of replicas; when the database does not
// answer, this replica counts on its own meanwhile.
type sharedLimiter struct {
	name   string // keeps the limiters' keys apart in one table
	rate   Rate
	st     *store.Store
	local  *limiter
	log    *slog.Logger
	warned atomic.Int64 // Unix seconds of the last warning: one every 10 s
}

func (l *sharedLimiter) take(keys ...string) (func(), time.Duration, bool) {
	if !l.rate.enabled() {
		return func() {}, 0, true
	}
	named := make([]string, len(keys))
	for i, k := range keys {
		// PostgreSQL's text holds no NUL, which separates a pair's parts.
		named[i] = l.name + ":" + strings.ReplaceAll(k, "\x00", "|")
	}
	if len(named) == 0 {
		return func() {}, 0, true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	undo, wait, ok, err := l.st.TakeRate(ctx, named, l.rate.N, l.rate.Per)
	if err != nil {
		if now := time.Now().Unix(); now-l.warned.Load() >= 10 {
			l.warned.Store(now)
			l.log.Warn("shared rate limit unavailable: this replica counts on its own meanwhile", "limit", l.name, "error", err)
		}
		return l.local.take(keys...)
	}
	if !ok {
		return nil, max(wait, time.Second), false
	}
	return undo, 0, true
}

// newRateLimit is shared by the replicas on PostgreSQL, in memory on SQLite.
func newRateLimit(st *store.Store, log *slog.Logger, name string, r Rate) rateLimit {
	local := newLimiter(r)
	if st == nil || st.Dialect() != store.Postgres {
		return local
	}
	return &sharedLimiter{name: name, rate: r, st: st, local: local, log: log}
}
