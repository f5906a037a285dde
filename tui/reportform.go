package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// reportForm is `!`: a member reports a post or a profile to the
// moderators (docs/API.md §3d): a reason picked with ↑/↓, an optional
// comment typed, enter sends.
type reportForm struct {
	post    *store.Post // the post reported, or nil for the account
	user    store.User  // the account reported (the post's author)
	reason  int         // index in store.ReportReasons()
	comment textinput.Model
	sending bool
	err     string
}

type reportSent struct {
	r   store.Report
	err error
}

// newReportForm reports post, or the account u when post is nil.
func newReportForm(m *Model, post *store.Post, u store.User) (screen, tea.Cmd) {
	if u.ID == m.me.ID {
		m.setStatus("You cannot report yourself", true)
		return nil, nil
	}
	in := textinput.New()
	in.Prompt = "comment: "
	in.Placeholder = "optional: what the moderators should know"
	in.CharLimit = store.MaxReasonLen
	in.SetWidth(60)
	f := &reportForm{post: post, user: u, comment: in}
	return f, f.comment.Focus()
}

func (f *reportForm) title() string {
	if f.post != nil {
		return fmt.Sprintf("Report post #%d", f.post.ID)
	}
	return "Report @" + store.Printable(f.user.Username)
}

func (f *reportForm) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	reasons := store.ReportReasons()
	switch msg := msg.(type) {
	case reportSent:
		f.sending = false
		if msg.err != nil {
			f.err = statusText(msg.err)
			return f, nil
		}
		m.setStatus(fmt.Sprintf("Reported (report #%d): the moderators will look at it", msg.r.ID), false)
		return nil, nil
	case tea.KeyPressMsg:
		if f.sending {
			return f, nil
		}
		switch msg.String() {
		case "esc":
			m.setStatus("Not reported", false)
			return nil, nil
		case "up":
			f.reason = (f.reason + len(reasons) - 1) % len(reasons)
			return f, nil
		case "down", "tab":
			f.reason = (f.reason + 1) % len(reasons)
			return f, nil
		case "enter":
			return f, f.send(m)
		}
		f.err = ""
	}
	var cmd tea.Cmd
	f.comment, cmd = f.comment.Update(msg)
	return f, cmd
}

func (f *reportForm) send(m *Model) tea.Cmd {
	f.sending, f.err = true, ""
	in := store.NewReport{Reason: store.ReportReasons()[f.reason], Comment: f.comment.Value()}
	if f.post != nil {
		id := f.post.ID
		in.PostID = &id
	} else {
		id := f.user.ID
		in.UserID = &id
	}
	me := m.me.ID
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		r, err := m.st.CreateReport(ctx, me, in)
		return reportSent{r: r, err: err}
	}
}

func (f *reportForm) hints(m *Model) []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("up", "down"), key.WithHelp("↑/↓", "reason")),
		key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send")), hint(m.keys.Back, "cancel")}
}

func (f *reportForm) view(m *Model, width, height int) string {
	st := m.styles
	var b strings.Builder
	if f.post != nil {
		b.WriteString(renderPost(m, *f.post, false, width, false) + "\n\n")
	} else {
		b.WriteString(st.Author.Render("@"+store.Printable(f.user.Username)) + "\n\n")
	}
	b.WriteString(st.Meta.Render("Why? (↑/↓)") + "\n")
	for i, r := range store.ReportReasons() {
		line := "  " + r
		if i == f.reason {
			line = st.Selected.Render("› " + r)
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("\n" + f.comment.View() + "\n\n")
	switch {
	case f.sending:
		b.WriteString(st.Dim.Render("Sending…"))
	case f.err != "":
		b.WriteString(st.StatusErr.Render(f.err))
	default:
		b.WriteString(st.Dim.Render("Only the moderators see a report, and who sent it."))
	}
	return b.String()
}
