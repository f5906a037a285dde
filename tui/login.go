package tui

import (
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// loginForm asks for a username and a masked password and checks them
// against the stored hash; with --as it signs in directly.
type loginForm struct {
	as       string
	user     textinput.Model
	pass     textinput.Model
	checking bool
	err      string
	noUsers  bool // the database has nobody to sign in as
}

// noUsersMsg says the database has no user yet.
type noUsersMsg struct{}

type loginMsg struct {
	user store.User
	err  error
}

func newLoginForm(m *Model, as string) *loginForm {
	u := textinput.New()
	u.Placeholder = "username"
	u.Prompt = "Username  "
	u.CharLimit = 64
	u.SetWidth(32)
	u.Focus()
	p := textinput.New()
	p.Placeholder = "password"
	p.Prompt = "Password  "
	p.EchoMode = textinput.EchoPassword
	p.EchoCharacter = '•'
	p.CharLimit = 128
	p.SetWidth(32)
	return &loginForm{as: as, user: u, pass: p}
}

func (f *loginForm) init(m *Model) tea.Cmd {
	if f.as == "" {
		// A sign-in box on an empty database could only ever fail: say why.
		return tea.Batch(textinput.Blink, func() tea.Msg {
			ctx, cancel := m.ctx()
			defer cancel()
			if page, err := m.st.ListUsers(ctx, store.UserList{Limit: 1}); err == nil && len(page.Items) == 0 {
				return noUsersMsg{}
			}
			return nil
		})
	}
	f.checking = true
	name := f.as
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		u, err := m.st.UserByName(ctx, name)
		if err == nil && u.Status.Withheld() { // not even the operator acts as a withheld account
			err = store.ErrSuspended
			if u.Status == store.StatusPending {
				err = store.ErrPending
			}
		}
		return loginMsg{user: u, err: err}
	}
}

func (f *loginForm) update(m *Model, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case noUsersMsg:
		f.noUsers = true
		return nil
	case loginMsg:
		f.checking = false
		if msg.err != nil {
			f.err = statusText(msg.err)
			if f.as != "" {
				f.as = "" // fall back to the form
			}
			f.pass.SetValue("")
			return nil
		}
		return m.signedIn(msg.user)
	case tea.KeyPressMsg:
		if f.checking {
			return nil
		}
		switch msg.String() {
		case "esc":
			m.quitting = true
			return tea.Quit
		case "tab", "shift+tab", "up", "down":
			f.toggleFocus()
			return nil
		case "enter":
			if f.user.Focused() {
				f.toggleFocus()
				return nil
			}
			return f.submit(m)
		}
	}
	var c1, c2 tea.Cmd
	f.user, c1 = f.user.Update(msg)
	f.pass, c2 = f.pass.Update(msg)
	return tea.Batch(c1, c2)
}

func (f *loginForm) toggleFocus() {
	if f.user.Focused() {
		f.user.Blur()
		f.pass.Focus()
	} else {
		f.pass.Blur()
		f.user.Focus()
	}
}

func (f *loginForm) submit(m *Model) tea.Cmd {
	name, pw := strings.TrimSpace(f.user.Value()), f.pass.Value()
	if name == "" || pw == "" {
		f.err = "Enter a username and a password"
		return nil
	}
	f.checking, f.err, f.noUsers = true, "", false
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		u, err := m.st.Login(ctx, "local", name, pw) // the terminal is the client
		return loginMsg{user: u, err: err}
	}
}

func (f *loginForm) view(m *Model) string {
	st := m.styles
	lines := []string{st.Brand.Render("pamps") + st.Dim.Render(" · sign in"), "", f.user.View(), f.pass.View(), ""}
	switch {
	case f.noUsers:
		lines = append(lines, st.StatusErr.Render("No users yet."), st.Dim.Render("Create one in another terminal, then sign in:"),
			"  pamps adduser --username ann --email ann@example.com", st.Dim.Render("or try it with demo data:"),
			"  pamps seed --password demo-pass", st.Dim.Render("esc: quit"))
	case f.checking:
		lines = append(lines, st.Dim.Render("Checking…"))
	case f.err != "":
		lines = append(lines, st.StatusErr.Render(f.err))
	default:
		lines = append(lines, st.Dim.Render("enter: next / sign in · tab: switch field · esc: quit"))
	}
	return st.Box.Render(strings.Join(lines, "\n"))
}
