package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

func ids(posts []store.Post) []int64 {
	out := make([]int64, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return out
}

func TestPostTextRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		p, err := s.CreatePost(ctx, ann.ID, "  hello  \n", nil)
		if err != nil || p.Text != "hello" || p.Username != "ann" || p.ParentID != nil || p.Date.IsZero() {
			t.Fatalf("trimmed post: %v %+v", err, p)
		}
		// 280 code points of a multi-byte character is fine, 281 is not
		if _, err := s.CreatePost(ctx, ann.ID, strings.Repeat("é", 280), nil); err != nil {
			t.Fatalf("280 code points: %v", err)
		}
		for name, text := range map[string]string{
			"empty": "", "blank": " \t\n ", "too long": strings.Repeat("é", 281),
			"NUL": "a\x00b", "invalid UTF-8": "a\xffb", "control": "a\x07b",
		} {
			if _, err := s.CreatePost(ctx, ann.ID, text, nil); !errors.Is(err, store.ErrInvalid) || fieldsOf(err)[0] != "text" {
				t.Errorf("%s: %v", name, err)
			}
		}
		if n := storetest.Count(t, s, "post"); n != 2 {
			t.Fatalf("posts = %d, want 2", n)
		}
		if _, err := s.CreatePost(ctx, ann.ID, "orphan", ptr(int64(424242))); !errors.Is(err, store.ErrParentNotFound) {
			t.Fatalf("unknown parent: %v", err)
		}
		if _, err := s.CreatePost(ctx, 424242, "ghost", nil); !errors.Is(err, store.ErrUserNotFound) {
			t.Fatalf("unknown author: %v", err)
		}
	})
}

func TestCreatePostAs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		as := store.Credential{UserID: ann.ID, Username: "ANN", IssuedAt: time.Now().UnixMilli()}
		p, err := s.CreatePostAs(ctx, as, " hi ", nil)
		if err != nil || p.UserID != ann.ID || p.Username != "ann" || p.Text != "hi" || p.ID == 0 {
			t.Fatalf("by credential: %v %+v", err, p)
		}
		r, err := s.CreatePostAs(ctx, as, "re", &p.ID)
		if err != nil || r.ParentID == nil || *r.ParentID != p.ID || r.UserID != ann.ID {
			t.Fatalf("reply by credential: %v %+v", err, r)
		}
		if _, err := s.CreatePostAs(ctx, as, "orphan", ptr(int64(424242))); !errors.Is(err, store.ErrParentNotFound) {
			t.Fatalf("unknown parent: %v", err)
		}
		// A credential that no longer holds is named before the parent, as
		// the API checks the caller first: another user's id, a name not the
		// id's, or a token issued before the user signed out.
		ghost := store.Credential{UserID: 424242, Username: "ghost", IssuedAt: time.Now().UnixMilli()}
		renamed := store.Credential{UserID: ann.ID, Username: "bob", IssuedAt: time.Now().UnixMilli()}
		if err := s.SignOut(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		for _, c := range []store.Credential{ghost, renamed, as} {
			for _, parent := range []*int64{nil, &p.ID, ptr(int64(424242))} {
				if _, err := s.CreatePostAs(ctx, c, "boo", parent); !errors.Is(err, store.ErrNotSignedIn) {
					t.Fatalf("%+v (parent %v): %v", c, parent, err)
				}
			}
		}
		if _, err := s.CreatePostAs(ctx, ghost, "", nil); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("invalid text: %v", err)
		}
		if n := storetest.Count(t, s, "post"); n != 2 {
			t.Fatalf("posts = %d, want 2", n)
		}
	})
}

func TestOriginalFlow(t *testing.T) {
	// Section 4 of the API contract, at the store level.
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		u1 := storetest.MustUser(t, s, "user1")
		u2 := storetest.MustUser(t, s, "user2")
		first := storetest.MustPost(t, s, u1.ID, "hello test 1", 0)
		second := storetest.MustPost(t, s, u1.ID, "hello test 2", 0)
		mine, err := s.ListPosts(ctx, store.PostList{Author: "user1"})
		if err != nil || fmt.Sprint(ids(mine.Items)) != fmt.Sprint([]int64{first.ID, second.ID}) {
			t.Fatalf("user1's posts: %v %v", err, ids(mine.Items))
		}
		r1 := storetest.MustPost(t, s, u1.ID, "reply 1", first.ID)
		r2 := storetest.MustPost(t, s, u2.ID, "reply 2", first.ID)
		all, err := s.ListPosts(ctx, store.PostList{})
		if err != nil || len(all.Items) != 2 {
			t.Fatalf("top-level posts: %v %v", err, ids(all.Items))
		}
		d, err := s.PostDetail(ctx, first.ID, 0)
		if err != nil || fmt.Sprint(ids(d.Replies)) != fmt.Sprint([]int64{r1.ID, r2.ID}) || d.ReplyCount != 2 || d.Username != "user1" {
			t.Fatalf("detail: %v %+v", err, d)
		}
		mine, _ = s.ListPosts(ctx, store.PostList{Author: "USER1"})
		withReplies, _ := s.ListPosts(ctx, store.PostList{Author: "user1", Replies: true})
		if len(mine.Items) != 2 || len(withReplies.Items) != 3 {
			t.Fatalf("user1: %d posts, %d with replies", len(mine.Items), len(withReplies.Items))
		}
		none, err := s.ListPosts(ctx, store.PostList{Author: "nobody"})
		if err != nil || len(none.Items) != 0 {
			t.Fatalf("unknown author: %v %v", err, none)
		}
	})
}

func TestListPostsPaginationWalksEveryPostOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		for i := range 7 {
			storetest.MustPost(t, s, ann.ID, fmt.Sprintf("post %d", i), 0)
		}
		for _, newest := range []bool{false, true} {
			start, err := s.ListPosts(ctx, store.PostList{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			want := ids(start.Items)
			var got []int64
			cursor := ""
			for {
				p, err := s.ListPosts(ctx, store.PostList{Newest: newest, Cursor: cursor, Limit: 3})
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, ids(p.Items)...)
				if p.Next == "" {
					break
				}
				cursor = p.Next
				// a post written mid-walk must not disturb it
				storetest.MustPost(t, s, ann.ID, "meanwhile", 0)
			}
			if newest {
				// the walk started before the new posts: it sees the old ones, newest first
				for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
					want[i], want[j] = want[j], want[i]
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("newest first walk = %v, want %v", got, want)
				}
			} else if fmt.Sprint(got[:7]) != fmt.Sprint(want) || len(got) != 7+2 {
				// oldest first reaches the posts written during the walk too
				t.Fatalf("oldest first walk = %v", got)
			}
		}
	})
}

func TestThreadAndDeleteTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		root := storetest.MustPost(t, s, ann.ID, "root", 0)
		a := storetest.MustPost(t, s, bob.ID, "a", root.ID)
		b := storetest.MustPost(t, s, ann.ID, "b", root.ID)
		a1 := storetest.MustPost(t, s, ann.ID, "a1", a.ID)
		a1x := storetest.MustPost(t, s, bob.ID, "a1x", a1.ID)
		other := storetest.MustPost(t, s, bob.ID, "other", 0)
		mustLike(t, s, ann.ID, a1x.ID)
		mustLike(t, s, bob.ID, other.ID)

		thread, err := s.Thread(ctx, root.ID, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range thread {
			got = append(got, fmt.Sprintf("%s@%d", p.Text, p.Depth))
		}
		if strings.Join(got, " ") != "root@0 a@1 a1@2 a1x@3 b@1" {
			t.Fatalf("thread = %v", got)
		}
		if _, err := s.Thread(ctx, 999999, 0); !errors.Is(err, store.ErrPostNotFound) {
			t.Fatalf("thread of unknown post: %v", err)
		}

		if err := s.DeletePost(ctx, store.AsUser(bob.ID), root.ID); !errors.Is(err, store.ErrForbidden) {
			t.Fatalf("bob deleting ann's post: %v", err)
		}
		if storetest.Count(t, s, "post") != 6 {
			t.Fatal("forbidden delete changed something")
		}
		if err := s.DeletePost(ctx, store.AsUser(ann.ID), root.ID); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{root.ID, a.ID, b.ID, a1.ID, a1x.ID} {
			if _, err := s.GetPost(ctx, id, 0); !errors.Is(err, store.ErrPostNotFound) {
				t.Errorf("post %d survived: %v", id, err)
			}
		}
		if storetest.Count(t, s, "post") != 1 || storetest.Count(t, s, `"like"`) != 1 {
			t.Fatal("the tree's likes or posts were left behind")
		}
		if err := s.DeletePost(ctx, store.AsUser(ann.ID), root.ID); !errors.Is(err, store.ErrPostNotFound) {
			t.Fatalf("delete twice: %v", err)
		}
		if err := s.DeletePost(ctx, store.AsOperator("test"), other.ID); err != nil {
			t.Fatalf("operator delete: %v", err)
		}
	})
}

func TestUpdatePostOnlyByAuthor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		p := storetest.MustPost(t, s, ann.ID, "original", 0)
		if _, err := s.UpdatePost(ctx, store.AsUser(bob.ID), p.ID, "hijacked"); !errors.Is(err, store.ErrForbidden) || err.Error() != "Not allowed" {
			t.Fatalf("bob edits ann's post: %v", err)
		}
		got, _ := s.GetPost(ctx, p.ID, 0)
		if got.Text != "original" {
			t.Fatalf("text changed to %q", got.Text)
		}
		if _, err := s.UpdatePost(ctx, store.AsUser(ann.ID), p.ID, ""); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("empty edit: %v", err)
		}
		up, err := s.UpdatePost(ctx, store.AsUser(ann.ID), p.ID, " edited ")
		if err != nil || up.Text != "edited" || up.ID != p.ID {
			t.Fatalf("edit: %v %+v", err, up)
		}
		if _, err := s.UpdatePost(ctx, store.AsUser(ann.ID), 999999, "x"); !errors.Is(err, store.ErrPostNotFound) {
			t.Fatalf("edit unknown: %v", err)
		}
	})
}
