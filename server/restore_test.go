package server_test

import (
	"bytes"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestTokensAndStreamsAcrossARestore: tokens issued before a dump hold on
// the restored database exactly as they did (same secret): a member's
// token holds, a token revoked before the dump stays refused. A stream open
// on a server of the (empty) target gets `reset` when the restore lands.
func TestTokensAndStreamsAcrossARestore(t *testing.T) {
	for _, to := range []string{"sqlite", "postgres"} {
		t.Run("to "+to, func(t *testing.T) {
			src := newAPI(t, storetest.PostgresMigrated(t, store.Options{}))
			ann, bob := src.register("ann"), src.register("bob")
			src.createPost(t, ann, "before the move", nil)
			expect(t, "bob signs out everywhere", src.do("POST", "/user/me/logout/", nil, bob), 204, "")
			var archive bytes.Buffer
			if _, err := src.st.Dump(ctx, &archive, true, nil); err != nil {
				t.Fatal(err)
			}
			uri := storetest.SQLiteURI(t)
			if to == "postgres" {
				uri = storetest.PostgresURI(t)
			}
			dstStore := storetest.Migrated(t, uri, store.Options{})
			dst := newAPI(t, dstStore)
			public := dst.stream("/stream/public/", "")
			public.line()
			if _, _, err := dstStore.Restore(ctx, &archive, nil); err != nil {
				t.Fatal(err)
			}
			if e := public.next(); e.name != "reset" {
				t.Fatalf("the open stream got %q after the restore, want reset", e.name)
			}
			expect(t, "ann's token on the restored database", dst.do("GET", "/user/me/", nil, ann), 200, "")
			expect(t, "bob's revoked token", dst.do("GET", "/user/me/", nil, bob), 401, "")
			dst.login("bob", "password1")
		})
	}
}
