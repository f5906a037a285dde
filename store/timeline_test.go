package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestTimelineAtAnyFollowCount pages through the timelines of a user who
// follows a few people and of one who follows many (PostgreSQL answers them
// with different plans) and compares each with the posts of the followed
// users taken from the plain list.
func TestTimelineAtAnyFollowCount(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		opt := seedOpts()
		opt.Users, opt.Posts, opt.Follows, opt.Likes = 60, 600, 0, 0
		if _, err := s.Seed(ctx, opt); err != nil {
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
		if page, err := s.TimelineAs(ctx, users.Items[0].Username, false, "", 7); err != nil || len(page.Items) != 0 {
			t.Fatalf("following nobody, by name: %v %v", err, ids(page.Items))
		}
		for _, name := range []string{"nobody", ""} {
			if _, err := s.TimelineAs(ctx, name, false, "", 7); !errors.Is(err, store.ErrUserNotFound) {
				t.Fatalf("the timeline of %q: %v, want ErrUserNotFound", name, err)
			}
		}
		for _, follows := range []int{3, 45} {
			reader := users.Items[follows] // follows the users after it, wrapping
			followed := map[int64]bool{}
			for i := 1; i <= follows; i++ {
				to := users.Items[(follows+i)%60].ID
				mustFollow(t, s, reader.ID, to)
				followed[to] = true
			}
			for _, replies := range []bool{false, true} {
				var want []int64
				for _, p := range all.Items {
					if followed[p.UserID] && (replies || p.ParentID == nil) {
						want = append(want, p.ID)
					}
				}
				// By id (the CLI, the TUI) and by name (the API) alike.
				byID := func(cursor string) (store.Page[store.Post], error) {
					return s.Timeline(ctx, reader.ID, replies, cursor, 7)
				}
				byName := func(cursor string) (store.Page[store.Post], error) {
					return s.TimelineAs(ctx, strings.ToUpper(reader.Username), replies, cursor, 7)
				}
				for way, next := range map[string]func(string) (store.Page[store.Post], error){"by id": byID, "by name": byName} {
					var got []int64
					cursor := ""
					for pages := 0; pages < 200; pages++ {
						page, err := next(cursor)
						if err != nil {
							t.Fatal(err)
						}
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
	})
}
