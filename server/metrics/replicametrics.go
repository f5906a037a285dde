package metrics

import (
	"github.com/pamps/pamps/store"
	"github.com/prometheus/client_golang/prometheus"
)

// replicaCollector reports the read replicas (db.read_uris) as they stand
// at the scrape: labelled by replica (host:port/database), a few at most.
type replicaCollector struct {
	st                      *store.Store
	up, lag, reads, fellOff *prometheus.Desc
}

func newReplicaCollector(st *store.Store) *replicaCollector {
	label := []string{"replica"}
	return &replicaCollector{st: st,
		up:      prometheus.NewDesc("pamps_replica_up", "1 while anonymous reads go to the read replica, 0 while it is skipped (down, not a standby, or lagging).", label, nil),
		lag:     prometheus.NewDesc("pamps_replica_lag_seconds", "How far the read replica's replay was behind the primary at its last check.", label, nil),
		reads:   prometheus.NewDesc("pamps_replica_reads_total", "Reads the read replica answered.", label, nil),
		fellOff: prometheus.NewDesc("pamps_replica_fallbacks_total", "Reads that failed on a read replica and ran again on the primary.", nil, nil),
	}
}

func (c *replicaCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.up
	ch <- c.lag
	ch <- c.reads
	ch <- c.fellOff
}

func (c *replicaCollector) Collect(ch chan<- prometheus.Metric) {
	if c.st == nil {
		return
	}
	states, fallbacks := c.st.Replicas()
	for _, r := range states {
		up := 0.0
		if r.Up {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(c.up, prometheus.GaugeValue, up, r.Name)
		ch <- prometheus.MustNewConstMetric(c.lag, prometheus.GaugeValue, r.Lag.Seconds(), r.Name)
		ch <- prometheus.MustNewConstMetric(c.reads, prometheus.CounterValue, float64(r.Reads), r.Name)
	}
	ch <- prometheus.MustNewConstMetric(c.fellOff, prometheus.CounterValue, float64(fallbacks))
}
