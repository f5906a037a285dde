package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/pamps/pamps/store/storetest"
)

// TestMetricsListener: server.metrics_addr serves /metrics on a listener of
// its own, whose address serve says at start; the API's listener has no
// /metrics.
func TestMetricsListener(t *testing.T) {
	port := freePort(t)
	env := append(e2eEnv(t, storetest.SQLiteURI(t)), "PAMPS_SERVER__METRICS_ADDR=127.0.0.1:"+strconv.Itoa(port))
	srv := startServe(t, env)
	if want := "pamps serving metrics on http://127.0.0.1:" + strconv.Itoa(port) + "/metrics"; !strings.Contains(srv.log(), want) {
		t.Errorf("serve did not say %q:\n%s", want, srv.log())
	}
	http.Get(srv.base + "/healthz")
	res, err := http.Get("http://127.0.0.1:" + strconv.Itoa(port) + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), `pamps_http_requests_total{method="GET",route="/healthz",status="200"}`) {
		t.Fatalf("metrics: %d\n%.2000s", res.StatusCode, b)
	}
	if res, _ := http.Get(srv.base + "/metrics"); res == nil || res.StatusCode != 404 {
		t.Fatal("the API's listener serves /metrics")
	}
}
