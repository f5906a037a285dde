package server_test

import (
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// heapAfterGC is the live heap, for tests that check a flood left nothing behind.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestLoginFloodLeavesNoState: once an address is over the login limit,
// logins with distinct 1 MB usernames are refused without being
// remembered, so the server's memory stays flat (it grew by 700 MB).
func TestLoginFloodLeavesNoState(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st.WithLimits(store.Limits{Login: store.Rate{N: 10, Per: time.Minute}}))
	for range 10 {
		a.do("POST", "/token", url.Values{"username": {"nobody"}, "password": {"wrong-password"}}, "")
	}
	before := heapAfterGC()
	for i := range 200 {
		name := fmt.Sprintf("%d%s", i, strings.Repeat("x", 1<<20-100))
		r := a.do("POST", "/token", url.Values{"username": {name}, "password": {"x"}}, "")
		if r.status != 429 && r.status != 422 {
			t.Fatalf("flood login %d: %d %s", i, r.status, r.body)
		}
	}
	if grew := int64(heapAfterGC()) - int64(before); grew > 20<<20 {
		t.Fatalf("200 refused 1 MB logins grew the heap by %d MB", grew>>20)
	}
}

// TestLoginBurstGetsNoMoreChecksThanTheLimit: 59 wrong passwords and the
// right one sent at once from a fresh address get at most the limit's 10
// password checks; the rest are 429 before any hashing (it was 59 × 401
// and 1 × 200).
func TestLoginBurstGetsNoMoreChecksThanTheLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st.WithLimits(store.Limits{Login: store.Rate{N: 10, Per: time.Minute}}))
		a.register("ann")
		statuses := parallel(60, func(i int) response {
			pw := "wrong-password"
			if i == 59 {
				pw = "password1"
			}
			return a.do("POST", "/token", url.Values{"username": {"ann"}, "password": {pw}}, "")
		})
		checked := count(statuses, 401) + count(statuses, 200)
		// The register above logged in once, which took one place.
		if checked > 9 || count(statuses, 429) != 60-checked {
			t.Fatalf("%d password checks (401: %d, 200: %d, 429: %d), want at most 9", checked, count(statuses, 401), count(statuses, 200), count(statuses, 429))
		}
	})
}

// TestLoginLimitsPerUsernameAcrossClients: a failure from one client does
// not stop the owner's correct password from another until the
// per-username limit (ten times the per-client one) is reached.
func TestLoginLimitsPerUsernameAcrossClients(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st.WithLimits(store.Limits{Login: store.Rate{N: 3, Per: time.Minute}}))
	a.register("ann") // from 127.0.0.1: one attempt
	bad := url.Values{"username": {"ann"}, "password": {"wrong-password"}}
	for range 2 {
		expect(t, "wrong password", a.do("POST", "/token", bad, ""), 401, "")
	}
	expect(t, "this client is over its limit", a.do("POST", "/token", bad, ""), 429, "")
	// Another client of the same server: the per-username limit is 30.
	other := a.from("127.0.0.2")
	expect(t, "the owner from another client", other.do("POST", "/token", url.Values{"username": {"ann"}, "password": {"password1"}}, ""), 200, "")
}

// TestSignupsAreLimitedPerClient: security.signup_rate_limit, and a
// sign-up refused by a rule does not count.
func TestSignupsAreLimitedPerClient(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st.WithLimits(store.Limits{Signup: store.Rate{N: 2, Per: time.Hour}}))
	expect(t, "invalid sign-up", a.do("POST", "/user/", map[string]string{"email": "x", "username": "x", "password": "password1"}, ""), 422, "")
	for _, n := range []string{"ann", "bob"} {
		expect(t, "sign-up "+n, a.do("POST", "/user/", map[string]string{"email": n + "@example.com", "username": n, "password": "password1"}, ""), 201, "")
	}
	r := a.do("POST", "/user/", map[string]string{"email": "cat@example.com", "username": "cat", "password": "password1"}, "")
	expect(t, "over the limit", r, 429, `{"detail":"Too many requests"}`)
	if r.header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	if n := storetest.Count(t, st, `"user"`); n != 2 {
		t.Fatalf("%d users, want 2", n)
	}
}

// TestPostingIsLimitedPerUser: security.post_rate_limit; another user is not
// affected, and a refused post writes nothing.
func TestPostingIsLimitedPerUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		a := newAPI(t, st.WithLimits(store.Limits{Post: store.Rate{N: 3, Per: time.Hour}}))
		ann, bob := a.register("ann"), a.register("bob")
		expect(t, "invalid post (does not count)", a.do("POST", "/post/", map[string]any{"text": ""}, ann), 422, "")
		for i := range 3 {
			expect(t, fmt.Sprintf("post %d", i), a.do("POST", "/post/", map[string]any{"text": "hi"}, ann), 201, "")
		}
		r := a.do("POST", "/post/", map[string]any{"text": "one too many"}, ann)
		expect(t, "over the limit", r, 429, `{"detail":"Too many requests"}`)
		expect(t, "a reply is a post too", a.do("POST", "/post/", map[string]any{"text": "re", "parent_id": 1}, ann), 429, "")
		expect(t, "bob", a.do("POST", "/post/", map[string]any{"text": "mine"}, bob), 201, "")
		if n := storetest.Count(t, st, "post"); n != 4 {
			t.Fatalf("%d posts, want 4", n)
		}
	})
}

// TestSignupsDoNotStarveLogins: logins hash in their own lane, so a flood
// of sign-ups (which hash too) cannot queue a login behind it: with one
// slot per lane, a login started after 16 slow sign-ups ends while most of
// them still wait (it waited 15 s, then failed with 503).
func TestSignupsDoNotStarveLogins(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{Rules: store.Rules{BcryptCost: 10}})
	a := newAPI(t, st.WithLimits(store.Limits{HashWorkers: 1}))
	a.register("ann")
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.do("POST", "/user/", map[string]string{"email": fmt.Sprintf("u%d@example.com", i), "username": fmt.Sprintf("u%d", i), "password": "password1"}, "")
			mu.Lock()
			done++
			mu.Unlock()
		}()
	}
	// The login starts once the sign-ups hold their lane.
	eventually.True(t, 0, func() bool { _, other := a.st.HashLanesBusy(); return other > 0 }, "no sign-up took its lane")
	a.login("ann", "password1")
	mu.Lock()
	finished := done
	mu.Unlock()
	wg.Wait()
	if finished > 8 {
		t.Fatalf("the login waited for %d of 16 sign-ups", finished)
	}
}
