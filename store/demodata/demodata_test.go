package demodata

import (
	"testing"
	"time"
)

// TestNothingIsDatedInTheFuture: posts, follows and likes are all dated in
// the year before the set is made; the likes of the newest posts came up
// to a day after them, past now.
func TestNothingIsDatedInTheFuture(t *testing.T) {
	g := New(Options{Users: 20, Posts: 500, Follows: 5, Likes: 3000, Seed: 3}, 1, 1, 280)
	now := time.Now()
	check := func(what string, d time.Time) {
		if d.After(now) {
			t.Fatalf("a %s dated %s, after now (%s)", what, d, now)
		}
	}
	if err := g.Posts(func(p Post) error { check("post", p.Date); return nil }); err != nil {
		t.Fatal(err)
	}
	if err := g.Follows(func(p Pair) error { check("follow", p.Date); return nil }); err != nil {
		t.Fatal(err)
	}
	likes := 0
	if err := g.Likes(func(p Pair) error { likes++; check("like", p.Date); return nil }); err != nil {
		t.Fatal(err)
	}
	if likes < 2500 {
		t.Fatalf("%d likes made of 3000", likes)
	}
}
