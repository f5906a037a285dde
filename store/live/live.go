// Package live is the live events' plumbing: a process's one reader of
// the store's outbox (Hub), which fans each event out in memory to the
// subscriptions it concerns, and replays what a resuming subscriber
// missed. What an event is, what it carries and who may see it are the
// store's (store.Event, store.Outbox); every front end subscribes here.
package live

import (
	"context"
	"errors"
	"time"

	"github.com/pamps/pamps/store"
)

// SubscribeOptions tune a subscription.
type SubscribeOptions struct {
	// After resumes after this event ID (an SSE client's Last-Event-ID);
	// negative starts with what happens next.
	After int64
	// AfterSeq, with After, resumes after the post.counts event (After,
	// AfterSeq) (an SSE id "After.AfterSeq").
	AfterSeq int
	// Buffer is how many events may wait for Next before the subscriber is
	// cut off (ErrSlowSubscriber); 0 is 1024.
	Buffer int
	// OnReady, when set, is called (and must not block) whenever an event
	// is queued or the subscription ends: a subscriber without a goroutine
	// of its own learns when to call TryNext.
	OnReady func()
	// CatchUpCounts, with After, first sends the counts of the posts whose
	// likes or replies changed in the seconds before After: a client whose
	// last event was After's may have missed the counts flushed after it,
	// and the replay after After does not carry them.
	CatchUpCounts bool
}

// Errors that end a subscription.
var (
	// ErrSlowSubscriber: more events waited than the buffer holds.
	ErrSlowSubscriber = errors.New("subscriber too slow: more events waited than its buffer holds")
	// ErrStreamClosed: the subscription, the hub or the store was closed.
	ErrStreamClosed = errors.New("stream closed")
)

// Subscribe starts a subscription. A user or post stream of a user or post
// that does not exist is store.ErrUserNotFound or store.ErrPostNotFound; a home
// stream takes the reader's follows as they are now.
func (r *Hub) Subscribe(ctx context.Context, st store.Stream, opt SubscribeOptions) (*Subscription, error) {
	sub := &Subscription{stream: st, buffer: opt.Buffer, wake: make(chan struct{}, 1), onReady: opt.OnReady}
	if sub.buffer <= 0 {
		sub.buffer = 1024
	}
	h, err := r.get(ctx)
	if err != nil {
		return nil, err
	}
	// Whom the viewer hides is read at an instant; the changes the hub
	// fans out after the subscription joins apply unless that read had
	// them. One fanned out between the read and the join would be lost:
	// then read again (blocks and mutes are rare, so this seldom loops).
	for tries := 0; ; tries++ {
		shifts := h.shiftsSeen()
		start, err := r.o.Check(ctx, st)
		if err != nil {
			return nil, err
		}
		if st.Kind == store.StreamHome {
			sub.following = make(map[int64]bool, len(start.Following))
			for _, id := range start.Following {
				sub.following[id] = true
			}
		}
		sub.startHidden(start.Hidden, start.HiddenAt)
		if tries == maxShiftTries {
			shifts = anyShifts // join as it stands: a rare, brief inexactness beats refusing
		}
		err = h.join(ctx, sub, opt.After, opt.AfterSeq, opt.CatchUpCounts, shifts)
		if errors.Is(err, errShifted) {
			continue
		}
		if err != nil {
			h.leave(sub)
			return nil, err
		}
		return sub, nil
	}
}

// maxShiftTries bounds Subscribe's reads of the hidden set.
const maxShiftTries = 10

// errShifted: a change of whom some viewer hides was fanned out while a
// viewer's subscription read its start.
var errShifted = errors.New("hidden sets changed while subscribing")

// anyShifts makes join skip its check.
const anyShifts = ^uint64(0)

// Position is where the live events stand now, without a query once
// the process listens. A front end that takes it before reading a list and
// subscribes with After at it misses no post committed after the read, and
// need not wait for the subscription before reading. A commit this process
// signalled before the call is read by the hub first; still, one made just
// before may lie beyond the position (another process's, a hub just
// started, or one held back behind a transaction open elsewhere), and then
// comes too: readers drop what their list already showed.
func (r *Hub) Position(ctx context.Context) (int64, error) {
	h, err := r.get(ctx)
	if err != nil {
		return 0, err
	}
	return h.position(ctx, time.Second), nil
}
