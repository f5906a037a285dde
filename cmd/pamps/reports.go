package main

import (
	"fmt"

	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

// `pamps report list|show|resolve`: the moderators' queue, from the
// terminal, as the operator.

func newReportCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "report",
		Short:   "The reports members filed: list, show and resolve them",
		GroupID: groupModeration,
	}
	cmd.AddCommand(newReportListCmd(a), newReportShowCmd(a), newReportResolveCmd(a))
	return cmd
}

func newReportListCmd(a *App) *cobra.Command {
	var state, cursor string
	var limit int
	cmd := &cobra.Command{
		Use:     "list [--state open|resolved|all]",
		Aliases: []string{"ls"},
		Short:   "List reports, newest first (open ones unless --state says otherwise)",
		Example: "  pamps report list\n  pamps report list --state resolved -o json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			if _, err := store.ParseReportState(state); err != nil {
				return usage("invalid --state %q: use open, resolved or all", state)
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			page, err := st.Reports(cmd.Context(), a.operator(), state, cursor, limit)
			if err != nil {
				return err
			}
			return printPage(a, page, (*printer).reports, "--after")
		},
	}
	cmd.Flags().StringVar(&state, "state", "open", "open, resolved or all")
	cmd.Flags().IntVar(&limit, "limit", store.DefaultLimit, "how many reports (1-1000)")
	cmd.Flags().StringVar(&cursor, "after", "", "continue after this report id (newest first)")
	return cmd
}

func newReportShowCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "show ID",
		Short:   "Show a report, with the reported post as it was",
		Example: "  pamps report show 12",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("report id", args[0])
			if err != nil {
				return err
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			r, err := st.ReportByID(cmd.Context(), a.operator(), id)
			if err != nil {
				return err
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			return p.report(r)
		},
	}
}

func newReportResolveCmd(a *App) *cobra.Command {
	var action, note string
	cmd := &cobra.Command{
		Use:   "resolve ID --action none|delete_post|suspend [--note TEXT]",
		Short: "Resolve a report: do nothing, delete the reported post, or suspend the account",
		Example: `  pamps report resolve 12 --action delete_post --note "spam link"
  pamps report resolve 13 --action suspend --note "third time"`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("report id", args[0])
			if err != nil {
				return err
			}
			switch action {
			case store.ResolveNone, store.ResolveDeletePost, store.ResolveSuspend:
			default:
				return usage("invalid --action %q: use none, delete_post or suspend", action)
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			r, err := st.ResolveReport(cmd.Context(), a.operator(), id, action, note)
			if err != nil {
				return err
			}
			return a.done(r, "resolved report %d (%s)", r.ID, action)
		},
	}
	cmd.Flags().StringVar(&action, "action", "", "none, delete_post or suspend (required)")
	cmd.Flags().StringVar(&note, "note", "", "why (kept on the report and in the audit log)")
	_ = cmd.MarkFlagRequired("action")
	return cmd
}

// reports prints a list of reports.
func (p *printer) reports(rs []store.Report) error {
	if p.format == formatJSON {
		return p.JSON(rs)
	}
	headers := []string{"ID", "WHEN", "STATE", "REASON", "REPORTED", "BY", "POST", "COMMENT"}
	rows := make([][]string, 0, len(rs))
	for _, r := range rs {
		state := r.State
		if r.Action != nil {
			state += ": " + *r.Action
		}
		rows = append(rows, []string{itoa(r.ID), p.ago(r.Date.Time), state, r.Reason, store.Printable(r.Username),
			store.Printable(r.Reporter), reportedPost(r), store.Printable(r.Comment)})
	}
	p.fit(headers, rows)
	return p.Table(headers, rows)
}

// reportedPost is a report's post: its text, and whether it is gone.
func reportedPost(r store.Report) string {
	switch {
	case r.PostText == nil:
		return "(the account)"
	case r.PostID == nil:
		return "(deleted) " + store.Printable(*r.PostText)
	}
	return fmt.Sprintf("#%d %s", *r.PostID, store.Printable(*r.PostText))
}

// report prints one report, field by field.
func (p *printer) report(r store.Report) error {
	if p.format == formatJSON {
		return p.JSON(r)
	}
	fields := [][2]string{{"id", itoa(r.ID)}, {"date", r.Date.String()}, {"state", r.State}, {"reason", r.Reason},
		{"reported", r.Username}, {"by", r.Reporter}, {"post", reportedPost(r)}, {"comment", r.Comment}}
	if r.Action != nil {
		fields = append(fields, [2]string{"action", *r.Action}, [2]string{"note", str(r.Note)},
			[2]string{"resolved by", str(r.ResolvedBy)}, [2]string{"resolved", r.ResolvedAt.String()})
	}
	return p.fields(fields)
}
