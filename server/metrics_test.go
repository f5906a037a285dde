package server_test

import (
	"io"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pamps/pamps/server"
	httpapi "github.com/pamps/pamps/server/api"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// scrape reads the server's metrics as Prometheus would.
func scrape(t *testing.T, srv *server.Server) string {
	t.Helper()
	ts := httptest.NewServer(srv.MetricsHandler())
	defer ts.Close()
	res, err := ts.Client().Get(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// value is a series' value in a scrape (0 when absent).
func value(t *testing.T, text, series string) float64 {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` ([0-9.e+-]+)$`).FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestMetricsMoveWithTraffic: requests by route, method and status, their
// latency, the pool, streams and the Go runtime are scraped, and move.
func TestMetricsMoveWithTraffic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		srv := server.New(st, httpapi.Options{Tokens: testTokens()})
		ts := httptest.NewServer(srv)
		defer ts.Close()
		a := &api{t: t, url: ts.URL, st: st}
		before := scrape(t, srv)
		for range 3 {
			a.do("GET", "/post/", nil, "")
		}
		a.do("GET", "/post/999999/", nil, "")
		a.do("BREW", "/post/", nil, "")
		s := a.stream("/stream/public/", "")
		s.line()
		after := scrape(t, srv)
		for series, want := range map[string]float64{
			`pamps_http_requests_total{method="GET",route="/post/",status="200"}`:           3,
			`pamps_http_requests_total{method="GET",route="/post/{post_id}/",status="404"}`: 1,
			`pamps_streams_open`: 1,
		} {
			if got := value(t, after, series) - value(t, before, series); got != want {
				t.Errorf("%s moved by %v, want %v", series, got, want)
			}
		}
		if value(t, after, `pamps_http_request_duration_seconds_count{method="GET",route="/post/"}`) != 3 {
			t.Errorf("no latency for GET /post/:\n%s", grep(after, "duration_seconds_count"))
		}
		if !strings.Contains(after, `method="OTHER"`) || strings.Contains(after, "BREW") {
			t.Errorf("an unknown method is a label of its own:\n%s", grep(after, "requests_total"))
		}
		// A post reaches the open stream: the event counters move.
		a.do("POST", "/post/", map[string]any{"text": "counted"}, a.register("ann"))
		s.next()
		if value(t, scrape(t, srv), "pamps_event_posts_total") < 1 {
			t.Error("pamps_event_posts_total did not move")
		}
		for _, name := range []string{"pamps_db_connections_idle", "pamps_db_statements_queued", "pamps_hash_lane_busy", "pamps_ssh_sessions_open", "go_goroutines", "pamps_event_posts_total"} {
			if !strings.Contains(after, "\n"+name+" ") {
				t.Errorf("no %s series", name)
			}
		}
	})
}

func grep(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
