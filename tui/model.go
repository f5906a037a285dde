package tui

import (
	"context"
	"time"

	livehub "github.com/pamps/pamps/store/live"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// Options configure the TUI.
type Options struct {
	Store *store.Store
	// Live is the process's live events of Store; nil makes the TUI its
	// own (the SSH server shares one across its sessions).
	Live     *livehub.Hub
	As       string           // act as this user, skipping the login screen
	Dark     bool             // a dark background, until the terminal says which (DarkFromEnv)
	PageSize int              // posts per page; 0 is 30
	Now      func() time.Time // nil is time.Now (tests fix it)
	Timeout  time.Duration    // per store call; 0 is 5s
	// User, when set, is signed in already (the SSH server's member): no
	// sign-in screen, and the TUI acts as this user only.
	User *store.User
	// OfferKey is the public key (an authorized_keys line) the member
	// connected with by SSH, on no account yet: the TUI offers to add it.
	OfferKey string
	// RepaintOnKey redraws the whole screen at every key press: in a local
	// terminal, other programs may write over it.
	RepaintOnKey bool
}

// The tabs, in order.
const (
	tabHome = iota
	tabEveryone
	tabMine
	tabLiked
	tabPeople
	tabNotices
	tabCount
)

var tabNames = [tabCount]string{"Home", "Everyone", "Mine", "Liked", "People", "Notifications"}

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
	// cred is what the member's own actions (posting) present to the store,
	// which checks it still holds and counts them in the member's limits,
	// as it does for the API's tokens.
	cred  store.Credential
	gone  goneSet // posts deleted lately (gone.go)
	login *loginForm

	tab     int
	feeds   [tabPeople]*postList
	people  *peopleList
	notices *noticeList
	unread  int64 // unread notifications: the header's badge
	stack   []screen

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
	likes         map[int64]*likeSync // posts liked or unliked here (likesync.go)
	follows       map[int64]bool      // follow writes on their way: flip again after

	live *live // the event streams, once signed in

	drawn map[postLook]string // posts as drawn (renderPost)
	// The footer as drawn last, and what it was drawn from: most frames
	// change a timeline, not the keys.
	footerKey, footerLine string
	headerKey, headerLine string
}

// New builds the TUI model.
func New(opt Options) *Model {
	if opt.PageSize <= 0 {
		opt.PageSize = 30
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 5 * time.Second
	}
	if opt.Live == nil && opt.Store != nil {
		opt.Live = livehub.New(opt.Store)
	}
	m := &Model{opt: opt, st: opt.Store, keys: newKeyMap(), help: help.New(), width: 80, height: 24, likes: map[int64]*likeSync{}, follows: map[int64]bool{}}
	m.setStyles(NewStyles(opt.Dark))
	if opt.User == nil { // a member signed in already (SSH) never sees it
		m.login = newLoginForm(m, opt.As)
	}
	return m
}

func (m *Model) setStyles(st Styles) {
	m.styles = st
	m.drawn, m.footerKey, m.headerKey = map[postLook]string{}, "", ""
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
	if m.opt.User != nil {
		cmd := m.signedIn(*m.opt.User)
		if m.opt.OfferKey != "" {
			m.stack = append(m.stack, &keyOffer{key: m.opt.OfferKey})
		}
		return tea.Batch(cmd, tea.RequestBackgroundColor)
	}
	return tea.Batch(m.login.init(m), tea.RequestBackgroundColor)
}

// signedIn sets up the views for the user.
func (m *Model) signedIn(u store.User) tea.Cmd {
	m.me = &u
	m.cred = store.Credential{UserID: u.ID, Username: u.Username, IssuedAt: time.Now().UnixMilli()}
	m.login = nil
	me := u.ID
	// Home is posts by whom I follow and mine, as the home stream carries
	// them (a post written there appears there); Everyone is top-level
	// posts.
	m.feeds[tabHome] = newPostList("Home", func(le liveEvent) bool {
		return le.home && le.e.ParentID == nil
	}, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
		m.live.waitPlaced()
		return m.st.HomeTimeline(ctx, me, false, c, n)
	})
	m.feeds[tabEveryone] = newPostList("Everyone", func(le liveEvent) bool {
		return !le.home && le.e.ParentID == nil
	}, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
		m.live.waitPlaced()
		return m.st.ListPosts(ctx, store.PostList{Newest: true, Cursor: c, Limit: n, Viewer: me, Liked: true})
	})
	m.feeds[tabMine] = newPostList("Mine", func(le liveEvent) bool {
		return !le.home && le.e.AuthorID == me
	}, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
		m.live.waitPlaced()
		return m.st.ListPosts(ctx, store.PostList{AuthorID: me, Replies: true, Newest: true, Cursor: c, Limit: n, Viewer: me, Liked: true})
	})
	m.feeds[tabLiked] = newPostList("Liked", nil, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
		return m.st.LikedPosts(ctx, me, me, c, n)
	})
	m.people = newPeopleList()
	m.notices = &noticeList{}
	m.setStatus("Signed in as "+u.Username+". Press ? for help.", false)
	m.live = startLive(m.st, m.opt.Live, me)
	return tea.Batch(m.feeds[tabHome].load(m, false), m.live.wait(), m.countUnread())
}
