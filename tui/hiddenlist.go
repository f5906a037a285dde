package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// hiddenList is whom I block and whom I mute (H on the People tab), most
// recent first: enter opens the profile, where b and m undo them.
type hiddenList struct {
	rows   []hiddenRow
	loaded bool
	sel    int
}

type hiddenRow struct {
	user  store.User
	muted bool // else blocked
}

type hiddenMsg struct {
	l    *hiddenList
	rows []hiddenRow
	err  error
}

func newHiddenList(m *Model) (screen, tea.Cmd) {
	l := &hiddenList{}
	return l, l.load(m)
}

func (l *hiddenList) title() string { return "Blocked and muted" }

// load reads both lists' first pages (a hundred each: more than anyone
// keeps by hand).
func (l *hiddenList) load(m *Model) tea.Cmd {
	me := m.me.ID
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		blocks, err := m.st.Blocks(ctx, me, "", store.DefaultLimit)
		if err != nil {
			return hiddenMsg{l: l, err: err}
		}
		mutes, err := m.st.Mutes(ctx, me, "", store.DefaultLimit)
		var rows []hiddenRow
		for _, u := range blocks.Items {
			rows = append(rows, hiddenRow{user: u})
		}
		for _, u := range mutes.Items {
			rows = append(rows, hiddenRow{user: u, muted: true})
		}
		return hiddenMsg{l: l, rows: rows, err: err}
	}
}

func (l *hiddenList) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case scrollMsg:
		l.sel = step(l.sel, int(msg), len(l.rows))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Back):
			return nil, nil
		case key.Matches(msg, m.keys.Up):
			l.sel = max(l.sel-1, 0)
		case key.Matches(msg, m.keys.Down):
			l.sel = step(l.sel, 1, len(l.rows))
		case key.Matches(msg, m.keys.Refresh):
			return l, l.load(m)
		case key.Matches(msg, m.keys.Open) && l.sel < len(l.rows):
			return l, m.push(newProfile(m, l.rows[l.sel].user.Username))
		}
	}
	return l, nil
}

// apply takes a read of the lists (Model.global: it may come while a
// profile opened from here is in front).
func (l *hiddenList) apply(m *Model, msg hiddenMsg) {
	l.rows, l.loaded = msg.rows, true
	l.sel = min(l.sel, max(len(l.rows)-1, 0))
	if msg.err != nil {
		m.fail(msg.err)
	}
}

func (l *hiddenList) hints(m *Model) []key.Binding {
	if l.sel < len(l.rows) {
		return []key.Binding{m.keys.Back, hint(m.keys.Open, "profile (b, m undo)"), m.keys.Refresh}
	}
	return []key.Binding{m.keys.Back}
}

func (l *hiddenList) view(m *Model, width, height int) string {
	st := m.styles
	switch {
	case !l.loaded:
		return st.Dim.Render("Loading…")
	case len(l.rows) == 0:
		return st.Dim.Render("You block and mute nobody. On a profile, b blocks and m mutes.")
	}
	var b strings.Builder
	for i, r := range l.rows {
		if i >= height {
			break
		}
		what := st.StatusErr.Render("blocked")
		if r.muted {
			what = st.Dim.Render("muted")
		}
		line := fmt.Sprintf("%s  %s", st.Author.Render(store.Printable(r.user.Username)), what)
		style := st.Item
		if i == l.sel {
			style = st.Selected
		}
		b.WriteString(truncate(style.Render(line), width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
