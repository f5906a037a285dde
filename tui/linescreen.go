package tui

import (
	"io"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// LineScreen draws a model's views itself, a line at a time, for programs
// run WithoutRenderer. Bubble Tea's renderer keeps each screen as cells of
// 112 bytes, twice (~0.9 MB for 100×40); this keeps the last frame's lines,
// a few KB, which is what lets one server hold hundreds of SSH sessions.
// Frames are drawn on a goroutine of their own, the newest replacing one
// not yet drawn: a client that stops reading holds back its own screen and
// nothing else, and costs one frame.
type LineScreen struct {
	inner tea.Model
	d     *lineDrawer
	term  lineFrame // the terminal's size and colours, as last told
	shown time.Time // when the last view was taken
	// A lineTick is on its way, for a view held back.
	ticking bool
}

// A frame: a view and the terminal it is for.
type lineFrame struct {
	view          tea.View
	width, height int
	profile       colorprofile.Profile
	profiled      bool // the program has told the profile: nothing is drawn before
}

type lineDrawer struct {
	w       io.Writer
	mu      sync.Mutex
	pending *lineFrame // newest frame not yet drawn
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once

	// Owned by the drawing goroutine.
	last          []string // the lines on the screen, as the view gave them
	width, height int
	profile       colorprofile.Profile
	alt, paste    bool
	mouse         tea.MouseMode
	began         bool
}

// frameRate bounds the frames a second one screen is sent.
const frameRate = 60

// NewLineScreen wraps m to draw on w (the session); Close restores the
// terminal once the program has ended.
func NewLineScreen(m tea.Model, w io.Writer) *LineScreen {
	d := &lineDrawer{w: w, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go d.run()
	return &LineScreen{inner: m, d: d}
}

// Init is the inner model's.
func (s *LineScreen) Init() tea.Cmd { return s.inner.Init() }

// Update passes msg on, then shows the view it leads to, at most
// frameRate times a second: a burst of messages (a session's start, a run
// of events) costs one view, not one each.
func (s *LineScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case lineTick:
		if msg.s == s {
			s.ticking = false
			s.show()
			return s, nil
		}
	case tea.WindowSizeMsg:
		s.term.width, s.term.height = msg.Width, msg.Height
	case tea.ColorProfileMsg:
		s.term.profile, s.term.profiled = msg.Profile, true
	}
	var cmd tea.Cmd
	s.inner, cmd = s.inner.Update(msg)
	if !s.term.profiled || s.term.width <= 0 || s.term.height <= 0 {
		return s, cmd // nothing can be drawn yet
	}
	if wait := time.Second/frameRate - time.Since(s.shown); wait > 0 {
		if !s.ticking {
			s.ticking = true
			cmd = tea.Batch(cmd, tea.Tick(wait, func(time.Time) tea.Msg { return lineTick{s} }))
		}
		return s, cmd
	}
	s.show()
	return s, cmd
}

// lineTick asks s for the view it held back.
type lineTick struct{ s *LineScreen }

func (s *LineScreen) show() {
	f := s.term
	f.view = s.inner.View()
	s.shown = time.Now()
	s.d.queue(f)
}

// View is empty: the program has no renderer; frames go out from Update.
func (s *LineScreen) View() tea.View { return tea.View{} }

// Close stops drawing and gives the terminal back: main screen, cursor
// shown, mouse and paste reporting off.
func (s *LineScreen) Close() {
	s.d.once.Do(func() { close(s.d.stop) })
	<-s.d.done
	d := s.d
	var b strings.Builder
	if d.mouse != tea.MouseModeNone {
		b.WriteString(ansi.ResetModeMouseButtonEvent + ansi.ResetModeMouseAnyEvent + ansi.ResetModeMouseExtSgr)
	}
	if d.paste {
		b.WriteString(ansi.ResetModeBracketedPaste)
	}
	if d.alt {
		b.WriteString(ansi.ResetModeAltScreenSaveCursor)
	}
	if d.began {
		b.WriteString(ansi.ResetStyle + ansi.SetModeTextCursorEnable)
	}
	_, _ = io.WriteString(d.w, b.String())
}

func (d *lineDrawer) queue(f lineFrame) {
	d.mu.Lock()
	d.pending = &f
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *lineDrawer) run() {
	defer close(d.done)
	for {
		select {
		case <-d.stop:
			return
		case <-d.wake:
		}
		d.mu.Lock()
		f := d.pending
		d.pending = nil
		d.mu.Unlock()
		if f == nil {
			continue
		}
		if _, err := d.w.Write(d.draw(f)); err != nil {
			return
		}
	}
}

// Drawn is the TUI on out, drawn by a LineScreen, for a program run
// WithoutRenderer; close gives the terminal back and ends the model's
// subscriptions.
func Drawn(o Options, out io.Writer) (m tea.Model, close func()) {
	inner := New(o)
	s := NewLineScreen(inner, out)
	return s, func() { s.Close(); inner.Close() }
}
