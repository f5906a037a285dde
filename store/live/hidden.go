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
// A subscription that joins after the read took a fresher set itself
// (Check): only those open before it are given the new one.
func (h *hub) hiddenNow(ctx context.Context, events []store.Event) (map[int64]hiddenSet, error) {
	var hidden map[int64]hiddenSet
	for _, e := range events {
		if e.Kind != store.EventHidden {
			continue
		}
		if _, done := hidden[e.AuthorID]; done {
			continue
		}
		subs := h.watching(e.AuthorID)
		if len(subs) == 0 {
			continue
		}
		ids, err := h.o.Hidden(ctx, e.AuthorID)
		if err != nil {
			return nil, err
		}
		if hidden == nil {
			hidden = map[int64]hiddenSet{}
		}
		hidden[e.AuthorID] = hiddenSet{ids: ids, subs: subs}
	}
	return hidden, nil
}

// hiddenSet is whom a viewer hides, for the subscriptions open when it was read.
type hiddenSet struct {
	ids  []int64
	subs []*Subscription
}

// watching lists the open subscriptions of viewer's.
func (h *hub) watching(viewer int64) []*Subscription {
	h.mu.Lock()
	defer h.mu.Unlock()
	var subs []*Subscription
	for sub := range h.subs {
		if sub.stream.Seer() == viewer {
			subs = append(subs, sub)
		}
	}
	return subs
}
