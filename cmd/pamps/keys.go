package main

import (
	"errors"
	"io"
	"os"

	gossh "golang.org/x/crypto/ssh"

	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

// `pamps user key ...`: the public keys a member signs in to the SSH TUI with.
func newUserKeyCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "key",
		Short: "Add, list and remove the SSH public keys a user signs in to `ssh` with",
		Long: `A user's SSH public keys: with one added, ` + "`ssh -p PORT HOST`" + ` opens the TUI
signed in as that user (pamps serve with server.ssh_port set).`,
	}
	cmd.AddCommand(newUserKeyAddCmd(a), newUserKeyListCmd(a), newUserKeyRemoveCmd(a))
	return cmd
}

func newUserKeyAddCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "add NAME FILE|-",
		Short: "Add a public key (an authorized_keys line; - reads standard input)",
		Example: `  pamps user key add ann ~/.ssh/id_ed25519.pub
  cat id.pub | pamps user key add ann -`,
		Args: exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var r io.Reader = a.In
			if args[1] != "-" {
				f, err := os.Open(args[1])
				if err != nil {
					return fail("cannot read the key: %v", err)
				}
				defer f.Close()
				r = f
			}
			b, err := io.ReadAll(io.LimitReader(r, store.MaxSSHKeyLen+1))
			if err != nil {
				return fail("cannot read the key: %v", err)
			}
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			k, err := st.AddSSHKey(cmd.Context(), u.ID, string(b))
			if errors.Is(err, store.ErrKeyTaken) {
				// The operator may know whose it is: the API may not say.
				if pk, _, _, _, perr := gossh.ParseAuthorizedKey(b); perr == nil {
					if owner, oerr := st.UserBySSHKey(cmd.Context(), pk); oerr == nil {
						return fail("this key is already on %s's account: a key signs in one account only", owner.Username)
					}
				}
			}
			if err != nil {
				return err
			}
			return a.done(k, "added key %d (%s %s) to %s", k.ID, k.Type, k.Fingerprint, u.Username)
		},
	}
}

func newUserKeyListCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "list NAME",
		Aliases: []string{"ls"},
		Short:   "List a user's SSH public keys",
		Example: "  pamps user key list ann",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			keys, err := st.SSHKeys(cmd.Context(), u.ID)
			if err != nil {
				return err
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			if p.format == formatJSON {
				return p.JSON(keys)
			}
			rows := make([][]string, 0, len(keys))
			for _, k := range keys {
				rows = append(rows, []string{itoa(k.ID), k.Type, k.Fingerprint, store.Printable(k.Comment), p.ago(k.Created.Time)})
			}
			headers := []string{"ID", "TYPE", "FINGERPRINT", "COMMENT", "ADDED"}
			p.fit(headers, rows)
			return p.Table(headers, rows)
		},
	}
}

func newUserKeyRemoveCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "remove NAME ID",
		Aliases: []string{"rm", "delete"},
		Short:   "Remove one of a user's SSH public keys (its ID from key list)",
		Example: "  pamps user key remove ann 3",
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("key id", args[1])
			if err != nil {
				return err
			}
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := st.RemoveSSHKey(cmd.Context(), u.ID, id); err != nil {
				if errors.Is(err, store.ErrKeyNotFound) {
					return fail("%s has no key %d; see pamps user key list %s", u.Username, id, u.Username)
				}
				return err
			}
			return a.say("removed key %d from %s", id, u.Username)
		},
	}
}
