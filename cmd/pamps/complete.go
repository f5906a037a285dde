package main

import (
	"slices"
	"strings"

	"github.com/pamps/pamps/store"
	"github.com/spf13/cobra"
)

// completionLimit bounds the names or ids one completion offers.
const completionLimit = 50

// Which commands complete what: their first argument, by command path.
var (
	userArgCommands = []string{"pamps user show", "pamps user edit", "pamps user passwd", "pamps user logout", "pamps user delete",
		"pamps user followers", "pamps user following", "pamps token", "pamps likes", "pamps timeline", "pamps follow", "pamps unfollow"}
	postArgCommands = []string{"pamps post show", "pamps post edit", "pamps post delete", "pamps post reply", "pamps like", "pamps unlike"}
)

// addCompletions makes shell completion offer usernames, post ids and flag
// values, not only command names: every command named above, --as and
// --user wherever they are, and -o everywhere.
func addCompletions(a *App, root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"table", "plain", "json"}, cobra.ShellCompDirectiveNoFileComp))
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		path := c.CommandPath()
		switch {
		case slices.Contains(userArgCommands, path):
			c.ValidArgsFunction = firstArg(a.completeUsers)
		case slices.Contains(postArgCommands, path):
			c.ValidArgsFunction = firstArg(a.completePosts)
		}
		for _, flag := range []string{"as", "user"} {
			if c.Flags().Lookup(flag) != nil {
				_ = c.RegisterFlagCompletionFunc(flag, func(cmd *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
					return a.completeUsers(cmd, prefix)
				})
			}
		}
	}
	walk(root)
}

// firstArg completes the first argument only.
func firstArg(fn func(cmd *cobra.Command, prefix string) ([]string, cobra.ShellCompDirective)) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return fn(cmd, prefix)
	}
}

// completionStore opens the database for a completion without migrating
// it: a completion changes nothing, and offers nothing from a stale schema.
func (a *App) completionStore(cmd *cobra.Command) *store.Store {
	st, err := a.OpenStore(cmd.Context())
	if err != nil || st.CheckSchema(cmd.Context()) != nil {
		return nil
	}
	return st
}

// completeUsers offers the usernames starting with prefix.
func (a *App) completeUsers(cmd *cobra.Command, prefix string) ([]string, cobra.ShellCompDirective) {
	st := a.completionStore(cmd)
	if st == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	page, err := st.ListUsers(cmd.Context(), store.UserList{Prefix: prefix, Limit: completionLimit})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	names := make([]string, 0, len(page.Items))
	for _, u := range page.Items {
		names = append(names, u.Username)
	}
	return names, cobra.ShellCompDirectiveNoFileComp
}

// completePosts offers the newest post ids starting with prefix, each with
// the start of its text as the description.
func (a *App) completePosts(cmd *cobra.Command, prefix string) ([]string, cobra.ShellCompDirective) {
	st := a.completionStore(cmd)
	if st == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	page, err := st.ListPosts(cmd.Context(), store.PostList{Replies: true, Newest: true, Limit: store.MaxLimit})
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	for _, p := range page.Items {
		id := itoa(p.ID)
		if strings.HasPrefix(id, prefix) {
			out = append(out, id+"\t"+cut(store.Printable(p.Text), 40))
		}
		if len(out) == completionLimit {
			break
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
