package conns

import (
	"fmt"
	"sync"
)

// Slots bound the long-lived sessions of a server (event streams, SSH TUI
// sessions) in total and per user (or, for anonymous streams, per client
// address); 0 is no limit.
type Slots struct {
	mu      sync.Mutex
	total   int
	per     map[string]int
	max     int
	maxPer  int
	what    string // "streams" or "SSH sessions"
	setting string // of the settings: "server.max_streams" or "server.ssh_max_sessions"
}

// NewSlots bounds what (named as in "Too many open streams") by the
// settings setting and setting_per_user.
func NewSlots(maxTotal, maxPer int, what, setting string) *Slots {
	return &Slots{per: map[string]int{}, max: maxTotal, maxPer: maxPer, what: what, setting: setting}
}

// FullError says which bound refused a place; the API answers it 429.
type FullError struct{ msg string }

func (e *FullError) Error() string { return e.msg }

// Acquire takes a place for who, or says which bound is full (the
// message is the 429's detail, hence its capital).
func (l *Slots) Acquire(who string) (release func(), err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.max > 0 && l.total >= l.max {
		return nil, &FullError{fmt.Sprintf("Too many open %s on this server (%s = %d)", l.what, l.setting, l.max)}
	}
	if l.maxPer > 0 && l.per[who] >= l.maxPer {
		return nil, &FullError{fmt.Sprintf("Too many open %s for one user or address (%s_per_user = %d)", l.what, l.setting, l.maxPer)}
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

// Open is the number of places taken.
func (l *Slots) Open() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.total
}
