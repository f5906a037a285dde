package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pamps/pamps/store/seed"
	"github.com/spf13/cobra"
)

func newSeedCmd(a *App) *cobra.Command {
	opt := seed.Options{}
	cmd := &cobra.Command{
		Use:     "seed [--users N] [--posts M] [--follows F] [--likes L] [--seed S] --password P",
		Short:   "Fill the database with realistic, deterministic demo data",
		GroupID: groupDatabase,
		Long: `Fill the database with demo data: users with names, bios and avatars, posts of
varied length with reply chains, and follow and like graphs in which a few users
are much more popular than the rest. The same --seed gives the same data.
Everything lands in one transaction (COPY on PostgreSQL). A non-empty database
is refused unless --append. All seeded users share the --password.`,
		Example: `  pamps seed --users 10000 --posts 1000000 --follows 100 --likes 2000000 --password bench-pass
  pamps seed --users 50 --posts 500 --password demo-pass --append`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a.mayCreate()
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			bar := a.progressBar()
			opt.Progress = bar.update
			began := time.Now()
			res, err := seed.Run(cmd.Context(), st, opt)
			bar.finish()
			if err != nil {
				return err
			}
			took := time.Since(began)
			return a.done(map[string]any{"users": res.Users, "posts": res.Posts, "follows": res.Follows, "likes": res.Likes, "seconds": took.Seconds()},
				"seeded %d users, %d posts, %d follows, %d likes in %s", res.Users, res.Posts, res.Follows, res.Likes, took.Round(time.Millisecond))
		},
	}
	f := cmd.Flags()
	f.IntVar(&opt.Users, "users", 100, "users to create")
	f.IntVar(&opt.Posts, "posts", 1000, "posts to create (about 30% replies)")
	f.IntVar(&opt.Follows, "follows", 10, "follows per new user")
	f.IntVar(&opt.Likes, "likes", 2000, "likes in all")
	f.Int64Var(&opt.Seed, "seed", 1, "random seed")
	f.StringVar(&opt.Password, "password", "", "password of every seeded user (required)")
	f.BoolVar(&opt.Append, "append", false, "add to a database that already has users")
	_ = cmd.MarkFlagRequired("password")
	return cmd
}

// progressBar draws progress on a terminal (stderr) and stays silent
// elsewhere but for one line per finished stage.
type progressBar struct {
	w       io.Writer
	tty     bool
	quiet   bool
	stage   string
	said    string // the stage whose end a non-terminal was told
	started time.Time
	last    time.Time
	st      styles
}

func (a *App) progressBar() *progressBar {
	f, ok := a.Err.(*os.File)
	b := &progressBar{w: a.Err, tty: ok && isTerminal(f), quiet: a.flags.quiet}
	if p, err := a.printer(); err == nil {
		b.st, b.w = p.st, p.errw
	}
	return b
}

func (b *progressBar) update(stage string, done, total int64) {
	if b.quiet {
		return
	}
	now := time.Now()
	if stage != b.stage {
		if b.stage != "" && b.tty {
			fmt.Fprintln(b.w)
		}
		b.stage, b.started = stage, now
	}
	if !b.tty {
		if done == total && total > 0 && b.said != stage { // once: a watcher may see the end twice
			b.said = stage
			fmt.Fprintf(b.w, "%s: %d in %s\n", stage, done, now.Sub(b.started).Round(time.Millisecond))
		}
		return
	}
	if now.Sub(b.last) < 100*time.Millisecond && done != total {
		return
	}
	b.last = now
	if total == 0 { // it runs, but says not how far it is
		fmt.Fprintf(b.w, "\r%-9s %s   ", stage, b.st.dim.Render(fmt.Sprintf("still working, %s", now.Sub(b.started).Round(time.Second))))
		return
	}
	frac := 1.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	const width = 30
	filled := int(frac * width)
	elapsed := now.Sub(b.started).Seconds()
	rate, eta := 0.0, "?"
	if elapsed > 0 && done > 0 {
		rate = float64(done) / elapsed
		eta = (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r%-8s %s%s %3.0f%%  %d/%d  %.0f/s  ETA %s   ", stage,
		b.st.good.Render(strings.Repeat("█", filled)), b.st.dim.Render(strings.Repeat("░", width-filled)),
		frac*100, done, total, rate, eta)
}

func (b *progressBar) finish() {
	if b.tty && b.stage != "" && !b.quiet {
		fmt.Fprintln(b.w)
	}
}
