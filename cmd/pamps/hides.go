package main

import (
	"github.com/spf13/cobra"
)

// newBlockCmd is `pamps block NAME TARGET` and, undo set, `pamps unblock`:
// the store's rule (docs/API.md §3c), as the operator acting for NAME.
func newBlockCmd(a *App, undo bool) *cobra.Command {
	use, short := "block", "Make NAME block TARGET: each is hidden from the other, and the follows between them end"
	if undo {
		use, short = "unblock", "Make NAME lift a block of TARGET"
	}
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
			msg := "%s now blocks %s"
			if !created {
				msg = "%s already blocks %s"
			}
			return a.done(b, msg, from.Username, to.Username)
		},
	}
}

// newMuteCmd is `pamps mute NAME TARGET` and, undo set, `pamps unmute`.
func newMuteCmd(a *App, undo bool) *cobra.Command {
	var keep bool
	use, short := "mute", "Make NAME mute TARGET: TARGET's posts leave NAME's lists and streams, silently"
	if undo {
		use, short = "unmute", "Make NAME lift a mute of TARGET"
	}
	cmd := &cobra.Command{
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
			msg := "%s now mutes %s"
			if !created {
				msg = "%s already mutes %s (updated)"
			}
			return a.done(m, msg, from.Username, to.Username)
		},
	}
	if !undo {
		cmd.Flags().BoolVar(&keep, "keep-notifications", false, "still notify NAME of TARGET's replies, mentions, likes and follows")
	}
	return cmd
}
