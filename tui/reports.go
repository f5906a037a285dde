package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// reportsScreen is the moderators' queue (M): open reports newest first,
// or with t the resolved ones; enter opens one to resolve it.
type reportsScreen struct {
	state  string // open, resolved
	rows   []store.Report
	loaded bool
	sel    int
}

type reportsMsg struct {
	s    *reportsScreen
	rows []store.Report
	err  error
}

// newReports opens the queue, for moderators and admins; the store
// refuses anyone else, and a member is told so at once.
func newReports(m *Model) (screen, tea.Cmd) {
	if !m.me.Role.Staff() {
		m.setStatus("Only moderators see the reports", true)
		return nil, nil
	}
	s := &reportsScreen{state: "open"}
	return s, s.load(m)
}

func (s *reportsScreen) title() string { return "Reports (" + s.state + ")" }

func (s *reportsScreen) load(m *Model) tea.Cmd {
	me, state := m.me.ID, s.state
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		page, err := m.st.Reports(ctx, store.AsUser(me), state, "", store.DefaultLimit)
		return reportsMsg{s: s, rows: page.Items, err: err}
	}
}

func (s *reportsScreen) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reportsMsg:
		if msg.s == s {
			s.rows, s.loaded = msg.rows, true
			s.sel = min(s.sel, max(len(s.rows)-1, 0))
			if msg.err != nil {
				m.fail(msg.err)
			}
		}
	case scrollMsg:
		s.sel = step(s.sel, int(msg), len(s.rows))
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, m.keys.Back):
			return nil, nil
		case key.Matches(msg, m.keys.Up):
			s.sel = max(s.sel-1, 0)
		case key.Matches(msg, m.keys.Down):
			s.sel = step(s.sel, 1, len(s.rows))
		case key.Matches(msg, m.keys.Refresh):
			return s, s.load(m)
		case msg.String() == "t":
			s.state = map[string]string{"open": "resolved", "resolved": "open"}[s.state]
			s.loaded, s.sel = false, 0
			return s, s.load(m)
		case key.Matches(msg, m.keys.Open) && s.sel < len(s.rows):
			return s, m.push(newReportDetail(m, s, s.rows[s.sel]))
		}
	}
	return s, nil
}

func (s *reportsScreen) hints(m *Model) []key.Binding {
	other := map[string]string{"open": "resolved", "resolved": "open"}[s.state]
	out := []key.Binding{m.keys.Back, key.NewBinding(key.WithKeys("t"), key.WithHelp("t", other)), m.keys.Refresh}
	if s.sel < len(s.rows) {
		out = append(out, hint(m.keys.Open, "open"))
	}
	return out
}

func (s *reportsScreen) view(m *Model, width, height int) string {
	st := m.styles
	switch {
	case !s.loaded:
		return st.Dim.Render("Loading…")
	case len(s.rows) == 0:
		return st.Dim.Render("No " + s.state + " reports.")
	}
	var b strings.Builder
	for i, r := range s.rows {
		if i >= height {
			break
		}
		what := "the account"
		if r.PostText != nil {
			what = "“" + store.Printable(*r.PostText) + "”"
		}
		line := fmt.Sprintf("#%d %s  %s %s  %s", r.ID, st.Dim.Render(ago(m.now(), r.Date.Time)), st.StatusErr.Render(r.Reason),
			st.Author.Render(store.Printable(r.Username)), what)
		style := st.Item
		if i == s.sel {
			style = st.Selected
		}
		b.WriteString(truncate(style.Render(line), width) + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// reportDetail is one report with the reported post in its context (its
// parent, and how many replies it has), and the resolutions: d deletes the
// post, s suspends the account, n resolves with no action; each asks for
// a note.
type reportDetail struct {
	queue  *reportsScreen
	r      store.Report
	parent *store.Post
	post   *store.Post // nil once deleted: the report's copy stands in
}

type reportContext struct {
	d            *reportDetail
	parent, post *store.Post
}

func newReportDetail(m *Model, queue *reportsScreen, r store.Report) (screen, tea.Cmd) {
	d := &reportDetail{queue: queue, r: r}
	if r.PostID == nil {
		return d, nil
	}
	id, me := *r.PostID, m.me.ID
	return d, func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		out := reportContext{d: d}
		if p, err := m.st.GetPost(ctx, id, me); err == nil {
			out.post = &p
			if p.ParentID != nil {
				if pp, err := m.st.GetPost(ctx, *p.ParentID, me); err == nil {
					out.parent = &pp
				}
			}
		}
		return out
	}
}

func (d *reportDetail) title() string { return fmt.Sprintf("Report #%d", d.r.ID) }

func (d *reportDetail) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case reportContext:
		if msg.d == d {
			d.parent, d.post = msg.parent, msg.post
		}
	case tea.KeyPressMsg:
		if key.Matches(msg, m.keys.Back) {
			return nil, nil
		}
		if d.r.State != "open" {
			return d, nil
		}
		action := map[string]string{"d": store.ResolveDeletePost, "s": store.ResolveSuspend, "n": store.ResolveNone}[msg.String()]
		if action == "" {
			return d, nil
		}
		if action == store.ResolveDeletePost && d.r.PostText == nil {
			m.setStatus("This report is of an account, not a post", true)
			return d, nil
		}
		return nil, m.push(newPrompt(fmt.Sprintf("Resolve report #%d: %s", d.r.ID, strings.ReplaceAll(action, "_", " ")), "note",
			"why (kept on the report and in the audit log)", false, d.resolve(action)))
	}
	return d, nil
}

// resolve is the prompt's act: resolve with action and the note typed,
// then reload the queue.
func (d *reportDetail) resolve(action string) func(m *Model, p *prompt, note string) tea.Cmd {
	return func(m *Model, p *prompt, note string) tea.Cmd {
		me, id := m.me.ID, d.r.ID
		return func() tea.Msg {
			ctx, cancel := m.ctx()
			defer cancel()
			_, err := m.st.ResolveReport(ctx, store.AsUser(me), id, action, note)
			return promptDone{p: p, err: err, said: fmt.Sprintf("Resolved report #%d (%s)", id, action), then: d.queue.load(m)}
		}
	}
}

func (d *reportDetail) hints(m *Model) []key.Binding {
	out := []key.Binding{m.keys.Back}
	if d.r.State == "open" {
		k := key.NewBinding
		if d.r.PostText != nil {
			out = append(out, k(key.WithKeys("d"), key.WithHelp("d", "delete post")))
		}
		out = append(out, k(key.WithKeys("s"), key.WithHelp("s", "suspend "+store.Printable(d.r.Username))),
			k(key.WithKeys("n"), key.WithHelp("n", "no action")))
	}
	return out
}

func (d *reportDetail) view(m *Model, width, height int) string {
	st, r := m.styles, d.r
	lines := []string{
		st.Meta.Render(fmt.Sprintf("%s · %s reported %s · %s", r.Reason, store.Printable(r.Reporter), store.Printable(r.Username), ago(m.now(), r.Date.Time))),
	}
	if r.Comment != "" {
		lines = append(lines, "“"+store.Printable(r.Comment)+"”")
	}
	if r.State != "open" {
		lines = append(lines, st.Status.Render(fmt.Sprintf("resolved by %s: %s %s", store.Printable(str(r.ResolvedBy)), str(r.Action), store.Printable(str(r.Note)))))
	}
	out := st.Box.Width(min(width-2, 70)+2).Render(strings.Join(lines, "\n")) + "\n"
	switch {
	case r.PostText == nil:
		out += st.Dim.Render("A report of the account: s suspends it.")
	case d.post != nil:
		if d.parent != nil {
			out += st.Dim.Render("in reply to") + "\n" + renderPost(m, *d.parent, false, width, false) + "\n"
		}
		out += renderPost(m, *d.post, true, width, false)
	default:
		out += st.Dim.Render("The post was deleted; as it was reported:") + "\n" + store.Printable(*r.PostText)
	}
	return out
}

// str is *s, or "" for nil.
func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
