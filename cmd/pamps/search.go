package main

import (
	"errors"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pamps/pamps/store"
)

// newSearchCmd is `pamps search TEXT`: the posts (or, with --users, the
// users) the API's search finds (docs/API.md §3c), as --as NAME sees them.
func newSearchCmd(a *App) *cobra.Command {
	var from, as, cursor string
	var users bool
	var limit int
	cmd := &cobra.Command{
		Use:     "search TEXT",
		Short:   "Search posts (newest first) or, with --users, users by name and bio",
		GroupID: groupSocial,
		Example: `  pamps search coffee
  pamps search '"good morning" -tea' --from ann
  pamps search ann --users
  pamps search coffee --as bob      # what bob finds: not whom bob blocked or muted`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			q := strings.Join(args, " ")
			if _, err := store.ParseSearch(q); err != nil {
				var ve *store.ValidationError
				if errors.As(err, &ve) && len(ve.Fields) > 0 {
					return usage("TEXT %s", ve.Fields[0].Reason)
				}
				return err
			}
			if users && from != "" {
				return usage("--from narrows posts: it does not go with --users")
			}
			ctx := cmd.Context()
			st, err := a.Store(ctx)
			if err != nil {
				return err
			}
			me, err := a.viewer(ctx, st, as)
			if err != nil {
				return err
			}
			if users {
				page, err := st.SearchUsers(ctx, q, me, cursor, limit)
				if err != nil {
					return err
				}
				return a.printUsers(page, "--cursor")
			}
			page, err := st.SearchPosts(ctx, store.PostSearch{Query: q, From: from, Viewer: me, Cursor: cursor, Limit: limit})
			if err != nil {
				return err
			}
			return a.printPosts(page, "--cursor")
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "only this user's posts")
	cmd.Flags().BoolVar(&users, "users", false, "search users: names starting with TEXT, then bios holding its words")
	cmd.Flags().IntVar(&limit, "limit", store.DefaultLimit, "how many (1-1000)")
	cmd.Flags().StringVar(&cursor, "cursor", "", "continue from a previous page's cursor")
	asViewer(cmd, &as)
	return cmd
}
