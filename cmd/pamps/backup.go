package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

// `pamps db dump|restore|copy` (docs/archive.md): a backup on either
// database, and the move from the embedded SQLite file to PostgreSQL.

func newDBDumpCmd(a *App) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "dump FILE|-",
		Short: "Write an archive of every table (a consistent snapshot, while the server keeps serving)",
		Long: `Write an archive of every table that holds the community — users with their
password hashes, posts, follows, likes, blocks, mutes, notifications, SSH keys,
roles, reports, invites, the audit log — read from one consistent snapshot
while the server keeps serving and writing. The archive is gzipped JSON lines
(docs/archive.md); pamps db restore reads it into an empty database of either
kind. "-" writes it to standard output.`,
		Example: `  pamps db dump pamps-2026-12-06.pamps.gz
  pamps db dump - | ssh backup 'cat > pamps.gz'`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			out, commit, err := a.archiveFile(args[0], force)
			if err != nil {
				return err
			}
			bar := a.progressBar()
			counts, err := st.Dump(cmd.Context(), out, true, bar.update)
			bar.finish()
			if err = commit(err); err != nil {
				return err
			}
			if args[0] == "-" {
				return nil
			}
			return a.done(counts, "dumped %s to %s", summary(counts), args[0])
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite FILE if it exists")
	return cmd
}

// archiveFile is where a dump goes: standard output, or a file written
// beside FILE and renamed into place only once whole (commit), so that a
// failed dump leaves no half archive under the name.
func (a *App) archiveFile(name string, force bool) (io.Writer, func(error) error, error) {
	if name == "-" {
		if f, ok := a.Out.(*os.File); ok && isTerminal(f) {
			return nil, nil, usage("the archive is binary: redirect standard output to a file, or name one")
		}
		return a.Out, func(err error) error { return err }, nil
	}
	if _, err := os.Stat(name); err == nil && !force {
		return nil, nil, fail("%s exists: pass --force to overwrite it", name)
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".pamps-dump-*")
	if err != nil {
		return nil, nil, err
	}
	return tmp, func(err error) error {
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), name)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
		return err
	}, nil
}

func newDBRestoreCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "restore FILE|-",
		Short: "Read an archive into an empty database of either kind (refuses a non-empty one)",
		Long: `Read an archive (pamps db dump's) into this database, which must hold no
community yet: it migrates the schema, writes every table in one transaction,
continues the ids, checks each table's count and every counter against its
rows, and starts a new event horizon (open streams are told to reload). A
database that is not empty is refused and left as it was. An archive of an
older schema restores into the current one.`,
		Example: `  pamps --db postgresql://pamps@db/pamps db restore pamps-2026-12-06.pamps.gz`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a.mayCreate()
			st, err := a.OpenStore(cmd.Context())
			if err != nil {
				return err
			}
			in := io.Reader(a.In)
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return fail("cannot read %s: %v", args[0], unwrapPath(err))
				}
				defer f.Close()
				in = f
			}
			bar := a.progressBar()
			h, counts, err := st.Restore(cmd.Context(), in, bar.update)
			bar.finish()
			if err != nil {
				return err
			}
			return a.done(counts, "restored %s (a %s dump of %s, schema %s)", summary(counts), h.Dialect, h.Date.Format("2006-01-02 15:04"), h.Schema)
		},
	}
}

func newDBCopyCmd(a *App) *cobra.Command {
	var to string
	cmd := &cobra.Command{
		Use:   "copy --to URI",
		Short: "Copy this database into another, empty one: SQLite to PostgreSQL and back",
		Long: `Copy this database into the empty database at URI: pamps db dump piped into
pamps db restore, without a file. The source is read from one snapshot while
the server keeps serving; the target is checked as a restore checks it.`,
		Example: `  pamps db copy --to postgresql://pamps@db/pamps
  pamps --db postgresql://pamps@db/pamps db copy --to sqlite:/var/lib/pamps/pamps.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if to == "" {
				return usage("--to names the database to copy into")
			}
			src, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			cfg, _ := a.Config()
			if to == cfg.DatabaseURI() {
				return usage("--to names this very database")
			}
			opts := a.storeOptions(cfg)
			opts.URI = to
			dst, err := store.Open(cmd.Context(), opts)
			if err != nil {
				return err
			}
			defer dst.Close()
			bar := a.progressBar()
			counts, err := copyInto(cmd.Context(), src, dst, bar.update)
			bar.finish()
			if err != nil {
				return err
			}
			return a.done(counts, "copied %s to %s", summary(counts), config.RedactURI(to))
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "the empty database to copy into (postgresql://..., sqlite:PATH)")
	return cmd
}

// copyInto pipes src's dump into dst's restore.
func copyInto(ctx context.Context, src, dst *store.Store, progress store.Progress) (map[string]int64, error) {
	pr, pw := io.Pipe()
	dumped := make(chan error, 1)
	go func() {
		_, err := src.Dump(ctx, pw, false, nil)
		pw.CloseWithError(err)
		dumped <- err
	}()
	_, counts, err := dst.Restore(ctx, pr, progress)
	pr.CloseWithError(io.ErrClosedPipe) // a restore that stopped early stops the dump
	if derr := <-dumped; err == nil && derr != nil {
		err = derr
	}
	return counts, err
}

// summary says how many rows of the main tables, in a stable order.
func summary(counts map[string]int64) string {
	names := []string{"user", "post", "follow", "like"}
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%d %ss", counts[n], n))
	}
	rest := 0
	others := make([]string, 0, len(counts))
	for n := range counts {
		others = append(others, n)
	}
	sort.Strings(others)
	for _, n := range others {
		if !strings.Contains(" user post follow like ", " "+n+" ") {
			rest += int(counts[n])
		}
	}
	return strings.Join(parts, ", ") + fmt.Sprintf(" and %d other rows", rest)
}

// unwrapPath is an os error without the path the message names already.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
