package tui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/pamps/pamps/store"
)

// fetchPosts loads one page of a list, after cursor ("" is the newest).
type fetchPosts func(ctx context.Context, cursor string, limit int) (store.Page[store.Post], error)

// postList is a scrollable, keyset-paginated list of posts: it holds only
// the pages seen so far and asks for the next one near the bottom.
type postList struct {
	name    string
	fetch   fetchPosts
	items   []store.Post
	next    string
	loaded  bool
	loading bool
	sel     int
	offset  int
	waiting []store.Post // newer posts not shown yet ("N new posts")
	// The first page's read may predate a change that arrives while it
	// loads (a new post, an edit, a deletion): the change is kept here and
	// made again to the page (see later).
	replacing bool
	during    []func()
	// wants says which new posts of the live streams belong here; nil
	// for a list that takes none (Liked).
	wants func(liveEvent) bool
	// terms are the words a search found: drawn highlighted.
	terms []string
}

func newPostList(name string, wants func(liveEvent) bool, fetch fetchPosts) *postList {
	return &postList{name: name, fetch: fetch, wants: wants}
}

// Messages about lists.
type (
	pageMsg struct {
		list     *postList
		page     store.Page[store.Post]
		appendTo bool
		err      error
	}
)

// load fetches the first page (replacing the list) or the next one.
func (l *postList) load(m *Model, more bool) tea.Cmd {
	if l.loading || (more && l.next == "") {
		return nil
	}
	l.loading, l.replacing = true, !more
	cursor := ""
	if more {
		cursor = l.next
	}
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		page, err := l.fetch(ctx, cursor, m.opt.PageSize)
		return pageMsg{list: l, page: page, appendTo: more, err: err}
	}
}

func (l *postList) apply(msg pageMsg) {
	l.loading = false
	during := l.during
	l.during = nil
	defer func() {
		for _, change := range during {
			change()
		}
	}()
	if msg.err != nil {
		return
	}
	l.loaded = true
	if msg.appendTo {
		l.items = append(l.items, msg.page.Items...)
	} else {
		l.items = msg.page.Items
		l.waiting = nil
		l.sel, l.offset = min(l.sel, max(len(l.items)-1, 0)), 0
	}
	l.next = msg.page.Next
}

// arrive takes a new post from the live streams: at once when the reader
// is at the top, otherwise behind an "N new posts" line. One shown already
// (my own, put in at once) stays as it is.
func (l *postList) arrive(p store.Post) {
	if l.later(func() { l.arrive(p) }) {
		return
	}
	if !l.loaded {
		return // no list yet: its first read comes after this post
	}
	for _, q := range l.items {
		if q.ID == p.ID {
			return
		}
	}
	for _, q := range l.waiting {
		if q.ID == p.ID {
			return
		}
	}
	l.waiting = append([]store.Post{p}, l.waiting...)
	if l.sel == 0 && l.offset == 0 {
		l.showWaiting()
	}
}

// later keeps change, while the first page loads, to make to the page
// when it comes; it says whether it did.
func (l *postList) later(change func()) bool {
	if !l.loading || !l.replacing {
		return false
	}
	if len(l.during) < liveQueueMax {
		l.during = append(l.during, change)
	}
	return true
}

// edit changes a post in place, wherever it is (shown or waiting).
func (l *postList) edit(id int64, change func(*store.Post)) {
	l.later(func() { l.edit(id, change) })
	for i := range l.items {
		if l.items[i].ID == id {
			change(&l.items[i])
		}
	}
	for i := range l.waiting {
		if l.waiting[i].ID == id {
			change(&l.waiting[i])
		}
	}
}

func (l *postList) showWaiting() {
	if len(l.waiting) == 0 {
		return
	}
	l.items = append(append([]store.Post{}, l.waiting...), l.items...)
	l.waiting = nil
	l.sel, l.offset = 0, 0
}

func (l *postList) selected() (store.Post, bool) {
	if l.sel < 0 || l.sel >= len(l.items) {
		return store.Post{}, false
	}
	return l.items[l.sel], true
}

// move shifts the selection and asks for the next page near the bottom.
func (l *postList) move(m *Model, delta int) tea.Cmd {
	if len(l.items) == 0 {
		return nil
	}
	l.sel = step(l.sel, delta, len(l.items))
	if l.sel >= len(l.items)-5 && l.next != "" {
		return l.load(m, true)
	}
	return nil
}

// update replaces a post everywhere it is shown (after a like or an edit).
func (l *postList) update(p store.Post) {
	l.later(func() { l.update(p) })
	for i := range l.items {
		if l.items[i].ID == p.ID {
			l.items[i] = p
		}
	}
}

// removeAuthor drops a member's posts: they blocked or muted them.
func (l *postList) removeAuthor(userID int64) {
	keep := func(list []store.Post) []store.Post {
		return slices.DeleteFunc(list, func(p store.Post) bool { return p.UserID == userID })
	}
	l.items, l.waiting = keep(l.items), keep(l.waiting)
	l.sel = max(0, min(l.sel, len(l.items)-1))
}

func (l *postList) remove(id int64) {
	l.later(func() { l.remove(id) })
	keep := func(list []store.Post) []store.Post {
		out := list[:0]
		for _, p := range list {
			if p.ID != id && (p.ParentID == nil || *p.ParentID != id) {
				out = append(out, p)
			}
		}
		return out
	}
	l.items, l.waiting = keep(l.items), keep(l.waiting)
	l.sel = max(0, min(l.sel, len(l.items)-1))
}

// view draws the list in width × height, keeping the selection in sight.
func (l *postList) view(m *Model, width, height int) string {
	var b strings.Builder
	if n := len(l.waiting); n > 0 {
		word := "posts"
		if n == 1 {
			word = "post"
		}
		b.WriteString(m.styles.Banner.Render(fmt.Sprintf("↑ %d new %s — press u to show", n, word)) + "\n")
		height--
	}
	switch {
	case !l.loaded && l.loading:
		return b.String() + m.styles.Dim.Render("Loading…")
	case len(l.items) == 0:
		return b.String() + m.styles.Dim.Render(emptyText(l.name))
	}
	rendered := make([]string, len(l.items))
	heights := make([]int, len(l.items))
	render := func(i int) {
		if rendered[i] == "" {
			rendered[i] = renderPost(m, l.items[i], i == l.sel, width, false, l.terms...)
			heights[i] = lipgloss.Height(rendered[i])
		}
	}
	if l.sel < l.offset {
		l.offset = l.sel
	}
	// The window's top: the highest post at or below the old top from which
	// the selection still fits, found upwards from the selection so that
	// only posts on screen are drawn (a jump to the bottom skips hundreds).
	render(l.sel)
	top, used := l.sel, heights[l.sel]
	for top > l.offset {
		render(top - 1)
		if used+heights[top-1] > height {
			break
		}
		top--
		used += heights[top]
	}
	l.offset = top
	used = 0
	for i := l.offset; i < len(l.items); i++ {
		render(i)
		if used+heights[i] > height && i > l.offset {
			break
		}
		b.WriteString(rendered[i] + "\n")
		used += heights[i]
	}
	if l.loading {
		b.WriteString(m.styles.Dim.Render("Loading more…"))
	}
	return strings.TrimRight(b.String(), "\n")
}

func emptyText(name string) string {
	switch name {
	case "Home":
		return "Nothing here yet: follow people (5 People, then f) to see their posts."
	case "Liked":
		return "No liked posts yet: press l on a post to like it."
	case "Mine":
		return "You have not posted yet: press n to write your first post."
	case "Search":
		return "Nothing found. Press / to search again."
	}
	return "No posts yet: press n to write one."
}
