package tui

import (
	"context"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// searchScreen is `/`: a query line, then the posts the store's search
// finds (docs/API.md §3c), newest first, as this member sees them, with
// the words found highlighted. A post opens, is liked or replied to as in
// any list.
type searchScreen struct {
	input  textinput.Model
	typing bool
	posts  *postList // nil until the first search
}

func newSearch() (screen, tea.Cmd) {
	in := textinput.New()
	in.Prompt = "/ "
	in.Placeholder = `words, "a phrase", -word`
	in.CharLimit = store.MaxSearchLen
	in.SetWidth(60)
	s := &searchScreen{input: in, typing: true}
	return s, s.input.Focus()
}

func (s *searchScreen) title() string { return "Search" }

// run searches for what was typed.
func (s *searchScreen) run(m *Model) tea.Cmd {
	q := s.input.Value()
	sq, err := store.ParseSearch(q)
	if err != nil { // nothing typed yet (the field holds at most 200)
		return nil
	}
	s.typing = false
	s.input.Blur()
	me := m.me.ID
	s.posts = newPostList("Search", nil, func(ctx context.Context, c string, n int) (store.Page[store.Post], error) {
		return m.st.SearchPosts(ctx, store.PostSearch{Query: q, Viewer: me, Liked: true, Cursor: c, Limit: n})
	})
	s.posts.terms = sq.Terms()
	return s.posts.load(m, false)
}

func (s *searchScreen) update(m *Model, msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case scrollMsg:
		if s.posts != nil {
			return s, s.posts.move(m, int(msg))
		}
	case tea.KeyPressMsg:
		if s.typing {
			switch msg.String() {
			case "enter":
				return s, s.run(m)
			case "esc":
				if s.posts == nil {
					return nil, nil
				}
				s.typing = false
				s.input.Blur()
				return s, nil
			}
			var cmd tea.Cmd
			s.input, cmd = s.input.Update(msg)
			return s, cmd
		}
		switch {
		case key.Matches(msg, m.keys.Back):
			return nil, nil
		case key.Matches(msg, m.keys.Filter):
			s.typing = true
			return s, s.input.Focus()
		}
		return s, m.postKeys(s.posts, msg)
	}
	return s, nil
}

func (s *searchScreen) hints(m *Model) []key.Binding {
	k := m.keys
	if s.typing {
		return []key.Binding{hint(k.Open, "search"), k.Back}
	}
	out := listHints(m, s.posts)
	return append([]key.Binding{k.Back, hint(k.Filter, "search again")}, out[:len(out)-1]...) // no tabs here
}

func (s *searchScreen) view(m *Model, width, height int) string {
	line := m.styles.Input.Width(min(width, 64)).Render(s.input.View())
	if s.posts == nil {
		return line + "\n" + m.styles.Dim.Render(`Words must all appear; "a phrase" as written; -word leaves out. Enter searches, esc goes back.`)
	}
	return line + "\n" + s.posts.view(m, width, max(height-3, 3))
}
