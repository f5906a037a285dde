package live_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
)

// BenchmarkResume measures what a client resuming with Last-Event-ID costs
// the server: subscribe after an event and take the first of what follows.
// With CatchUpCounts (an SSE client's resume) the counts changed in the
// seconds before it are read too: at most 2,000 of the latest events
// (replayread.go), whatever the outbox holds. The outbox here has 2,000
// posts and 4,000 likes, all within the catch-up window.
func BenchmarkResume(b *testing.B) {
	st, err := store.Open(ctx, store.Options{URI: "sqlite:" + filepath.Join(b.TempDir(), "bench.db"), Rules: store.Rules{BcryptCost: 4}})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	var users []store.User
	for _, name := range []string{"ann", "bob", "cat"} {
		u, err := st.CreateUser(ctx, store.NewUser{Email: name + "@example.com", Username: name, Password: "password1"})
		if err != nil {
			b.Fatal(err)
		}
		users = append(users, u)
	}
	for i := range 2000 {
		p, err := st.CreatePost(ctx, users[0].ID, fmt.Sprint("post ", i), nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, u := range users[1:] {
			if _, _, err := st.Like(ctx, u.ID, p.ID); err != nil {
				b.Fatal(err)
			}
		}
	}
	h := live.New(st)
	at, err := h.Position(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, catchUp := range []bool{false, true} {
		b.Run(fmt.Sprintf("catch-up=%v", catchUp), func(b *testing.B) {
			for b.Loop() {
				sub, err := h.Subscribe(ctx, store.Stream{Kind: store.StreamPublic}, live.SubscribeOptions{After: at, CatchUpCounts: catchUp})
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := sub.TryNext(ctx); err != nil {
					b.Fatal(err)
				}
				sub.Close()
			}
		})
	}
}
