// Package seed fills a database with a deterministic demo dataset
// (package demodata makes it), loaded in bulk: COPY on PostgreSQL,
// multi-row INSERTs on SQLite, in one transaction, the counters written
// with the rows.
package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/demodata"
)

// seedBatch is how many rows go to the database at a time.
const seedBatch = 20000

// Run fills st's database with a deterministic demo dataset, in one
// transaction: it all lands or nothing does. All seeded users share
// opt.Password. A non-empty database is refused unless opt.Append.
func Run(ctx context.Context, st *store.Store, opt Options) (Result, error) {
	var bad store.ValidationError
	for _, n := range []struct {
		field string
		v     int
	}{{"users", opt.Users}, {"posts", opt.Posts}, {"follows", opt.Follows}, {"likes", opt.Likes}} {
		if n.v < 0 {
			bad.Fields = append(bad.Fields, store.FieldError{Field: n.field, Reason: "must not be negative", Type: "value_error.number.not_ge"})
		}
	}
	if opt.Users == 0 && (opt.Posts > 0 || opt.Follows > 0 || opt.Likes > 0) {
		bad.Fields = append(bad.Fields, store.FieldError{Field: "users", Reason: "posts, follows and likes need new users", Type: "value_error"})
	}
	if e := st.Rules().ValidPassword("password", opt.Password); e != nil {
		bad.Fields = append(bad.Fields, e.Fields...)
	}
	if len(bad.Fields) > 0 {
		return Result{}, &bad
	}
	hash, err := store.HashPassword(opt.Password, st.Rules().BcryptCost)
	if err != nil {
		return Result{}, err
	}
	var users, maxUser, maxPost int64
	err = st.DB().DB.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM "user"), (SELECT coalesce(max(id), 0) FROM "user"), (SELECT coalesce(max(id), 0) FROM post)`).
		Scan(&users, &maxUser, &maxPost)
	if err != nil {
		return Result{}, err
	}
	if users > 0 && !opt.Append {
		return Result{}, &store.RefusedError{Msg: fmt.Sprintf("the database is not empty (%d users); use --append to add to it", users)}
	}
	g := newSeedGen(opt, maxUser+1, maxPost+1, st.Rules().PostMaxLength)
	var res Result
	load := loadSQLite
	if st.Dialect() == store.Postgres {
		load = loadPostgres
	}
	if err := load(ctx, st, g, hash, &res); err != nil {
		return Result{}, err
	}
	return res, nil
}

// execFunc runs a statement in the seed's transaction ($1, $2... placeholders).
type execFunc func(ctx context.Context, query string, args ...any) (any, error)

// seedSink writes batches of rows of one table.
type seedSink func(ctx context.Context, table string, cols []string, rows [][]any) error

// seedAll streams every table through sink in batches, reporting progress.
func seedAll(ctx context.Context, g *seedGen, hash string, sink seedSink, exec execFunc, date func(time.Time) any, res *Result) error {
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
			return add([]any{x.ID, x.Email, store.EmailKey(x.Email), x.Username, nullable(x.Avatar), nullable(x.Bio), hash,
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

func progress(g *seedGen, stage string, done, total int64) {
	if g.opt.Progress != nil {
		g.opt.Progress(stage, done, total)
	}
}

// Options describe a demo dataset. The same Seed gives the same data.
type Options struct {
	Users    int   // new users
	Posts    int   // new posts (about 30% of them replies)
	Follows  int   // follows per new user
	Likes    int   // likes in all, by the new users
	Seed     int64 // random seed
	Password string
	Append   bool // allow a non-empty database
	// Progress, when set, is told how far each stage is.
	Progress func(stage string, done, total int64)
}

// Result counts what Run wrote.
type Result struct {
	Users, Posts, Follows, Likes int64
}

// seedGen is a dataset's generator (demodata) with the options it was made from.
type seedGen struct {
	*demodata.Gen
	opt Options
}

func newSeedGen(opt Options, firstUser, firstPost int64, maxLen int) *seedGen {
	o := demodata.Options{Users: opt.Users, Posts: opt.Posts, Follows: opt.Follows, Likes: opt.Likes, Seed: opt.Seed}
	return &seedGen{Gen: demodata.New(o, firstUser, firstPost, maxLen), opt: opt}
}
