package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/pamps/pamps/store"
)

// thread shows a post and its replies as an indented tree; r replies in place.
type thread struct {
	rootID  int64
	rows    []store.ThreadPost
	parent  *store.Post // the post the root replies to, shown above it (p opens it)
	loaded  bool
	sel     int
	offset  int
	missing bool
}

type threadMsg struct {
	t      *thread
	rows   []store.ThreadPost
	parent *store.Post
	err    error
}

func newThread(m *Model, id int64) (screen, tea.Cmd) {
	t := &thread{rootID: id}
	return t, t.load(m)
}

func (t *thread) title() string { return fmt.Sprintf("Thread #%d", t.rootID) }

func (t *thread) load(m *Model) tea.Cmd {
	me := m.me.ID
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		rows, err := m.st.Thread(ctx, t.rootID, me)
		msg := threadMsg{t: t, rows: rows, err: err}
		if err == nil && len(rows) > 0 && rows[0].ParentID != nil {
			if p, perr := m.st.GetPost(ctx, *rows[0].ParentID, me); perr == nil {
				msg.parent = &p
			}
		}
		return msg
	}
}

func (t *thread) replace(p store.Post) {
	for i := range t.rows {
		if t.rows[i].ID == p.ID {
			t.rows[i].Post = p
		}
	}
}

func (t *thread) selected() (store.Post, bool) {
	if t.sel < len(t.rows) {
		return t.rows[t.sel].Post, true
	}
	return store.Post{}, false
}

func (t *thread) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case threadMsg:
		if msg.t != t {
			return t, nil
		}
		if msg.err != nil {
			t.missing = true
			m.fail(msg.err)
			return t, nil
		}
		t.rows, t.parent, t.loaded = msg.rows, msg.parent, true
		t.sel = min(t.sel, len(t.rows)-1)
		return t, nil
	case scrollMsg:
		t.sel = step(t.sel, int(msg), len(t.rows))
		return t, nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Back):
			return nil, nil
		case key.Matches(msg, m.keys.Up):
			t.sel = max(0, t.sel-1)
		case key.Matches(msg, m.keys.Down):
			t.sel = step(t.sel, 1, len(t.rows))
		case key.Matches(msg, m.keys.Top):
			t.sel = 0
		case key.Matches(msg, m.keys.Bottom):
			t.sel = max(0, len(t.rows)-1)
		case key.Matches(msg, m.keys.Refresh):
			return t, t.load(m)
		case key.Matches(msg, m.keys.Parent) && t.parent != nil:
			return t, m.push(newThread(m, t.parent.ID))
		}
		p, ok := t.selected()
		if !ok {
			return t, nil
		}
		switch {
		case key.Matches(msg, m.keys.Reply):
			return t, m.push(newComposer(m, composeReply, p))
		case key.Matches(msg, m.keys.Like):
			return t, m.toggleLike(p)
		case key.Matches(msg, m.keys.Follow):
			return t, m.toggleFollow(p.UserID, p.Username)
		case key.Matches(msg, m.keys.Open):
			return t, m.push(newProfile(m, p.Username))
		case key.Matches(msg, m.keys.Edit) && p.UserID == m.me.ID:
			return t, m.push(newComposer(m, composeEdit, p))
		case key.Matches(msg, m.keys.Del) && p.UserID == m.me.ID:
			return t, m.push(newConfirm(p))
		}
	}
	return t, nil
}

func (t *thread) view(m *Model, width, height int) (view string) {
	switch {
	case t.missing:
		return m.styles.Dim.Render("This post is gone. Press esc to go back.")
	case !t.loaded:
		return m.styles.Dim.Render("Loading…")
	}
	if t.parent != nil { // a reply: what it answers, above it
		line := m.styles.Dim.Render(fmt.Sprintf("↑ in reply to @%s #%d (p): ", store.Printable(t.parent.Username), t.parent.ID)) +
			store.Printable(firstLine(t.parent.Text))
		line = ansi.Truncate(line, width, "…")
		height--
		defer func() { view = line + "\n" + view }()
	}
	rendered := make([]string, len(t.rows))
	for i, r := range t.rows {
		depth := min(r.Depth, 6)
		prefix := ""
		if r.Depth > 0 {
			prefix = m.styles.Dim.Render(strings.Repeat("  ", depth-1) + "└ ")
		}
		rendered[i] = lipgloss.JoinHorizontal(lipgloss.Top, prefix, renderPost(m, r.Post, i == t.sel, width-lipgloss.Width(prefix), true))
	}
	if t.sel < t.offset {
		t.offset = t.sel
	}
	for {
		used := 0
		for i := t.offset; i <= t.sel && i < len(rendered); i++ {
			used += lipgloss.Height(rendered[i])
		}
		if used <= height || t.offset >= t.sel {
			break
		}
		t.offset++
	}
	var b strings.Builder
	used := 0
	for i := t.offset; i < len(rendered); i++ {
		h := lipgloss.Height(rendered[i])
		if used+h > height && i > t.offset {
			break
		}
		b.WriteString(rendered[i] + "\n")
		used += h
	}
	return strings.TrimRight(b.String(), "\n")
}

func (t *thread) hints(m *Model) []key.Binding {
	k := m.keys
	out := []key.Binding{k.Back}
	if t.parent != nil {
		out = append(out, k.Parent)
	}
	p, ok := t.selected()
	if !ok {
		return out
	}
	out = append(out, hint(k.Open, "author"), k.Reply, hint(k.Like, "like"))
	if p.UserID == m.me.ID {
		out = append(out, hint(k.Edit, "edit"), hint(k.Del, "delete"))
	} else {
		out = append(out, hint(k.Follow, "follow"))
	}
	return out
}

// firstLine is a text's first line.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
