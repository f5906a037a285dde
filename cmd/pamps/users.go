package main

import (
	"context"
	"fmt"

	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

// exactArgs is cobra.ExactArgs with a usage error (exit 2).
func newUserCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "user",
		Short:   "List, show, edit and delete users",
		GroupID: groupUsers,
	}
	add := newAddUserCmd(a, "add [NAME]")
	add.GroupID, add.Args, add.Aliases = "", cobra.MaximumNArgs(1), []string{"create", "new"}
	cmd.AddCommand(newUserListCmd(a, "list"), add, newUserShowCmd(a), newUserEditCmd(a), newUserPasswdCmd(a),
		newUserLogoutCmd(a), newUserKeyCmd(a), newUserDeleteCmd(a), newFollowListCmd(a, "followers"), newFollowListCmd(a, "following"),
		newUserRoleCmd(a), newUserSuspendCmd(a, false), newUserSuspendCmd(a, true), newUserApproveCmd(a), newUserExportCmd(a))
	return cmd
}

func newUserListCmd(a *App, use string) *cobra.Command {
	var opts store.UserList
	var as, role string
	var suspended, pending bool
	cmd := &cobra.Command{
		Use:     use,
		Aliases: []string{"ls"},
		Short:   "List users, oldest first",
		Example: `  pamps user list
  pamps user list --prefix an --limit 20
  pamps user list --role moderator
  pamps user list --suspended --pending
  pamps user list -o json | jq '.[].username'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(opts.Limit); err != nil {
				return err
			}
			standing := role != "" || suspended || pending
			if standing && as != "" {
				return usage("--as shows what a member sees: it does not go with --role, --suspended or --pending")
			}
			if role != "" {
				r, err := store.ParseRole(role)
				if err != nil {
					return usage("invalid --role %q: use member, moderator or admin", role)
				}
				opts.Role = r
			}
			if suspended {
				opts.Statuses = append(opts.Statuses, store.StatusSuspended)
			}
			if pending {
				opts.Statuses = append(opts.Statuses, store.StatusPending)
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			if standing {
				page, err := st.Accounts(cmd.Context(), a.operator(), opts)
				if err != nil {
					return err
				}
				return printPage(a, page, (*printer).accounts, "--after")
			}
			if opts.Viewer, err = a.viewer(cmd.Context(), st, as); err != nil {
				return err
			}
			page, err := st.ListUsers(cmd.Context(), opts)
			if err != nil {
				return err
			}
			return a.printUsers(page, "--after")
		},
	}
	cmd.Flags().StringVar(&role, "role", "", "only this role (member, moderator, admin), with each one's standing")
	cmd.Flags().BoolVar(&suspended, "suspended", false, "only suspended accounts (with --pending: either)")
	cmd.Flags().BoolVar(&pending, "pending", false, "only accounts waiting for approval")
	cmd.Flags().StringVar(&opts.Prefix, "prefix", "", "only usernames starting with this (ignoring case)")
	cmd.Flags().IntVar(&opts.Limit, "limit", store.DefaultLimit, "how many users (1-1000)")
	cmd.Flags().StringVar(&opts.Cursor, "after", "", "start after this user id")
	asViewer(cmd, &as)
	return cmd
}

// newUserListAlias keeps the original's `pamps user-list`.
func newUserListAlias(a *App) *cobra.Command {
	cmd := newUserListCmd(a, "user-list")
	cmd.Hidden = true
	return cmd
}

func newUserShowCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "show NAME",
		Short: "Show a profile: bio, avatar, and counts of posts, followers and following",
		Long: `Show a profile: bio, avatar, and counts of posts, followers and following.
With -o json it prints the API's Me (a User with its email) plus "posts": the
Profile shape, described with the API's shapes in /openapi.json.`,
		Example: `  pamps user show ann`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			u, err := st.Profile(cmd.Context(), args[0], store.OperatorView)
			if err != nil {
				return userNotFound(err, args[0])
			}
			prof := u.AsProfile()
			for names, list := range map[*[]string]func(context.Context, int64, string, int) (store.Page[store.User], error){
				&prof.Blocks: st.Blocks, &prof.Mutes: st.Mutes} {
				page, err := list(cmd.Context(), u.ID, "", store.DefaultLimit)
				if err != nil {
					return err
				}
				for _, v := range page.Items {
					*names = append(*names, v.Username)
				}
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			return p.profile(prof)
		},
	}
}

func newUserEditCmd(a *App) *cobra.Command {
	var email, avatar, bio string
	cmd := &cobra.Command{
		Use:   "edit NAME [--email E] [--avatar URL] [--bio TEXT]",
		Short: "Change a user's email, avatar or bio (an empty value clears avatar and bio)",
		Example: `  pamps user edit ann --bio "Writes about birds"
  pamps user edit ann --avatar ""`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var patch store.UserPatch
			if cmd.Flags().Changed("email") {
				patch.Email = &email
			}
			if cmd.Flags().Changed("avatar") {
				patch.Avatar = &avatar
			}
			if cmd.Flags().Changed("bio") {
				patch.Bio = &bio
			}
			if patch == (store.UserPatch{}) {
				return usage("nothing to change: give --email, --avatar or --bio")
			}
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if u, err = st.UpdateUser(cmd.Context(), u.ID, patch); err != nil {
				return err
			}
			return a.done(u.AsMe(), "updated user %s", u.Username)
		},
	}
	cmd.Flags().StringVar(&email, "email", "", "new email address")
	cmd.Flags().StringVar(&avatar, "avatar", "", "new avatar URL (empty clears it)")
	cmd.Flags().StringVar(&bio, "bio", "", "new biography (empty clears it)")
	return cmd
}

// storeAndUser opens the store and looks a user up by name.
func (a *App) storeAndUser(ctx context.Context, name string) (*store.Store, store.User, error) {
	st, err := a.Store(ctx)
	if err != nil {
		return nil, store.User{}, err
	}
	u, err := st.UserByName(ctx, name)
	return st, u, userNotFound(err, name)
}

func newUserPasswdCmd(a *App) *cobra.Command {
	var passwordStdin, removeKeys bool
	cmd := &cobra.Command{
		Use:   "passwd NAME",
		Short: "Set a user's password (asked twice, hidden)",
		Example: `  pamps user passwd ann
  echo 'n3w-passw0rd' | pamps user passwd ann --password-stdin`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			pw, err := a.newPassword(cmd.Context(), passwordStdin)
			if err != nil {
				return err
			}
			if err := st.SetPassword(cmd.Context(), u.ID, pw); err != nil {
				return err
			}
			if err := a.say("password changed for %s", u.Username); err != nil {
				return err
			}
			return a.keysLeft(cmd.Context(), st, u, removeKeys)
		},
	}
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input")
	cmd.Flags().BoolVar(&removeKeys, "remove-keys", false, "remove every SSH key of the user too (keys sign in whatever the password)")
	return cmd
}

// keysLeft says which SSH keys still sign u in after a password change or
// a sign-out everywhere (neither touches them: a key a thief added would
// outlive both), or removes them all with --remove-keys.
func (a *App) keysLeft(ctx context.Context, st *store.Store, u store.User, remove bool) error {
	if remove {
		n, err := st.RemoveSSHKeys(ctx, u.ID)
		if err != nil {
			return err
		}
		return a.say("removed %d SSH key(s) of %s; the sessions they opened end", n, u.Username)
	}
	keys, err := st.SSHKeys(ctx, u.ID)
	if err != nil || len(keys) == 0 {
		return err
	}
	if err := a.say("%d SSH key(s) still sign %s in over SSH:", len(keys), u.Username); err != nil {
		return err
	}
	for _, k := range keys {
		if err := a.say("  %d  %s  %s  %s", k.ID, k.Type, k.Fingerprint, k.Comment); err != nil {
			return err
		}
	}
	return a.say("remove one with `pamps user key remove %s ID`, or all with --remove-keys", u.Username)
}

func newUserLogoutCmd(a *App) *cobra.Command {
	var removeKeys bool
	cmd := &cobra.Command{
		Use:   "logout NAME",
		Short: "Sign NAME out everywhere: every token issued to them so far is refused",
		Long: `Sign NAME out everywhere, as POST /user/me/logout/ does: every access and
refresh token issued to NAME until now is refused from now on. NAME logs in
again for new ones. A password change (user passwd) does the same.`,
		Example: "  pamps user logout ann",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := st.SignOut(cmd.Context(), u.ID); err != nil {
				return err
			}
			if err := a.say("signed out %s everywhere: every earlier token is refused", u.Username); err != nil {
				return err
			}
			return a.keysLeft(cmd.Context(), st, u, removeKeys)
		},
	}
	cmd.Flags().BoolVar(&removeKeys, "remove-keys", false, "remove every SSH key of the user too (keys sign in whatever the tokens)")
	return cmd
}

func newUserDeleteCmd(a *App) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:     "delete NAME",
		Aliases: []string{"rm"},
		Short:   "Delete a user with their posts, the replies under them, their likes and follows",
		Example: `  pamps user delete spammer
  pamps user delete spammer --force`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if !force {
				if err := a.confirm(cmd.Context(), fmt.Sprintf("Delete user %s and all their posts, likes and follows?", u.Username)); err != nil {
					return err
				}
			}
			if err := st.DeleteUser(cmd.Context(), u.ID); err != nil {
				return err
			}
			err = a.say("deleted user %s (id %d)", u.Username, u.ID)
			return err
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not ask for confirmation")
	return cmd
}
