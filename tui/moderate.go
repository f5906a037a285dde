package tui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// moderate is S (suspend, or lift a suspension) and A (approve a sign-up)
// on a profile, for moderators: each asks for its reason, and the store's
// rules decide (a moderator does not suspend an admin...).
func (p *profile) moderate(m *Model, approve bool) tea.Cmd {
	if !m.me.Role.Staff() {
		m.setStatus("Only moderators suspend and approve accounts", true)
		return nil
	}
	if p.user.ID == m.me.ID {
		m.setStatus("That is you", true)
		return nil
	}
	me, id, name := m.me.ID, p.user.ID, store.Printable(p.user.Username)
	run := func(pr *prompt, said string, do func() error) tea.Cmd {
		return func() tea.Msg {
			err := do()
			return promptDone{p: pr, err: err, said: said, then: p.load(m)}
		}
	}
	switch {
	case approve && p.user.Status != store.StatusPending:
		m.setStatus(name+" is not waiting for approval", true)
		return nil
	case approve:
		return func() tea.Msg {
			ctx, cancel := m.ctx()
			defer cancel()
			_, err := m.st.Approve(ctx, store.AsUser(me), id)
			return doneMsg{said: "Approved " + name, err: err, then: p.load(m)}
		}
	case p.user.Status == store.StatusSuspended:
		return m.push(newPrompt("Lift the suspension of "+name, "reason", "optional: why (the audit log keeps it)", false,
			func(m *Model, pr *prompt, reason string) tea.Cmd {
				return run(pr, "Lifted the suspension of "+name, func() error {
					ctx, cancel := m.ctx()
					defer cancel()
					_, err := m.st.Unsuspend(ctx, store.AsUser(me), id, reason)
					return err
				})
			}))
	}
	return m.push(newPrompt("Suspend "+name+": no sign-in, sessions ended, what they wrote hidden (reversible)", "reason",
		"required: why (the audit log keeps it)", true,
		func(m *Model, pr *prompt, reason string) tea.Cmd {
			return run(pr, "Suspended "+name, func() error {
				ctx, cancel := m.ctx()
				defer cancel()
				_, err := m.st.Suspend(ctx, store.AsUser(me), id, reason)
				return err
			})
		}))
}

// doneMsg is an action's outcome for the status line, and what follows
// it (a reload) when it succeeded.
type doneMsg struct {
	said string
	err  error
	then tea.Cmd
}
