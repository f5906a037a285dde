package api

import (
	"net/http"
	"time"
)

// A member's own data (docs/API.md §3e): the export, and leaving.

// exportSlice is how long each write of an export may take: the server's
// write timeout bounds a whole answer, and an export of a long history
// takes longer; a client that stops reading still ends it.
const exportSlice = 30 * time.Second

// exportMe is GET /user/me/export/: the document is written as the store
// reads it, a page at a time.
func (s *Server) exportMe(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Disposition", `attachment; filename="pamps-export.json"`)
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	err := s.store.WriteExport(r.Context(), u.ID, &deadlineWriter{w: w, rc: http.NewResponseController(w)})
	if err != nil && r.Context().Err() == nil {
		// The head is out: the client sees a document cut short.
		s.log.Error("export", "request_id", requestID(r), "user", u.Username, "error", err)
	}
	return nil
}

// deadlineWriter moves the write deadline on before each write.
type deadlineWriter struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

func (d *deadlineWriter) Write(p []byte) (int, error) {
	_ = d.rc.SetWriteDeadline(time.Now().Add(exportSlice)) // not every writer supports it
	return d.w.Write(p)
}

// deleteMe is DELETE /user/me/ with {"password"}: the member leaves.
func (s *Server) deleteMe(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r, "password")
	if err != nil {
		return err
	}
	password := b.str("password")
	if err := b.err(); err != nil {
		return err
	}
	if err := s.store.DeleteAccount(r.Context(), currentUser(r).ID, password); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// memberDataRoutes are §3e's routes, in the same table as the rest.
func (s *Server) memberDataRoutes() []route {
	return []route{
		{method: "GET", path: "/user/me/export/", id: "exportMe", tag: "users", summary: "All my data as one JSON document: my profile with email, posts and replies, whom I follow, my followers, the posts I liked, whom I block and mute, my notifications (streamed, whatever its size)", auth: true,
			ok: 200, okSchema: "Export", errors: []int{401}, handle: s.exportMe},
		{method: "DELETE", path: "/user/me/", id: "deleteMe", tag: "users", summary: "Leave: delete my account and all that is mine (my password confirms it); every token, stream and SSH session of mine ends", auth: true,
			body: "AccountDelete", ok: 204, errors: []int{400, 401, 422}, handle: s.deleteMe},
	}
}

// memberDataSchemas are the shapes of §3e.
func memberDataSchemas() obj {
	list := func(of string) obj { return obj{"type": "array", "items": ref(of)} }
	return obj{
		"Export": props([]string{"user", "posts", "following", "followers", "likes", "blocks", "mutes", "notifications"}, obj{
			"user": ref("Me"), "posts": list("Post"), "following": list("User"), "followers": list("User"),
			"likes": list("Post"), "blocks": list("User"), "mutes": list("User"), "notifications": list("Notification"),
		}),
		"AccountDelete": props([]string{"password"}, obj{"password": obj{"type": "string", "format": "password", "description": "my password, to confirm"}}),
	}
}
