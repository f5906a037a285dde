package store

import (
	"context"
	"strings"
)

// deleteBatch is how many ids one DELETE names on SQLite.
const deleteBatch = 500

// deleteTrees removes the posts matching roots (a condition on post r; args
// fill its placeholders) with their whole reply trees and, by cascade, their
// likes. It runs in the caller's transaction and works at any depth:
//   - SQLite runs a foreign key's cascade as a nested trigger, and stops at
//     1,000 levels ("too many levels of trigger recursion"), so the tree is
//     deleted from its leaves up, a level at a time, and no cascade nests.
//   - PostgreSQL deletes the tree in one statement, whose cascades then find
//     nothing left below. Its rows, and the parent of each root (whose reply
//     counter changes), are first locked in id order, so that deletes of
//     overlapping parts of one tree queue instead of deadlocking.
func (s *Store) deleteTrees(ctx context.Context, roots string, args ...any) error {
	if s.sql.Dialect == SQLite {
		return s.deleteTreesLeavesFirst(ctx, roots, args...)
	}
	// LATERAL with OFFSET 0 keeps each step a probe of post_parent_id_idx: a join
	// was planned as a hash of the whole table per level on a table not
	// yet analysed: seconds for a deep chain, where probes take a tenth of one.
	tree := `WITH RECURSIVE t(id) AS (SELECT r.id FROM post AS r WHERE ` + roots + `
	UNION SELECT c.id FROM t CROSS JOIN LATERAL (SELECT p.id FROM post AS p WHERE p.parent_id = t.id OFFSET 0) AS c) `
	lock := tree + `SELECT p.id FROM post AS p WHERE p.id IN (SELECT id FROM t)
	OR p.id IN (SELECT r.parent_id FROM post AS r WHERE ` + roots + `) ORDER BY p.id FOR UPDATE`
	if _, err := s.db.ExecContext(ctx, lock, append(append([]any{}, args...), args...)...); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, tree+`DELETE FROM post WHERE id IN (SELECT id FROM t)`, args...)
	return err
}

func (s *Store) deleteTreesLeavesFirst(ctx context.Context, roots string, args ...any) error {
	rows, err := s.db.QueryContext(ctx, `WITH RECURSIVE t(id, depth) AS (SELECT r.id, 0 FROM post AS r WHERE `+roots+`
	UNION ALL SELECT c.id, t.depth + 1 FROM post AS c JOIN t ON c.parent_id = t.id WHERE t.depth < 10000000)
	SELECT id, max(depth) AS d FROM t GROUP BY id ORDER BY d DESC, id DESC`, args...)
	if err != nil {
		return err
	}
	var levels [][]int64 // deepest first; a post's replies are always deeper
	last := -1
	for rows.Next() {
		var id int64
		var depth int
		if err := rows.Scan(&id, &depth); err != nil {
			rows.Close()
			return err
		}
		if depth != last {
			levels = append(levels, nil)
			last = depth
		}
		levels[len(levels)-1] = append(levels[len(levels)-1], id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, level := range levels {
		for len(level) > 0 {
			n := min(len(level), deleteBatch)
			q := `DELETE FROM post WHERE id IN (?` + strings.Repeat(", ?", n-1) + `)`
			ids := make([]any, n)
			for i, id := range level[:n] {
				ids[i] = id
			}
			if _, err := s.db.ExecContext(ctx, q, ids...); err != nil {
				return err
			}
			level = level[n:]
		}
	}
	return nil
}
