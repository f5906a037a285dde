package store

import (
	"context"
	"strconv"
	"strings"
)

// Finding a page of notification groups without grouping all of a
// member's notifications: the groups in order are the first of each group
// met walking the notifications newest first (an index range), so the walk
// stops once it has met a page of them. Grouping everything cost 14 ms a
// page at 10,000 notifications (bench/RESULTS.md).

// groupRef is a group met on the walk: (type code, group within the type)
// and its newest member's id.
type groupRef struct {
	key    [2]int64
	newest int64
}

// walkBatch is how many notifications one statement of the walk reads.
const walkBatch = 500

// walkGroups returns up to want groups, newest first, of the notifications
// where selects (with args) up to *top, or, when *top is 0, up to the newest,
// which it sets. On a later page (before > 0) the walk starts below before,
// and passes over the groups with a member from before on: an earlier page
// showed them.
func (s *Store) walkGroups(ctx context.Context, where string, args []any, top *int64, before int64, want int) ([]groupRef, error) {
	below := before
	if before == 0 && *top > 0 {
		below = *top + 1
	}
	seen := map[[2]int64]bool{}
	var out []groupRef
	for len(out) < want {
		q, qargs := `SELECT n.id, n.type, `+groupSQL+` FROM notification AS n WHERE `+where, args
		if below > 0 {
			q, qargs = q+` AND n.id < ?`, append(qargs[:len(qargs):len(qargs)], below)
		}
		batch, err := s.scanRefs(ctx, q+` ORDER BY n.id DESC LIMIT `+strconv.Itoa(walkBatch), qargs)
		if err != nil || len(batch) == 0 {
			return out, err
		}
		if *top == 0 {
			*top = batch[0].newest
		}
		below = batch[len(batch)-1].newest
		var fresh []groupRef
		for _, r := range batch {
			if !seen[r.key] {
				seen[r.key] = true
				fresh = append(fresh, r)
			}
		}
		if before > 0 {
			if fresh, err = s.notShownBefore(ctx, fresh, where, args, before, *top); err != nil {
				return nil, err
			}
		}
		out = append(out, fresh[:min(len(fresh), want-len(out))]...)
		if len(batch) < walkBatch {
			break
		}
	}
	return out, nil
}

// notShownBefore leaves out the groups with a member in [before, top]:
// a like's or the follows' (any other group has one member).
func (s *Store) notShownBefore(ctx context.Context, refs []groupRef, where string, args []any, before, top int64) ([]groupRef, error) {
	var many []groupRef
	for _, r := range refs {
		if r.key[0] == int64(NotifyLike.code()) || r.key[0] == int64(NotifyFollow.code()) {
			many = append(many, r)
		}
	}
	if len(many) == 0 {
		return refs, nil
	}
	in, inArgs := keysFilter(many)
	shown, err := s.scanRefs(ctx, `SELECT max(n.id), n.type, `+groupSQL+` AS g FROM notification AS n WHERE `+where+
		` AND n.id >= ? AND n.id <= ? AND (`+in+`) GROUP BY n.type, g`, append(append(args[:len(args):len(args)], before, top), inArgs...))
	if err != nil {
		return nil, err
	}
	gone := map[[2]int64]bool{}
	for _, r := range shown {
		gone[r.key] = true
	}
	out := refs[:0:0]
	for _, r := range refs {
		if !gone[r.key] {
			out = append(out, r)
		}
	}
	return out, nil
}

// keysFilter is the condition that a row n is a member of one of the
// groups, and its arguments.
func keysFilter(refs []groupRef) (string, []any) {
	var likes, singles []int64
	follows := false
	for _, r := range refs {
		switch r.key[0] {
		case int64(NotifyLike.code()):
			likes = append(likes, r.key[1])
		case int64(NotifyFollow.code()):
			follows = true
		default:
			singles = append(singles, r.newest)
		}
	}
	var in []string
	var args []any
	if len(likes) > 0 {
		in, args = append(in, "(n.type = 3 AND n.post_id IN ("+marks(len(likes))+"))"), append(args, int64Args(likes)...)
	}
	if follows {
		in = append(in, "n.type = 4")
	}
	if len(singles) > 0 {
		in, args = append(in, "n.id IN ("+marks(len(singles))+")"), append(args, int64Args(singles)...)
	}
	return strings.Join(in, " OR "), args
}

// scanRefs reads rows of (id, type, group).
func (s *Store) scanRefs(ctx context.Context, q string, args []any) ([]groupRef, error) {
	rows, done, err := s.rawQuery(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer done()
	defer rows.Close()
	var out []groupRef
	for rows.Next() {
		var r groupRef
		if err := rows.Scan(&r.newest, &r.key[0], &r.key[1]); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
