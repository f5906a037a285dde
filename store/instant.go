package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// snapshot is PostgreSQL's list of the transactions in progress at an
// instant: those below xmax and not in progress had ended.
type snapshot struct {
	xmax    int64
	running map[int64]bool
}

func (sn *snapshot) ended(tx int64) bool { return tx < sn.xmax && !sn.running[tx] }

// parseSnapshot reads pg_current_snapshot()'s text, "xmin:xmax:xip,...".
func parseSnapshot(text string) (*snapshot, error) {
	parts := strings.Split(text, ":")
	if len(parts) != 3 {
		return nil, fmt.Errorf("unexpected snapshot %q", text)
	}
	xmax, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return nil, fmt.Errorf("unexpected snapshot %q", text)
	}
	sn := &snapshot{xmax: xmax, running: map[int64]bool{}}
	for _, x := range strings.Split(parts[2], ",") {
		if x == "" {
			continue
		}
		id, err := strconv.ParseInt(x, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("unexpected snapshot %q", text)
		}
		sn.running[id] = true
	}
	return sn, nil
}

// Instant is where "now" is for a new subscription: what committed before
// it is not news, though the hub may not have read it yet.
type Instant struct {
	// Pos is, on SQLite, the last position committed: positions are in
	// commit order, so every event up to it is before the instant.
	Pos  int64
	snap *snapshot // PostgreSQL: the transactions that had ended
}

// Before reports, on PostgreSQL, whether the event at pos was committed
// before the instant (on SQLite, compare with Pos).
func (i *Instant) Before(pos int64) bool { return i != nil && i.snap != nil && i.snap.ended(pos>>20) }

// Includes reports whether the event at pos had committed at the
// instant, on either database.
func (i *Instant) Includes(pos int64) bool {
	if i == nil {
		return false
	}
	if i.snap != nil {
		return i.snap.ended(pos >> 20)
	}
	return pos <= i.Pos
}

// Now is the instant of the call.
func (o Outbox) Now(ctx context.Context) (*Instant, error) {
	s := o.s
	if s.sql.Dialect == Postgres {
		var text string
		if err := s.queryRow(ctx, []any{&text}, `SELECT pg_current_snapshot()::text`); err != nil {
			return nil, err
		}
		sn, err := parseSnapshot(text)
		if err != nil {
			return nil, err
		}
		return &Instant{snap: sn}, nil
	}
	var pos int64
	if err := s.queryRow(ctx, []any{&pos}, `SELECT coalesce(max(pos), 0) FROM event`); err != nil {
		return nil, err
	}
	return &Instant{Pos: pos}, nil
}
