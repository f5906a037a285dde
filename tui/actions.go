package tui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// change says what happened to a post.
type change int

const (
	changeRefresh change = iota // new counts or text
	changeCreated
	changeDeleted
)

// postChangedMsg tells every view about a post that changed.
type postChangedMsg struct {
	post   store.Post
	kind   change
	err    error
	status string
}

// everywhere applies fn to every post list on screen or in the stack.
func (m *Model) everywhere(fn func(l *postList)) {
	for _, l := range m.feeds {
		if l != nil {
			fn(l)
		}
	}
	for _, s := range m.stack {
		switch s := s.(type) {
		case *profile:
			fn(s.posts)
		case *searchScreen:
			if s.posts != nil {
				fn(s.posts)
			}
		}
	}
}

func (m *Model) showPost(p store.Post) {
	m.everywhere(func(l *postList) { l.update(p) })
	for _, s := range m.stack {
		if t, ok := s.(*thread); ok {
			t.replace(p)
		}
	}
}

func (m *Model) postChanged(msg postChangedMsg) tea.Cmd {
	if msg.err != nil {
		m.fail(msg.err)
		return nil
	}
	if msg.status != "" {
		m.setStatus(msg.status, false)
	}
	switch msg.kind {
	case changeRefresh:
		m.showPost(msg.post)
	case changeDeleted:
		m.gone.add(msg.post.ID)
		m.everywhere(func(l *postList) { l.remove(msg.post.ID) })
		var cmds []tea.Cmd
		for _, s := range m.stack {
			if t, ok := s.(*thread); ok {
				cmds = append(cmds, t.load(m))
			}
		}
		return tea.Batch(cmds...)
	case changeCreated:
		// My new post is first in Mine (and Everyone when top-level) at once.
		mine := m.feeds[tabMine]
		if mine.loaded {
			mine.items = append([]store.Post{msg.post}, mine.items...)
			mine.sel, mine.offset = 0, 0
		}
		if ev := m.feeds[tabEveryone]; ev.loaded && msg.post.ParentID == nil {
			ev.items = append([]store.Post{msg.post}, ev.items...)
		}
		var cmds []tea.Cmd
		for _, s := range m.stack {
			if t, ok := s.(*thread); ok {
				cmds = append(cmds, t.load(m))
			}
		}
		if msg.post.ParentID != nil { // the parent's reply count changed
			parent := *msg.post.ParentID
			cmds = append(cmds, m.reread(parent))
		}
		return tea.Batch(cmds...)
	}
	return nil
}

// wrote counts in the answer to a like or a follow, and quits if q was
// pressed while it was on its way.
func (m *Model) wrote(cmd tea.Cmd) tea.Cmd {
	m.writing--
	if m.writing == 0 && m.quitWhenSaved {
		m.quitting = true
		return tea.Quit
	}
	return cmd
}

// followDone reports a follow or unfollow.
type followDone struct {
	userID    int64
	name      string
	following bool
	err       error
}

// toggleFollow follows or unfollows a user, then refreshes Home. One
// write per user is on its way at a time (two at once could both find
// "not following" and both follow); a press meanwhile flips it again
// once it has answered.
func (m *Model) toggleFollow(userID int64, name string) tea.Cmd {
	if userID == m.me.ID {
		m.setStatus("That is you", true)
		return nil
	}
	if again, busy := m.follows[userID]; busy {
		m.follows[userID] = !again
		return nil
	}
	m.follows[userID] = false
	m.writing++
	me := m.me.ID
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		following, err := m.st.IsFollowing(ctx, me, userID)
		if err != nil {
			return followDone{userID: userID, name: name, err: err}
		}
		if following {
			err = m.st.Unfollow(ctx, me, userID)
		} else {
			_, _, err = m.st.Follow(ctx, me, userID)
		}
		return followDone{userID: userID, name: name, following: !following, err: err}
	}
}

func (m *Model) applyFollow(msg followDone) tea.Cmd {
	again := m.follows[msg.userID]
	delete(m.follows, msg.userID)
	if msg.err != nil {
		m.fail(msg.err)
		return nil
	}
	var next tea.Cmd
	if again {
		next = m.toggleFollow(msg.userID, msg.name)
	}
	if msg.following {
		m.setStatus("You now follow "+msg.name, false)
	} else {
		m.setStatus("You no longer follow "+msg.name, false)
	}
	for _, s := range m.stack {
		if p, ok := s.(*profile); ok && p.user.ID == msg.userID {
			p.following = msg.following
			if msg.following {
				p.user.Followers++
			} else {
				p.user.Followers--
			}
		}
	}
	m.live.followsChanged()
	return tea.Batch(next, m.feeds[tabHome].load(m, false))
}
