package server

import (
	"math"
	"sync"
	"time"
)

// loginLimiter counts failed logins per key (a client address, a username)
// in a sliding window. It lives in memory: each replica counts on its own.
type loginLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time
	mu     sync.Mutex
	fails  map[string][]time.Time
	sweep  time.Time
}

func newLoginLimiter(limit int, window time.Duration) *loginLimiter {
	return &loginLimiter{limit: limit, window: window, now: time.Now, fails: map[string][]time.Time{}}
}

func (l *loginLimiter) enabled() bool { return l.limit > 0 && l.window > 0 }

// blocked reports whether any key is over the limit, and for how long.
func (l *loginLimiter) blocked(keys ...string) (time.Duration, bool) {
	if !l.enabled() {
		return 0, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var wait time.Duration
	for _, k := range keys {
		recent := l.prune(k, now)
		if len(recent) >= l.limit {
			wait = max(wait, recent[len(recent)-l.limit].Add(l.window).Sub(now))
		}
	}
	return wait, wait > 0
}

// fail records a failed login for every key.
func (l *loginLimiter) fail(keys ...string) {
	if !l.enabled() {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	for _, k := range keys {
		l.fails[k] = append(l.prune(k, now), now)
	}
	if now.Sub(l.sweep) > l.window { // forget idle keys so memory stays bounded
		for k := range l.fails {
			if len(l.prune(k, now)) == 0 {
				delete(l.fails, k)
			}
		}
		l.sweep = now
	}
}

// prune drops failures older than the window; the caller holds mu.
func (l *loginLimiter) prune(key string, now time.Time) []time.Time {
	list := l.fails[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= l.window {
		i++
	}
	list = list[i:]
	if len(list) > l.limit { // only the newest limit entries matter
		list = list[len(list)-l.limit:]
	}
	l.fails[key] = list
	return list
}

// retryAfter renders a wait as whole seconds, at least 1.
func retryAfter(d time.Duration) int { return int(math.Max(1, math.Ceil(d.Seconds()))) }
