package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

func names(users []store.User) string {
	var out []string
	for _, u := range users {
		out = append(out, u.Username)
	}
	return fmt.Sprint(out)
}

func TestFollow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		cat := storetest.MustUser(t, s, "cat")
		f, created, err := s.Follow(ctx, ann.ID, bob.ID)
		if err != nil || !created || f.FromID != ann.ID || f.ToID != bob.ID {
			t.Fatalf("follow: %v %v %+v", err, created, f)
		}
		again, created, err := s.Follow(ctx, ann.ID, bob.ID)
		if err != nil || created || again.Date != f.Date {
			t.Fatalf("follow again: %v %v %+v", err, created, again)
		}
		if storetest.Count(t, s, "follow") != 1 {
			t.Fatal("following twice made two rows")
		}
		if _, _, err := s.Follow(ctx, ann.ID, ann.ID); !errors.Is(err, store.ErrCannotFollowSelf) || !errors.Is(err, store.ErrRefused) {
			t.Fatalf("self follow: %v", err)
		}
		if _, _, err := s.Follow(ctx, ann.ID, 999999); !errors.Is(err, store.ErrUserNotFound) {
			t.Fatalf("follow unknown: %v", err)
		}
		mustFollow(t, s, cat.ID, bob.ID)
		mustFollow(t, s, ann.ID, cat.ID)

		b, _ := s.UserByName(ctx, "bob")
		a, _ := s.UserByName(ctx, "ann")
		if b.Followers != 2 || b.Following != 0 || a.Following != 2 || a.Followers != 0 {
			t.Fatalf("counts: bob %d/%d ann %d/%d", b.Followers, b.Following, a.Followers, a.Following)
		}
		followers, err := s.Followers(ctx, bob.ID, 0, "", 0)
		if err != nil || names(followers.Items) != "[cat ann]" {
			t.Fatalf("bob's followers, newest first: %v %s", err, names(followers.Items))
		}
		// page by page, one at a time
		p1, _ := s.Following(ctx, ann.ID, 0, "", 1)
		p2, err := s.Following(ctx, ann.ID, 0, p1.Next, 1)
		if err != nil || names(p1.Items) != "[cat]" || names(p2.Items) != "[bob]" || p2.Next != "" {
			t.Fatalf("ann's following paged: %v %s %s next=%q", err, names(p1.Items), names(p2.Items), p2.Next)
		}
		if _, err := s.Followers(ctx, 999999, 0, "", 0); !errors.Is(err, store.ErrUserNotFound) {
			t.Fatalf("followers of unknown: %v", err)
		}
		if err := s.Unfollow(ctx, ann.ID, bob.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.Unfollow(ctx, ann.ID, bob.ID); err != nil {
			t.Fatalf("unfollow twice: %v", err)
		}
		if err := s.Unfollow(ctx, ann.ID, 999999); !errors.Is(err, store.ErrUserNotFound) {
			t.Fatalf("unfollow unknown: %v", err)
		}
		if storetest.Count(t, s, "follow") != 2 {
			t.Fatal("unfollow did not remove exactly one row")
		}
	})
}

func TestLikes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		p1 := storetest.MustPost(t, s, bob.ID, "one", 0)
		p2 := storetest.MustPost(t, s, bob.ID, "two", 0)
		l, created, err := s.Like(ctx, ann.ID, p1.ID)
		if err != nil || !created || l.UserID != ann.ID || l.PostID != p1.ID {
			t.Fatalf("like: %v %v %+v", err, created, l)
		}
		if _, created, err := s.Like(ctx, ann.ID, p1.ID); err != nil || created {
			t.Fatalf("like again: %v %v", err, created)
		}
		mustLike(t, s, ann.ID, p2.ID)
		mustLike(t, s, bob.ID, p1.ID)
		got, _ := s.GetPost(ctx, p1.ID, ann.ID)
		if got.Likes != 2 || !got.Liked {
			t.Fatalf("likes=%d liked=%v", got.Likes, got.Liked)
		}
		liked, err := s.LikedPosts(ctx, ann.ID, 0, "", 0)
		if err != nil || fmt.Sprint(ids(liked.Items)) != fmt.Sprint([]int64{p2.ID, p1.ID}) {
			t.Fatalf("liked, most recent first: %v %v", err, ids(liked.Items))
		}
		page1, _ := s.LikedPosts(ctx, ann.ID, 0, "", 1)
		page2, _ := s.LikedPosts(ctx, ann.ID, 0, page1.Next, 1)
		if fmt.Sprint(ids(page1.Items), ids(page2.Items)) != fmt.Sprint([]int64{p2.ID}, []int64{p1.ID}) || page2.Next != "" {
			t.Fatalf("liked paged: %v %v", ids(page1.Items), ids(page2.Items))
		}
		if _, _, err := s.Like(ctx, ann.ID, 999999); !errors.Is(err, store.ErrPostNotFound) {
			t.Fatalf("like unknown: %v", err)
		}
		if removed, err := s.Unlike(ctx, ann.ID, p1.ID); err != nil || !removed {
			t.Fatalf("unlike: removed %v, %v", removed, err)
		}
		if removed, err := s.Unlike(ctx, ann.ID, p1.ID); err != nil || removed {
			t.Fatalf("unlike twice: removed %v, %v (want nothing removed, no error)", removed, err)
		}
		got, _ = s.GetPost(ctx, p1.ID, ann.ID)
		if got.Likes != 1 || got.Liked {
			t.Fatalf("after unlike: likes=%d liked=%v", got.Likes, got.Liked)
		}
		if _, err := s.LikedPosts(ctx, 999999, 0, "", 0); !errors.Is(err, store.ErrUserNotFound) {
			t.Fatalf("likes of unknown user: %v", err)
		}
	})
}

// TestLikedOnEveryRead: each read a front end shows likes with (the TUI's:
// a post, a thread, a timeline, a list asked for Liked, one's own likes)
// marks what its viewer likes; the API's reads (a post's detail, a list
// without Liked) skip the lookup, as do anonymous readers (viewer 0).
func TestLikedOnEveryRead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		root := storetest.MustPost(t, s, bob.ID, "root", 0)
		reply := storetest.MustPost(t, s, bob.ID, "reply", root.ID)
		other := storetest.MustPost(t, s, bob.ID, "other", 0)
		mustLike(t, s, ann.ID, root.ID)
		mustLike(t, s, ann.ID, reply.ID)
		mustLike(t, s, bob.ID, other.ID)
		mustFollow(t, s, ann.ID, bob.ID)
		likedBy := func(viewer int64) map[string]string {
			got := map[string]string{}
			mark := func(read string, posts ...store.Post) {
				for _, p := range posts {
					if p.Liked {
						got[read] += p.Text + " "
					}
				}
			}
			p, err := s.GetPost(ctx, other.ID, viewer)
			mark("get", p)
			d, err2 := s.PostDetail(ctx, root.ID, viewer)
			mark("detail", append([]store.Post{d.Post}, d.Replies...)...)
			list, err3 := s.ListPosts(ctx, store.PostList{Replies: true, Viewer: viewer, Liked: true})
			mark("list", list.Items...)
			unliked, err8 := s.ListPosts(ctx, store.PostList{Replies: true, Viewer: viewer})
			mark("list without Liked", unliked.Items...)
			byName, err4 := s.ListPosts(ctx, store.PostList{Author: "bob", Replies: true, Viewer: viewer, Liked: true})
			mark("by name", byName.Items...)
			thread, err5 := s.Thread(ctx, root.ID, viewer)
			for _, tp := range thread {
				mark("thread", tp.Post)
			}
			var err6 error
			if viewer == ann.ID { // a timeline's viewer is its owner
				var tl store.Page[store.Post]
				tl, err6 = s.Timeline(ctx, ann.ID, true, "", 0)
				mark("timeline", tl.Items...)
			}
			lk, err7 := s.LikedPosts(ctx, bob.ID, viewer, "", 0)
			mark("liked by bob", lk.Items...)
			if err := errors.Join(err, err2, err3, err4, err5, err6, err7, err8); err != nil {
				t.Fatal(err)
			}
			return got
		}
		want := map[string]string{"list": "root reply ", "by name": "root reply ",
			"thread": "root reply ", "timeline": "reply root "}
		if got := likedBy(ann.ID); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ann sees liked: %v, want %v", got, want)
		}
		want = map[string]string{"get": "other ", "list": "other ", "by name": "other ", "liked by bob": "other "}
		if got := likedBy(bob.ID); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("bob sees liked: %v, want %v", got, want)
		}
		if got := likedBy(0); len(got) != 0 {
			t.Errorf("an anonymous reader sees liked: %v", got)
		}
	})
}

func TestTimeline(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		cat := storetest.MustUser(t, s, "cat")
		b1 := storetest.MustPost(t, s, bob.ID, "bob 1", 0)
		storetest.MustPost(t, s, cat.ID, "cat 1 (not followed)", 0)
		storetest.MustPost(t, s, ann.ID, "ann's own", 0)
		b2 := storetest.MustPost(t, s, bob.ID, "bob 2", 0)
		br := storetest.MustPost(t, s, bob.ID, "bob reply", b1.ID)
		mustFollow(t, s, ann.ID, bob.ID)
		tl, err := s.Timeline(ctx, ann.ID, false, "", 0)
		if err != nil || fmt.Sprint(ids(tl.Items)) != fmt.Sprint([]int64{b2.ID, b1.ID}) {
			t.Fatalf("timeline: %v %v", err, ids(tl.Items))
		}
		tl, _ = s.Timeline(ctx, ann.ID, true, "", 0)
		if fmt.Sprint(ids(tl.Items)) != fmt.Sprint([]int64{br.ID, b2.ID, b1.ID}) {
			t.Fatalf("timeline with replies: %v", ids(tl.Items))
		}
		p1, _ := s.Timeline(ctx, ann.ID, true, "", 2)
		p2, _ := s.Timeline(ctx, ann.ID, true, p1.Next, 2)
		if len(p1.Items) != 2 || fmt.Sprint(ids(p2.Items)) != fmt.Sprint([]int64{b1.ID}) || p2.Next != "" {
			t.Fatalf("timeline pages: %v %v", ids(p1.Items), ids(p2.Items))
		}
		empty, err := s.Timeline(ctx, cat.ID, false, "", 0)
		if err != nil || len(empty.Items) != 0 || empty.Items == nil {
			t.Fatalf("empty timeline should be an empty list: %v %#v", err, empty.Items)
		}
	})
}
