package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/seed"
	"github.com/pamps/pamps/store/storetest"
	"github.com/pamps/pamps/store/storetest/eventually"
)

// community fills s with the seeded demo network and a little of every
// table: blocks, mutes, a report, an invite, a suspension, notifications.
func community(t *testing.T, s *store.Store) {
	t.Helper()
	if _, err := seed.Run(ctx, s, storetest.SeedOptions()); err != nil {
		t.Fatal(err)
	}
	ann, bob, cat := storetest.MustUser(t, s, "ann"), storetest.MustUser(t, s, "bob"), storetest.MustUser(t, s, "cat")
	op := store.AsOperator("test")
	if _, err := s.SetRole(ctx, op, ann.ID, store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	p := storetest.MustPost(t, s, bob.ID, "hello @ann", 0)
	storetest.MustPost(t, s, cat.ID, "a reply, with ünïcode and \"quotes\"\nand a new line", p.ID)
	if _, _, err := s.Like(ctx, cat.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Block(ctx, ann.ID, cat.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Mute(ctx, bob.ID, cat.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateReport(ctx, bob.ID, store.NewReport{UserID: &cat.ID, Reason: "spam"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateInvite(ctx, op, 3, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Suspend(ctx, op, cat.ID, "spam"); err != nil {
		t.Fatal(err)
	}
}

// fingerprint is what a community looks like from outside: every list the
// API shows, as the operator and as a member, with their counts.
func fingerprint(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	users, err := s.ListUsers(ctx, store.UserList{Limit: 1000, Viewer: store.OperatorView})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users.Items {
		full, err := s.UserByID(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "user %d %s %s %v %v %d %d %s %s %d\n", u.ID, u.Username, u.Email, str(u.Bio), str(u.Avatar), u.Followers, u.Following, full.Role, full.Status, full.TokensAfter)
	}
	for _, viewer := range []int64{store.OperatorView, 0, users.Items[0].ID} {
		cursor := ""
		for {
			page, err := s.ListPosts(ctx, store.PostList{Replies: true, Limit: 1000, Cursor: cursor, Viewer: viewer})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				parent := int64(0)
				if p.ParentID != nil {
					parent = *p.ParentID
				}
				fmt.Fprintf(&b, "post %d %d %q %s %d %d %d\n", viewer, p.ID, p.Text, p.Date, parent, p.Likes, p.ReplyCount)
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
	}
	for _, u := range users.Items[len(users.Items)-3:] {
		ns, err := s.Notifications(ctx, u.ID, store.NotificationFilter{}, "", 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns.Items {
			fmt.Fprintf(&b, "notification %d %d %s %s %v\n", u.ID, n.ID, n.Type, n.Actor.Username, n.Read)
		}
	}
	for _, table := range []string{"follow", `"like"`, "block", "mute", "report", "invite", "audit", "refresh_token", "ssh_key"} {
		fmt.Fprintf(&b, "%s %d\n", table, storetest.Count(t, s, table))
	}
	return b.String()
}

func str(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// TestDumpAndRestoreEveryWay: a dump of either database restores into an
// empty one of either kind; every list is the same on both sides, members
// sign in with their passwords, new ids continue, and a non-empty target
// is refused with nothing changed.
func TestDumpAndRestoreEveryWay(t *testing.T) {
	sources := map[string]func(t *testing.T) *store.Store{
		"sqlite":   func(t *testing.T) *store.Store { return storetest.SQLiteMigrated(t, store.Options{}) },
		"postgres": func(t *testing.T) *store.Store { return storetest.PostgresMigrated(t, store.Options{}) },
	}
	for from, mkFrom := range sources {
		for to := range sources {
			t.Run(from+" to "+to, func(t *testing.T) {
				src := mkFrom(t)
				community(t, src)
				var archive bytes.Buffer
				counts, err := src.Dump(ctx, &archive, true, nil)
				if err != nil {
					t.Fatal(err)
				}
				if counts["post"] < 400 || counts["audit"] == 0 {
					t.Fatalf("counts %v", counts)
				}
				uri := storetest.SQLiteURI(t)
				if to == "postgres" {
					uri = storetest.PostgresURI(t)
				}
				dst := storetest.Open(t, uri, store.Options{})
				if _, _, err := dst.Restore(ctx, bytes.NewReader(archive.Bytes()), nil); err != nil {
					t.Fatal(err)
				}
				if a, b := fingerprint(t, src), fingerprint(t, dst); a != b {
					t.Fatalf("the restored community differs:\n--- source\n%s\n--- restored\n%s", a, b)
				}
				if _, err := dst.Login(ctx, "test", "ann", "password1"); err != nil {
					t.Fatalf("ann signs in after the restore: %v", err)
				}
				if _, err := dst.Login(ctx, "test", "cat", "password1"); !errors.Is(err, store.ErrSuspended) {
					t.Fatalf("cat's suspension after the restore: %v", err)
				}
				bob, _ := dst.UserByName(ctx, "bob")
				p := storetest.MustPost(t, dst, bob.ID, "after the restore", 0)
				if last, _ := src.ListPosts(ctx, store.PostList{Newest: true, Limit: 1, Replies: true}); p.ID <= last.Items[0].ID {
					t.Fatalf("a new post got id %d, at or below the restored %d", p.ID, last.Items[0].ID)
				}
				if _, _, err := dst.Restore(ctx, bytes.NewReader(archive.Bytes()), nil); !errors.Is(err, store.ErrNotEmpty) {
					t.Fatalf("a restore into a non-empty database: %v", err)
				}
				if n := storetest.Count(t, dst, "post"); n != int(counts["post"])+1 {
					t.Fatalf("the refused restore changed the posts: %d", n)
				}
			})
		}
	}
}

// TestDumpUnderWritesIsConsistent: a dump taken while members post, reply
// and like restores with every counter equal to its rows (the restore
// checks them) and every foreign key whole.
func TestDumpUnderWritesIsConsistent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, src *store.Store) {
		community(t, src)
		users, _ := src.ListUsers(ctx, store.UserList{Limit: 20})
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for w := range 3 {
			wg.Go(func() {
				u := users.Items[w].ID
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					p, err := src.CreatePost(ctx, u, fmt.Sprintf("written during the dump %d", i), nil)
					if err != nil {
						t.Error(err)
						return
					}
					if _, err := src.CreatePost(ctx, users.Items[w+5].ID, "a reply", &p.ID); err != nil {
						t.Error(err)
						return
					}
					if _, _, err := src.Like(ctx, users.Items[w+10].ID, p.ID); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		before := storetest.Count(t, src, "post")
		eventually.True(t, 0, func() bool { return storetest.Count(t, src, "post") >= before+30 }, "the writers never wrote")
		var archive bytes.Buffer
		dumped, err := src.Dump(ctx, &archive, false, func(string, int64, int64) {})
		eventually.True(t, 0, func() bool { return int64(storetest.Count(t, src, "post")) >= dumped["post"]+30 }, "the writers stopped")
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		dst := storetest.Open(t, storetest.SQLiteURI(t), store.Options{})
		if _, counts, err := dst.Restore(ctx, &archive, nil); err != nil || counts["post"] != dumped["post"] {
			t.Fatalf("restore of a dump under writes: %v (%v, dumped %v)", err, counts, dumped)
		}
	})
}

// TestRestoreRefusesDamagedArchives: cut short, not an archive, or a newer
// schema: refused, and the database stays empty.
func TestRestoreRefusesDamagedArchives(t *testing.T) {
	src := storetest.SQLiteMigrated(t, store.Options{})
	community(t, src)
	var archive bytes.Buffer
	if _, err := src.Dump(ctx, &archive, false, nil); err != nil {
		t.Fatal(err)
	}
	whole := archive.String()
	newer := strings.Replace(whole, `"schema":"2026`, `"schema":"2999`, 1)
	for name, a := range map[string]string{
		"cut short":      whole[:len(whole)*2/3],
		"not an archive": "hello\n",
		"newer schema":   newer,
		"a count wrong":  strings.Replace(whole, `{"end":"follow","rows":`, `{"end":"follow","rows":1`, 1),
	} {
		dst := storetest.Open(t, storetest.SQLiteURI(t), store.Options{})
		if _, _, err := dst.Restore(ctx, strings.NewReader(a), nil); err == nil {
			t.Errorf("%s: restored", name)
		}
		if n := countOrZero(dst, "post"); n != 0 {
			t.Errorf("%s: %d posts left behind", name, n)
		}
	}
}

func countOrZero(s *store.Store, table string) int {
	var n int
	if err := s.DB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		return 0
	}
	return n
}
