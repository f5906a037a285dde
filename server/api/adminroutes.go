package api

// moderationRoutes are the routes of reports and moderation (docs/API.md
// §3d), in the same table as the rest (routeTable).
func (s *Server) moderationRoutes() []route {
	list := []string{"limit", "cursor"}
	const staff = "moderators and admins; 403 for members"
	return []route{
		{method: "POST", path: "/report/", id: "createReport", tag: "moderation", summary: "Report a post or an account to the moderators (limited per member: security.report_rate_limit)", auth: true,
			body: "ReportCreate", ok: 201, okSchema: "Report", errors: []int{400, 401, 404, 422, 429}, handle: s.createReport},
		{method: "GET", path: "/report/", id: "myReports", tag: "moderation", summary: "The reports I filed, newest first", auth: true,
			query: list, ok: 200, okSchema: "[]Report", errors: []int{401, 422}, handle: s.myReports},
		{method: "GET", path: "/admin/reports/", id: "adminReports", tag: "moderation", summary: "Reports, newest first (state=open, the default, resolved or all): " + staff, auth: true,
			query: []string{"state", "limit", "cursor"}, ok: 200, okSchema: "[]Report", errors: []int{401, 403, 422}, handle: s.adminReports},
		{method: "GET", path: "/admin/reports/{report_id}/", id: "adminReport", tag: "moderation", summary: "One report: " + staff, auth: true,
			ok: 200, okSchema: "Report", errors: []int{401, 403, 404, 422}, handle: s.adminReport},
		{method: "POST", path: "/admin/reports/{report_id}/resolve/", id: "resolveReport", tag: "moderation", summary: "Resolve a report with an action (none, delete_post, suspend) and a note: " + staff, auth: true,
			body: "ReportResolve", ok: 200, okSchema: "Report", errors: []int{400, 401, 403, 404, 409, 422}, handle: s.resolveReport},
		{method: "GET", path: "/admin/users/", id: "adminUsers", tag: "moderation", summary: "Accounts with their standing, oldest first (role=, status=pending,suspended, q= a name prefix): " + staff, auth: true,
			query: []string{"role", "status", "q", "limit", "cursor"}, ok: 200, okSchema: "[]Account", errors: []int{401, 403, 422}, handle: s.adminUsers},
		{method: "POST", path: "/admin/users/{user_id}/suspend/", id: "suspend", tag: "moderation", summary: "Suspend an account: sign-in refused, tokens, streams and SSH sessions ended, what it wrote hidden from all but moderators (a rank above theirs: moderators suspend members, admins moderators)", auth: true,
			body: "SuspendRequest", ok: 200, okSchema: "Account", errors: []int{400, 401, 403, 404, 422}, handle: s.suspend},
		{method: "DELETE", path: "/admin/users/{user_id}/suspend/", id: "unsuspend", tag: "moderation", summary: "Lift a suspension: everything comes back as it was", auth: true,
			body: "UnsuspendRequest?", ok: 200, okSchema: "Account", errors: []int{400, 401, 403, 404, 422}, handle: s.unsuspend},
		{method: "POST", path: "/admin/users/{user_id}/approve/", id: "approve", tag: "moderation", summary: "Let in an account that waits for approval (registration.mode = approval): " + staff, auth: true,
			ok: 200, okSchema: "Account", errors: []int{400, 401, 403, 404, 422}, handle: s.approve},
		{method: "POST", path: "/admin/users/{user_id}/role/", id: "setRole", tag: "moderation", summary: "Change an account's role: admins only; the last admin cannot be demoted", auth: true,
			body: "RoleChange", ok: 200, okSchema: "Account", errors: []int{400, 401, 403, 404, 422}, handle: s.setRole},
		{method: "GET", path: "/admin/invites/", id: "invites", tag: "moderation", summary: "Invite codes, newest first: " + staff, auth: true,
			query: list, ok: 200, okSchema: "[]Invite", errors: []int{401, 403, 422}, handle: s.invites},
		{method: "POST", path: "/admin/invites/", id: "createInvite", tag: "moderation", summary: "Make an invite code (registration.mode = invite): " + staff, auth: true,
			body: "InviteCreate?", ok: 201, okSchema: "Invite", errors: []int{401, 403, 422}, handle: s.createInvite},
		{method: "DELETE", path: "/admin/invites/{code}/", id: "revokeInvite", tag: "moderation", summary: "Revoke an invite code: admins only", auth: true,
			ok: 204, errors: []int{401, 403, 404}, handle: s.revokeInvite},
		{method: "GET", path: "/admin/audit/", id: "audit", tag: "moderation", summary: "The audit log of moderation actions, newest first: " + staff, auth: true,
			query: list, ok: 200, okSchema: "[]AuditEntry", errors: []int{401, 403, 422}, handle: s.audit},
	}
}
