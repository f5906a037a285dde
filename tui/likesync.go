package tui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/pamps/pamps/store"
)

// A like is shown at once and written meanwhile. Two things could then
// show a count this session has already moved past:
//   - two quick toggles of one post, written at the same time, may commit
//     in either order; so a post has one write on its way at a time, and
//     the last toggle pressed meanwhile is written after it;
//   - a counts event may have been read before this session's write
//     committed and arrive after it was shown; so for a post liked or
//     unliked here, a counts event is not applied but read again (after
//     the write, since none is on its way then).

// likeSync is one post's like as this session last asked for it.
type likeSync struct {
	inFlight bool
	pending  bool // a toggle came while inFlight: write want after it
	want     bool
	stale    bool // counts changed while inFlight: read again after it
	gen      int  // bumped by each toggle: a read started before is dropped
}

// likesKept bounds the posts followed; past it those settled are dropped.
const likesKept = 512

// likeWritten is the answer to a like or unlike.
type likeWritten struct {
	id     int64
	liked  bool
	fresh  store.Post
	before store.Post // shown before the toggle, put back on failure
	err    error
}

// postRead is a post read again for its counts (reread).
type postRead struct {
	post store.Post
	gen  int
}

func (m *Model) likeOf(id int64) *likeSync {
	s, ok := m.likes[id]
	if !ok {
		if len(m.likes) >= likesKept {
			for k, v := range m.likes {
				if !v.inFlight {
					delete(m.likes, k)
				}
			}
		}
		s = &likeSync{}
		m.likes[id] = s
	}
	return s
}

// toggleLike likes or unlikes p, showing the new count at once.
func (m *Model) toggleLike(p store.Post) tea.Cmd {
	after := p
	after.Liked = !p.Liked
	if after.Liked {
		after.Likes++
	} else {
		after.Likes--
	}
	m.showPost(after)
	s := m.likeOf(p.ID)
	s.gen++
	if s.inFlight {
		s.pending, s.want = true, after.Liked
		return nil
	}
	return m.writeLike(p, after.Liked)
}

// writeLike writes one like or unlike of p (as shown before it).
func (m *Model) writeLike(before store.Post, like bool) tea.Cmd {
	m.likeOf(before.ID).inFlight = true
	m.writing++
	me, id := m.me.ID, before.ID
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		var err error
		if like {
			_, _, err = m.st.Like(ctx, me, id)
		} else {
			_, err = m.st.Unlike(ctx, me, id)
		}
		w := likeWritten{id: id, liked: like, before: before, err: err}
		if err == nil {
			w.fresh, w.err = m.st.GetPost(ctx, id, me)
		}
		return w
	}
}

func (m *Model) likeWritten(w likeWritten) tea.Cmd {
	s := m.likeOf(w.id)
	s.inFlight = false
	var next tea.Cmd
	switch {
	case w.err != nil:
		s.pending, s.stale = false, false
		m.showPost(w.before)
		m.fail(w.err)
	case s.pending && s.want != w.liked:
		s.pending = false
		next = m.writeLike(w.fresh, s.want)
	default:
		s.pending = false
		m.showPost(w.fresh)
		if s.stale {
			s.stale = false
			next = m.reread(w.id)
		}
	}
	return m.wrote(next)
}

// countsChanged takes a counts event for a post liked or unliked here;
// false leaves it to be applied as it is.
func (m *Model) countsChanged(id int64) (tea.Cmd, bool) {
	s, ok := m.likes[id]
	if !ok {
		return nil, false
	}
	if s.inFlight {
		s.stale = true
		return nil, true
	}
	return m.reread(id), true
}

// reread reads a post again for its counts; the answer is dropped if a
// like of it was toggled here meanwhile (that write's answer follows).
func (m *Model) reread(id int64) tea.Cmd {
	gen := 0
	if s, ok := m.likes[id]; ok {
		gen = s.gen
	}
	me := m.me.ID
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		p, err := m.st.GetPost(ctx, id, me)
		if err != nil {
			return nil // gone or unreachable: the next event says which
		}
		return postRead{post: p, gen: gen}
	}
}

func (m *Model) postRead(r postRead) {
	gen := 0
	if s, ok := m.likes[r.post.ID]; ok {
		if s.inFlight {
			return
		}
		gen = s.gen
	}
	if gen == r.gen {
		m.showPost(r.post)
	}
}
