package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

// `pamps invite create|list|revoke`: the codes sign-ups spend when
// registration.mode is invite.

func newInviteCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "invite",
		Short:   "Invite codes for registration.mode = invite: create, list, revoke",
		GroupID: groupModeration,
	}
	cmd.AddCommand(newInviteCreateCmd(a), newInviteListCmd(a), newInviteRevokeCmd(a))
	return cmd
}

// parseExpiry reads --expires: a Go duration (90m, 36h), days (7d), or 0
// / never.
func parseExpiry(s string) (time.Duration, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	switch {
	case s == "0" || s == "never":
		return 0, nil
	case strings.HasSuffix(s, "d"):
		n, err := strconv.Atoi(strings.TrimSuffix(s, "d"))
		if err != nil || n < 1 {
			return 0, usage("invalid --expires %q: use a duration (36h, 7d) or never", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, usage("invalid --expires %q: use a duration (36h, 7d) or never", s)
	}
	return d, nil
}

func newInviteCreateCmd(a *App) *cobra.Command {
	var uses int
	var expires string
	cmd := &cobra.Command{
		Use:     "create [--uses N] [--expires DURATION]",
		Short:   "Make an invite code",
		Example: "  pamps invite create\n  pamps invite create --uses 20 --expires 30d\n  pamps invite create -q   # the code alone",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := parseExpiry(expires)
			if err != nil {
				return err
			}
			if uses < 1 || uses > store.MaxInviteUses {
				return usage("--uses must be between 1 and %d, got %d", store.MaxInviteUses, uses)
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			inv, err := st.CreateInvite(cmd.Context(), a.operator(), uses, d)
			if err != nil {
				return err
			}
			if a.flags.quiet && a.flags.output != formatJSON {
				return a.say("%s", inv.Code)
			}
			return a.done(inv, "invite %s: %s", inv.Code, inviteTerms(inv))
		},
	}
	cmd.Flags().IntVar(&uses, "uses", 1, "how many sign-ups it admits")
	cmd.Flags().StringVar(&expires, "expires", "7d", "how long it is good for (36h, 7d; never)")
	return cmd
}

// inviteTerms says what is left of an invite.
func inviteTerms(inv store.Invite) string {
	t := strconv.Itoa(inv.Uses) + " of " + strconv.Itoa(inv.MaxUses) + " used"
	switch {
	case inv.Revoked:
		return t + ", revoked"
	case inv.ExpiresAt == nil:
		return t + ", never expires"
	case inv.ExpiresAt.Before(time.Now()):
		return t + ", expired " + inv.ExpiresAt.Format("2006-01-02 15:04")
	}
	return t + ", expires " + inv.ExpiresAt.Format("2006-01-02 15:04")
}

func newInviteListCmd(a *App) *cobra.Command {
	var cursor string
	var limit int
	cmd := &cobra.Command{
		Use:     "list",
		Aliases: []string{"ls"},
		Short:   "List invite codes, newest first",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			page, err := st.Invites(cmd.Context(), a.operator(), cursor, limit)
			if err != nil {
				return err
			}
			return printPage(a, page, (*printer).invites, "--after")
		},
	}
	cmd.Flags().IntVar(&limit, "limit", store.DefaultLimit, "how many (1-1000)")
	cmd.Flags().StringVar(&cursor, "after", "", "continue after this invite id (newest first)")
	return cmd
}

func (p *printer) invites(invs []store.Invite) error {
	if p.format == formatJSON {
		return p.JSON(invs)
	}
	headers := []string{"CODE", "CREATED", "BY", "USES", "STATE"}
	rows := make([][]string, 0, len(invs))
	for _, inv := range invs {
		rows = append(rows, []string{store.Printable(inv.Code), p.ago(inv.CreatedAt.Time), store.Printable(inv.CreatedBy),
			strconv.Itoa(inv.Uses) + "/" + strconv.Itoa(inv.MaxUses), inviteTerms(inv)})
	}
	p.fit(headers, rows)
	return p.Table(headers, rows)
}

func newInviteRevokeCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke CODE",
		Short: "Revoke an invite code: it admits nobody from now on",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			if err := st.RevokeInvite(cmd.Context(), a.operator(), args[0]); err != nil {
				return err
			}
			return a.done(map[string]string{"revoked": args[0]}, "revoked invite %s", args[0])
		},
	}
}
