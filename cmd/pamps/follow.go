package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/live"
)

// Following a list (`post list -f`, `timeline NAME -f`, `post show ID -f`)
// prints what arrives after it, from the store's event streams, until
// Ctrl-C (exit 130), as `tail -f` does: new posts as rows of the list
// (tab-separated when piped), edits and deletions as notices on a
// terminal, and with -o json every event as one line of JSON.

// followSpec says what a followed list takes.
type followSpec struct {
	stream store.Stream
	keep   func(e store.Event) bool // nil keeps all the stream carries
	listed map[int64]bool           // posts the list printed: not printed again
}

// followFrom is where a follow's events start: taken before its list is
// read, so that a post committed between the two is printed (once: see
// followSpec.listed). Without -f it is not needed.
func (a *App) followFrom(ctx context.Context, follow bool) (int64, error) {
	if !follow {
		return -1, nil
	}
	return a.events().Position(ctx)
}

// listedIDs are the posts a follow's list printed.
func listedIDs(posts []store.Post) map[int64]bool {
	in := make(map[int64]bool, len(posts))
	for _, p := range posts {
		in[p.ID] = true
	}
	return in
}

// followLine is an event as a line of JSON (-o json -f).
type followLine struct {
	Event store.EventKind `json:"event"`
	ID    int64           `json:"id,omitempty"`
	Seq   int             `json:"seq,omitempty"` // a post.counts flush after the event at id (the API's "id.seq")
	Data  any             `json:"data"`
}

// followStart prints the list a follow begins with: as JSON lines under
// -o json (the events that follow are lines too), else as the list.
func followStart(p *printer, posts []store.Post) error {
	if p.format != formatJSON {
		return p.posts(posts)
	}
	for i := range posts {
		if err := writeJSONLine(p, followLine{Event: store.EventPost, Data: posts[i]}); err != nil {
			return err
		}
	}
	return nil
}

func writeJSONLine(p *printer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(p.w, string(b))
	return err
}

// follow prints the events of spec after from (see followFrom) until ctx
// ends (Ctrl-C: exit 130).
func (a *App) follow(ctx context.Context, p *printer, from int64, spec followSpec) error {
	sub, err := a.events().Subscribe(ctx, spec.stream, live.SubscribeOptions{After: from})
	if err != nil {
		return err
	}
	defer sub.Close()
	if p.format == formatTable {
		fmt.Fprintln(p.errw, p.st.dim.Render("following; Ctrl-C to stop"))
	}
	last, lastSeq := int64(-1), 0
	for {
		e, err := sub.Next(ctx)
		switch {
		case ctx.Err() != nil:
			return silentError{code: exitSignal}
		case errors.Is(err, live.ErrSlowSubscriber):
			// The terminal fell behind a burst: pick up after the last event.
			if sub, err = a.events().Subscribe(ctx, spec.stream, live.SubscribeOptions{After: last, AfterSeq: lastSeq}); err != nil {
				return err
			}
			defer sub.Close()
			continue
		case err != nil:
			return err
		}
		last, lastSeq = e.ID, e.Seq
		if (spec.keep != nil && !spec.keep(e)) || (e.Kind == store.EventPost && spec.listed[e.PostID]) {
			continue
		}
		if err := a.printEvent(p, e); err != nil {
			return err
		}
	}
}

// printEvent writes one followed event in the printer's format.
func (a *App) printEvent(p *printer, e store.Event) error {
	if p.format == formatJSON {
		return writeJSONLine(p, followLine{Event: e.Kind, ID: e.ID, Seq: e.Seq, Data: e.Data()})
	}
	switch e.Kind {
	case store.EventPost:
		return p.postLine(*e.Post)
	case store.EventReset:
		if p.format == formatTable {
			_, err := fmt.Fprintln(p.w, p.st.dim.Render("(some events were missed)"))
			return err
		}
	case store.EventPostUpdated:
		if p.format == formatTable {
			_, err := fmt.Fprintln(p.w, p.st.dim.Render(fmt.Sprintf("post %d edited: ", e.PostID))+store.Printable(e.Post.Text))
			return err
		}
	case store.EventNotification:
		if p.format == formatPlain {
			return p.notifications([]store.Notification{*e.Notification})
		}
		row := p.notificationRow(*e.Notification)
		_, err := fmt.Fprintf(p.w, "%s %s %s %s\n", p.st.accent.Render("●"), row[2], row[3], row[6])
		return err
	case store.EventPostDeleted:
		if p.format == formatTable {
			_, err := fmt.Fprintln(p.w, p.st.dim.Render(fmt.Sprintf("post %d deleted", e.PostID)))
			return err
		}
	}
	return nil // counts move too often to print; -o json carries them
}

// postLine prints one new post: a row of the plain list when piped, a
// line of its own on a terminal.
func (p *printer) postLine(post store.Post) error {
	if p.format == formatPlain {
		return p.posts([]store.Post{post})
	}
	reply := ""
	if post.ParentID != nil {
		reply = p.st.dim.Render(fmt.Sprintf(" ↳ %d", *post.ParentID))
	}
	_, err := fmt.Fprintf(p.w, "%s %s%s %s\n", p.st.dim.Render(fmt.Sprintf("#%d", post.ID)),
		p.st.name.Render(store.Printable(post.Username)), reply, store.Printable(post.Text))
	return err
}
