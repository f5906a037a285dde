package server_test

import (
	"testing"
	"time"

	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestHomeStreamEndsWithItsToken: /stream/home/ ends when the access token
// it was opened with expires (so a signed-out member's stream does not
// outlive it); anonymous streams go on.
func TestHomeStreamEndsWithItsToken(t *testing.T) {
	t.Parallel() // it mostly waits (a window, a token's life, a cluster): others run meanwhile
	st := storetest.SQLiteMigrated(t, store.Options{})
	a := newAPI(t, st, func(o *httpapi.Options) { o.Tokens.AccessTTL = 2 * time.Second })
	token := a.register("ann")
	home := a.stream("/stream/home/", token)
	public := a.stream("/stream/public/", "")
	home.line()
	public.line()
	if !home.ended(10 * time.Second) {
		t.Fatal("the home stream outlived its token")
	}
	if public.ended(time.Second) {
		t.Fatal("the public stream ended with someone else's token")
	}
}
