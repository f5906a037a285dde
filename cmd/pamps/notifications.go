package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/pamps/pamps/store"
)

// newNotificationsCmd is `pamps notifications NAME`: NAME's notifications
// as the API lists them (docs/API.md §3c), the operator reading for NAME.
func newNotificationsCmd(a *App) *cobra.Command {
	var cursor, types string
	var limit int
	var unread, grouped, markRead, follow bool
	cmd := &cobra.Command{
		Use:     "notifications NAME",
		Short:   "List NAME's notifications (replies, mentions, likes, follows), newest first",
		GroupID: groupSocial,
		Example: `  pamps notifications ann
  pamps notifications ann --unread --types reply,mention
  pamps notifications ann --grouped       # "bob, cat and 3 others liked your post"
  pamps notifications ann -f              # then new ones as they come, until Ctrl-C`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			var f store.NotificationFilter
			if types != "" {
				t, err := store.ParseNotificationTypes(types)
				if err != nil {
					return usage("--types: %q is not a comma-separated list of %s", types, typeList())
				}
				f.Types = t
			}
			f.Unread = unread
			if grouped && follow {
				return usage("--grouped and -f do not go together: groups change as notifications arrive")
			}
			ctx := cmd.Context()
			st, u, err := a.storeAndUser(ctx, args[0])
			if err != nil {
				return err
			}
			from, err := a.followFrom(ctx, follow)
			if err != nil {
				return err
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			var newest int64
			if grouped {
				page, err := st.NotificationGroups(ctx, u.ID, f, cursor, limit)
				if err != nil {
					return err
				}
				if len(page.Items) > 0 {
					newest = page.Items[0].Newest
				}
				if err := p.groups(page.Items); err != nil {
					return err
				}
				a.more(p, "--cursor", page.Next)
			} else {
				page, err := st.Notifications(ctx, u.ID, f, cursor, limit)
				if err != nil {
					return err
				}
				if len(page.Items) > 0 {
					newest = page.Items[0].ID
				}
				if err := p.notifications(page.Items); err != nil {
					return err
				}
				if !follow {
					a.more(p, "--cursor", page.Next)
				}
			}
			if markRead && newest > 0 {
				if err := st.MarkNotificationsRead(ctx, u.ID, newest); err != nil {
					return err
				}
			}
			if !follow {
				return nil
			}
			return a.follow(ctx, p, from, followSpec{stream: store.Stream{Kind: store.StreamHome, UserID: u.ID},
				keep: func(e store.Event) bool { return e.Kind == store.EventNotification || e.Kind == store.EventReset }})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", store.DefaultLimit, "how many (1-1000)")
	cmd.Flags().StringVar(&cursor, "cursor", "", "continue from a previous page's cursor")
	cmd.Flags().StringVar(&types, "types", "", "only these types, comma-separated: "+typeList())
	cmd.Flags().BoolVar(&unread, "unread", false, "only the unread ones")
	cmd.Flags().BoolVar(&grouped, "grouped", false, "group the likes of a post, and the follows")
	cmd.Flags().BoolVar(&markRead, "mark-read", false, "then mark what was listed, and everything older, read")
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "keep printing new notifications until Ctrl-C")
	return cmd
}

func typeList() string {
	var out []string
	for _, t := range store.NotificationTypes() {
		out = append(out, string(t))
	}
	return strings.Join(out, ", ")
}

// notifications prints a list of notifications; an unread one is marked.
func (p *printer) notifications(ns []store.Notification) error {
	if p.format == formatJSON {
		return p.JSON(ns)
	}
	headers := []string{"ID", "READ", "TYPE", "FROM", "WHEN", "POST", "TEXT"}
	rows := make([][]string, 0, len(ns))
	for _, n := range ns {
		rows = append(rows, p.notificationRow(n))
	}
	p.fit(headers, rows)
	return p.Table(headers, rows)
}

func (p *printer) notificationRow(n store.Notification) []string {
	read, name, typ := "read", store.Printable(n.Actor.Username), string(n.Type)
	post, text := "-", ""
	if n.Post != nil {
		post, text = itoa(n.Post.ID), store.Printable(n.Post.Text)
	}
	if !n.Read {
		read = "unread"
	}
	if p.format == formatTable {
		name = p.st.name.Render(name)
		read = map[bool]string{true: "", false: p.st.accent.Render("●")}[n.Read]
		if n.Post == nil {
			post = ""
		}
	}
	return []string{itoa(n.ID), read, typ, name, p.ago(n.Date.Time), post, text}
}

// groups prints grouped notifications as sentences.
func (p *printer) groups(gs []store.NotificationGroup) error {
	if p.format == formatJSON {
		return p.JSON(gs)
	}
	headers := []string{"KEY", "READ", "COUNT", "WHEN", "WHAT"}
	rows := make([][]string, 0, len(gs))
	for _, g := range gs {
		read := map[bool]string{true: "read", false: "unread"}[g.Read]
		if p.format == formatTable {
			read = map[bool]string{true: "", false: p.st.accent.Render("●")}[g.Read]
		}
		rows = append(rows, []string{g.Key, read, itoa(g.Count), p.ago(g.Date.Time), store.Printable(g.Sentence())})
	}
	p.fit(headers, rows)
	return p.Table(headers, rows)
}
