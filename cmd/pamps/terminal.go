package main

import (
	"io"
	"os"
	"strconv"

	"github.com/charmbracelet/colorprofile"
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

// styled is w as the CLI writes styled text to it: a colorprofile writer
// that keeps the styles only when color is set, and otherwise writes the
// text alone, as it did on lipgloss v1's ASCII profile. (The background, for the shades, is
// guessed from COLORFGBG by tui.DarkFromEnv, not asked of the terminal: a
// terminal that never answers, a bare pseudo-terminal, would cost every
// command a timeout.)
func styled(w io.Writer, color bool) *colorprofile.Writer {
	out := &colorprofile.Writer{Forward: w, Profile: colorprofile.TrueColor}
	if !color {
		out.Profile = colorprofile.NoTTY
	}
	return out
}

// colorOn reports whether f, a terminal, may get colour: not with NO_COLOR
// or --no-color.
func (a *App) colorOn(f io.Writer) bool {
	file, ok := f.(*os.File)
	return ok && isTerminal(file) && !a.flags.noColor && a.Getenv("NO_COLOR") == ""
}
