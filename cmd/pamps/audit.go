package main

import (
	"slices"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

// auditPoll is how often `pamps audit -f` looks for new entries: the log
// has no live event of its own, and a second is soon enough to watch it.
const auditPoll = time.Second

func newAuditCmd(a *App) *cobra.Command {
	var limit int
	var cursor string
	var follow bool
	cmd := &cobra.Command{
		Use:   "audit [--limit N] [-f]",
		Short: "The audit log: every moderation action, who took it and why, newest first",
		Long: `The audit log: one row per moderation action from any front end (the API,
SSH, the TUI, this CLI), newest first. Nothing deletes it but ` + "`pamps db reset`" + `.
With -f it prints the last entries oldest first, then each new one as it comes.`,
		Example: "  pamps audit --limit 20\n  pamps audit -f\n  pamps audit -o json | jq '.[] | select(.action==\"suspend\")'",
		GroupID: groupModeration,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			ctx := cmd.Context()
			st, err := a.Store(ctx)
			if err != nil {
				return err
			}
			page, err := st.AuditLog(ctx, a.operator(), cursor, limit)
			if err != nil {
				return err
			}
			if !follow {
				return printPage(a, page, (*printer).audit, "--after")
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			entries := slices.Clone(page.Items)
			slices.Reverse(entries)
			var last int64
			tick := time.NewTicker(auditPoll)
			defer tick.Stop()
			for {
				if len(entries) > 0 {
					if err := p.audit(entries); err != nil {
						return err
					}
					last = entries[len(entries)-1].ID
				} else if last == 0 && len(page.Items) == 0 {
					last = -1 // an empty log: everything from now on
				}
				select {
				case <-ctx.Done():
					return nil
				case <-tick.C:
				}
				if entries, err = st.AuditAfter(ctx, max(last, 0), store.MaxLimit); err != nil {
					return err
				}
			}
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 20, "how many entries (1-1000)")
	cmd.Flags().StringVar(&cursor, "after", "", "continue after this entry id (newest first)")
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "keep printing new entries as they come (Ctrl-C ends)")
	return cmd
}

// audit prints audit log entries.
func (p *printer) audit(es []store.AuditEntry) error {
	if p.format == formatJSON {
		return p.JSON(es)
	}
	headers := []string{"ID", "WHEN", "WHO", "ACTION", "TARGET", "REASON"}
	rows := make([][]string, 0, len(es))
	for _, e := range es {
		when := e.Date.Format("2006-01-02 15:04:05")
		if p.format == formatTable {
			when = p.ago(e.Date.Time)
		}
		rows = append(rows, []string{itoa(e.ID), when, store.Printable(e.Actor), store.Printable(e.Action), store.Printable(e.Target), store.Printable(e.Reason)})
	}
	p.fit(headers, rows)
	return p.Table(headers, rows)
}
