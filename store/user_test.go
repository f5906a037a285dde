package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

var ctx = context.Background()

func ptr[T any](v T) *T { return &v }

func fieldsOf(err error) []string {
	var ve *store.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestCreateUserRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ok := store.NewUser{Email: "ann@example.com", Username: "ann", Password: "password1"}
		cases := []struct {
			name   string
			edit   func(u *store.NewUser)
			fields []string
		}{
			{"empty username", func(u *store.NewUser) { u.Username = "" }, []string{"username"}},
			{"username too long", func(u *store.NewUser) { u.Username = strings.Repeat("a", 33) }, []string{"username"}},
			{"username bad start", func(u *store.NewUser) { u.Username = ".ann" }, []string{"username"}},
			{"username space", func(u *store.NewUser) { u.Username = "an n" }, []string{"username"}},
			{"username unicode", func(u *store.NewUser) { u.Username = "änn" }, []string{"username"}},
			{"username reserved", func(u *store.NewUser) { u.Username = "Me" }, []string{"username"}},
			{"username reserved timeline", func(u *store.NewUser) { u.Username = "timeline" }, []string{"username"}},
			{"bad email", func(u *store.NewUser) { u.Email = "not-an-email" }, []string{"email"}},
			{"email with name", func(u *store.NewUser) { u.Email = "Ann <ann@example.com>" }, []string{"email"}},
			{"email too long", func(u *store.NewUser) { u.Email = strings.Repeat("a", 250) + "@x.io" }, []string{"email"}},
			{"short password", func(u *store.NewUser) { u.Password = "short" }, []string{"password"}},
			{"long password", func(u *store.NewUser) { u.Password = strings.Repeat("p", 73) }, []string{"password"}},
			{"ftp avatar", func(u *store.NewUser) { u.Avatar = ptr("ftp://x/y.png") }, []string{"avatar"}},
			{"long bio", func(u *store.NewUser) { u.Bio = ptr(strings.Repeat("b", 501)) }, []string{"bio"}},
			{"NUL in bio", func(u *store.NewUser) { u.Bio = ptr("a\x00b") }, []string{"bio"}},
			{"all at once", func(u *store.NewUser) { u.Username, u.Email, u.Password = "", "x", "" }, []string{"email", "username", "password"}},
		}
		for _, c := range cases {
			u := ok
			c.edit(&u)
			_, err := s.CreateUser(ctx, u)
			if !errors.Is(err, store.ErrInvalid) || strings.Join(fieldsOf(err), ",") != strings.Join(c.fields, ",") {
				t.Errorf("%s: err = %v, fields %v, want %v", c.name, err, fieldsOf(err), c.fields)
			}
		}
		if n := storetest.Count(t, s, `"user"`); n != 0 {
			t.Fatalf("invalid users were stored: %d", n)
		}
		u, err := s.CreateUser(ctx, store.NewUser{Email: "ann@example.com", Username: "ann", Password: "password1",
			Avatar: ptr("https://example.com/a.png"), Bio: ptr("hello")})
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.Username != "ann" || *u.Avatar != "https://example.com/a.png" || *u.Bio != "hello" {
			t.Fatalf("created %+v", u)
		}
		// a 32-character name with every allowed character class is fine
		if _, err := s.CreateUser(ctx, store.NewUser{Email: "b@example.com", Username: "_b.c-D9" + strings.Repeat("x", 25), Password: "password1"}); err != nil {
			t.Fatalf("valid edge username refused: %v", err)
		}
	})
}

func TestUsernameAndEmailUniqueIgnoringCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		storetest.MustUser(t, s, "ann")
		_, err := s.CreateUser(ctx, store.NewUser{Email: "other@example.com", Username: "ANN", Password: "password1"})
		if !errors.Is(err, store.ErrUsernameTaken) {
			t.Fatalf("duplicate username: %v", err)
		}
		_, err = s.CreateUser(ctx, store.NewUser{Email: "Ann@Example.COM", Username: "ann2", Password: "password1"})
		if !errors.Is(err, store.ErrEmailTaken) {
			t.Fatalf("duplicate email: %v", err)
		}
		var ce *store.ConflictError
		if !errors.As(err, &ce) || err != store.ErrEmailTaken || err.Error() != "Email already registered" {
			t.Fatalf("conflict error shape: %#v", err)
		}
		if n := storetest.Count(t, s, `"user"`); n != 1 {
			t.Fatalf("users = %d, want 1", n)
		}
	})
}

func TestLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "Ann")
		u, err := s.Login(ctx, "test", "ann", "password1")
		if err != nil || u.ID != ann.ID {
			t.Fatalf("login with other case: %v %+v", err, u)
		}
		for _, c := range [][2]string{{"ann", "wrong-password"}, {"nobody", "password1"}, {"a\x00b", "x"}} {
			if _, err := s.Login(ctx, "test", c[0], c[1]); !errors.Is(err, store.ErrBadCredentials) {
				t.Errorf("%q/%q: %v", c[0], c[1], err)
			}
		}
		var hash string
		if err := s.DB().QueryRow(`SELECT password FROM "user" WHERE id = ?`, ann.ID).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(hash, "$2b$04$") || strings.Contains(hash, "password1") {
			t.Fatalf("stored hash %q", hash)
		}
	})
}

func TestUpdateUserAndPasswords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		storetest.MustUser(t, s, "bob")
		u, err := s.UpdateUser(ctx, ann.ID, store.UserPatch{Bio: ptr("new bio"), Avatar: ptr("http://a.io/x.png")})
		if err != nil || *u.Bio != "new bio" || *u.Avatar != "http://a.io/x.png" || u.Email != "ann@example.com" {
			t.Fatalf("update: %v %+v", err, u)
		}
		u, err = s.UpdateUser(ctx, ann.ID, store.UserPatch{Bio: ptr("")})
		if err != nil || u.Bio != nil {
			t.Fatalf("clearing bio: %v %+v", err, u)
		}
		if _, err := s.UpdateUser(ctx, ann.ID, store.UserPatch{Email: ptr("BOB@example.com")}); !errors.Is(err, store.ErrEmailTaken) {
			t.Fatalf("taking bob's email: %v", err)
		}
		if _, err := s.UpdateUser(ctx, ann.ID, store.UserPatch{Email: ptr("nope")}); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("bad email: %v", err)
		}
		if _, err := s.UpdateUser(ctx, 999999, store.UserPatch{Bio: ptr("x")}); !errors.Is(err, store.ErrUserNotFound) {
			t.Fatalf("unknown user: %v", err)
		}
		if err := s.ChangePassword(ctx, ann.ID, "wrong-one", "password2"); !errors.Is(err, store.ErrIncorrectPassword) {
			t.Fatalf("wrong current password: %v", err)
		}
		if err := s.ChangePassword(ctx, ann.ID, "password1", "short"); !errors.Is(err, store.ErrInvalid) || fieldsOf(err)[0] != "new_password" {
			t.Fatalf("short new password: %v", err)
		}
		if err := s.ChangePassword(ctx, ann.ID, "password1", "password2"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Login(ctx, "test", "ann", "password2"); err != nil {
			t.Fatalf("login with new password: %v", err)
		}
		if err := s.SetPassword(ctx, ann.ID, "password3"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Login(ctx, "test", "ann", "password2"); !errors.Is(err, store.ErrBadCredentials) {
			t.Fatal("old password still works")
		}
	})
}

func TestListUsersPaginatesOldestFirst(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var want []string
		for _, n := range []string{"ann", "bob", "cat", "bea", "dan"} {
			storetest.MustUser(t, s, n)
			want = append(want, n)
		}
		var got []string
		cursor, pages := "", 0
		for {
			p, err := s.ListUsers(ctx, store.UserList{Cursor: cursor, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, u := range p.Items {
				got = append(got, u.Username)
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if strings.Join(got, ",") != strings.Join(want, ",") || pages != 3 {
			t.Fatalf("walk = %v in %d pages", got, pages)
		}
		p, err := s.ListUsers(ctx, store.UserList{Prefix: "B"})
		if err != nil || len(p.Items) != 2 || p.Items[0].Username != "bob" || p.Items[1].Username != "bea" {
			t.Fatalf("prefix filter: %v %+v", err, p.Items)
		}
		p, err = s.ListUsers(ctx, store.UserList{Prefix: "%"})
		if err != nil || len(p.Items) != 0 {
			t.Fatalf("%% is not a wildcard: %v %+v", err, p.Items)
		}
		for _, bad := range []int{-1, 1001} {
			if _, err := s.ListUsers(ctx, store.UserList{Limit: bad}); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("limit %d: %v", bad, err)
			}
		}
		if _, err := s.ListUsers(ctx, store.UserList{Cursor: "zz"}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("bad cursor: %v", err)
		}
	})
}

func TestDeleteUserCascades(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		root := storetest.MustPost(t, s, ann.ID, "ann's post", 0)
		reply := storetest.MustPost(t, s, bob.ID, "bob replies", root.ID)
		bobs := storetest.MustPost(t, s, bob.ID, "bob's own", 0)
		mustFollow(t, s, ann.ID, bob.ID)
		mustFollow(t, s, bob.ID, ann.ID)
		mustLike(t, s, ann.ID, bobs.ID)
		mustLike(t, s, bob.ID, root.ID)
		if err := s.DeleteUser(ctx, ann.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetPost(ctx, reply.ID, 0); !errors.Is(err, store.ErrPostNotFound) {
			t.Fatalf("reply under ann's post survived: %v", err)
		}
		if storetest.Count(t, s, "post") != 1 || storetest.Count(t, s, "follow") != 0 || storetest.Count(t, s, `"like"`) != 0 {
			t.Fatal("rows left behind")
		}
		if err := s.DeleteUser(ctx, ann.ID); !errors.Is(err, store.ErrUserNotFound) {
			t.Fatalf("deleting twice: %v", err)
		}
	})
}

func mustFollow(t *testing.T, s *store.Store, from, to int64) {
	t.Helper()
	if _, _, err := s.Follow(ctx, from, to); err != nil {
		t.Fatal(err)
	}
}

func mustLike(t *testing.T, s *store.Store, user, post int64) {
	t.Helper()
	if _, _, err := s.Like(ctx, user, post); err != nil {
		t.Fatal(err)
	}
}

// TestUnknownUserCostsABcrypt: logging in as nobody does the same bcrypt work
// as a wrong password, so response times do not tell which names exist.
// Without the dummy comparison the two differ by ~600× at cost 10; the test
// allows 3× either way, so scheduling noise cannot make it fail.
func TestUnknownUserCostsABcrypt(t *testing.T) {
	s := storetest.SQLiteMigrated(t, store.Options{Rules: store.Rules{BcryptCost: 10}})
	storetest.MustUser(t, s, "ann")
	s.Login(ctx, "test", "nobody", "warm-up") // the dummy hash is made on first use
	median := func(name string) time.Duration {
		var ds []time.Duration
		for range 5 {
			began := time.Now()
			if _, err := s.Login(ctx, "test", name, "wrong-password"); !errors.Is(err, store.ErrBadCredentials) {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(began))
		}
		slices.Sort(ds)
		return ds[2]
	}
	known, unknown := median("ann"), median("nobody")
	t.Logf("wrong password %s, unknown user %s", known, unknown)
	if unknown < known/3 || unknown > known*3 {
		t.Fatalf("an unknown user costs %s, a wrong password %s: names can be told apart by timing", unknown, known)
	}
}
