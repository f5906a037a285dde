package main

import (
	"github.com/spf13/cobra"
)

// newUserExportCmd is `pamps user export NAME`: the member's own data, as
// GET /user/me/export/ gives it to them (docs/API.md §3e).
func newUserExportCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "export NAME",
		Short: "Print all of a member's data as one JSON document (what GET /user/me/export/ gives them)",
		Long: `Print all of a member's data as one JSON document: their profile with email,
posts and replies, whom they follow, their followers, the posts they liked,
whom they block and mute, their notifications. It is written as it is read,
whatever its size; the output is always JSON.`,
		Example: "  pamps user export ann > ann.json",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			return st.WriteExport(cmd.Context(), u.ID, a.Out)
		},
	}
}
