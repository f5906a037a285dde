package main

import (
	"io"
	"os"
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"golang.org/x/term"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// terminalWidth is the width of w when it is a terminal, else $COLUMNS, else 100.
func (a *App) terminalWidth() int {
	if f, ok := a.Out.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	if n, err := strconv.Atoi(a.Getenv("COLUMNS")); err == nil && n > 20 {
		return n
	}
	return 100
}

// stdoutIsTerminal reports whether output goes to a terminal.
func (a *App) stdoutIsTerminal() bool {
	f, ok := a.Out.(*os.File)
	return ok && isTerminal(f)
}

// newRenderer draws on out, in colour only when color is set. Bubble Tea's
// package init has already asked os.Stdout's terminal for its background
// (lipgloss's default renderer keeps the answer); a new renderer would ask
// again, and a terminal that never answers (a bare pseudo-terminal, not an
// emulator) costs termenv's 5 s timeout for every question.
func newRenderer(out io.Writer, color bool) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(out)
	switch {
	case !color:
		r.SetColorProfile(termenv.Ascii)
		r.SetHasDarkBackground(true) // no colour drawn: nothing to ask
	case out == io.Writer(os.Stdout):
		r.SetHasDarkBackground(lipgloss.HasDarkBackground())
	}
	return r
}
