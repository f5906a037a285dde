package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pamps/pamps/store"
)

// newBlockCmd is `pamps block NAME TARGET` and, undo set, `pamps unblock`:
// the store's rule (docs/API.md §3c), as the operator acting for NAME.
func newBlockCmd(a *App, undo bool) *cobra.Command {
	use, short := "block", "Make NAME block TARGET: each is hidden from the other, and the follows between them end"
	if undo {
		use, short = "unblock", "Make NAME lift a block of TARGET"
	}
	return a.pairCmd(use, short, func(ctx context.Context, st *store.Store, from, to store.User) error {
		if undo {
			if err := st.Unblock(ctx, from.ID, to.ID); err != nil {
				return err
			}
			return a.say("%s no longer blocks %s", from.Username, to.Username)
		}
		b, created, err := st.Block(ctx, from.ID, to.ID)
		if err != nil {
			return err
		}
		return a.done(b, pick(created, "%s now blocks %s", "%s already blocks %s"), from.Username, to.Username)
	})
}

// newMuteCmd is `pamps mute NAME TARGET` and, undo set, `pamps unmute`.
func newMuteCmd(a *App, undo bool) *cobra.Command {
	var keep bool
	use, short := "mute", "Make NAME mute TARGET: TARGET's posts leave NAME's lists and streams, silently"
	if undo {
		use, short = "unmute", "Make NAME lift a mute of TARGET"
	}
	cmd := a.pairCmd(use, short, func(ctx context.Context, st *store.Store, from, to store.User) error {
		if undo {
			if err := st.Unmute(ctx, from.ID, to.ID); err != nil {
				return err
			}
			return a.say("%s no longer mutes %s", from.Username, to.Username)
		}
		m, created, err := st.Mute(ctx, from.ID, to.ID, !keep)
		if err != nil {
			return err
		}
		return a.done(m, pick(created, "%s now mutes %s", "%s already mutes %s (updated)"), from.Username, to.Username)
	})
	if !undo {
		cmd.Flags().BoolVar(&keep, "keep-notifications", false, "still notify NAME of TARGET's replies, mentions, likes and follows")
	}
	return cmd
}

// pairCmd is a `pamps VERB NAME TARGET` command: run gets both users.
func (a *App) pairCmd(use, short string, run func(ctx context.Context, st *store.Store, from, to store.User) error) *cobra.Command {
	return &cobra.Command{
		Use:     use + " NAME TARGET",
		Short:   short,
		GroupID: groupSocial,
		Example: "  pamps " + use + " ann bob",
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, from, err := a.storeAndUser(ctx, args[0])
			if err != nil {
				return err
			}
			to, err := st.UserByName(ctx, args[1])
			if err != nil {
				return userNotFound(err, args[1])
			}
			return run(ctx, st, from, to)
		},
	}
}

// pick is yes when cond holds, else no.
func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
