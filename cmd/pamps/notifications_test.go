package main

import (
	"bufio"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pamps/pamps/store/storetest"
)

// TestNotificationsCommand: pamps notifications NAME lists what the store
// wrote for NAME (plain, JSON, grouped, filtered) and marks it read.
func TestNotificationsCommand(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		for _, n := range []string{"ann", "bob", "cat"} {
			c.addUser(n)
		}
		c.ok("post", "create", "--as", "ann", "hello")
		c.ok("like", "--as", "bob", "1")
		c.ok("like", "--as", "cat", "1")
		c.ok("follow", "--as", "bob", "ann")
		c.ok("post", "reply", "1", "--as", "cat", "hi @ann and @bob")

		out := c.ok("notifications", "ann")
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 4 || !strings.Contains(lines[0], "unread\treply\tcat\t") || !strings.Contains(lines[3], "\tlike\tbob\t") {
			t.Fatalf("ann's notifications:\n%s", out)
		}
		if out := c.ok("notifications", "bob", "--types", "mention"); !strings.Contains(out, "\tmention\tcat\t") {
			t.Fatalf("bob's mentions: %q", out)
		}
		grouped := c.ok("notifications", "ann", "--grouped", "--mark-read")
		if !strings.Contains(grouped, "cat and bob liked your post: hello") || !strings.Contains(grouped, "bob followed you") {
			t.Fatalf("grouped:\n%s", grouped)
		}
		if out := c.ok("notifications", "ann", "--unread"); out != "" {
			t.Fatalf("unread after --mark-read: %q", out)
		}
		j := decode[[]map[string]any](t, c.ok("notifications", "ann", "-o", "json", "--limit", "1"))
		if len(j) != 1 || j[0]["type"] != "reply" || j[0]["read"] != true {
			t.Fatalf("json: %v", j)
		}
		c.fails(2, `--types: "poke" is not`, "notifications", "ann", "--types", "poke")
		c.fails(1, `User "nobody" not found`, "notifications", "nobody")
	})
}

// TestNotificationsFollow: -f prints each new notification as it comes,
// and ends on Ctrl-C with exit 130.
func TestNotificationsFollow(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		env := e2eEnv(t, uri)
		members(t, env, "ann", "bob")
		cmd := exec.Command(binary(t), "notifications", "ann", "-f", "-o", "json")
		cmd.Env = env
		out, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 10)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// The list comes first, empty; what is written after it is
		// followed (its start was taken before the list was read). A post
		// by ann herself is not a notification.
		select {
		case l := <-lines:
			if l != "[]" {
				t.Fatalf("the list: %q", l)
			}
		case <-time.After(30 * time.Second): // the list is one read; the bound is for a busy machine
			cmd.Process.Kill()
			t.Fatal("no list in 30 s")
		}
		cliPost(t, env, "ann", "hello")
		cliPost(t, env, "bob", "hey @ann")
		for {
			select {
			case l := <-lines:
				if !strings.Contains(l, `"event":"notification"`) || !strings.Contains(l, `"type":"mention"`) {
					t.Fatalf("followed line %s", l)
				}
				cmd.Process.Signal(syscall.SIGINT)
				if err := cmd.Wait(); err == nil || err.(*exec.ExitError).ExitCode() != 130 {
					t.Fatalf("after Ctrl-C: %v, want exit 130", err)
				}
				return
			case <-time.After(30 * time.Second): // on PostgreSQL an event waits for every older transaction of the shared test cluster
				cmd.Process.Kill()
				t.Fatal("no notification in 30 s")
			}
		}
	})
}

// TestSearchCommand: pamps search finds posts and users as the API does,
// as --as NAME sees them, and refuses an empty or overlong TEXT.
func TestSearchCommand(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		for _, n := range []string{"ann", "bob", "cat"} {
			c.addUser(n)
		}
		c.ok("post", "create", "--as", "ann", "good morning, coffee")
		c.ok("post", "create", "--as", "bob", "morning tea")
		c.ok("post", "create", "--as", "cat", "cat's morning")
		out := c.ok("search", "morning -tea") // one argument: -tea alone would be a flag
		if !strings.Contains(out, "good morning, coffee") || !strings.Contains(out, "cat's morning") || strings.Contains(out, "tea") {
			t.Fatalf("search morning -tea:\n%s", out)
		}
		if out := c.ok("search", "morning", "--from", "bob"); !strings.Contains(out, "morning tea") || strings.Contains(out, "coffee") {
			t.Fatalf("--from bob:\n%s", out)
		}
		c.ok("block", "ann", "cat")
		if out := c.ok("search", "morning", "--as", "ann"); strings.Contains(out, "cat's") {
			t.Fatalf("--as ann finds whom she blocked:\n%s", out)
		}
		if out := c.ok("search", "b", "--users"); !strings.Contains(out, "\tbob\t") {
			t.Fatalf("--users:\n%s", out)
		}
		c.fails(2, "TEXT must hold 1 to 200 characters", "search", strings.Repeat("x", 201))
		c.fails(2, "does not go with --users", "search", "x", "--users", "--from", "ann")
	})
}
