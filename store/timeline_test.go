package store_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/seed"
	"github.com/pamps/pamps/store/storetest"
	"github.com/uptrace/bun"
)

// TestTimelineAtAnyFollowCount pages through the timelines of a user who
// follows a few people and of one who follows many and compares each with
// the posts of the followed users taken from the plain list. On PostgreSQL a
// page comes from the walk through everyone's newest posts, or from the fan
// over each followed user's when the walk comes back short: both must have
// answered some pages.
func TestTimelineAtAnyFollowCount(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		rec := &storetest.Recorder{}
		s := storetest.Migrated(t, uri, store.Options{Hooks: []bun.QueryHook{rec}})
		statements := map[int]int{} // pages by the statements they took
		opt := storetest.SeedOptions()
		opt.Users, opt.Posts, opt.Follows, opt.Likes = 60, 600, 0, 0
		if _, err := seed.Run(ctx, s, opt); err != nil {
			t.Fatal(err)
		}
		users, err := s.ListUsers(ctx, store.UserList{Limit: 100})
		if err != nil || len(users.Items) != 60 {
			t.Fatalf("users: %v %d", err, len(users.Items))
		}
		all, err := s.ListPosts(ctx, store.PostList{Replies: true, Newest: true, Limit: 1000})
		if err != nil || len(all.Items) != 600 {
			t.Fatalf("posts: %v %d", err, len(all.Items))
		}
		now := time.Now().UnixMilli()
		cred := func(u store.User) store.Credential {
			return store.Credential{UserID: u.ID, Username: strings.ToUpper(u.Username), IssuedAt: now}
		}
		if page, err := s.TimelineAs(ctx, cred(users.Items[0]), false, "", 7); err != nil || len(page.Items) != 0 {
			t.Fatalf("following nobody, by credential: %v %v", err, ids(page.Items))
		}
		for _, c := range []store.Credential{{UserID: 999999, Username: "nobody", IssuedAt: now}, {}, {UserID: users.Items[0].ID, Username: users.Items[1].Username, IssuedAt: now}} {
			if _, err := s.TimelineAs(ctx, c, false, "", 7); !errors.Is(err, store.ErrNotSignedIn) {
				t.Fatalf("the timeline of %+v: %v, want ErrNotSignedIn", c, err)
			}
		}
		// The readers follow authors of at most 12 posts each, the busiest
		// of them first, and read pages of 3: one author alone is too sparse
		// among everyone's posts for the walk to fill a page (the fan answers
		// every page), forty-five are dense enough for the walk.
		written := map[int64]int{}
		for _, p := range all.Items {
			written[p.UserID]++
		}
		quiet := slices.DeleteFunc(slices.Clone(users.Items), func(u store.User) bool { return written[u.ID] == 0 || written[u.ID] > 12 })
		slices.SortStableFunc(quiet, func(a, b store.User) int { return written[b.ID] - written[a.ID] })
		for r, follows := range []int{1, 3, 45} {
			reader := users.Items[r]
			followed := map[int64]bool{}
			for _, to := range quiet {
				if len(followed) < follows && to.ID != reader.ID {
					mustFollow(t, s, reader.ID, to.ID)
					followed[to.ID] = true
				}
			}
			if len(followed) != follows {
				t.Fatalf("only %d authors of at most 12 posts to follow, want %d", len(followed), follows)
			}
			for _, replies := range []bool{false, true} {
				var want []int64
				for _, p := range all.Items {
					if followed[p.UserID] && (replies || p.ParentID == nil) {
						want = append(want, p.ID)
					}
				}
				// By id (the CLI, the TUI) and by a token's credential (the API) alike.
				byID := func(cursor string) (store.Page[store.Post], error) {
					return s.Timeline(ctx, reader.ID, replies, cursor, 3)
				}
				byName := func(cursor string) (store.Page[store.Post], error) {
					return s.TimelineAs(ctx, cred(reader), replies, cursor, 3)
				}
				for way, next := range map[string]func(string) (store.Page[store.Post], error){"by id": byID, "by credential": byName} {
					var got []int64
					cursor := ""
					for pages := 0; pages < 200; pages++ {
						rec.Reset()
						page, err := next(cursor)
						if err != nil {
							t.Fatal(err)
						}
						statements[len(rec.Queries())]++
						got = append(got, ids(page.Items)...)
						if cursor = page.Next; cursor == "" {
							break
						}
					}
					if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("following %d, replies %v, %s: timeline\n%v\nwant\n%v", follows, replies, way, got, want)
					}
				}
			}
		}
		t.Logf("pages by statements: %v", statements)
		if s.Dialect() == store.Postgres && (statements[1] == 0 || statements[2] == 0) {
			t.Errorf("pages by statements %v: want some from the walk alone (1) and some from the fan (2)", statements)
		}
	})
}
