package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// peopleList is the user directory, filtered by name prefix as you type.
type peopleList struct {
	filter    textinput.Model
	filtering bool
	users     []store.User
	next      string
	loaded    bool
	loading   bool
	sel       int
	offset    int
}

type usersMsg struct {
	prefix   string
	page     store.Page[store.User]
	appendTo bool
	err      error
}

func newPeopleList() *peopleList {
	f := textinput.New()
	f.Prompt = "/ "
	f.Placeholder = "filter by name"
	f.CharLimit = 32
	f.SetWidth(32)
	return &peopleList{filter: f}
}

func (p *peopleList) fetch(m *Model, cursor string, appendTo bool) tea.Cmd {
	p.loading = true
	prefix := strings.TrimSpace(p.filter.Value())
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		page, err := m.st.ListUsers(ctx, store.UserList{Prefix: prefix, Cursor: cursor, Limit: m.opt.PageSize, Viewer: m.me.ID})
		return usersMsg{prefix: prefix, page: page, appendTo: appendTo, err: err}
	}
}

func (p *peopleList) load(m *Model) tea.Cmd { return p.fetch(m, "", false) }

func (p *peopleList) move(m *Model, delta int) tea.Cmd {
	if len(p.users) == 0 {
		return nil
	}
	p.sel = step(p.sel, delta, len(p.users))
	if p.sel >= len(p.users)-5 && p.next != "" && !p.loading {
		return p.fetch(m, p.next, true)
	}
	return nil
}

func (p *peopleList) update(m *Model, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case usersMsg:
		if msg.prefix != strings.TrimSpace(p.filter.Value()) {
			return nil // an answer for an older filter
		}
		p.loading = false
		if msg.err != nil {
			m.fail(msg.err)
			return nil
		}
		p.loaded = true
		if msg.appendTo {
			p.users = append(p.users, msg.page.Items...)
		} else {
			p.users, p.sel, p.offset = msg.page.Items, 0, 0
		}
		p.next = msg.page.Next
		return nil
	case tea.KeyPressMsg:
		if p.filtering {
			switch msg.String() {
			case "enter", "esc", "down", "up", "tab":
				p.filtering = false
				p.filter.Blur()
				if msg.String() == "esc" {
					p.filter.SetValue("")
					return p.load(m)
				}
				return nil
			}
			before := p.filter.Value()
			var cmd tea.Cmd
			p.filter, cmd = p.filter.Update(msg)
			if p.filter.Value() != before {
				// Until the answer comes, enter must not open whoever was selected.
				p.users, p.loaded, p.sel, p.offset = nil, false, 0, 0
				return tea.Batch(cmd, p.load(m))
			}
			return cmd
		}
		if cmd, ok := m.tabKeys(msg); ok {
			return cmd
		}
		page := max(m.bodyHeight()/2, 1)
		switch {
		case key.Matches(msg, m.keys.Filter):
			p.filtering = true
			return p.filter.Focus()
		case key.Matches(msg, m.keys.Up):
			return p.move(m, -1)
		case key.Matches(msg, m.keys.Down):
			return p.move(m, 1)
		case key.Matches(msg, m.keys.PageUp):
			return p.move(m, -page)
		case key.Matches(msg, m.keys.PageDown):
			return p.move(m, page)
		case key.Matches(msg, m.keys.Top):
			p.sel = 0
		case key.Matches(msg, m.keys.Bottom):
			return p.move(m, len(p.users))
		case key.Matches(msg, m.keys.Refresh):
			return p.load(m)
		case key.Matches(msg, m.keys.Back):
			if p.filter.Value() != "" {
				p.filter.SetValue("")
				return p.load(m)
			}
		case key.Matches(msg, m.keys.New):
			return m.push(newComposer(m, composeNew, store.Post{}))
		case key.Matches(msg, m.keys.Hidden):
			return m.push(newHiddenList(m))
		}
		if p.sel >= len(p.users) {
			return nil
		}
		u := p.users[p.sel]
		switch {
		case key.Matches(msg, m.keys.Open):
			return m.push(newProfile(m, u.Username))
		case key.Matches(msg, m.keys.Follow):
			return m.toggleFollow(u.ID, u.Username)
		}
	}
	return nil
}

func (p *peopleList) view(m *Model, width, height int) string {
	st := m.styles
	var b strings.Builder
	b.WriteString(st.Input.Width(min(width, 40)).Render(p.filter.View()) + "\n")
	height -= 2
	switch {
	case !p.loaded:
		return b.String() + st.Dim.Render("Loading…")
	case len(p.users) == 0:
		return b.String() + st.Dim.Render("Nobody matches.")
	}
	if p.sel < p.offset {
		p.offset = p.sel
	}
	if p.sel >= p.offset+height {
		p.offset = p.sel - height + 1
	}
	for i := p.offset; i < len(p.users) && i < p.offset+height; i++ {
		u := p.users[i]
		line := fmt.Sprintf("%s  %s", st.Author.Render(store.Printable(u.Username)),
			st.Meta.Render(plural(u.Followers, "follower")+fmt.Sprintf(" · %d following", u.Following)))
		if u.Bio != nil {
			line += "  " + st.Dim.Render(store.Printable(*u.Bio))
		}
		style := st.Item
		if i == p.sel {
			style = st.Selected
		}
		b.WriteString(truncate(style.Render(line), width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
