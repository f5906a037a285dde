package store_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// kinds writes a page of notifications as "type:actor" words, newest first.
func kinds(ns []store.Notification) string {
	var out []string
	for _, n := range ns {
		out = append(out, fmt.Sprintf("%s:%s", n.Type, n.Actor.Username))
	}
	return strings.Join(out, " ")
}

func notifications(t *testing.T, s *store.Store, userID int64, f store.NotificationFilter) []store.Notification {
	t.Helper()
	page, err := s.Notifications(ctx, userID, f, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func TestNotificationsOfEachAction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		cat := storetest.MustUser(t, s, "Cat")
		post := storetest.MustPost(t, s, ann.ID, "hello", 0)
		mustFollow(t, s, bob.ID, ann.ID)
		if _, _, err := s.Like(ctx, bob.ID, post.ID); err != nil {
			t.Fatal(err)
		}
		// A reply naming ann (the parent's author: one notification,
		// the reply), cat (any case) and bob himself (not notified).
		reply := storetest.MustPost(t, s, bob.ID, "@ANN and @cat, @bob says hi. mail bob@ann.example", post.ID)
		// Ann's own actions notify nobody: her like of her post, a
		// reply to herself.
		if _, _, err := s.Like(ctx, ann.ID, post.ID); err != nil {
			t.Fatal(err)
		}
		storetest.MustPost(t, s, ann.ID, "me again @ann", post.ID)

		got := notifications(t, s, ann.ID, store.NotificationFilter{})
		if kinds(got) != "reply:bob like:bob follow:bob" {
			t.Fatalf("ann's notifications: %s", kinds(got))
		}
		if got[0].Post == nil || got[0].Post.ID != reply.ID || got[1].Post == nil || got[1].Post.ID != post.ID || got[2].Post != nil {
			t.Fatalf("posts: %+v %+v %+v", got[0].Post, got[1].Post, got[2].Post)
		}
		if kinds(notifications(t, s, cat.ID, store.NotificationFilter{})) != "mention:bob" {
			t.Fatal("cat was not mentioned once")
		}
		if kinds(notifications(t, s, bob.ID, store.NotificationFilter{})) != "" {
			t.Fatal("bob was notified of his own mention, or of ann's replying to herself")
		}
		only := notifications(t, s, ann.ID, store.NotificationFilter{Types: []store.NotificationType{store.NotifyLike, store.NotifyFollow}})
		if kinds(only) != "like:bob follow:bob" {
			t.Fatalf("types filter: %s", kinds(only))
		}
	})
}

func TestTogglingNotifiesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		post := storetest.MustPost(t, s, ann.ID, "hello", 0)
		for range 3 {
			if _, _, err := s.Like(ctx, bob.ID, post.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Unlike(ctx, bob.ID, post.ID); err != nil {
				t.Fatal(err)
			}
			mustFollow(t, s, bob.ID, ann.ID)
			if err := s.Unfollow(ctx, bob.ID, ann.ID); err != nil {
				t.Fatal(err)
			}
		}
		if got := kinds(notifications(t, s, ann.ID, store.NotificationFilter{})); got != "follow:bob like:bob" {
			t.Fatalf("toggled three times: %s", got)
		}
	})
}

func TestSilencedMembersDoNotNotify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		blocked := storetest.MustUser(t, s, "blocked")
		blocker := storetest.MustUser(t, s, "blocker")
		muted := storetest.MustUser(t, s, "muted")
		quiet := storetest.MustUser(t, s, "quiet") // muted, notifications kept
		post := storetest.MustPost(t, s, ann.ID, "hello", 0)
		// Before any block: blocked liked; after it, their earlier
		// notification is hidden too.
		if _, _, err := s.Like(ctx, blocked.ID, post.ID); err != nil {
			t.Fatal(err)
		}
		mustDo(t, func() error { _, _, err := s.Block(ctx, ann.ID, blocked.ID); return err })
		mustDo(t, func() error { _, _, err := s.Block(ctx, blocker.ID, ann.ID); return err })
		mustDo(t, func() error { _, _, err := s.Mute(ctx, ann.ID, muted.ID, true); return err })
		mustDo(t, func() error { _, _, err := s.Mute(ctx, ann.ID, quiet.ID, false); return err })
		storetest.MustPost(t, s, blocker.ID, "hey @ann", 0) // blocker cannot follow ann: 404
		for _, u := range []store.User{muted, quiet} {
			storetest.MustPost(t, s, u.ID, "hey @ann", 0)
			mustFollow(t, s, u.ID, ann.ID)
		}
		if got := kinds(notifications(t, s, ann.ID, store.NotificationFilter{})); got != "follow:quiet mention:quiet" {
			t.Fatalf("ann hears from: %s", got)
		}
		if n, err := s.UnreadNotifications(ctx, ann.ID); err != nil || n != 2 {
			t.Fatalf("unread: %d %v", n, err)
		}
		if storetest.Count(t, s, "notification") != 3 { // blocked's like, quiet's two
			t.Fatalf("stored: %d", storetest.Count(t, s, "notification"))
		}
	})
}

func TestMarkReadAndDeletedPosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		post := storetest.MustPost(t, s, ann.ID, "hello", 0)
		mustFollow(t, s, bob.ID, ann.ID)
		reply := storetest.MustPost(t, s, bob.ID, "hi", post.ID)
		storetest.MustPost(t, s, bob.ID, "hi again", post.ID)
		all := notifications(t, s, ann.ID, store.NotificationFilter{})
		if len(all) != 3 {
			t.Fatalf("%s", kinds(all))
		}
		// Read up to the first reply: it and the follow.
		if err := s.MarkNotificationsRead(ctx, ann.ID, all[1].ID); err != nil {
			t.Fatal(err)
		}
		unread := notifications(t, s, ann.ID, store.NotificationFilter{Unread: true})
		if len(unread) != 1 || unread[0].ID != all[0].ID {
			t.Fatalf("unread after up_to: %s", kinds(unread))
		}
		if err := s.DeletePost(ctx, store.Actor{UserID: bob.ID}, reply.ID); err != nil {
			t.Fatal(err)
		}
		if got := notifications(t, s, ann.ID, store.NotificationFilter{}); len(got) != 2 || got[1].Type != store.NotifyFollow {
			t.Fatalf("after the reply's deletion: %s", kinds(got))
		}
		if err := s.MarkNotificationsRead(ctx, ann.ID, 0); err != nil {
			t.Fatal(err)
		}
		if n, err := s.UnreadNotifications(ctx, ann.ID); err != nil || n != 0 {
			t.Fatalf("unread after all: %d %v", n, err)
		}
	})
}

func mustDo(t *testing.T, f func() error) {
	t.Helper()
	if err := f(); err != nil {
		t.Fatal(err)
	}
}

func TestGroupedNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		post := storetest.MustPost(t, s, ann.ID, "hello", 0)
		other := storetest.MustPost(t, s, ann.ID, "again", 0)
		var fans []store.User
		for i := range 5 {
			fans = append(fans, storetest.MustUser(t, s, fmt.Sprintf("fan%d", i)))
		}
		for _, f := range fans {
			if _, _, err := s.Like(ctx, f.ID, post.ID); err != nil {
				t.Fatal(err)
			}
		}
		mustFollow(t, s, fans[0].ID, ann.ID)
		storetest.MustPost(t, s, fans[1].ID, "nice", other.ID)
		mustFollow(t, s, fans[2].ID, ann.ID)
		if err := s.MarkNotificationsRead(ctx, ann.ID, 0); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Like(ctx, fans[3].ID, other.ID); err != nil {
			t.Fatal(err)
		}
		page, err := s.NotificationGroups(ctx, ann.ID, store.NotificationFilter{}, "", 2)
		if err != nil {
			t.Fatal(err)
		}
		rest, err := s.NotificationGroups(ctx, ann.ID, store.NotificationFilter{}, page.Next, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, g := range append(page.Items, rest.Items...) {
			got = append(got, fmt.Sprintf("%s/%d/%s/%v", g.Key, g.Count, names(g.Actors), g.Read))
		}
		want := fmt.Sprintf("[like:%d/1/[fan3]/false follow/2/[fan2 fan0]/true reply:%d/1/[fan1]/true like:%d/5/[fan4 fan3 fan2]/true]",
			other.ID, page.Items[1].Newest-1, post.ID)
		if fmt.Sprint(got) != want || rest.Next != "" {
			t.Fatalf("groups:\n got %v\nwant %s", got, want)
		}
	})
}

func TestFindMentions(t *testing.T) {
	for text, want := range map[string]string{
		"@ann hi":                     "[ann]",
		"hi @Ann. and @bob-":          "[Ann bob]",
		"(@a.b_c) @x.":                "[a.b_c x]",
		"mail ann@bob.org":            "[]",
		"@ @. @-x é@ann @anné":        "[]",
		"@" + strings.Repeat("a", 33): "[]",
	} {
		var got []string
		for _, m := range store.FindMentions(text) {
			if text[m.Start:m.End] != "@"+m.Name {
				t.Fatalf("%q: span %d..%d is not @%s", text, m.Start, m.End, m.Name)
			}
			got = append(got, m.Name)
		}
		if fmt.Sprint(got) != want && !(want == "[]" && got == nil) {
			t.Errorf("%q: %v, want %s", text, got, want)
		}
	}
}

func TestAtMostTenNamesNotify(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		author := storetest.MustUser(t, s, "author")
		var text []string
		for i := range 12 {
			storetest.MustUser(t, s, fmt.Sprintf("u%d", i))
			text = append(text, fmt.Sprintf("@u%d", i), fmt.Sprintf("@U%d", i)) // each twice
		}
		storetest.MustPost(t, s, author.ID, strings.Join(text, " "), 0)
		if n := storetest.Count(t, s, "notification"); n != store.MaxMentions {
			t.Fatalf("%d notifications for 12 names", n)
		}
		for i := range 12 {
			u, _ := s.UserByName(ctx, fmt.Sprintf("u%d", i))
			got := len(notifications(t, s, u.ID, store.NotificationFilter{}))
			if want := map[bool]int{true: 1, false: 0}[i < store.MaxMentions]; got != want {
				t.Fatalf("u%d: %d notifications, want %d (the first ten names)", i, got, want)
			}
		}
	})
}

// TestNotificationsAreKeptForAWhile: past notifications.keep_days a
// notification leaves every list at once, and pruning deletes it.
func TestNotificationsAreKeptForAWhile(t *testing.T) {
	opts := store.Options{NotificationsKeep: time.Nanosecond} // everything written is already old
	for name, s := range map[string]*store.Store{"sqlite": storetest.SQLiteMigrated(t, opts), "postgres": storetest.PostgresMigrated(t, opts)} {
		t.Run(name, func(t *testing.T) {
			ann := storetest.MustUser(t, s, "ann")
			bob := storetest.MustUser(t, s, "bob")
			mustFollow(t, s, bob.ID, ann.ID)
			if got := notifications(t, s, ann.ID, store.NotificationFilter{}); len(got) != 0 {
				t.Fatalf("an expired notification is listed: %s", kinds(got))
			}
			groups, err := s.NotificationGroups(ctx, ann.ID, store.NotificationFilter{}, "", 0)
			if err != nil || len(groups.Items) != 0 {
				t.Fatalf("grouped: %v %+v", err, groups.Items)
			}
			if n, err := s.UnreadNotifications(ctx, ann.ID); err != nil || n != 0 {
				t.Fatalf("unread: %d %v", n, err)
			}
			if n, err := s.PruneNotifications(ctx); err != nil || n != 1 || storetest.Count(t, s, "notification") != 0 {
				t.Fatalf("pruned %d: %v", n, err)
			}
		})
	}
}
