package storetest

import (
	"context"
	"strings"
	"sync"

	"github.com/uptrace/bun"
)

// Recorder is a query hook that keeps every statement run, to count them
// (no N+1) or to EXPLAIN them.
type Recorder struct {
	mu      sync.Mutex
	queries []string
}

// BeforeQuery implements bun.QueryHook.
func (r *Recorder) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

// AfterQuery implements bun.QueryHook.
func (r *Recorder) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, e.Query)
}

// Reset forgets what was recorded.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = nil
}

// Queries returns the recorded statements, transaction control left out.
func (r *Recorder) Queries() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, q := range r.queries {
		switch strings.ToUpper(strings.TrimSpace(q)) {
		case "BEGIN", "COMMIT", "ROLLBACK":
			continue
		}
		out = append(out, q)
	}
	return out
}
