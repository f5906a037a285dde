package store_test

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// A primary with a streaming standby made from it (pg_basebackup -R), the
// schema on both, and a Store reading from the standby.
type replicated struct {
	primary, standby *storetest.Cluster
	st               *store.Store // reading from the standby
	control          *sql.DB      // on the standby, to pause its replay
}

// newReplicated's store checks the standby every 50 ms.
func newReplicated(t *testing.T, maxLag time.Duration) *replicated {
	return newReplicatedEvery(t, maxLag, 50*time.Millisecond)
}

func newReplicatedEvery(t *testing.T, maxLag, every time.Duration) *replicated {
	t.Helper()
	primary := storetest.PrivatePostgres(t)
	storetest.Migrated(t, primary.URI, store.Options{})
	standby := primary.Standby()
	st := storetest.Open(t, primary.URI, store.Options{ReadURIs: []string{standby.URI}, ReplicaMaxLag: maxLag, ReplicaCheckEvery: every})
	control, err := sql.Open("pgx", standby.URI)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { control.Close() })
	return &replicated{primary: primary, standby: standby, st: st, control: control}
}

// postAndReplay has ann post text and waits until the standby, up, shows
// it; ann is returned.
func (r *replicated) postAndReplay(t *testing.T, text string) store.User {
	t.Helper()
	ann := storetest.MustUser(t, r.st, "ann")
	storetest.MustPost(t, r.st, ann.ID, text, 0)
	until(t, "the standby to show "+text, func() bool {
		return replicaUp(r.st) && slices.Contains(texts(t, r.st), text)
	})
	return ann
}

// texts is what Read gives for the newest posts.
func texts(t *testing.T, st *store.Store) []string {
	t.Helper()
	var out []string
	err := st.Read(ctx, func(ctx context.Context, st *store.Store) error {
		page, err := st.ListPosts(ctx, store.PostList{Newest: true, Limit: 50})
		for _, p := range page.Items {
			out = append(out, p.Text)
		}
		return err
	})
	if err != nil {
		t.Fatalf("a read failed: %v", err)
	}
	return out
}

// until waits for cond, checked every 20 ms, for at most 10 s.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	eventually.True(t, 10*time.Second, cond, "%s", what)
}

func replicaUp(st *store.Store) bool {
	states, _ := st.Replicas()
	return len(states) == 1 && states[0].Up
}

// TestReadsGoToTheStandby: with the standby's replay paused (and a lag
// bound it stays within), a post written on the primary is missing from
// what Read gives: the read was answered by the standby. Inside a
// transaction, Read uses the primary.
func TestReadsGoToTheStandby(t *testing.T) {
	r := newReplicated(t, time.Hour)
	ann := r.postAndReplay(t, "before the pause")
	if _, err := r.control.Exec("SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	storetest.MustPost(t, r.st, ann.ID, "during the pause", 0)
	before, _ := r.st.Replicas()
	if got := texts(t, r.st); slices.Contains(got, "during the pause") {
		t.Fatalf("read %q: it came from the primary, not the paused standby", got)
	}
	after, _ := r.st.Replicas()
	if after[0].Reads != before[0].Reads+1 {
		t.Errorf("the standby's reads went from %d to %d, want one more", before[0].Reads, after[0].Reads)
	}
	err := r.st.InTx(ctx, func(ctx context.Context, tx *store.Store) error {
		if got := texts(t, tx); !slices.Contains(got, "during the pause") {
			t.Errorf("a read in a transaction gave %q: not the primary's", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReadsLeaveALaggingStandby: a standby whose replay is paused falls
// past db.replica_max_lag once the primary writes; reads then use the
// primary, with no error, and go back to it once it has caught up.
func TestReadsLeaveALaggingStandby(t *testing.T) {
	r := newReplicated(t, 300*time.Millisecond)
	ann := r.postAndReplay(t, "before the pause")
	if _, err := r.control.Exec("SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	storetest.MustPost(t, r.st, ann.ID, "while it lags", 0)
	until(t, "the lagging standby to be skipped", func() bool { return !replicaUp(r.st) })
	states, _ := r.st.Replicas()
	if !strings.Contains(states[0].Why, "behind") {
		t.Errorf("skipped because %q, want its lag", states[0].Why)
	}
	if got := texts(t, r.st); !slices.Contains(got, "while it lags") {
		t.Errorf("read %q with the standby skipped: not the primary's", got)
	}
	// A store started now judges it from its first check: behind since
	// before it began.
	late := storetest.Open(t, r.primary.URI, store.Options{ReadURIs: []string{r.standby.URI}, ReplicaMaxLag: 300 * time.Millisecond, ReplicaCheckEvery: time.Hour})
	until(t, "the first check", func() bool { s, _ := late.Replicas(); return s[0].Why != "not checked yet" })
	if s, _ := late.Replicas(); s[0].Up || !strings.Contains(s[0].Why, "behind") {
		t.Errorf("first check of a standby already lagging: %+v, want it skipped for its lag", s[0])
	}
	if _, err := r.control.Exec("SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	until(t, "the standby to be back", func() bool { return replicaUp(r.st) })
}

// TestReadsSurviveAStoppedStandby: reads after the standby stops, before
// any check has noticed (the store checks once an hour), run again on the
// primary and succeed; a store checking often skips the standby until it
// answers again.
func TestReadsSurviveAStoppedStandby(t *testing.T) {
	r := newReplicatedEvery(t, 5*time.Second, time.Hour)
	often := storetest.Open(t, r.primary.URI, store.Options{ReadURIs: []string{r.standby.URI}, ReplicaCheckEvery: 50 * time.Millisecond})
	r.postAndReplay(t, "hello")
	r.standby.Stop()
	for range 5 { // the first finds the standby gone; the rest use the primary
		if got := texts(t, r.st); !slices.Contains(got, "hello") {
			t.Fatalf("read %q with the standby stopped", got)
		}
	}
	states, fallbacks := r.st.Replicas()
	if states[0].Up || fallbacks == 0 {
		t.Errorf("after a failed read: %+v, %d reads ran again on the primary; want it skipped and one", states[0], fallbacks)
	}
	until(t, "the stopped standby to be skipped", func() bool { return !replicaUp(often) })
	r.standby.Start()
	until(t, "the restarted standby to be up", func() bool { return replicaUp(often) })
}

// TestReadReplicasNeedPostgreSQL: a SQLite store refuses read replicas.
func TestReadReplicasNeedPostgreSQL(t *testing.T) {
	_, err := store.Open(ctx, store.Options{URI: storetest.SQLiteURI(t), ReadURIs: []string{"postgres://x@127.0.0.1:1/x"}})
	if err == nil || !strings.Contains(err.Error(), "PostgreSQL primary") {
		t.Fatalf("got %v, want a refusal", err)
	}
}
