package main

import (
	"maps"

	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

func newPostShowCmd(a *App) *cobra.Command {
	var follow bool
	var as string
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show a post and its whole reply tree (a reply: its parent above it)",
		Example: `  pamps post show 42
  pamps post show 42 -o json    # the API's PostDetail: the post and its direct replies
  pamps post show 42 -f         # then its new replies, edits and deletions, until Ctrl-C`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("post id", args[0])
			if err != nil {
				return err
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			from, err := a.followFrom(cmd.Context(), follow)
			if err != nil {
				return err
			}
			me, err := a.viewer(cmd.Context(), st, as)
			if err != nil {
				return err
			}
			var (
				rows   []store.ThreadPost
				detail store.PostDetail
			)
			if p.format == formatJSON {
				detail, err = st.PostDetail(cmd.Context(), id, me)
			} else {
				rows, err = st.Thread(cmd.Context(), id, me)
			}
			if err != nil {
				return postNotFound(err, id)
			}
			// A reply shows what it answers above it.
			var parent *store.Post
			if len(rows) > 0 && rows[0].ParentID != nil {
				if pp, err := st.GetPost(cmd.Context(), *rows[0].ParentID, me); err == nil {
					parent = &pp
				}
			}
			if err := p.thread(rows, detail, parent); err != nil || !follow {
				return err
			}
			return a.follow(cmd.Context(), p, from, threadSpec(id, me, rows, detail))
		},
	}
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "then print the thread's new replies, edits and deletions, until Ctrl-C")
	asViewer(cmd, &as)
	return cmd
}

// threadSpec follows a thread as viewer sees it: its posts, and replies to
// any of them.
func threadSpec(root, viewer int64, rows []store.ThreadPost, detail store.PostDetail) followSpec {
	in := map[int64]bool{root: true}
	for _, r := range rows {
		in[r.ID] = true
	}
	for _, r := range detail.Replies {
		in[r.ID] = true
	}
	listed := maps.Clone(in)
	return followSpec{stream: store.Stream{Kind: store.StreamPublic, Replies: true, Viewer: viewer}, listed: listed, keep: func(e store.Event) bool {
		if e.Kind == store.EventPost && e.ParentID != nil && in[*e.ParentID] {
			in[e.PostID] = true
		}
		return in[e.PostID]
	}}
}
