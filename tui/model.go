package tui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/pamps/pamps/store"
)

// Options configure the TUI.
type Options struct {
	Store    *store.Store
	As       string           // act as this user, skipping the login screen
	Dark     bool             // a dark background, until the terminal says which (DarkFromEnv)
	PageSize int              // posts per page; 0 is 30
	Poll     time.Duration    // how often to look for new posts; 0 is 1s
	Now      func() time.Time // nil is time.Now (tests fix it)
	Timeout  time.Duration    // per store call; 0 is 5s
}

// The tabs, in order.
const (
	tabHome = iota
	tabEveryone
	tabMine
	tabLiked
	tabPeople
	tabCount
)

var tabNames = [tabCount]string{"Home", "Everyone", "Mine", "Liked", "People"}

// screen is a view pushed over the tabs: a thread, a profile, the composer...
type screen interface {
	update(m *Model, msg tea.Msg) (screen, tea.Cmd) // nil screen: pop it
	view(m *Model, width, height int) string
	title() string
	hints(m *Model) []key.Binding // its keys, for the footer; each must work there
}

// Model is the whole TUI.
type Model struct {
	opt    Options
	st     *store.Store
	styles Styles
	keys   keyMap
	help   help.Model

	width, height int
	me            *store.User // nil until logged in
	login         *loginForm

	tab    int
	feeds  [tabPeople]*postList
	people *peopleList
	stack  []screen

	status    string
	statusErr bool
	statusSeq int  // counts statuses set, so that an old expiry clears nothing
	statusNew bool // a status was set: Update arms its expiry
	fullHelp  bool
	quitting  bool

	// Likes and follows are shown at once and written meanwhile; q waits
	// for them rather than leave one half done.
	writing       int
	quitWhenSaved bool
}

// New builds the TUI model.
func New(opt Options) *Model {
	if opt.PageSize <= 0 {
		opt.PageSize = 30
	}
	if opt.Poll <= 0 {
		opt.Poll = time.Second
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 5 * time.Second
	}
	m := &Model{opt: opt, st: opt.Store, keys: newKeyMap(), help: help.New(), width: 80, height: 24}
	m.setStyles(NewStyles(opt.Dark))
	m.login = newLoginForm(m, opt.As)
	return m
}

func (m *Model) setStyles(st Styles) {
	m.styles = st
	m.help.Styles.ShortKey = st.Help.Bold(true)
	m.help.Styles.ShortDesc = st.Help
	m.help.Styles.FullKey = st.Help.Bold(true)
	m.help.Styles.FullDesc = st.Help
}

func (m *Model) now() time.Time {
	if m.opt.Now != nil {
		return m.opt.Now()
	}
	return time.Now()
}

func (m *Model) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), m.opt.Timeout)
}

// Init logs in directly with --as, else shows the login form, and asks the
// terminal for its background; the answer comes as a message, so a
// terminal that never answers delays nothing.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.login.init(m), m.tick(), tea.RequestBackgroundColor)
}

type tickMsg struct{}

func (m *Model) tick() tea.Cmd {
	return tea.Tick(m.opt.Poll, func(time.Time) tea.Msg { return tickMsg{} })
}

// signedIn sets up the views for the user.
func (m *Model) signedIn(u store.User) tea.Cmd {
	m.me = &u
	m.login = nil
	me := u.ID
	m.feeds[tabHome] = newPostList("Home", true, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
		return m.st.Timeline(ctx, me, false, c, n)
	})
	m.feeds[tabEveryone] = newPostList("Everyone", true, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
		return m.st.ListPosts(ctx, store.PostList{Newest: true, Cursor: c, Limit: n, Viewer: me})
	})
	m.feeds[tabMine] = newPostList("Mine", true, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
		return m.st.ListPosts(ctx, store.PostList{AuthorID: me, Replies: true, Newest: true, Cursor: c, Limit: n, Viewer: me})
	})
	m.feeds[tabLiked] = newPostList("Liked", false, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
		return m.st.LikedPosts(ctx, me, me, c, n)
	})
	m.people = newPeopleList()
	m.setStatus("Signed in as "+u.Username+". Press ? for help.", false)
	return m.feeds[tabHome].load(m, false)
}

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
	model, cmd := m.update(msg)
	if m.statusNew {
		m.statusNew = false
		seq := m.statusSeq
		cmd = tea.Batch(cmd, tea.Tick(statusTTL, func(time.Time) tea.Msg { return statusExpired{seq} }))
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
	case tickMsg:
		return m, tea.Batch(m.tick(), m.pollActive())
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
	case pollMsg:
		msg.list.applyPoll(msg)
		return nil, true
	case postChangedMsg:
		cmd := m.postChanged(msg)
		if msg.write {
			cmd = m.wrote(cmd)
		}
		return cmd, true
	case followDone:
		return m.wrote(m.applyFollow(msg)), true
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
		_, ok := m.stack[len(m.stack)-1].(*composer)
		return ok
	}
	return m.tab == tabPeople && m.people.filtering
}

// scroll moves the selection of whatever list is in front.
func (m *Model) scroll(delta int) tea.Cmd {
	if len(m.stack) > 0 {
		return m.updateTop(scrollMsg(delta))
	}
	if m.tab == tabPeople {
		return m.people.move(m, delta)
	}
	return m.feeds[m.tab].move(m, delta)
}

// scrollMsg asks a screen to move its selection (mouse wheel).
type scrollMsg int

// pollActive looks for new posts in the list in front.
func (m *Model) pollActive() tea.Cmd {
	if m.me == nil {
		return nil
	}
	if len(m.stack) > 0 {
		if p, ok := m.stack[len(m.stack)-1].(*profile); ok {
			return p.posts.poll(m)
		}
		return nil
	}
	if m.tab < tabPeople {
		return m.feeds[m.tab].poll(m)
	}
	return nil
}

func (m *Model) switchTab(t int) tea.Cmd {
	m.tab = (t + tabCount) % tabCount
	if m.tab == tabPeople {
		if !m.people.loaded {
			return m.people.load(m)
		}
		return nil
	}
	if l := m.feeds[m.tab]; !l.loaded {
		return l.load(m, false)
	}
	return nil
}

// updateTabs handles keys on the tab views.
func (m *Model) updateTabs(msg tea.Msg) tea.Cmd {
	if m.tab == tabPeople {
		return m.people.update(m, msg)
	}
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	if cmd, ok := m.tabKeys(k); ok {
		return cmd
	}
	return m.postKeys(m.feeds[m.tab], k)
}

// tabKeys switches views.
func (m *Model) tabKeys(k tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, m.keys.NextTab):
		return m.switchTab(m.tab + 1), true
	case key.Matches(k, m.keys.PrevTab):
		return m.switchTab(m.tab - 1), true
	case key.Matches(k, m.keys.Tab1, m.keys.Tab2, m.keys.Tab3, m.keys.Tab4, m.keys.Tab5):
		return m.switchTab(int(k.String()[0] - '1')), true
	}
	return nil, false
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
		if p.UserID != m.me.ID {
			m.setStatus("You can only delete your own posts", true)
			return nil
		}
		return m.push(newConfirm(p))
	}
	return nil
}

func (m *Model) push(s screen, cmd tea.Cmd) tea.Cmd {
	m.stack = append(m.stack, s)
	return cmd
}

// bodyHeight is what is left for a view under the header and above the footer.
func (m *Model) bodyHeight() int { return max(m.height-6, 3) }

func (m *Model) bodyWidth() int { return max(m.width-2, 20) }

// View draws the screen, full-screen, with the mouse wheel on.
func (m *Model) View() tea.View {
	v := tea.NewView(m.draw())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

func (m *Model) draw() string {
	if m.quitting {
		return ""
	}
	if m.width < 60 || m.height < 20 {
		return m.styles.App.Render(m.styles.StatusErr.Render("Too small: pamps needs 60×20.") +
			"\n" + m.styles.Dim.Render("Enlarge it, or press q."))
	}
	if m.me == nil {
		return m.styles.App.Render(m.login.view(m))
	}
	header := m.header()
	var body string
	switch {
	case m.fullHelp:
		body = m.styles.Title.Render("Keys") + "\n\n" + m.fullHelpView(m.bodyWidth()) + "\n\n" + m.styles.Dim.Render("Press any key to close.")
	case len(m.stack) > 0:
		top := m.stack[len(m.stack)-1]
		body = m.styles.Title.Render(top.title()) + "\n" + top.view(m, m.bodyWidth(), m.bodyHeight()-1)
	case m.tab == tabPeople:
		body = m.people.view(m, m.bodyWidth(), m.bodyHeight())
	default:
		body = m.feeds[m.tab].view(m, m.bodyWidth(), m.bodyHeight())
	}
	body = lipgloss.NewStyle().Height(m.bodyHeight()).MaxHeight(m.bodyHeight()).Render(body)
	status := m.styles.Status.Render(m.status)
	if m.statusErr {
		status = m.styles.StatusErr.Render(m.status)
	}
	return m.styles.App.Render(strings.Join([]string{header, body, truncate(status, m.bodyWidth()), m.footer()}, "\n"))
}

func (m *Model) header() string {
	tabs := []string{m.styles.Brand.Render("pamps")}
	for i, name := range tabNames {
		label := string(rune('1'+i)) + " " + name
		if i == m.tab && len(m.stack) == 0 {
			tabs = append(tabs, m.styles.ActiveTab.Render(label))
		} else {
			tabs = append(tabs, m.styles.Tab.Render(label))
		}
	}
	left := lipgloss.JoinHorizontal(lipgloss.Top, tabs...)
	right := m.styles.Me.Render("@" + m.me.Username)
	gap := max(m.bodyWidth()-lipgloss.Width(left)-lipgloss.Width(right), 1)
	return m.styles.Header.Render(left + strings.Repeat(" ", gap) + right)
}

// truncate cuts s to width cells.
func truncate(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	return lipgloss.NewStyle().MaxWidth(width).Render(s)
}
