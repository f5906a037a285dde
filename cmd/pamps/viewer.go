package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pamps/pamps/store"
)

// asViewer adds --as NAME to a command that reads: it shows what NAME sees,
// without whom NAME blocked, who blocked NAME, or whom NAME muted
// (docs/API.md §3c). Without it the operator sees everything.
func asViewer(cmd *cobra.Command, as *string) {
	cmd.Flags().StringVar(as, "as", "", "show what this member sees (their blocks and mutes hide people and posts)")
}

// viewer is the id of the member named by --as, or store.OperatorView:
// the operator sees everything, withheld (suspended, pending) accounts too.
func (a *App) viewer(ctx context.Context, st *store.Store, as string) (int64, error) {
	if as == "" {
		return store.OperatorView, nil
	}
	u, err := st.UserByName(ctx, as)
	if err != nil {
		return 0, userNotFound(err, as)
	}
	return u.ID, nil
}
