package api

import (
	"net/http"
	"strings"

	"github.com/pamps/pamps/store"
)

// The routes of notifications (docs/API.md §3c). Who may notify whom, and
// what a member's lists leave out, is the store's.

// notificationQuery is a notification list's query: the page, types=
// and unread=.
type notificationQuery struct {
	listQuery
	filter store.NotificationFilter
}

func readNotificationQuery(r *http.Request) (notificationQuery, error) {
	var e inputError
	nq := notificationQuery{listQuery: readList(r, &e)}
	q := lastValues(r)
	if q.Has("types") {
		types, err := store.ParseNotificationTypes(q.Get("types"))
		if err != nil {
			e.add("value is not a comma-separated list of reply, mention, like, follow, report, signup", "type_error.enum", "query", "types")
		}
		nq.filter.Types = types
	}
	nq.filter.Unread = queryBool(q, "unread", &e)
	return nq, e.orNil()
}

func (s *Server) notifications(w http.ResponseWriter, r *http.Request) error {
	q, err := readNotificationQuery(r)
	if err != nil {
		return err
	}
	page, err := s.store.Notifications(r.Context(), currentUser(r).ID, q.filter, q.cursor, q.limit)
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}

func (s *Server) notificationGroups(w http.ResponseWriter, r *http.Request) error {
	q, err := readNotificationQuery(r)
	if err != nil {
		return err
	}
	page, err := s.store.NotificationGroups(r.Context(), currentUser(r).ID, q.filter, q.cursor, q.limit)
	if err != nil {
		return err
	}
	writePage(s, w, r, page, q.limit)
	return nil
}

// UnreadCount is GET /notifications/unread/'s answer.
type UnreadCount struct {
	Count int64 `json:"count"`
}

func (s *Server) unreadNotifications(w http.ResponseWriter, r *http.Request) error {
	n, err := s.store.UnreadNotifications(r.Context(), currentUser(r).ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, UnreadCount{Count: n})
	return nil
}

func (s *Server) markNotificationsRead(w http.ResponseWriter, r *http.Request) error {
	b, err := readOptionalBody(r, "up_to")
	if err != nil {
		return err
	}
	upTo := b.optID("up_to")
	if upTo != nil && *upTo < 1 {
		b.issues.add("ensure this value is greater than 0", "value_error.number.not_gt", "body", "up_to")
	}
	if err := b.err(); err != nil {
		return err
	}
	var id int64 // 0: all
	if upTo != nil {
		id = *upTo
	}
	if err := s.store.MarkNotificationsRead(r.Context(), currentUser(r).ID, id); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// typeNames lists the notification types for the document.
func typeNames() string {
	var out []string
	for _, t := range store.NotificationTypes() {
		out = append(out, string(t))
	}
	return strings.Join(out, ", ")
}
