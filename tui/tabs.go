package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// switchTab shows tab t (wrapping around), loading it the first time.
func (m *Model) switchTab(t int) tea.Cmd {
	m.tab = (t + tabCount) % tabCount
	if m.tab == tabNotices { // read afresh each time: it marks them read
		return m.notices.load(m)
	}
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

// tabKeys switches views.
func (m *Model) tabKeys(k tea.KeyPressMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, m.keys.NextTab):
		return m.switchTab(m.tab + 1), true
	case key.Matches(k, m.keys.PrevTab):
		return m.switchTab(m.tab - 1), true
	case key.Matches(k, m.keys.Tab1, m.keys.Tab2, m.keys.Tab3, m.keys.Tab4, m.keys.Tab5, m.keys.Tab6):
		return m.switchTab(int(k.String()[0] - '1')), true
	case key.Matches(k, m.keys.Notices):
		return m.switchTab(tabNotices), true
	case key.Matches(k, m.keys.Reports):
		return m.push(newReports(m)), true
	}
	return nil, false
}
