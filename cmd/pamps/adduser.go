package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

// newAddUserCmd is `pamps adduser`, and `pamps user add` (use "add"), which
// also takes the username as its argument.
func newAddUserCmd(a *App, use string) *cobra.Command {
	var in store.NewUser
	var avatar, bio string
	var passwordStdin bool
	cmd := &cobra.Command{
		Use:     use,
		Short:   "Create a user (asks for what is missing; the password hidden, twice)",
		GroupID: groupUsers,
		Example: `  pamps adduser --username ann --email ann@example.com
  pamps user add ann --email ann@example.com
  echo 's3cret-pass' | pamps adduser --username ann --email ann@example.com --password-stdin`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if len(args) == 1 {
				if cmd.Flags().Changed("username") && in.Username != args[0] {
					return usage("the username is given twice: %q and --username %q", args[0], in.Username)
				}
				in.Username = args[0]
			}
			a.mayCreate()
			st, err := a.Store(ctx)
			if err != nil {
				return err
			}
			// On a terminal a refused answer is asked again; what came
			// from flags is checked and refused at once.
			// A name or an email taken is said before the passwords.
			if err := a.askValid(ctx, &in.Username, "username", "Username", func(v string) error { return available(ctx, st, "username", v) }); err != nil {
				return err
			}
			if err := a.askValid(ctx, &in.Email, "email", "Email", func(v string) error { return available(ctx, st, "email", v) }); err != nil {
				return err
			}
			for tries := 1; ; tries++ {
				in.Password, err = a.newPassword(ctx, passwordStdin)
				again := "passwords do not match"
				switch {
				case errors.Is(err, errPasswordMismatch):
				case err != nil:
					return err
				default:
					verr := st.Rules().ValidPassword("password", in.Password)
					if verr == nil {
						break
					}
					err, again = verr, "password "+verr.Fields[0].Reason
				}
				if err == nil {
					break
				}
				if passwordStdin || !a.stdinIsTerminal() || tries == maxTries {
					return err
				}
				fmt.Fprintln(a.Err, again+"; try again")
			}
			if cmd.Flags().Changed("avatar") {
				in.Avatar = &avatar
			}
			if cmd.Flags().Changed("bio") {
				in.Bio = &bio
			}
			return a.createUser(ctx, st, in)
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Username, "username", "", "username (asked for on a terminal when missing)")
	f.StringVar(&in.Email, "email", "", "email address (asked for on a terminal when missing)")
	f.StringVar(&avatar, "avatar", "", "avatar URL (http or https)")
	f.StringVar(&bio, "bio", "", "short biography")
	f.BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input (for scripts)")
	return cmd
}

// available checks a new user's username or email: valid, and not taken
// (the store's conflict, which the prompt also asks again for).
func available(ctx context.Context, st *store.Store, field, v string) error {
	check, taken, conflict := st.Rules().ValidUsername, st.UsernameTaken, store.ErrUsernameTaken
	if field == "email" {
		check, taken, conflict = st.Rules().ValidEmail, st.EmailTaken, store.ErrEmailTaken
	}
	if verr := check(v); verr != nil {
		return verr
	}
	used, err := taken(ctx, v)
	if err != nil || !used {
		return err
	}
	return conflict
}

// maxTries is how often a prompt asks again after a refused answer.
const maxTries = 5

// askValid fills *v from the terminal when the flag was not given, asking
// again while check refuses the answer; a value from a flag is checked once.
func (a *App) askValid(ctx context.Context, v *string, flag, label string, check func(string) error) error {
	if *v != "" {
		return check(*v)
	}
	if !a.stdinIsTerminal() {
		return usage("--%s is required when not on a terminal", flag)
	}
	for tries := 1; ; tries++ {
		answer, err := a.ask(ctx, label)
		if err != nil {
			return err
		}
		err = check(answer)
		var ve *store.ValidationError
		var ce *store.ConflictError
		switch {
		case err == nil || tries == maxTries:
		case errors.As(err, &ve):
			fmt.Fprintln(a.Err, flag+" "+ve.Fields[0].Reason+"; try again")
			continue
		case errors.As(err, &ce):
			fmt.Fprintln(a.Err, ce.Msg+"; try again")
			continue
		}
		*v = answer
		return err
	}
}

func (a *App) createUser(ctx context.Context, st *store.Store, in store.NewUser) error {
	u, err := st.CreateUser(ctx, in)
	if err != nil {
		return err
	}
	return a.done(u, "created user %s (id %d)", u.Username, u.ID)
}

// newCreateUserCmd keeps the original Pamps' `pamps create-user EMAIL USERNAME PASSWORD`.
func newCreateUserCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:    "create-user EMAIL USERNAME PASSWORD",
		Short:  "Create a user (the original Pamps' form; prefer adduser)",
		Hidden: true,
		Args:   exactArgs(3),
		RunE: func(cmd *cobra.Command, args []string) error {
			a.mayCreate()
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			return a.createUser(cmd.Context(), st, store.NewUser{Email: args[0], Username: args[1], Password: args[2]})
		},
	}
}
