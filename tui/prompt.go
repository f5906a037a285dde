package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// prompt asks for one line (a moderation reason, a note) and hands it to
// act, whose command answers a promptDone for this prompt (act gets it to
// fill in); it stays open, showing the refusal, until act succeeds.
type prompt struct {
	heading  string
	input    textinput.Model
	required bool
	act      func(m *Model, p *prompt, text string) tea.Cmd
	busy     bool
	err      string
}

// promptDone is act's answer: done, said on the status line, then what
// the screen below does (reload what changed); or an error.
type promptDone struct {
	p    *prompt
	said string
	then tea.Cmd
	err  error
}

func newPrompt(heading, label, placeholder string, required bool, act func(m *Model, p *prompt, text string) tea.Cmd) (screen, tea.Cmd) {
	in := textinput.New()
	in.Prompt = label + ": "
	in.Placeholder = placeholder
	in.CharLimit = store.MaxReasonLen
	in.SetWidth(60)
	p := &prompt{heading: heading, input: in, required: required, act: act}
	return p, p.input.Focus()
}

func (p *prompt) title() string { return p.heading }

func (p *prompt) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case promptDone:
		if msg.p != p {
			return p, nil
		}
		p.busy = false
		if msg.err != nil {
			p.err = statusText(msg.err)
			return p, nil
		}
		m.setStatus(msg.said, false)
		return nil, msg.then
	case tea.KeyPressMsg:
		if p.busy {
			return p, nil
		}
		switch msg.String() {
		case "esc":
			m.setStatus("Cancelled", false)
			return nil, nil
		case "enter":
			text := strings.TrimSpace(p.input.Value())
			if p.required && text == "" {
				p.err = "A reason is required: the audit log keeps it"
				return p, nil
			}
			p.busy, p.err = true, ""
			return p, p.act(m, p, text)
		}
		p.err = ""
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return p, cmd
}

func (p *prompt) hints(m *Model) []key.Binding {
	return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm")), hint(m.keys.Back, "cancel")}
}

func (p *prompt) view(m *Model, width, height int) string {
	st := m.styles
	out := p.input.View() + "\n\n" // the frame shows the heading (title)
	switch {
	case p.busy:
		out += st.Dim.Render("Working…")
	case p.err != "":
		out += st.StatusErr.Render(p.err)
	}
	return out
}
