package live_test

import (
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
	"github.com/pamps/pamps/store/storetest"
	"github.com/uptrace/bun"
)

// TestSubscribingFromThePositionMissesNothing: a post committed after
// Position was taken (a list read after it would miss it) and before
// the subscription reaches a subscription that starts at the position.
// The position is the hub's: a commit made just before it may lie beyond
// it (a hub that has just started, or an earlier transaction still open
// anywhere in the cluster holds events back), and then comes too, first;
// its readers drop what their list showed, as Position says. Nothing
// else may come before the post.
func TestSubscribingFromThePositionMissesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		h := live.New(s)
		ann := storetest.MustUser(t, s, "ann")
		before := storetest.MustPost(t, s, ann.ID, "before the position", 0)
		from, err := h.Position(ctx)
		if err != nil {
			t.Fatal(err)
		}
		p := storetest.MustPost(t, s, ann.ID, "between the read and the subscription", 0)
		sub := subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: from})
		e := nextNot(t, sub, store.EventPostCounts)
		if e.Kind == store.EventPost && e.PostID == before.ID {
			e = nextNot(t, sub, store.EventPostCounts)
		}
		if e.Kind != store.EventPost || e.PostID != p.ID {
			t.Fatalf("event %s, want the post made after the position", describe(e))
		}
	})
}

// TestSubscribingFromThePositionCostsNoStatement: a subscription from
// where the events stand (the TUI's and each SSH session's) reads neither
// the horizon nor a snapshot: 300 sessions opening at once queue no extra
// statements for their three streams.
func TestSubscribingFromThePositionCostsNoStatement(t *testing.T) {
	for _, uri := range []string{storetest.SQLiteURI(t), storetest.PostgresURI(t)} {
		rec := &storetest.Recorder{}
		s := storetest.Migrated(t, uri, store.Options{Hooks: []bun.QueryHook{rec}})
		h := live.New(s)
		from, err := h.Position(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rec.Reset()
		subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: from})
		for _, q := range rec.Queries() {
			// (The hub's own reads may run meanwhile: they are not the subscription's.)
			if strings.Contains(q, "event_horizon") || strings.Contains(q, "pg_current_snapshot") {
				t.Errorf("%s: subscribing from the position ran %s", uri, q)
			}
		}
	}
}
