package live

import (
	"context"
	"time"
)

// position is the cursor once the hub has read every commit it was woken
// for before now (at most wait later): a commit this process made just
// before is then behind it. It costs no statement of its own.
func (h *hub) position(ctx context.Context, wait time.Duration) int64 {
	target := h.woken.Load()
	deadline := time.After(wait)
	for {
		h.mu.Lock()
		if h.readFrom >= target || h.closed {
			defer h.mu.Unlock()
			return h.cursor
		}
		ch := h.caughtUp
		h.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return h.cursorNow()
		case <-deadline:
			return h.cursorNow()
		}
	}
}

func (h *hub) cursorNow() int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cursor
}
