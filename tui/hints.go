package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"
)

// hint is a binding shown in a footer, under a label for where it is shown
// (enter opens a thread in a list, the author in a thread).
func hint(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}

// hints are the keys of whatever is in front, for the footer.
func (m *Model) hints() []key.Binding {
	k := m.keys
	switch {
	case m.fullHelp:
		return nil
	case len(m.stack) > 0:
		return m.stack[len(m.stack)-1].hints(m)
	case m.tab == tabNotices:
		return noticeHints(m)
	case m.tab == tabPeople:
		if m.people.filtering {
			return []key.Binding{hint(k.Open, "done"), hint(k.Back, "clear")}
		}
		var out []key.Binding
		if p := m.people; p.sel < len(p.users) { // on someone: profile, and follow unless it is me
			out = append(out, hint(k.Open, "profile"))
			if p.users[p.sel].ID != m.me.ID {
				out = append(out, hint(k.Follow, "follow"))
			}
		}
		return append(out, k.Filter, k.Hidden, k.NextTab)
	}
	return listHints(m, m.feeds[m.tab])
}

// listHints are the keys of a post list: only those that work here (on an
// empty list, none of a post's); edit and delete when the post is mine,
// follow when it is not.
func listHints(m *Model, l *postList) []key.Binding {
	k := m.keys
	out := []key.Binding{k.New}
	if p, ok := l.selected(); ok {
		out = []key.Binding{hint(k.Open, "thread"), k.New, k.Reply, hint(k.Like, "like")}
		if p.UserID == m.me.ID {
			out = append(out, hint(k.Edit, "edit"), hint(k.Del, "delete"))
		} else {
			out = append(out, hint(k.Follow, "follow"))
		}
	}
	if len(l.waiting) > 0 {
		out = append([]key.Binding{hint(k.ShowNew, "show new")}, out...)
	}
	return append(out, k.NextTab)
}

// footer is the screen's own keys, then "? help · q quit", which always
// stay: the screen's keys are dropped from the end until the line fits.
// While a text field has the keys, ? and q are letters: ctrl+c quits.
func (m *Model) footer() string {
	tail := []key.Binding{m.keys.Help, m.keys.Quit}
	if m.typing() {
		tail = []key.Binding{key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))}
	}
	hints := m.hints()
	var k strings.Builder
	fmt.Fprintf(&k, "%d", m.bodyWidth())
	for _, b := range append(hints[:len(hints):len(hints)], tail...) {
		fmt.Fprintf(&k, "\x00%s\x00%s", b.Help().Key, b.Help().Desc)
	}
	if k.String() != m.footerKey {
		m.footerKey, m.footerLine = k.String(), m.fitHints(hints, tail)
	}
	return m.footerLine
}

// fitHints is the line of hints and tail, dropping hints from the end
// until it fits.
func (m *Model) fitHints(hints, tail []key.Binding) string {
	h := m.help
	h.SetWidth(0) // the help bubble would cut the tail; this drops hints instead
	for {
		line := h.ShortHelpView(append(hints[:len(hints):len(hints)], tail...))
		if lipgloss.Width(line) <= m.bodyWidth() || len(hints) == 0 {
			return truncate(line, m.bodyWidth())
		}
		hints = hints[:len(hints)-1]
	}
}

// fullHelpView is the ? screen: every key, in as many columns as the width
// holds (the help bubble's fixed four columns were cut at 80).
func (m *Model) fullHelpView(width int) string {
	type entry struct{ key, desc string }
	var entries []entry
	keyWidth, descWidth := 0, 0
	for _, group := range m.keys.FullHelp() {
		for _, b := range group {
			h := b.Help()
			entries = append(entries, entry{h.Key, h.Desc})
			keyWidth = max(keyWidth, lipgloss.Width(h.Key))
			descWidth = max(descWidth, lipgloss.Width(h.Desc))
		}
	}
	colWidth := keyWidth + 1 + descWidth + 3
	cols := max(1, min(4, width/colWidth))
	rows := (len(entries) + cols - 1) / cols
	var b strings.Builder
	for r := range rows {
		for c := range cols {
			i := c*rows + r
			if i >= len(entries) {
				break
			}
			e := entries[i]
			cell := m.help.Styles.FullKey.Render(fmt.Sprintf("%-*s", keyWidth, e.key)) + " " + m.help.Styles.FullDesc.Render(e.desc)
			if c < cols-1 {
				cell += strings.Repeat(" ", max(colWidth-lipgloss.Width(cell), 1))
			}
			b.WriteString(cell)
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// plural is "1 follower", "2 followers".
func plural(n int64, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
