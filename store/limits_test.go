package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestLoginLimitCountsTheAccountHoweverSpelled: the per-account limit
// counts the account a name resolves to. On PostgreSQL, lower() folds the
// Kelvin sign (U+212A) to k, so "\u212Aen" signs in as ken; it used to
// count under no account at all, and a guesser spelling the name so got
// past the per-username limit.
func TestLoginLimitCountsTheAccountHoweverSpelled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		storetest.MustUser(t, st, "ken")
		spellings := []string{"ken", "KEN", "Ken"}
		if st.Dialect() == store.Postgres {
			var folded string
			if err := st.DB().QueryRowContext(ctx, "SELECT lower(U&'\\212Aen')").Scan(&folded); err != nil {
				t.Fatal(err)
			}
			if folded != "ken" {
				t.Fatalf("the test database's LC_CTYPE folds no Unicode case (lower gave %q): create it with a UTF-8 locale", folded)
			}
			if _, err := st.Login(ctx, "198.51.100.1", "\u212Aen", "password1"); err != nil {
				t.Fatalf("the Kelvin spelling does not sign in (%v): the test proves nothing", err)
			}
			spellings = []string{"\u212Aen", "\u212AEN", "ken"}
		}
		st = st.WithLimits(store.Limits{Login: store.Rate{N: 1, Per: time.Hour}}) // 10 per account
		for i := range 10 {
			client := fmt.Sprintf("192.0.2.%d", i)
			if _, err := st.Login(ctx, client, spellings[i%len(spellings)], "wrong-password"); !errors.Is(err, store.ErrBadCredentials) {
				t.Fatalf("attempt %d: %v, want a checked wrong password", i+1, err)
			}
		}
		_, err := st.Login(ctx, "192.0.2.200", "ken", "password1")
		var le *store.LimitError
		if !errors.As(err, &le) || !le.Login || le.Wait <= 0 {
			t.Fatalf("the 11th attempt on ken, from a fresh client: %v; want the per-account limit", err)
		}
	})
}

// TestLimitsAreBelowTheFrontEnds: a member's post is limited in the store
// (no front end can skip it), a refused or invalid one takes no place, and
// the operator's CreatePost is exempt.
func TestLimitsAreBelowTheFrontEnds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		st = st.WithLimits(store.Limits{Post: store.Rate{N: 2, Per: time.Hour}})
		ann := storetest.MustUser(t, st, "ann")
		cred := store.Credential{UserID: ann.ID, Username: "ann", IssuedAt: time.Now().UnixMilli()}
		if _, err := st.CreatePostAs(ctx, cred, "   ", nil); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("blank post: %v", err)
		}
		for i := range 2 {
			if _, err := st.CreatePostAs(ctx, cred, "hello", nil); err != nil {
				t.Fatalf("post %d: %v", i+1, err)
			}
		}
		if _, err := st.CreatePostAs(ctx, cred, "one too many", nil); !errors.Is(err, store.ErrLimited) {
			t.Fatalf("third post: %v, want ErrLimited", err)
		}
		if _, err := st.CreatePost(ctx, ann.ID, "the operator writes for ann", nil); err != nil {
			t.Fatalf("the operator's post was limited: %v", err)
		}
		other := storetest.MustUser(t, st, "bob")
		if _, err := st.CreatePostAs(ctx, store.Credential{UserID: other.ID, Username: "bob", IssuedAt: time.Now().UnixMilli()}, "bob is not ann", nil); err != nil {
			t.Fatalf("another member was limited by ann's posts: %v", err)
		}
	})
}
