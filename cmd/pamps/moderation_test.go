package main

import (
	"context"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
)

var ctx = context.Background()

// TestModerationCommands: a moderator's day from the terminal, on both
// databases: roles, a report resolved by suspension, the suspended member
// absent for members but not for the operator, the last admin kept,
// invites, and the audit log naming the operator's OS user.
func TestModerationCommands(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		c.environ = append(c.environ, "USER=olga")
		for _, n := range []string{"ann", "mo", "bob", "cat"} {
			c.addUser(n)
		}
		if out := c.ok("user", "role", "ann", "admin"); out != "ann is now admin\n" {
			t.Fatalf("role: %q", out)
		}
		c.ok("user", "role", "mo", "moderator")
		c.fails(2, `Invalid role "owner"`, "user", "role", "bob", "owner")
		c.fails(1, "The last admin cannot be demoted", "user", "role", "ann", "member")
		if out := c.ok("user", "list", "--role", "moderator"); !strings.HasPrefix(out, "2\tmo\tmoderator\tactive\t") || strings.Count(out, "\n") != 1 {
			t.Fatalf("user list --role moderator: %q", out)
		}
		c.ok("post", "create", "--as", "bob", "buy cheap pills")

		// A member's report reaches the queue (the store files it: the CLI
		// has no command to report as a member).
		st := c.store()
		bob, _ := st.UserByName(ctx, "bob")
		cat, _ := st.UserByName(ctx, "cat")
		post := int64(1)
		if _, err := st.CreateReport(ctx, cat.ID, store.NewReport{PostID: &post, Reason: "spam"}); err != nil {
			t.Fatal(err)
		}
		if out := c.ok("report", "list"); !strings.Contains(out, "1\t") || !strings.Contains(out, "spam\tbob\tcat\t#1 buy cheap pills") {
			t.Fatalf("report list: %q", out)
		}
		if out := c.ok("report", "show", "1"); !strings.Contains(out, "post\t#1 buy cheap pills") || !strings.Contains(out, "state\topen") {
			t.Fatalf("report show: %q", out)
		}
		c.fails(2, "Invalid --action", "report", "resolve", "1", "--action", "ban")
		c.fails(2, `"action" not set`, "report", "resolve", "1")
		c.fails(1, "Report not found", "report", "resolve", "9", "--action", "none")
		r := decode[store.Report](t, c.ok("report", "resolve", "1", "--action", "suspend", "--note", "pill spam", "-o", "json"))
		if r.State != "resolved" || *r.ResolvedBy != "cli:olga" {
			t.Fatalf("resolved: %+v", r)
		}
		c.fails(1, "Report already resolved", "report", "resolve", "1", "--action", "none")
		if out := c.ok("report", "list"); out != "" {
			t.Fatalf("open reports after: %q", out)
		}

		// Suspended: gone for members, there for the operator.
		if out := c.ok("user", "list", "--suspended"); !strings.Contains(out, "bob\tmember\tsuspended") || !strings.Contains(out, "report 1 (spam): pill spam") {
			t.Fatalf("user list --suspended: %q", out)
		}
		if out := c.ok("post", "list", "--as", "cat"); strings.Contains(out, "pills") {
			t.Fatalf("cat sees the suspended member's post: %q", out)
		}
		if out := c.ok("post", "list"); !strings.Contains(out, "pills") {
			t.Fatalf("the operator no longer sees it: %q", out)
		}
		if out := c.ok("user", "show", "bob"); !strings.Contains(out, "status\tsuspended ") {
			t.Fatalf("user show: %q", out)
		}
		c.fails(1, "Account suspended", "post", "create", "--as", "bob", "still here")
		c.fails(1, "Account suspended", "follow", "--as", "bob", "cat")
		c.fails(1, "Account suspended", "like", "--as", "bob", "1")
		c.fails(2, `"reason" not set`, "user", "suspend", "cat")
		c.ok("user", "unsuspend", "bob", "--reason", "appeal")
		if out := c.ok("post", "list", "--as", "cat"); !strings.Contains(out, "pills") {
			t.Fatalf("after unsuspend: %q", out)
		}
		if u, _ := st.UserByID(ctx, bob.ID); u.Status != store.StatusActive {
			t.Fatalf("bob is %s", u.Status)
		}

		// Invites.
		code := strings.TrimSpace(c.ok("invite", "create", "--uses", "2", "--expires", "3d", "-q"))
		if len(code) != 26 {
			t.Fatalf("code %q", code)
		}
		c.fails(2, "Invalid --expires", "invite", "create", "--expires", "soon")
		c.fails(2, "uses must be between", "invite", "create", "--uses", "0")
		if out := c.ok("invite", "list"); !strings.Contains(out, code) || !strings.Contains(out, "0 of 2 used") {
			t.Fatalf("invite list: %q", out)
		}
		c.ok("invite", "revoke", code)
		if out := c.ok("invite", "list"); !strings.Contains(out, "revoked") {
			t.Fatalf("invite list after revoke: %q", out)
		}
		c.fails(1, "Invite not found", "invite", "revoke", "nothing")

		// The audit log: every action above, newest first, by cli:olga.
		out := c.ok("audit", "--limit", "100")
		var actions []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			f := strings.Split(line, "\t")
			if f[2] != "cli:olga" {
				t.Fatalf("audit names %q: %q", f[2], line)
			}
			actions = append(actions, f[3])
		}
		want := "invite_revoke invite_create unsuspend resolve_report suspend role role"
		if strings.Join(actions, " ") != want {
			t.Fatalf("audit actions %q, want %q", strings.Join(actions, " "), want)
		}
	})
}

// TestApprovalFromTheTerminal: a sign-up in approval mode waits in
// `user list --pending` until `user approve`; adduser works in every mode.
func TestApprovalFromTheTerminal(t *testing.T) {
	each(t, func(t *testing.T, c *cli) {
		c.environ = append(c.environ, "PAMPS_REGISTRATION__MODE=closed")
		c.addUser("ann") // the operator's adduser, registration closed
		st := c.store().WithRegistration(store.RegistrationApproval)
		if _, err := st.SignUp(ctx, "test", store.NewUser{Email: "eve@example.com", Username: "eve", Password: "password1"}); err != nil {
			t.Fatal(err)
		}
		if out := c.ok("user", "list", "--pending"); !strings.Contains(out, "eve\tmember\tpending") {
			t.Fatalf("pending: %q", out)
		}
		c.fails(1, `User "ann" is not waiting for approval`, "user", "approve", "ann")
		c.ok("user", "approve", "eve")
		if out := c.ok("user", "list", "--pending"); out != "" {
			t.Fatalf("pending after approval: %q", out)
		}
	})
}
