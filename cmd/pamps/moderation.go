package main

import (
	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

// The operator's moderation of accounts (docs/API.md §3d): `pamps user
// role|suspend|unsuspend|approve`. The CLI acts as the operator, above
// every role; the store's rules still hold (the last admin stays), and the
// audit log names the OS user ("cli:<user>").

// newUserRoleCmd is `pamps user role NAME ROLE`.
func newUserRoleCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "role NAME member|moderator|admin",
		Short:   "Set a user's role (the first admin is made here)",
		Example: "  pamps user role ann admin\n  pamps user role bob moderator",
		Args:    exactArgs(2),
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) == 1 {
				return []string{"member", "moderator", "admin"}, cobra.ShellCompDirectiveNoFileComp
			}
			return nil, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			role, err := store.ParseRole(args[1])
			if err != nil {
				return usage("invalid role %q: use member, moderator or admin", args[1])
			}
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			u, err = st.SetRole(cmd.Context(), a.operator(), u.ID, role)
			if err != nil {
				return err
			}
			return a.done(u.AsAccount(), "%s is now %s", u.Username, string(u.Role))
		},
	}
}

// newUserSuspendCmd is `pamps user suspend NAME --reason R`, and with undo
// `pamps user unsuspend NAME`.
func newUserSuspendCmd(a *App, undo bool) *cobra.Command {
	var reason string
	cmd := &cobra.Command{
		Use:   "suspend NAME --reason TEXT",
		Short: "Suspend an account: sign-in refused, sessions and streams ended, what it wrote hidden (reversible)",
		Long: `Suspend an account. It cannot sign in; every token, stream and SSH session
it holds ends at once; its posts, replies, likes and profile are absent for
everyone but moderators. No row is rewritten: unsuspend brings it all back.`,
		Example: `  pamps user suspend spammer --reason "link spam in 40 replies"`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			verb := "suspended"
			if undo {
				u, err = st.Unsuspend(cmd.Context(), a.operator(), u.ID, reason)
				verb = "lifted the suspension of"
			} else {
				u, err = st.Suspend(cmd.Context(), a.operator(), u.ID, reason)
			}
			if err != nil {
				return err
			}
			return a.done(u.AsAccount(), "%s %s", verb, u.Username)
		},
	}
	if undo {
		cmd.Use, cmd.Short, cmd.Long = "unsuspend NAME [--reason TEXT]", "Lift a suspension: everything the account wrote comes back", ""
		cmd.Example = "  pamps user unsuspend bob --reason \"appeal upheld\""
		cmd.Flags().StringVar(&reason, "reason", "", "why (the audit log keeps it)")
	} else {
		cmd.Flags().StringVar(&reason, "reason", "", "why (required; the audit log keeps it)")
		_ = cmd.MarkFlagRequired("reason")
	}
	return cmd
}

// newUserApproveCmd is `pamps user approve NAME`.
func newUserApproveCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "approve NAME",
		Short:   "Let in an account that waits for approval (registration.mode = approval)",
		Example: "  pamps user list --pending\n  pamps user approve eve",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if u.Status != store.StatusPending {
				return fail("User %q is not waiting for approval (%s)", u.Username, u.Status)
			}
			if u, err = st.Approve(cmd.Context(), a.operator(), u.ID); err != nil {
				return err
			}
			return a.done(u.AsAccount(), "approved %s", u.Username)
		},
	}
}

// accounts prints users with their standing (`user list` with a
// moderation filter).
func (p *printer) accounts(users []store.User) error {
	if p.format == formatJSON {
		out := make([]store.Account, len(users))
		for i, u := range users {
			out[i] = u.AsAccount()
		}
		return p.JSON(out)
	}
	headers := []string{"ID", "USERNAME", "ROLE", "STATUS", "FOLLOWERS", "REASON"}
	rows := make([][]string, 0, len(users))
	for _, u := range users {
		name, status := store.Printable(u.Username), string(u.Status)
		if p.format == formatTable {
			name = p.st.name.Render(name)
			if u.Status.Withheld() {
				status = p.st.bad.Render(status)
			}
		}
		rows = append(rows, []string{itoa(u.ID), name, string(u.Role), status, itoa(u.Followers), store.Printable(u.SuspendReason)})
	}
	p.fit(headers, rows)
	return p.Table(headers, rows)
}
