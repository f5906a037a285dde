package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/pamps/pamps"
	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
)

// App carries what every command needs: its streams, its environment, the
// global flags, and the configuration and store, both made on first use.
type App struct {
	In       io.Reader
	Out, Err io.Writer
	Environ  []string
	Dir      string // where settings.toml is looked for; "" is the working directory

	flags   globalFlags
	started bool // the command got past cobra's checks of its arguments and flags
	cfg     *config.Config
	st      *store.Store
	reader  *bufio.Reader
	// replicas: the store opened reads db.read_uris (serve only: the other
	// commands are the operator's, on the primary).
	replicas bool
	hub      *live.Hub // the live events of st, made on first use (events)
	// creates: the command may create the SQLite file that does not exist
	// yet (mayCreate); the others refuse it, naming the path.
	creates bool
}

// mayCreate lets the command create the SQLite database it is given when
// there is none yet: the commands that make a network (db migrate, db
// reset, seed, adduser, serve). A command that reads never does: a typo in
// a path used to show an empty network, made on the spot.
func (a *App) mayCreate() { a.creates = true }

// checkSQLiteFile refuses a SQLite file that does not exist, unless the
// command may create it, and then says it does.
func (a *App) checkSQLiteFile(uri string) error {
	if d, err := store.DialectOf(uri); err != nil || d != store.SQLite {
		return nil
	}
	path := store.SQLitePath(uri)
	if _, err := os.Stat(path); path == "" || !errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if !a.creates {
		return fail("no database at %s: pamps db migrate creates it (as do pamps seed, pamps adduser and pamps serve); --db or db.uri names another", path)
	}
	if !a.flags.quiet {
		fmt.Fprintf(a.Err, "creating the database %s\n", path)
	}
	return nil
}

// events is the live events of the opened store: one hub for the process.
func (a *App) events() *live.Hub {
	if a.hub == nil {
		a.hub = live.New(a.st)
	}
	return a.hub
}

// globalFlags are the root command's persistent flags.
type globalFlags struct {
	configFile string
	env        string
	db         string
	output     string
	noColor    bool
	quiet      bool
	debug      bool
}

// NewApp makes an App on the given streams and environment.
func NewApp(in io.Reader, out, errw io.Writer, environ []string) *App {
	return &App{In: in, Out: out, Err: errw, Environ: environ}
}

// Getenv reads the App's environment, not the process's.
func (a *App) Getenv(key string) string { return getenv(a.Environ, key) }

// getenv is key's value in environ (KEY=VALUE pairs), the last one when
// it is set twice, as a shell does.
func getenv(environ []string, key string) string {
	for i := len(environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(environ[i], "="); ok && k == key {
			return v
		}
	}
	return ""
}

// Run executes the command line and returns the process exit code.
func (a *App) Run(ctx context.Context, args []string) int {
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(a.In)
	root.SetOut(a.Out)
	root.SetErr(a.Err)
	err := root.ExecuteContext(ctx)
	a.Close()
	if err == nil {
		return 0
	}
	return a.report(err)
}

// Config loads the layered configuration once.
func (a *App) Config() (*config.Config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	var overrides []config.Override
	if a.flags.db != "" {
		overrides = append(overrides, config.Override{Key: "db.uri", Value: a.flags.db, Source: "flag --db"})
	}
	cfg, err := config.Load(config.Options{
		Defaults:   pamps.DefaultTOML,
		Dir:        a.Dir,
		ConfigFile: a.flags.configFile,
		Env:        a.flags.env,
		Environ:    a.Environ,
		Overrides:  overrides,
	})
	if err != nil {
		return nil, err
	}
	if !a.flags.quiet {
		for _, w := range cfg.Warnings {
			fmt.Fprintln(a.Err, "Warning: "+w)
		}
	}
	a.cfg = cfg
	return cfg, nil
}

// OpenStore opens the configured database without touching its schema.
func (a *App) OpenStore(ctx context.Context) (*store.Store, error) {
	if a.st != nil {
		return a.st, nil
	}
	cfg, err := a.Config()
	if err != nil {
		return nil, err
	}
	opts := a.storeOptions(cfg)
	if cfg.DB.Echo {
		opts.Echo = a.Err
	}
	if a.replicas {
		opts.ReadURIs = cfg.DB.ReadURIs
	}
	if err := a.checkSQLiteFile(opts.URI); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, opts)
	if err != nil {
		return nil, err
	}
	a.st = st
	return st, nil
}

// storeOptions are the store's options as the configuration sets them.
func (a *App) storeOptions(cfg *config.Config) store.Options {
	return store.Options{
		URI:          cfg.DatabaseURI(),
		MaxOpenConns: cfg.DB.MaxOpenConns,
		StreamReplay: cfg.Server.StreamReplay,
		// keep_days is at least 1 (config.Validate).
		NotificationsKeep: time.Duration(cfg.Notifications.KeepDays) * 24 * time.Hour,
		ReplicaMaxLag:     cfg.DB.ReplicaMaxLag,
		Rules: store.Rules{
			PasswordMinLength: cfg.Security.PasswordMinLength,
			PostMaxLength:     cfg.Posts.MaxLength,
			BcryptCost:        cfg.Security.BcryptCost,
		},
		// A member's actions meet these whatever the front end (the API,
		// SSH, the TUI); the operator's commands do not take them.
		Limits: store.Limits{
			Login:  rate(cfg.Security.LoginRateLimit),
			Signup: rate(cfg.Security.SignupRateLimit),
			Post:   rate(cfg.Security.PostRateLimit),
			Report: rate(cfg.Security.ReportRateLimit),
		},
		Registration: store.Registration(cfg.Registration.Mode),
		Logger:       slog.New(slog.NewJSONHandler(a.Err, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
}

// Store opens the database ready for use: migrated when db.auto_migrate is
// on, otherwise refused while its schema is out of date.
func (a *App) Store(ctx context.Context) (*store.Store, error) {
	st, err := a.OpenStore(ctx)
	if err != nil {
		return nil, err
	}
	if err := a.ensureSchema(ctx, st); err != nil {
		return nil, err
	}
	return st, nil
}

func (a *App) ensureSchema(ctx context.Context, st *store.Store) error {
	err := st.CheckSchema(ctx)
	if err == nil || !a.cfg.DB.AutoMigrate {
		return err
	}
	bar := a.progressBar()
	applied, err := st.MigrateWatched(ctx, bar.update)
	bar.finish()
	if err != nil {
		return err
	}
	if len(applied) > 0 && !a.flags.quiet {
		fmt.Fprintf(a.Err, "migrated %s: %s\n", config.RedactURI(a.cfg.DatabaseURI()), strings.Join(applied, ", "))
	}
	return nil
}

// Close releases the store.
func (a *App) Close() {
	if a.st != nil {
		a.st.Close()
		a.st = nil
	}
}

// stdinIsTerminal reports whether the App reads from a terminal.
func (a *App) stdinIsTerminal() bool {
	f, ok := a.In.(*os.File)
	return ok && isTerminal(f)
}
