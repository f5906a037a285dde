package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

func newPostCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "post",
		Short:   "List, show, write, reply to, edit and delete posts",
		GroupID: groupPosts,
	}
	cmd.AddCommand(newPostListCmd(a), newPostShowCmd(a), newPostCreateCmd(a), newPostReplyCmd(a),
		newPostEditCmd(a), newPostDeleteCmd(a))
	return cmd
}

// parseID reads a positive id argument.
func parseID(what, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, usage("invalid %s %q: expected a positive whole number", what, s)
	}
	return id, nil
}

func newPostListCmd(a *App) *cobra.Command {
	var (
		opts          store.PostList
		before, after int64
		follow        bool
		as            string
	)
	cmd := &cobra.Command{
		Use:     "list [--user NAME] [--replies] [--limit N] [--before ID | --after ID]",
		Aliases: []string{"ls"},
		Short:   "List posts, newest first (--after lists forward from an id, oldest first)",
		Example: `  pamps post list
  pamps post list --user ann --replies
  pamps post list --before 1200 --limit 20
  pamps post list -o json | jq '.[0]'
  pamps post list -f               # then new posts as they come, until Ctrl-C`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if before < 0 || after < 0 {
				return usage("--before and --after take a post id")
			}
			if cmd.Flags().Changed("before") && cmd.Flags().Changed("after") {
				return usage("--before and --after go one at a time: --before N lists the posts older than N, newest first; --after N those newer, oldest first")
			}
			opts.Newest = after == 0
			switch {
			case before > 0:
				opts.Cursor = itoa(before)
			case after > 0:
				opts.Cursor = itoa(after)
			}
			if err := checkLimit(opts.Limit); err != nil {
				return err
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			if opts.Viewer, err = a.viewer(cmd.Context(), st, as); err != nil {
				return err
			}
			spec := followSpec{stream: store.Stream{Kind: store.StreamPublic, Replies: opts.Replies, Viewer: opts.Viewer}}
			if opts.Author != "" { // the API lists no posts for an unknown user; an operator is told
				u, err := st.UserSeenBy(cmd.Context(), opts.Author, opts.Viewer)
				if err != nil {
					return userNotFound(err, opts.Author)
				}
				spec.stream = store.Stream{Kind: store.StreamUser, UserID: u.ID, Replies: opts.Replies, Viewer: opts.Viewer}
			}
			from, err := a.followFrom(cmd.Context(), follow)
			if err != nil {
				return err
			}
			page, err := st.ListPosts(cmd.Context(), opts)
			if err != nil {
				return err
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			if follow {
				if err := followStart(p, page.Items); err != nil {
					return err
				}
				spec.listed = listedIDs(page.Items)
				return a.follow(cmd.Context(), p, from, spec)
			}
			if err := p.posts(page.Items); err != nil {
				return err
			}
			flag := "--before"
			if after > 0 {
				flag = "--after"
			}
			a.more(p, flag, page.Next)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Author, "user", "", "only this user's posts")
	f.BoolVar(&opts.Replies, "replies", false, "include replies")
	f.IntVar(&opts.Limit, "limit", store.DefaultLimit, "how many posts (1-1000)")
	f.Int64Var(&before, "before", 0, "posts older than this id, newest first")
	f.Int64Var(&after, "after", 0, "posts newer than this id, oldest first")
	f.BoolVarP(&follow, "follow", "f", false, "then print new posts as they come, until Ctrl-C (-o json: one JSON event per line)")
	asViewer(cmd, &as)
	return cmd
}

// maxPostInput bounds what a post read from standard input may be: far
// more than any post's length, and the memory it takes.
const maxPostInput = 1 << 20

// postText reads TEXT, or standard input when TEXT is "-".
func (a *App) postText(arg string) (string, error) {
	if arg != "-" {
		return arg, nil
	}
	b, err := io.ReadAll(io.LimitReader(a.lineReader(), maxPostInput+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxPostInput {
		// The store would say the length of what was read, not of the input.
		return "", fail("the post on standard input is longer than %d bytes; posts.max_length bounds a post", maxPostInput)
	}
	return string(b), nil
}

func newPostCreateCmd(a *App) *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:     "create --as NAME TEXT",
		Aliases: []string{"new", "add"},
		Short:   "Write a post as NAME (TEXT - reads standard input)",
		Example: `  pamps post create --as ann "hello, world"
  fortune | pamps post create --as ann -`,
		Args: asArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.writePost(cmd.Context(), as, args[0], nil)
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "author's username (required)")
	_ = cmd.MarkFlagRequired("as")
	return cmd
}

func newPostReplyCmd(a *App) *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:     "reply ID --as NAME TEXT",
		Short:   "Reply to post ID as NAME (TEXT - reads standard input)",
		Example: `  pamps post reply 42 --as bob "welcome!"`,
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			parent, err := parseID("post id", args[0])
			if err != nil {
				return err
			}
			return a.writePost(cmd.Context(), as, args[1], &parent)
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "author's username (required)")
	_ = cmd.MarkFlagRequired("as")
	return cmd
}

func (a *App) writePost(ctx context.Context, as, textArg string, parent *int64) error {
	text, err := a.postText(textArg)
	if err != nil {
		return err
	}
	st, u, err := a.storeAndUser(ctx, as)
	if err != nil {
		return err
	}
	post, err := st.CreatePost(ctx, u.ID, text, parent)
	if err != nil && parent != nil {
		return postNotFound(err, *parent)
	}
	if err != nil {
		return err
	}
	return a.done(post, "created post %d", post.ID)
}

func newPostEditCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "edit ID TEXT",
		Short:   "Replace a post's text (TEXT - reads standard input)",
		Example: `  pamps post edit 42 "hello, world (fixed)"`,
		Args:    exactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := parseID("post id", args[0])
			if err != nil {
				return err
			}
			text, err := a.postText(args[1])
			if err != nil {
				return err
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			post, err := st.UpdatePost(cmd.Context(), a.operator(), id, text)
			if err != nil {
				return postNotFound(err, id)
			}
			return a.done(post, "updated post %d", post.ID)
		},
	}
}

func newPostDeleteCmd(a *App) *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:     "delete ID",
		Aliases: []string{"rm"},
		Short:   "Delete a post with its whole reply tree and their likes",
		Example: `  pamps post delete 42
  pamps post delete 42 --force`,
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
			post, err := st.GetPost(cmd.Context(), id, store.OperatorView)
			if err != nil {
				return postNotFound(err, id)
			}
			if !force {
				q := fmt.Sprintf("Delete post %d by %s", id, post.Username)
				if post.ReplyCount > 0 {
					q += fmt.Sprintf(" and its replies (%d direct)", post.ReplyCount)
				}
				if err := a.confirm(cmd.Context(), q+"?"); err != nil {
					return err
				}
			}
			if err := st.DeletePost(cmd.Context(), a.operator(), id); err != nil {
				return err
			}
			err = a.say("deleted post %d", id)
			return err
		},
	}
	cmd.Flags().BoolVarP(&force, "force", "f", false, "do not ask for confirmation")
	return cmd
}
