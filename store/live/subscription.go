package live

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/pamps/pamps/store"
)

// Subscription is one subscriber's view of the live events. Events wait in
// its queue, at most its buffer's worth, until Next takes them; a
// subscription resuming from an earlier ID first replays what it missed,
// page by page, from the outbox.
type Subscription struct {
	hub       *hub
	stream    store.Stream
	following map[int64]bool // home streams: whom the reader follows
	// hidden counts the reasons the viewer hides each member (a block
	// either way, a mute), as at hiddenAt and then changed by each
	// EventHidden and EventShown after it, in order (shift). Written by
	// one goroutine at a time, copied on write: matches reads it unlocked.
	hidden   atomic.Pointer[map[int64]int]
	hiddenAt *store.Instant
	buffer   int
	wake     chan struct{} // capacity 1: an event or the end arrived
	onReady  func()        // SubscribeOptions.OnReady, or nil

	mu    sync.Mutex
	queue []store.Event
	err   error // why the subscription ended (set once)
	last  int64 // the ID of the last event handed out, or the one resumed after
	// lastSeq is the Seq of the last counts event handed out at last: a
	// flush at the same position numbers from 1 again, and is not sent twice.
	lastSeq int
	now     *store.Instant // when it began: what committed before is not news
	replay  struct {
		from, to int64 // still to replay: (from, to]
		reset    bool  // the start is past the window: say reset first
		catchUp  bool  // the counts changed just before at come first
		at       int64
		pending  []store.Event
	}
}

// Next waits for the next event, or returns why the subscription ended
// (ErrSlowSubscriber, ErrStreamClosed, the context's error).
func (sub *Subscription) Next(ctx context.Context) (store.Event, error) {
	for {
		e, ok, err := sub.TryNext(ctx)
		if err != nil || ok {
			return e, err
		}
		select {
		case <-sub.wake:
		case <-ctx.Done():
			return store.Event{}, ctx.Err()
		}
	}
}

// TryNext returns the next event without waiting: ok is false when none
// waits. Replayed events are read from the database here (ctx bounds it).
func (sub *Subscription) TryNext(ctx context.Context) (e store.Event, ok bool, err error) {
	if e, ok, err := sub.nextReplayed(ctx); err != nil || ok {
		return e, ok, err
	}
	sub.mu.Lock()
	defer sub.mu.Unlock()
	for len(sub.queue) > 0 {
		e := sub.queue[0]
		sub.queue[0] = store.Event{}
		sub.queue = sub.queue[1:]
		if e.ID < sub.last || (e.ID == sub.last && (e.Kind != store.EventPostCounts || e.Seq <= sub.lastSeq)) ||
			(e.Kind != store.EventPostCounts && sub.now.Before(e.ID)) {
			continue // replayed already, before the resume point, or before it began
		}
		sub.last, sub.lastSeq = e.ID, e.Seq
		return e, true, nil
	}
	return store.Event{}, false, sub.err
}

// nextReplayed hands out the replay, reading it a page at a time.
func (sub *Subscription) nextReplayed(ctx context.Context) (store.Event, bool, error) {
	r := &sub.replay
	if r.reset {
		r.reset = false
		sub.last, sub.lastSeq = r.to, 0
		return store.Event{ID: r.to, Kind: store.EventReset}, true, nil
	}
	if r.catchUp {
		r.catchUp = false
		counts, err := sub.hub.o.RecentCounts(ctx, r.at)
		if err != nil {
			return store.Event{}, false, err
		}
		for i := range counts {
			if sub.matches(&counts[i]) {
				counts[i].ID, counts[i].Seq = r.at, len(r.pending)+1
				r.pending = append(r.pending, counts[i])
			}
		}
	}
	for len(r.pending) == 0 && r.from < r.to {
		page, next, err := sub.hub.replayPage(ctx, sub, r.from, r.to)
		if err != nil {
			return store.Event{}, false, err
		}
		r.pending, r.from = page, next
	}
	if len(r.pending) == 0 {
		return store.Event{}, false, nil
	}
	e := r.pending[0]
	r.pending = r.pending[1:]
	sub.last, sub.lastSeq = e.ID, e.Seq
	return e, true, nil
}

// push queues a live event; a full queue ends the subscription.
func (sub *Subscription) push(e store.Event) (ok bool) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.err != nil {
		return false
	}
	if len(sub.queue) >= sub.buffer {
		sub.err = ErrSlowSubscriber
		sub.queue = nil
	} else {
		sub.queue = append(sub.queue, e)
	}
	sub.signal()
	return sub.err == nil
}

// signal wakes whoever waits for the subscription.
func (sub *Subscription) signal() {
	select {
	case sub.wake <- struct{}{}:
	default:
	}
	if sub.onReady != nil {
		sub.onReady()
	}
}

// end stops the subscription with err, unless it has ended already.
func (sub *Subscription) end(err error) {
	sub.mu.Lock()
	if sub.err == nil {
		sub.err = err
	}
	sub.mu.Unlock()
	sub.signal()
}

// Close ends the subscription; Next then returns ErrStreamClosed.
func (sub *Subscription) Close() {
	sub.end(ErrStreamClosed)
	sub.hub.leave(sub)
}

// replayPage reads the next events of (from, to] that sub carries; next is
// where the following page starts.
func (h *hub) replayPage(ctx context.Context, sub *Subscription, from, to int64) (page []store.Event, next int64, err error) {
	events, err := h.o.Replay(ctx, from, to, readPage)
	if err != nil {
		return nil, from, err
	}
	if len(events) == 0 {
		return nil, to, nil
	}
	next = events[len(events)-1].ID
	for i := range events {
		sub.shift(&events[i]) // one the hub fanned out before sub joined
		if !gone(&events[i]) && sub.matches(&events[i]) {
			page = append(page, events[i])
		}
	}
	return page, next, nil
}

// startHidden sets whom the viewer hides as read at an instant.
func (sub *Subscription) startHidden(ids []int64, at *store.Instant) {
	m := make(map[int64]int, len(ids))
	for _, id := range ids {
		m[id]++
	}
	sub.hidden.Store(&m)
	sub.hiddenAt = at
}

// shift applies an EventHidden or EventShown of the viewer's, unless the
// start's read included it already.
func (sub *Subscription) shift(e *store.Event) {
	if (e.Kind != store.EventHidden && e.Kind != store.EventShown) || e.AuthorID != sub.stream.Seer() ||
		sub.stream.Seer() == 0 || sub.hiddenAt.Includes(e.ID) {
		return
	}
	for { // the hub and a replay may both shift
		old := sub.hidden.Load()
		m := make(map[int64]int, len(*old)+1)
		for id, n := range *old {
			m[id] = n
		}
		if e.Kind == store.EventHidden {
			m[e.Other]++
		} else if m[e.Other]--; m[e.Other] <= 0 {
			delete(m, e.Other)
		}
		if sub.hidden.CompareAndSwap(old, &m) {
			return
		}
	}
}

// matches says whether the subscription carries e.
func (sub *Subscription) matches(e *store.Event) bool {
	st := sub.stream
	if e.Kind == store.EventAccount || st.Kind == store.StreamAccount {
		if st.Kind != store.StreamAccount { // a revocation, to the signed streams it ends
			return e.Kind == store.EventAccount && st.Signed && !e.KeyRemoved && st.Seer() != 0 && e.AuthorID == st.Seer()
		}
		return e.Kind == store.EventAccount && e.AuthorID == st.UserID
	}
	if e.Kind == store.EventHidden || e.Kind == store.EventShown {
		return false
	}
	if e.Kind == store.EventReset { // a restore: every stream reloads
		return true
	}
	if e.Kind == store.EventNotification { // the recipient's, whomever it is from
		return st.Kind == store.StreamHome && e.AuthorID == st.UserID
	}
	if h := sub.hidden.Load(); h != nil && (*h)[e.AuthorID] > 0 {
		return false
	}
	top := e.ParentID == nil
	switch st.Kind {
	case store.StreamPublic:
		return top || st.Replies
	case store.StreamHome:
		return (e.AuthorID == st.UserID || sub.following[e.AuthorID]) && (top || st.Replies)
	case store.StreamUser:
		return e.AuthorID == st.UserID && (top || st.Replies)
	case store.StreamPost:
		return e.PostID == st.PostID || (e.ParentID != nil && *e.ParentID == st.PostID)
	}
	return false
}
