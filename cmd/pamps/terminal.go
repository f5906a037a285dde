package main

import (
	"os"
	"strconv"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/pamps/pamps/tui"
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

// newRenderer draws on a.Out, in colour only when color is set. The
// background (for the adaptive colours) is guessed from COLORFGBG, not asked
// of the terminal: a terminal that never answers (a bare pseudo-terminal,
// not an emulator) would cost termenv's 5 s timeout on every command.
func (a *App) newRenderer(color bool) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(a.Out)
	r.SetHasDarkBackground(tui.DarkFromEnv(a.Getenv))
	if !color {
		r.SetColorProfile(termenv.Ascii)
	}
	return r
}
