package main

import (
	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

func newFollowCmd(a *App, unfollow bool) *cobra.Command {
	var as string
	use, short, example := "follow", "Make NAME follow TARGET", "  pamps follow --as ann bob"
	if unfollow {
		use, short, example = "unfollow", "Make NAME stop following TARGET", "  pamps unfollow --as ann bob"
	}
	cmd := &cobra.Command{
		Use:     use + " --as NAME TARGET",
		Short:   short,
		GroupID: groupSocial,
		Example: example,
		Args:    asArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			st, from, err := a.storeAndUser(ctx, as)
			if err != nil {
				return err
			}
			to, err := st.UserByName(ctx, args[0])
			if err != nil {
				return userNotFound(err, args[0])
			}
			if unfollow {
				if err := st.Unfollow(ctx, from.ID, to.ID); err != nil {
					return err
				}
				err = a.say("%s no longer follows %s", from.Username, to.Username)
				return err
			}
			f, created, err := st.Follow(ctx, from.ID, to.ID)
			if err != nil {
				return err
			}
			msg := "%s now follows %s"
			if !created {
				msg = "%s already follows %s"
			}
			return a.done(f, msg, from.Username, to.Username)
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the follower's username (required)")
	_ = cmd.MarkFlagRequired("as")
	return cmd
}

func newLikeCmd(a *App, unlike bool) *cobra.Command {
	var as string
	use, short := "like", "Make NAME like a post"
	if unlike {
		use, short = "unlike", "Make NAME stop liking a post"
	}
	cmd := &cobra.Command{
		Use:     use + " --as NAME POST_ID",
		Short:   short,
		GroupID: groupSocial,
		Example: "  pamps " + use + " --as ann 42",
		Args:    asArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			id, err := parseID("post id", args[0])
			if err != nil {
				return err
			}
			st, u, err := a.storeAndUser(ctx, as)
			if err != nil {
				return err
			}
			if unlike {
				removed, err := st.Unlike(ctx, u.ID, id)
				if err != nil {
					return postNotFound(err, id)
				}
				if !removed {
					return a.say("%s did not like post %d: nothing to undo", u.Username, id)
				}
				return a.say("%s no longer likes post %d", u.Username, id)
			}
			l, created, err := st.Like(ctx, u.ID, id)
			if err != nil {
				return postNotFound(err, id)
			}
			msg := "%s likes post %d"
			if !created {
				msg = "%s already likes post %d"
			}
			return a.done(l, msg, u.Username, id)
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the user's name (required)")
	_ = cmd.MarkFlagRequired("as")
	return cmd
}

func newLikesCmd(a *App) *cobra.Command {
	var cursor, as string
	var limit int
	cmd := &cobra.Command{
		Use:     "likes NAME",
		Short:   "List the posts NAME liked, most recent like first",
		GroupID: groupSocial,
		Example: "  pamps likes ann",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			me, err := a.viewer(cmd.Context(), st, as)
			if err != nil {
				return err
			}
			page, err := st.LikedPosts(cmd.Context(), u.ID, me, cursor, limit)
			if err != nil {
				return err
			}
			return a.printPosts(page, "--cursor")
		},
	}
	cmd.Flags().IntVar(&limit, "limit", store.DefaultLimit, "how many posts (1-1000)")
	cmd.Flags().StringVar(&cursor, "cursor", "", "continue from a previous page's cursor")
	asViewer(cmd, &as)
	return cmd
}

func newTimelineCmd(a *App) *cobra.Command {
	var before int64
	var limit int
	var replies, follow bool
	cmd := &cobra.Command{
		Use:     "timeline NAME",
		Short:   "Show NAME's home timeline: posts of the people NAME follows, newest first",
		GroupID: groupSocial,
		Example: `  pamps timeline ann
  pamps timeline ann --replies --limit 20
  pamps timeline ann -f         # then new posts as they come, until Ctrl-C`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLimit(limit); err != nil {
				return err
			}
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			cursor := ""
			if before > 0 {
				cursor = itoa(before)
			}
			// The home stream adds NAME's own posts, which the timeline leaves out.
			me := u.ID
			from, err := a.followFrom(cmd.Context(), follow)
			if err != nil {
				return err
			}
			page, err := st.Timeline(cmd.Context(), u.ID, replies, cursor, limit)
			if err != nil {
				return err
			}
			if !follow {
				return a.printPosts(page, "--before")
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			if err := followStart(p, page.Items); err != nil {
				return err
			}
			return a.follow(cmd.Context(), p, from, followSpec{
				stream: store.Stream{Kind: store.StreamHome, UserID: me, Replies: replies},
				keep:   func(e store.Event) bool { return e.AuthorID != me },
				listed: listedIDs(page.Items),
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", store.DefaultLimit, "how many posts (1-1000)")
	cmd.Flags().Int64Var(&before, "before", 0, "posts older than this id")
	cmd.Flags().BoolVar(&replies, "replies", false, "include replies")
	cmd.Flags().BoolVarP(&follow, "follow", "f", false, "then print new posts as they come, until Ctrl-C (-o json: one JSON event per line)")
	return cmd
}

func (a *App) printPosts(page store.Page[store.Post], nextFlag string) error {
	return printPage(a, page, (*printer).posts, nextFlag)
}

func (a *App) printUsers(page store.Page[store.User], nextFlag string) error {
	return printPage(a, page, (*printer).users, nextFlag)
}

// printPage prints one page of a list, then how to get the next one.
func printPage[T any](a *App, page store.Page[T], print func(*printer, []T) error, nextFlag string) error {
	p, err := a.printer()
	if err != nil {
		return err
	}
	if err := print(p, page.Items); err != nil {
		return err
	}
	a.more(p, nextFlag, page.Next)
	return nil
}
