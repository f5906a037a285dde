package limit

import (
	"container/list"
	"context"
	"math"
	"sync"
	"time"
)

// maxLimiterKeys bounds the keys one limiter tracks. A key is at most a
// client address and a username (both bounded in length), so a full limiter
// holds a few megabytes whatever clients send; past it the least recently
// used key is forgotten.
const maxLimiterKeys = 100_000

// memory counts events per key (a client address, a username, a user) with
// a sliding-window counter: this window's count plus the previous window's,
// weighted by how much of it still overlaps the last Per. Each key costs a
// fixed size, whatever the limit. It lives in memory: each replica counts on
// its own.
type memory struct {
	rate    Rate
	now     func() time.Time
	maxKeys int

	mu    sync.Mutex
	keys  map[string]*list.Element // of *counter
	order *list.List               // least recently used at the front
}

type counter struct {
	key        string
	start      time.Time // of the current window
	curr, prev int
}

// Memory is a limiter of this process alone.
func Memory(r Rate) Limiter { return newMemory(r) }

func newMemory(r Rate) *memory {
	return &memory{rate: r, now: time.Now, maxKeys: maxLimiterKeys, keys: map[string]*list.Element{}, order: list.New()}
}

// roll moves c's windows forward to now.
func (l *memory) roll(c *counter, now time.Time) {
	switch d := now.Sub(c.start); {
	case d < l.rate.Per:
	case d < 2*l.rate.Per:
		c.prev, c.curr = c.curr, 0
		c.start = c.start.Add(l.rate.Per)
	default:
		c.prev, c.curr = 0, 0
		c.start = now
	}
}

// estimate is the count over the last window: the previous window's count
// weighted by its overlap, plus this one's.
func (l *memory) estimate(c *counter, now time.Time) float64 {
	overlap := 1 - float64(now.Sub(c.start))/float64(l.rate.Per)
	return float64(c.prev)*overlap + float64(c.curr)
}

// wait is how long until one more event fits under the limit for c.
func (l *memory) wait(c *counter, now time.Time) time.Duration {
	per, n := float64(l.rate.Per), float64(l.rate.N)
	elapsed := float64(now.Sub(c.start))
	if float64(c.curr) < n && c.prev > 0 { // fits once enough of prev has slid out
		need := per * (1 - (n-float64(c.curr)-1)/float64(c.prev))
		if need > elapsed {
			return time.Duration(need - elapsed)
		}
		return time.Second
	}
	// In the next window, curr becomes prev: (curr)(1-x/per) <= n-1.
	x := per * (1 - (n-1)/math.Max(float64(c.curr), 1))
	return time.Duration(per - elapsed + math.Max(x, 0))
}

// Take reserves one event for every key, or none when any key is at its
// limit: a refused call changes nothing. It returns a release that gives
// the places back (for events that turned out not to count), or how long
// to wait.
func (l *memory) Take(_ context.Context, keys ...string) (release func(), wait time.Duration, ok bool) {
	if !l.rate.Enabled() {
		return func() {}, 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.forgetIdle(now)
	for _, k := range keys {
		if e, found := l.keys[k]; found {
			c := e.Value.(*counter)
			l.roll(c, now)
			if l.estimate(c, now)+1 > float64(l.rate.N) {
				wait = max(wait, l.wait(c, now))
			}
		}
	}
	if wait > 0 {
		return nil, wait, false
	}
	taken := make([]*counter, 0, len(keys))
	for _, k := range keys {
		e, found := l.keys[k]
		if !found {
			for len(l.keys) >= l.maxKeys {
				oldest := l.order.Front()
				delete(l.keys, oldest.Value.(*counter).key)
				l.order.Remove(oldest)
			}
			e = l.order.PushBack(&counter{key: k, start: now})
			l.keys[k] = e
		} else {
			l.order.MoveToBack(e)
		}
		c := e.Value.(*counter)
		c.curr++
		taken = append(taken, c)
	}
	at := now
	return func() { l.give(taken, at) }, 0, true
}

// give returns places taken at at.
func (l *memory) give(taken []*counter, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, c := range taken {
		if _, live := l.keys[c.key]; !live {
			continue
		}
		switch {
		case !at.Before(c.start) && c.curr > 0:
			c.curr--
		case !at.Before(c.start.Add(-l.rate.Per)) && c.prev > 0:
			c.prev--
		}
	}
}

// forgetIdle drops keys unused for two windows, oldest first, so that
// memory follows the clients of the last minutes, not of all time.
func (l *memory) forgetIdle(now time.Time) {
	for e := l.order.Front(); e != nil; e = l.order.Front() {
		c := e.Value.(*counter)
		if now.Sub(c.start) < 2*l.rate.Per {
			return
		}
		delete(l.keys, c.key)
		l.order.Remove(e)
	}
}
