package store

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
)

// A member's own data (docs/API.md §3e): one JSON document, written as it
// is read, a page at a time, so that memory does not grow with the
// member's history: {"user": Me, "posts": [Post], "following": [User],
// "followers": [User], "likes": [Post], "blocks": [User], "mutes": [User],
// "notifications": [Notification]}.

// exportPage is how many items each read of an export takes.
const exportPage = 500

// WriteExport writes userID's export to w. The lists are read as the
// operator reads them (everything that is the member's, whoever it shows),
// each in its own order: posts and replies oldest first, the rest most
// recent first. A write that fails (the client left) ends it.
func (s *Store) WriteExport(ctx context.Context, userID int64, w io.Writer) error {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	e := &exportWriter{w: bw}
	e.raw(`{"user":`)
	e.item(u.AsMe())
	e.section("posts", func(c string) (any, string, error) {
		p, err := s.ListPosts(ctx, PostList{AuthorID: userID, Replies: true, Cursor: c, Limit: exportPage, Viewer: OperatorView})
		return p.Items, p.Next, err
	})
	e.section("following", func(c string) (any, string, error) {
		p, err := s.Following(ctx, userID, OperatorView, c, exportPage)
		return p.Items, p.Next, err
	})
	e.section("followers", func(c string) (any, string, error) {
		p, err := s.Followers(ctx, userID, OperatorView, c, exportPage)
		return p.Items, p.Next, err
	})
	e.section("likes", func(c string) (any, string, error) {
		p, err := s.LikedPosts(ctx, userID, OperatorView, c, exportPage)
		return p.Items, p.Next, err
	})
	e.section("blocks", func(c string) (any, string, error) {
		p, err := s.Blocks(ctx, userID, c, exportPage)
		return p.Items, p.Next, err
	})
	e.section("mutes", func(c string) (any, string, error) {
		p, err := s.Mutes(ctx, userID, c, exportPage)
		return p.Items, p.Next, err
	})
	e.section("notifications", func(c string) (any, string, error) {
		p, err := s.Notifications(ctx, userID, NotificationFilter{}, c, exportPage)
		return p.Items, p.Next, err
	})
	e.raw("}\n")
	if e.err == nil {
		e.err = bw.Flush()
	}
	return e.err
}

// exportWriter writes the document, keeping the first error.
type exportWriter struct {
	w   *bufio.Writer
	err error
}

func (e *exportWriter) raw(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

func (e *exportWriter) item(v any) {
	if e.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		e.err = err
		return
	}
	_, e.err = e.w.Write(b)
}

// section writes "name": [items...], reading pages until the last.
func (e *exportWriter) section(name string, page func(cursor string) (any, string, error)) {
	e.raw(`,"` + name + `":[`)
	first, cursor := true, ""
	for e.err == nil {
		items, next, err := page(cursor)
		if err != nil {
			e.err = err
			return
		}
		raw, err := json.Marshal(items) // one page: a JSON array
		if err != nil {
			e.err = err
			return
		}
		if inner := raw[1 : len(raw)-1]; len(inner) > 0 {
			if !first {
				e.raw(",")
			}
			first = false
			if e.err == nil {
				_, e.err = e.w.Write(inner)
			}
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	e.raw("]")
}

// DeleteAccount is a member leaving (DELETE /user/me/): with their
// password (ErrIncorrectPassword), their account goes with all that is
// theirs (DeleteUser). Their tokens then name no one; the account event
// of the deletion ends their streams and SSH sessions.
func (s *Store) DeleteAccount(ctx context.Context, userID int64, password string) error {
	if err := s.verifyPassword(ctx, userID, password); err != nil {
		return err
	}
	return s.DeleteUser(ctx, userID)
}
