package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// Subscription is one subscriber's view of the live events. Events wait in
// its queue, at most its buffer's worth, until Next takes them; a
// subscription resuming from an earlier ID first replays what it missed,
// page by page, from the outbox.
type Subscription struct {
	hub       *hub
	stream    Stream
	following map[int64]bool // home streams: whom the reader follows
	buffer    int
	wake      chan struct{} // capacity 1: an event or the end arrived
	onReady   func()        // SubscribeOptions.OnReady, or nil

	mu    sync.Mutex
	queue []Event
	err   error // why the subscription ended (set once)
	last  int64 // the ID of the last event handed out, or the one resumed after
	// lastSeq is the Seq of the last counts event handed out at last: a
	// flush at the same position numbers from 1 again, and is not sent twice.
	lastSeq int
	now     *snapshot // PostgreSQL: the transactions that had ended when it began
	replay  struct {
		from, to int64 // still to replay: (from, to]
		reset    bool  // the start is past the window: say reset first
		catchUp  bool  // the counts changed just before at come first
		at       int64
		pending  []Event
	}
}

// Next waits for the next event, or returns why the subscription ended
// (ErrSlowSubscriber, ErrStreamClosed, the context's error).
func (sub *Subscription) Next(ctx context.Context) (Event, error) {
	for {
		e, ok, err := sub.TryNext(ctx)
		if err != nil || ok {
			return e, err
		}
		select {
		case <-sub.wake:
		case <-ctx.Done():
			return Event{}, ctx.Err()
		}
	}
}

// TryNext returns the next event without waiting: ok is false when none
// waits. Replayed events are read from the database here (ctx bounds it).
func (sub *Subscription) TryNext(ctx context.Context) (e Event, ok bool, err error) {
	if e, ok, err := sub.nextReplayed(ctx); err != nil || ok {
		return e, ok, err
	}
	sub.mu.Lock()
	defer sub.mu.Unlock()
	for len(sub.queue) > 0 {
		e := sub.queue[0]
		sub.queue[0] = Event{}
		sub.queue = sub.queue[1:]
		if e.ID < sub.last || (e.ID == sub.last && (e.Kind != EventPostCounts || e.Seq <= sub.lastSeq)) ||
			(sub.now != nil && e.Kind != EventPostCounts && sub.now.ended(e.ID>>20)) {
			continue // replayed already, before the resume point, or before it began
		}
		sub.last, sub.lastSeq = e.ID, e.Seq
		return e, true, nil
	}
	return Event{}, false, sub.err
}

// nextReplayed hands out the replay, reading it a page at a time.
func (sub *Subscription) nextReplayed(ctx context.Context) (Event, bool, error) {
	r := &sub.replay
	if r.reset {
		r.reset = false
		sub.last, sub.lastSeq = r.to, 0
		return Event{ID: r.to, Kind: EventReset}, true, nil
	}
	if r.catchUp {
		r.catchUp = false
		counts, err := sub.hub.s.recentCounts(ctx, r.at)
		if err != nil {
			return Event{}, false, err
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
			return Event{}, false, err
		}
		r.pending, r.from = page, next
	}
	if len(r.pending) == 0 {
		return Event{}, false, nil
	}
	e := r.pending[0]
	r.pending = r.pending[1:]
	sub.last, sub.lastSeq = e.ID, e.Seq
	return e, true, nil
}

// push queues a live event; a full queue ends the subscription.
func (sub *Subscription) push(e Event) (ok bool) {
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

// snapshot is PostgreSQL's list of the transactions in progress at an
// instant: those below xmax and not in progress had ended.
type snapshot struct {
	xmax    int64
	running map[int64]bool
}

func (sn *snapshot) ended(tx int64) bool { return tx < sn.xmax && !sn.running[tx] }

// parseSnapshot reads pg_current_snapshot()'s text, "xmin:xmax:xip,...".
func parseSnapshot(text string) (*snapshot, error) {
	parts := strings.Split(text, ":")
	if len(parts) != 3 {
		return nil, fmt.Errorf("unexpected snapshot %q", text)
	}
	xmax, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("unexpected snapshot %q", text)
	}
	sn := &snapshot{xmax: xmax, running: map[int64]bool{}}
	for _, x := range strings.Split(parts[2], ",") {
		if x == "" {
			continue
		}
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("unexpected snapshot %q", text)
		}
		sn.running[id] = true
	}
	return sn, nil
}

// markNow makes sub skip the events committed before this call.
func (s *Store) markNow(ctx context.Context, sub *Subscription) error {
	if s.sql.Dialect == Postgres {
		var text string
		if err := s.queryRow(ctx, []any{&text}, `SELECT pg_current_snapshot()::text`); err != nil {
			return err
		}
		sn, err := parseSnapshot(text)
		if err != nil {
			return err
		}
		sub.mu.Lock()
		sub.now = sn
		sub.mu.Unlock()
		return nil
	}
	var pos int64 // SQLite: positions are in commit order
	if err := s.queryRow(ctx, []any{&pos}, `SELECT coalesce(max(pos), 0) FROM event`); err != nil {
		return err
	}
	sub.mu.Lock()
	sub.last = max(sub.last, pos)
	sub.mu.Unlock()
	return nil
}

// replayPage reads the next events of (from, to] that sub carries; next is
// where the following page starts.
func (h *hub) replayPage(ctx context.Context, sub *Subscription, from, to int64) (page []Event, next int64, err error) {
	events, err := h.s.replayEvents(ctx, from, to, readPage)
	if err != nil {
		return nil, from, err
	}
	if len(events) == 0 {
		return nil, to, nil
	}
	next = events[len(events)-1].ID
	for i := range events {
		gone := (events[i].Kind == EventPost || events[i].Kind == EventPostUpdated) && events[i].Post == nil
		if !gone && sub.matches(&events[i]) {
			page = append(page, events[i])
		}
	}
	return page, next, nil
}
