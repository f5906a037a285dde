package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/pamps/pamps/store"
)

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
		body = m.styles.Title.Render(store.Printable(top.title())) + "\n" + top.view(m, m.bodyWidth(), m.bodyHeight()-1)
	case m.tab == tabPeople:
		body = m.people.view(m, m.bodyWidth(), m.bodyHeight())
	case m.tab == tabNotices:
		body = m.notices.view(m, m.bodyWidth(), m.bodyHeight())
	default:
		body = m.feeds[m.tab].view(m, m.bodyWidth(), m.bodyHeight())
	}
	body = fitHeight(body, m.bodyHeight())
	// Titles and statuses carry stored names: shown escaped, as post texts.
	status := m.styles.Status.Render(store.Printable(m.status))
	if m.statusErr {
		status = m.styles.StatusErr.Render(store.Printable(m.status))
	}
	return padApp(strings.Join([]string{header, body, truncate(status, m.bodyWidth()), m.footer()}, "\n"))
}

func (m *Model) header() string {
	k := fmt.Sprint(m.tab, len(m.stack) == 0, m.me.Username, m.bodyWidth(), m.unread)
	if k != m.headerKey {
		m.headerKey, m.headerLine = k, m.drawHeader()
	}
	return m.headerLine
}

func (m *Model) drawHeader() string {
	right := m.styles.Me.Render("@" + store.Printable(m.me.Username))
	// On a narrow terminal the tabs other than the current one keep only
	// their number, then the brand goes: @name always shows (at 60 columns
	// the full tabs pushed it off the line).
	var left string
	for _, compact := range []int{0, 1, 2} {
		left = m.drawTabs(compact)
		if lipgloss.Width(left)+1+lipgloss.Width(right) <= m.bodyWidth() {
			break
		}
	}
	gap := max(m.bodyWidth()-lipgloss.Width(left)-lipgloss.Width(right), 1)
	return m.styles.Header.Render(left + strings.Repeat(" ", gap) + right)
}

// drawTabs draws the brand and the tabs: compact 1 names only the current
// tab, 2 also leaves the brand out.
func (m *Model) drawTabs(compact int) string {
	var tabs []string
	if compact < 2 {
		tabs = append(tabs, m.styles.Brand.Render("pamps"))
	}
	for i, name := range tabNames {
		current := i == m.tab && len(m.stack) == 0
		label := string(rune('1' + i))
		if compact == 0 || current {
			label += " " + name
		}
		if i == tabNotices && m.unread > 0 { // the badge, however compact
			label += " " + m.styles.Badge.Render(fmt.Sprintf("(%d)", min(m.unread, 999)))
		}
		if current {
			tabs = append(tabs, m.styles.ActiveTab.Render(label))
		} else {
			tabs = append(tabs, m.styles.Tab.Render(label))
		}
	}
	return lipgloss.JoinHorizontal(lipgloss.Top, tabs...)
}

// padApp is what the App style (Padding(0, 1)) draws, each line measured
// once where lipgloss measures it twice: the whole screen goes through it
// on every frame of every session. TestPadAppIsTheAppStyle holds them equal.
func padApp(s string) string {
	lines := strings.Split(s, "\n")
	widths := make([]int, len(lines))
	widest := 0
	for i, l := range lines {
		widths[i] = ansi.StringWidth(l)
		widest = max(widest, widths[i])
	}
	var b strings.Builder
	b.Grow(len(s) + len(lines)*(widest/2+3))
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteByte(' ')
		b.WriteString(l)
		b.WriteString(strings.Repeat(" ", widest-widths[i]+1))
	}
	return b.String()
}

// truncate cuts s to width cells.
func truncate(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	return lipgloss.NewStyle().MaxWidth(width).Render(s)
}

// fitHeight pads s with empty lines to h lines, or cuts it there: what a
// lipgloss Height and MaxHeight style did, without measuring every line's
// width a second time (App's padding measures them once).
func fitHeight(s string, h int) string {
	n := strings.Count(s, "\n") + 1
	if n < h {
		return s + strings.Repeat("\n", h-n)
	}
	if n > h {
		i := 0
		for range h {
			j := strings.IndexByte(s[i:], '\n')
			i += j + 1
		}
		return s[:i-1]
	}
	return s
}

// step moves a selection of n rows by delta, staying on them (0 when none).
func step(sel, delta, n int) int { return max(0, min(n-1, sel+delta)) }
