package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// chain writes n replies, each under the one before, below parent.
func chain(t *testing.T, s *store.Store, authors []int64, parent int64, n int) []int64 {
	t.Helper()
	ids := make([]int64, 0, n)
	err := s.InTx(ctx, func(ctx2 ctxT, tx *store.Store) error {
		for i := range n {
			p, err := tx.CreatePost(ctx2, authors[i%len(authors)], "deeper", &parent)
			if err != nil {
				return err
			}
			ids = append(ids, p.ID)
			parent = p.ID
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestDeleteTreesOfAnyDepth: a reply chain 5,000 deep under a post (SQLite
// stopped at 1,000: "too many levels of trigger recursion", and the post
// and its author could not be deleted) goes with the post, or with its
// author, on both databases, and every counter stays true.
func TestDeleteTreesOfAnyDepth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		top := storetest.MustPost(t, s, bob.ID, "bob's post", 0)
		mine := storetest.MustPost(t, s, ann.ID, "ann's reply", top.ID)
		deep := chain(t, s, []int64{ann.ID, bob.ID}, mine.ID, 5000)
		mustLike(t, s, bob.ID, deep[4999])
		mustLike(t, s, ann.ID, top.ID)

		if err := s.DeletePost(ctx, store.AsUser(ann.ID), mine.ID); err != nil {
			t.Fatalf("delete a post with a reply chain 5,000 deep: %v", err)
		}
		if n := storetest.Count(t, s, "post"); n != 1 {
			t.Fatalf("%d posts left, want 1", n)
		}
		if got, _ := s.GetPost(ctx, top.ID, 0); got.ReplyCount != 0 || got.Likes != 1 {
			t.Fatalf("bob's post: %d replies, %d likes; want 0 and 1", got.ReplyCount, got.Likes)
		}
		if n := storetest.Count(t, s, `"like"`); n != 1 {
			t.Fatalf("%d likes left, want 1", n)
		}

		first := storetest.MustPost(t, s, ann.ID, "ann again", top.ID)
		chain(t, s, []int64{bob.ID}, first.ID, 5000)
		if err := s.DeleteUser(ctx, ann.ID); err != nil {
			t.Fatalf("delete the author of a post with a reply chain 5,000 deep: %v", err)
		}
		if n := storetest.Count(t, s, "post"); n != 1 {
			t.Fatalf("%d posts left after deleting ann, want 1", n)
		}
		if got, _ := s.GetPost(ctx, top.ID, 0); got.ReplyCount != 0 || got.Likes != 0 {
			t.Fatalf("bob's post after ann left: %d replies, %d likes", got.ReplyCount, got.Likes)
		}
	})
}

// TestSQLiteFileIsPrivate: the file holds password hashes and emails, so it
// is made 0600 in a folder made 0700 (they were 0644 and 0755); a folder
// name with '#' opens the file it names (it opened the path before the '#').
func TestSQLiteFileIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data #1", "pamps")
	s := storetest.Migrated(t, "sqlite:"+filepath.Join(dir, "pamps.db"), store.Options{})
	storetest.MustUser(t, s, "ann")
	for path, want := range map[string]os.FileMode{dir: 0o700 | os.ModeDir, filepath.Join(dir, "pamps.db"): 0o600} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path, fi.Mode(), want)
		}
	}
	for _, f := range []string{"pamps.db-wal", "pamps.db-shm"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err == nil && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v", f, fi.Mode())
		}
	}
}

// TestEmailsAreOneAddressInEveryScript: uniqueness ignores case beyond
// ASCII (Ä and ä clashed nowhere), and the address rules refuse a bare
// host, an IP literal and full-width characters.
func TestEmailsAreOneAddressInEveryScript(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, err := s.CreateUser(ctx, store.NewUser{Email: "Ä@example.com", Username: "first", Password: "password1"}); err != nil {
			t.Fatal(err)
		}
		for _, email := range []string{"ä@example.com", "ä@EXAMPLE.com", "Ä@Example.COM"} {
			if _, err := s.CreateUser(ctx, store.NewUser{Email: email, Username: "second", Password: "password1"}); !errors.Is(err, store.ErrEmailTaken) {
				t.Errorf("%s: %v, want the email taken", email, err)
			}
		}
		bob := storetest.MustUser(t, s, "bob")
		if _, err := s.UpdateUser(ctx, bob.ID, store.UserPatch{Email: ptr("ä@example.com")}); !errors.Is(err, store.ErrEmailTaken) {
			t.Errorf("changing to a clashing email: %v", err)
		}
		for _, email := range []string{"a@b", "a@[127.0.0.1]", "a@127.0.0.1", "ａ@example.com", "a@ｅｘａｍｐｌｅ.com", "a@-x.org", "a@x..org", "a@.x.org"} {
			if _, err := s.CreateUser(ctx, store.NewUser{Email: email, Username: "third", Password: "password1"}); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("%q: %v, want invalid", email, err)
			}
		}
		for _, email := range []string{"ö@bücher.de", "first.last+tag@sub.example.co.uk"} {
			if _, err := s.CreateUser(ctx, store.NewUser{Email: email, Username: "u" + string(rune('a'+len(email)%26)), Password: "password1"}); err != nil {
				t.Errorf("%q: %v", email, err)
			}
		}
	})
}

// TestInvisiblePostsAreRefused: text made only of spaces, zero-width or
// other format characters says nothing and is refused (it was stored).
func TestInvisiblePostsAreRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		for _, text := range []string{"\u200b", "\ufeff", "\u200b\u200c\u200d\u2060", " \u200e \u200f ", "\u3164", "\u2800\u2800"} {
			if _, err := s.CreatePost(ctx, ann.ID, text, nil); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("%q: %v, want invalid", text, err)
			}
		}
		if _, err := s.CreatePost(ctx, ann.ID, "\u200bvisible", nil); err != nil {
			t.Errorf("text with a visible character: %v", err)
		}
		if n := storetest.Count(t, s, "post"); n != 1 {
			t.Fatalf("%d posts", n)
		}
	})
}

// TestCraftedTimeCursors: a cursor naming an instant no database stores
// is a validation error, not a database fault (it was a 500 on PostgreSQL).
func TestCraftedTimeCursors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		for _, c := range []string{"-300000000000000000_5", "9223372036854775807_1", "-9223372036854775808_1", "253402300800000000_1", "1_-5", "x_1", "1_"} {
			if _, err := s.Followers(ctx, ann.ID, 0, c, 10); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("followers cursor %q: %v", c, err)
			}
			if _, err := s.LikedPosts(ctx, ann.ID, 0, c, 10); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("likes cursor %q: %v", c, err)
			}
		}
	})
}

// TestPostDetailCarriesAtMostItsFirstReplies: the rest are a page of
// Replies away (one detail grew to 23 MB).
func TestPostDetailCarriesAtMostItsFirstReplies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		p := storetest.MustPost(t, s, ann.ID, "popular", 0)
		err := s.InTx(ctx, func(ctx2 ctxT, tx *store.Store) error {
			for range store.DetailReplies + 30 {
				if _, err := tx.CreatePost(ctx2, ann.ID, "me too", &p.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.PostDetail(ctx, p.ID, 0)
		if err != nil || len(d.Replies) != store.DetailReplies || d.ReplyCount != store.DetailReplies+30 || d.RepliesNext == "" {
			t.Fatalf("detail: %v, %d replies of %d, next %q", err, len(d.Replies), d.ReplyCount, d.RepliesNext)
		}
		rest, err := s.Replies(ctx, p.ID, 0, d.RepliesNext, 100)
		if err != nil || len(rest.Items) != 30 || rest.Next != "" || rest.Items[0].ID != d.Replies[len(d.Replies)-1].ID+1 {
			t.Fatalf("the rest: %v, %d, next %q", err, len(rest.Items), rest.Next)
		}
		if _, err := s.Replies(ctx, 999999, 0, "", 10); !errors.Is(err, store.ErrPostNotFound) {
			t.Fatalf("replies of an unknown post: %v", err)
		}
		small := storetest.MustPost(t, s, ann.ID, "quiet", 0)
		if d, err := s.PostDetail(ctx, small.ID, 0); err != nil || d.RepliesNext != "" || len(d.Replies) != 0 {
			t.Fatalf("quiet post: %v %+v", err, d)
		}
	})
}

// TestRedactURI hides every password a database URI can carry: in the
// user info and as ?password= (which was shown), with or without user info.
func TestRedactURI(t *testing.T) {
	for _, uri := range []string{
		"postgresql://u:s3cr3t@db/pamps",
		"postgresql://db/pamps?password=s3cr3t",
		"postgresql://u@db/pamps?sslmode=disable&password=s3cr3t",
		"postgres://u@db/pamps?sslpassword=s3cr3t",
		"postgresql://u:s3cr3t@db/pamps?PASSWORD=s3cr3t",
		"postgresql://u:s3cr3t@db:notaport/%zz",
		// libpq's keyword/value form, which was echoed whole.
		"host=db user=u password=s3cr3t dbname=pamps",
		"host=db PASSWORD = s3cr3t",
		"host=db password='s3 cr3t \\' s3cr3t' dbname=pamps",
		"sslpassword=s3cr3t host=db",
	} {
		if got := store.RedactURI(uri); strings.Contains(got, "s3cr3t") {
			t.Errorf("%s -> %s", uri, got)
		}
	}
	if got := store.RedactURI("postgresql://u@db/pamps?sslmode=disable"); got != "postgresql://u@db/pamps?sslmode=disable" {
		t.Errorf("a URI without secrets changed: %s", got)
	}
}

type ctxT = context.Context

// TestPrintable: what reaches a terminal has no control sequence left.
func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ttext\nnext":       "plain\ttext\nnext",
		"\x1b]52;c;aGk=\x07":      `\x1b]52;c;aGk=\x07`,
		"\x1b[2J\x1b]0;title\x07": `\x1b[2J\x1b]0;title\x07`,
		"a\rb\x00c\x7f":           `a\x0db\x00c\x7f`,
		"c1 \u009b31m":            `c1 \x9b31m`,
		"evil\u202eexe.txt":       `evil\u202eexe.txt`,
		"bad \xff byte":           `bad \xff byte`,
		"ünïcödé ok 😀":            "ünïcödé ok 😀",
	} {
		if got := store.Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestInMemorySQLiteIsRefused: each pooled connection would get an empty
// database of its own (sqlite::memory: was accepted).
func TestInMemorySQLiteIsRefused(t *testing.T) {
	for _, uri := range []string{"sqlite::memory:", "file::memory:", "sqlite:x.db?mode=memory"} {
		if _, err := store.Open(ctx, store.Options{URI: uri}); err == nil || !strings.Contains(err.Error(), "in-memory") {
			t.Errorf("%s: %v", uri, err)
		}
	}
}

// TestBidiControlsAreRefused: the embedding, override and isolate controls
// reorder what a reader sees (Trojan Source); posts, replies and bios with
// them are refused, and nothing is stored. They were accepted.
func TestBidiControlsAreRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		for _, c := range []rune{0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069} {
			text := "see file \u2067" + string(c) + "exe.txt"
			if _, err := s.CreatePost(ctx, ann.ID, text, nil); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("post with U+%04X: %v, want invalid", c, err)
			}
			bio := "hi " + string(c)
			if _, err := s.UpdateUser(ctx, ann.ID, store.UserPatch{Bio: &bio}); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("bio with U+%04X: %v, want invalid", c, err)
			}
		}
		if n := storetest.Count(t, s, "post"); n != 0 {
			t.Fatalf("%d posts stored", n)
		}
		if u, _ := s.UserByID(ctx, ann.ID); u.Bio != nil && *u.Bio != "" {
			t.Fatalf("bio stored: %q", *u.Bio)
		}
	})
}
