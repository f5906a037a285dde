package sqldb

import (
	"strconv"
	"sync"
	"sync/atomic"
)

// rebinder remembers each statement's PostgreSQL spelling. The shapes are
// few, but a page's LIMIT is written into the text, so a client walking
// through every limit could make thousands: past rebinderMax the rest are
// rebound each time instead of kept.
type rebinder struct {
	m sync.Map
	n atomic.Int64
}

const rebinderMax = 1024

func (r *rebinder) of(query string) string {
	if q, ok := r.m.Load(query); ok {
		return q.(string)
	}
	q := rebind(query)
	if r.n.Load() < rebinderMax {
		if _, loaded := r.m.LoadOrStore(query, q); !loaded {
			r.n.Add(1)
		}
	}
	return q
}

// rebind numbers "?" placeholders as PostgreSQL's $1, $2...; the queries
// passed here have no "?" inside literals.
func rebind(query string) string {
	b := make([]byte, 0, len(query)+16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b = append(b, '$')
			b = strconv.AppendInt(b, int64(n), 10)
			continue
		}
		b = append(b, query[i])
	}
	return string(b)
}
