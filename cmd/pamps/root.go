package main

import (
	"fmt"

	"github.com/pamps/pamps/config"
	"github.com/spf13/cobra"
)

// Command groups shown by `pamps --help`.
const (
	groupUsers      = "users"
	groupPosts      = "posts"
	groupSocial     = "social"
	groupRun        = "run"
	groupDatabase   = "database"
	groupModeration = "moderation"
	groupSetup      = "setup"
)

func newRootCmd(a *App) *cobra.Command {
	root := &cobra.Command{
		Use:   "pamps",
		Short: "Pamps, a small social network run from the terminal",
		Long: `Pamps is a small social network: users, posts, replies, likes and follows.
Operators manage it from this command line, people use it in the terminal
(pamps tui) or over HTTP (pamps serve).

With no configuration pamps keeps its data in an embedded SQLite file
($XDG_DATA_HOME/pamps/pamps.db); set db.uri (or --db) for PostgreSQL.`,
		Example: `  pamps adduser --username ann --email ann@example.com
  pamps post create --as ann "hello, world"
  pamps post list --user ann -o json
  pamps --db postgresql://localhost/pamps db migrate`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	// --version, as most commands have: the line `pamps version` prints.
	b := currentBuild()
	root.Version = b.Version
	root.SetVersionTemplate(fmt.Sprintf("pamps %s (commit %s, %s)\n", b.Version, b.Commit, b.Go))
	// Cobra checks a command's flags and arguments before this hook, and its
	// required flags and flag groups only after it, so the hook checks those
	// first: an error from before the command ran is a usage mistake (exit
	// 2), known by when it came, not by matching cobra's wording.
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if err := cmd.ValidateRequiredFlags(); err != nil {
			return usageError{err}
		}
		if err := cmd.ValidateFlagGroups(); err != nil {
			return usageError{err}
		}
		a.started = true
		return nil
	}
	pf := root.PersistentFlags()
	pf.StringVar(&a.flags.configFile, "config", "", "settings file to read instead of ./settings.toml (.secrets.toml is read from its folder)")
	pf.StringVar(&a.flags.env, "env", "", "settings environment: development, testing, production (default $PAMPS_ENV or development)")
	pf.StringVar(&a.flags.db, "db", "", "database URI, overriding db.uri (postgresql://..., sqlite:PATH)")
	pf.StringVarP(&a.flags.output, "output", "o", "", "output format: table, plain or json (default table on a terminal, plain when piped)")
	pf.BoolVar(&a.flags.noColor, "no-color", false, "no colour (also when NO_COLOR is set)")
	pf.BoolVarP(&a.flags.quiet, "quiet", "q", false, "print only what was asked for: no warnings, no progress")
	pf.BoolVar(&a.flags.debug, "debug", false, "show the details of internal errors")

	root.AddGroup(
		&cobra.Group{ID: groupUsers, Title: "Users:"},
		&cobra.Group{ID: groupPosts, Title: "Posts:"},
		&cobra.Group{ID: groupSocial, Title: "Follows, likes and timelines:"},
		&cobra.Group{ID: groupModeration, Title: "Moderation:"},
		&cobra.Group{ID: groupRun, Title: "Interfaces:"},
		&cobra.Group{ID: groupDatabase, Title: "Database:"},
		&cobra.Group{ID: groupSetup, Title: "Setup:"},
	)
	root.SetHelpCommandGroupID(groupSetup)
	root.SetCompletionCommandGroupID(groupSetup)

	for _, c := range []*cobra.Command{
		newAddUserCmd(a, "adduser"),
		newCreateUserCmd(a),
		newUserCmd(a),
		newUserListAlias(a),
		newTokenCmd(a),
		newPostCmd(a),
		newFollowCmd(a, false),
		newFollowCmd(a, true),
		newLikeCmd(a, false),
		newLikeCmd(a, true),
		newLikesCmd(a),
		newNotificationsCmd(a),
		newSearchCmd(a),
		newBlockCmd(a, false),
		newBlockCmd(a, true),
		newMuteCmd(a, false),
		newMuteCmd(a, true),
		newTimelineCmd(a),
		newReportCmd(a),
		newInviteCmd(a),
		newAuditCmd(a),
		newServeCmd(a),
		newTUICmd(a),
		newOpenAPICmd(a),
		newVersionCmd(a),
		newConfigCmd(a),
		newDBCmd(a),
		newSeedCmd(a),
		newResetDBCmd(a),
	} {
		root.AddCommand(c)
	}
	refuseUnknownSubcommands(root)
	addCompletions(a, root)
	return root
}

// refuseUnknownSubcommands makes every command that only groups others
// (pamps, pamps user, pamps post, pamps db, pamps config) show its help
// when called alone and refuse anything else: cobra printed the help and
// exited 0 for `pamps user lsit`, so a typo looked like success.
func refuseUnknownSubcommands(c *cobra.Command) {
	for _, sub := range c.Commands() {
		refuseUnknownSubcommands(sub)
	}
	if !c.HasSubCommands() || c.Runnable() {
		return
	}
	c.Args = cobra.ArbitraryArgs
	c.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) == 0 {
			return cmd.Help()
		}
		return unknownCommand(cmd, args[0])
	}
}

// unknownCommand is a usage error naming the closest command, aliases
// included ("lsit" is "list", "rest" is "reset").
func unknownCommand(cmd *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q for %q", name, cmd.CommandPath())
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, append([]string{c.Name()}, c.Aliases...)...)
		}
	}
	if s := config.Nearest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	} else {
		msg += fmt.Sprintf("; see '%s --help'", cmd.CommandPath())
	}
	return usage("%s", msg)
}
