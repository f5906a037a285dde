package main

import (
	"charm.land/lipgloss/v2"
	"github.com/pamps/pamps/tui"
)

// styles are every style the CLI uses, in one place, in the TUI's palette,
// each colour the shade for the terminal's background (dark or light).
type styles struct {
	header, border, dim, name, id, good, bad, accent lipgloss.Style
}

func newStyles(dark bool) styles {
	pick := lipgloss.LightDark(dark)
	c := func(sh tui.Shade) lipgloss.Style {
		return lipgloss.NewStyle().Foreground(pick(lipgloss.Color(sh.Light), lipgloss.Color(sh.Dark)))
	}
	p := tui.Colours()
	return styles{
		header: c(p.Accent).Bold(true),
		border: c(p.Border),
		dim:    c(p.Subtle),
		name:   c(p.Blue).Bold(true),
		id:     c(p.Amber),
		good:   c(p.Green),
		bad:    c(p.Red),
		accent: c(p.Pink),
	}
}
