package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series, in a registry of its own
// (no process-wide state), served by MetricsHandler on a listener apart
// from the API's (server.metrics_addr).
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "pamps_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "pamps_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route", "method"}),
	}
	gauge := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f)
	}
	counter := func(name, help string, f func() float64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f)
	}
	pool := func() (inUse, idle, waits float64, waited time.Duration, queued float64) {
		if s.store == nil {
			return 0, 0, 0, 0, 0
		}
		st, q := s.store.PoolStats()
		return float64(st.InUse), float64(st.Idle), float64(st.WaitCount), st.WaitDuration, float64(q)
	}
	m.reg.MustRegister(
		m.requests, m.latency, newReplicaCollector(s),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		gauge("pamps_db_connections_in_use", "Database connections running a statement.", func() float64 { v, _, _, _, _ := pool(); return v }),
		gauge("pamps_db_connections_idle", "Database connections open and idle.", func() float64 { _, v, _, _, _ := pool(); return v }),
		gauge("pamps_db_statements_queued", "Statements waiting for a turn on the pool (in arrival order).", func() float64 { _, _, _, _, v := pool(); return v }),
		counter("pamps_db_waits_total", "Times database/sql waited for a connection.", func() float64 { _, _, v, _, _ := pool(); return v }),
		counter("pamps_db_wait_seconds_total", "Time spent waiting for a database connection.", func() float64 { _, _, _, d, _ := pool(); return d.Seconds() }),
		gauge("pamps_hash_lane_busy", "Password hashes running in the login lane.", func() float64 { n, _ := s.store.HashLanesBusy(); return float64(n) }),
		gauge("pamps_hash_other_lane_busy", "Password hashes running in the sign-up and password-change lane.", func() float64 { _, n := s.store.HashLanesBusy(); return float64(n) }),
		gauge("pamps_streams_open", "Live event streams open.", func() float64 { return float64(s.OpenStreams()) }),
		gauge("pamps_ssh_sessions_open", "SSH TUI sessions open.", func() float64 { return float64(s.OpenSSHSessions()) }),
		counter("pamps_event_posts_total", "New posts fanned out to subscribers.", func() float64 {
			if s.store == nil {
				return 0
			}
			n, _ := s.store.EventLag()
			return float64(n)
		}),
		counter("pamps_event_lag_seconds_total", "Sum of new posts' delays from their writing to their fan-out (divide by pamps_event_posts_total).", func() float64 {
			if s.store == nil {
				return 0
			}
			_, secs := s.store.EventLag()
			return secs
		}),
	)
	return m
}

// observe records one answered request. The labels are bounded: route
// patterns, known methods (any other is OTHER), statuses.
func (m *metrics) observe(route, method string, status int, took time.Duration) {
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "OTHER"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(took.Seconds())
}

// MetricsHandler serves the Prometheus series (GET /metrics on the
// metrics listener).
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{})
}
