package api

import (
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/pamps/pamps/store"
)

// obj is a JSON object in the document.
type obj = map[string]any

func ref(name string) obj { return obj{"$ref": "#/components/schemas/" + name} }

func props(required []string, p obj) obj {
	o := obj{"type": "object", "properties": p}
	if len(required) > 0 {
		o["required"] = required
	}
	return o
}

var (
	intSchema = obj{"type": "integer", "format": "int64"}
	strSchema = obj{"type": "string"}
)

// coreSchemas are the shapes of users, posts and the service.
func coreSchemas() obj {
	return obj{
		"User":       shapeSchema("User", reflect.TypeFor[store.User]()),
		"Me":         shapeSchema("Me", reflect.TypeFor[store.Me]()),
		"Post":       shapeSchema("Post", reflect.TypeFor[store.Post]()),
		"PostDetail": shapeSchema("PostDetail", reflect.TypeFor[store.PostDetail]()),
		"Follow":     shapeSchema("Follow", reflect.TypeFor[store.Follow]()),
		"SSHKey":     shapeSchema("SSHKey", reflect.TypeFor[store.SSHKey]()),
		"SSHKeyCreate": props([]string{"public_key"}, obj{"public_key": obj{"type": "string", "maxLength": store.MaxSSHKeyLen,
			"description": "one line as in ~/.ssh/id_ed25519.pub: type, base64 key, optional comment; RSA keys of at least 2048 bits", "example": "ssh-ed25519 AAAAC3Nza… ann@laptop"},
			"password": obj{"type": "string", "description": "my password: needed unless the access token comes from a password login of the last 5 minutes (a key outlives a password change and a sign-out, so a stolen token must not add one)"}}),
		"Like":              shapeSchema("Like", reflect.TypeFor[store.Like]()),
		"UserSeen":          shapeSchema("UserSeen", reflect.TypeFor[seenUser]()),
		"Block":             shapeSchema("Block", reflect.TypeFor[store.Block]()),
		"Mute":              shapeSchema("Mute", reflect.TypeFor[store.Mute]()),
		"Notification":      shapeSchema("Notification", reflect.TypeFor[store.Notification]()),
		"NotificationGroup": shapeSchema("NotificationGroup", reflect.TypeFor[store.NotificationGroup]()),
		"UnreadCount":       shapeSchema("UnreadCount", reflect.TypeFor[UnreadCount]()),
		"ReadUpTo": props(nil, obj{"up_to": obj{"type": "integer", "format": "int64", "minimum": 1,
			"description": "a notification's id: it and every older one are marked read (left out: all)"}}),
		"MuteRequest": props(nil, obj{"notifications": obj{"type": "boolean", "default": true,
			"description": "also silence their notifications"}}),
		// No route answers it: `pamps user show -o json` prints it.
		"Profile": shapeSchema("Profile", reflect.TypeFor[store.Profile]()),
		"Token": props([]string{"access_token", "refresh_token", "token_type"}, obj{
			"access_token": strSchema, "refresh_token": strSchema, "token_type": obj{"type": "string", "enum": []string{"bearer"}}}),
		"Status": props([]string{"status"}, obj{"status": strSchema}),
		"Readiness": props([]string{"status"}, obj{"status": strSchema, "replicas": obj{"type": "array",
			"description": "the read replicas, in the order of db.read_uris, when there are any (unnamed: the metrics name them); one that is not up does not fail readiness",
			"items": props([]string{"up", "lag_seconds", "reads"}, obj{
				"up":          obj{"type": "boolean", "description": "anonymous reads go to it"},
				"lag_seconds": obj{"type": "number", "description": "how far its replay was behind the primary at the last check"},
				"reason":      obj{"type": "string", "description": "why it is skipped, when it is"}, "reads": intSchema})}}),
		"EventPostDeleted": shapeSchema("EventPostDeleted", reflect.TypeFor[store.PostDeleted]()),
		"EventPostCounts":  shapeSchema("EventPostCounts", reflect.TypeFor[store.PostCounts]()),
		"HTTPError":        props([]string{"detail"}, obj{"detail": strSchema}),
		"ValidationError": props([]string{"detail"}, obj{"detail": obj{"type": "array", "items": props([]string{"loc", "msg", "type"}, obj{
			// anyOf, not a list of types: code generators read 3.0's forms.
			"loc": obj{"type": "array", "items": obj{"anyOf": []obj{{"type": "string"}, {"type": "integer"}}},
				"description": `where: ["body", field], ["query", name], ["path", name] or ["header", name] (Last-Event-ID)`},
			"msg":  strSchema,
			"type": strSchema,
		})}}),
		"UserCreate": props([]string{"email", "username", "password"}, obj{
			"email":    obj{"type": "string", "format": "email", "maxLength": store.MaxEmailLen, "description": "unique, ignoring case in every script; a domain of dot-separated labels, no IP literal"},
			"username": obj{"type": "string", "minLength": 1, "maxLength": store.MaxUsernameLen, "pattern": store.UsernamePattern, "description": "unique ignoring case; route words such as me, timeline and follow are refused"},
			"password": obj{"type": "string", "minLength": 8, "description": "at least security.password_min_length characters, at most 72 bytes"},
			"avatar":   obj{"type": []string{"string", "null"}, "format": "uri", "maxLength": store.MaxAvatarLen, "description": "an http(s) URL"},
			"bio":      obj{"type": []string{"string", "null"}, "maxLength": store.MaxBioLen},
			"invite":   obj{"type": []string{"string", "null"}, "description": "an invite code: required when registration.mode is invite (422 for a bad one)"},
		}),
		"UserPatch": props(nil, obj{
			"email":  obj{"type": "string", "format": "email", "maxLength": store.MaxEmailLen, "description": "as UserCreate's: unique, ignoring case in every script"},
			"avatar": obj{"type": []string{"string", "null"}, "format": "uri", "maxLength": store.MaxAvatarLen, "description": "an http(s) URL; null or \"\" clears it"},
			"bio": obj{"type": []string{"string", "null"}, "maxLength": store.MaxBioLen,
				"description": "no control characters but newline and tab, no bidirectional overrides; null or \"\" clears it"},
		}),
		"PasswordChange": props([]string{"current_password", "new_password"}, obj{"current_password": strSchema, "new_password": strSchema}),
		"PostCreate": props([]string{"text"}, obj{
			"text":      obj{"type": "string", "description": "1 to posts.max_length (280) code points after trimming"},
			"parent_id": obj{"type": []string{"integer", "null"}, "format": "int64", "description": "the post this replies to"},
		}),
		"PostPatch":      props([]string{"text"}, obj{"text": strSchema}),
		"RefreshRequest": props([]string{"refresh_token"}, obj{"refresh_token": strSchema}),
		"TokenForm": props([]string{"username", "password"}, obj{
			"username": obj{"type": "string", "description": "matched ignoring case"}, "password": obj{"type": "string", "format": "password"},
			"grant_type": strSchema, "scope": strSchema, "client_id": strSchema, "client_secret": strSchema,
		}),
	}
}

var errorText = map[int]string{
	400: "Refused by a rule", 401: "Not authenticated, or the token is not valid", 403: "Not allowed: not the author, not a moderator, or a withheld account",
	404: "Not found", 409: "Already taken", 413: "Request body too large",
	408: "The request body did not arrive in time",
	422: "Validation error", 429: "Over a rate limit (security.*_rate_limit)", 500: "A fault of the server's own (logged with the request id)",
	503: "The database is unavailable, or the server is still waiting for it",
}

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// openAPIDocument describes every route of the table.
func (s *Server) openAPIDocument() obj {
	paths := obj{}
	for _, rt := range s.routes {
		item, _ := paths[rt.path].(obj)
		if item == nil {
			item = obj{}
			paths[rt.path] = item
		}
		item[strings.ToLower(rt.method)] = operation(rt)
	}
	return obj{
		"openapi": "3.1.0",
		"info": obj{
			"title":       "Pamps",
			"version":     "1.0.0",
			"description": "A small social network: users, posts, replies, likes and follows. Compatible with the original Python/FastAPI Pamps.",
			"license":     obj{"name": "MIT", "identifier": "MIT"},
		},
		"servers": []obj{{"url": "/", "description": "this server"}},
		"tags": []obj{
			{"name": "auth", "description": "OAuth2 password flow and refresh tokens"},
			{"name": "users", "description": "Profiles and follows"},
			{"name": "posts", "description": "Posts, replies and likes"},
			{"name": "notifications", "description": "Replies, mentions, likes and follows of mine; GET /stream/home/ carries new ones live"},
			{"name": "search", "description": "Full-text search of posts, and of users by name and bio"},
			{"name": "streams", "description": "Live events (Server-Sent Events): `curl -N` one, or use an EventSource"},
			{"name": "service", "description": "Health and documentation"},
		},
		"paths": paths,
		"components": obj{
			"schemas": schemas(),
			"securitySchemes": obj{"OAuth2PasswordBearer": obj{
				"type":        "oauth2",
				"description": "Log in at /token; send the access token as `Authorization: Bearer <token>`.",
				"flows":       obj{"password": obj{"tokenUrl": "/token", "refreshUrl": "/refresh_token", "scopes": obj{}}},
			}},
		},
	}
}

func operation(rt route) obj {
	op := obj{"operationId": rt.id, "summary": rt.summary, "tags": []string{rt.tag}}
	var params []obj
	for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
		schema := strSchema
		if strings.HasSuffix(m[1], "_id") {
			schema = intSchema
		}
		params = append(params, obj{"name": m[1], "in": "path", "required": true, "schema": schema})
	}
	for _, q := range rt.query {
		switch q {
		case "limit":
			params = append(params, obj{"name": "limit", "in": "query", "description": "page size",
				"schema": obj{"type": "integer", "minimum": 1, "maximum": store.MaxLimit, "default": store.DefaultLimit}})
		case "cursor":
			params = append(params, obj{"name": "cursor", "in": "query", "description": `where the page starts: take it from the previous page's Link rel="next"`,
				"schema": strSchema})
		case "order":
			params = append(params, obj{"name": "order", "in": "query", "description": "asc: oldest first, as the original; desc: newest first, the newest posts on the first page",
				"schema": obj{"type": "string", "enum": []string{"asc", "desc"}, "default": "asc"}})
		case "include_replies", "unread":
			params = append(params, obj{"name": q, "in": "query", "description": "1/true/yes/on or 0/false/no/off",
				"schema": obj{"type": "boolean", "default": false}})
		case "q":
			params = append(params, obj{"name": "q", "in": "query", "required": true, "schema": obj{"type": "string", "minLength": 1, "maxLength": store.MaxSearchLen},
				"description": `words, all of which must appear (case ignored, accents as typed); "a phrase"; -word excludes it. Stray quotes and operators are read as words`,
				"example":     `coffee "good morning" -tea`})
		case "from":
			params = append(params, obj{"name": "from", "in": "query", "description": "only this user's posts (a username; an unknown one has none)", "schema": strSchema})
		case "types":
			params = append(params, obj{"name": "types", "in": "query", "description": "only these types, comma-separated: " + typeNames(),
				"schema": strSchema, "example": "reply,mention"})
		}
	}
	if rt.okSchema == "events" {
		params = append(params, obj{"name": "Last-Event-ID", "in": "header", "description": "resume after this event: what was missed within server.stream_replay is sent first, else the stream starts with `event: reset`",
			"schema": obj{"type": "string", "pattern": `^[0-9]+(\.[1-9][0-9]*)?$`, "example": "4404692419936256"}})
	}
	if params != nil {
		op["parameters"] = params
	}
	if rt.body != "" {
		if name, ok := strings.CutPrefix(rt.body, "form:"); ok {
			op["requestBody"] = obj{"required": true, "content": obj{
				"application/x-www-form-urlencoded": obj{"schema": ref(name)},
				"multipart/form-data":               obj{"schema": ref(name)},
			}}
		} else {
			name, optional := strings.CutSuffix(rt.body, "?") // "?": the body may be left out
			op["requestBody"] = obj{"required": !optional, "content": obj{"application/json": obj{"schema": ref(name)}}}
		}
	}
	op["security"] = []obj{} // public
	switch {
	case rt.auth:
		op["security"] = []obj{{"OAuth2PasswordBearer": []string{}}}
	case rt.viewer: // a token is optional: it makes the read the caller's
		op["security"] = []obj{{}, {"OAuth2PasswordBearer": []string{}}}
	}
	responses := obj{strconv.Itoa(rt.ok): success(rt)}
	for _, a := range rt.also {
		r := success(rt)
		r["description"] = a.desc
		responses[strconv.Itoa(a.status)] = r
	}
	errs := rt.errors
	if rt.body != "" {
		errs = append(errs, 408, 413)
	}
	// Any route that reads the database answers 503 while it cannot be
	// reached (docs/API.md §1), and 500 for a fault of the server's own.
	if rt.tag != "service" {
		errs = append(errs, 500, 503)
	}
	for _, code := range errs {
		schema := ref("HTTPError")
		if code == 422 {
			schema = ref("ValidationError")
		}
		r := obj{"description": errorText[code], "content": obj{"application/json": obj{"schema": schema}}}
		switch code {
		case 401:
			r["headers"] = obj{"WWW-Authenticate": obj{"schema": obj{"type": "string", "enum": []string{"Bearer"}}}}
		case 429:
			r["headers"] = obj{"Retry-After": obj{"description": "seconds to wait", "schema": obj{"type": "integer"}}}
		}
		responses[strconv.Itoa(code)] = r
	}
	op["responses"] = responses
	return op
}

func success(rt route) obj {
	desc := http.StatusText(rt.ok)
	switch {
	case rt.keysLeft:
		return obj{"description": desc + "; when SSH keys are still on the account (they sign in to the TUI over SSH whatever the tokens), " +
			"SSH-Keys-Remaining says how many and Link leads to them (DELETE /user/me/keys/{key_id}/ removes one)",
			"headers": obj{
				"SSH-Keys-Remaining": obj{"description": "how many SSH keys still sign in to the account", "schema": obj{"type": "integer"}},
				"Link":               obj{"description": `</user/me/keys/>; rel="ssh-keys"`, "schema": strSchema}}}
	case rt.okSchema == "":
		return obj{"description": desc}
	case rt.okSchema == "events":
		return obj{"description": "A text/event-stream, open until the client leaves: `retry: 2000` first, then events, each with an `id:` of its own that grows across the service " +
			"(a position; for `post.counts`, the position of the event before it, a dot and a rank: 4404692419936256.1), " +
			"an `event:` name and one line of JSON `data:` — `post` and `post.updated`: a Post; `post.deleted`: an EventPostDeleted; `post.counts`: an EventPostCounts " +
			"(at most one per post per second); `notification` (GET /stream/home/ only): a Notification of the caller's; `reset`: events were missed, reload. A comment `: ping` every 15 s. " +
			"A client that falls more than server.stream_buffer events behind is disconnected.",
			"content": obj{"text/event-stream": obj{"schema": strSchema}}}
	case rt.okSchema == "html":
		return obj{"description": desc, "content": obj{"text/html": obj{"schema": strSchema}}}
	case rt.okSchema == "object":
		return obj{"description": desc, "content": obj{"application/json": obj{"schema": obj{"type": "object"}}}}
	case strings.HasPrefix(rt.okSchema, "[]"):
		return obj{"description": desc + `; while more items remain, a Link header with rel="next"`,
			"headers": obj{"Link": obj{"description": `<URL of the next page>; rel="next"`, "schema": strSchema}},
			"content": obj{"application/json": obj{"schema": obj{"type": "array", "items": ref(rt.okSchema[2:])}}}}
	}
	if rt.okSchema == "PostDetail" {
		return obj{"description": desc + fmt.Sprintf(`; when the post has more than %d direct replies, a Link header with rel="next" leads to the rest`, store.DetailReplies),
			"headers": obj{"Link": obj{"description": `<GET /post/{post_id}/replies/ after the last reply carried>; rel="next"`, "schema": strSchema}},
			"content": obj{"application/json": obj{"schema": ref(rt.okSchema)}}}
	}
	if a, b, ok := strings.Cut(rt.okSchema, "|"); ok { // anonymous, or with a token
		return obj{"description": desc + "; with a token, " + b, "content": obj{"application/json": obj{"schema": obj{"anyOf": []obj{ref(a), ref(b)}}}}}
	}
	return obj{"description": desc, "content": obj{"application/json": obj{"schema": ref(rt.okSchema)}}}
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.openAPIDocument())
	return nil
}

// OpenAPI returns the document, for `pamps openapi`.
func (s *Server) OpenAPI() map[string]any { return s.openAPIDocument() }
