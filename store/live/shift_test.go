package live

import (
	"context"
	"errors"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestAViewerJoinsOnlyWithNoHiddenChangeInBetween: a block fanned out
// between a viewer's read of whom they hide and their joining would be
// in neither; join refuses (Subscribe reads again), and a subscription
// without a viewer is not concerned.
func TestAViewerJoinsOnlyWithNoHiddenChangeInBetween(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	ctx := context.Background()
	h, err := New(st).get(ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := h.shiftsSeen()
	h.fanOut([]store.Event{{ID: h.cursor + 1, Kind: store.EventHidden, AuthorID: 7, Other: 8}})
	viewer := &Subscription{stream: store.Stream{Kind: store.StreamPublic, Viewer: 7}, buffer: 8, wake: make(chan struct{}, 1)}
	viewer.startHidden(nil, &store.Instant{})
	if err := h.join(ctx, viewer, -1, 0, false, before); !errors.Is(err, errShifted) {
		t.Fatalf("join after a shift: %v", err)
	}
	if err := h.join(ctx, viewer, -1, 0, false, h.shiftsSeen()); err != nil {
		t.Fatalf("join read again: %v", err)
	}
	anyone := &Subscription{stream: store.Stream{Kind: store.StreamPublic}, buffer: 8, wake: make(chan struct{}, 1)}
	if err := h.join(ctx, anyone, -1, 0, false, before); err != nil {
		t.Fatalf("join without a viewer: %v", err)
	}
}
