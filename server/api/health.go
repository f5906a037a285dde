package api

import (
	"context"
	"net/http"
	"time"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

// readyz answers 200 only while the database answers and its schema is current.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	if !s.ready.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"detail": "Service Unavailable", "status": "waiting for the database"})
		return nil
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"detail": "Service Unavailable", "status": "database unreachable"})
		return nil
	}
	if err := s.store.CheckSchema(ctx); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"detail": "Service Unavailable", "status": "schema out of date"})
		return nil
	}
	writeJSON(w, http.StatusOK, readiness{Status: "ok", Replicas: s.replicaStates()})
	return nil
}

// readiness is /readyz's answer. The read replicas are reported, never
// failed on: reads fall back to the primary. They are not named: /readyz
// answers anyone, and the database hosts are the operator's to know (the
// metrics, on their own listener, name them).
type readiness struct {
	Status   string         `json:"status"`
	Replicas []replicaState `json:"replicas,omitempty"`
}

type replicaState struct {
	Up     bool    `json:"up"`
	Lag    float64 `json:"lag_seconds"`
	Reason string  `json:"reason,omitempty"`
	Reads  uint64  `json:"reads"`
}

func (s *Server) replicaStates() []replicaState {
	states, _ := s.store.Replicas()
	out := make([]replicaState, len(states))
	for i, r := range states {
		out[i] = replicaState{Up: r.Up, Lag: r.Lag.Seconds(), Reason: r.Why, Reads: r.Reads}
	}
	return out
}
