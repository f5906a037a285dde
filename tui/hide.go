package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// Blocking and muting from a profile (docs/API.md §3c): b blocks, after a
// confirm, or lifts a block at once; m mutes or unmutes. What they hide is
// the store's to apply in every list and stream.

// hideDone is a block, unblock, mute or unmute written.
type hideDone struct {
	p      *profile
	status string
	hid    bool // a block or a mute: their posts leave the lists shown
	err    error
}

// toggleMute mutes or unmutes the profile's user.
func (p *profile) toggleMute(m *Model) tea.Cmd {
	me, u, muted := m.me.ID, p.user, p.rel.Muted
	m.writing++
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		if muted {
			return hideDone{p: p, status: "Unmuted " + u.Username, err: m.st.Unmute(ctx, me, u.ID)}
		}
		_, _, err := m.st.Mute(ctx, me, u.ID, true)
		return hideDone{p: p, status: "Muted " + u.Username + ": their posts leave your lists, silently", hid: true, err: err}
	}
}

// unblock lifts the block of the profile's user.
func (p *profile) unblock(m *Model) tea.Cmd {
	me, u := m.me.ID, p.user
	m.writing++
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		return hideDone{p: p, status: "Unblocked " + u.Username, err: m.st.Unblock(ctx, me, u.ID)}
	}
}

// hidden applies a hideDone (Model.Update, whatever screen is shown):
// the status, the confirm gone, the profile and its posts read again.
func (m *Model) hidden(msg hideDone) tea.Cmd {
	if c, ok := m.shown().(*blockConfirm); ok && c.p == msg.p {
		m.stack = m.stack[:len(m.stack)-1]
	}
	if msg.err != nil {
		m.fail(msg.err)
		return nil
	}
	m.setStatus(msg.status, false)
	if msg.hid {
		for _, l := range m.feeds {
			if l != nil {
				l.removeAuthor(msg.p.user.ID)
			}
		}
	}
	cmds := []tea.Cmd{msg.p.load(m)}
	if msg.p.posts != nil {
		cmds = append(cmds, msg.p.posts.load(m, false))
	}
	for _, s := range m.stack { // the list of whom I hide, under the profile
		if l, ok := s.(*hiddenList); ok {
			cmds = append(cmds, l.load(m))
		}
	}
	return tea.Batch(cmds...)
}

// blockConfirm asks before a block: it ends follows both ways.
type blockConfirm struct {
	p        *profile
	blocking bool
}

func (c *blockConfirm) title() string { return "Block @" + c.p.user.Username + "?" }

func (c *blockConfirm) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if c.blocking {
			return c, nil
		}
		switch msg.String() {
		case "y", "Y":
			c.blocking = true
			me, u, p := m.me.ID, c.p.user, c.p
			m.writing++
			return c, func() tea.Msg {
				ctx, cancel := m.ctx()
				defer cancel()
				_, _, err := m.st.Block(ctx, me, u.ID)
				return hideDone{p: p, status: "Blocked " + u.Username + ": neither of you sees the other", hid: true, err: err}
			}
		case "n", "N", "esc", "q":
			m.setStatus("Not blocked", false)
			return nil, nil
		}
	}
	return c, nil
}

func (c *blockConfirm) hints(m *Model) []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "block")), key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel"))}
}

func (c *blockConfirm) view(m *Model, width, height int) string {
	name := store.Printable(c.p.user.Username)
	return m.styles.Dim.Render("Neither of you will see the other's posts, replies or profile,\nthe follows between you end, and @"+name+" cannot follow, like or reply to you.") +
		"\n\n" + m.styles.Dim.Render("y block · n cancel")
}
