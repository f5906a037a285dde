package server_test

import (
	"net/netip"
	"net/url"
	"testing"
	"time"

	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestLimitsCountTheClientBehindATrustedProxy: behind a proxy every
// request came from the proxy's address, so one client's failed logins
// locked every member out. From a trusted proxy the client is the
// rightmost forwarded address that is not a proxy; a client cannot escape
// its limit by sending forwarding headers of its own, and without trusted
// proxies the headers count for nothing.
func TestLimitsCountTheClientBehindATrustedProxy(t *testing.T) {
	st := storetest.SQLiteMigrated(t, store.Options{})
	storetest.MustUser(t, st, "ann")
	limited := st.WithLimits(store.Limits{Login: store.Rate{N: 2, Per: time.Hour}})
	bad := url.Values{"username": {"nobody"}, "password": {"wrong-password"}}
	attempts := func(a *api, n int, headers ...string) (statuses []int) {
		for range n {
			statuses = append(statuses, a.do("POST", "/token", bad, "", headers...).status)
		}
		return statuses
	}
	behind := newAPI(t, limited, func(o *httpapi.Options) {
		o.Conns.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
	})
	// Mallory, at 198.51.100.7, exhausts her own limit...
	if got := attempts(behind, 3, "X-Forwarded-For", "198.51.100.7"); got[2] != 429 {
		t.Fatalf("mallory's third attempt: %v", got)
	}
	// ...then claims other addresses to the left of the one the proxy saw.
	if got := attempts(behind, 1, "X-Forwarded-For", "203.0.113.9, 198.51.100.7, 10.1.2.3"); got[0] != 429 {
		t.Fatalf("a spoofed leftmost address escaped the limit: %v", got)
	}
	// Ann's client, elsewhere, is not locked out by her.
	if r := behind.do("POST", "/token", url.Values{"username": {"ann"}, "password": {"password1"}}, "", "X-Forwarded-For", "192.0.2.44"); r.status != 200 {
		t.Fatalf("another client behind the proxy: %d %s", r.status, r.body)
	}
	// RFC 7239's header names the client too.
	if got := attempts(behind, 3, "Forwarded", `for="[2001:db8::7]:4711";proto=https, for=10.0.0.2`); got[2] != 429 {
		t.Fatalf("Forwarded: %v", got)
	}
	if r := behind.do("POST", "/token", url.Values{"username": {"ann"}, "password": {"password1"}}, "", "Forwarded", "for=192.0.2.45"); r.status != 200 {
		t.Fatalf("another client by Forwarded: %d", r.status)
	}

	// Without trusted proxies the headers are ignored: the peer is the client.
	direct := newAPI(t, st.WithLimits(store.Limits{Login: store.Rate{N: 2, Per: time.Hour}}))
	attempts(direct, 2, "X-Forwarded-For", "198.51.100.1")
	if got := attempts(direct, 1, "X-Forwarded-For", "198.51.100.2"); got[0] != 429 {
		t.Fatalf("a client chose its address with a header: %v", got)
	}
}
