package live

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pamps/pamps/store"
)

// hub is a process's one reader of the outbox: woken by this process's
// commits, by other processes' (PostgreSQL's NOTIFY, SQLite's
// data_version) and by a slow safety tick, it reads what is new, once for
// every subscriber, and queues it to those it concerns. Idle subscribers
// cost no statement.
type hub struct {
	o       store.Outbox
	started int64 // the newest position when it started (read: Current)
	log     *slog.Logger
	ref     *Hub
	wakeC   chan struct{}
	stop    context.CancelFunc
	done    chan struct{}

	// woken counts wakes (a commit of this process, a notification);
	// readFrom is woken's value when the last completed read began, and
	// caughtUp is closed when a read completes: Position waits on
	// them for a commit this process made just before it asked.
	woken    atomic.Uint64
	readFrom uint64
	caughtUp chan struct{}

	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	cursor int64              // the last position read and fanned out
	dirty  map[int64]struct{} // posts whose counts changed since the last flush
	shifts uint64             // EventHidden and EventShown fanned out (join)
	closed bool
}

// Hub is the live events of one store: its reader starts on first use and
// stops with Close or when the store closes; one per store and process.
type Hub struct {
	o      store.Outbox
	mu     sync.Mutex
	h      *hub
	closed bool // Close was called: no reader starts again

	lagCount atomic.Uint64 // new posts fanned out
	lagMicro atomic.Uint64 // the sum of their delays, µs
}

// New makes the hub of st, closed with it.
func New(st *store.Store) *Hub {
	r := &Hub{o: st.Outbox()}
	st.OnClose(r.Close)
	return r
}

// Lag is how many new posts the hub has fanned out and the sum of their
// delays from the post's date to the fan-out, in seconds.
func (r *Hub) Lag() (count uint64, seconds float64) {
	return r.lagCount.Load(), float64(r.lagMicro.Load()) / 1e6
}

// The hub's rhythm.
const (
	countsEvery = time.Second      // post.counts: at most one per post per second
	safetyEvery = 10 * time.Second // a lost notification is made up within this
	heldBackIn  = 5 * time.Millisecond
	sqliteEvery = 100 * time.Millisecond // SQLite: how often other processes' commits are looked for
	readPage    = store.OutboxPage
)

func (r *Hub) get(ctx context.Context) (*hub, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, ErrStreamClosed
	}
	if r.h != nil {
		return r.h, nil
	}
	cursor, err := r.o.Cursor(ctx)
	if err != nil {
		return nil, err
	}
	// On PostgreSQL the cursor stops below any transaction still open in
	// the cluster: events written before the hub started may come after
	// it, and a post of theirs may have been edited or deleted since.
	// Those are read as they are now (stale, once, a deleted post's text
	// reached subscribers); events written after the start need not be.
	started, err := r.o.Newest(ctx)
	if err != nil {
		return nil, err
	}
	run, stop := context.WithCancel(context.Background())
	h := &hub{o: r.o, log: r.o.Logger(), ref: r, started: started, wakeC: make(chan struct{}, 1), stop: stop, done: make(chan struct{}),
		subs: map[*Subscription]struct{}{}, cursor: cursor, dirty: map[int64]struct{}{}, caughtUp: make(chan struct{})}
	// Registered before it runs: a commit from now on wakes it.
	stopLocal := r.o.OnChange(h.wake)
	go h.run(run, stopLocal)
	r.h = h
	return h, nil
}

// Close ends every subscription and the hub's reader.
func (r *Hub) Close() {
	r.mu.Lock()
	h := r.h
	r.closed = true
	r.mu.Unlock()
	if h == nil {
		return
	}
	h.stop()
	<-h.done
}

func (h *hub) wake() {
	h.woken.Add(1)
	select {
	case h.wakeC <- struct{}{}:
	default:
	}
}

func (h *hub) run(ctx context.Context, stopLocal func()) {
	defer close(h.done)
	defer stopLocal()
	// The listener's connection is its own: the store's Close waits for it
	// too (on SQLite it left files behind in a folder being removed).
	listening := make(chan struct{})
	defer func() { <-listening }()
	go func() { defer close(listening); h.o.Listen(ctx, sqliteEvery, h.wake) }()
	counts := time.NewTicker(countsEvery)
	defer counts.Stop()
	safety := time.NewTicker(safetyEvery)
	defer safety.Stop()
	prune := time.NewTicker(h.o.PruneEvery())
	defer prune.Stop()
	var retry <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			h.mu.Lock()
			h.closed = true
			for sub := range h.subs {
				sub.end(ErrStreamClosed)
			}
			h.subs = nil
			h.mu.Unlock()
			return
		case <-h.wakeC:
		case <-retry:
		case <-safety.C:
		case <-counts.C:
			h.flushCounts(ctx)
			continue
		case <-prune.C:
			h.mu.Lock()
			upTo := h.cursor // no further: what is beyond has reached no subscriber
			h.mu.Unlock()
			if err := h.o.Prune(ctx, upTo); err != nil && ctx.Err() == nil {
				h.log.Warn("pruning live events", "err", err)
			}
			continue
		}
		retry = nil
		from := h.woken.Load()
		heldBack, err := h.read(ctx)
		if err == nil {
			h.mu.Lock()
			h.readFrom = from
			close(h.caughtUp)
			h.caughtUp = make(chan struct{})
			h.mu.Unlock()
		}
		switch {
		case err != nil && ctx.Err() == nil:
			// The database is away: try again after a pause (the
			// listener wakes the hub when it is back).
			h.log.Warn("reading live events", "err", err)
			retry = time.After(time.Second)
		case heldBack:
			retry = time.After(heldBackIn)
		}
	}
}

// read fans out every event committed since the cursor; heldBack says some
// wait for an earlier transaction to end.
func (h *hub) read(ctx context.Context) (heldBack bool, err error) {
	for {
		h.mu.Lock()
		after := h.cursor
		h.mu.Unlock()
		events, held, err := h.o.Read(ctx, after, readPage)
		if err != nil {
			return false, err
		}
		if len(events) == 0 {
			return held, nil
		}
		// Only those written before the start: a later post deleted since
		// still goes out, then its deletion, as it happened.
		before := 0
		for before < len(events) && events[before].ID <= h.started {
			before++
		}
		if before > 0 {
			if err := h.o.Current(ctx, events[:before]); err != nil {
				return false, err
			}
		}
		h.fanOut(events)
		if held || len(events) < readPage {
			return held, nil
		}
	}
}

// fanOut queues events to the subscriptions they concern, and gives each
// change of whom a viewer hides to the viewer's subscriptions in order.
func (h *hub) fanOut(events []store.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range events {
		e := &events[i]
		h.cursor = e.ID
		e.Memo = &store.Memo{}
		switch {
		case e.Kind == store.EventHidden || e.Kind == store.EventShown:
			h.shifts++
			for sub := range h.subs {
				sub.shift(e)
			}
			continue
		case e.Kind == store.EventPostCounts:
			h.dirty[e.PostID] = struct{}{}
			continue // sent by flushCounts, at most once a second per post
		case e.ParentID != nil && (e.Kind == store.EventPost || e.Kind == store.EventPostDeleted):
			h.dirty[*e.ParentID] = struct{}{}
		}
		if gone(e) {
			continue // deleted since; a post's deletion follows
		}
		if e.Kind == store.EventPost {
			h.ref.lagCount.Add(1)
			h.ref.lagMicro.Add(uint64(max(0, time.Since(e.Post.Date.Time).Microseconds())))
		}
		h.send(e)
	}
}

// gone says e's post or notification was deleted since it was written.
func gone(e *store.Event) bool {
	return ((e.Kind == store.EventPost || e.Kind == store.EventPostUpdated) && e.Post == nil) ||
		(e.Kind == store.EventNotification && e.Notification == nil)
}

// send queues e to every subscriber it concerns; h.mu is held.
func (h *hub) send(e *store.Event) {
	for sub := range h.subs {
		if sub.matches(e) && !sub.push(*e) {
			delete(h.subs, sub)
		}
	}
}

// flushCounts sends the counts of the posts that changed.
func (h *hub) flushCounts(ctx context.Context) {
	h.mu.Lock()
	if len(h.dirty) == 0 {
		h.mu.Unlock()
		return
	}
	ids := make([]int64, 0, len(h.dirty))
	for id := range h.dirty {
		ids = append(ids, id)
	}
	h.dirty = map[int64]struct{}{}
	h.mu.Unlock()
	counts, err := h.o.Counts(ctx, ids)
	if err != nil {
		if ctx.Err() == nil {
			h.log.Warn("reading post counts", "err", err)
		}
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for i := range counts {
		counts[i].ID, counts[i].Seq = h.cursor, i+1
		counts[i].Memo = &store.Memo{}
		h.send(&counts[i])
	}
}
