// Package limit counts events against rates: in memory for one process, or
// in the database so that every replica counts together. It is the store's
// plumbing; which actions are limited, and by what key, is the store's rule.
package limit

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"
)

// Rate is a limit of N events per window; a zero Rate is no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// Enabled reports whether the rate limits anything.
func (r Rate) Enabled() bool { return r.N > 0 && r.Per > 0 }

// Limiter takes one place per key for an event, or none when any key is at
// its limit: a refused take changes nothing. release gives the places back
// (for an event that turned out not to count); wait is how long until one
// more would fit.
type Limiter interface {
	Take(ctx context.Context, keys ...string) (release func(), wait time.Duration, ok bool)
}

// Counter counts one event for every key in a shared place (the database),
// as Table.Take does.
type Counter func(ctx context.Context, keys []string, n int, per time.Duration) (undo func(), wait time.Duration, ok bool, err error)

// Off limits nothing.
var Off Limiter = off{}

type off struct{}

func (off) Take(context.Context, ...string) (func(), time.Duration, bool) { return func() {}, 0, true }

// Shared counts with count, so that the limit is the limit whatever the
// number of replicas; when count fails (the database does not answer), this
// process counts on its own meanwhile, and says so once every 10 s.
func Shared(name string, r Rate, count Counter, log *slog.Logger) Limiter {
	if !r.Enabled() {
		return Off
	}
	return &shared{name: name, rate: r, count: count, local: newMemory(r), log: log}
}

type shared struct {
	name   string // keeps the limiters' keys apart in one table
	rate   Rate
	count  Counter
	local  *memory
	log    *slog.Logger
	warned atomic.Int64 // Unix seconds of the last warning
}

func (l *shared) Take(ctx context.Context, keys ...string) (func(), time.Duration, bool) {
	if len(keys) == 0 {
		return func() {}, 0, true
	}
	named := make([]string, len(keys))
	for i, k := range keys {
		// PostgreSQL's text holds no NUL, which separates a pair's parts.
		named[i] = l.name + ":" + strings.ReplaceAll(k, "\x00", "|")
	}
	// The count runs to its end even when the caller gives up (a client
	// that hangs up must not make this process fall back to counting alone,
	// and warn), and never longer than 2 s.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	undo, wait, ok, err := l.count(ctx, named, l.rate.N, l.rate.Per)
	if err != nil {
		if now := time.Now().Unix(); now-l.warned.Load() >= 10 {
			l.warned.Store(now)
			l.log.Warn("shared rate limit unavailable: this process counts on its own meanwhile", "limit", l.name, "error", err)
		}
		return l.local.Take(ctx, keys...)
	}
	if !ok {
		return nil, max(wait, time.Second), false
	}
	return undo, 0, true
}
