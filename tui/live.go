package tui

import (
	"context"
	"errors"
	"sync"
	"time"

	livehub "github.com/pamps/pamps/store/live"

	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// The TUI is live without polling: two subscriptions to the store's event
// streams (everything, replies included; and the home timeline's, whose
// follows the store knows) feed a queue; one command waits for the queue
// to fill, and Update drains it (eventsReady). An idle TUI costs the
// database nothing.

// liveEvent is an event and the stream it came on.
type liveEvent struct {
	home bool
	e    store.Event
}

// liveQueueMax bounds what waits for Update; beyond it the lists reload.
const liveQueueMax = 2000

type live struct {
	st     *store.Store
	hub    *livehub.Hub
	me     int64
	ctx    context.Context
	cancel context.CancelFunc
	ready  chan struct{} // capacity 1: events wait in queue
	home   chan struct{} // capacity 1: the follows changed, subscribe home again
	placed chan struct{} // closed once the streams' start is taken (placed)

	mu       sync.Mutex
	queue    []liveEvent
	overflow bool // events were dropped: reload everything
	failed   error
}

// eventsReady says events wait; Update takes them all (takeEvents).
type eventsReady struct{}

func startLive(st *store.Store, hub *livehub.Hub, me int64) *live {
	ctx, cancel := context.WithCancel(context.Background())
	l := &live{st: st, hub: hub, me: me, ctx: ctx, cancel: cancel, ready: make(chan struct{}, 1), home: make(chan struct{}, 1),
		placed: make(chan struct{})}
	// The streams start where the events stand before any list is read
	// (placed), so that a post committed between a read and a subscription
	// is not lost; the subscriptions and the reads run at the same time.
	// Taking the position is in memory once the process listens; the first
	// time it starts listening, off Update's goroutine.
	go func() {
		pctx, done := context.WithTimeout(ctx, 5*time.Second)
		from, err := hub.Position(pctx)
		done()
		if err != nil {
			from = -1 // the pumps report the failure and try again
		}
		close(l.placed)
		go l.pump(store.Stream{Kind: store.StreamPublic, Replies: true, Viewer: me}, false, nil, from)
		l.pump(store.Stream{Kind: store.StreamHome, UserID: me}, true, l.home, from)
	}()
	return l
}

// waitPlaced waits until the streams' start is taken: a list read after it
// misses nothing (see startLive).
func (l *live) waitPlaced() { <-l.placed }

// pump copies one subscription's events to the queue, subscribing again
// after a failure (resuming after the last event) or when restart fires.
func (l *live) pump(st store.Stream, home bool, restart chan struct{}, after int64) {
	for l.ctx.Err() == nil {
		sub, err := l.hub.Subscribe(l.ctx, st, livehub.SubscribeOptions{After: after})
		if errors.Is(err, livehub.ErrStreamClosed) {
			return // the store is closed: the program is ending
		}
		if err != nil {
			l.fail(err)
			l.sleep(2 * time.Second)
			continue
		}
		stop := context.AfterFunc(l.ctx, sub.Close)
		restarted := make(chan struct{})
		if restart != nil {
			go func() {
				select {
				case <-restart:
					sub.Close()
				case <-restarted:
				}
			}()
		}
		for {
			e, err := sub.Next(l.ctx)
			if err != nil {
				break
			}
			after = e.ID
			l.push(liveEvent{home: home, e: e})
		}
		close(restarted)
		stop()
		sub.Close()
		if l.ctx.Err() == nil {
			l.sleep(100 * time.Millisecond) // then resume after the last event seen
		}
	}
}

func (l *live) sleep(d time.Duration) {
	select {
	case <-l.ctx.Done():
	case <-time.After(d):
	}
}

func (l *live) push(le liveEvent) {
	l.mu.Lock()
	if len(l.queue) >= liveQueueMax {
		l.queue, l.overflow = nil, true
	} else {
		l.queue = append(l.queue, le)
	}
	l.mu.Unlock()
	l.signal()
}

func (l *live) fail(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	l.mu.Lock()
	l.failed = err
	l.mu.Unlock()
	l.signal()
}

func (l *live) signal() {
	select {
	case l.ready <- struct{}{}:
	default:
	}
}

// wait is the command that waits for events.
func (l *live) wait() tea.Cmd {
	return func() tea.Msg {
		select {
		case <-l.ready:
			return eventsReady{}
		case <-l.ctx.Done():
			return nil
		}
	}
}

// take empties the queue.
func (l *live) take() (events []liveEvent, overflow bool, failed error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	events, overflow, failed = l.queue, l.overflow, l.failed
	l.queue, l.overflow, l.failed = nil, false, nil
	return events, overflow, failed
}

// followsChanged makes the home subscription take the new follows.
func (l *live) followsChanged() {
	select {
	case l.home <- struct{}{}:
	default:
	}
}

func (l *live) stop() { l.cancel() }

// Close ends the live updates (the program has ended).
func (m *Model) Close() {
	if m.live != nil {
		m.live.stop()
	}
}

// applyEvents takes what the streams brought to every list and screen.
func (m *Model) applyEvents() tea.Cmd {
	if m.live == nil {
		return nil
	}
	events, overflow, failed := m.live.take()
	cmds := []tea.Cmd{m.live.wait()}
	if failed != nil {
		m.fail(failed)
	}
	if overflow {
		return tea.Batch(append(cmds, m.reloadAll())...)
	}
	reload := map[*thread]bool{}
	noticed := false
	for _, le := range events {
		e := le.e
		switch e.Kind {
		case store.EventReset:
			return tea.Batch(append(cmds, m.reloadAll())...)
		case store.EventPost:
			if m.gone.has(e.PostID) {
				continue // deleted already: a late event must not bring it back
			}
			m.everywhere(func(l *postList) {
				if l.wants != nil && l.wants(le) {
					l.arrive(*e.Post)
				}
			})
		case store.EventPostUpdated:
			m.everywhere(func(l *postList) { l.edit(e.PostID, func(p *store.Post) { p.Text = e.Post.Text }) })
		case store.EventPostDeleted:
			m.gone.add(e.PostID)
			m.everywhere(func(l *postList) { l.remove(e.PostID) })
		case store.EventNotification:
			noticed = true // one read for the batch, however many came
			continue
		case store.EventPostCounts:
			if cmd, mine := m.countsChanged(e.PostID); mine {
				cmds = append(cmds, cmd)
				continue // read again, not reloaded
			}
			m.everywhere(func(l *postList) {
				l.edit(e.PostID, func(p *store.Post) { p.Likes, p.ReplyCount = e.Likes, e.ReplyCount })
			})
		}
		if le.home {
			continue
		}
		for _, s := range m.stack {
			if t, ok := s.(*thread); ok && t.concerns(e) {
				reload[t] = true
			}
		}
	}
	for t := range reload {
		cmds = append(cmds, t.load(m))
	}
	if noticed {
		cmds = append(cmds, m.noticeArrived())
	}
	return tea.Batch(cmds...)
}

// reloadAll loads again every list shown, after events were missed.
func (m *Model) reloadAll() tea.Cmd {
	var cmds []tea.Cmd
	m.everywhere(func(l *postList) {
		if l.loaded {
			cmds = append(cmds, l.load(m, false))
		}
	})
	for _, s := range m.stack {
		if t, ok := s.(*thread); ok {
			cmds = append(cmds, t.load(m))
		}
	}
	return tea.Batch(cmds...)
}

// concerns says whether e changes what the thread shows.
func (t *thread) concerns(e store.Event) bool {
	if e.PostID == t.rootID {
		return true
	}
	for _, r := range t.rows {
		if r.ID == e.PostID || (e.ParentID != nil && r.ID == *e.ParentID) {
			return true
		}
	}
	return false
}
