package live

import (
	"context"

	"github.com/pamps/pamps/store"
)

// A block or a mute changes what a viewer's open subscriptions carry: the
// hub reads the viewer's hidden set again when the change's event comes
// (store.EventHidden), before it fans out the events after it.

// hiddenNow reads whom each member named by an EventHidden among events
// hides now, when a subscription of theirs is open.
func (h *hub) hiddenNow(ctx context.Context, events []store.Event) (map[int64][]int64, error) {
	var hidden map[int64][]int64
	for _, e := range events {
		if e.Kind != store.EventHidden {
			continue
		}
		if _, done := hidden[e.AuthorID]; done || !h.watching(e.AuthorID) {
			continue
		}
		ids, err := h.o.Hidden(ctx, e.AuthorID)
		if err != nil {
			return nil, err
		}
		if hidden == nil {
			hidden = map[int64][]int64{}
		}
		hidden[e.AuthorID] = ids
	}
	return hidden, nil
}

// watching reports whether a subscription of viewer's is open.
func (h *hub) watching(viewer int64) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sub := range h.subs {
		if sub.stream.Seer() == viewer {
			return true
		}
	}
	return false
}
