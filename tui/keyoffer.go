package tui

import (
	"errors"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// keyOffer asks a member who signed in over SSH with a password whether
// to add the key their client offered, so that the next time no password
// is needed.
type keyOffer struct {
	key  string
	busy bool
}

type keyAdded struct{ err error }

var (
	keyYes = key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "add the key"))
	keyNo  = key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n", "not now"))
)

func (k *keyOffer) title() string { return "Add your key?" }

func (k *keyOffer) hints(*Model) []key.Binding { return []key.Binding{keyYes, keyNo} }

func (k *keyOffer) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case keyAdded:
		if errors.Is(msg.err, store.ErrNeedsPassword) {
			// The API's wording speaks of a request's "password" field.
			m.setStatus("The offer lasts 5 minutes after a password sign-in: connect again with your password to add the key", true)
			return nil, nil
		}
		if msg.err != nil {
			m.fail(msg.err)
			return nil, nil
		}
		m.setStatus("Key added: next time ssh signs you in with it.", false)
		return nil, nil
	case tea.KeyPressMsg:
		switch {
		case k.busy:
		case key.Matches(msg, keyYes):
			k.busy = true
			// The offer follows a password sign-in over SSH: that is the
			// proof a key needs (store.Proof), for a few minutes.
			me, line, proof := m.me.ID, k.key, store.Proof{SignedIn: time.UnixMilli(m.cred.IssuedAt)}
			return k, func() tea.Msg {
				ctx, cancel := m.ctx()
				defer cancel()
				_, err := m.st.AddMemberSSHKey(ctx, me, proof, line)
				return keyAdded{err: err}
			}
		case key.Matches(msg, keyNo):
			return nil, nil
		}
	}
	return k, nil
}

func (k *keyOffer) view(m *Model, width, height int) string {
	kind, _, _ := strings.Cut(k.key, " ")
	return m.styles.Title.Render("Sign in with your key next time?") + "\n\n" +
		"You signed in with your password. The key your SSH client offered\n(" +
		store.Printable(kind) + ") is on no account: add it to yours, and `ssh` signs you in\nwith it from now on.\n\n" +
		m.styles.Help.Render("y add it · n not now")
}
