package tui

import (
	"context"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// profile shows a user: bio, avatar URL, counts, follow state, their posts.
type profile struct {
	name      string
	user      store.User
	rel       store.Relation // how I stand with them
	following bool
	loaded    bool
	missing   bool
	posts     *postList
}

type profileMsg struct {
	p         *profile
	user      store.User
	following bool
	err       error
}

func newProfile(m *Model, name string) (screen, tea.Cmd) {
	p := &profile{name: name}
	return p, p.load(m)
}

func (p *profile) title() string { return "@" + p.name }

func (p *profile) load(m *Model) tea.Cmd {
	me := m.me.ID
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		u, err := m.st.Profile(ctx, p.name, me)
		if err != nil {
			return profileMsg{p: p, err: err}
		}
		return profileMsg{p: p, user: u, following: u.Seen != nil && u.Seen.Following}
	}
}

func (p *profile) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case profileMsg:
		if msg.p != p {
			return p, nil
		}
		if msg.err != nil {
			p.missing = true
			m.fail(msg.err)
			return p, nil
		}
		p.user, p.following, p.loaded = msg.user, msg.following, true
		if msg.user.Seen != nil {
			p.rel = *msg.user.Seen
		}
		if p.posts == nil {
			id, me := msg.user.ID, m.me.ID
			p.posts = newPostList("Profile", func(le liveEvent) bool { return !le.home && le.e.AuthorID == id }, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
				return m.st.ListPosts(ctx, store.PostList{AuthorID: id, Replies: true, Newest: true, Cursor: c, Limit: n, Viewer: me, Liked: true})
			})
			return p, p.posts.load(m, false)
		}
		return p, nil
	case scrollMsg:
		if p.posts != nil {
			return p, p.posts.move(m, int(msg))
		}
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Back):
			return nil, nil
		case key.Matches(msg, m.keys.Follow) && p.loaded:
			return p, m.toggleFollow(p.user.ID, p.user.Username)
		case key.Matches(msg, m.keys.Block, m.keys.Mute) && p.loaded && p.user.ID == m.me.ID:
			m.setStatus("That is you", true)
			return p, nil
		case key.Matches(msg, m.keys.Block) && p.loaded && p.rel.Blocked:
			return p, p.unblock(m)
		case key.Matches(msg, m.keys.Block) && p.loaded:
			return p, m.push(&blockConfirm{p: p}, nil)
		case key.Matches(msg, m.keys.Mute) && p.loaded:
			return p, p.toggleMute(m)
		case key.Matches(msg, m.keys.Report) && p.loaded:
			return p, m.push(newReportForm(m, nil, p.user))
		case key.Matches(msg, m.keys.Suspend, m.keys.Approve) && p.loaded:
			return p, p.moderate(m, key.Matches(msg, m.keys.Approve))
		case key.Matches(msg, m.keys.Refresh):
			return p, tea.Batch(p.load(m), p.posts.load(m, false))
		}
		if p.posts != nil {
			if key.Matches(msg, m.keys.Follow) {
				return p, nil
			}
			return p, m.postKeys(p.posts, msg)
		}
	}
	return p, nil
}

func (p *profile) hints(m *Model) []key.Binding {
	if p.posts == nil {
		return []key.Binding{m.keys.Back}
	}
	out := listHints(m, p.posts)
	out = append([]key.Binding{m.keys.Back}, out[:len(out)-1]...) // no tabs here: esc instead
	if p.loaded && p.user.ID != m.me.ID {
		out = append(out, m.keys.Block, m.keys.Mute, m.keys.Report)
		if m.me.Role.Staff() {
			out = append(out, m.keys.Suspend)
			if p.user.Status == store.StatusPending {
				out = append(out, m.keys.Approve)
			}
		}
	}
	return out
}

func (p *profile) view(m *Model, width, height int) string {
	st := m.styles
	switch {
	case p.missing:
		return st.Dim.Render("No such user. Press esc to go back.")
	case !p.loaded:
		return st.Dim.Render("Loading…")
	}
	u := p.user
	lines := []string{st.Author.Render(store.Printable(u.Username))}
	if u.Bio != nil {
		lines = append(lines, store.Printable(*u.Bio))
	}
	if u.Avatar != nil {
		lines = append(lines, st.Dim.Render("avatar "+store.Printable(*u.Avatar)))
	}
	lines = append(lines, st.Meta.Render(plural(u.Posts, "post")+" · "+plural(u.Followers, "follower")+fmt.Sprintf(" · %d following", u.Following)))
	switch {
	case u.ID == m.me.ID:
		lines = append(lines, st.Dim.Render("this is you"))
	case p.rel.Blocked:
		lines = append(lines, st.StatusErr.Render("⊘ blocked")+st.Dim.Render("  (b to unblock)"))
	case p.following:
		lines = append(lines, st.Status.Render("✓ following")+st.Dim.Render("  (f to unfollow · b block · m mute)"))
	default:
		lines = append(lines, st.Dim.Render("not following  (f to follow · b block · m mute)"))
	}
	switch u.Status { // only moderators see a withheld account
	case store.StatusSuspended:
		lines = append(lines, st.StatusErr.Render("suspended: "+store.Printable(u.SuspendReason))+st.Dim.Render("  (S to lift)"))
	case store.StatusPending:
		lines = append(lines, st.StatusErr.Render("waiting for approval")+st.Dim.Render("  (A to approve)"))
	}
	if p.rel.Muted && u.ID != m.me.ID {
		lines = append(lines, st.Dim.Render("muted: their posts stay out of your lists  (m to unmute)"))
	}
	card := st.Box.Width(min(width-2, 70) + 2).Render(strings.Join(lines, "\n"))
	rest := height - strings.Count(card, "\n") - 2
	return card + "\n" + p.posts.view(m, width, max(rest, 3))
}
