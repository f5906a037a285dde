package store

import (
	"fmt"
	"strconv"
)

// checkCounters fails when a counter disagrees with the rows it counts, or
// a table's rows with what the archive carried: the restore then rolls
// back. one runs a statement that answers one number, in the restore's
// transaction.
func checkCounters(counts map[string]int64, one func(q string) (int64, error)) error {
	for _, t := range archiveTables {
		n, err := one(`SELECT count(*) FROM ` + quoted(t.name))
		if err != nil {
			return err
		}
		if n != counts[t.name] {
			return &RefusedError{Msg: fmt.Sprintf("table %s holds %d rows after the restore, the archive %d: nothing was restored", t.name, n, counts[t.name])}
		}
	}
	checks := []struct{ name, q string }{
		{"post.like_count", `SELECT count(*) FROM post AS p LEFT JOIN (SELECT post_id, count(*) AS n FROM "like" GROUP BY post_id) AS c ON c.post_id = p.id WHERE p.like_count <> coalesce(c.n, 0)`},
		{"post.reply_count", `SELECT count(*) FROM post AS p LEFT JOIN (SELECT parent_id, count(*) AS n FROM post WHERE parent_id IS NOT NULL GROUP BY parent_id) AS c
			ON c.parent_id = p.id WHERE p.reply_count <> coalesce(c.n, 0)`},
		{"user.follower_count", `SELECT count(*) FROM "user" AS u LEFT JOIN (SELECT to_id, count(*) AS n FROM follow GROUP BY to_id) AS c ON c.to_id = u.id WHERE u.follower_count <> coalesce(c.n, 0)`},
		{"user.following_count", `SELECT count(*) FROM "user" AS u LEFT JOIN (SELECT from_id, count(*) AS n FROM follow GROUP BY from_id) AS c ON c.from_id = u.id WHERE u.following_count <> coalesce(c.n, 0)`},
	}
	for _, c := range checks {
		bad, err := one(c.q)
		if err != nil {
			return err
		}
		if bad > 0 {
			return &RefusedError{Msg: strconv.FormatInt(bad, 10) + " rows' " + c.name + " disagree with the rows they count: the archive is not consistent, and nothing was restored"}
		}
	}
	return nil
}
