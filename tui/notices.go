package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// noticeList is the Notifications tab: the member's notifications grouped
// as the API groups them ("ann, bob and 3 others liked your post"). Opening
// the tab marks them read; the header's badge counts the unread ones, and
// grows live as the home stream brings new ones.
type noticeList struct {
	groups  []store.NotificationGroup
	next    string
	loaded  bool
	loading bool
	seq     int // the last load asked for: an older answer is dropped
	sel     int
	offset  int
}

// noticesMsg is a page of groups, and the unread count after it was read.
type noticesMsg struct {
	seq      int
	page     store.Page[store.NotificationGroup]
	appendTo bool
	unread   int64
	err      error
}

// unreadMsg is the unread count, read at sign-in.
type unreadMsg struct {
	n   int64
	err error
}

// countUnread reads the badge's count.
func (m *Model) countUnread() tea.Cmd {
	me := m.me.ID
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		n, err := m.st.UnreadNotifications(ctx, me)
		return unreadMsg{n: n, err: err}
	}
}

// fetch reads a page; the first page, read while the tab is shown, also
// marks everything up to its newest read (the page still shows which
// were unread).
func (n *noticeList) fetch(m *Model, cursor string, appendTo bool) tea.Cmd {
	n.loading = true
	n.seq++
	seq, me := n.seq, m.me.ID
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		page, err := m.st.NotificationGroups(ctx, me, store.NotificationFilter{}, cursor, m.opt.PageSize)
		if err != nil {
			return noticesMsg{seq: seq, err: err}
		}
		if !appendTo && len(page.Items) > 0 {
			if err := m.st.MarkNotificationsRead(ctx, me, page.Items[0].Newest); err != nil {
				return noticesMsg{seq: seq, err: err}
			}
		}
		unread, err := m.st.UnreadNotifications(ctx, me)
		return noticesMsg{seq: seq, page: page, appendTo: appendTo, unread: unread, err: err}
	}
}

func (n *noticeList) load(m *Model) tea.Cmd { return n.fetch(m, "", false) }

func (n *noticeList) apply(m *Model, msg noticesMsg) {
	if msg.seq != n.seq {
		return
	}
	n.loading = false
	if msg.err != nil {
		m.fail(msg.err)
		return
	}
	n.loaded = true
	if msg.appendTo {
		n.groups = append(n.groups, msg.page.Items...)
	} else {
		n.groups, n.sel, n.offset = msg.page.Items, 0, 0
	}
	n.next = msg.page.Next
	m.unread = msg.unread
}

func (n *noticeList) move(m *Model, delta int) tea.Cmd {
	if len(n.groups) == 0 {
		return nil
	}
	n.sel = step(n.sel, delta, len(n.groups))
	if n.sel >= len(n.groups)-5 && n.next != "" && !n.loading {
		return n.fetch(m, n.next, true)
	}
	return nil
}

func (n *noticeList) update(m *Model, msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	if cmd, ok := m.tabKeys(k); ok {
		return cmd
	}
	page := max(m.bodyHeight()/4, 1)
	switch {
	case key.Matches(k, m.keys.Up):
		return n.move(m, -1)
	case key.Matches(k, m.keys.Down):
		return n.move(m, 1)
	case key.Matches(k, m.keys.PageUp):
		return n.move(m, -page)
	case key.Matches(k, m.keys.PageDown):
		return n.move(m, page)
	case key.Matches(k, m.keys.Top):
		n.sel = 0
	case key.Matches(k, m.keys.Bottom):
		return n.move(m, len(n.groups))
	case key.Matches(k, m.keys.Refresh):
		return n.load(m)
	case key.Matches(k, m.keys.New):
		return m.push(newComposer(m, composeNew, store.Post{}))
	case key.Matches(k, m.keys.Filter):
		return m.push(newSearch())
	case key.Matches(k, m.keys.Open) && n.sel < len(n.groups):
		return n.open(m, n.groups[n.sel])
	}
	return nil
}

// open shows what a notification is about: the post (a reply in its
// thread), or for a follow the newest follower's profile.
func (n *noticeList) open(m *Model, g store.NotificationGroup) tea.Cmd {
	switch {
	case g.Type == store.NotifyReport:
		return m.push(newReports(m))
	case (g.Type == store.NotifyFollow || g.Type == store.NotifySignup) && len(g.Actors) > 0:
		return m.push(newProfile(m, g.Actors[0].Username))
	case g.Post == nil:
		m.setStatus("That post is not there any more", true)
		return nil
	case g.Type == store.NotifyReply && g.Post.ParentID != nil:
		return m.push(newThread(m, *g.Post.ParentID))
	}
	return m.push(newThread(m, g.Post.ID))
}

func (n *noticeList) view(m *Model, width, height int) string {
	st := m.styles
	switch {
	case !n.loaded:
		return st.Dim.Render("Loading…")
	case len(n.groups) == 0:
		return st.Dim.Render("No notifications yet. Replies, mentions, likes and follows show here.")
	}
	rows := max(height/2, 1) // a group is a line and a blank one
	if n.sel < n.offset {
		n.offset = n.sel
	}
	if n.sel >= n.offset+rows {
		n.offset = n.sel - rows + 1
	}
	var b strings.Builder
	for i := n.offset; i < len(n.groups) && i < n.offset+rows; i++ {
		g := n.groups[i]
		mark := "  "
		if !g.Read {
			mark = st.Unread.Render("●") + " "
		}
		line := mark + highlight(st, store.Printable(g.Sentence()), nil) + st.Meta.Render(" · "+ago(m.now(), g.Date.Time))
		style := st.Item
		if i == n.sel {
			style = st.Selected
		}
		b.WriteString(truncate(style.Render(line), width) + "\n\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// noticeHints are the tab's keys: open, on a group.
func noticeHints(m *Model) []key.Binding {
	k := m.keys
	out := []key.Binding{k.New}
	if n := m.notices; n.sel < len(n.groups) {
		what := "open post"
		if n.groups[n.sel].Type == store.NotifyFollow {
			what = "profile"
		}
		out = []key.Binding{hint(k.Open, what), k.New}
	}
	return append(out, k.NextTab)
}

// noticeArrived takes the notifications the home stream brought: on the tab
// it is shown (and read) at once; elsewhere the badge's count is read
// again. Not counted up: an event from before the count was first read
// can arrive after it (the stream starts where the hub stands, which on
// PostgreSQL may be behind), and would be counted twice.
func (m *Model) noticeArrived() tea.Cmd {
	if m.tab == tabNotices && len(m.stack) == 0 {
		return m.notices.load(m)
	}
	return m.countUnread()
}
