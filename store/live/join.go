package live

import "context"

// join registers sub: it receives every event after the cursor, and
// replays (after, cursor] from the outbox first.
// A subscription with a viewer joins only if the hub has fanned out no
// change of whom anyone hides since shifts (shiftsSeen): errShifted.
func (h *hub) join(ctx context.Context, sub *Subscription, after int64, afterSeq int, catchUp bool, shifts uint64) error {
	sub.hub = h
	var horizon int64
	// Only a replay needs the horizon: resuming where the hub stands (from
	// Position, as the TUI and SSH sessions do) costs no statement.
	h.mu.Lock()
	fresh := after >= h.cursor
	h.mu.Unlock()
	if after >= 0 && !fresh {
		var err error
		if horizon, err = h.o.Horizon(ctx); err != nil {
			return err
		}
	}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return ErrStreamClosed
	}
	if sub.stream.Seer() != 0 && shifts != anyShifts && h.shifts != shifts {
		h.mu.Unlock()
		return errShifted
	}
	h.subs[sub] = struct{}{}
	sub.last = h.cursor
	if after < 0 {
		h.mu.Unlock()
		// What committed before now is not news, though the hub may not
		// have read it yet: mark where "now" is.
		now, err := h.o.Now(ctx)
		if err != nil {
			return err
		}
		sub.mu.Lock()
		sub.now = now
		sub.last = max(sub.last, now.Pos)
		sub.mu.Unlock()
		return nil
	}
	defer h.mu.Unlock()
	sub.replay.catchUp = catchUp && after >= horizon
	sub.replay.at = after
	switch {
	case after < horizon:
		sub.replay.reset, sub.replay.to = true, h.cursor
	case after < h.cursor:
		sub.replay.from, sub.replay.to = after, h.cursor
		sub.last, sub.lastSeq = after, afterSeq
	default:
		sub.last, sub.lastSeq = after, afterSeq
	}
	if sub.replay.reset || sub.replay.catchUp || sub.replay.from < sub.replay.to {
		sub.signal() // the replay waits
	}
	return nil
}

// shiftsSeen counts the EventHidden and EventShown events fanned out.
func (h *hub) shiftsSeen() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.shifts
}

func (h *hub) leave(sub *Subscription) {
	h.mu.Lock()
	delete(h.subs, sub)
	h.mu.Unlock()
}
