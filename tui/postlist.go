package tui

import (
	"context"
	"fmt"
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
	live    bool         // polled for newer posts
}

func newPostList(name string, live bool, fetch fetchPosts) *postList {
	return &postList{name: name, fetch: fetch, live: live}
}

// Messages about lists.
type (
	pageMsg struct {
		list     *postList
		page     store.Page[store.Post]
		appendTo bool
		err      error
	}
	pollMsg struct {
		list  *postList
		fresh []store.Post
		full  bool // more posts follow the page
		err   error
	}
)

// load fetches the first page (replacing the list) or the next one.
func (l *postList) load(m *Model, more bool) tea.Cmd {
	if l.loading || (more && l.next == "") {
		return nil
	}
	l.loading = true
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

// poll asks for posts newer than the first one shown.
func (l *postList) poll(m *Model) tea.Cmd {
	if !l.live || !l.loaded || l.loading {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		page, err := l.fetch(ctx, "", m.opt.PageSize)
		return pollMsg{list: l, fresh: page.Items, err: err, full: page.Next != ""}
	}
}

// topID is the newest id known: shown or waiting.
func (l *postList) topID() int64 {
	if len(l.waiting) > 0 {
		return l.waiting[0].ID
	}
	if len(l.items) > 0 {
		return l.items[0].ID
	}
	return 0
}

// applyPoll keeps the posts newer than those shown; when the reader is at the
// top they go straight in, otherwise they wait behind an "N new posts" line.
// The newest page also says what changed among the posts it covers: those
// missing from it were deleted elsewhere and leave, the rest take its counts.
func (l *postList) applyPoll(msg pollMsg) {
	if msg.err != nil {
		return
	}
	l.sync(msg.fresh, msg.full)
	top := l.topID()
	var newer []store.Post
	for _, p := range msg.fresh {
		if p.ID > top {
			newer = append(newer, p)
		}
	}
	if len(newer) == 0 {
		return
	}
	l.waiting = append(newer, l.waiting...)
	if l.sel == 0 && l.offset == 0 {
		l.showWaiting()
	}
}

// sync applies the newest page (newest first, by id) to the posts it
// covers: ids from its oldest up, or every post when no page follows it.
func (l *postList) sync(fresh []store.Post, more bool) {
	var oldest int64
	if more && len(fresh) > 0 {
		oldest = fresh[len(fresh)-1].ID
	}
	byID := make(map[int64]store.Post, len(fresh))
	for _, p := range fresh {
		byID[p.ID] = p
	}
	keep := func(list []store.Post) []store.Post {
		out := list[:0]
		for _, p := range list {
			if p.ID < oldest {
				out = append(out, p)
				continue
			}
			if q, ok := byID[p.ID]; ok {
				out = append(out, q)
			}
		}
		return out
	}
	l.items = keep(l.items)
	l.waiting = keep(l.waiting)
	l.sel = max(0, min(l.sel, len(l.items)-1))
}

func (l *postList) showWaiting() {
	if len(l.waiting) == 0 {
		return
	}
	shown := len(l.items) > 0
	l.items = append(append([]store.Post{}, l.waiting...), l.items...)
	if shown && (l.sel != 0 || l.offset != 0) {
		l.sel += len(l.waiting)
	}
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
	l.sel = max(0, min(len(l.items)-1, l.sel+delta))
	if l.sel >= len(l.items)-5 && l.next != "" {
		return l.load(m, true)
	}
	return nil
}

// update replaces a post everywhere it is shown (after a like or an edit).
func (l *postList) update(p store.Post) {
	for i := range l.items {
		if l.items[i].ID == p.ID {
			l.items[i] = p
		}
	}
}

func (l *postList) remove(id int64) {
	out := l.items[:0]
	for _, p := range l.items {
		if p.ID != id && (p.ParentID == nil || *p.ParentID != id) {
			out = append(out, p)
		}
	}
	l.items = out
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
			rendered[i] = renderPost(m, l.items[i], i == l.sel, width, false)
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
	}
	return "No posts yet: press n to write one."
}
