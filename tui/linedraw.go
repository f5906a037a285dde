package tui

import (
	"bytes"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
)

// draw is what takes the screen from the frame drawn last to f, in one
// synchronized update: the modes that changed, then each line that changed,
// cut to the width and with its colours brought down to the terminal's.
func (d *lineDrawer) draw(f *lineFrame) []byte {
	var b bytes.Buffer
	b.WriteString(ansi.SetModeSynchronizedOutput)
	v := f.view
	if v.AltScreen != d.alt {
		if v.AltScreen {
			b.WriteString(ansi.SetModeAltScreenSaveCursor)
		} else {
			b.WriteString(ansi.ResetModeAltScreenSaveCursor)
		}
		d.alt, d.last = v.AltScreen, nil
	}
	if paste := !v.DisableBracketedPasteMode; paste != d.paste {
		if paste {
			b.WriteString(ansi.SetModeBracketedPaste)
		} else {
			b.WriteString(ansi.ResetModeBracketedPaste)
		}
		d.paste = paste
	}
	if v.MouseMode != d.mouse {
		b.WriteString(ansi.ResetModeMouseButtonEvent + ansi.ResetModeMouseAnyEvent + ansi.ResetModeMouseExtSgr)
		switch v.MouseMode {
		case tea.MouseModeCellMotion:
			b.WriteString(ansi.SetModeMouseButtonEvent + ansi.SetModeMouseExtSgr)
		case tea.MouseModeAllMotion:
			b.WriteString(ansi.SetModeMouseAnyEvent + ansi.SetModeMouseExtSgr)
		}
		d.mouse = v.MouseMode
	}
	if d.last == nil || f.width != d.width || f.height != d.height || f.profile != d.profile {
		d.width, d.height, d.profile = f.width, f.height, f.profile
		d.last = make([]string, f.height)
		b.WriteString(ansi.ResetStyle + ansi.EraseEntireScreen)
	}
	d.began = true
	colours := &colorprofile.Writer{Forward: &b, Profile: f.profile}
	lines := strings.Split(v.Content, "\n")
	for y := range d.height {
		line := ""
		if y < len(lines) {
			line = lines[y]
		}
		if line == d.last[y] {
			continue
		}
		d.last[y] = line
		line = ansi.Truncate(line, d.width, "")
		b.WriteString(ansi.CursorPosition(1, y+1))
		_, _ = colours.WriteString(line)
		b.WriteString(ansi.ResetStyle)
		// A full line leaves the cursor on its last cell, which erasing
		// would blank.
		if ansi.StringWidth(line) < d.width {
			b.WriteString(ansi.EraseLineRight)
		}
	}
	if c := v.Cursor; c != nil {
		b.WriteString(ansi.CursorPosition(c.X+1, c.Y+1) + ansi.SetModeTextCursorEnable)
	} else {
		b.WriteString(ansi.ResetModeTextCursorEnable)
	}
	b.WriteString(ansi.ResetModeSynchronizedOutput)
	return b.Bytes()
}
