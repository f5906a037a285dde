package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// The CLI's part of the surface table (docs/API.md §3c; the API's is
// server/hiding_test.go): every command that reads as a member shows none
// of whom that member hides. The commands come from the command tree —
// those with the --as flag of asViewer — plus those that read as their NAME
// argument; one the table cannot fill fails it.

// cliViews fill each viewing command for who is looking; people marks the
// lists of users (a mute hides posts, not people).
var cliViews = map[string]struct {
	args   func(who string, c cliCast) []string
	people bool
}{
	"post list":      {args: func(who string, _ cliCast) []string { return []string{"post", "list", "--replies", "--as", who} }},
	"post show":      {args: func(who string, c cliCast) []string { return []string{"post", "show", c.root, "--as", who} }},
	"likes":          {args: func(who string, _ cliCast) []string { return []string{"likes", who, "--as", who} }},
	"search":         {args: func(who string, _ cliCast) []string { return []string{"search", "writes", "--as", who} }},
	"user list":      {args: func(who string, _ cliCast) []string { return []string{"user", "list", "--as", who} }, people: true},
	"user-list":      {args: func(who string, _ cliCast) []string { return []string{"user-list", "--as", who} }, people: true},
	"user followers": {args: func(who string, _ cliCast) []string { return []string{"user", "followers", "eve", "--as", who} }, people: true},
	"user following": {args: func(who string, _ cliCast) []string { return []string{"user", "following", "eve", "--as", who} }, people: true},
	// Reading as their NAME argument:
	"timeline":      {args: func(who string, _ cliCast) []string { return []string{"timeline", who, "--replies"} }},
	"notifications": {args: func(who string, _ cliCast) []string { return []string{"notifications", who} }},
}

type cliCast struct{ root string }

func TestEveryCLIViewHidesWhatTheViewerHides(t *testing.T) {
	// The commands that take --as to read as a member, from the tree.
	var found []string
	var walk func(cmd *cobra.Command, path string)
	walk = func(cmd *cobra.Command, path string) {
		if f := cmd.Flags().Lookup("as"); f != nil && strings.HasPrefix(f.Usage, "show what this member sees") {
			found = append(found, path)
		}
		for _, sub := range cmd.Commands() {
			walk(sub, strings.TrimSpace(path+" "+sub.Name()))
		}
	}
	walk(newRootCmd(NewApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}, nil)), "")
	if len(found) < 6 {
		t.Fatalf("only %d viewing commands found: %v", len(found), found)
	}
	for _, path := range found {
		if _, ok := cliViews[path]; !ok {
			t.Errorf("pamps %s reads as a member (--as) but the table does not fill it: teach it (surface_test.go)", path)
		}
	}
	each(t, func(t *testing.T, c *cli) {
		names := []string{"ann", "bob", "cat", "dan", "eve"}
		for _, n := range names {
			c.addUser(n)
		}
		c.ok("post", "create", "--as", "eve", "eve's root")
		cast := cliCast{root: "1"}
		for _, n := range names[:4] {
			c.ok("post", "create", "--as", n, n+" writes")
			c.ok("post", "reply", cast.root, "--as", n, n+" replies to eve")
		}
		for _, n := range names {
			for _, m := range names {
				if n != m {
					c.ok("follow", "--as", n, m)
				}
			}
			c.ok("like", "--as", n, cast.root)
		}
		for i := 2; i <= 9; i += 2 { // everyone's top-level post: eve likes them, and each viewer their hidden one's
			c.ok("like", "--as", "eve", fmt.Sprint(i))
		}
		c.ok("like", "--as", "ann", "4") // bob's post
		c.ok("like", "--as", "cat", "8") // dan's post
		c.ok("block", "ann", "bob")
		c.ok("mute", "cat", "dan")
		for _, path := range slices.Sorted(func(yield func(string) bool) {
			for k := range cliViews {
				if !yield(k) {
					return
				}
			}
		}) {
			view := cliViews[path]
			exercised := false
			for _, pair := range []struct {
				viewer, hidden string
				people         bool
			}{{"ann", "bob", true}, {"bob", "ann", true}, {"cat", "dan", false}} {
				if view.people && !pair.people {
					continue // a mute hides posts, not people
				}
				if shows(c.ok(append(view.args("eve", cast), "-o", "json")...), pair.hidden) {
					exercised = true
				}
				if out := c.ok(append(view.args(pair.viewer, cast), "-o", "json")...); shows(out, pair.hidden) {
					t.Errorf("pamps %s as %s shows %s:\n%s", path, pair.viewer, pair.hidden, out)
				}
			}
			if !exercised {
				t.Errorf("pamps %s never showed a hidden member to the bystander: the table does not exercise it", path)
			}
		}
		// A suspension (docs/API.md §3d) hides dan from every view of eve's
		// that showed him; the operator's own view (no --as) still does.
		views := slices.Sorted(func(yield func(string) bool) {
			for k := range cliViews {
				if !yield(k) {
					return
				}
			}
		})
		before := map[string]bool{}
		for _, path := range views {
			before[path] = shows(c.ok(append(cliViews[path].args("eve", cast), "-o", "json")...), "dan")
			if !before[path] {
				t.Errorf("pamps %s as eve never showed dan: the table does not exercise the suspension", path)
			}
		}
		c.ok("user", "suspend", "dan", "--reason", "spam")
		for _, path := range views {
			if out := c.ok(append(cliViews[path].args("eve", cast), "-o", "json")...); shows(out, "dan") {
				t.Errorf("pamps %s as eve shows suspended dan:\n%s", path, out)
			}
		}
		if out := c.ok("post", "list", "--replies", "-o", "json"); !shows(out, "dan") {
			t.Errorf("the operator's post list hides suspended dan:\n%s", out)
		}
	})
}

// shows says whether JSON output names user as a post's author or a user.
func shows(out, user string) bool {
	return strings.Contains(out, `"username": "`+user+`"`) || strings.Contains(out, `"username":"`+user+`"`)
}
