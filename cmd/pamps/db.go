package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

func redactedDatabase(cfg *config.Config) string { return config.RedactURI(cfg.DatabaseURI()) }

func newDBCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "db",
		Short:   "Database tasks: migrate, status, reset, shell, dump, restore, copy",
		GroupID: groupDatabase,
	}
	cmd.AddCommand(newDBMigrateCmd(a), newDBStatusCmd(a), newDBResetCmd(a, "reset"), newDBShellCmd(a),
		newDBDumpCmd(a), newDBRestoreCmd(a), newDBCopyCmd(a))
	return cmd
}

func newDBMigrateCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending migrations (adopts a database of the original Python Pamps)",
		Long: `Apply every pending migration, each in its own transaction, recorded only
once it succeeded. A database made by the original Python Pamps (alembic head
e71d88346f62) is upgraded in place; if two of its users differ only by the
case of their name or email, nothing changes and the clash is reported.`,
		Example: `  pamps db migrate
  pamps --db postgresql://pamps@localhost/pamps db migrate`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a.mayCreate()
			st, err := a.OpenStore(cmd.Context())
			if err != nil {
				return err
			}
			bar := a.progressBar()
			applied, err := st.MigrateWatched(cmd.Context(), bar.update)
			bar.finish()
			if err != nil {
				return err
			}
			if len(applied) > 0 {
				a.reportUnprintable(cmd.Context(), st)
			}
			return a.reportMigrations(applied)
		},
	}
}

// reportUnprintable warns, after migrations (an adoption among them), of
// stored text with control characters, which Pamps refuses today: they are
// shown escaped, and the API returns them as stored.
func (a *App) reportUnprintable(ctx context.Context, st *store.Store) {
	users, posts, err := st.UnprintableRows(ctx)
	if err != nil || len(users)+len(posts) == 0 {
		return
	}
	ids := func(list []int64) string {
		var b strings.Builder
		for i, id := range list {
			if i == 10 {
				fmt.Fprintf(&b, " and %d more", len(list)-10)
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.FormatInt(id, 10))
		}
		return b.String()
	}
	msg := "Warning: stored text holds control characters, which pamps shows escaped (\\x1b) and would refuse today:"
	if len(users) > 0 {
		msg += fmt.Sprintf(" %d user(s) (ids %s)", len(users), ids(users))
	}
	if len(posts) > 0 {
		msg += fmt.Sprintf(" %d post(s) (ids %s)", len(posts), ids(posts))
	}
	fmt.Fprintln(a.Err, msg)
}

func (a *App) reportMigrations(applied []string) error {
	p, err := a.printer()
	if err != nil {
		return err
	}
	if p.format == formatJSON {
		if applied == nil {
			applied = []string{}
		}
		return p.JSON(map[string]any{"database": redactedDatabase(a.cfg), "applied": applied})
	}
	if len(applied) == 0 {
		fmt.Fprintf(a.Out, "%s is up to date\n", redactedDatabase(a.cfg))
		return nil
	}
	for _, m := range applied {
		fmt.Fprintf(a.Out, "applied %s\n", m)
	}
	return nil
}

func newDBStatusCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "List migrations, applied and pending",
		Example: `  pamps db status
  pamps db status -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := a.OpenStore(cmd.Context())
			if err != nil {
				return err
			}
			list, err := st.MigrationStatus(cmd.Context())
			if err != nil {
				return err
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			pending := 0
			for _, m := range list {
				if !m.Applied {
					pending++
				}
			}
			if p.format == formatJSON {
				return p.JSON(map[string]any{"database": redactedDatabase(a.cfg), "dialect": st.Dialect(), "pending": pending, "migrations": list})
			}
			rows := make([][]string, 0, len(list))
			for _, m := range list {
				state, at := "pending", ""
				if m.Applied {
					state = "applied"
					at = m.AppliedAt.String()
				}
				if p.format == formatTable {
					if m.Applied {
						state = p.st.good.Render(state)
					} else {
						state = p.st.bad.Render(state)
					}
				}
				rows = append(rows, []string{m.Name, m.Comment, state, at})
			}
			if p.format == formatTable {
				fmt.Fprintf(p.w, "%s %s (%s)\n", p.st.dim.Render("database"), redactedDatabase(a.cfg), st.Dialect())
			}
			if err := p.Table([]string{"MIGRATION", "NAME", "STATUS", "APPLIED AT"}, rows); err != nil {
				return err
			}
			if p.format == formatTable {
				if pending == 0 {
					fmt.Fprintln(p.w, p.st.good.Render("schema is up to date"))
				} else {
					fmt.Fprintln(p.w, p.st.bad.Render(fmt.Sprintf("%d pending: run `pamps db migrate`", pending)))
				}
			}
			return nil
		},
	}
}

func newDBResetCmd(a *App, use string) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   use,
		Short: "Delete all data and recreate the schema",
		Long: `Drop every Pamps table, with all users, posts, follows and likes, and migrate
from scratch. Asks for confirmation on a terminal; --force skips it (needed
when not on a terminal).`,
		Example: `  pamps db reset
  pamps db reset --force
  pamps reset-db -f            # the original Pamps spelling`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a.mayCreate()
			st, err := a.OpenStore(cmd.Context())
			if err != nil {
				return err
			}
			if !force {
				if err := a.confirm(cmd.Context(), fmt.Sprintf("Delete ALL data in %s?", redactedDatabase(a.cfg))); err != nil {
					return err
				}
			}
			applied, err := st.Reset(cmd.Context())
			if err != nil {
				return err
			}
			if !a.flags.quiet {
				fmt.Fprintf(a.Err, "reset %s\n", redactedDatabase(a.cfg))
			}
			return a.reportMigrations(applied)
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not ask for confirmation")
	return cmd
}

// newResetDBCmd keeps the original Pamps' `pamps reset-db -f`.
func newResetDBCmd(a *App) *cobra.Command {
	cmd := newDBResetCmd(a, "reset-db")
	cmd.Hidden = true
	return cmd
}

// errNotConfirmed ends a command the operator declined: their choice, told
// plainly (it was reported as an internal error).
var errNotConfirmed = failure{errors.New("not confirmed; nothing changed")}

// confirm asks a yes/no question on the terminal; anything but y or yes is
// no. Ctrl-C ends it at once (exit 130), as at the password prompt.
func (a *App) confirm(ctx context.Context, question string) error {
	if !a.stdinIsTerminal() {
		return usage("%s Not on a terminal: pass --force to confirm", question)
	}
	fmt.Fprintf(a.Err, "%s [y/N] ", store.Printable(question))
	line, err := a.readLine(ctx)
	switch {
	case errors.Is(err, errInterrupted):
		return err
	case err != nil:
		fmt.Fprintln(a.Err)
		return errNotConfirmed
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return errNotConfirmed
}

func newDBShellCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "shell",
		Short: "Open psql or sqlite3 on the configured database",
		Example: `  pamps db shell
  echo 'SELECT count(*) FROM post;' | pamps db shell`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			uri := cfg.DatabaseURI()
			d, err := store.DialectOf(uri)
			if err != nil {
				return err
			}
			client, args, hint := "psql", []string{uri}, "apt-get install postgresql-client"
			if d == store.SQLite {
				client, args, hint = "sqlite3", []string{store.SQLitePath(uri)}, "apt-get install sqlite3"
			}
			path, err := lookPath(client, a.Getenv("PATH"))
			if err != nil {
				return fail("cannot open a database shell: %s is not installed (%s)", client, hint)
			}
			c := exec.CommandContext(cmd.Context(), path, args...)
			c.Stdin, c.Stdout, c.Stderr = a.In, a.Out, a.Err
			c.Env = a.Environ
			if err := c.Run(); err != nil {
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					return silentError{code: ee.ExitCode()}
				}
				return err
			}
			return nil
		},
	}
}

// lookPath finds an executable on the App's PATH (not the process's).
func lookPath(name, pathEnv string) (string, error) {
	for _, dir := range filepath.SplitList(pathEnv) {
		if dir == "" {
			dir = "."
		}
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}
