package main

import (
	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

func newFollowListCmd(a *App, which string) *cobra.Command {
	var cursor, as string
	var limit int
	short := map[string]string{"followers": "List who follows NAME, most recent first", "following": "List whom NAME follows, most recent first"}
	cmd := &cobra.Command{
		Use:     which + " NAME",
		Short:   short[which],
		Example: "  pamps user " + which + " ann",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			list := st.Followers
			if which == "following" {
				list = st.Following
			}
			me, err := a.viewer(cmd.Context(), st, as)
			if err != nil {
				return err
			}
			page, err := list(cmd.Context(), u.ID, me, cursor, limit)
			if err != nil {
				return err
			}
			return a.printUsers(page, "--cursor")
		},
	}
	cmd.Flags().IntVar(&limit, "limit", store.DefaultLimit, "how many users (1-1000)")
	cmd.Flags().StringVar(&cursor, "cursor", "", "continue from a previous page's cursor")
	asViewer(cmd, &as)
	return cmd
}
