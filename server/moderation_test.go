package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
)

// community is a server with an admin (ann), a moderator (mo) and two
// members (bob, cat): their tokens and ids.
type community struct {
	*api
	tok map[string]string
	id  map[string]int64
}

func newCommunity(t *testing.T, a *api) community {
	t.Helper()
	c := community{api: a, tok: map[string]string{}, id: map[string]int64{}}
	for _, n := range []string{"ann", "mo", "bob", "cat"} {
		c.tok[n] = a.register(n)
		var me store.Me
		a.do("GET", "/user/me/", nil, c.tok[n]).json(t, &me)
		c.id[n] = me.ID
	}
	op := store.AsOperator("test")
	for n, role := range map[string]store.Role{"ann": store.RoleAdmin, "mo": store.RoleModerator} {
		if _, err := a.st.SetRole(ctx, op, c.id[n], role); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func (c community) user(name, action string) string {
	return fmt.Sprintf("/admin/users/%d/%s/", c.id[name], action)
}

// TestModeratorRoutesRefuseMembers: every moderator route answers a member
// 403 "Not allowed" and a caller without a token 401, and changes nothing.
func TestModeratorRoutesRefuseMembers(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newCommunity(t, a)
		routes := []struct{ method, path, body string }{
			{"GET", "/admin/reports/", ""}, {"GET", "/admin/reports/1/", ""}, {"POST", "/admin/reports/1/resolve/", `{"action":"none"}`},
			{"GET", "/admin/users/", ""}, {"POST", c.user("cat", "suspend"), `{"reason":"x"}`}, {"DELETE", c.user("cat", "suspend"), ""},
			{"POST", c.user("cat", "approve"), ""}, {"POST", c.user("cat", "role"), `{"role":"admin"}`},
			{"GET", "/admin/invites/", ""}, {"POST", "/admin/invites/", ""}, {"DELETE", "/admin/invites/abc/", ""}, {"GET", "/admin/audit/", ""},
		}
		for _, rt := range routes {
			var body any
			if rt.body != "" {
				body = rt.body
			}
			expect(t, "member: "+rt.method+" "+rt.path, a.do(rt.method, rt.path, body, c.tok["bob"]), 403, `{"detail":"Not allowed"}`)
			expect(t, "anyone: "+rt.method+" "+rt.path, a.do(rt.method, rt.path, body, ""), 401, `{"detail":"Not authenticated"}`)
		}
		for _, table := range []string{"audit", "invite"} {
			if n := storeCount(t, a, table); n != 2*boolInt(table == "audit") {
				t.Errorf("%d %s rows", n, table)
			}
		}
		if n := storeCount(t, a, `"user" WHERE status <> 'active' OR role = 'admin' AND id <> `+fmt.Sprint(c.id["ann"])); n != 0 {
			t.Errorf("%d accounts changed", n)
		}
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestSuspensionOverTheAPI: docs/API.md §3d's suspension, as a client sees it.
func TestSuspensionOverTheAPI(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newCommunity(t, a)
		post := a.createPost(t, c.tok["bob"], "bob was here", nil)
		a.createPost(t, c.tok["cat"], "cat answers bob", &post)
		var me map[string]any
		a.do("GET", "/user/me/", nil, c.tok["ann"]).json(t, &me)
		if me["role"] != "admin" {
			t.Fatalf("ann's Me: %v", me)
		}
		expect(t, "a moderator suspends an admin", a.do("POST", c.user("ann", "suspend"), map[string]any{"reason": "x"}, c.tok["mo"]), 403, `{"detail":"Not allowed"}`)
		expect(t, "without a reason", a.do("POST", c.user("bob", "suspend"), map[string]any{"reason": " "}, c.tok["mo"]), 422, "")
		expect(t, "without a body", a.do("POST", c.user("bob", "suspend"), nil, c.tok["mo"]), 422, "")
		expect(t, "oneself", a.do("POST", c.user("mo", "suspend"), map[string]any{"reason": "x"}, c.tok["mo"]), 400, `{"detail":"You cannot do this to your own account"}`)
		expect(t, "nobody", a.do("POST", "/admin/users/999999/suspend/", map[string]any{"reason": "x"}, c.tok["mo"]), 404, `{"detail":"User not found"}`)
		r := a.do("POST", c.user("bob", "suspend"), map[string]any{"reason": "spam"}, c.tok["mo"])
		expect(t, "suspend", r, 200, "")
		var acc map[string]any
		r.json(t, &acc)
		if acc["status"] != "suspended" || acc["suspend_reason"] != "spam" || acc["username"] != "bob" {
			t.Fatalf("account %v", acc)
		}
		r = a.do("POST", "/token", "username=bob&password=password1", "", "Content-Type", "application/x-www-form-urlencoded")
		expect(t, "sign-in", r, 403, `{"detail":"Account suspended"}`)
		r = a.do("POST", "/token", "username=bob&password=wrong", "", "Content-Type", "application/x-www-form-urlencoded")
		expect(t, "sign-in with a wrong password", r, 401, `{"detail":"Incorrect username or password"}`)
		expect(t, "bob's token", a.do("GET", "/user/me/", nil, c.tok["bob"]), 401, "")
		expect(t, "bob posts", a.do("POST", "/post/", map[string]any{"text": "hi"}, c.tok["bob"]), 401, "")
		expect(t, "bob's profile to anyone", a.do("GET", "/user/bob/", nil, ""), 404, `{"detail":"User not found"}`)
		expect(t, "bob's profile to cat", a.do("GET", "/user/bob/", nil, c.tok["cat"]), 404, `{"detail":"User not found"}`)
		expect(t, "bob's profile to mo", a.do("GET", "/user/bob/", nil, c.tok["mo"]), 200, "")
		expect(t, "bob's post to anyone", a.do("GET", fmt.Sprintf("/post/%d/", post), nil, ""), 404, "")
		expect(t, "bob's post to mo", a.do("GET", fmt.Sprintf("/post/%d/", post), nil, c.tok["mo"]), 200, "")
		expect(t, "the replies to bob's post, to anyone", a.do("GET", fmt.Sprintf("/post/%d/replies/", post), nil, ""), 404, `{"detail":"Post not found"}`)
		expect(t, "the replies to bob's post, to mo", a.do("GET", fmt.Sprintf("/post/%d/replies/", post), nil, c.tok["mo"]), 200, "")
		var posts []store.Post
		a.do("GET", "/post/", nil, "").json(t, &posts)
		if len(posts) != 0 {
			t.Errorf("anyone lists %+v", posts)
		}
		expect(t, "cat's reply to anyone", a.do("GET", fmt.Sprintf("/post/%d/", post+1), nil, ""), 200, "")
		var accounts []store.Account
		a.do("GET", "/admin/users/?status=suspended", nil, c.tok["mo"]).json(t, &accounts)
		if len(accounts) != 1 || accounts[0].Username != "bob" {
			t.Errorf("suspended accounts: %+v", accounts)
		}
		expect(t, "unsuspend", a.do("DELETE", c.user("bob", "suspend"), nil, c.tok["mo"]), 200, "")
		expect(t, "bob's post is back", a.do("GET", fmt.Sprintf("/post/%d/", post), nil, ""), 200, "")
		bob := a.login("bob", "password1")
		expect(t, "bob signs in again", a.do("GET", "/user/me/", nil, bob), 200, "")
		var log []store.AuditEntry
		a.do("GET", "/admin/audit/", nil, c.tok["mo"]).json(t, &log)
		if len(log) < 2 || log[0].Action != "unsuspend" || log[1].Action != "suspend" || log[1].Actor != "mo" || log[1].Reason != "spam" {
			t.Errorf("audit: %+v", log)
		}
	})
}

// TestRolesOverTheAPI: only an admin changes roles; the last admin stays.
func TestRolesOverTheAPI(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newCommunity(t, a)
		expect(t, "mo promotes bob", a.do("POST", c.user("bob", "role"), map[string]any{"role": "moderator"}, c.tok["mo"]), 403, "")
		expect(t, "a bad role", a.do("POST", c.user("bob", "role"), map[string]any{"role": "owner"}, c.tok["ann"]), 422, "")
		expect(t, "ann demotes herself, the last admin", a.do("POST", c.user("ann", "role"), map[string]any{"role": "member"}, c.tok["ann"]), 400,
			`{"detail":"The last admin cannot be demoted or suspended"}`)
		r := a.do("POST", c.user("bob", "role"), map[string]any{"role": "moderator"}, c.tok["ann"])
		expect(t, "ann promotes bob", r, 200, "")
		if !strings.Contains(string(r.body), `"role":"moderator"`) {
			t.Errorf("%s", r.body)
		}
		expect(t, "bob now lists reports", a.do("GET", "/admin/reports/", nil, c.tok["bob"]), 200, "[]")
	})
}

// TestReportsOverTheAPI: a member reports; moderators list and resolve.
func TestReportsOverTheAPI(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newCommunity(t, a)
		post := a.createPost(t, c.tok["cat"], "buy pills", nil)
		expect(t, "neither", a.do("POST", "/report/", map[string]any{"reason": "spam"}, c.tok["bob"]), 422, "")
		expect(t, "a bad reason", a.do("POST", "/report/", map[string]any{"post_id": post, "reason": "meh"}, c.tok["bob"]), 422, "")
		expect(t, "no post", a.do("POST", "/report/", map[string]any{"post_id": 999999, "reason": "spam"}, c.tok["bob"]), 404, `{"detail":"Post not found"}`)
		expect(t, "oneself", a.do("POST", "/report/", map[string]any{"user_id": c.id["bob"], "reason": "spam"}, c.tok["bob"]), 400, `{"detail":"You cannot report yourself"}`)
		r := a.do("POST", "/report/", map[string]any{"post_id": post, "reason": "spam", "comment": "again"}, c.tok["bob"])
		expect(t, "report", r, 201, "")
		var rep store.Report
		r.json(t, &rep)
		var unread struct{ Count int64 }
		a.do("GET", "/notifications/unread/", nil, c.tok["mo"]).json(t, &unread)
		if unread.Count != 1 {
			t.Errorf("mo has %d unread", unread.Count)
		}
		var mine []store.Report
		a.do("GET", "/report/", nil, c.tok["bob"]).json(t, &mine)
		if len(mine) != 1 || mine[0].ID != rep.ID {
			t.Fatalf("bob's reports %+v", mine)
		}
		expect(t, "cat sees none of it", a.do("GET", "/report/", nil, c.tok["cat"]), 200, "[]")
		var open []store.Report
		a.do("GET", "/admin/reports/?state=open", nil, c.tok["mo"]).json(t, &open)
		if len(open) != 1 || *open[0].PostText != "buy pills" {
			t.Fatalf("open reports %+v", open)
		}
		expect(t, "a bad state", a.do("GET", "/admin/reports/?state=maybe", nil, c.tok["mo"]), 422, "")
		resolve := fmt.Sprintf("/admin/reports/%d/resolve/", rep.ID)
		expect(t, "a bad action", a.do("POST", resolve, map[string]any{"action": "ban"}, c.tok["mo"]), 422, "")
		r = a.do("POST", resolve, map[string]any{"action": "delete_post", "note": "spam"}, c.tok["mo"])
		expect(t, "resolve", r, 200, "")
		expect(t, "the post is gone", a.do("GET", fmt.Sprintf("/post/%d/", post), nil, ""), 404, "")
		expect(t, "resolve again", a.do("POST", resolve, map[string]any{"action": "none"}, c.tok["mo"]), 409, `{"detail":"Report already resolved"}`)
		var resolved []store.Report
		a.do("GET", "/admin/reports/?state=resolved", nil, c.tok["ann"]).json(t, &resolved)
		if len(resolved) != 1 || *resolved[0].Action != "delete_post" || *resolved[0].PostText != "buy pills" || resolved[0].PostID != nil {
			t.Fatalf("resolved %+v", resolved)
		}
		// A moderator deletes anyone's post; a member does not.
		other := a.createPost(t, c.tok["cat"], "another", nil)
		expect(t, "bob deletes cat's", a.do("DELETE", fmt.Sprintf("/post/%d/", other), nil, c.tok["bob"]), 403, "")
		expect(t, "mo deletes cat's", a.do("DELETE", fmt.Sprintf("/post/%d/", other), nil, c.tok["mo"]), 204, "")
		var log []store.AuditEntry
		a.do("GET", "/admin/audit/?limit=3", nil, c.tok["mo"]).json(t, &log)
		if log[0].Action != "delete_post" || log[1].Action != "resolve_report" || log[2].Action != "delete_post" {
			t.Errorf("audit %+v", log)
		}
	})
}

// TestRepeatedFiltersAreBounded: a filter list repeated past any database's
// count of placeholders (types=, status=) reads as the few values it names,
// not as a statement PostgreSQL refuses (a 500).
func TestRepeatedFiltersAreBounded(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		c := newCommunity(t, a)
		types := strings.Repeat("like,", 70000) + "reply"
		expect(t, "types repeated", a.do("GET", "/notifications/?types="+types, nil, c.tok["ann"]), 200, "")
		expect(t, "grouped, types repeated", a.do("GET", "/notifications/grouped/?types="+types, nil, c.tok["ann"]), 200, "")
		status := strings.Repeat("active,", 70000) + "pending"
		expect(t, "status repeated", a.do("GET", "/admin/users/?status="+status, nil, c.tok["mo"]), 200, "")
	})
}
