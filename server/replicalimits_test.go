package server_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestLimitsHoldAcrossReplicas: two replicas on one PostgreSQL database
// share the login and post limits: attempts spread over both get no more
// than the limit in all.
func TestLimitsHoldAcrossReplicas(t *testing.T) {
	uri := storetest.PostgresURI(t)
	stA := storetest.Migrated(t, uri, store.Options{})
	stB := storetest.Open(t, uri, store.Options{})
	limits := store.Limits{Login: store.Rate{N: 3, Per: time.Hour}, Post: store.Rate{N: 2, Per: time.Hour}}
	a, b := newAPI(t, stA.WithLimits(limits)), newAPI(t, stB.WithLimits(limits))
	tok := a.register("ann") // one login: one of the three
	wrong := url.Values{"username": {"ann"}, "password": {"wrong-password"}}
	expect(t, "second attempt, on B", b.do("POST", "/token", wrong, ""), 401, "")
	expect(t, "third attempt, on A", a.do("POST", "/token", wrong, ""), 401, "")
	expect(t, "fourth attempt, on B", b.do("POST", "/token", wrong, ""), 429, "")
	expect(t, "fifth attempt, on A", a.do("POST", "/token", wrong, ""), 429, "")
	expect(t, "first post, on A", a.do("POST", "/post/", map[string]any{"text": "one"}, tok), 201, "")
	expect(t, "second post, on B", b.do("POST", "/post/", map[string]any{"text": "two"}, tok), 201, "")
	expect(t, "third post, on A", a.do("POST", "/post/", map[string]any{"text": "three"}, tok), 429, "")
	expect(t, "fourth post, on B", b.do("POST", "/post/", map[string]any{"text": "four"}, tok), 429, "")
}
