package store_test

import (
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/seed"
	"github.com/pamps/pamps/store/storetest"
)

// checkCounters compares every stored counter with a count of the rows.
func checkCounters(t *testing.T, s *store.Store) {
	t.Helper()
	for name, q := range map[string]string{
		"followers": `SELECT count(*) FROM "user" u WHERE follower_count <> (SELECT count(*) FROM follow f WHERE f.to_id = u.id)`,
		"following": `SELECT count(*) FROM "user" u WHERE following_count <> (SELECT count(*) FROM follow f WHERE f.from_id = u.id)`,
		"likes":     `SELECT count(*) FROM post p WHERE like_count <> (SELECT count(*) FROM "like" l WHERE l.post_id = p.id)`,
		"replies":   `SELECT count(*) FROM post p WHERE reply_count <> (SELECT count(*) FROM post r WHERE r.parent_id = p.id)`,
	} {
		var wrong int
		if err := s.DB().QueryRow(q).Scan(&wrong); err != nil {
			t.Fatal(err)
		}
		if wrong != 0 {
			t.Errorf("%s: %d rows with a wrong counter", name, wrong)
		}
	}
}

func TestCountersStayTrue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		cat := storetest.MustUser(t, s, "cat")
		root := storetest.MustPost(t, s, ann.ID, "root", 0)
		r1 := storetest.MustPost(t, s, bob.ID, "r1", root.ID)
		storetest.MustPost(t, s, cat.ID, "r1a", r1.ID)
		catPost := storetest.MustPost(t, s, cat.ID, "cat's", 0)
		for _, f := range [][2]int64{{ann.ID, bob.ID}, {bob.ID, ann.ID}, {cat.ID, ann.ID}, {ann.ID, cat.ID}} {
			mustFollow(t, s, f[0], f[1])
		}
		for _, l := range [][2]int64{{bob.ID, root.ID}, {cat.ID, root.ID}, {ann.ID, r1.ID}, {ann.ID, catPost.ID}} {
			mustLike(t, s, l[0], l[1])
		}
		mustLike(t, s, bob.ID, root.ID) // idempotent: no double count
		mustFollow(t, s, ann.ID, bob.ID)
		checkCounters(t, s)
		got, _ := s.GetPost(ctx, root.ID, 0)
		u, _ := s.UserByName(ctx, "ann")
		if got.Likes != 2 || got.ReplyCount != 1 || u.Followers != 2 || u.Following != 2 {
			t.Fatalf("counts: post %d/%d, ann %d/%d", got.Likes, got.ReplyCount, u.Followers, u.Following)
		}
		_, _ = s.Unlike(ctx, cat.ID, root.ID)
		s.Unfollow(ctx, cat.ID, ann.ID)
		checkCounters(t, s)
		// cascades: a reply subtree, then a whole user
		if err := s.DeletePost(ctx, store.AsOperator("test"), r1.ID); err != nil {
			t.Fatal(err)
		}
		checkCounters(t, s)
		if err := s.DeleteUser(ctx, bob.ID); err != nil {
			t.Fatal(err)
		}
		checkCounters(t, s)
		if err := s.DeleteUser(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		checkCounters(t, s)
	})
}

func TestSeedWritesTrueCounters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, err := seed.Run(ctx, s, storetest.SeedOptions()); err != nil {
			t.Fatal(err)
		}
		opt := storetest.SeedOptions()
		opt.Append, opt.Seed = true, 99
		if _, err := seed.Run(ctx, s, opt); err != nil {
			t.Fatal(err)
		}
		checkCounters(t, s)
		// the triggers work again after the seed
		mustLike(t, s, 1, 1)
		storetest.MustPost(t, s, 1, "reply", 1)
		mustFollow(t, s, 2, 1)
		checkCounters(t, s)
	})
}
