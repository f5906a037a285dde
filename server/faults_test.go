package server_test

import (
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/server"
	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestPostgresOutage stops PostgreSQL under load and starts it again: requests
// get 503 quickly meanwhile, /readyz follows, the process recovers by itself,
// and every post acknowledged with 201 is in the database afterwards.
func TestPostgresOutage(t *testing.T) {
	t.Parallel() // it mostly waits (a window, a token's life, a cluster): others run meanwhile
	pg := storetest.PrivatePostgres(t)
	st := storetest.Migrated(t, pg.URI, store.Options{})
	ts := httptest.NewServer(server.New(st, httpapi.Options{Tokens: testTokens(), RequestTimeout: 5 * time.Second}))
	defer ts.Close()
	a := &api{t: t, url: ts.URL, st: st}
	tok := a.register("ann")

	var (
		mu       sync.Mutex
		acked    []int64
		statuses = map[int]int{}
		slowest  time.Duration
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				began := time.Now()
				r := a.do("POST", "/post/", map[string]any{"text": fmt.Sprintf("writer %d post %d", w, i)}, tok)
				took := time.Since(began)
				mu.Lock()
				statuses[r.status]++
				if r.status == 503 && took > slowest {
					slowest = took
				}
				if r.status == 201 {
					var p struct{ ID int64 }
					r.json(t, &p)
					acked = append(acked, p.ID)
				}
				mu.Unlock()
				if r.status == 503 {
					time.Sleep(20 * time.Millisecond) // a client's pause before it tries again
				}
			}
		}()
	}
	count := func(status int) func() int {
		return func() int { mu.Lock(); defer mu.Unlock(); return statuses[status] }
	}
	acks, fails := count(201), count(503)
	eventually.True(t, 0, func() bool { return acks() >= 40 }, "the writers got no 201s before the outage")
	pg.Stop()
	eventually.True(t, 0, func() bool { return a.do("GET", "/readyz", nil, "").status == 503 }, "/readyz did not follow PostgreSQL down")
	expect(t, "healthz while down", a.do("GET", "/healthz", nil, ""), 200, `{"status":"ok"}`)
	eventually.True(t, 0, func() bool { return fails() >= 40 }, "the writers got no 503s while PostgreSQL was down")
	pg.Start()
	eventually.True(t, 20*time.Second, func() bool { return a.do("GET", "/readyz", nil, "").status == 200 }, "/readyz did not come back after PostgreSQL did")
	back := acks()
	eventually.True(t, 0, func() bool { return acks() >= back+40 }, "the writers got no 201s after PostgreSQL came back")
	stop.Store(true)
	wg.Wait()

	t.Logf("answers: %v; slowest 503 took %s; %d posts acknowledged", statuses, slowest.Round(time.Millisecond), len(acked))
	for code := range statuses {
		if code != 201 && code != 503 {
			t.Errorf("status %d during the outage (want only 201 and 503)", code)
		}
	}
	if statuses[503] == 0 || statuses[201] == 0 {
		t.Fatalf("the outage was not seen: %v", statuses)
	}
	var stored int
	if err := st.DB().QueryRow(`SELECT count(*) FROM post`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	missing := 0
	for _, id := range acked {
		if _, err := st.GetPost(ctx, id, 0); err != nil {
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged posts are missing", missing, len(acked))
	}
	if stored < len(acked) {
		t.Fatalf("%d stored, %d acknowledged", stored, len(acked))
	}
}
