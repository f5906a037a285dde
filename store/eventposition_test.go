package store_test

import (
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestSubscribingFromThePositionMissesNothing: a post committed after
// EventPosition was taken (a list read after it would miss it) and before
// the subscription reaches a subscription that starts at the position.
func TestSubscribingFromThePositionMissesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		storetest.MustPost(t, s, ann.ID, "before the position", 0)
		from, err := s.EventPosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p := storetest.MustPost(t, s, ann.ID, "between the read and the subscription", 0)
		sub := subscribe(t, s, store.Stream{Kind: store.StreamPublic}, store.SubscribeOptions{After: from})
		if e := nextNot(t, sub, store.EventPostCounts); e.Kind != store.EventPost || e.PostID != p.ID {
			t.Fatalf("first event %s, want the post made after the position", describe(e))
		}
	})
}
