package live_test

import (
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
	"github.com/pamps/pamps/store/storetest"
)

// TestAMuteLiftedWhileTheHubLagsHidesWhatCameBefore: a mute, a post of
// the muted member, the mute lifted and a second post reach the hub in
// one read (on PostgreSQL a transaction held open keeps them back, as a
// busy machine did in CI). The hidden post stays hidden: each change of
// whom a viewer hides applies at its own place among the events, not as
// the state when the hub happened to read them.
func TestAMuteLiftedWhileTheHubLagsHidesWhatCameBefore(t *testing.T) {
	s := storetest.PostgresMigrated(t, store.Options{})
	cat, dan := storetest.MustUser(t, s, "cat"), storetest.MustUser(t, s, "dan")
	if _, _, err := s.Follow(ctx, cat.ID, dan.ID); err != nil {
		t.Fatal(err)
	}
	h := live.New(s)
	subscribe(t, h, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: -1}) // the hub runs
	other, err := s.DB().DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	if _, err := other.ExecContext(ctx, "SELECT pg_current_xact_id()"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Mute(ctx, cat.ID, dan.ID, true); err != nil {
		t.Fatal(err)
	}
	sub := subscribe(t, h, store.Stream{Kind: store.StreamHome, UserID: cat.ID}, live.SubscribeOptions{After: -1})
	storetest.MustPost(t, s, dan.ID, "while muted", 0)
	if err := s.Unmute(ctx, cat.ID, dan.ID); err != nil {
		t.Fatal(err)
	}
	after := storetest.MustPost(t, s, dan.ID, "after the mute", 0)
	if _, err := other.ExecContext(ctx, "COMMIT"); err != nil {
		t.Fatal(err)
	}
	if e := nextNot(t, sub, store.EventPostCounts); e.PostID != after.ID {
		t.Fatalf("cat's home carried %s first, want post %d", describe(e), after.ID)
	}
}
