package api

import (
	"net/http"
	"strings"
)

// route is one entry of the route table; the same entry drives the mux and
// the OpenAPI document, so the two cannot disagree.
type route struct {
	method, path string // path as OpenAPI writes it: /user/{username}/
	id, summary  string
	tag          string
	auth         bool
	lateUser     bool // auth, but the handler finds the user in its own statement (credential); see lateAuthError
	// viewer: no auth needed, but a request with a token reads as its
	// caller, leaving out what they hide (docs/API.md §3c); a token that
	// does not hold is refused (401) rather than read past.
	viewer   bool
	query    []string // query parameters: limit, cursor, include_replies, order, types, unread
	body     string   // request schema; "form:Name" for a form body
	ok       int      // success status
	okSchema string   // response schema; "[]Post" for a list, "" for none
	also     []answer // other successful answers (200 for an idempotent repeat)
	errors   []int
	keysLeft bool // it answers which SSH keys still sign in (keysRemaining)
	handle   func(w http.ResponseWriter, r *http.Request) error
	// mux, when set, is the ServeMux path in place of path (see repliesMux).
	mux string
}

// repliesMux is where GET /post/{post_id}/replies/ is registered: ServeMux
// refuses it beside GET /post/user/{username}/ (both match
// /post/user/replies/, neither is more specific), so the route takes the
// wider /post/{post_id}/{child}/, which is less specific than both user
// routes, and answers only when child is "replies" (postChild).
const repliesMux = "/post/{post_id}/{child}/"

// answer is an extra documented response.
type answer struct {
	status int
	desc   string
}

// pattern is the ServeMux pattern: exact match, trailing slash included.
func (rt route) pattern() string {
	p := rt.path
	if rt.mux != "" {
		p = rt.mux
	}
	if strings.HasSuffix(p, "/") {
		return rt.method + " " + p + "{$}"
	}
	return rt.method + " " + p
}

// postChild reports whether a request the repliesMux pattern matched is for
// the replies route; anything else there is answered as unrouted.
func postChild(r *http.Request) bool { return r.PathValue("child") == "replies" }

// routeTable is every route of the API (docs/API.md).
func (s *Server) routeTable() []route {
	list := []string{"limit", "cursor"}
	withReplies := []string{"limit", "cursor", "include_replies"}
	ordered := []string{"limit", "cursor", "order"}
	notified := []string{"limit", "cursor", "types", "unread"}
	return []route{
		{method: "POST", path: "/token", id: "login", tag: "auth", summary: "Log in (OAuth2 password flow) for an access and a refresh token",
			body: "form:TokenForm", ok: 200, okSchema: "Token", errors: []int{401, 403, 422, 429}, handle: s.login},
		{method: "POST", path: "/refresh_token", id: "refreshToken", tag: "auth", summary: "Trade a refresh token for a new pair",
			body: "RefreshRequest", ok: 200, okSchema: "Token", errors: []int{401, 422}, handle: s.refresh},

		{method: "GET", path: "/user/", id: "listUsers", viewer: true, tag: "users", summary: "List users, oldest first",
			query: list, ok: 200, okSchema: "[]User", errors: []int{401, 422}, handle: s.listUsers},
		{method: "POST", path: "/user/", id: "createUser", tag: "users", summary: "Register a user as registration.mode allows (limited per client address: security.signup_rate_limit)",
			body: "UserCreate", ok: 201, okSchema: "User", errors: []int{403, 409, 422, 429}, handle: s.createUser},
		{method: "GET", path: "/user/me/", id: "getMe", tag: "users", summary: "The signed-in user, with email", auth: true,
			ok: 200, okSchema: "Me", errors: []int{401}, handle: s.getMe},
		{method: "PATCH", path: "/user/me/", id: "updateMe", tag: "users", summary: "Change my avatar, bio or email", auth: true,
			body: "UserPatch", ok: 200, okSchema: "Me", errors: []int{401, 409, 422}, handle: s.updateMe},
		{method: "POST", path: "/user/me/password/", id: "changePassword", tag: "users", summary: "Change my password", auth: true,
			body: "PasswordChange", ok: 204, keysLeft: true, errors: []int{400, 401, 422}, handle: s.changePassword},
		{method: "POST", path: "/user/me/logout/", id: "logout", tag: "users", summary: "Sign out everywhere: every token issued so far is refused", auth: true,
			ok: 204, keysLeft: true, errors: []int{401}, handle: s.logout},
		{method: "GET", path: "/user/me/keys/", id: "listKeys", tag: "users", summary: "My SSH public keys (they sign me in to the TUI over SSH)", auth: true,
			ok: 200, okSchema: "[]SSHKey", errors: []int{401}, handle: s.listKeys},
		{method: "POST", path: "/user/me/keys/", id: "addKey", tag: "users", summary: "Add an SSH public key (an authorized_keys line); needs the password, or a password login of the last 5 minutes (403)", auth: true,
			body: "SSHKeyCreate", ok: 201, okSchema: "SSHKey", errors: []int{400, 401, 403, 409, 422}, handle: s.addKey},
		{method: "DELETE", path: "/user/me/keys/{key_id}/", id: "removeKey", tag: "users", summary: "Remove one of my SSH public keys", auth: true,
			ok: 204, errors: []int{401, 404, 422}, handle: s.removeKey},
		{method: "GET", path: "/user/timeline/", id: "timeline", tag: "users", summary: "Posts by the users I follow, newest first", auth: true, lateUser: true,
			query: withReplies, ok: 200, okSchema: "[]Post", errors: []int{401, 422}, handle: s.timeline},
		{method: "POST", path: "/user/follow/{user_id}/", id: "follow", tag: "users", summary: "Follow a user", auth: true,
			ok: 201, okSchema: "Follow", also: []answer{{200, "Already following: the existing follow"}}, errors: []int{400, 401, 404, 422}, handle: s.follow},
		{method: "DELETE", path: "/user/follow/{user_id}/", id: "unfollow", tag: "users", summary: "Stop following a user", auth: true,
			ok: 204, errors: []int{401, 404, 422}, handle: s.unfollow},
		{method: "POST", path: "/user/block/{user_id}/", id: "block", tag: "users", summary: "Block a user: each of us is hidden from the other, and the follows between us end", auth: true,
			ok: 201, okSchema: "Block", also: []answer{{200, "Already blocked: the existing block"}}, errors: []int{400, 401, 404, 422}, handle: s.block},
		{method: "DELETE", path: "/user/block/{user_id}/", id: "unblock", tag: "users", summary: "Lift a block", auth: true,
			ok: 204, errors: []int{401, 404, 422}, handle: s.unblock},
		{method: "POST", path: "/user/mute/{user_id}/", id: "mute", tag: "users", summary: "Mute a user: their posts leave my lists and streams (and, by default, their notifications)", auth: true,
			body: "MuteRequest?", ok: 201, okSchema: "Mute", also: []answer{{200, "Already muted: the mute, with this choice of notifications"}}, errors: []int{400, 401, 404, 422}, handle: s.mute},
		{method: "DELETE", path: "/user/mute/{user_id}/", id: "unmute", tag: "users", summary: "Lift a mute", auth: true,
			ok: 204, errors: []int{401, 404, 422}, handle: s.unmute},
		{method: "GET", path: "/user/me/blocks/", id: "myBlocks", tag: "users", summary: "Whom I blocked, most recent first", auth: true,
			query: list, ok: 200, okSchema: "[]User", errors: []int{401, 422}, handle: s.myBlocks},
		{method: "GET", path: "/user/me/mutes/", id: "myMutes", tag: "users", summary: "Whom I muted, most recent first", auth: true,
			query: list, ok: 200, okSchema: "[]User", errors: []int{401, 422}, handle: s.myMutes},
		{method: "GET", path: "/notifications/", id: "notifications", tag: "notifications", summary: "My notifications, newest first (types=reply,like filters; unread=true: only the unread)", auth: true,
			query: notified, ok: 200, okSchema: "[]Notification", errors: []int{401, 422}, handle: s.notifications},
		{method: "GET", path: "/notifications/grouped/", id: "notificationGroups", tag: "notifications", summary: "My notifications grouped: the likes of one post, the follows; the group with the newest first", auth: true,
			query: notified, ok: 200, okSchema: "[]NotificationGroup", errors: []int{401, 422}, handle: s.notificationGroups},
		{method: "GET", path: "/notifications/unread/", id: "unreadNotifications", tag: "notifications", summary: "How many of my notifications are unread", auth: true,
			ok: 200, okSchema: "UnreadCount", errors: []int{401}, handle: s.unreadNotifications},
		{method: "POST", path: "/notifications/read/", id: "markNotificationsRead", tag: "notifications", summary: "Mark my notifications read: up_to and every older one, or all without a body", auth: true,
			body: "ReadUpTo?", ok: 204, errors: []int{401, 422}, handle: s.markNotificationsRead},
		{method: "GET", path: "/user/{username}/", id: "getUser", viewer: true, tag: "users", summary: "A user's public profile",
			ok: 200, okSchema: "User|UserSeen", errors: []int{401, 404}, handle: s.getUser},
		{method: "GET", path: "/user/{username}/followers/", id: "followers", viewer: true, tag: "users", summary: "Who follows a user, most recent first",
			query: list, ok: 200, okSchema: "[]User", errors: []int{401, 404, 422}, handle: s.followers},
		{method: "GET", path: "/user/{username}/following/", id: "following", viewer: true, tag: "users", summary: "Whom a user follows, most recent first",
			query: list, ok: 200, okSchema: "[]User", errors: []int{401, 404, 422}, handle: s.following},

		{method: "GET", path: "/post/", id: "listPosts", viewer: true, tag: "posts", summary: "Everyone's top-level posts, oldest first (order=desc: newest first)",
			query: ordered, ok: 200, okSchema: "[]Post", errors: []int{401, 422}, handle: s.listPosts},
		{method: "POST", path: "/post/", id: "createPost", tag: "posts", summary: "Write a post, or a reply with parent_id (limited per user: security.post_rate_limit)", auth: true, lateUser: true,
			body: "PostCreate", ok: 201, okSchema: "Post", errors: []int{401, 404, 422, 429}, handle: s.createPost},
		{method: "GET", path: "/post/{post_id}/", id: "getPost", viewer: true, tag: "posts", summary: "A post with its first 100 direct replies, oldest first; a Link with rel=\"next\" leads to the rest",
			ok: 200, okSchema: "PostDetail", errors: []int{401, 404, 422}, handle: s.getPost},
		{method: "GET", path: "/post/{post_id}/replies/", id: "listReplies", viewer: true, tag: "posts", summary: "A post's direct replies, oldest first",
			query: list, ok: 200, okSchema: "[]Post", errors: []int{401, 404, 422}, handle: s.replies, mux: repliesMux},
		{method: "PATCH", path: "/post/{post_id}/", id: "updatePost", tag: "posts", summary: "Edit my post's text", auth: true,
			body: "PostPatch", ok: 200, okSchema: "Post", errors: []int{401, 403, 404, 422}, handle: s.updatePost},
		{method: "DELETE", path: "/post/{post_id}/", id: "deletePost", tag: "posts", summary: "Delete a post with its reply tree and their likes: my own, or as a moderator anyone's (audited)", auth: true,
			ok: 204, errors: []int{401, 403, 404, 422}, handle: s.deletePost},
		{method: "GET", path: "/post/user/{username}/", id: "userPosts", viewer: true, tag: "posts", summary: "A user's posts, oldest first (order=desc: newest first; an unknown user has none)",
			query: append(ordered, "include_replies"), ok: 200, okSchema: "[]Post", errors: []int{401, 422}, handle: s.userPosts},
		{method: "POST", path: "/post/{post_id}/like/", id: "like", tag: "posts", summary: "Like a post", auth: true,
			ok: 201, okSchema: "Like", also: []answer{{200, "Already liked: the existing like"}}, errors: []int{401, 404, 422}, handle: s.like},
		{method: "DELETE", path: "/post/{post_id}/like/", id: "unlike", tag: "posts", summary: "Stop liking a post", auth: true,
			ok: 204, errors: []int{401, 404, 422}, handle: s.unlike},
		{method: "GET", path: "/post/likes/{username}/", id: "likedPosts", viewer: true, tag: "posts", summary: "Posts a user liked, most recent like first",
			query: list, ok: 200, okSchema: "[]Post", errors: []int{401, 404, 422}, handle: s.likedPosts},

		{method: "GET", path: "/search/posts/", id: "searchPosts", viewer: true, tag: "search", summary: "Posts matching q, newest first (from=username: one author's)",
			query: []string{"q", "from", "limit", "cursor"}, ok: 200, okSchema: "[]Post", errors: []int{401, 422}, handle: s.searchPosts},
		{method: "GET", path: "/search/users/", id: "searchUsers", viewer: true, tag: "search", summary: "Users whose name starts with q, then those whose bio holds every word of q",
			query: []string{"q", "limit", "cursor"}, ok: 200, okSchema: "[]User", errors: []int{401, 422}, handle: s.searchUsers},

		{method: "GET", path: "/stream/public/", id: "streamPublic", viewer: true, tag: "streams", summary: "Live: every new, edited or deleted top-level post (include_replies adds replies)",
			query: []string{"include_replies"}, ok: 200, okSchema: "events", errors: []int{401, 422, 429}, handle: s.streamPublic},
		{method: "GET", path: "/stream/home/", id: "streamHome", tag: "streams", summary: "Live: what enters or changes my timeline: posts by those I follow, and my own (ends when the token expires: resume with a fresh one and Last-Event-ID)", auth: true,
			query: []string{"include_replies"}, ok: 200, okSchema: "events", errors: []int{401, 422, 429}, handle: s.streamHome},
		{method: "GET", path: "/stream/user/{username}/", id: "streamUser", viewer: true, tag: "streams", summary: "Live: a user's posts",
			query: []string{"include_replies"}, ok: 200, okSchema: "events", errors: []int{401, 404, 422, 429}, handle: s.streamUser},
		{method: "GET", path: "/stream/post/{post_id}/", id: "streamPost", viewer: true, tag: "streams", summary: "Live: a post's changes and its direct replies",
			ok: 200, okSchema: "events", errors: []int{401, 404, 422, 429}, handle: s.streamPost},

		{method: "GET", path: "/healthz", id: "healthz", tag: "service", summary: "The process is up",
			ok: 200, okSchema: "Status", handle: s.healthz},
		{method: "GET", path: "/readyz", id: "readyz", tag: "service", summary: "The database answers and its schema is current; how the read replicas stand",
			ok: 200, okSchema: "Readiness", errors: []int{503}, handle: s.readyz},
		{method: "GET", path: "/openapi.json", id: "openapi", tag: "service", summary: "This document",
			ok: 200, okSchema: "object", handle: s.openapi},
		{method: "GET", path: "/docs", id: "docs", tag: "service", summary: "Interactive API documentation (HTML)",
			ok: 200, okSchema: "html", handle: s.docs},
		{method: "GET", path: "/redoc", id: "redoc", tag: "service", summary: "The API's reference in ReDoc (HTML)",
			ok: 200, okSchema: "html", handle: s.redoc},
		{method: "GET", path: "/", id: "home", tag: "service", summary: "Redirects to /docs",
			ok: 307, handle: s.home},
	}
}

// endpoint adapts a route's handler: it names the route in the log,
// authenticates when the route needs it, and answers errors via the table.
func (s *Server) endpoint(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.mux == repliesMux && !postChild(r) {
			s.unrouted(w, r)
			return
		}
		if info, ok := r.Context().Value(keyLog).(*requestLog); ok {
			info.pattern = rt.path
		}
		if rt.tag != "service" && !s.ready.Load() { // still waiting for the database
			s.answer(w, r, errServiceUnavail)
			return
		}
		if rt.auth || (rt.viewer && r.Header.Get("Authorization") != "") {
			var err error
			if r, err = s.signIn(r, rt.lateUser); err != nil {
				s.answer(w, r, err)
				return
			}
		}
		if err := rt.handle(w, r); err != nil {
			if rt.lateUser {
				err = s.lateAuthError(r, err)
			}
			s.answer(w, r, err)
		}
	})
}
