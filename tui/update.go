package tui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// statusTTL is how long a status message stays.
const statusTTL = 5 * time.Second

// statusExpired clears the status set as seq, unless another replaced it.
type statusExpired struct{ seq int }

func (m *Model) setStatus(s string, isErr bool) {
	m.status, m.statusErr = s, isErr
	m.statusSeq++
	m.statusNew = true
}

// fail shows err on the status line; the app stays usable.
func (m *Model) fail(err error) { m.setStatus(statusText(err), true) }

// Update handles one message; a status it set expires after statusTTL.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, key := msg.(tea.KeyPressMsg)
	shown := m.shown()
	model, cmd := m.update(msg)
	// A status belongs to the screen it was said on: a key that moves to
	// another one takes it away, unless the move said something itself.
	if key && !m.statusNew && m.shown() != shown {
		m.status, m.statusErr = "", false
	}
	if m.statusNew {
		m.statusNew = false
		seq := m.statusSeq
		cmd = tea.Batch(cmd, tea.Tick(statusTTL, func(time.Time) tea.Msg { return statusExpired{seq} }))
	}
	if key && m.opt.RepaintOnKey {
		// What another program wrote over the screen (a server's log
		// started with & in the same terminal) goes at the next key: the
		// renderer redraws only what it thinks changed.
		cmd = tea.Batch(cmd, tea.ClearScreen)
	}
	return model, cmd
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case statusExpired:
		if msg.seq == m.statusSeq {
			m.status, m.statusErr = "", false
		}
		return m, nil
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		return m, nil
	case tea.BackgroundColorMsg:
		m.setStyles(NewStyles(msg.IsDark()))
		return m, nil
	case tea.KeyPressMsg:
		if msg.String() == "ctrl+c" {
			m.quitting = true
			return m, tea.Quit
		}
	}
	if m.me == nil {
		cmd := m.login.update(m, msg)
		return m, cmd
	}
	if cmd, done := m.global(msg); done {
		return m, cmd
	}
	if len(m.stack) > 0 {
		return m, m.updateTop(msg)
	}
	return m, m.updateTabs(msg)
}

// updateTop gives msg to the screen in front. That screen may push another
// (a thread opening a reply): the result goes back to its own place, not to
// the top, which would overwrite the new screen with the old one.
func (m *Model) updateTop(msg tea.Msg) tea.Cmd {
	i := len(m.stack) - 1
	next, cmd := m.stack[i].update(m, msg)
	if next == nil {
		m.stack = append(m.stack[:i], m.stack[i+1:]...)
	} else {
		m.stack[i] = next
	}
	return cmd
}

// global handles what every screen shares: data coming back, help, quit.
func (m *Model) global(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case pageMsg:
		msg.list.apply(msg)
		if msg.err != nil {
			m.fail(msg.err)
		}
		return nil, true
	case eventsReady:
		return m.applyEvents(), true
	case postChangedMsg:
		return m.postChanged(msg), true
	case likeWritten:
		return m.likeWritten(msg), true
	case postRead:
		m.postRead(msg)
		return nil, true
	case followDone:
		return m.wrote(m.applyFollow(msg)), true
	case hideDone:
		return m.wrote(m.hidden(msg)), true
	case noticesMsg:
		m.notices.apply(m, msg)
		return nil, true
	case hiddenMsg:
		msg.l.apply(m, msg)
		return nil, true
	case doneMsg:
		if msg.err != nil {
			m.fail(msg.err)
			return nil, true
		}
		m.setStatus(msg.said, false)
		return msg.then, true
	case unreadMsg:
		if msg.err == nil {
			m.unread = msg.n
		}
		return nil, true
	case tea.KeyPressMsg:
		if m.fullHelp {
			m.fullHelp = false
			return nil, true
		}
		if m.typing() {
			return nil, false
		}
		switch {
		case key.Matches(msg, m.keys.Help):
			m.fullHelp = true
			return nil, true
		case key.Matches(msg, m.keys.Quit):
			if m.writing > 0 { // a like shown at once is still on its way
				m.quitWhenSaved = true
				m.setStatus("Saving… (ctrl+c quits at once)", false)
				return nil, true
			}
			m.quitting = true
			return tea.Quit, true
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			return m.scroll(-1), true
		case tea.MouseWheelDown:
			return m.scroll(1), true
		}
		return nil, true
	}
	return nil, false
}

// typing reports whether keys go to a text field.
func (m *Model) typing() bool {
	if len(m.stack) > 0 {
		switch s := m.stack[len(m.stack)-1].(type) {
		case *composer:
			return true
		case *searchScreen:
			return s.typing
		case *reportForm, *prompt:
			return true
		}
		return false
	}
	return m.tab == tabPeople && m.people.filtering
}

// scroll moves the selection of whatever list is in front.
func (m *Model) scroll(delta int) tea.Cmd {
	if len(m.stack) > 0 {
		return m.updateTop(scrollMsg(delta))
	}
	switch m.tab {
	case tabPeople:
		return m.people.move(m, delta)
	case tabNotices:
		return m.notices.move(m, delta)
	}
	return m.feeds[m.tab].move(m, delta)
}

// scrollMsg asks a screen to move its selection (mouse wheel).
type scrollMsg int

// updateTabs handles keys on the tab views.
func (m *Model) updateTabs(msg tea.Msg) tea.Cmd {
	switch m.tab {
	case tabPeople:
		return m.people.update(m, msg)
	case tabNotices:
		return m.notices.update(m, msg)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	if cmd, ok := m.tabKeys(k); ok {
		return cmd
	}
	if key.Matches(k, m.keys.Filter) {
		return m.push(newSearch())
	}
	return m.postKeys(m.feeds[m.tab], k)
}

// postKeys are the keys of any post list: move, open, write, like, follow...
func (m *Model) postKeys(l *postList, k tea.KeyPressMsg) tea.Cmd {
	page := max(m.bodyHeight()/4, 1)
	switch {
	case key.Matches(k, m.keys.Up):
		return l.move(m, -1)
	case key.Matches(k, m.keys.Down):
		return l.move(m, 1)
	case key.Matches(k, m.keys.PageUp):
		return l.move(m, -page)
	case key.Matches(k, m.keys.PageDown):
		return l.move(m, page)
	case key.Matches(k, m.keys.Top):
		l.sel, l.offset = 0, 0
		return nil
	case key.Matches(k, m.keys.Bottom):
		return l.move(m, len(l.items))
	case key.Matches(k, m.keys.Refresh):
		m.setStatus("Refreshed", false)
		return l.load(m, false)
	case key.Matches(k, m.keys.ShowNew):
		l.showWaiting()
		return nil
	case key.Matches(k, m.keys.New):
		return m.push(newComposer(m, composeNew, store.Post{}))
	}
	p, ok := l.selected()
	if !ok {
		return nil
	}
	switch {
	case key.Matches(k, m.keys.Open):
		return m.push(newThread(m, p.ID))
	case key.Matches(k, m.keys.Reply):
		return m.push(newComposer(m, composeReply, p))
	case key.Matches(k, m.keys.Like):
		return m.toggleLike(p)
	case key.Matches(k, m.keys.Follow):
		return m.toggleFollow(p.UserID, p.Username)
	case key.Matches(k, m.keys.Edit):
		if p.UserID != m.me.ID {
			m.setStatus("You can only edit your own posts", true)
			return nil
		}
		return m.push(newComposer(m, composeEdit, p))
	case key.Matches(k, m.keys.Del):
		if p.UserID != m.me.ID && !m.me.Role.Staff() {
			m.setStatus("You can only delete your own posts", true)
			return nil
		}
		return m.push(newConfirm(p))
	case key.Matches(k, m.keys.Report):
		return m.push(newReportForm(m, &p, store.User{ID: p.UserID, Username: p.Username}))
	}
	return nil
}

// push puts s in front; a nil s (a screen that refused to open, saying
// why on the status line) pushes nothing.
func (m *Model) push(s screen, cmd tea.Cmd) tea.Cmd {
	if s != nil {
		m.stack = append(m.stack, s)
	}
	return cmd
}

// shown identifies the screen in front: the tab, or the screen on the stack.
func (m *Model) shown() any {
	if len(m.stack) > 0 {
		return m.stack[len(m.stack)-1]
	}
	return m.tab
}
