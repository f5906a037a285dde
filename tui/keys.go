package tui

import "charm.land/bubbles/v2/key"

// keyMap is every binding; help renders it.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom         key.Binding
	NextTab, PrevTab, Tab1, Tab2, Tab3, Tab4, Tab5  key.Binding
	Tab6, Notices, Hidden                           key.Binding
	Open, Back, New, Reply, Like, Follow, Edit, Del key.Binding
	Refresh, ShowNew, Filter, Help, Quit            key.Binding
	Parent, Block, Mute                             key.Binding
	Report, Reports, Suspend, Approve               key.Binding
}

func newKeyMap() keyMap {
	k := key.NewBinding
	return keyMap{
		Up:       k(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     k(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   k(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown: k(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Top:      k(key.WithKeys("g", "home"), key.WithHelp("g", "top")),
		Bottom:   k(key.WithKeys("G", "end"), key.WithHelp("G", "bottom")),
		NextTab:  k(key.WithKeys("tab"), key.WithHelp("tab", "next view")),
		PrevTab:  k(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous view")),
		Tab1:     k(key.WithKeys("1"), key.WithHelp("1-6", "views")),
		Tab2:     k(key.WithKeys("2")),
		Tab3:     k(key.WithKeys("3")),
		Tab4:     k(key.WithKeys("4")),
		Tab5:     k(key.WithKeys("5")),
		Tab6:     k(key.WithKeys("6")),
		Notices:  k(key.WithKeys("i"), key.WithHelp("i", "notifications")),
		Hidden:   k(key.WithKeys("H"), key.WithHelp("H", "whom I block, mute")),
		Open:     k(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		Back:     k(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		New:      k(key.WithKeys("n"), key.WithHelp("n", "new post")),
		Reply:    k(key.WithKeys("r"), key.WithHelp("r", "reply")),
		Like:     k(key.WithKeys("l"), key.WithHelp("l", "like/unlike")),
		Follow:   k(key.WithKeys("f"), key.WithHelp("f", "follow/unfollow")),
		Edit:     k(key.WithKeys("e"), key.WithHelp("e", "edit mine")),
		Del:      k(key.WithKeys("d"), key.WithHelp("d", "delete mine")),
		Refresh:  k(key.WithKeys("R"), key.WithHelp("R", "refresh")),
		Parent:   k(key.WithKeys("p"), key.WithHelp("p", "parent")),
		Block:    k(key.WithKeys("b"), key.WithHelp("b", "block/unblock")),
		Mute:     k(key.WithKeys("m"), key.WithHelp("m", "mute/unmute")),
		Report:   k(key.WithKeys("!"), key.WithHelp("!", "report")),
		Reports:  k(key.WithKeys("M"), key.WithHelp("M", "reports (mods)")),
		Suspend:  k(key.WithKeys("S"), key.WithHelp("S", "suspend (mods)")),
		Approve:  k(key.WithKeys("A"), key.WithHelp("A", "approve (mods)")),
		ShowNew:  k(key.WithKeys("u"), key.WithHelp("u", "show new posts")),
		Filter:   k(key.WithKeys("/"), key.WithHelp("/", "search (People: filter)")),
		Help:     k(key.WithKeys("?"), key.WithHelp("?", "help")),
		Quit:     k(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp is the footer line.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.NextTab, k.Open, k.New, k.Reply, k.Like, k.Follow, k.Help, k.Quit}
}

// FullHelp is the ? screen.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom, k.Help, k.Quit},
		{k.NextTab, k.PrevTab, k.Tab1, k.Notices, k.Open, k.Back, k.Filter, k.Hidden},
		{k.New, k.Reply, k.Like, k.Follow, k.Edit, k.Del, k.Parent, k.Refresh, k.ShowNew},
		{k.Block, k.Mute, k.Report, k.Reports, k.Suspend, k.Approve},
	}
}
