// Package metrics holds the server's Prometheus series, in a registry of
// its own (no process-wide state), served by Handler on a listener apart
// from the API's (server.metrics_addr). The HTTP API observes its requests
// here; each server adds the gauges of what it holds open (Gauge).
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are one server's series.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// New registers the series of the process, the database pool, the
// hashing lanes and the replicas of st, and the fan-out of hub (nil: none).
func New(st *store.Store, hub *live.Hub) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pamps_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pamps_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route", "method"}),
	}
	counter := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f)
	}
	pool := func() (inUse, idle, waits float64, waited time.Duration, queued float64) {
		if st == nil {
			return 0, 0, 0, 0, 0
		}
		st, q := st.PoolStats()
		return float64(st.InUse), float64(st.Idle), float64(st.WaitCount), st.WaitDuration, float64(q)
	}
	m.reg.MustRegister(
		m.requests, m.latency, newReplicaCollector(st),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		Gauge("pamps_db_connections_in_use", "Database connections running a statement.", func() float64 { v, _, _, _, _ := pool(); return v }),
		Gauge("pamps_db_connections_idle", "Database connections open and idle.", func() float64 { _, v, _, _, _ := pool(); return v }),
		Gauge("pamps_db_statements_queued", "Statements waiting for a turn on the pool (in arrival order).", func() float64 { _, _, _, _, v := pool(); return v }),
		counter("pamps_db_waits_total", "Times database/sql waited for a connection.", func() float64 { _, _, v, _, _ := pool(); return v }),
		counter("pamps_db_wait_seconds_total", "Time spent waiting for a database connection.", func() float64 { _, _, _, d, _ := pool(); return d.Seconds() }),
		Gauge("pamps_hash_lane_busy", "Password hashes running in the login lane.", func() float64 { n, _ := st.HashLanesBusy(); return float64(n) }),
		Gauge("pamps_hash_other_lane_busy", "Password hashes running in the sign-up and password-change lane.", func() float64 { _, n := st.HashLanesBusy(); return float64(n) }),
		counter("pamps_event_posts_total", "New posts fanned out to subscribers.", func() float64 {
			if hub == nil {
				return 0
			}
			n, _ := hub.Lag()
			return float64(n)
		}),
		counter("pamps_event_lag_seconds_total", "Sum of new posts' delays from their writing to their fan-out (divide by pamps_event_posts_total).", func() float64 {
			if hub == nil {
				return 0
			}
			_, secs := hub.Lag()
			return secs
		}),
	)
	return m
}

// Gauge is a series read at each scrape.
func Gauge(name, help string, f func() float64) prometheus.Collector {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
}

// Add registers more series (a server's gauges).
func (m *Metrics) Add(cs ...prometheus.Collector) { m.reg.MustRegister(cs...) }

// Observe records one answered request. The labels are bounded: route
// patterns, known methods (any other is OTHER), statuses.
func (m *Metrics) Observe(route, method string, status int, took time.Duration) {
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "OTHER"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(took.Seconds())
}

// Handler serves the series (GET /metrics on the metrics listener).
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
