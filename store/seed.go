package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pamps/pamps/store/demodata"
)

// seedBatch is how many rows go to the database at a time.
const seedBatch = 20000

// Seed fills the database with a deterministic demo dataset, in one
// transaction: it all lands or nothing does. All seeded users share
// opt.Password. A non-empty database is refused unless opt.Append.
func (s *Store) Seed(ctx context.Context, opt SeedOptions) (SeedResult, error) {
	var errs []*ValidationError
	for _, n := range []struct {
		field string
		v     int
	}{{"users", opt.Users}, {"posts", opt.Posts}, {"follows", opt.Follows}, {"likes", opt.Likes}} {
		if n.v < 0 {
			errs = append(errs, invalid(n.field, "value_error.number.not_ge", "must not be negative"))
		}
	}
	if opt.Users == 0 && (opt.Posts > 0 || opt.Follows > 0 || opt.Likes > 0) {
		errs = append(errs, invalid("users", "value_error", "posts, follows and likes need new users"))
	}
	errs = append(errs, s.rules.ValidPassword("password", opt.Password))
	if err := collect(errs...); err != nil {
		return SeedResult{}, err
	}
	hash, err := HashPassword(opt.Password, s.rules.BcryptCost)
	if err != nil {
		return SeedResult{}, err
	}
	var users, maxUser, maxPost int64
	err = s.sql.Bun.DB.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM "user"), (SELECT coalesce(max(id), 0) FROM "user"), (SELECT coalesce(max(id), 0) FROM post)`).
		Scan(&users, &maxUser, &maxPost)
	if err != nil {
		return SeedResult{}, err
	}
	if users > 0 && !opt.Append {
		return SeedResult{}, &RefusedError{Msg: fmt.Sprintf("the database is not empty (%d users); use --append to add to it", users)}
	}
	g := newSeedGen(opt, maxUser+1, maxPost+1, s.rules.PostMaxLength)
	var res SeedResult
	load := s.seedSQLite
	if s.sql.Dialect == Postgres {
		load = s.seedPostgres
	}
	if err := load(ctx, g, hash, &res); err != nil {
		return SeedResult{}, err
	}
	return res, nil
}

// execFunc runs a statement in the seed's transaction ($1, $2... placeholders).
type execFunc func(ctx context.Context, query string, args ...any) (any, error)

// seedSink writes batches of rows of one table.
type seedSink func(ctx context.Context, table string, cols []string, rows [][]any) error

// seedAll streams every table through sink in batches, reporting progress.
func (s *Store) seedAll(ctx context.Context, g *seedGen, hash string, sink seedSink, exec execFunc, date func(time.Time) any, res *SeedResult) error {
	t, err := g.Tally()
	if err != nil {
		return err
	}
	progress := g.opt.Progress
	if progress == nil {
		progress = func(string, int64, int64) {}
	}
	var batch [][]any
	var done int64
	flush := func(stage, table string, cols []string, total int64) error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := sink(ctx, table, cols, batch); err != nil {
			return err
		}
		done += int64(len(batch))
		batch = batch[:0]
		progress(stage, done, total)
		return nil
	}
	stage := func(name, table string, cols []string, total int64, count *int64, gen func(add func(row []any) error) error) error {
		done = 0
		progress(name, 0, total)
		err := gen(func(row []any) error {
			batch = append(batch, row)
			*count++
			if len(batch) >= seedBatch {
				return flush(name, table, cols, total)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return flush(name, table, cols, max(total, done+int64(len(batch))))
	}
	nullable := func(p *string) any {
		if p == nil {
			return nil
		}
		return *p
	}
	u := int64(g.opt.Users)
	err = stage("users", "user", []string{"id", "email", "email_key", "username", "avatar", "bio", "password", "follower_count", "following_count"}, u, &res.Users, func(add func([]any) error) error {
		return g.Users(func(x demodata.User) error {
			return add([]any{x.ID, x.Email, EmailKey(x.Email), x.Username, nullable(x.Avatar), nullable(x.Bio), hash,
				int64(t.Followers[x.ID]), int64(t.Following[x.ID-g.FirstUser])})
		})
	})
	if err != nil {
		return err
	}
	err = stage("posts", "post", []string{"id", "text", "date", "user_id", "parent_id", "like_count", "reply_count"}, int64(g.opt.Posts), &res.Posts, func(add func([]any) error) error {
		return g.Posts(func(p demodata.Post) error {
			var parent any
			if p.ParentID != nil {
				parent = *p.ParentID
			}
			i := p.ID - g.FirstPost
			return add([]any{p.ID, p.Text, date(p.Date), p.UserID, parent, int64(t.Likes[i]), int64(t.Replies[i])})
		})
	})
	if err != nil {
		return err
	}
	err = stage("follows", "follow", []string{"from_id", "to_id", "date"}, u*min(int64(g.opt.Follows), max(u-1, 0)), &res.Follows, func(add func([]any) error) error {
		return g.Follows(func(f demodata.Pair) error { return add([]any{f.A, f.B, date(f.Date)}) })
	})
	if err != nil {
		return err
	}
	err = stage("likes", "like", []string{"user_id", "post_id", "date"}, min(int64(g.opt.Likes), u*int64(g.opt.Posts)), &res.Likes, func(add func([]any) error) error {
		return g.Likes(func(l demodata.Pair) error { return add([]any{l.A, l.B, date(l.Date)}) })
	})
	if err != nil {
		return err
	}
	// Users that existed before (--append) gained followers.
	for id, n := range t.Followers {
		if id < g.FirstUser {
			if _, err := exec(ctx, `UPDATE "user" SET follower_count = follower_count + $1 WHERE id = $2`, n, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedPostgres loads with COPY inside one pgx transaction, then moves the
// id sequences past the new rows and refreshes the planner's statistics.
func (s *Store) seedPostgres(ctx context.Context, g *seedGen, hash string, res *SeedResult) error {
	return s.sql.WithPgx(ctx, func(pc *pgx.Conn) error {
		tx, err := pc.Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		sink := func(ctx context.Context, table string, cols []string, rows [][]any) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
			return err
		}
		exec := func(ctx context.Context, q string, args ...any) (any, error) { return tx.Exec(ctx, q, args...) }
		// The counters come with the rows: the count triggers stand aside for this transaction.
		if _, err := tx.Exec(ctx, "SET LOCAL pamps.bulk_load = 'on'"); err != nil {
			return err
		}
		// VACUUM marks a page all-visible (which index-only scans need) only
		// once the commit that wrote its rows is flushed, and each of its
		// ANALYZE commits must be flushed too, or they hold back the rows
		// of the next table (they share a commit-log page): with
		// synchronous_commit off, most pages stayed unmarked.
		if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = on"); err != nil {
			return err
		}
		// The generator only refers to rows written before, so the row-by-row
		// foreign key checks (each locking a user or post row) can be skipped
		// where the role may do so (a superuser); elsewhere they stay on.
		if _, err := tx.Exec(ctx, "SAVEPOINT replica"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SET LOCAL session_replication_role = replica"); err != nil {
			if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT replica"); err != nil {
				return err
			}
		}
		if err := s.seedAll(ctx, g, hash, sink, exec, func(t time.Time) any { return t }, res); err != nil {
			return err
		}
		for _, q := range []string{
			`SELECT setval(pg_get_serial_sequence('"user"', 'id'), greatest((SELECT max(id) FROM "user"), 1))`,
			`SELECT setval(pg_get_serial_sequence('post', 'id'), greatest((SELECT max(id) FROM post), 1))`,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return err
			}
		}
		if err := tx.Commit(ctx); err != nil {
			return err
		}
		progress(g, "analyze", 0, 1)
		for _, q := range []string{"SET synchronous_commit = on", `VACUUM ANALYZE "user", post, follow, "like"`, "RESET synchronous_commit"} {
			if _, err := pc.Exec(ctx, q); err != nil {
				return err
			}
		}
		progress(g, "analyze", 1, 1)
		return nil
	})
}

func progress(g *seedGen, stage string, done, total int64) {
	if g.opt.Progress != nil {
		g.opt.Progress(stage, done, total)
	}
}
