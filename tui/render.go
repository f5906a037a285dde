package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/pamps/pamps/store"
)

// renderPost draws one post: author, time, counts, a mark when I like it,
// and the text wrapped to the width.
// terms are words to highlight (a search's).
func renderPost(m *Model, p store.Post, selected bool, width int, inThread bool, terms ...string) string {
	// Drawing a post (lipgloss measuring every grapheme) was two thirds of
	// a screen's cost, and every event redraws every open screen (300 SSH
	// sessions: bench/ssh.sh): a post is drawn once per look.
	k := postLook{id: p.ID, text: p.Text, user: p.Username, likes: p.Likes, replies: p.ReplyCount, liked: p.Liked,
		ago: ago(m.now(), p.Date.Time), selected: selected, width: width, inThread: inThread, terms: strings.Join(terms, " ")}
	if p.ParentID != nil {
		k.parent = *p.ParentID
	}
	if s, ok := m.drawn[k]; ok {
		return s
	}
	s := drawPost(m, p, selected, width, inThread, terms)
	if len(m.drawn) >= 512 { // a screen shows a few dozen: start again
		clear(m.drawn)
	}
	m.drawn[k] = s
	return s
}

// postLook is everything a drawn post depends on (with the styles, whose
// change clears the cache).
type postLook struct {
	id, parent, likes, replies int64
	text, user, ago, terms     string
	liked, selected, inThread  bool
	width                      int
}

func drawPost(m *Model, p store.Post, selected bool, width int, inThread bool, terms []string) string {
	st := m.styles
	likes := fmt.Sprintf("♥ %d", p.Likes)
	if p.Liked {
		likes = st.Liked.Render(likes + " ✓")
	} else {
		likes = st.Meta.Render(likes)
	}
	head := st.Author.Render(store.Printable(p.Username)) + st.Meta.Render(" · "+ago(m.now(), p.Date.Time)) + "  " + likes +
		st.Meta.Render(fmt.Sprintf("  ↩ %d", p.ReplyCount))
	if p.ParentID != nil && !inThread {
		head += st.Meta.Render(fmt.Sprintf("  (reply to #%d)", *p.ParentID))
	}
	box := st.Item
	if selected {
		box = st.Selected
	}
	// The box is border (1) + padding (1) + text: width-1 cells in all.
	// Text wraps at a readable measure, however wide the terminal.
	inner := max(width-3, 10)
	body := st.Text.Width(min(inner, readableWidth)).Render(highlight(st, store.Printable(p.Text), terms))
	return lipgloss.NewStyle().MarginBottom(1).Render(box.Width(inner + 2).Render(head + "\n" + body))
}

// readableWidth is the widest a post's text runs before it wraps: lines of
// 200 columns are hard to follow.
const readableWidth = 88

// ago is a short relative time.
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "now"
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%dd", int(d.Hours()/24))
	}
	return t.UTC().Format("2 Jan 2006")
}
