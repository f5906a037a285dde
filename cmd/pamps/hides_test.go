package main

import (
	"strings"
	"testing"
)

// TestBlockAndMuteCommands: pamps block/unblock/mute/unmute act for NAME
// with the store's rules, the --as views leave out whom NAME hides, and
// user show names them.
func TestBlockAndMuteCommands(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		for _, n := range []string{"ann", "bob", "cat"} {
			c.addUser(n)
		}
		c.ok("post", "create", "--as", "bob", "bob writes")
		c.ok("post", "create", "--as", "cat", "cat writes")
		c.ok("post", "reply", "2", "--as", "bob", "bob answers cat")
		c.ok("follow", "--as", "ann", "bob")
		if out := c.ok("block", "ann", "bob"); out != "ann now blocks bob\n" {
			t.Fatalf("block: %q", out)
		}
		if out := c.ok("block", "ann", "bob"); out != "ann already blocks bob\n" {
			t.Fatalf("block again: %q", out)
		}
		c.fails(1, "You cannot block yourself", "block", "ann", "ann")
		c.fails(1, `User "nobody" not found`, "block", "ann", "nobody")
		c.fails(1, "not found", "follow", "--as", "bob", "ann")
		c.ok("mute", "ann", "cat", "--keep-notifications")

		if out := c.ok("post", "list", "--as", "ann", "--replies"); strings.Contains(out, "bob") || strings.Contains(out, "cat") {
			t.Fatalf("post list --as ann: %q", out)
		}
		if out := c.ok("post", "list", "--as", "bob"); !strings.Contains(out, "cat writes") {
			t.Fatalf("post list --as bob: %q", out)
		}
		if out := c.ok("post", "show", "2", "--as", "cat"); !strings.Contains(out, "bob answers cat") {
			t.Fatalf("post show --as cat: %q", out)
		}
		if out := c.ok("user", "list", "--as", "bob"); strings.Contains(out, "ann") {
			t.Fatalf("user list --as bob: %q", out)
		}
		show := c.ok("user", "show", "ann")
		if !strings.Contains(show, "blocks\tbob") || !strings.Contains(show, "mutes\tcat") {
			t.Fatalf("user show: %q", show)
		}
		if j := decode[map[string]any](t, c.ok("mute", "ann", "cat", "-o", "json")); j["notifications"] != true {
			t.Fatalf("mute again without --keep-notifications: %v", j)
		}
		c.ok("unblock", "ann", "bob")
		c.ok("unmute", "ann", "cat")
		if out := c.ok("post", "list", "--as", "ann"); !strings.Contains(out, "bob writes") || !strings.Contains(out, "cat writes") {
			t.Fatalf("post list --as ann after: %q", out)
		}
	})
}
