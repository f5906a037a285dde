package store_test

import (
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/seed"
)

var (
	benchOnce  sync.Once
	benchStore *store.Store
	benchErr   error
	benchDir   string // the SQLite file's folder, when the benchmarks seed their own
)

// TestMain removes the benchmarks' SQLite file, which outlives any one of them.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		benchStore.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchDB is PAMPS_BENCH_DATABASE_URL (bench/cli.sh and bench/tui.sh seed
// 1M posts there), else a SQLite file seeded with 50,000 posts.
func benchDB(b *testing.B) *store.Store {
	benchOnce.Do(func() {
		uri := os.Getenv("PAMPS_BENCH_DATABASE_URL")
		ownData := uri == ""
		if ownData {
			benchDir, _ = os.MkdirTemp("", "pamps-bench")
			uri = "sqlite:" + benchDir + "/bench.db"
		}
		benchStore, benchErr = store.Open(ctx, store.Options{URI: uri, Rules: store.Rules{BcryptCost: 4}})
		if benchErr == nil && ownData {
			if _, benchErr = benchStore.Migrate(ctx); benchErr == nil {
				_, benchErr = seed.Run(ctx, benchStore, seed.Options{Users: 1000, Posts: 50000, Follows: 50, Likes: 100000, Seed: 1, Password: "bench-password"})
			}
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchStore
}

func BenchmarkStoreReads(b *testing.B) {
	s := benchDB(b)
	users, err := s.ListUsers(ctx, store.UserList{Limit: 1, Cursor: "100"})
	if err != nil || len(users.Items) == 0 {
		b.Fatal(err)
	}
	u := users.Items[0]
	first, _ := s.ListPosts(ctx, store.PostList{Newest: true, Limit: 1})
	top := first.Items[0].ID
	reads := []struct {
		name string
		fn   func(i int) error
	}{
		{"PostDetail", func(i int) error { _, err := s.PostDetail(ctx, 1+int64(i)%top, 0); return err }},
		{"ListPosts/everyone", func(int) error { _, err := s.ListPosts(ctx, store.PostList{Newest: true, Limit: 50}); return err }},
		{"ListPosts/user", func(int) error { _, err := s.ListPosts(ctx, store.PostList{Author: u.Username, Limit: 50}); return err }},
		{"Timeline", func(int) error { _, err := s.Timeline(ctx, u.ID, false, "", 50); return err }},
		{"LikedPosts", func(int) error { _, err := s.LikedPosts(ctx, u.ID, 0, "", 50); return err }},
		{"Followers", func(int) error { _, err := s.Followers(ctx, u.ID, 0, "", 50); return err }},
		{"ListUsers", func(int) error { _, err := s.ListUsers(ctx, store.UserList{Limit: 50}); return err }},
		{"UserByName", func(int) error { _, err := s.UserByName(ctx, u.Username); return err }},
		{"Thread", func(i int) error { _, err := s.Thread(ctx, 1+int64(i)%top, 0); return err }},
	}
	for _, r := range reads {
		b.Run(r.name, func(b *testing.B) {
			for i := range b.N {
				if err := r.fn(i); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkStoreWrites(b *testing.B) {
	s := benchDB(b)
	b.Run("CreatePost", func(b *testing.B) {
		for range b.N {
			if _, err := s.CreatePost(ctx, 1, "a benchmark post", nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("LikeUnlike", func(b *testing.B) {
		for i := range b.N {
			post := 1 + int64(i%1000)
			if _, _, err := s.Like(ctx, 2, post); err != nil {
				b.Fatal(err)
			}
			if _, err := s.Unlike(ctx, 2, post); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTimelineHides: the home timeline of one member with no blocks
// and mutes, then with 100 of each (docs/API.md §3c's filter, in the
// statement); p99 is of the timed reads. No rate limit is involved.
func BenchmarkTimelineHides(b *testing.B) {
	s := benchDB(b)
	users, err := s.ListUsers(ctx, store.UserList{Limit: 400, Cursor: "10"})
	if err != nil || len(users.Items) < 400 {
		b.Fatal(err)
	}
	me := users.Items[0]
	// Whom they hide are people they do not follow: a block ends follows,
	// and the two runs must read the same timeline.
	follows, err := s.Following(ctx, me.ID, 0, "", store.MaxLimit)
	if err != nil {
		b.Fatal(err)
	}
	var others []store.User
	for _, u := range users.Items[1:] {
		if !slices.ContainsFunc(follows.Items, func(f store.User) bool { return f.ID == u.ID }) {
			others = append(others, u)
		}
	}
	if len(others) < 200 {
		b.Fatalf("only %d users %s does not follow", len(others), me.Username)
	}
	others = others[:200]
	read := func(b *testing.B) {
		var took []time.Duration
		for b.Loop() {
			t0 := time.Now()
			if _, err := s.Timeline(ctx, me.ID, false, "", 20); err != nil {
				b.Fatal(err)
			}
			took = append(took, time.Since(t0))
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	}
	b.Run("none", read)
	b.Run("100-blocks-100-mutes", func(b *testing.B) {
		for i, u := range others {
			if i%2 == 0 {
				_, _, err = s.Block(ctx, me.ID, u.ID)
			} else {
				_, _, err = s.Mute(ctx, me.ID, u.ID, true)
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		b.Cleanup(func() {
			for _, u := range others {
				_ = s.Unblock(ctx, me.ID, u.ID)
				_ = s.Unmute(ctx, me.ID, u.ID)
			}
		})
		read(b)
	})
}
