package server

import (
	"fmt"
	"sync"
)

// streamLimits bounds open streams in total and per user (or, for
// anonymous streams, per client address): Options.MaxStreams and
// MaxStreamsPerUser, 0 for no limit.
type streamLimits struct {
	mu     sync.Mutex
	total  int
	per    map[string]int
	max    int
	maxPer int
	what   string // "streams" or "SSH sessions"
	prefix string // of the settings: "server.max_streams" or "server.ssh_max_sessions"
}

func newStreamLimits(maxTotal, maxPer int) *streamLimits {
	return &streamLimits{per: map[string]int{}, max: maxTotal, maxPer: maxPer, what: "streams", prefix: "server.max_streams"}
}

// acquire takes a place for who, or says which limit is full (the
// message is the 429's detail, hence its capital).
func (l *streamLimits) acquire(who string) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.total >= l.max {
		//lint:ignore ST1005 the API's detail
		return nil, fmt.Errorf("Too many open %s on this server (%s = %d)", l.what, l.prefix, l.max)
	}
	if l.maxPer > 0 && l.per[who] >= l.maxPer {
		//lint:ignore ST1005 the API's detail
		return nil, fmt.Errorf("Too many open %s for one user or address (%s_per_user = %d)", l.what, l.prefix, l.maxPer)
	}
	l.total++
	l.per[who]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.total--
			if l.per[who]--; l.per[who] <= 0 {
				delete(l.per, who)
			}
		})
	}, nil
}

// open is the number of open streams.
func (l *streamLimits) open() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}
