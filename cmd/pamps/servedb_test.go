package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/pamps/pamps/store/storetest"
)

// TestServeWaitsForTheDatabase: started before its database (a container
// beside it), serve answers /healthz, answers 503 on /readyz and the API
// meanwhile, logs each try, and is ready once the database is (it exited
// at once).
func TestServeWaitsForTheDatabase(t *testing.T) {
	c := storetest.PrivatePostgres(t)
	c.Stop()
	s := startServe(t, e2eEnv(t, c.URI))
	get := func(path string) int {
		res, err := http.Get(s.base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if get("/healthz") != 200 || get("/readyz") != 503 || get("/post/") != 503 {
		t.Fatalf("while the database is down: healthz %d, readyz %d, /post/ %d", get("/healthz"), get("/readyz"), get("/post/"))
	}
	eventually.True(t, 0, func() bool {
		return strings.Contains(s.log(), "database not reachable; trying again") && strings.Contains(s.log(), `"try":2`)
	}, "no tries logged:\n%s", eventually.Lazy(s.log))
	c.Start()
	eventually.True(t, 20*time.Second, func() bool { return get("/readyz") == 200 }, "not ready after the database came up:\n%s", eventually.Lazy(s.log))
	if get("/post/") != 200 {
		t.Fatal("the API did not open")
	}
}
