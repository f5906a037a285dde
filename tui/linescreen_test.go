package tui

import (
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// textModel shows whatever string it was last sent.
type textModel struct{ text string }

func (m *textModel) Init() tea.Cmd { return nil }
func (m *textModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if s, ok := msg.(string); ok {
		m.text = s
	}
	return m, nil
}
func (m *textModel) View() tea.View {
	v := tea.NewView(m.text)
	v.AltScreen = true
	return v
}

// writes records each write; while hold is above zero, writes wait.
type writes struct {
	hold sync.WaitGroup
	mu   sync.Mutex
	got  []string
	c    chan struct{}
}

func newWrites() *writes { return &writes{c: make(chan struct{}, 100)} }

func (w *writes) Write(p []byte) (int, error) {
	w.hold.Wait()
	w.mu.Lock()
	w.got = append(w.got, string(p))
	w.mu.Unlock()
	w.c <- struct{}{}
	return len(p), nil
}

func (w *writes) next(t *testing.T) string {
	t.Helper()
	select {
	case <-w.c:
	case <-time.After(5 * time.Second):
		t.Fatal("no frame was written")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.got[len(w.got)-1]
}

// show sends s and waits out the frame interval, so that it is drawn now.
// The tests run in a synctest bubble: the wait is on its fake clock, at
// once and exact.
func show(s *LineScreen, text string) {
	s.Update(text)
	time.Sleep(time.Second/frameRate + 5*time.Millisecond)
}

func started(t *testing.T, w *writes, width int) *LineScreen {
	t.Helper()
	s := NewLineScreen(&textModel{}, w)
	t.Cleanup(s.Close)
	s.Update(tea.ColorProfileMsg{Profile: colorprofile.TrueColor})
	s.Update(tea.WindowSizeMsg{Width: width, Height: 5})
	if f := w.next(t); !strings.Contains(f, ansi.SetModeAltScreenSaveCursor) {
		t.Fatalf("first frame %q does not enter the alternate screen", f)
	}
	time.Sleep(time.Second / frameRate)
	return s
}

// TestLineScreenDrawsOnlyWhatChanged: a frame sends the lines that differ
// from the last, and nothing of the others.
func TestLineScreenDrawsOnlyWhatChanged(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWrites()
		s := started(t, w, 20)
		show(s, "alpha\nbravo\ncharlie")
		first := w.next(t)
		for _, want := range []string{"alpha", "bravo", "charlie"} {
			if !strings.Contains(first, want) {
				t.Errorf("first frame %q lacks %q", first, want)
			}
		}
		show(s, "alpha\nBRAVO\ncharlie")
		second := w.next(t)
		if !strings.Contains(second, ansi.CursorPosition(1, 2)+"BRAVO") {
			t.Errorf("second frame %q does not redraw line 2", second)
		}
		if strings.Contains(second, "alpha") || strings.Contains(second, "charlie") {
			t.Errorf("second frame %q redraws lines that did not change", second)
		}
	})
}

// TestLineScreenCutsLinesToTheWidth: a line wider than the terminal would
// wrap and push the screen; it is cut.
func TestLineScreenCutsLinesToTheWidth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWrites()
		s := started(t, w, 10)
		show(s, strings.Repeat("x", 30)+"\n日本語日本語日本語")
		f := w.next(t)
		if !strings.Contains(f, strings.Repeat("x", 10)) || strings.Contains(f, strings.Repeat("x", 11)) {
			t.Errorf("frame %q: the long line is not cut at 10 cells", f)
		}
		if !strings.Contains(f, "日本語日本") || strings.Contains(f, "日本語日本語") {
			t.Errorf("frame %q: the wide line is not cut at 10 cells", f)
		}
	})
}

// TestLineScreenHoldsOneFrameForASlowClient: while the client does not
// read, views replace the one waiting; none pile up.
func TestLineScreenHoldsOneFrameForASlowClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWrites()
		s := started(t, w, 20)
		w.hold.Add(1)
		show(s, "blocked")
		for i := range 20 {
			show(s, strings.Repeat("y", i+1)) // views keep coming while the write waits
		}
		show(s, "newest")
		w.hold.Done()
		w.next(t) // the frame that was waiting to be written
		last := w.next(t)
		if !strings.Contains(last, "newest") {
			t.Errorf("the frame after the stall is %q, want the newest view", last)
		}
		synctest.Wait() // every goroutine of the screen has done what it had to
		w.mu.Lock()
		n := len(w.got)
		w.mu.Unlock()
		if n != 3 { // the first screen, the blocked frame, the newest
			t.Errorf("%d writes, want 3: views queued while the client was stalled", n)
		}
	})
}

// TestLineScreenGivesTheTerminalBack: Close leaves the alternate screen
// and shows the cursor.
func TestLineScreenGivesTheTerminalBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		w := newWrites()
		s := started(t, w, 20)
		show(s, "hello")
		w.next(t)
		s.Close()
		end := w.next(t)
		if !strings.Contains(end, ansi.ResetModeAltScreenSaveCursor) || !strings.Contains(end, ansi.SetModeTextCursorEnable) {
			t.Errorf("on close wrote %q, want the main screen and the cursor back", end)
		}
	})
}
