package server_test

import (
	"database/sql"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/server"
	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestAnonymousReadsComeFromTheStandby, over HTTP, with a real streaming
// standby (pg_basebackup -R) whose replay is paused: an anonymous GET
// misses a post the primary has (the standby answered it), the same GET
// with a token has it (the primary did); /readyz and the metrics report
// the replica. Stopped, the standby is skipped with no error to clients
// (the store's tests cover a read that fails on it and runs again).
func TestAnonymousReadsComeFromTheStandby(t *testing.T) {
	t.Parallel() // it mostly waits (a window, a token's life, a cluster): others run meanwhile
	primary := storetest.PrivatePostgres(t)
	storetest.Migrated(t, primary.URI, store.Options{})
	standby := primary.Standby()
	st := storetest.Open(t, primary.URI, store.Options{ReadURIs: []string{standby.URI}, ReplicaMaxLag: time.Hour, ReplicaCheckEvery: 50 * time.Millisecond})
	srv := server.New(st, httpapi.Options{Tokens: testTokens()})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	a := &api{t: t, url: ts.URL, st: st}
	token := a.register("ann")
	shows := func(token, text string) bool {
		t.Helper()
		r := a.do("GET", "/post/?limit=50", nil, token)
		if r.status != 200 {
			t.Fatalf("GET /post/: %d %s", r.status, r.body)
		}
		return strings.Contains(string(r.body), text)
	}
	if r := a.do("POST", "/post/", map[string]string{"text": "first"}, token); r.status != 201 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	// The standby is up (a check passed: until then reads go to the
	// primary, which has the post at once) and has replayed the post.
	standbyUp := func() bool {
		var ready struct{ Replicas []struct{ Up bool } }
		a.do("GET", "/readyz", nil, "").json(t, &ready)
		return len(ready.Replicas) == 1 && ready.Replicas[0].Up
	}
	eventually.True(t, 10*time.Second, func() bool { return standbyUp() && shows("", "first") }, "the standby never came up with the first post")
	control, err := sql.Open("pgx", standby.URI)
	if err != nil {
		t.Fatal(err)
	}
	defer control.Close()
	if _, err := control.Exec("SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	if r := a.do("POST", "/post/", map[string]string{"text": "while paused"}, token); r.status != 201 {
		t.Fatalf("post: %d %s", r.status, r.body)
	}
	u, _ := url.Parse(standby.URI)
	name := u.Host + u.Path // as the replica is labelled: no credentials
	before := value(t, scrape(t, srv), `pamps_replica_reads_total{replica="`+name+`"}`)
	if shows("", "while paused") {
		t.Error("an anonymous read has the post the paused standby lacks: it did not come from the standby")
	}
	if !shows(token, "while paused") {
		t.Error("a read with a token lacks the primary's newest post")
	}
	text := scrape(t, srv)
	if got := value(t, text, `pamps_replica_reads_total{replica="`+name+`"}`); got != before+1 {
		t.Errorf("pamps_replica_reads_total went from %v to %v, want one more\n%s", before, got, grep(text, "replica"))
	}
	if value(t, text, `pamps_replica_up{replica="`+name+`"}`) != 1 {
		t.Errorf("pamps_replica_up is not 1:\n%s", grep(text, "replica"))
	}
	var ready struct {
		Status   string
		Replicas []struct {
			Name   *string
			Up     bool
			Reason string
		}
	}
	a.do("GET", "/readyz", nil, "").json(t, &ready)
	if ready.Status != "ok" || len(ready.Replicas) != 1 || ready.Replicas[0].Name != nil || !ready.Replicas[0].Up {
		t.Errorf("/readyz: %+v; want the replica up, unnamed (it answers anyone)", ready)
	}

	standby.Stop()
	if !shows("", "while paused") {
		t.Error("with the standby stopped, an anonymous read did not come from the primary")
	}
	r := a.do("GET", "/readyz", nil, "")
	r.json(t, &ready)
	if r.status != 200 || ready.Replicas[0].Up || ready.Replicas[0].Reason == "" {
		t.Errorf("/readyz with the standby stopped: %d %+v; want 200, the replica down and why", r.status, ready)
	}
	if text := scrape(t, srv); value(t, text, `pamps_replica_up{replica="`+name+`"}`) != 0 {
		t.Errorf("pamps_replica_up is not 0 with the standby stopped:\n%s", grep(text, "replica"))
	}
}
