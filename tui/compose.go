package tui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

type composeMode int

const (
	composeNew composeMode = iota
	composeReply
	composeEdit
)

// composer writes a post, a reply or an edit, with a live character count.
type composer struct {
	mode       composeMode
	target     store.Post // the parent (reply) or the post (edit)
	area       textarea.Model
	sending    bool
	err        string
	discarding bool // esc was pressed on a draft: a second esc discards it
}

type sentMsg struct {
	post store.Post
	err  error
}

func newComposer(m *Model, mode composeMode, target store.Post) (screen, tea.Cmd) {
	a := textarea.New()
	a.Placeholder = "What's happening?"
	a.ShowLineNumbers = false
	a.CharLimit = 0
	a.SetWidth(min(m.bodyWidth()-2, 80))
	a.SetHeight(6)
	if mode == composeEdit {
		a.SetValue(target.Text)
	}
	focus := a.Focus() // before the copy below: Focus changes the model
	return &composer{mode: mode, target: target, area: a}, focus
}

func (c *composer) title() string {
	switch c.mode {
	case composeReply:
		return fmt.Sprintf("Reply to %s (#%d)", c.target.Username, c.target.ID)
	case composeEdit:
		return fmt.Sprintf("Edit post #%d", c.target.ID)
	}
	return "New post"
}

func (c *composer) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case sentMsg:
		c.sending = false
		if msg.err != nil {
			c.err = statusText(msg.err)
			return c, nil
		}
		kind, status := changeCreated, "Posted"
		switch c.mode {
		case composeReply:
			status = "Replied"
		case composeEdit:
			kind, status = changeRefresh, "Saved"
		}
		return nil, func() tea.Msg { return postChangedMsg{post: msg.post, kind: kind, status: status} }
	case tea.KeyPressMsg:
		if c.sending {
			return c, nil
		}
		switch msg.String() {
		case "esc":
			if c.changed() && !c.discarding {
				c.discarding, c.err = true, ""
				return c, nil
			}
			m.setStatus("Cancelled", false)
			return nil, nil
		case "ctrl+s":
			c.discarding = false
			return c, c.send(m)
		}
		// Typing answers the error shown and takes back an esc.
		c.err, c.discarding = "", false
	}
	var cmd tea.Cmd
	c.area, cmd = c.area.Update(msg)
	return c, cmd
}

// changed reports whether esc would lose something typed.
func (c *composer) changed() bool {
	v := strings.TrimSpace(c.area.Value())
	if c.mode == composeEdit {
		return v != strings.TrimSpace(c.target.Text)
	}
	return v != ""
}

func (c *composer) hints(m *Model) []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "send")), hint(m.keys.Back, "cancel")}
}

func (c *composer) send(m *Model) tea.Cmd {
	text := c.area.Value()
	if _, verr := m.st.Rules().PostText(text); verr != nil {
		c.err = verr.Error()
		return nil
	}
	c.sending, c.err = true, ""
	me, cred := m.me.ID, m.cred
	mode, target := c.mode, c.target
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		var (
			p   store.Post
			err error
		)
		switch mode {
		case composeNew:
			p, err = m.st.CreatePostAs(ctx, cred, text, nil)
		case composeReply:
			parent := target.ID
			p, err = m.st.CreatePostAs(ctx, cred, text, &parent)
		case composeEdit:
			p, err = m.st.UpdatePost(ctx, store.AsUser(me), target.ID, text)
		}
		return sentMsg{post: p, err: err}
	}
}

func (c *composer) view(m *Model, width, height int) string {
	st := m.styles
	var b strings.Builder
	if c.mode == composeReply {
		b.WriteString(renderPost(m, c.target, false, width, false) + "\n\n")
	}
	b.WriteString(c.area.View() + "\n")
	limit := m.st.Rules().PostMaxLength
	n := utf8.RuneCountInString(strings.TrimSpace(c.area.Value()))
	count := fmt.Sprintf("%d/%d", n, limit)
	if n > limit {
		count = st.Over.Render(count + " too long")
	} else {
		count = st.Dim.Render(count)
	}
	b.WriteString(count + "\n")
	switch {
	case c.discarding:
		b.WriteString(st.StatusErr.Render("Discard this draft? esc again to discard, any other key to keep writing."))
	case c.sending:
		b.WriteString(st.Dim.Render("Sending…"))
	case c.err != "":
		b.WriteString(st.StatusErr.Render(c.err))
	}
	return b.String()
}

// confirm asks before deleting a post.
type confirm struct {
	post     store.Post
	deleting bool
}

type deletedMsg struct {
	post store.Post
	err  error
}

func newConfirm(p store.Post) (screen, tea.Cmd) { return &confirm{post: p}, nil }

func (c *confirm) title() string { return "Delete post?" }

func (c *confirm) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case deletedMsg:
		if msg.err != nil {
			m.fail(msg.err)
			return nil, nil
		}
		return nil, func() tea.Msg { return postChangedMsg{post: msg.post, kind: changeDeleted, status: "Deleted"} }
	case tea.KeyPressMsg:
		if c.deleting {
			return c, nil
		}
		switch msg.String() {
		case "y", "Y":
			c.deleting = true
			me, p := m.me.ID, c.post
			return c, func() tea.Msg {
				ctx, cancel := m.ctx()
				defer cancel()
				return deletedMsg{post: p, err: m.st.DeletePost(ctx, store.AsUser(me), p.ID)}
			}
		case "n", "N", "esc", "q":
			m.setStatus("Kept", false)
			return nil, nil
		}
	}
	return c, nil
}

func (c *confirm) hints(m *Model) []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "delete")), key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "keep"))}
}

func (c *confirm) view(m *Model, width, height int) string {
	what := "This post"
	if c.post.ReplyCount > 0 {
		what = fmt.Sprintf("This post and its replies (%d direct)", c.post.ReplyCount)
	}
	if c.post.UserID != m.me.ID {
		what = "As a moderator: " + strings.ToLower(what[:1]) + what[1:] + " by " + store.Printable(c.post.Username) + " (the audit log keeps it)"
	}
	return renderPost(m, c.post, true, width, false) + "\n\n" +
		m.styles.StatusErr.Render(what+" will be deleted.") + "  " + m.styles.Dim.Render("y delete · n keep")
}
